import { getAddress, isAddress } from "ethers";
import type { Bundle, Coding, Consent, ConsentProvision, Reference } from "fhir/r4.js";

import type { PatientConsent } from "../../typechain-types/index.js";
import { FhirResourceError, requireValidFhir } from "../fhir.js";
import type { FhirProblem } from "../fhir.js";
import { NO_PARTICIPANTS } from "../participants.js";
import type { Participants } from "../participants.js";
import { readConsent } from "./client.js";
import type { ConsentStateName } from "./client.js";
import type { ConsentGrant } from "./eip712.js";
import { categoryNames, PURPOSES, purposeNames } from "./vocabulary.js";
import type { CategoryName, PurposeCode } from "./vocabulary.js";

/*
 * PatientConsent in HL7 FHIR R4 Consent, both ways. Code systems:
 * - purposes: HL7 v3 ActReason (the PurposeOfUse codes), `provision.purpose`;
 * - ordinary data categories: FHIR resource types (`http://hl7.org/fhir/resource-types`, the
 *   ConsentContentClass value set) in `provision.class`: demographics = Patient, conditions =
 *   Condition, medications = MedicationStatement, allergies = AllergyIntolerance, labs =
 *   Observation, imaging = ImagingStudy, notes = DocumentReference, immunizations = Immunization;
 * - specially protected categories: HL7 v3 ActCode information sensitivity codes (the
 *   InformationSensitivityPolicy value set) in `provision.securityLabel`: mental health = PSY,
 *   substance use = ETH, genetics = GDIS, sexual and reproductive health = SEX;
 * - scope patient-privacy (consentscope), category LOINC 59284-0 (Patient Consent), policy rule
 *   v3 ActCode OPTIN, the grantee as the one actor with role v3 ParticipationType IRCP
 *   (information recipient), the on-chain consent id as an identifier
 *   (`urn:carechain:patient-consent:consent`).
 * What the chain cannot hold (nested or data-level provisions, deny provisions, codes outside
 * these systems, several grantees) is refused with one line each, never dropped.
 */

/** The HL7 v3 ActReason code system (PurposeOfUse). */
export const PURPOSE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
/** FHIR resource types, the codes of Consent.provision.class (ConsentContentClass). */
export const CLASS_SYSTEM = "http://hl7.org/fhir/resource-types";
/** HL7 v3 ActCode: information sensitivity codes and OPTIN. */
export const ACT_CODE_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
/** The identifier system of an on-chain consent id. */
export const CONSENT_IDENTIFIER_SYSTEM = "urn:carechain:patient-consent:consent";
/** The identifier system of an account no participants file entry names. */
export const ACCOUNT_SYSTEM = "urn:carechain:account";

/** Each ordinary category's FHIR resource type, each protected one's sensitivity code. */
export const CATEGORY_CODES: Readonly<Record<CategoryName, { system: string; code: string }>> = {
  demographics: { system: CLASS_SYSTEM, code: "Patient" },
  conditions: { system: CLASS_SYSTEM, code: "Condition" },
  medications: { system: CLASS_SYSTEM, code: "MedicationStatement" },
  allergies: { system: CLASS_SYSTEM, code: "AllergyIntolerance" },
  labs: { system: CLASS_SYSTEM, code: "Observation" },
  imaging: { system: CLASS_SYSTEM, code: "ImagingStudy" },
  notes: { system: CLASS_SYSTEM, code: "DocumentReference" },
  immunizations: { system: CLASS_SYSTEM, code: "Immunization" },
  "mental-health": { system: ACT_CODE_SYSTEM, code: "PSY" },
  "substance-use": { system: ACT_CODE_SYSTEM, code: "ETH" },
  genetics: { system: ACT_CODE_SYSTEM, code: "GDIS" },
  "sexual-reproductive-health": { system: ACT_CODE_SYSTEM, code: "SEX" },
};

const iso = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString();

function reference(account: string, participants: Participants): Reference {
  const fhir = participants.byAccount(account)?.fhir;
  return fhir === undefined
    ? { identifier: { system: ACCOUNT_SYSTEM, value: account } }
    : { reference: fhir };
}

/** What the chain says about one granted consent: the grant's terms, its id, time and state. */
export interface ConsentRecord extends Omit<ConsentGrant, "nonce" | "deadline"> {
  readonly consentId: string;
  readonly grantedAt: bigint;
  readonly state: ConsentStateName | "Superseded";
}

/**
 * A consent as a FHIR R4 Consent resource (not yet validated).
 *
 * @example
 * const resource = consentResourceOf(record, participants);
 */
