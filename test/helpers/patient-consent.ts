import { expect } from "chai";
import { AbiCoder, ZeroHash, id, keccak256 } from "ethers";
import type { Signer } from "ethers";
import { network } from "hardhat";

import PatientConsentModule from "../../ignition/modules/PatientConsent.js";
import {
  ALL_CATEGORIES_MASK,
  ALL_PURPOSES_MASK,
  CATEGORIES,
  PURPOSES,
  buildConsentActionTypedData,
  buildConsentGrantTypedData,
} from "../../sdk/patient-consent/index.js";
import type {
  CategoryName,
  ConsentActionMessages,
  ConsentActionType,
  ConsentGrant,
  PurposeCode,
  SignedConsentAction,
} from "../../sdk/patient-consent/index.js";
import { expectRevert, refuses } from "./expect.js";
import type { Watch } from "./expect.js";
import { ConsentState, expectedStates } from "./states.js";

// What every test file of the job uses, so that it imports this one module as a namespace.
export * from "./expect.js";
export { ConsentState, expectedStates } from "./states.js";
// The SDK's vocabulary, which the tests hold the contract to.
export {
  CATEGORIES,
  PROTECTED_CATEGORIES_MASK,
  PURPOSES,
} from "../../sdk/patient-consent/index.js";

/*
 * What the PatientConsent tests (test/patient-consent/) share: the vocabulary, the one fixture
 * (the attack tests included), and the reader of the state a refused call must leave as it was.
 */

export const { ethers, networkHelpers, ignition } = await network.create();
export const { time } = networkHelpers;

export const HOUR = 3_600n;
export const DAY = 86_400n;

/** The purpose code as the contract's `uint8 purpose`. */
export const code = (purpose: PurposeCode): bigint => BigInt(PURPOSES[purpose]);
/** A mask of purposes. */
export const purposes = (...codes: PurposeCode[]): bigint =>
  codes.reduce((mask, purpose) => mask | (1n << code(purpose)), 0n);
/** A mask of categories. */
export const categories = (...names: CategoryName[]): bigint =>
  names.reduce((mask, name) => mask | (1n << BigInt(CATEGORIES[name])), 0n);

export const LABS_MEDS = categories("labs", "medications");
export const ALL_CATEGORIES = BigInt(ALL_CATEGORIES_MASK);
export const ALL_PURPOSES = BigInt(ALL_PURPOSES_MASK);
export const RECORD = id("salt-1|fhir-bundle-lab-report-2026-01");
export const GENETIC_RECORD = id("salt-2|fhir-bundle-genome-report");
export const REASON = id("salt-3|incident-2026-000123");

/** The expected-states bitmap for a revocation (Pending | Active). */
export const REVOCABLE = expectedStates(ConsentState.Pending, ConsentState.Active);

export const consentIdOf = (patient: string, grantee: string, serial: bigint): string =>
  keccak256(
    AbiCoder.defaultAbiCoder().encode(["address", "address", "uint64"], [patient, grantee, serial]),
  );

/**
 * PatientConsent through its Ignition module, a responder with EMERGENCY_ROLE, an ERC-1271 wallet
 * owned by the patient, and a second deployment on the same chain (for cross-contract replays).
 * The attack tests call signers 3 and 4 `squatter` and `puppet` (the insurer and the researcher
 * elsewhere).
 */
export async function deployConsentFixture() {
  const [admin, patient, clinic, insurer, researcher, guardian, stranger, responder, relayer] =
    await ethers.getSigners();
  const { patientConsent } = await ignition.deploy(PatientConsentModule, {
    parameters: { PatientConsent: { admin: admin!.address } },
  });
  const consent = await ethers.getContractAt("PatientConsent", await patientConsent.getAddress());
  const EMERGENCY_ROLE = await consent.EMERGENCY_ROLE();
  await consent.connect(admin).grantRole(EMERGENCY_ROLE, responder!.address);
  const wallet = await ethers.deployContract("MockERC1271Wallet", [patient!.address]);
  const other = await ethers.deployContract("PatientConsent", [0n, admin!.address, DAY]);
  return {
    consent,
    other,
    address: await consent.getAddress(),
    EMERGENCY_ROLE,
    wallet,
    walletAddress: await wallet.getAddress(),
    admin: admin!,
    patient: patient!,
    clinic: clinic!,
    insurer: insurer!,
    researcher: researcher!,
    squatter: insurer!,
    puppet: researcher!,
    guardian: guardian!,
    stranger: stranger!,
    responder: responder!,
    relayer: relayer!,
  };
}

