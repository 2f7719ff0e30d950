import { concat, getBytes, hexlify, keccak256, randomBytes, toUtf8Bytes } from "ethers";
import type { BytesLike, ContractRunner, ContractTransactionResponse } from "ethers";

import { PatientConsent__factory } from "../../typechain-types/index.js";
import type { PatientConsent } from "../../typechain-types/index.js";
import { CareChainError } from "../errors.js";
import { CONSENT_STATE_NAMES, consentStateName } from "../states.js";
import type { ConsentStateName } from "../states.js";
import { attachContract, callDecoded, requireEvent, sendTransaction } from "../transactions.js";
import type { EventName, RevertDecoding, TransactionResult } from "../transactions.js";
import type {
  SignedConsentGrant,
  SignedConsentRevocation,
  SignedDelegateAppointment,
  SignedDelegateRemoval,
} from "./eip712.js";
import { categoryNames, purposeNames } from "./vocabulary.js";

/*
 * Typed wrappers over a `PatientConsent` contract (a TypeChain instance connected to the signer
 * that acts). Every call goes through `sdk/transactions.ts`, so a refusal surfaces as a
 * `ContractRevertError` named after the contract's custom error.
 */

/**
 * How PatientConsent reverts are decoded: its JSON ABI, so a state refusal reads as a sentence
 * ("consent (patient=0x…, grantee=0x…) is None; this needs it Pending or Active").
 */
export const PATIENT_CONSENT_DECODING: RevertDecoding = { abis: [PatientConsent__factory.abi] };

/**
 * The `PatientConsent` at `address`, connected to `runner`, after checking that code is deployed
 * there.
 *
 * @throws InputError when the address holds no contract on the runner's chain.
 * @example
 * const consent = await attachPatientConsent(signer, resolveSuiteAddress("PatientConsent", chainId, args.address));
 */
export async function attachPatientConsent(
  runner: ContractRunner,
  address: string,
): Promise<PatientConsent> {
  return attachContract(runner, address, (at, by) => PatientConsent__factory.connect(at, by));
}

/** What every write returns: the mined receipt, its gas and hash. */
export interface ConsentReceipt extends TransactionResult {
  /** The transaction's hash (the same as `hash`). */
  readonly transactionHash: string;
}

/** A grant mined: the consent id from `ConsentGranted`. */
export interface GrantReceipt extends ConsentReceipt {
  readonly consentId: string;
}

/** A revocation mined: the revoked consent's id from `ConsentRevoked`. */
export interface RevokeReceipt extends ConsentReceipt {
  readonly consentId: string;
}

/** A logged access: the consent or break-glass window that covered it (`AccessLogged`). */
export interface AccessReceipt extends ConsentReceipt {
  /** The covering consent's id, or the zero hash when break-glass covered the access. */
  readonly consentId: string;
  /** The covering break-glass window, or 0n when a consent covered the access. */
  readonly breakGlassId: bigint;
}

/** A break-glass window opened (`BreakGlassOpened`). */
export interface BreakGlassReceipt extends ConsentReceipt {
  readonly breakGlassId: bigint;
  readonly end: bigint;
}

/** A burned nonce (`NonceInvalidated`). */
export interface NonceReceipt extends ConsentReceipt {
  readonly nonce: bigint;
}

/** What a direct grant needs (every uint a bigint or a number from the vocabulary). */
export interface ConsentGrantInput {
  readonly patient: string;
  readonly grantee: string;
  readonly purposes: bigint | number;
  readonly categories: bigint | number;
  readonly start: bigint;
  readonly end: bigint;
}

/** The names of `IPatientConsent.ConsentState`, by value (`CONSENT_STATE_NAMES`). */
export const CONSENT_STATES = CONSENT_STATE_NAMES;

export { CONSENT_STATE_NAMES, consentStateName };
export type { ConsentStateName };

