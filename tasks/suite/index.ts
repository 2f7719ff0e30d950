import { emptyTask } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";

import { defineTask, flag, optional } from "../lib/option-definitions.js";

/** The `suite …` tasks: deploying the whole carechain suite. */
export const suiteTasks: TaskDefinition[] = [
  emptyTask("suite", "The carechain suite as a whole: deployment").build(),
  defineTask(
    ["suite", "deploy"],
    "Deploy DrugTrace, PatientConsent and InsuranceClaim (Ignition module CareChain)",
    [
      optional(
        "parameters",
        "Ignition parameters file (default: ignition/parameters/<network>.json, else localhost.json on a local chain)",
      ),
      optional(
        "deploymentId",
        "Name of the deployment folder under ignition/deployments (default: chain-<chainId>)",
      ),
      flag("verify", "Verify the contracts on the block explorer (needs ETHERSCAN_API_KEY)"),
    ],
    () => import("./deploy.js"),
  ),
];