export type Fixture = Awaited<ReturnType<typeof deployConsentFixture>>;

/** A Hardhat network connection (`network.create()`). */
export type Connection = Awaited<ReturnType<typeof network.create>>;

/**
 * PatientConsent through its Ignition module with the default parameters on another `connection`
 * (the task and FHIR tests make their own), with the signers every fixture names alike: the admin
 * (0), the patient (1), the clinic (2) and the insurer (3).
 */
export async function deployConsentOn(connection: Connection) {
  const [admin, patient, clinic, insurer] = await connection.ethers.getSigners();
  const { patientConsent } = await connection.ignition.deploy(PatientConsentModule);
  const address = await patientConsent.getAddress();
  const consent = await connection.ethers.getContractAt("PatientConsent", address);
  return { consent, address, admin: admin!, patient: patient!, clinic: clinic!, insurer: insurer! };
}

export const load = (): Promise<Fixture> => networkHelpers.loadFixture(deployConsentFixture);

export async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/**
 * `by` (the patient, or a delegate) grants `grantee` a consent on the fixture patient's behalf:
 * `grantConsent(patient, grantee, purposeMask, categoryMask, start, end)`.
 */
export function grantAs(
  f: Fixture,
  by: Signer,
  grantee: string,
  purposeMask: bigint,
  categoryMask: bigint,
  start: bigint,
  end: bigint,
) {
  return f.consent
    .connect(by)
    .grantConsent(f.patient.address, grantee, purposeMask, categoryMask, start, end);
}

/** The patient grants the clinic TREAT (no record categories) from `start` to `end`. */
export function grantTreatment(f: Fixture, start: bigint, end: bigint) {
  return grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), 0n, start, end);
}

/** The terms of `grantWith`; all but `start` have defaults. */
export interface GrantTerms {
  /** The patient (default: the fixture's). */
  patient?: string;
  /** Who sends it (default: the fixture's patient). */
  by?: Signer;
  /** Default: the clinic. */
  grantee?: string;
  /** Default: TREAT. */
  purposes?: bigint;
  /** Default: labs and medications. */
  categories?: bigint;
  start: bigint;
  /** Default: a day after `start`. */
  end?: bigint;
}

/** `grantConsent` with `terms` (by default the patient grants the clinic TREAT on labs + medications for a day). */
export function grantWith(f: Fixture, terms: GrantTerms) {
  return f.consent
    .connect(terms.by ?? f.patient)
    .grantConsent(
      terms.patient ?? f.patient.address,
      terms.grantee ?? f.clinic.address,
      terms.purposes ?? purposes("TREAT"),
      terms.categories ?? LABS_MEDS,
      terms.start,
      terms.end ?? terms.start + DAY,
    );
}

/** `by` grants `grantee` every purpose on every category from `start` to `end` (default: a day). */
export function grantEverything(
  f: Fixture,
  by: Signer,
  grantee: string,
  start: bigint,
  end = start + DAY,
) {
  return grantAs(f, by, grantee, ALL_PURPOSES, ALL_CATEGORIES, start, end);
}

/** The patient grants `grantee` TREAT + HPAYMT on labs and medications from `start` to `end`. */
export function grantTerms(f: Fixture, grantee: string, start: bigint, end: bigint) {
  return grantAs(f, f.patient, grantee, purposes("TREAT", "HPAYMT"), LABS_MEDS, start, end);
}

/** The patient grants `grantee` TREAT + HPAYMT on labs and medications for 30 days from now. */
export async function grantDefault(f: Fixture, grantee: Signer | string = f.clinic) {
  const start = await now();
  const end = start + 30n * DAY;
  const granteeAddress = typeof grantee === "string" ? grantee : await grantee.getAddress();
  await grantTerms(f, granteeAddress, start, end);
  return { start, end };
}

/**
 * A reader of everything a failed call could have touched (for `expectNothingChanged`): the
 * consents, delegations and break-glass windows of the patient, the wallet and the puppet with
 * every other party, their nonces, the anchored records, and the contract's settings.
 */