/** The latest consent of a (patient, grantee) pair, decoded for people. */
export interface ConsentView {
  readonly patient: string;
  readonly grantee: string;
  readonly state: ConsentStateName;
  /** The consent id, or the zero hash when never granted. */
  readonly consentId: string;
  readonly purposes: bigint;
  readonly categories: bigint;
  readonly start: bigint;
  readonly end: bigint;
  readonly serial: bigint;
  readonly revoked: boolean;
  /** The purpose codes of `purposes`, e.g. `["TREAT", "HPAYMT"]`. */
  readonly purposeCodes: readonly string[];
  /** The category words of `categories`, e.g. `["medications", "labs"]`. */
  readonly categoryNames: readonly string[];
}

/** A delegation, decoded: its scope, its end, whether it runs now. */
export interface DelegateView {
  readonly until: bigint;
  readonly active: boolean;
  /** The purposes the delegate may grant (mask). */
  readonly purposes: bigint;
  /** The categories the delegate may grant (mask). */
  readonly categories: bigint;
  /** The purpose codes of `purposes`. */
  readonly purposeCodes: readonly string[];
  /** The category words of `categories`. */
  readonly categoryNames: readonly string[];
}

/** What a delegation needs: who, what it may grant, and until when. */
export interface DelegationInput {
  readonly delegate: string;
  readonly purposes: bigint | number;
  readonly categories: bigint | number;
  readonly until: bigint;
}

/** A record anchor, decoded. */
export interface RecordView {
  readonly anchored: boolean;
  readonly patient: string;
  readonly categories: bigint;
  readonly anchoredAt: bigint;
  /** The provider whose namespace was read. */
  readonly provider: string;
}

/** A responder's latest break-glass window on a patient, decoded. */
export interface BreakGlassView {
  readonly breakGlassId: bigint;
  readonly openedAt: bigint;
  readonly end: bigint;
  /** Whether the window is open at `now` (the responder may since have lost `EMERGENCY_ROLE`). */
  readonly open: boolean;
}

interface LogEntryBase {
  readonly blockNumber: number;
  readonly logIndex: number;
  readonly transactionHash: string;
  /** Block time (unix seconds). */
  readonly timestamp: bigint;
  readonly patient: string;
  /** The break-glass window involved, or 0n. */
  readonly breakGlassId: bigint;
  /** True for everything that rests on break-glass. */
  readonly flaggedForAudit: boolean;
}

/** An `AccessLogged` event. */
export interface AccessLogAccess extends LogEntryBase {
  readonly kind: "access";
  readonly accessor: string;
  /** The provider in whose namespace the record is anchored. */
  readonly provider: string;
  readonly recordHash: string;
  readonly purpose: bigint;
  /** The covering consent, or the zero hash when break-glass covered the access. */
  readonly consentId: string;
}

/** A `BreakGlassOpened` event. */
export interface AccessLogBreakGlassOpened extends LogEntryBase {
  readonly kind: "break-glass-opened";
  readonly responder: string;
  readonly reasonHash: string;
  readonly end: bigint;
}

/** A `BreakGlassEnded` event. */
export interface AccessLogBreakGlassEnded extends LogEntryBase {
  readonly kind: "break-glass-ended";
  readonly responder: string;
}

/** One line of a patient's access log. */
export type AccessLogEntry = AccessLogAccess | AccessLogBreakGlassOpened | AccessLogBreakGlassEnded;

async function send(action: () => Promise<ContractTransactionResponse>): Promise<ConsentReceipt> {
  const sent = await sendTransaction(PATIENT_CONSENT_DECODING, action);
  return { ...sent, transactionHash: sent.hash };
}

/** Sends `action` and returns its receipt with the arguments of the event `name` it emitted. */
async function sendFor<K extends EventName<PatientConsent>>(
  consent: PatientConsent,
  name: K,
  action: () => Promise<ContractTransactionResponse>,
) {
  const sent = await send(action);
  return { sent, event: requireEvent(consent, sent.receipt, name) };
}

/** Sends `action` and returns its receipt with the consent id its grant or revocation event carries. */
async function sendForConsentId(
  consent: PatientConsent,
  name: "ConsentGranted" | "ConsentRevoked",
  action: () => Promise<ContractTransactionResponse>,
): Promise<GrantReceipt> {
  const { sent, event } = await sendFor(consent, name, action);
  return { ...sent, consentId: event.consentId };
}

