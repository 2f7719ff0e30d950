import {
  contractOptions,
  defineScope,
  flag,
  optional,
  required,
  roleOptions,
  withDefault,
} from "../lib/option-definitions.js";

const { signed: SIGNED } = contractOptions("InsuranceClaim");
/** The evidence of a claim or an appeal: a hash or a file (one of the two). */
const EVIDENCE = [
  optional(
    "evidence",
    "Required (or --evidence-file): the off-chain FHIR Claim or appeal document, a file (its keccak256 goes on chain) or its 0x… 32-byte hash",
  ),
  optional("evidenceFile", "A file whose keccak256 is the evidence (instead of --evidence)"),
];
const FEE_TREE = optional(
  "feeTree",
  "Fee schedule tree JSON written by 'claims plan', for plans with a Merkle fee schedule",
);
const CLAIM = required("claim", "the claim id");
const POOL = required("pool", "the pool id");
const PARTICIPANTS = optional(
  "participants",
  "With --fhir: the participants file mapping FHIR references to accounts",
);
/** A claim and the reason code of a decision on it. */
const DECISION = (claimHelp: string, example: string) => [
  required("claim", claimHelp),
  required("reason", `a claim adjustment reason code, e.g. ${example}`),
  ...SIGNED,
];

/** The `claims …` tasks: the command line for insurers, adjusters and providers. */
export const claimsTasks = defineScope("claims", (file) => import(`./${file}.js`), {
  "": ["Insurance claims: pools, plans, policies, submission, adjudication, payouts"],
  "test-token": [
    "Deploy a mintable test USDC (6 decimals) and mint it, for trying the tasks",
    [
      required("to", "comma-separated addresses to mint to"),
      required("amount", "whole tokens each address gets, e.g. 100000"),
    ],
  ],

  "open-pool": [
    "Open a pool in an ERC-20 token; the signer becomes its insurer",
    [required("token", "the pool's ERC-20 token address"), ...SIGNED],
  ],

  fund: [
    "Fund a pool from the signer (approves the token when needed)",
    [POOL, required("amount", "the amount in whole tokens, e.g. 10000.50"), ...SIGNED],
  ],

  adjuster: [
    "Appoint (or --remove) an adjuster of a pool (the pool's insurer)",
    [
      POOL,
      required("account", "the adjuster's address"),
      flag("remove", "Remove the adjuster instead of appointing"),
      ...SIGNED,
    ],
  ],

  plan: [
    "Create a plan from benefit rules and a JSON or CSV fee schedule",
    [
      POOL,
      required(
        "coverageLimit",
        "the most a policy pays over its period, in whole tokens, e.g. 5000",
      ),
      withDefault("deductible", "What the patient pays first, in whole tokens", "0"),
      withDefault(
        "coinsurance",
        "The patient's share after the deductible, in percent, e.g. 20",
        "0",
      ),
      required("fees", "the fee schedule, .csv (code,amount) or .json ({ code: amount })"),
      flag("merkle", "Store a Merkle root of the schedule (automatic above 64 codes)"),
      optional("treeOut", "Where to write the Merkle tree (default: <fees>.tree.json)"),
      withDefault(
        "appealDays",
        "How many days after a denial its claim may be appealed (30 to 365)",
        "180",
      ),
      ...SIGNED,
    ],
  ],

  enroll: [
    "Enroll a patient in a plan for a period (creates a policy)",
    [
      required("plan", "the plan id"),
      required("patient", "the patient's address"),
      required("start", "first covered day (YYYY-MM-DD, UTC) or unix seconds"),
      required("end", "last covered day (YYYY-MM-DD, inclusive) or unix seconds"),
      ...SIGNED,
    ],
  ],

  submit: [
    "Submit a claim for a service, or for a dispensed drug unit",
    [
      optional("policy", "Required (or --fhir with one policy): the policy id"),
      optional("patient", "Required (or --fhir): the patient's address (the policy's holder)"),
      optional("code", "Service claim: the service code, e.g. CPT 99213"),
      optional("gtin", "Drug claim: the unit's GTIN-14"),
      optional("lot", "Drug claim: the unit's lot"),
      optional("unit", "Drug claim: the unit's index in its batch"),
      optional("date", "Required (or --fhir): the service date (YYYY-MM-DD, UTC) or unix seconds"),
      optional("billed", "Required (or --fhir): the amount billed in whole tokens, e.g. 150.00"),
      ...EVIDENCE,
      FEE_TREE,
      optional(
        "fhir",
        "A FHIR R4 Claim (JSON): patient, service, date, amount and evidence come from it (see README)",
      ),
      PARTICIPANTS,
      optional(
        "tree",
        "With --fhir, a drug claim: the batch's serial tree, to find the pack's unit index",
      ),
      ...SIGNED,
    ],
  ],

  quote: [
    "Explanation of benefits of a claim, or an estimate for a service",
    [
      optional("claim", "The claim id; or --policy, --code and --billed for an estimate"),
      optional("policy", "Estimate: the policy id"),
      optional("code", "Estimate: the service code"),
      optional("billed", "Estimate: the amount billed in whole tokens"),
      FEE_TREE,
      ...SIGNED,
    ],
  ],

  approve: ["Approve a claim (pool adjuster): reserves its payout", [CLAIM, ...SIGNED]],

  deny: [
    "Deny a claim with a reason code (pool adjuster)",
    DECISION("the claim id", "50 (not medically necessary)"),
  ],

  appeal: [
    "Appeal a denied claim once with new evidence (provider or patient)",
    [CLAIM, ...EVIDENCE, ...SIGNED],
  ],

  pay: [
    "Pay approved claims: one, a list, or all approved of a pool (insurer)",
    [
      optional("claim", "One claim id"),
      optional("ids", "A list of claim ids, e.g. 1,2,3 or 4-9"),
      optional("pool", "A pool id, with --all-approved"),
      flag("allApproved", "Pay every approved claim of --pool"),
      optional("chunk", "Claims per transaction (default: 100, at most 500)"),
      ...SIGNED,
    ],
  ],

  void: [
    "Void an approved claim that will not be paid, releasing its reserve (the pool's insurer)",
    DECISION("the claim id (an Approved claim)", "16 (claim lacks information)"),
  ],

  eob: [
    "A claim's explanation of benefits as a readable statement",
    [
      CLAIM,
      optional("fhir", "Write it as a FHIR R4 ExplanationOfBenefit (JSON) to this file instead"),
      optional(
        "participants",
        "With --fhir: the participants file naming accounts by FHIR reference",
      ),
      ...SIGNED,
    ],
  ],

  roles: [
    "Show an account's InsuranceClaim roles; as the admin, --grant or --revoke one: insurer, provider, pauser",
    roleOptions("InsuranceClaim", "e.g. provider"),
  ],
});