export function consentStateOf(f: Fixture): () => Promise<unknown[]> {
  return async () => {
    const { consent } = f;
    const parties = [f.clinic, f.insurer, f.researcher, f.guardian, f.stranger, f.responder];
    const patients = [f.patient.address, f.walletAddress, f.puppet.address];
    const pairs = patients.flatMap((patient) =>
      parties.map((other) =>
        Promise.all([
          consent.consentOf(patient, other.address),
          consent.consentStateOf(patient, other.address),
          consent.delegationOf(patient, other.address),
          consent.breakGlassOf(patient, other.address),
        ]),
      ),
    );
    const records = [RECORD, GENETIC_RECORD].flatMap((record) =>
      parties.map((other) => consent.recordOf(other.address, record)),
    );
    return Promise.all([
      ...pairs,
      ...records,
      ...patients.map((patient) => consent.nonces(patient)),
      consent.breakGlassCooldown(),
      consent.maxBreakGlassDuration(),
      consent.paused(),
      consent.hasRole(f.EMERGENCY_ROLE, f.responder.address),
    ]);
  };
}

/** `consentStateOf` with the PatientConsent contract, for `refuses`. */
export function watchConsent(f: Fixture): Watch {
  return { read: consentStateOf(f), contract: f.consent };
}

/** A grant with defaults (TREAT on labs + medications to the clinic for 30 days, deadline in a day). */
export async function draftGrant(
  f: Fixture,
  overrides: Partial<ConsentGrant> = {},
): Promise<ConsentGrant> {
  const start = await now();
  return {
    patient: f.patient.address,
    grantee: f.clinic.address,
    purposes: purposes("TREAT"),
    categories: LABS_MEDS,
    start,
    end: start + 30n * DAY,
    nonce: await f.consent.nonces(overrides.patient ?? f.patient.address),
    deadline: start + DAY,
    ...overrides,
  };
}

/** Signs `grant` with `signer` for `verifyingContract` on `chainId` (defaults: the fixture's). */
export async function sign(
  f: Fixture,
  signer: Signer,
  grant: ConsentGrant,
  domain: { chainId?: bigint; verifyingContract?: string } = {},
): Promise<string> {
  const chainId = domain.chainId ?? (await ethers.provider.getNetwork()).chainId;
  const typed = buildConsentGrantTypedData(chainId, domain.verifyingContract ?? f.address, grant);
  return signer.signTypedData(typed.domain, typed.types, typed.message);
}

/** Signs any action's typed data for `contract` on `chainId` with `signer`'s key. */
export async function signFor<K extends ConsentActionType>(
  signer: Signer,
  primaryType: K,
  message: ConsentActionMessages[K],
  contract: string,
  chainId = 31337n,
): Promise<string> {
  const typed =
    primaryType === "ConsentGrant"
      ? buildConsentGrantTypedData(chainId, contract, message as ConsentGrant)
      : buildConsentActionTypedData(primaryType, chainId, contract, message);
  return signer.signTypedData(typed.domain, typed.types, typed.message);
}

/** A grant by `patient` with nonce `nonce` (TREAT on labs + medications for 30 days). */
export async function grantMessage(
  f: Fixture,
  patient: string,
  nonce: bigint,
  grantee = f.clinic.address,
): Promise<ConsentGrant> {
  return draftGrant(f, { patient, grantee, nonce });
}

/** The relayer submits the patient's grant with nonce `nonce` (see `grantMessage`), signed by the patient. */
export async function relayGrant(f: Fixture, nonce: bigint) {
  const grant = await grantMessage(f, f.patient.address, nonce);
  return f.consent
    .connect(f.relayer)
    .grantConsentBySig(grant, await signFor(f.patient, "ConsentGrant", grant, f.address));
}

/** A signed revocation, appointment or removal (see `SignedConsentAction`): what `relayAction` submits. */
export type RelayedAction = {
  [K in Exclude<ConsentActionType, "ConsentGrant">]: Pick<
    SignedConsentAction<K>,
    "primaryType" | "message" | "signature"
  >;
}[Exclude<ConsentActionType, "ConsentGrant">];

