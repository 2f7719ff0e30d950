import {
  contractOptions,
  defineScope,
  flag,
  fromBlockOption,
  optional,
  required,
  roleOptions,
  withDefault,
} from "../lib/option-definitions.js";

const { address: ADDRESS, signed: SIGNED } = contractOptions("PatientConsent");

const CATEGORIES = optional(
  "categories",
  "Data categories, comma-separated, e.g. labs,medications (empty: the purposes alone; an unknown word lists the valid ones)",
);
/** The terms of a grant: typed, or from a FHIR Consent. */
const GRANT_TERMS = [
  optional("grantee", "Required (or --fhir): the address given access"),
  optional(
    "purposes",
    "Required (or --fhir): purposes of use, comma-separated HL7 codes, e.g. TREAT,HPAYMT (an unknown code lists the valid ones)",
  ),
  CATEGORIES,
  optional("start", "Start of the period, ISO date or date-time in UTC (default: now)"),
  optional("until", "End of the period (exclusive), ISO date or date-time in UTC; or use --days"),
  optional("days", "Length of the period in days from its start, e.g. 30 or 0.5; or use --until"),
];
const FHIR_CONSENT = [
  optional(
    "fhir",
    "A FHIR R4 Consent (JSON) giving grantee, purposes, categories, period and patient (see README)",
  ),
  optional(
    "participants",
    "With --fhir: the participants file mapping FHIR references to accounts",
  ),
];
/** A delegate's scope, or its removal. */
const DELEGATE_SCOPE = (revokeHelp: string) => [
  required("delegate", "the guardian or proxy"),
  optional(
    "purposes",
    "Required to appoint: the purposes the delegate may grant, comma-separated HL7 codes, e.g. TREAT",
  ),
  optional(
    "categories",
    "The categories the delegate may grant, e.g. labs,medications; protected ones (mental-health, …) only when named here",
  ),
  optional("until", "End of the delegation, ISO date; or use --days"),
  optional("days", "Length of the delegation in days; or use --until"),
  flag("revoke", revokeHelp),
];
/** What an off-chain signature takes besides its content. */
const SIGNATURE = (what: string) => [
  withDefault("deadlineDays", "Days from now during which the signature may be submitted", "7"),
  optional(
    "patient",
    "The patient (default: the signer; a smart-contract wallet's address for ERC-1271)",
  ),
  optional("out", `Write the signed ${what} to this file instead of stdout`),
  ...SIGNED,
];
const ACTING_PATIENT = optional(
  "patient",
  "The patient (default: the signer; set it when acting as a delegate)",
);

/** The `consent …` tasks: the command line for patients, delegates and providers. */
export const consentTasks = defineScope("consent", (file) => import(`./${file}.js`), {
  "": [
    "Patient consent: grant, sign, submit, revoke, check, delegate, access, cooldown, access log",
  ],
  grant: [
    "Grant a purpose- and time-bound consent, as the patient or a delegate",
    [...GRANT_TERMS, ACTING_PATIENT, ...FHIR_CONSENT, ...SIGNED],
  ],

  sign: [
    "Sign a grant off chain (EIP-712) and print the JSON to hand over; anyone can submit it",
    [
      ...GRANT_TERMS,
      optional("nonce", "The patient's nonce to sign (default: the current one on chain)"),
      ...FHIR_CONSENT,
      ...SIGNATURE("grant"),
    ],
  ],

  "sign-revocation": [
    "Sign the revocation of a grantee's consent off chain (EIP-712); anyone can submit it, even while paused",
    [required("grantee", "the address losing access"), ...SIGNATURE("revocation")],
  ],

  "sign-delegate": [
    "Sign a delegate's appointment with a scope, or its removal (--revoke), off chain; anyone can submit it",
    [...DELEGATE_SCOPE("Sign the delegate's removal instead"), ...SIGNATURE("action")],
  ],

  submit: [
    "Submit a grant, revocation or delegate appointment/removal a patient signed; the sender pays gas",
    [
      required(
        "grant",
        "the signed action, a file written by 'consent sign', 'sign-revocation' or 'sign-delegate' --out, or its JSON",
      ),
      ...SIGNED,
    ],
  ],

  revoke: [
    "Revoke a grantee's consent at once, as the patient or a delegate",
    [required("grantee", "the address losing access"), ACTING_PATIENT, ...SIGNED],
  ],

  check: [
    "Ask whether a grantee may act for a purpose on data categories now",
    [
      required("patient", "the patient"),
      required("grantee", "the address asking for access"),
      required("purpose", "one purpose of use, e.g. TREAT (an unknown code lists the valid ones)"),
      CATEGORIES,
      ADDRESS,
    ],
  ],

  delegate: [
    "Appoint a delegate (guardian, proxy) with a scope until a date, or remove one",
    [...DELEGATE_SCOPE("Remove the delegate instead of appointing it"), ...SIGNED],
  ],

  cooldown: [
    "Show the break-glass cooldown per (responder, patient); as the admin, set it with --hours",
    [optional("hours", "The new cooldown in hours (1 to 720)"), ...SIGNED],
  ],

  access: [
    "Log your access to a patient's record on chain, as a provider covered by a consent (or break-glass); it shows in 'consent log'",
    [
      required("patient", "the patient's address"),
      required(
        "record",
        "the record: a file (its keccak256 goes on chain) or its 0x… 32-byte hash",
      ),
      required("purpose", "the purpose of use, e.g. TREAT (ETREAT during break-glass)"),
      optional("provider", "The provider that anchored the record (default: the signer)"),
      optional(
        "categories",
        "To anchor your own new record first: its data categories, e.g. labs,medications",
      ),
      ...SIGNED,
    ],
  ],

  log: [
    "Show a patient's access log from events, break-glass flagged for audit",
    [
      optional("patient", "The patient (default: the account --from picks)"),
      fromBlockOption(),
      ...SIGNED,
    ],
  ],

  roles: [
    "Show an account's PatientConsent roles; as the admin, --grant or --revoke emergency (break-glass responders)",
    roleOptions("PatientConsent", "emergency"),
  ],

  export: [
    "Write a patient's consents as a FHIR R4 Bundle of Consent resources (validated); needs no account",
    [
      required("fhir", "the FHIR Bundle to write (JSON), e.g. consents.json"),
      required("patient", "the patient's address"),
      optional(
        "participants",
        "A participants file naming accounts by FHIR reference (see README)",
      ),
      fromBlockOption(),
      ADDRESS,
    ],
  ],
});
