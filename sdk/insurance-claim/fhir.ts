import { getAddress, isAddress } from "ethers";
import type {
  Claim,
  ClaimItem,
  CodeableConcept,
  Device,
  ExplanationOfBenefit,
  ExplanationOfBenefitItemAdjudication,
  Identifier,
  Money,
  Reference,
} from "fhir/r4.js";

import type { InsuranceClaim } from "../../typechain-types/index.js";
import { parsePackCode } from "../drug-trace/gs1.js";
import type { PackCode } from "../drug-trace/gs1.js";
import { InputError } from "../errors.js";
import { FhirResourceError, hashFhirResource, requireValidFhir } from "../fhir.js";
import type { FhirProblem } from "../fhir.js";
import { parseDate } from "../dates.js";
import { NO_PARTICIPANTS } from "../participants.js";
import type { Participants } from "../participants.js";
import { patientResponsibility } from "./adjudication.js";
import { formatTokenAmount } from "./amounts.js";
import type { ExplanationOfBenefitsStatement } from "./client.js";
import { decodeServiceCode, encodeServiceCode } from "./fee-schedule.js";
import { describeReasonCode } from "./reason-codes.js";
import type { TokenInfo } from "./token.js";

/*
 * InsuranceClaim in HL7 FHIR R4, both ways.
 *
 * In: a FHIR Claim (one item: a service code, or a drug by GTIN whose dispensed pack is a
 * contained Device with the pack's GS1 element string as `udiCarrier.carrierHRF`) becomes the
 * terms of `submitClaim` / `submitDrugClaim`: patient, provider and insurer through the
 * participants file (or an identifier in the `urn:carechain:account` system), the policy from the
 * focal insurance's coverage identifier (system `urn:carechain:insurance-claim:policy`) or the
 * caller, the service date from the item (or the billable period, or `created`), the billed
 * amount from the item's net (or unit price × quantity). The evidence hash is the hash of the
 * canonical resource (`hashFhirResource`). Mismatches with the policy end with one line.
 *
 * Out: a claim's explanation of benefits as a FHIR ExplanationOfBenefit shaped after the CARIN
 * Blue Button profile where it fits: the unique claim id identifier (C4BBIdentifierType `uc`),
 * item and total adjudication with the HL7 adjudication codes (submitted, eligible, deductible,
 * benefit) and the CARIN C4BBAdjudication codes (coinsurance, noncovered, memberliability,
 * paidtoprovider), denial reasons as X12 claim adjustment reason codes, and the payment with the
 * transaction hash as its identifier. It does not claim conformance (`meta.profile`) to CARIN:
 * the CARIN StructureDefinitions are not part of the validator's R4 package.
 */

/** The identifier system of a policy id (Coverage identifier). */
export const POLICY_IDENTIFIER_SYSTEM = "urn:carechain:insurance-claim:policy";
/** The identifier system of an on-chain claim id. */
export const CLAIM_IDENTIFIER_SYSTEM = "urn:carechain:insurance-claim:claim";
/** The identifier system of an account (an address) no participants file entry names. */
export const ACCOUNT_IDENTIFIER_SYSTEM = "urn:carechain:account";
/** GS1 GTIN as a FHIR code system. */
export const GTIN_SYSTEM = "https://www.gs1.org/gtin";
/** HL7's adjudication value codes. */
export const ADJUDICATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/adjudication";
/** CARIN Blue Button's adjudication codes. */
export const CARIN_ADJUDICATION_SYSTEM =
  "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudication";
/** CARIN Blue Button's adjudication discriminator (denial reason). */
export const CARIN_DISCRIMINATOR_SYSTEM =
  "http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBAdjudicationDiscriminator";
/** X12 claim adjustment reason codes, the reason codes of `claims deny` and `claims void`. */
export const CARC_SYSTEM = "https://x12.org/codes/claim-adjustment-reason-codes";