/**
 * The relayer submits a signed action (`signConsentRevocation`, `signDelegateAppointment`,
 * `signDelegateRemoval`) through its `…BySig` function.
 */
export function relayAction(f: Fixture, signed: RelayedAction) {
  const relay = f.consent.connect(f.relayer);
  switch (signed.primaryType) {
    case "ConsentRevocation":
      return relay.revokeConsentBySig(signed.message, signed.signature);
    case "DelegateAppointment":
      return relay.setDelegateBySig(signed.message, signed.signature);
    case "DelegateRemoval":
      return relay.revokeDelegateBySig(signed.message, signed.signature);
  }
}

/** `by` logs an access to `record` (anchored by `provider`) of the fixture patient for `purpose`. */
export function logAs(
  f: Fixture,
  by: Signer,
  provider: string,
  record: string,
  purpose: PurposeCode,
) {
  return f.consent.connect(by).logAccess(f.patient.address, provider, record, code(purpose));
}

/** What `expectLogged` expects beside the caller and purpose (defaults: the clinic's RECORD, no consent, no window). */
export interface LoggedAccess {
  provider?: string;
  record?: string;
  /** The covering consent's id (ZeroHash under break-glass). */
  consentId?: string;
  /** The break-glass window's id (0 under a consent). */
  breakGlassId?: bigint;
}

/** `logAs(f, by, …)` for `purpose` succeeds and emits AccessLogged with exactly these values. */
export async function expectLogged(
  f: Fixture,
  by: Signer & { address: string },
  purpose: PurposeCode,
  access: LoggedAccess = {},
): Promise<void> {
  const { provider = f.clinic.address, record = RECORD } = access;
  const { consentId = ZeroHash, breakGlassId = 0n } = access;
  await expect(logAs(f, by, provider, record, purpose))
    .to.emit(f.consent, "AccessLogged")
    .withArgs(
      f.patient.address,
      record,
      by.address,
      provider,
      code(purpose),
      consentId,
      breakGlassId,
    );
}

/**
 * `by` logs an access to the clinic's RECORD for `purpose` in the last second before `end` (see
 * `expectLogged` for `access`) and is refused as `PatientConsentNotAuthorized` on the record's
 * `categoryMask` at `end`.
 */
export async function expectAccessUntil(
  f: Fixture,
  by: Signer & { address: string },
  purpose: PurposeCode,
  end: bigint,
  categoryMask: bigint,
  access: LoggedAccess = {},
): Promise<void> {
  await time.setNextBlockTimestamp(end - 1n);
  await expectLogged(f, by, purpose, access);
  await time.setNextBlockTimestamp(end);
  await expectRevert(
    logAs(f, by, f.clinic.address, RECORD, purpose),
    f.consent,
    "PatientConsentNotAuthorized",
    f.patient.address,
    by.address,
    code(purpose),
    categoryMask,
  );
}

/** Pauses the contract, then `call()` still succeeds and emits `event`. */
export async function expectEmitsWhilePaused(
  f: Fixture,
  event: string,
  call: () => Promise<unknown>,
): Promise<void> {
  await f.consent.connect(f.admin).pause();
  await expect(call()).to.emit(f.consent, event);
}

/**
 * `call()` is refused as `PatientConsentUnauthorizedCaller(caller, patient)`: `caller` is neither
 * the fixture patient nor its active delegate; nothing changes.
 */
export function refusesUnauthorizedCaller(
  f: Fixture,
  caller: { address: string },
  call: () => Promise<unknown>,
) {
  return refuses(
    watchConsent(f),
    "PatientConsentUnauthorizedCaller",
    [caller.address, f.patient.address],
    call,
  );
}

/** Whether `grantee` may use the fixture patient's records for `purpose` on `categoryMask` now. */
export function authorized(
  f: Fixture,
  grantee: string,
  purpose: PurposeCode,
  categoryMask: bigint,
): Promise<boolean> {
  return f.consent.isAuthorized(f.patient.address, grantee, code(purpose), categoryMask);
}

/** The patient appoints `delegate` for every purpose and category until `until`. */
export function appoint(f: Fixture, delegate: string, until: bigint) {
  return f.consent.connect(f.patient).setDelegate(delegate, ALL_PURPOSES, ALL_CATEGORIES, until);
}
