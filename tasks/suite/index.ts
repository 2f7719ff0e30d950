import { defineScope, flag, optional } from "../lib/option-definitions.js";

/** The `suite …` tasks: deploying the whole carechain suite. */
export const suiteTasks = defineScope("suite", (file) => import(`./${file}.js`), {
  "": ["The carechain suite as a whole: deployment"],
  deploy: [
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
  ],
});
