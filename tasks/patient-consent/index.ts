import { emptyTask, task } from "hardhat/config";
import type { TaskDefinition } from "hardhat/types/tasks";

import { addressOption, fromBlockOption, fromOption, optional } from "../lib/option-definitions.js";

const ADDRESS = addressOption("PatientConsent");

const FROM = fromOption();

const PURPOSES_HELP =
  "Required: purposes of use, comma-separated HL7 codes, e.g. TREAT,HPAYMT (an unknown code lists the valid ones)";
const CATEGORIES_HELP =
  "Data categories, comma-separated, e.g. labs,medications (empty: the purposes alone; an unknown word lists the valid ones)";
const START_HELP = "Start of the period, ISO date or date-time in UTC (default: now)";
const UNTIL_HELP = "End of the period (exclusive), ISO date or date-time in UTC; or use --days";
const DAYS_HELP = "Length of the period in days from its start, e.g. 30 or 0.5; or use --until";

/** The `consent …` tasks: the command line for patients, delegates and providers. */
export const consentTasks: TaskDefinition[] = [
  emptyTask(
    "consent",
    "Patient consent: grant, sign, submit, revoke, check, delegate, cooldown, access log",
  ).build(),

  task(
    ["consent", "grant"],
    "Grant a purpose- and time-bound consent, as the patient or a delegate",
  )
    .addOption(optional("grantee", "Required: the address given access"))
    .addOption(optional("purposes", PURPOSES_HELP))
    .addOption(optional("categories", CATEGORIES_HELP))
    .addOption(optional("start", START_HELP))
    .addOption(optional("until", UNTIL_HELP))
    .addOption(optional("days", DAYS_HELP))
    .addOption(
      optional("patient", "The patient (default: the signer; set it when acting as a delegate)"),
    )
    .addOption(
      optional(
        "fhir",
        "A FHIR R4 Consent (JSON) giving grantee, purposes, categories, period and patient (see README)",
      ),
    )
    .addOption(
      optional(
        "participants",
        "With --fhir: the participants file mapping FHIR references to accounts",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./grant.js"))
    .build(),

  task(
    ["consent", "sign"],
    "Sign a grant off chain (EIP-712) and print the JSON to hand over; anyone can submit it",
  )
    .addOption(optional("grantee", "Required: the address given access"))
    .addOption(optional("purposes", PURPOSES_HELP))
    .addOption(optional("categories", CATEGORIES_HELP))
    .addOption(optional("start", START_HELP))
    .addOption(optional("until", UNTIL_HELP))
    .addOption(optional("days", DAYS_HELP))
    .addOption({
      name: "deadlineDays",
      description: "Days from now during which the signature may be submitted",
      defaultValue: "7",
    })
    .addOption(optional("nonce", "The patient's nonce to sign (default: the current one on chain)"))
    .addOption(
      optional(
        "patient",
        "The patient (default: the signer; a smart-contract wallet's address for ERC-1271)",
      ),
    )
    .addOption(optional("out", "Write the signed grant to this file instead of stdout"))
    .addOption(
      optional(
        "fhir",
        "A FHIR R4 Consent (JSON) giving grantee, purposes, categories, period and patient (see README)",
      ),
    )
    .addOption(
      optional(
        "participants",
        "With --fhir: the participants file mapping FHIR references to accounts",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./sign.js"))
    .build(),

  task(
    ["consent", "sign-revocation"],
    "Sign the revocation of a grantee's consent off chain (EIP-712); anyone can submit it, even while paused",
  )
    .addOption(optional("grantee", "Required: the address losing access"))
    .addOption({
      name: "deadlineDays",
      description: "Days from now during which the signature may be submitted",
      defaultValue: "7",
    })
    .addOption(
      optional(
        "patient",
        "The patient (default: the signer; a smart-contract wallet's address for ERC-1271)",
      ),
    )
    .addOption(optional("out", "Write the signed revocation to this file instead of stdout"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./sign-revocation.js"))
    .build(),

  task(
    ["consent", "sign-delegate"],
    "Sign a delegate's appointment with a scope, or its removal (--revoke), off chain; anyone can submit it",
  )
    .addOption(optional("delegate", "Required: the guardian or proxy"))
    .addOption(
      optional("purposes", "Required to appoint: the purposes the delegate may grant, e.g. TREAT"),
    )
    .addOption(
      optional(
        "categories",
        "The categories the delegate may grant; protected ones only when named here",
      ),
    )
    .addOption(optional("until", "End of the delegation, ISO date; or use --days"))
    .addOption(optional("days", "Length of the delegation in days; or use --until"))
    .addFlag({ name: "revoke", description: "Sign the delegate's removal instead" })
    .addOption({
      name: "deadlineDays",
      description: "Days from now during which the signature may be submitted",
      defaultValue: "7",
    })
    .addOption(
      optional(
        "patient",
        "The patient (default: the signer; a smart-contract wallet's address for ERC-1271)",
      ),
    )
    .addOption(optional("out", "Write the signed action to this file instead of stdout"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./sign-delegate.js"))
    .build(),

  task(
    ["consent", "submit"],
    "Submit a grant, revocation or delegate appointment/removal a patient signed; the sender pays gas",
  )
    .addOption(
      optional(
        "grant",
        "Required: the signed action, a file written by 'consent sign', 'sign-revocation' or 'sign-delegate' --out, or its JSON",
      ),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./submit.js"))
    .build(),

  task(["consent", "revoke"], "Revoke a grantee's consent at once, as the patient or a delegate")
    .addOption(optional("grantee", "Required: the address losing access"))
    .addOption(
      optional("patient", "The patient (default: the signer; set it when acting as a delegate)"),
    )
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./revoke.js"))
    .build(),

  task(["consent", "check"], "Ask whether a grantee may act for a purpose on data categories now")
    .addOption(optional("patient", "Required: the patient"))
    .addOption(optional("grantee", "Required: the address asking for access"))
    .addOption(
      optional(
        "purpose",
        "Required: one purpose of use, e.g. TREAT (an unknown code lists the valid ones)",
      ),
    )
    .addOption(optional("categories", CATEGORIES_HELP))
    .addOption(ADDRESS)
    .setAction(() => import("./check.js"))
    .build(),

  task(
    ["consent", "delegate"],
    "Appoint a delegate (guardian, proxy) with a scope until a date, or remove one",
  )
    .addOption(optional("delegate", "Required: the guardian or proxy"))
    .addOption(
      optional(
        "purposes",
        "Required to appoint: the purposes the delegate may grant, comma-separated HL7 codes, e.g. TREAT",
      ),
    )
    .addOption(
      optional(
        "categories",
        "The categories the delegate may grant, e.g. labs,medications; protected ones (mental-health, …) only when named here",
      ),
    )
    .addOption(optional("until", "End of the delegation, ISO date; or use --days"))
    .addOption(optional("days", "Length of the delegation in days; or use --until"))
    .addFlag({ name: "revoke", description: "Remove the delegate instead of appointing it" })
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./delegate.js"))
    .build(),

  task(
    ["consent", "cooldown"],
    "Show the break-glass cooldown per (responder, patient); as the admin, set it with --hours",
  )
    .addOption(optional("hours", "The new cooldown in hours (1 to 720)"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./cooldown.js"))
    .build(),

  task(["consent", "log"], "Show a patient's access log from events, break-glass flagged for audit")
    .addOption(optional("patient", "The patient (default: the account --from picks)"))
    .addOption(fromBlockOption())
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./log.js"))
    .build(),
  task(
    ["consent", "roles"],
    "Show an account's PatientConsent roles; as the admin, --grant or --revoke emergency (break-glass responders)",
  )
    .addOption(optional("account", "Required: the account"))
    .addOption(optional("grant", "A role to grant, by word, emergency"))
    .addOption(optional("revoke", "A role to revoke, by word"))
    .addOption(FROM)
    .addOption(ADDRESS)
    .setAction(() => import("./roles.js"))
    .build(),

  task(
    ["consent", "export"],
    "Write a patient's consents as a FHIR R4 Bundle of Consent resources (validated); needs no account",
  )
    .addOption(optional("fhir", "Required: the FHIR Bundle to write (JSON)"))
    .addOption(optional("patient", "Required: the patient's address"))
    .addOption(
      optional(
        "participants",
        "A participants file naming accounts by FHIR reference (see README)",
      ),
    )
    .addOption(fromBlockOption())
    .addOption(ADDRESS)
    .setAction(() => import("./export.js"))
    .build(),
];