/** What a FHIR Claim says, in the terms `claims submit` takes. */
export interface FhirClaimTerms {
  readonly patient: string;
  readonly provider: string;
  readonly insurer?: string;
  /** From the focal insurance's coverage identifier, when the Claim carries it. */
  readonly policyId?: bigint;
  /** A drug (by GTIN, with the dispensed pack) or a service code. */
  readonly service:
    | { readonly kind: "drug"; readonly gtin: string; readonly pack: PackCode }
    | { readonly kind: "service"; readonly system: string; readonly code: string };
  /** Unix seconds (UTC midnight of the service date). */
  readonly serviceDate: bigint;
  /** The billed amount as decimal text, e.g. "60.00", and its currency when given. */
  readonly billed: string;
  readonly currency?: string;
  /** keccak256 of the canonical Claim: the evidence hash. */
  readonly evidenceHash: string;
}

function accountOf(
  reference: Reference | undefined,
  participants: Participants,
  path: string,
  problems: FhirProblem[],
): string | undefined {
  if (reference === undefined) return undefined;
  const identifier = reference.identifier;
  if (identifier?.system === ACCOUNT_IDENTIFIER_SYSTEM && identifier.value !== undefined) {
    if (isAddress(identifier.value)) return getAddress(identifier.value);
    problems.push({ path: `${path}.identifier.value`, why: "must be a 0x address" });
    return undefined;
  }
  const name = reference.reference;
  if (name !== undefined) {
    const participant = participants.byFhirReference(name);
    if (participant !== undefined) return participant.account;
    problems.push({
      path: `${path}.reference`,
      why: `${name} is in no participants file entry (--participants) that gives its account`,
    });
    return undefined;
  }
  problems.push({
    path,
    why: `needs a reference listed in the participants file or an identifier in ${ACCOUNT_IDENTIFIER_SYSTEM}`,
  });
  return undefined;
}

function containedDevice(claim: Claim, item: ClaimItem): Device | undefined {
  const reference = item.udi?.[0]?.reference;
  if (reference?.startsWith("#") !== true) return undefined;
  return claim.contained?.find(
    (resource): resource is Device =>
      resource.resourceType === "Device" && resource.id === reference.slice(1),
  );
}

function billedOf(item: ClaimItem, claim: Claim): Money | undefined {
  if (item.net?.value !== undefined) return item.net;
  if (item.unitPrice?.value !== undefined) {
    const quantity = item.quantity?.value ?? 1;
    return { ...item.unitPrice, value: item.unitPrice.value * quantity };
  }
  return claim.total;
}

/**
 * The terms of a FHIR Claim (validated first with the R4 validator): who, which service or drug
 * pack, when, how much, and its evidence hash. Every problem is collected.
 *
 * @throws FhirResourceError listing every problem (one line each), e.g. "Claim.patient.reference:
 *   Patient/x is in no participants file entry…".
 * @example
 * const terms = readFhirClaimTerms(claim, participants, "examples/fhir-claim.json");
 */