function decoded<T>(action: () => Promise<T>): Promise<T> {
  return callDecoded(PATIENT_CONSENT_DECODING, action);
}

/**
 * Gives `grantee` consent for `purposes` on `categories` of `patient`'s data over
 * [`start`, `end`), as the patient or one of their delegates (the contract's signer).
 *
 * @example
 * const { consentId, gasUsed } = await grantConsent(consent.connect(patient), {
 *   patient: patient.address, grantee: clinic, purposes: parsePurposes("TREAT"),
 *   categories: parseCategories("labs,medications"), start: now, end: now + 30n * 86400n,
 * });
 */
export async function grantConsent(
  consent: PatientConsent,
  grant: ConsentGrantInput,
): Promise<GrantReceipt> {
  return sendForConsentId(consent, "ConsentGranted", () =>
    consent.grantConsent(
      grant.patient,
      grant.grantee,
      grant.purposes,
      grant.categories,
      grant.start,
      grant.end,
    ),
  );
}

/**
 * Submits a grant the patient signed (see `signConsentGrant`); anyone may submit it and pays
 * the gas.
 *
 * @example
 * const { consentId } = await grantConsentBySig(consent.connect(relayer), signed);
 */
export async function grantConsentBySig(
  consent: PatientConsent,
  signed: Pick<SignedConsentGrant, "grant" | "signature">,
): Promise<GrantReceipt> {
  return sendForConsentId(consent, "ConsentGranted", () =>
    consent.grantConsentBySig(signed.grant, signed.signature),
  );
}

/**
 * Revokes the consent `patient` gave `grantee`, as the patient or one of their delegates.
 *
 * @example
 * const { consentId } = await revokeConsent(consent.connect(patient), patient.address, clinic);
 */
export async function revokeConsent(
  consent: PatientConsent,
  patient: string,
  grantee: string,
): Promise<RevokeReceipt> {
  return sendForConsentId(consent, "ConsentRevoked", () => consent.revokeConsent(patient, grantee));
}

/**
 * Submits a revocation the patient signed (see `signConsentRevocation`); anyone may submit it.
 * Works while the contract is paused.
 *
 * @example
 * const { consentId } = await revokeConsentBySig(consent.connect(relayer), signed);
 */
export async function revokeConsentBySig(
  consent: PatientConsent,
  signed: Pick<SignedConsentRevocation, "message" | "signature">,
): Promise<RevokeReceipt> {
  return sendForConsentId(consent, "ConsentRevoked", () =>
    consent.revokeConsentBySig(signed.message, signed.signature),
  );
}

/**
 * Burns the signer's current nonce, so a grant it signed with it can no longer be submitted.
 *
 * @example
 * const { nonce } = await invalidateNonce(consent.connect(patient));
 */
export async function invalidateNonce(consent: PatientConsent): Promise<NonceReceipt> {
  const { sent, event } = await sendFor(consent, "NonceInvalidated", () =>
    consent.invalidateNonce(),
  );
  return { ...sent, nonce: event.nonce };
}

/**
 * Appoints `delegate` to grant `purposes` on `categories` and to revoke for the signer (the
 * patient) until `until`; protected categories only when `categories` names them.
 *
 * @example
 * await setDelegate(consent.connect(patient), {
 *   delegate: guardian, purposes: parsePurposes("TREAT"), categories: parseCategories("labs"),
 *   until: now + 365n * 86400n,
 * });
 */
export async function setDelegate(
  consent: PatientConsent,
  delegation: DelegationInput,
): Promise<ConsentReceipt> {
  return send(() =>
    consent.setDelegate(
      delegation.delegate,
      delegation.purposes,
      delegation.categories,
      delegation.until,
    ),
  );
}

/**
 * Submits a delegate appointment the patient signed (see `signDelegateAppointment`).
 *
 * @example
 * await setDelegateBySig(consent.connect(relayer), signed);
 */
