import { emptyTask, task } from "hardhat/config";

/** The `suite …` tasks: deploying the whole carechain suite. */
export const suiteTasks = [
  emptyTask("suite", "The carechain suite as a whole: deployment").build(),
  task(
    ["suite", "deploy"],
    "Deploy DrugTrace, PatientConsent and InsuranceClaim (Ignition module CareChain)",
  )
    .addOption({
      name: "parameters",
      description:
        "Ignition parameters file (default: ignition/parameters/<network>.json, else localhost.json on a local chain)",
      defaultValue: "",
    })
    .addOption({
      name: "deploymentId",
      description:
        "Name of the deployment folder under ignition/deployments (default: chain-<chainId>)",
      defaultValue: "",
    })
    .addFlag({
      name: "verify",
      description: "Verify the contracts on the block explorer (needs ETHERSCAN_API_KEY)",
    })
    .setAction(() => import("./deploy.js"))
    .build(),
];