export function readFhirClaimTerms(
  claim: Claim,
  participants: Participants = NO_PARTICIPANTS,
  source = "the FHIR Claim",
): FhirClaimTerms {
  requireValidFhir(claim, source);
  const problems: FhirProblem[] = [];
  if (claim.use !== "claim") {
    problems.push({
      path: "Claim.use",
      why: `is ${claim.use}; only a claim (not a preauthorization or predetermination) is submitted`,
    });
  }
  if (claim.status !== "active") {
    problems.push({
      path: "Claim.status",
      why: `is ${claim.status}; only an active Claim is submitted`,
    });
  }
  const patient = accountOf(claim.patient, participants, "Claim.patient", problems);
  const provider = accountOf(claim.provider, participants, "Claim.provider", problems);
  const insurer = accountOf(claim.insurer, participants, "Claim.insurer", problems);
  const focal = claim.insurance.find((insurance) => insurance.focal) ?? claim.insurance[0];
  let policyId: bigint | undefined;
  const policy = focal?.coverage.identifier;
  if (policy?.system === POLICY_IDENTIFIER_SYSTEM) {
    if (policy.value !== undefined && /^[1-9]\d{0,30}$/.test(policy.value))
      policyId = BigInt(policy.value);
    else
      problems.push({
        path: "Claim.insurance.coverage.identifier.value",
        why: "must be a policy id (1, 2, …)",
      });
  }
  const items = claim.item ?? [];
  if (items.length !== 1) {
    problems.push({
      path: "Claim.item",
      why: `has ${items.length} items; a claim on chain is one service or one dispensed pack: submit one Claim per item`,
    });
  }
  const item = items[0];
  let service: FhirClaimTerms["service"] | undefined;
  let serviceDate: bigint | undefined;
  let billed: Money | undefined;
  if (item !== undefined) {
    const codings = item.productOrService.coding ?? [];
    const gtin = codings.find((coding) => coding.system === GTIN_SYSTEM)?.code;
    if (gtin !== undefined) {
      const device = containedDevice(claim, item);
      const hrf = device?.udiCarrier?.[0]?.carrierHRF;
      if (hrf === undefined) {
        problems.push({
          path: "Claim.item[0].udi",
          why: "a drug claim names the dispensed pack: a contained Device whose udiCarrier.carrierHRF is the pack's GS1 element string",
        });
      } else {
        try {
          const pack = parsePackCode(hrf);
          if (pack.gtin !== gtin.padStart(14, "0")) {
            problems.push({
              path: "Claim.contained.Device.udiCarrier.carrierHRF",
              why: `names GTIN ${pack.gtin}, the item ${gtin}`,
            });
          } else service = { kind: "drug", gtin: pack.gtin, pack };
        } catch (error) {
          problems.push({
            path: "Claim.contained.Device.udiCarrier.carrierHRF",
            why: (error as Error).message,
          });
        }
      }
    } else {
      const coding = codings.find((candidate) => candidate.code !== undefined);
      if (coding?.code === undefined) {
        problems.push({
          path: "Claim.item[0].productOrService",
          why: "needs a coding with a code (e.g. CPT 99213, or a GTIN)",
        });
      } else {
        try {
          encodeServiceCode(coding.code);
          service = { kind: "service", system: coding.system ?? "", code: coding.code };
        } catch (error) {
          problems.push({
            path: "Claim.item[0].productOrService.coding.code",
            why: (error as Error).message,
          });
        }
      }
    }
    const date =
      item.servicedDate ??
      item.servicedPeriod?.start ??
      claim.billablePeriod?.start ??
      claim.created;
    try {
      serviceDate = parseDate(date.slice(0, 10), "service date");
    } catch (error) {
      problems.push({ path: "Claim.item[0].servicedDate", why: (error as Error).message });
    }
    billed = billedOf(item, claim);
    if (billed?.value === undefined) {
      problems.push({
        path: "Claim.item[0].net",
        why: "the billed amount is required (item net, unit price, or the Claim's total)",
      });
    } else if (billed.value <= 0) {
      problems.push({ path: "Claim.item[0].net.value", why: "must be more than zero" });
    }
  }
  if (
    problems.length > 0 ||
    patient === undefined ||
    provider === undefined ||
    service === undefined ||
    serviceDate === undefined ||
    billed?.value === undefined
  ) {
    throw new FhirResourceError(source, problems, "cannot be submitted");
  }
  return {
    patient,
    provider,
    ...(insurer === undefined ? {} : { insurer }),
    ...(policyId === undefined ? {} : { policyId }),
    service,
    serviceDate,
    billed: String(billed.value),
    ...(billed.currency === undefined ? {} : { currency: billed.currency }),
    evidenceHash: hashFhirResource(claim),
  };
}

/**
 * Checks a FHIR Claim's terms against the policy on chain and the account that will sign: the
 * policy exists and covers the Claim's patient on the service date, the pool's insurer is the
 * Claim's insurer, the signer is the Claim's provider, and the currency fits the pool's token.
 *
 * @throws InputError with one line naming the first mismatch.
 * @example
 * await checkFhirClaimTerms(claims, terms, policyId, signer.address, token);
 */