export async function setDelegateBySig(
  consent: PatientConsent,
  signed: Pick<SignedDelegateAppointment, "message" | "signature">,
): Promise<ConsentReceipt> {
  return send(() => consent.setDelegateBySig(signed.message, signed.signature));
}

/**
 * Submits a delegate removal the patient signed (see `signDelegateRemoval`). Works while paused.
 *
 * @example
 * await revokeDelegateBySig(consent.connect(relayer), signed);
 */
export async function revokeDelegateBySig(
  consent: PatientConsent,
  signed: Pick<SignedDelegateRemoval, "message" | "signature">,
): Promise<ConsentReceipt> {
  return send(() => consent.revokeDelegateBySig(signed.message, signed.signature));
}

/**
 * Removes the signer's delegate `delegate` at once.
 *
 * @example
 * await revokeDelegate(consent.connect(patient), guardian);
 */
export async function revokeDelegate(
  consent: PatientConsent,
  delegate: string,
): Promise<ConsentReceipt> {
  return send(() => consent.revokeDelegate(delegate));
}

/**
 * Anchors the hash of an off-chain record about `patient`, as a provider the patient
 * authorized for TREAT on `categories`.
 *
 * @example
 * const recordHash = hashOffChainDocument(fhirBundleJson, salt);
 * await anchorRecord(consent.connect(clinic), patient, recordHash, parseCategories("labs"));
 */
export async function anchorRecord(
  consent: PatientConsent,
  patient: string,
  recordHash: string,
  categories: bigint | number,
): Promise<ConsentReceipt> {
  return send(() => consent.anchorRecord(patient, recordHash, categories));
}

/**
 * Logs the signer's access to record `recordHash` that `provider` anchored about `patient`, for
 * `purpose`; refused without a covering consent (or, for ETREAT, an open break-glass window).
 *
 * @example
 * const { consentId } = await logAccess(consent.connect(lab), patient, clinic, recordHash, PURPOSES.TREAT);
 */
export async function logAccess(
  consent: PatientConsent,
  patient: string,
  provider: string,
  recordHash: string,
  purpose: bigint | number,
): Promise<AccessReceipt> {
  const { sent, event } = await sendFor(consent, "AccessLogged", () =>
    consent.logAccess(patient, provider, recordHash, purpose),
  );
  return { ...sent, consentId: event.consentId, breakGlassId: event.breakGlassId };
}

/**
 * Opens a break-glass window for the signer (an `EMERGENCY_ROLE` holder) on `patient`.
 *
 * @example
 * const { breakGlassId, end } = await breakGlass(consent.connect(erDoctor), patient, incidentHash);
 */
export async function breakGlass(
  consent: PatientConsent,
  patient: string,
  reasonHash: string,
): Promise<BreakGlassReceipt> {
  const { sent, event } = await sendFor(consent, "BreakGlassOpened", () =>
    consent.breakGlass(patient, reasonHash),
  );
  return { ...sent, breakGlassId: event.breakGlassId, end: event.end };
}

/**
 * Closes the signer's open break-glass window on `patient` now.
 *
 * @example
 * await endBreakGlass(consent.connect(erDoctor), patient);
 */
export async function endBreakGlass(
  consent: PatientConsent,
  patient: string,
): Promise<ConsentReceipt> {
  return send(() => consent.endBreakGlass(patient));
}

/**
 * Sets the length of future break-glass windows (admin).
 *
 * @example
 * await setMaxBreakGlassDuration(consent.connect(admin), 12n * 3600n);
 */
export async function setMaxBreakGlassDuration(
  consent: PatientConsent,
  duration: bigint,
): Promise<ConsentReceipt> {
  return send(() => consent.setMaxBreakGlassDuration(duration));
}

/**
 * Sets the wait between a responder's break-glass windows on the same patient (admin).
 *
 * @example
 * await setBreakGlassCooldown(consent.connect(admin), 24n * 3600n);
 */
export async function setBreakGlassCooldown(
  consent: PatientConsent,
  cooldown: bigint,
): Promise<ConsentReceipt> {
  return send(() => consent.setBreakGlassCooldown(cooldown));
}

