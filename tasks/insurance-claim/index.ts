import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";

import { addressOption, fromOption, optional } from "../lib/option-definitions.js";

const ADDRESS = addressOption("InsuranceClaim");
const FROM = fromOption();
const EVIDENCE = optional(
  "evidence",
  "Required (or --evidence-file): the off-chain FHIR Claim or appeal document, a file (its keccak256 goes on chain) or its 0x… 32-byte hash",
);
const EVIDENCE_FILE = optional(
  "evidenceFile",
  "A file whose keccak256 is the evidence (instead of --evidence)",
);
const FEE_TREE = optional(
  "feeTree",
  "Fee schedule tree JSON written by 'claims plan', for plans with a Merkle fee schedule",
);

/** The `claims …` tasks: the command line for insurers, adjusters and providers. */
export const claimsTasks: TaskDefinition[] = [
  emptyTask(
    "claims",
    "Insurance claims: pools, plans, policies, submission, adjudication, payouts",
  ).build(),

  task(
    ["claims", "test-token"],
    "Deploy a mintable test USDC (6 decimals) and mint it, for trying the tasks",
  )
    .addOption(optional("to", "Required: comma-separated addresses to mint to"))
    .addOption(optional("amount", "Required: whole tokens each address gets, e.g. 100000"))
    .setAction(() => import("./test-token.js"))
    .build(),

  task(["claims", "open-pool"], "Open a pool in an ERC-20 token; the signer becomes its insurer")
    .addOption(optional("token", "Required: the pool's ERC-20 token address"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./open-pool.js"))
    .build(),

  task(["claims", "fund"], "Fund a pool from the signer (approves the token when needed)")
    .addOption(optional("pool", "Required: the pool id"))
    .addOption(optional("amount", "Required: the amount in whole tokens, e.g. 10000.50"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./fund.js"))
    .build(),

  task(["claims", "adjuster"], "Appoint (or --remove) an adjuster of a pool (the pool's insurer)")
    .addOption(optional("pool", "Required: the pool id"))
    .addOption(optional("account", "Required: the adjuster's address"))
    .addFlag({ name: "remove", description: "Remove the adjuster instead of appointing" })
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./adjuster.js"))
    .build(),

  task(["claims", "plan"], "Create a plan from benefit rules and a JSON or CSV fee schedule")
    .addOption(optional("pool", "Required: the pool id"))
    .addOption(
      optional(
        "coverageLimit",
        "Required: the most a policy pays over its period, in whole tokens",
      ),
    )
    .addOption({
      name: "deductible",
      description: "What the patient pays first, in whole tokens",
      defaultValue: "0",
    })
    .addOption({
      name: "coinsurance",
      description: "The patient's share after the deductible, in percent, e.g. 20",
      defaultValue: "0",
    })
    .addOption(
      optional(
        "fees",
        "Required: the fee schedule, .csv (code,amount) or .json ({ code: amount })",
      ),
    )
    .addFlag({
      name: "merkle",
      description: "Store a Merkle root of the schedule (automatic above 64 codes)",
    })
    .addOption(optional("treeOut", "Where to write the Merkle tree (default: <fees>.tree.json)"))
    .addOption({
      name: "appealDays",
      description: "How many days after a denial its claim may be appealed (30 to 365)",
      defaultValue: "180",
    })
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./plan.js"))
    .build(),

  task(["claims", "enroll"], "Enroll a patient in a plan for a period (creates a policy)")
    .addOption(optional("plan", "Required: the plan id"))
    .addOption(optional("patient", "Required: the patient's address"))
    .addOption(optional("start", "Required: first covered day (YYYY-MM-DD, UTC) or unix seconds"))
    .addOption(
      optional("end", "Required: last covered day (YYYY-MM-DD, inclusive) or unix seconds"),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./enroll.js"))
    .build(),

  task(["claims", "submit"], "Submit a claim for a service, or for a dispensed drug unit")
    .addOption(optional("policy", "Required: the policy id"))
    .addOption(optional("patient", "Required: the patient's address (the policy's holder)"))
    .addOption(optional("code", "Service claim: the service code, e.g. CPT 99213"))
    .addOption(optional("gtin", "Drug claim: the unit's GTIN-14"))
    .addOption(optional("lot", "Drug claim: the unit's lot"))
    .addOption(optional("unit", "Drug claim: the unit's index in its batch"))
    .addOption(optional("date", "Required: the service date (YYYY-MM-DD, UTC) or unix seconds"))
    .addOption(optional("billed", "Required: the amount billed in whole tokens, e.g. 150.00"))
    .addOption(EVIDENCE)
    .addOption(EVIDENCE_FILE)
    .addOption(FEE_TREE)
    .addOption(
      optional(
        "fhir",
        "A FHIR R4 Claim (JSON): patient, service, date, amount and evidence come from it (see README)",
      ),
    )
    .addOption(
      optional(
        "participants",
        "With --fhir: the participants file mapping FHIR references to accounts",
      ),
    )
    .addOption(
      optional(
        "tree",
        "With --fhir, a drug claim: the batch's serial tree, to find the pack's unit index",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./submit.js"))
    .build(),

  task(["claims", "quote"], "Explanation of benefits of a claim, or an estimate for a service")
    .addOption(optional("claim", "The claim id; or --policy, --code and --billed for an estimate"))
    .addOption(optional("policy", "Estimate: the policy id"))
    .addOption(optional("code", "Estimate: the service code"))
    .addOption(optional("billed", "Estimate: the amount billed in whole tokens"))
    .addOption(FEE_TREE)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./quote.js"))
    .build(),

  task(["claims", "approve"], "Approve a claim (pool adjuster): reserves its payout")
    .addOption(optional("claim", "Required: the claim id"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./approve.js"))
    .build(),

  task(["claims", "deny"], "Deny a claim with a reason code (pool adjuster)")
    .addOption(optional("claim", "Required: the claim id"))
    .addOption(
      optional(
        "reason",
        "Required: a claim adjustment reason code, e.g. 50 (not medically necessary)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./deny.js"))
    .build(),

  task(["claims", "appeal"], "Appeal a denied claim once with new evidence (provider or patient)")
    .addOption(optional("claim", "Required: the claim id"))
    .addOption(EVIDENCE)
    .addOption(EVIDENCE_FILE)
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./appeal.js"))
    .build(),

  task(["claims", "pay"], "Pay approved claims: one, a list, or all approved of a pool (insurer)")
    .addOption(optional("claim", "One claim id"))
    .addOption(optional("ids", "A list of claim ids, e.g. 1,2,3 or 4-9"))
    .addOption(optional("pool", "A pool id, with --all-approved"))
    .addFlag({ name: "allApproved", description: "Pay every approved claim of --pool" })
    .addOption(optional("chunk", "Claims per transaction (default 100, at most 500)"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./pay.js"))
    .build(),

  task(
    ["claims", "void"],
    "Void an approved claim that will not be paid, releasing its reserve (the pool's insurer)",
  )
    .addOption(optional("claim", "Required: the claim id (an Approved claim)"))
    .addOption(
      optional(
        "reason",
        "Required: a claim adjustment reason code, e.g. 16 (claim lacks information)",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./void.js"))
    .build(),

  task(["claims", "eob"], "A claim's explanation of benefits as a readable statement")
    .addOption(optional("claim", "Required: the claim id"))
    .addOption(
      optional("fhir", "Write it as a FHIR R4 ExplanationOfBenefit (JSON) to this file instead"),
    )
    .addOption(
      optional(
        "participants",
        "With --fhir: the participants file naming accounts by FHIR reference",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./eob.js"))
    .build(),
  task(
    ["claims", "roles"],
    "Show an account's InsuranceClaim roles; as the admin, --grant or --revoke one: insurer, provider, pauser",
  )
    .addOption(optional("account", "Required: the account"))
    .addOption(optional("grant", "A role to grant, by word, e.g. provider"))
    .addOption(optional("revoke", "A role to revoke, by word"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./roles.js"))
    .build(),
];