export async function checkFhirClaimTerms(
  claims: InsuranceClaim,
  terms: FhirClaimTerms,
  policyId: bigint,
  signer: string,
  token: Pick<TokenInfo, "symbol">,
): Promise<void> {
  const policy = await claims.policyOf(policyId);
  if (policy.planId === 0n) throw new InputError(`there is no policy ${policyId}`);
  if (policy.patient !== terms.patient) {
    throw new InputError(
      `the Claim's patient is ${terms.patient}; policy ${policyId} covers ${policy.patient}`,
    );
  }
  if (terms.serviceDate < policy.start || terms.serviceDate > policy.end) {
    throw new InputError(
      `the Claim's service date ${new Date(Number(terms.serviceDate) * 1000).toISOString().slice(0, 10)} is outside policy ${policyId}'s period`,
    );
  }
  const pool = await claims.poolOf((await claims.planOf(policy.planId)).poolId);
  if (terms.insurer !== undefined && pool.insurer !== terms.insurer) {
    throw new InputError(
      `the Claim's insurer is ${terms.insurer}; policy ${policyId} is paid by ${pool.insurer}`,
    );
  }
  if (getAddress(signer) !== terms.provider) {
    throw new InputError(
      `the Claim's provider is ${terms.provider}, but ${getAddress(signer)} would sign (--from)`,
    );
  }
  if (
    terms.currency !== undefined &&
    !token.symbol.toUpperCase().startsWith(terms.currency.toUpperCase())
  ) {
    throw new InputError(
      `the Claim bills in ${terms.currency}; policy ${policyId}'s pool pays in ${token.symbol}`,
    );
  }
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                    EXPLANATION OF BENEFIT                  */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

function partyReference(account: string, participants: Participants): Reference {
  const reference = participants.byAccount(account)?.fhir;
  return reference === undefined
    ? { identifier: { system: ACCOUNT_IDENTIFIER_SYSTEM, value: account } }
    : { reference };
}

function concept(system: string, code: string, display?: string): CodeableConcept {
  return { coding: [{ system, code, ...(display === undefined ? {} : { display }) }] };
}

/** The ISO 4217 currency of a stablecoin symbol (USDC → USD), when it names one. */
function currencyOf(symbol: string): string | undefined {
  const code = /^(USD|EUR|GBP|CHF|JPY)/.exec(symbol.toUpperCase())?.[1];
  return code;
}

const iso = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString();

/** Options of `explanationOfBenefitOf`. */
export interface EobOptions {
  readonly token: TokenInfo;
  /** The insurer of the claim's pool. */
  readonly insurer: string;
  readonly chainId: bigint;
  readonly participants?: Participants;
  /** When the EOB is issued (default: now). */
  readonly now?: Date;
}

/**
 * A claim's explanation of benefits as a FHIR R4 ExplanationOfBenefit (validated), shaped after
 * CARIN Blue Button where it fits.
 *
 * @throws FhirResourceError if the validator refuses it (a defect: please report it).
 * @example
 * const statement = await readExplanationOfBenefits(claims, 1n);
 * const eob = explanationOfBenefitOf(statement, { token, chainId: 31337n, participants });
 */
export function explanationOfBenefitOf(
  statement: ExplanationOfBenefitsStatement,
  options: EobOptions,
): ExplanationOfBenefit {
  const participants = options.participants ?? NO_PARTICIPANTS;
  const { eob, token } = { eob: statement.eob, token: options.token };
  const currency = currencyOf(token.symbol);
  const money = (amount: bigint): Money => ({
    value: Number(formatTokenAmount(amount, token.decimals)),
    ...(currency === undefined ? {} : { currency }),
  });
  const hl7 = (code: string): CodeableConcept => concept(ADJUDICATION_SYSTEM, code);
  const carin = (code: string): CodeableConcept => concept(CARIN_ADJUDICATION_SYSTEM, code);
  const pending = statement.state === "Submitted" || statement.state === "Appealed";
  const denied = statement.state === "Denied" || statement.state === "FinalDenied";
  const voided = statement.state === "Voided";
  const paid = statement.history.find((step) => step.kind === "paid");
  const adjudication: ExplanationOfBenefitItemAdjudication[] = [
    { category: hl7("submitted"), amount: money(eob.billed) },
    { category: carin("noncovered"), amount: money(eob.billed - eob.allowed) },
    { category: hl7("eligible"), amount: money(eob.allowed) },
  ];
  if (!pending && !denied && !voided) {
    adjudication.push(
      { category: hl7("deductible"), amount: money(eob.deductibleApplied) },
      { category: carin("coinsurance"), amount: money(eob.coinsurance) },
      { category: carin("memberliability"), amount: money(patientResponsibility(eob)) },
      { category: hl7("benefit"), amount: money(eob.payout) },
    );
  }
  if (paid !== undefined) {
    adjudication.push({
      category: carin("paidtoprovider"),
      amount: money(paid.amount ?? eob.payout),
    });
  }
  if (denied || voided) {
    adjudication.push({
      category: concept(CARIN_DISCRIMINATOR_SYSTEM, "denialreason"),
      reason: concept(
        CARC_SYSTEM,
        String(statement.reasonCode),
        describeReasonCode(statement.reasonCode),
      ),
    });
  }
  const drug = statement.drugUnit !== undefined;
  const code = decodeServiceCode(statement.serviceCode);
  const submitted = statement.history.find((step) => step.kind === "submitted");
  const claimIdentifier: Identifier = {
    type: concept("http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBIdentifierType", "uc"),
    system: CLAIM_IDENTIFIER_SYSTEM,
    value: statement.claimId.toString(),
  };
  const resource: ExplanationOfBenefit = {
    resourceType: "ExplanationOfBenefit",
    id: `claim-${statement.claimId}`,
    identifier: [claimIdentifier],
    status: voided ? "cancelled" : "active",
    type: concept(
      "http://terminology.hl7.org/CodeSystem/claim-type",
      drug ? "pharmacy" : "professional",
    ),
    use: "claim",
    patient: partyReference(statement.patient, participants),
    billablePeriod: { start: iso(statement.serviceDate).slice(0, 10) },
    created: (options.now ?? new Date()).toISOString(),
    insurer: partyReference(options.insurer, participants),
    provider: partyReference(statement.provider, participants),
    outcome: pending ? "queued" : "complete",
    disposition: pending
      ? "Pending adjudication"
      : denied
        ? `Denied: ${describeReasonCode(statement.reasonCode)}`
        : voided
          ? `Voided: ${describeReasonCode(statement.reasonCode)}`
          : statement.state === "Paid"
            ? "Paid"
            : "Approved",
    insurance: [
      {
        focal: true,
        coverage: {
          identifier: { system: POLICY_IDENTIFIER_SYSTEM, value: statement.policyId.toString() },
        },
      },
    ],
    item: [
      {
        sequence: 1,
        productOrService: drug ? concept(GTIN_SYSTEM, code) : { coding: [{ code }] },
        servicedDate: iso(statement.serviceDate).slice(0, 10),
        net: money(eob.billed),
        adjudication,
      },
    ],
    total: [
      { category: hl7("submitted"), amount: money(eob.billed) },
      { category: hl7("eligible"), amount: money(eob.allowed) },
      { category: hl7("benefit"), amount: money(pending || denied || voided ? 0n : eob.payout) },
    ],
  };
  if (submitted !== undefined) resource.created = iso(submitted.timestamp);
  if (paid !== undefined) {
    resource.payment = {
      type: concept("http://terminology.hl7.org/CodeSystem/ex-paymenttype", "complete"),
      date: iso(paid.timestamp).slice(0, 10),
      amount: money(paid.amount ?? eob.payout),
      identifier: {
        system: `urn:eip155:${options.chainId}:transaction`,
        value: paid.transactionHash,
      },
    };
  }
  requireValidFhir(resource, `the ExplanationOfBenefit of claim ${statement.claimId}`);
  return resource;
}