/**
 * Pauses new grants, delegations, anchors, access logs and break-glass windows (admin).
 *
 * @example
 * await pauseConsent(consent.connect(admin));
 */
export async function pauseConsent(consent: PatientConsent): Promise<ConsentReceipt> {
  return send(() => consent.pause());
}

/**
 * Resumes after `pauseConsent` (admin).
 *
 * @example
 * await unpauseConsent(consent.connect(admin));
 */
export async function unpauseConsent(consent: PatientConsent): Promise<ConsentReceipt> {
  return send(() => consent.unpause());
}

/**
 * Whether `grantee` may act for `purpose` on every category in `categories` of `patient`'s
 * data now (the contract's `isAuthorized`).
 *
 * @example
 * const ok = await checkAuthorization(consent, patient, insurer, PURPOSES.HPAYMT, 0);
 */
export async function checkAuthorization(
  consent: PatientConsent,
  patient: string,
  grantee: string,
  purpose: bigint | number,
  categories: bigint | number,
): Promise<boolean> {
  return decoded(() => consent.isAuthorized(patient, grantee, purpose, categories));
}

/**
 * Reads the latest consent `patient` gave `grantee`, with its state and id.
 *
 * @example
 * const view = await readConsent(consent, patient, clinic);
 * console.log(view.state, view.purposeCodes.join(","));
 */
export async function readConsent(
  consent: PatientConsent,
  patient: string,
  grantee: string,
): Promise<ConsentView> {
  return decoded(async () => {
    const [stored, state, consentId] = await Promise.all([
      consent.consentOf(patient, grantee),
      consent.consentStateOf(patient, grantee),
      consent.consentIdOf(patient, grantee),
    ]);
    return {
      patient,
      grantee,
      state: CONSENT_STATES[Number(state)] ?? "None",
      consentId,
      purposes: stored.purposes,
      categories: stored.categories,
      start: stored.start,
      end: stored.end,
      serial: stored.serial,
      revoked: stored.revoked,
      purposeCodes: purposeNames(stored.purposes),
      categoryNames: categoryNames(stored.categories),
    };
  });
}

/**
 * Reads whether `delegate` may act for `patient`, and until when.
 *
 * @example
 * const { active, until } = await readDelegate(consent, patient, guardian);
 */
export async function readDelegate(
  consent: PatientConsent,
  patient: string,
  delegate: string,
): Promise<DelegateView> {
  return decoded(async () => {
    const [delegation, active] = await Promise.all([
      consent.delegationOf(patient, delegate),
      consent.isDelegate(patient, delegate),
    ]);
    return {
      until: delegation.until,
      active,
      purposes: delegation.purposes,
      categories: delegation.categories,
      purposeCodes: purposeNames(delegation.purposes),
      categoryNames: categoryNames(delegation.categories),
    };
  });
}

/**
 * Reads the anchor of `recordHash` in `provider`'s namespace.
 *
 * @example
 * const { anchored, patient } = await readRecord(consent, clinic, recordHash);
 */
export async function readRecord(
  consent: PatientConsent,
  provider: string,
  recordHash: string,
): Promise<RecordView> {
  return decoded(async () => {
    const record = await consent.recordOf(provider, recordHash);
    return {
      anchored: record.anchoredAt !== 0n,
      patient: record.patient,
      categories: record.categories,
      anchoredAt: record.anchoredAt,
      provider,
    };
  });
}

/**
 * Reads `responder`'s latest break-glass window on `patient`; `open` is judged at `now`
 * (default: the latest block's time).
 *
 * @example
 * const { open, end } = await readBreakGlass(consent, patient, erDoctor);
 */
export async function readBreakGlass(
  consent: PatientConsent,
  patient: string,
  responder: string,
  now?: bigint,
): Promise<BreakGlassView> {
  return decoded(async () => {
    const window = await consent.breakGlassOf(patient, responder);
    const at = now ?? (await latestTimestamp(consent));
    return {
      breakGlassId: window.id,
      openedAt: window.openedAt,
      end: window.end,
      open: at < window.end,
    };
  });
}

