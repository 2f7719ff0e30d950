import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { TaskDefinition } from "hardhat/types/tasks";

const ADDRESS = {
  name: "address",
  description: "InsuranceClaim address (default: the Ignition deployment for the network)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const FROM = {
  name: "from",
  description: "Signer: an account index or address of the network's accounts (default: account 0)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const EVIDENCE = {
  name: "evidence",
  description: "Hash (0x + 64 hex) of the off-chain FHIR Claim or appeal document",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const EVIDENCE_FILE = {
  name: "evidenceFile",
  description: "File whose keccak-256 hash is the evidence (instead of --evidence)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const FEE_TREE = {
  name: "feeTree",
  description: "Fee schedule tree JSON written by 'claims plan' (plans with a Merkle fee schedule)",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;
const CLAIM = {
  name: "claim",
  description: "Claim id",
  type: ArgumentType.STRING_WITHOUT_DEFAULT,
  defaultValue: undefined,
} as const;

/** The `claims …` tasks: the command line for insurers, adjusters and providers. */
export const claimsTasks: TaskDefinition[] = [
  emptyTask(
    "claims",
    "Insurance claims: pools, plans, policies, submission, adjudication, payouts",
  ).build(),

  task(["claims", "open-pool"], "Open a pool in an ERC-20 token; the signer becomes its insurer")
    .addOption({
      name: "token",
      description: "The pool's ERC-20 token address",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./open-pool.js"))
    .build(),

  task(["claims", "fund"], "Fund a pool from the signer (approves the token when needed)")
    .addOption({
      name: "pool",
      description: "Pool id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "amount",
      description: "Amount in whole tokens, e.g. 10000.50",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./fund.js"))
    .build(),

  task(["claims", "plan"], "Create a plan from benefit rules and a JSON or CSV fee schedule")
    .addOption({
      name: "pool",
      description: "Pool id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "coverageLimit",
      description: "Most a policy pays over its period, in whole tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "deductible",
      description: "What the patient pays first, in whole tokens",
      defaultValue: "0",
    })
    .addOption({
      name: "coinsurance",
      description: "The patient's share after the deductible, in percent (e.g. 20)",
      defaultValue: "0",
    })
    .addOption({
      name: "fees",
      description: "Fee schedule file: .csv (code,amount) or .json ({ code: amount })",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({
      name: "merkle",
      description: "Store a Merkle root of the schedule (automatic above 64 codes)",
    })
    .addOption({
      name: "treeOut",
      description: "Where to write the Merkle tree (default: <fees>.tree.json)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./plan.js"))
    .build(),

  task(["claims", "enroll"], "Enroll a patient in a plan for a period (creates a policy)")
    .addOption({
      name: "plan",
      description: "Plan id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "patient",
      description: "The patient's address",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "start",
      description: "First covered day (YYYY-MM-DD, UTC) or unix seconds",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "end",
      description: "Last covered day (YYYY-MM-DD, inclusive) or unix seconds",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./enroll.js"))
    .build(),

  task(["claims", "submit"], "Submit a claim for a service, or for a dispensed drug unit")
    .addOption({
      name: "policy",
      description: "Policy id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "patient",
      description: "The patient's address",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "code",
      description: "Service code (e.g. CPT 99213) for a service claim",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "gtin",
      description: "Drug claim: the unit's GTIN-14",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "lot",
      description: "Drug claim: the unit's lot",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "unit",
      description: "Drug claim: the unit's index in its batch",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "date",
      description: "Service date (YYYY-MM-DD, UTC) or unix seconds",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "billed",
      description: "Amount billed in whole tokens, e.g. 150.00",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(EVIDENCE)
    .addOption(EVIDENCE_FILE)
    .addOption(FEE_TREE)
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./submit.js"))
    .build(),

  task(["claims", "quote"], "Explanation of benefits of a claim, or an estimate for a service")
    .addOption(CLAIM)
    .addOption({
      name: "policy",
      description: "Estimate: policy id",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "code",
      description: "Estimate: service code",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "billed",
      description: "Estimate: amount billed in whole tokens",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(FEE_TREE)
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./quote.js"))
    .build(),

  task(["claims", "approve"], "Approve a claim (pool adjuster): reserves its payout")
    .addOption(CLAIM)
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./approve.js"))
    .build(),

  task(["claims", "deny"], "Deny a claim with a reason code (pool adjuster)")
    .addOption(CLAIM)
    .addOption({
      name: "reason",
      description: "Claim adjustment reason code, e.g. 50 (not medically necessary)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./deny.js"))
    .build(),

  task(["claims", "appeal"], "Appeal a denied claim once with new evidence (provider or patient)")
    .addOption(CLAIM)
    .addOption(EVIDENCE)
    .addOption(EVIDENCE_FILE)
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./appeal.js"))
    .build(),

  task(["claims", "pay"], "Pay approved claims: one, a list, or all approved of a pool (insurer)")
    .addOption(CLAIM)
    .addOption({
      name: "ids",
      description: "Claim ids, e.g. 1,2,3 or 4-9",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption({
      name: "pool",
      description: "Pool id (with --all-approved)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addFlag({ name: "allApproved", description: "Pay every approved claim of --pool" })
    .addOption({
      name: "chunk",
      description: "Claims per transaction (default 100, at most 500)",
      type: ArgumentType.STRING_WITHOUT_DEFAULT,
      defaultValue: undefined,
    })
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./pay.js"))
    .build(),

  task(["claims", "eob"], "A claim's explanation of benefits as a readable statement")
    .addOption(CLAIM)
    .addOption(ADDRESS)
    .addOption(FROM)
    .setAction(() => import("./eob.js"))
    .build(),
];
