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

/** A scope to give: masks of purposes and categories (bigints or numbers from the vocabulary). */
export interface ScopeInput {
  readonly purposes: bigint | number;
  readonly categories: bigint | number;
}

/** A scope read back: the masks of purposes and categories, and their names. */
export interface ScopeView {
  readonly purposes: bigint;
  readonly categories: bigint;
  /** The purpose codes of `purposes`, e.g. `["TREAT", "HPAYMT"]`. */
  readonly purposeCodes: readonly string[];
  /** The category words of `categories`, e.g. `["medications", "labs"]`. */
  readonly categoryNames: readonly string[];
}

/**
 * The scope view of two masks.
 *
 * @example
 * scopeView(5n, 20n).purposeCodes; // ["TREAT", "HPAYMT"]
 */
export function scopeView(purposes: bigint, categories: bigint): ScopeView {
  return {
    purposes,
    categories,
    purposeCodes: purposeNames(purposes),
    categoryNames: categoryNames(categories),
  };
}

/** What a direct grant needs (every uint a bigint or a number from the vocabulary). */
export interface ConsentGrantInput extends ScopeInput {
  readonly patient: string;
  readonly grantee: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** The names of `IPatientConsent.ConsentState`, by value (`CONSENT_STATE_NAMES`). */
export const CONSENT_STATES = CONSENT_STATE_NAMES;

export { CONSENT_STATE_NAMES, consentStateName };
export type { ConsentStateName };

/** The latest consent of a (patient, grantee) pair, decoded for people. */
export interface ConsentView extends ScopeView {
  readonly patient: string;
  readonly grantee: string;
  readonly state: ConsentStateName;
  /** The consent id, or the zero hash when never granted. */
  readonly consentId: string;
  readonly start: bigint;
  readonly end: bigint;
  readonly serial: bigint;
  readonly revoked: boolean;
}

/** A delegation, decoded: its scope (what the delegate may grant), its end, whether it runs now. */
export interface DelegateView extends ScopeView {
  readonly until: bigint;
  readonly active: boolean;
}

/** What a delegation needs: who, what it may grant, and until when. */
export interface DelegationInput extends ScopeInput {
  readonly delegate: string;
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

/** A write that is one contract call: sends it and returns its receipt. */
function write<A extends unknown[]>(
  call: (consent: PatientConsent, ...args: A) => Promise<ContractTransactionResponse>,
): (consent: PatientConsent, ...args: A) => Promise<ConsentReceipt> {
  return (consent, ...args) => send(() => call(consent, ...args));
}

/** A grant or revocation: one contract call, its receipt with the consent id its event `name` carries. */
function writeForConsentId<A extends unknown[]>(
  name: "ConsentGranted" | "ConsentRevoked",
  call: (consent: PatientConsent, ...args: A) => Promise<ContractTransactionResponse>,
): (consent: PatientConsent, ...args: A) => Promise<GrantReceipt & RevokeReceipt> {
  return async (consent, ...args) => {
    const { sent, event } = await sendFor(consent, name, () => call(consent, ...args));
    return { ...sent, consentId: event.consentId };
  };
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
export const grantConsent = writeForConsentId(
  "ConsentGranted",
  (consent, { patient, grantee, purposes, categories, start, end }: ConsentGrantInput) =>
    consent.grantConsent(patient, grantee, purposes, categories, start, end),
);

/**
 * Submits a grant the patient signed (see `signConsentGrant`); anyone may submit it and pays
 * the gas.
 *
 * @example
 * const { consentId } = await grantConsentBySig(consent.connect(relayer), signed);
 */
export const grantConsentBySig = writeForConsentId(
  "ConsentGranted",
  (consent, signed: Pick<SignedConsentGrant, "grant" | "signature">) =>
    consent.grantConsentBySig(signed.grant, signed.signature),
);

/**
 * Revokes the consent `patient` gave `grantee`, as the patient or one of their delegates.
 *
 * @example
 * const { consentId } = await revokeConsent(consent.connect(patient), patient.address, clinic);
 */
export const revokeConsent = writeForConsentId(
  "ConsentRevoked",
  (consent, patient: string, grantee: string) => consent.revokeConsent(patient, grantee),
);

/**
 * Submits a revocation the patient signed (see `signConsentRevocation`); anyone may submit it.
 * Works while the contract is paused.
 *
 * @example
 * const { consentId } = await revokeConsentBySig(consent.connect(relayer), signed);
 */
export const revokeConsentBySig = writeForConsentId(
  "ConsentRevoked",
  (consent, signed: Pick<SignedConsentRevocation, "message" | "signature">) =>
    consent.revokeConsentBySig(signed.message, signed.signature),
);

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
export const setDelegate = write((consent, delegation: DelegationInput) =>
  consent.setDelegate(
    delegation.delegate,
    delegation.purposes,
    delegation.categories,
    delegation.until,
  ),
);

/**
 * Submits a delegate appointment the patient signed (see `signDelegateAppointment`).
 *
 * @example
 * await setDelegateBySig(consent.connect(relayer), signed);
 */
export const setDelegateBySig = write(
  (consent, signed: Pick<SignedDelegateAppointment, "message" | "signature">) =>
    consent.setDelegateBySig(signed.message, signed.signature),
);

/**
 * Submits a delegate removal the patient signed (see `signDelegateRemoval`). Works while paused.
 *
 * @example
 * await revokeDelegateBySig(consent.connect(relayer), signed);
 */
export const revokeDelegateBySig = write(
  (consent, signed: Pick<SignedDelegateRemoval, "message" | "signature">) =>
    consent.revokeDelegateBySig(signed.message, signed.signature),
);

/**
 * Removes the signer's delegate `delegate` at once.
 *
 * @example
 * await revokeDelegate(consent.connect(patient), guardian);
 */
export const revokeDelegate = write((consent, delegate: string) =>
  consent.revokeDelegate(delegate),
);

/**
 * Anchors the hash of an off-chain record about `patient`, as a provider the patient
 * authorized for TREAT on `categories`.
 *
 * @example
 * const recordHash = hashOffChainDocument(fhirBundleJson, salt);
 * await anchorRecord(consent.connect(clinic), patient, recordHash, parseCategories("labs"));
 */
export const anchorRecord = write(
  (consent, patient: string, recordHash: string, categories: bigint | number) =>
    consent.anchorRecord(patient, recordHash, categories),
);

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
export const endBreakGlass = write((consent, patient: string) => consent.endBreakGlass(patient));

/**
 * Sets the length of future break-glass windows (admin).
 *
 * @example
 * await setMaxBreakGlassDuration(consent.connect(admin), 12n * 3600n);
 */
export const setMaxBreakGlassDuration = write((consent, duration: bigint) =>
  consent.setMaxBreakGlassDuration(duration),
);

/**
 * Sets the wait between a responder's break-glass windows on the same patient (admin).
 *
 * @example
 * await setBreakGlassCooldown(consent.connect(admin), 24n * 3600n);
 */
export const setBreakGlassCooldown = write((consent, cooldown: bigint) =>
  consent.setBreakGlassCooldown(cooldown),
);

/**
 * Pauses new grants, delegations, anchors, access logs and break-glass windows (admin).
 *
 * @example
 * await pauseConsent(consent.connect(admin));
 */
export const pauseConsent = write((consent) => consent.pause());

/**
 * Resumes after `pauseConsent` (admin).
 *
 * @example
 * await unpauseConsent(consent.connect(admin));
 */
export const unpauseConsent = write((consent) => consent.unpause());

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
      ...scopeView(stored.purposes, stored.categories),
      start: stored.start,
      end: stored.end,
      serial: stored.serial,
      revoked: stored.revoked,
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
      ...scopeView(delegation.purposes, delegation.categories),
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
    // One block read at a time: the consent page reads through RPC endpoints that cap bursts.
    const blockTimes = new Map<number, bigint>();
    for (const { blockNumber } of [...accesses, ...opened, ...ended]) {
      if (blockTimes.has(blockNumber)) continue;
      const block = await consent.runner?.provider?.getBlock(blockNumber);
      blockTimes.set(blockNumber, BigInt(block?.timestamp ?? 0));
    }
    /** What every line carries, read from its log. */
    const line = <K extends AccessLogEntry["kind"]>(
      kind: K,
      log: {
        readonly blockNumber: number;
        readonly index: number;
        readonly transactionHash: string;
        readonly args: { readonly patient: string; readonly breakGlassId: bigint };
      },
    ) => ({
      kind,
      blockNumber: log.blockNumber,
      logIndex: log.index,
      transactionHash: log.transactionHash,
      timestamp: blockTimes.get(log.blockNumber) ?? 0n,
      patient: log.args.patient,
      breakGlassId: log.args.breakGlassId,
    });
    const entries: AccessLogEntry[] = [
      ...accesses.map((log): AccessLogAccess => ({
        ...line("access", log),
        accessor: log.args.accessor,
        provider: log.args.provider,
        recordHash: log.args.recordHash,
        purpose: log.args.purpose,
        consentId: log.args.consentId,
        flaggedForAudit: log.args.breakGlassId !== 0n,
      })),
      ...opened.map((log): AccessLogBreakGlassOpened => ({
        ...line("break-glass-opened", log),
        responder: log.args.responder,
        reasonHash: log.args.reasonHash,
        end: log.args.end,
        flaggedForAudit: true,
      })),
      ...ended.map((log): AccessLogBreakGlassEnded => ({
        ...line("break-glass-ended", log),
        responder: log.args.responder,
        flaggedForAudit: true,
      })),
    ];
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