export function consentResourceOf(
  record: ConsentRecord,
  participants: Participants = NO_PARTICIPANTS,
): Consent {
  const codes = categoryNames(record.categories).map(
    (name) => CATEGORY_CODES[name as CategoryName],
  );
  const provision: ConsentProvision = {
    type: "permit",
    period: { start: iso(record.start), end: iso(record.end) },
    actor: [
      {
        role: {
          coding: [
            { system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP" },
          ],
        },
        reference: reference(record.grantee, participants),
      },
    ],
    purpose: purposeNames(record.purposes).map((code) => ({ system: PURPOSE_SYSTEM, code })),
  };
  const classes = codes.filter((c) => c.system === CLASS_SYSTEM);
  const labels = codes.filter((c) => c.system === ACT_CODE_SYSTEM);
  if (classes.length > 0) provision.class = classes.map((c) => ({ ...c }));
  if (labels.length > 0) provision.securityLabel = labels.map((c) => ({ ...c }));
  return {
    resourceType: "Consent",
    id: record.consentId.slice(2, 66),
    identifier: [{ system: CONSENT_IDENTIFIER_SYSTEM, value: record.consentId }],
    status:
      record.state === "Active" ? "active" : record.state === "Pending" ? "proposed" : "inactive",
    scope: {
      coding: [
        { system: "http://terminology.hl7.org/CodeSystem/consentscope", code: "patient-privacy" },
      ],
    },
    category: [{ coding: [{ system: "http://loinc.org", code: "59284-0" }] }],
    patient: reference(record.patient, participants),
    dateTime: iso(record.grantedAt),
    policyRule: { coding: [{ system: ACT_CODE_SYSTEM, code: "OPTIN" }] },
    provision,
  };
}

/**
 * Every consent `patient` granted, as a validated FHIR R4 Bundle (type collection) of Consent
 * resources, oldest first: the latest consent per grantee with its state on chain (active,
 * proposed for a future start, inactive when expired or revoked), earlier ones inactive.
 *
 * @example
 * const bundle = await exportConsentBundle(consent, patient, { participants });
 */
export async function exportConsentBundle(
  consent: PatientConsent,
  patient: string,
  options: {
    readonly participants?: Participants;
    readonly fromBlock?: number;
    readonly now?: Date;
  } = {},
): Promise<{ bundle: Bundle; records: ConsentRecord[] }> {
  const who = getAddress(patient);
  const events = await consent.queryFilter(
    consent.filters.ConsentGranted(undefined, who),
    options.fromBlock ?? 0,
  );
  const provider = consent.runner?.provider;
  const records: ConsentRecord[] = [];
  for (const event of events) {
    const { consentId, grantee, purposes, categories, start, end } = event.args;
    const current = await readConsent(consent, who, grantee);
    const block = await provider?.getBlock(event.blockNumber);
    records.push({
      consentId,
      patient: who,
      grantee,
      purposes,
      categories,
      start,
      end,
      grantedAt: BigInt(block?.timestamp ?? 0),
      state: current.consentId === consentId ? current.state : "Superseded",
    });
  }
  const participants = options.participants ?? NO_PARTICIPANTS;
  const bundle: Bundle = {
    resourceType: "Bundle",
    type: "collection",
    timestamp: (options.now ?? new Date()).toISOString(),
    entry: records.map((record) => ({
      fullUrl: `urn:uuid:${uuidOf(record.consentId)}`,
      resource: consentResourceOf(record, participants),
    })),
  };
  requireValidFhir(bundle, `the Consent Bundle of ${who}`);
  return { bundle, records };
}

/** A deterministic UUID-shaped name for a consent id (its first 128 bits). */
function uuidOf(consentId: string): string {
  const hex = consentId.slice(2, 34);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/** What a FHIR Consent grants, in the words `consent grant` and `consent sign` take. */
export interface FhirConsentTerms {
  readonly patient: string;
  readonly grantee: string;
  /** Purpose codes, comma-separated, e.g. "TREAT,HPAYMT". */
  readonly purposes: string;
  /** Category words, comma-separated ("" for none). */
  readonly categories: string;
  /** ISO date-time, when the Consent's provision period has a start. */
  readonly start?: string;
  /** ISO date-time. */
  readonly until: string;
}

function accountOf(
  ref: Reference | undefined,
  participants: Participants,
  path: string,
  problems: FhirProblem[],
): string | undefined {
  if (ref?.identifier?.system === ACCOUNT_SYSTEM && ref.identifier.value !== undefined) {
    if (isAddress(ref.identifier.value)) return getAddress(ref.identifier.value);
    problems.push({ path: `${path}.identifier.value`, why: "must be a 0x address" });
    return undefined;
  }
  if (ref?.reference !== undefined) {
    const account = participants.byFhirReference(ref.reference)?.account;
    if (account === undefined) {
      problems.push({
        path: `${path}.reference`,
        why: `${ref.reference} is in no participants file entry (--participants) that gives its account`,
      });
    }
    return account;
  }
  problems.push({
    path,
    why: `needs a reference listed in the participants file or an identifier in ${ACCOUNT_SYSTEM}`,
  });
  return undefined;
}

const UNSUPPORTED_PROVISION_FIELDS: readonly [keyof ConsentProvision, string][] = [
  [
    "provision",
    "nested provisions (exceptions) cannot be represented on chain: a consent is one permit",
  ],
  [
    "data",
    "data-level provisions (specific resources) cannot be represented on chain: consent covers whole categories",
  ],
  [
    "dataPeriod",
    "a data period cannot be represented on chain: consent covers the categories' data of any date",
  ],
  [
    "code",
    "provision codes cannot be represented on chain: use class and securityLabel for categories",
  ],
  ["action", "actions cannot be represented on chain: a consent permits access for its purposes"],
];

/**
 * What a FHIR Consent (validated first) grants, or every reason it cannot be granted on chain.
 *
 * @throws FhirResourceError listing every problem, one line each.
 * @example
 * const terms = readFhirConsentTerms(resource, participants, "consent.json");
 */
export function readFhirConsentTerms(
  resource: Consent,
  participants: Participants = NO_PARTICIPANTS,
  source = "the FHIR Consent",
): FhirConsentTerms {
  requireValidFhir(resource, source);
  const problems: FhirProblem[] = [];
  if (resource.status !== "active" && resource.status !== "proposed") {
    problems.push({
      path: "Consent.status",
      why: `is ${resource.status}; only an active or proposed Consent is granted`,
    });
  }
  const scope = resource.scope.coding?.[0]?.code;
  if (scope !== "patient-privacy") {
    problems.push({
      path: "Consent.scope",
      why: `is ${scope ?? "uncoded"}; PatientConsent holds patient-privacy consents`,
    });
  }
  const patient = accountOf(resource.patient, participants, "Consent.patient", problems);
  const provision = resource.provision;
  let grantee: string | undefined;
  const purposes: PurposeCode[] = [];
  const categories: CategoryName[] = [];
  let until: string | undefined;
  let start: string | undefined;
  if (provision === undefined) {
    problems.push({
      path: "Consent.provision",
      why: "a consent on chain is a permit with an actor, purposes and a period",
    });
  } else {
    if (provision.type !== "permit") {
      problems.push({
        path: "Consent.provision.type",
        why: `is ${provision.type ?? "missing"}; the chain holds permits only (a revocation is 'consent revoke')`,
      });
    }
    for (const [field, why] of UNSUPPORTED_PROVISION_FIELDS) {
      if (provision[field] !== undefined)
        problems.push({ path: `Consent.provision.${field}`, why });
    }
    const actors = provision.actor ?? [];
    if (actors.length !== 1) {
      problems.push({
        path: "Consent.provision.actor",
        why: `has ${actors.length} actors; a consent on chain names one grantee: one Consent per grantee`,
      });
    } else {
      grantee = accountOf(
        actors[0]?.reference,
        participants,
        "Consent.provision.actor[0].reference",
        problems,
      );
    }
    const codeOf = (coding: Coding, path: string, system: string): string | undefined => {
      if (coding.system !== system || coding.code === undefined) {
        problems.push({
          path,
          why: `${coding.system ?? "(no system)"}|${coding.code ?? ""} is not a code carechain maps: use ${system}`,
        });
        return undefined;
      }
      return coding.code;
    };
    (provision.purpose ?? []).forEach((coding, i) => {
      const code = codeOf(coding, `Consent.provision.purpose[${i}]`, PURPOSE_SYSTEM);
      if (code === undefined) return;
      if (Object.hasOwn(PURPOSES, code)) purposes.push(code as PurposeCode);
      else
        problems.push({
          path: `Consent.provision.purpose[${i}]`,
          why: `${code} is not a purpose PatientConsent knows (${Object.keys(PURPOSES).join(", ")})`,
        });
    });
    if (purposes.length === 0 && (provision.purpose ?? []).length === 0) {
      problems.push({
        path: "Consent.provision.purpose",
        why: "at least one purpose of use is required",
      });
    }
    const byCode = (system: string, code: string): CategoryName | undefined =>
      (Object.entries(CATEGORY_CODES) as [CategoryName, { system: string; code: string }][]).find(
        ([, value]) => value.system === system && value.code === code,
      )?.[0];
    // Categories come as data classes and as security labels (the protected ones).
    const categoryElements = [
      ["class", CLASS_SYSTEM, "a data category PatientConsent holds"],
      [
        "securityLabel",
        ACT_CODE_SYSTEM,
        "a protected category PatientConsent holds (PSY, ETH, GDIS, SEX)",
      ],
    ] as const;
    for (const [element, system, what] of categoryElements) {
      (provision[element] ?? []).forEach((coding, i) => {
        const path = `Consent.provision.${element}[${i}]`;
        const code = codeOf(coding, path, system);
        if (code === undefined) return;
        const name = byCode(system, code);
        if (name === undefined) problems.push({ path, why: `${code} is not ${what}` });
        else categories.push(name);
      });
    }
    until = provision.period?.end;
    start = provision.period?.start;
    if (until === undefined) {
      problems.push({
        path: "Consent.provision.period.end",
        why: "a consent on chain ends: give the period's end",
      });
    }
  }
  if (
    problems.length > 0 ||
    patient === undefined ||
    grantee === undefined ||
    until === undefined
  ) {
    throw new FhirResourceError(source, problems, "cannot be granted on chain");
  }
  return {
    patient,
    grantee,
    purposes: purposes.join(","),
    categories: categories.join(","),
    ...(start === undefined ? {} : { start }),
    until,
  };
}
