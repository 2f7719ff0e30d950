import {
  Contract,
  TypedDataEncoder,
  getAddress,
  hexlify,
  isAddress,
  isHexString,
  randomBytes,
  verifyTypedData,
} from "ethers";
import type { Provider, Signer, TypedDataDomain, TypedDataField } from "ethers";

import { InputError } from "../errors.js";

/** The EIP-712 domain name of `PatientConsent`. */
export const CONSENT_DOMAIN_NAME = "carechain PatientConsent";

/** The EIP-712 domain version of `PatientConsent`. */
export const CONSENT_DOMAIN_VERSION = "1";

/** The EIP-712 types of a signed grant (primary type `ConsentGrant`). */
export const CONSENT_GRANT_TYPES: Record<string, TypedDataField[]> = {
  ConsentGrant: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "purposes", type: "uint32" },
    { name: "categories", type: "uint32" },
    { name: "start", type: "uint48" },
    { name: "end", type: "uint48" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/**
 * The EIP-712 type string the contract hashes:
 * `ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)`.
 */
export const CONSENT_GRANT_TYPE_STRING: string =
  TypedDataEncoder.from(CONSENT_GRANT_TYPES).encodeType("ConsentGrant");

/** A grant as the patient signs it (every uint a bigint). */
export interface ConsentGrant {
  readonly patient: string;
  readonly grantee: string;
  readonly purposes: bigint;
  readonly categories: bigint;
  readonly start: bigint;
  readonly end: bigint;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** What `signConsentGrant` needs: the patient defaults to the signer, the nonce to the chain's. */
export interface ConsentGrantRequest {
  readonly patient?: string;
  readonly grantee: string;
  readonly purposes: bigint | number;
  readonly categories: bigint | number;
  readonly start: bigint;
  readonly end: bigint;
  readonly nonce?: bigint;
  readonly deadline: bigint;
}

/** A grant with the domain it was signed for and the signature: what a patient hands over. */
export interface SignedConsentGrant {
  readonly domain: {
    readonly name: string;
    readonly version: string;
    readonly chainId: bigint;
    readonly verifyingContract: string;
  };
  readonly grant: ConsentGrant;
  readonly signature: string;
}

/** The full EIP-712 payload of a grant, as wallets and `eth_signTypedData_v4` take it. */
export interface ConsentGrantTypedData {
  readonly domain: TypedDataDomain;
  readonly types: Record<string, TypedDataField[]>;
  readonly primaryType: "ConsentGrant";
  readonly message: ConsentGrant;
}

/**
 * Builds the EIP-712 typed data of a grant for `PatientConsent` at `verifyingContract` on
 * `chainId`.
 *
 * @example
 * const typed = buildConsentGrantTypedData(31337n, consentAddress, grant);
 * const signature = await signer.signTypedData(typed.domain, typed.types, typed.message);
 */
export function buildConsentGrantTypedData(
  chainId: bigint,
  verifyingContract: string,
  grant: ConsentGrant,
): ConsentGrantTypedData {
  return buildConsentActionTypedData("ConsentGrant", chainId, verifyingContract, grant);
}

/**
 * The digest the patient signs (the contract's `consentGrantDigest(grant)`).
 *
 * @example
 * const digest = hashConsentGrant(31337n, consentAddress, grant);
 */
export function hashConsentGrant(
  chainId: bigint,
  verifyingContract: string,
  grant: ConsentGrant,
): string {
  return hashConsentAction("ConsentGrant", chainId, verifyingContract, grant);
}

/**
 * The patient's next nonce for signed grants (`nonces(patient)` on the contract).
 *
 * @example
 * const nonce = await readConsentNonce(provider, consentAddress, patient);
 */
export async function readConsentNonce(
  runner: Provider | Signer,
  consentAddress: string,
  patient: string,
): Promise<bigint> {
  const consent = new Contract(
    consentAddress,
    ["function nonces(address patient) view returns (uint256)"],
    runner,
  );
  const nonces = consent.getFunction("nonces");
  return (await nonces.staticCall(patient)) as bigint;
}

/**
 * Signs a consent grant with any ethers `Signer` (a wallet, a JSON-RPC account, a hardware
 * signer): the chain id comes from the signer's provider, the patient defaults to the signer's
 * address and the nonce to the patient's current nonce on chain. For an ERC-1271 wallet, pass
 * the wallet's address as `patient` and its owner key as `signer`.
 *
 * @example
 * const signed = await signConsentGrant(patient, consentAddress, {
 *   grantee: insurer, purposes: parsePurposes("HPAYMT"), categories: 0,
 *   start: now, end: now + 365n * 86400n, deadline: now + 7n * 86400n,
 * });
 * await grantConsentBySig(consent.connect(relayer), signed);
 */
export async function signConsentGrant(
  signer: Signer,
  consentAddress: string,
  request: ConsentGrantRequest,
): Promise<SignedConsentGrant> {
  const { domain, message, signature } = await signAction(
    signer,
    consentAddress,
    "ConsentGrant",
    async (patient, provider) => ({
      patient,
      grantee: getAddress(request.grantee),
      purposes: BigInt(request.purposes),
      categories: BigInt(request.categories),
      start: request.start,
      end: request.end,
      nonce: request.nonce ?? (await readConsentNonce(provider, consentAddress, patient)),
      deadline: request.deadline,
    }),
    request.patient,
  );
  return { domain, grant: message, signature };
}

/**
 * The address whose key produced `signed.signature` (ECDSA). Equal to the patient for a patient
 * without code; for an ERC-1271 wallet it is the wallet's owner key, and only the contract can
 * say whether the wallet accepts it.
 *
 * @example
 * if (recoverConsentGrantSigner(signed) !== signed.grant.patient) console.warn("not the patient's key");
 */
export function recoverConsentGrantSigner(signed: SignedConsentGrant): string {
  return recoverConsentActionSigner({
    primaryType: "ConsentGrant",
    domain: signed.domain,
    message: signed.grant,
    signature: signed.signature,
  });
}

/**
 * Serializes a signed grant as JSON a patient can hand over (uints as decimal strings).
 *
 * @example
 * writeFileSync("grant.json", serializeSignedConsentGrant(signed));
 */
export function serializeSignedConsentGrant(signed: SignedConsentGrant): string {
  return serializeSigned(signed);
}

/** JSON of a signed grant or action: uints as decimal strings. */
function serializeSigned(signed: object): string {
  return JSON.stringify(
    signed,
    (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    2,
  );
}

function field(record: Record<string, unknown>, name: string, where: string): unknown {
  if (!Object.hasOwn(record, name))
    throw new InputError(`signed grant: ${where}${name} is missing`);
  return record[name];
}

function uintField(record: Record<string, unknown>, name: string, where: string): bigint {
  const value = field(record, name, where);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(value)) return BigInt(value);
  throw new InputError(`signed grant: ${where}${name} is not an unsigned integer`);
}

function addressField(record: Record<string, unknown>, name: string, where: string): string {
  const value = field(record, name, where);
  if (typeof value !== "string" || !isAddress(value)) {
    throw new InputError(`signed grant: ${where}${name} is not an address`);
  }
  return getAddress(value);
}

function objectField(
  record: Record<string, unknown>,
  name: string,
  where: string,
): Record<string, unknown> {
  const value = field(record, name, where);
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InputError(`signed grant: ${where}${name} is not an object`);
  }
  return value as Record<string, unknown>;
}

/** A signed grant's or action's JSON, checked as far as every kind shares it. */
interface SignedEnvelope {
  readonly root: Record<string, unknown>;
  readonly domain: SignedConsentGrant["domain"];
  readonly message: Record<string, unknown>;
  readonly signature: string;
}

/** Parses the JSON envelope of a signed `what` (grant or action) with its message under `messageKey`. */
function parseEnvelope(json: string, what: string, messageKey: string): SignedEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError(`signed ${what} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`signed ${what} is not a JSON object`);
  }
  const root = parsed as Record<string, unknown>;
  const domainRecord = objectField(root, "domain", "");
  const message = objectField(root, messageKey, "");
  const name = field(domainRecord, "name", "domain.");
  const version = field(domainRecord, "version", "domain.");
  if (name !== CONSENT_DOMAIN_NAME || version !== CONSENT_DOMAIN_VERSION) {
    throw new InputError(
      `signed ${what} is for domain '${String(name)}' version ${String(version)}, not '${CONSENT_DOMAIN_NAME}' version ${CONSENT_DOMAIN_VERSION}`,
    );
  }
  const signature = field(root, "signature", "");
  if (typeof signature !== "string" || !isHexString(signature) || signature.length < 4) {
    throw new InputError(`signed ${what}: signature is not a hex string`);
  }
  const domain = {
    name: CONSENT_DOMAIN_NAME,
    version: CONSENT_DOMAIN_VERSION,
    chainId: uintField(domainRecord, "chainId", "domain."),
    verifyingContract: addressField(domainRecord, "verifyingContract", "domain."),
  };
  return { root, domain, message, signature };
}

/**
 * Parses and checks a signed grant handed over as JSON (the output of
 * `serializeSignedConsentGrant` or `npx hardhat consent sign`).
 *
 * @example
 * const signed = parseSignedConsentGrant(readFileSync("grant.json", "utf8"));
 */
export function parseSignedConsentGrant(json: string): SignedConsentGrant {
  const { domain, message: grant, signature } = parseEnvelope(json, "grant", "grant");
  return {
    domain,
    grant: {
      patient: addressField(grant, "patient", "grant."),
      grantee: addressField(grant, "grantee", "grant."),
      purposes: uintField(grant, "purposes", "grant."),
      categories: uintField(grant, "categories", "grant."),
      start: uintField(grant, "start", "grant."),
      end: uintField(grant, "end", "grant."),
      nonce: uintField(grant, "nonce", "grant."),
      deadline: uintField(grant, "deadline", "grant."),
    },
    signature,
  };
}

/*
 * The other signed patient actions (IPatientConsent: revokeConsentBySig, setDelegateBySig,
 * revokeDelegateBySig). A revocation and a delegate removal carry an UNORDERED nonce (any
 * uint256, usable once per patient; `randomUnorderedNonce()`), so nobody can make them stale by
 * using the patient's sequential nonce first; an appointment carries the sequential
 * `nonces(patient)` like a grant.
 */

/** The EIP-712 types of a signed revocation (primary type `ConsentRevocation`). */
export const CONSENT_REVOCATION_TYPES: Record<string, TypedDataField[]> = {
  ConsentRevocation: [
    { name: "patient", type: "address" },
    { name: "grantee", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 types of a signed delegate appointment (primary type `DelegateAppointment`). */
export const DELEGATE_APPOINTMENT_TYPES: Record<string, TypedDataField[]> = {
  DelegateAppointment: [
    { name: "patient", type: "address" },
    { name: "delegate", type: "address" },
    { name: "purposes", type: "uint32" },
    { name: "categories", type: "uint32" },
    { name: "until", type: "uint48" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** The EIP-712 types of a signed delegate removal (primary type `DelegateRemoval`). */
export const DELEGATE_REMOVAL_TYPES: Record<string, TypedDataField[]> = {
  DelegateRemoval: [
    { name: "patient", type: "address" },
    { name: "delegate", type: "address" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
};

/** `ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)`. */
export const CONSENT_REVOCATION_TYPE_STRING: string =
  TypedDataEncoder.from(CONSENT_REVOCATION_TYPES).encodeType("ConsentRevocation");

/** `DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)`. */
export const DELEGATE_APPOINTMENT_TYPE_STRING: string = TypedDataEncoder.from(
  DELEGATE_APPOINTMENT_TYPES,
).encodeType("DelegateAppointment");

/** `DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)`. */
export const DELEGATE_REMOVAL_TYPE_STRING: string =
  TypedDataEncoder.from(DELEGATE_REMOVAL_TYPES).encodeType("DelegateRemoval");

/** A revocation as the patient signs it. */
export interface ConsentRevocation {
  readonly patient: string;
  readonly grantee: string;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** A delegate appointment as the patient signs it. */
export interface DelegateAppointment {
  readonly patient: string;
  readonly delegate: string;
  readonly purposes: bigint;
  readonly categories: bigint;
  readonly until: bigint;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** A delegate removal as the patient signs it. */
export interface DelegateRemoval {
  readonly patient: string;
  readonly delegate: string;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** The primary types of the four signed patient actions. */
export type ConsentActionType =
  "ConsentGrant" | "ConsentRevocation" | "DelegateAppointment" | "DelegateRemoval";

/** The message of each primary type. */
export interface ConsentActionMessages {
  readonly ConsentGrant: ConsentGrant;
  readonly ConsentRevocation: ConsentRevocation;
  readonly DelegateAppointment: DelegateAppointment;
  readonly DelegateRemoval: DelegateRemoval;
}

/** The EIP-712 types of each primary type. */
export const CONSENT_ACTION_TYPES: {
  readonly [K in ConsentActionType]: Record<string, TypedDataField[]>;
} = {
  ConsentGrant: CONSENT_GRANT_TYPES,
  ConsentRevocation: CONSENT_REVOCATION_TYPES,
  DelegateAppointment: DELEGATE_APPOINTMENT_TYPES,
  DelegateRemoval: DELEGATE_REMOVAL_TYPES,
};

/** The full EIP-712 payload of any signed patient action (what `eth_signTypedData_v4` takes). */
export interface ConsentActionTypedData<K extends ConsentActionType> {
  readonly domain: TypedDataDomain;
  readonly types: Record<string, TypedDataField[]>;
  readonly primaryType: K;
  readonly message: ConsentActionMessages[K];
}

/** A signed action with the domain it was signed for: what a patient hands to a relay. */
export interface SignedConsentAction<K extends ConsentActionType> {
  readonly primaryType: K;
  readonly domain: SignedConsentGrant["domain"];
  readonly message: ConsentActionMessages[K];
  readonly signature: string;
}

/** A signed revocation (`revokeConsentBySig`). */
export type SignedConsentRevocation = SignedConsentAction<"ConsentRevocation">;
/** A signed delegate appointment (`setDelegateBySig`). */
export type SignedDelegateAppointment = SignedConsentAction<"DelegateAppointment">;
/** A signed delegate removal (`revokeDelegateBySig`). */
export type SignedDelegateRemoval = SignedConsentAction<"DelegateRemoval">;

/**
 * Builds the EIP-712 typed data of any signed patient action for `PatientConsent` at
 * `verifyingContract` on `chainId`.
 *
 * @example
 * const typed = buildConsentActionTypedData("ConsentRevocation", 31337n, consentAddress, revocation);
 * const signature = await signer.signTypedData(typed.domain, typed.types, typed.message);
 */
export function buildConsentActionTypedData<K extends ConsentActionType>(
  primaryType: K,
  chainId: bigint,
  verifyingContract: string,
  message: ConsentActionMessages[K],
): ConsentActionTypedData<K> {
  return {
    domain: {
      name: CONSENT_DOMAIN_NAME,
      version: CONSENT_DOMAIN_VERSION,
      chainId,
      verifyingContract: getAddress(verifyingContract),
    },
    types: CONSENT_ACTION_TYPES[primaryType],
    primaryType,
    message,
  };
}

/**
 * The typed data of a revocation (the contract's `consentRevocationDigest` hashes it).
 *
 * @example
 * const typed = buildConsentRevocationTypedData(31337n, consentAddress, revocation);
 */
export function buildConsentRevocationTypedData(
  chainId: bigint,
  verifyingContract: string,
  revocation: ConsentRevocation,
): ConsentActionTypedData<"ConsentRevocation"> {
  return buildConsentActionTypedData("ConsentRevocation", chainId, verifyingContract, revocation);
}

/**
 * The typed data of a delegate appointment (`delegateAppointmentDigest`).
 *
 * @example
 * const typed = buildDelegateAppointmentTypedData(31337n, consentAddress, appointment);
 */
export function buildDelegateAppointmentTypedData(
  chainId: bigint,
  verifyingContract: string,
  appointment: DelegateAppointment,
): ConsentActionTypedData<"DelegateAppointment"> {
  return buildConsentActionTypedData(
    "DelegateAppointment",
    chainId,
    verifyingContract,
    appointment,
  );
}

/**
 * The typed data of a delegate removal (`delegateRemovalDigest`).
 *
 * @example
 * const typed = buildDelegateRemovalTypedData(31337n, consentAddress, removal);
 */
export function buildDelegateRemovalTypedData(
  chainId: bigint,
  verifyingContract: string,
  removal: DelegateRemoval,
): ConsentActionTypedData<"DelegateRemoval"> {
  return buildConsentActionTypedData("DelegateRemoval", chainId, verifyingContract, removal);
}

/**
 * The digest the patient signs for any action (equal to the contract's digest view of it).
 *
 * @example
 * const digest = hashConsentAction("DelegateRemoval", 31337n, consentAddress, removal);
 */
export function hashConsentAction<K extends ConsentActionType>(
  primaryType: K,
  chainId: bigint,
  verifyingContract: string,
  message: ConsentActionMessages[K],
): string {
  const typed = buildConsentActionTypedData(primaryType, chainId, verifyingContract, message);
  return TypedDataEncoder.hash(typed.domain, typed.types, typed.message);
}

/**
 * A fresh unordered nonce for a revocation or delegate removal: 256 random bits, so two
 * signatures never collide without the patient tracking anything.
 *
 * @example
 * const nonce = randomUnorderedNonce();
 */
export function randomUnorderedNonce(): bigint {
  return BigInt(hexlify(randomBytes(32)));
}

/**
 * Whether `patient` already used the unordered nonce `nonce` (`isRevocationNonceUsed`).
 *
 * @example
 * if (await readRevocationNonceUsed(provider, consentAddress, patient, nonce)) console.log("already used");
 */
export async function readRevocationNonceUsed(
  runner: Provider | Signer,
  consentAddress: string,
  patient: string,
  nonce: bigint,
): Promise<boolean> {
  const consent = new Contract(
    consentAddress,
    ["function isRevocationNonceUsed(address patient, uint256 nonce) view returns (bool)"],
    runner,
  );
  return (await consent.getFunction("isRevocationNonceUsed").staticCall(patient, nonce)) as boolean;
}

async function signAction<K extends ConsentActionType>(
  signer: Signer,
  consentAddress: string,
  primaryType: K,
  build: (patient: string, provider: Provider) => Promise<ConsentActionMessages[K]>,
  patientOverride: string | undefined,
): Promise<SignedConsentAction<K>> {
  const provider = signer.provider;
  if (provider === null) {
    throw new InputError("the signer is not connected to a provider, so the chain id is unknown");
  }
  if (!isAddress(consentAddress)) {
    throw new InputError(`${String(consentAddress)} is not a PatientConsent address`);
  }
  const patient = getAddress(patientOverride ?? (await signer.getAddress()));
  const { chainId } = await provider.getNetwork();
  const message = await build(patient, provider);
  const typed = buildConsentActionTypedData(primaryType, chainId, consentAddress, message);
  const signature = await signer.signTypedData(typed.domain, typed.types, typed.message);
  return {
    primaryType,
    domain: {
      name: CONSENT_DOMAIN_NAME,
      version: CONSENT_DOMAIN_VERSION,
      chainId,
      verifyingContract: getAddress(consentAddress),
    },
    message,
    signature,
  };
}

/** What `signConsentRevocation` needs: the patient defaults to the signer, the nonce to a random one. */
export interface ConsentRevocationRequest {
  readonly patient?: string;
  readonly grantee: string;
  readonly nonce?: bigint;
  readonly deadline: bigint;
}

/**
 * Signs a revocation with any ethers `Signer` (for an ERC-1271 wallet pass its address as
 * `patient`); the nonce defaults to a random unordered one.
 *
 * @example
 * const signed = await signConsentRevocation(patient, consentAddress, { grantee: clinic, deadline: now + 3600n });
 * await revokeConsentBySig(consent.connect(relayer), signed);
 */
export async function signConsentRevocation(
  signer: Signer,
  consentAddress: string,
  request: ConsentRevocationRequest,
): Promise<SignedConsentRevocation> {
  return signAction(
    signer,
    consentAddress,
    "ConsentRevocation",
    (patient) =>
      Promise.resolve({
        patient,
        grantee: getAddress(request.grantee),
        nonce: request.nonce ?? randomUnorderedNonce(),
        deadline: request.deadline,
      }),
    request.patient,
  );
}

/** What `signDelegateAppointment` needs: the nonce defaults to the patient's sequential one on chain. */
export interface DelegateAppointmentRequest {
  readonly patient?: string;
  readonly delegate: string;
  readonly purposes: bigint | number;
  readonly categories: bigint | number;
  readonly until: bigint;
  readonly nonce?: bigint;
  readonly deadline: bigint;
}

/**
 * Signs a delegate appointment with a scope (purposes and categories the delegate may grant).
 *
 * @example
 * const signed = await signDelegateAppointment(patient, consentAddress, {
 *   delegate: guardian, purposes: parsePurposes("TREAT"), categories: parseCategories("labs"),
 *   until: now + 365n * 86400n, deadline: now + 3600n,
 * });
 */
export async function signDelegateAppointment(
  signer: Signer,
  consentAddress: string,
  request: DelegateAppointmentRequest,
): Promise<SignedDelegateAppointment> {
  return signAction(
    signer,
    consentAddress,
    "DelegateAppointment",
    async (patient, provider) => ({
      patient,
      delegate: getAddress(request.delegate),
      purposes: BigInt(request.purposes),
      categories: BigInt(request.categories),
      until: request.until,
      nonce: request.nonce ?? (await readConsentNonce(provider, consentAddress, patient)),
      deadline: request.deadline,
    }),
    request.patient,
  );
}

/** What `signDelegateRemoval` needs: the nonce defaults to a random unordered one. */
export interface DelegateRemovalRequest {
  readonly patient?: string;
  readonly delegate: string;
  readonly nonce?: bigint;
  readonly deadline: bigint;
}

/**
 * Signs the removal of a delegate.
 *
 * @example
 * const signed = await signDelegateRemoval(patient, consentAddress, { delegate: guardian, deadline: now + 3600n });
 */
export async function signDelegateRemoval(
  signer: Signer,
  consentAddress: string,
  request: DelegateRemovalRequest,
): Promise<SignedDelegateRemoval> {
  return signAction(
    signer,
    consentAddress,
    "DelegateRemoval",
    (patient) =>
      Promise.resolve({
        patient,
        delegate: getAddress(request.delegate),
        nonce: request.nonce ?? randomUnorderedNonce(),
        deadline: request.deadline,
      }),
    request.patient,
  );
}

/**
 * The address whose key produced a signed action's signature (ECDSA); for an ERC-1271 wallet
 * only the contract can say whether the wallet accepts it.
 *
 * @example
 * if (recoverConsentActionSigner(signed) !== signed.message.patient) console.warn("not the patient's key");
 */
export function recoverConsentActionSigner<K extends ConsentActionType>(
  signed: SignedConsentAction<K>,
): string {
  const typed = buildConsentActionTypedData(
    signed.primaryType,
    signed.domain.chainId,
    signed.domain.verifyingContract,
    signed.message,
  );
  return verifyTypedData(typed.domain, typed.types, typed.message, signed.signature);
}

/**
 * Serializes any signed action as JSON (uints as decimal strings).
 *
 * @example
 * writeFileSync("revocation.json", serializeSignedConsentAction(signed));
 */
export function serializeSignedConsentAction<K extends ConsentActionType>(
  signed: SignedConsentAction<K>,
): string {
  return serializeSigned(signed);
}

/**
 * Parses and checks a signed revocation, delegate appointment or delegate removal handed over as
 * JSON (the output of `serializeSignedConsentAction`).
 *
 * @example
 * const signed = parseSignedConsentAction(readFileSync("revocation.json", "utf8"));
 * if (signed.primaryType === "ConsentRevocation") await revokeConsentBySig(consent, signed);
 */
export function parseSignedConsentAction(
  json: string,
): SignedConsentRevocation | SignedDelegateAppointment | SignedDelegateRemoval {
  try {
    return parseAction(json);
  } catch (error) {
    if (error instanceof InputError && error.message.startsWith("signed grant: ")) {
      throw new InputError(`signed action: ${error.message.slice("signed grant: ".length)}`);
    }
    throw error;
  }
}

function parseAction(
  json: string,
): SignedConsentRevocation | SignedDelegateAppointment | SignedDelegateRemoval {
  const { root, domain, message, signature } = parseEnvelope(json, "action", "message");
  const primaryType = field(root, "primaryType", "");
  const patient = addressField(message, "patient", "message.");
  const nonce = uintField(message, "nonce", "message.");
  const deadline = uintField(message, "deadline", "message.");
  switch (primaryType) {
    case "ConsentRevocation":
      return {
        primaryType,
        domain,
        message: {
          patient,
          grantee: addressField(message, "grantee", "message."),
          nonce,
          deadline,
        },
        signature,
      };
    case "DelegateAppointment":
      return {
        primaryType,
        domain,
        message: {
          patient,
          delegate: addressField(message, "delegate", "message."),
          purposes: uintField(message, "purposes", "message."),
          categories: uintField(message, "categories", "message."),
          until: uintField(message, "until", "message."),
          nonce,
          deadline,
        },
        signature,
      };
    case "DelegateRemoval":
      return {
        primaryType,
        domain,
        message: {
          patient,
          delegate: addressField(message, "delegate", "message."),
          nonce,
          deadline,
        },
        signature,
      };
    default:
      throw new InputError(
        `signed action: primaryType '${String(primaryType)}' is not ConsentRevocation, DelegateAppointment or DelegateRemoval`,
      );
  }
}