/**
 * The latest block's time on the contract's chain (unix seconds).
 *
 * @example
 * const now = await latestTimestamp(consent);
 */
export async function latestTimestamp(consent: PatientConsent): Promise<bigint> {
  const provider = consent.runner?.provider;
  if (provider === undefined || provider === null) {
    throw new CareChainError("the PatientConsent instance is not connected to a provider");
  }
  const block = await provider.getBlock("latest");
  if (block === null) throw new CareChainError("the chain returned no latest block");
  return BigInt(block.timestamp);
}

/**
 * Rebuilds `patient`'s access log from events: every `AccessLogged`, and every break-glass
 * window opened or ended on them (flagged for audit), oldest first.
 *
 * @example
 * for (const entry of await readAccessLog(consent, patient)) {
 *   console.log(entry.kind, entry.flaggedForAudit);
 * }
 */
export async function readAccessLog(
  consent: PatientConsent,
  patient: string,
  fromBlock = 0,
): Promise<AccessLogEntry[]> {
  return decoded(async () => {
    const [accesses, opened, ended] = await Promise.all([
      consent.queryFilter(consent.filters.AccessLogged(patient), fromBlock),
      consent.queryFilter(consent.filters.BreakGlassOpened(undefined, patient), fromBlock),
      consent.queryFilter(consent.filters.BreakGlassEnded(undefined, patient), fromBlock),
    ]);
    const blockTimes = new Map<number, bigint>();
    const blockTime = async (blockNumber: number): Promise<bigint> => {
      const cached = blockTimes.get(blockNumber);
      if (cached !== undefined) return cached;
      const block = await consent.runner?.provider?.getBlock(blockNumber);
      const time = BigInt(block?.timestamp ?? 0);
      blockTimes.set(blockNumber, time);
      return time;
    };
    const entries: AccessLogEntry[] = [];
    for (const log of accesses) {
      entries.push({
        kind: "access",
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
        timestamp: await blockTime(log.blockNumber),
        patient: log.args.patient,
        accessor: log.args.accessor,
        provider: log.args.provider,
        recordHash: log.args.recordHash,
        purpose: log.args.purpose,
        consentId: log.args.consentId,
        breakGlassId: log.args.breakGlassId,
        flaggedForAudit: log.args.breakGlassId !== 0n,
      });
    }
    for (const log of opened) {
      entries.push({
        kind: "break-glass-opened",
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
        timestamp: await blockTime(log.blockNumber),
        patient: log.args.patient,
        responder: log.args.responder,
        reasonHash: log.args.reasonHash,
        end: log.args.end,
        breakGlassId: log.args.breakGlassId,
        flaggedForAudit: true,
      });
    }
    for (const log of ended) {
      entries.push({
        kind: "break-glass-ended",
        blockNumber: log.blockNumber,
        logIndex: log.index,
        transactionHash: log.transactionHash,
        timestamp: await blockTime(log.blockNumber),
        patient: log.args.patient,
        responder: log.args.responder,
        breakGlassId: log.args.breakGlassId,
        flaggedForAudit: true,
      });
    }
    return entries.sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  });
}

/**
 * The (salted) hash that stands for an off-chain document on chain: `keccak256(salt ‖ content)`.
 * Salt anything whose content could be guessed (a short lab result, a reason from a list), and
 * keep the salt with the document off chain.
 *
 * @example
 * const salt = randomSalt();
 * const recordHash = hashOffChainDocument(JSON.stringify(fhirBundle), salt);
 */
export function hashOffChainDocument(content: string | Uint8Array, salt: BytesLike): string {
  const bytes = typeof content === "string" ? toUtf8Bytes(content) : content;
  return keccak256(concat([getBytes(salt), bytes]));
}

/**
 * 32 random bytes to salt a document hash.
 *
 * @example
 * const salt = randomSalt(); // "0x…" (64 hex digits)
 */
export function randomSalt(): string {
  return hexlify(randomBytes(32));
}
