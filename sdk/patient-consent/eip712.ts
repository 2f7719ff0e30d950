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

/**
 * The EIP-712 type string of each signed patient action, as the contract hashes it: the one
 * definition the types, messages and parsers below are read from.
 */
const ACTION_TYPE_STRINGS = {
  ConsentGrant:
    "ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)",
  ConsentRevocation:
    "ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)",
  DelegateAppointment:
    "DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)",
  DelegateRemoval:
    "DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)",
} as const;

/** The primary types of the four signed patient actions. */
export type ConsentActionType = keyof typeof ACTION_TYPE_STRINGS;

/** The EIP-712 fields of a type string, e.g. `[{ name: "patient", type: "address" }, …]`. */
function fieldsOf(typeString: string): TypedDataField[] {
  const body = typeString.slice(typeString.indexOf("(") + 1, -1);
  return body.split(",").map((declaration) => {
    const [type = "", name = ""] = declaration.split(" ");
    return { name, type };
  });
}

/** The EIP-712 types of each primary type. */
export const CONSENT_ACTION_TYPES: {
  readonly [K in ConsentActionType]: Record<string, TypedDataField[]>;
} = {
  ConsentGrant: { ConsentGrant: fieldsOf(ACTION_TYPE_STRINGS.ConsentGrant) },
  ConsentRevocation: { ConsentRevocation: fieldsOf(ACTION_TYPE_STRINGS.ConsentRevocation) },
  DelegateAppointment: { DelegateAppointment: fieldsOf(ACTION_TYPE_STRINGS.DelegateAppointment) },
  DelegateRemoval: { DelegateRemoval: fieldsOf(ACTION_TYPE_STRINGS.DelegateRemoval) },
};

/** The EIP-712 types of a signed grant (primary type `ConsentGrant`). */
export const CONSENT_GRANT_TYPES = CONSENT_ACTION_TYPES.ConsentGrant;

/**
 * The EIP-712 type string the contract hashes:
 * `ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)`.
 */
export const CONSENT_GRANT_TYPE_STRING: string = ACTION_TYPE_STRINGS.ConsentGrant;

/** What every signed patient action carries: whose it is, its nonce and its deadline. */
interface PatientSigned {
  readonly patient: string;
  readonly nonce: bigint;
  readonly deadline: bigint;
}

/** The scope a grant gives or a delegate may grant: masks of purposes and of categories. */
interface SignedScope {
  readonly purposes: bigint;
  readonly categories: bigint;
}

/** A grant as the patient signs it (every uint a bigint). */
export interface ConsentGrant extends PatientSigned, SignedScope {
  readonly grantee: string;
  readonly start: bigint;
  readonly end: bigint;
}

/** The EIP-712 domain of `PatientConsent` at `verifyingContract` on `chainId`. */
function consentDomain(chainId: bigint, verifyingContract: string): SignedConsentGrant["domain"] {
  return {
    name: CONSENT_DOMAIN_NAME,
    version: CONSENT_DOMAIN_VERSION,
    chainId,
    verifyingContract: getAddress(verifyingContract),
  };
}

/**
 * What a `sign…` function needs for the message `M`: the patient defaults to the signer, the
 * nonce to the patient's (sequential or random, by kind), the masks may be numbers.
 */
type RequestOf<M> = Omit<M, "patient" | "nonce" | "purposes" | "categories"> & {
  readonly patient?: string;
  readonly nonce?: bigint;
} & { readonly [F in keyof M & keyof SignedScope]: bigint | number };

/** What `signConsentGrant` needs: the patient defaults to the signer, the nonce to the chain's. */
export type ConsentGrantRequest = RequestOf<ConsentGrant>;

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
export type ConsentGrantTypedData = ConsentActionTypedData<"ConsentGrant">;

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
    "ConsentGrant",
    signer,
    consentAddress,
    request,
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
  const domain = consentDomain(
    uintField(domainRecord, "chainId", "domain."),
    addressField(domainRecord, "verifyingContract", "domain."),
  );
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
  return { domain, grant: parseMessage("ConsentGrant", grant, "grant."), signature };
}

/*
 * The other signed patient actions (IPatientConsent: revokeConsentBySig, setDelegateBySig,
 * revokeDelegateBySig). A revocation and a delegate removal carry an UNORDERED nonce (any
 * uint256, usable once per patient; `randomUnorderedNonce()`), so nobody can make them stale by
 * using the patient's sequential nonce first; an appointment carries the sequential
 * `nonces(patient)` like a grant.
 */

/** The EIP-712 types of a signed revocation (primary type `ConsentRevocation`). */
export const CONSENT_REVOCATION_TYPES = CONSENT_ACTION_TYPES.ConsentRevocation;
/** The EIP-712 types of a signed delegate appointment (primary type `DelegateAppointment`). */
export const DELEGATE_APPOINTMENT_TYPES = CONSENT_ACTION_TYPES.DelegateAppointment;
/** The EIP-712 types of a signed delegate removal (primary type `DelegateRemoval`). */
export const DELEGATE_REMOVAL_TYPES = CONSENT_ACTION_TYPES.DelegateRemoval;

/** `ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)`. */
export const CONSENT_REVOCATION_TYPE_STRING: string = ACTION_TYPE_STRINGS.ConsentRevocation;
/** `DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)`. */
export const DELEGATE_APPOINTMENT_TYPE_STRING: string = ACTION_TYPE_STRINGS.DelegateAppointment;
/** `DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)`. */
export const DELEGATE_REMOVAL_TYPE_STRING: string = ACTION_TYPE_STRINGS.DelegateRemoval;

/** A revocation as the patient signs it. */
export interface ConsentRevocation extends PatientSigned {
  readonly grantee: string;
}

/** A delegate appointment as the patient signs it. */
export interface DelegateAppointment extends PatientSigned, SignedScope {
  readonly delegate: string;
  readonly until: bigint;
}

/** A delegate removal as the patient signs it. */
export interface DelegateRemoval extends PatientSigned {
  readonly delegate: string;
}

/** The message of each primary type. */
export interface ConsentActionMessages {
  readonly ConsentGrant: ConsentGrant;
  readonly ConsentRevocation: ConsentRevocation;
  readonly DelegateAppointment: DelegateAppointment;
  readonly DelegateRemoval: DelegateRemoval;
}

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
    domain: consentDomain(chainId, verifyingContract),
    types: CONSENT_ACTION_TYPES[primaryType],
    primaryType,
    message,
  };
}

/** `action` with its primary type fixed: the typed `build…` and `sign…` of one kind. */
function ofType<K extends ConsentActionType, A extends unknown[], R>(
  primaryType: K,
  action: (primaryType: K, ...args: A) => R,
): (...args: A) => R {
  return (...args) => action(primaryType, ...args);
}

/**
 * The typed data of a revocation (the contract's `consentRevocationDigest` hashes it).
 *
 * @example
 * const typed = buildConsentRevocationTypedData(31337n, consentAddress, revocation);
 */
export const buildConsentRevocationTypedData = ofType(
  "ConsentRevocation",
  buildConsentActionTypedData,
);

/**
 * The typed data of a delegate appointment (`delegateAppointmentDigest`).
 *
 * @example
 * const typed = buildDelegateAppointmentTypedData(31337n, consentAddress, appointment);
 */
export const buildDelegateAppointmentTypedData = ofType(
  "DelegateAppointment",
  buildConsentActionTypedData,
);

/**
 * The typed data of a delegate removal (`delegateRemovalDigest`).
 *
 * @example
 * const typed = buildDelegateRemovalTypedData(31337n, consentAddress, removal);
 */
export const buildDelegateRemovalTypedData = ofType("DelegateRemoval", buildConsentActionTypedData);

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

/** The actions whose nonce is unordered (random, usable once); the others take `nonces(patient)`. */
const UNORDERED_NONCE: ReadonlySet<ConsentActionType> = new Set([
  "ConsentRevocation",
  "DelegateRemoval",
]);

/** The message of `primaryType` with each field read by `read` (in the type string's order). */
function messageOf<K extends ConsentActionType>(
  primaryType: K,
  read: (name: string, type: string) => unknown,
): ConsentActionMessages[K] {
  const fields = CONSENT_ACTION_TYPES[primaryType][primaryType] ?? [];
  return Object.fromEntries(
    fields.map(({ name, type }) => [name, read(name, type)]),
  ) as unknown as ConsentActionMessages[K];
}

async function signAction<K extends ConsentActionType>(
  primaryType: K,
  signer: Signer,
  consentAddress: string,
  request: RequestOf<ConsentActionMessages[K]>,
): Promise<SignedConsentAction<K>> {
  const provider = signer.provider;
  if (provider === null) {
    throw new InputError("the signer is not connected to a provider, so the chain id is unknown");
  }
  if (!isAddress(consentAddress)) {
    throw new InputError(`${String(consentAddress)} is not a PatientConsent address`);
  }
  const patient = getAddress(request.patient ?? (await signer.getAddress()));
  const { chainId } = await provider.getNetwork();
  const nonce =
    request.nonce ??
    (UNORDERED_NONCE.has(primaryType)
      ? randomUnorderedNonce()
      : await readConsentNonce(provider, consentAddress, patient));
  const values: Record<string, unknown> = { ...request, patient, nonce };
  const message = messageOf(primaryType, (name, type) =>
    type === "address"
      ? getAddress(values[name] as string)
      : BigInt(values[name] as bigint | number),
  );
  const typed = buildConsentActionTypedData(primaryType, chainId, consentAddress, message);
  const signature = await signer.signTypedData(typed.domain, typed.types, typed.message);
  return {
    primaryType,
    domain: consentDomain(chainId, consentAddress),
    message,
    signature,
  };
}

/** What `signConsentRevocation` needs: the patient defaults to the signer, the nonce to a random one. */
export type ConsentRevocationRequest = RequestOf<ConsentRevocation>;

/**
 * Signs a revocation with any ethers `Signer` (for an ERC-1271 wallet pass its address as
 * `patient`); the nonce defaults to a random unordered one.
 *
 * @example
 * const signed = await signConsentRevocation(patient, consentAddress, { grantee: clinic, deadline: now + 3600n });
 * await revokeConsentBySig(consent.connect(relayer), signed);
 */
export const signConsentRevocation = ofType("ConsentRevocation", signAction);

/** What `signDelegateAppointment` needs: the nonce defaults to the patient's sequential one on chain. */
export type DelegateAppointmentRequest = RequestOf<DelegateAppointment>;

/**
 * Signs a delegate appointment with a scope (purposes and categories the delegate may grant).
 *
 * @example
 * const signed = await signDelegateAppointment(patient, consentAddress, {
 *   delegate: guardian, purposes: parsePurposes("TREAT"), categories: parseCategories("labs"),
 *   until: now + 365n * 86400n, deadline: now + 3600n,
 * });
 */
export const signDelegateAppointment = ofType("DelegateAppointment", signAction);

/** What `signDelegateRemoval` needs: the nonce defaults to a random unordered one. */
export type DelegateRemovalRequest = RequestOf<DelegateRemoval>;

/**
 * Signs the removal of a delegate.
 *
 * @example
 * const signed = await signDelegateRemoval(patient, consentAddress, { delegate: guardian, deadline: now + 3600n });
 */
export const signDelegateRemoval = ofType("DelegateRemoval", signAction);

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

/** The message of `primaryType` in `record`, every field checked (errors name `where` + field). */
function parseMessage<K extends ConsentActionType>(
  primaryType: K,
  record: Record<string, unknown>,
  where: string,
): ConsentActionMessages[K] {
  return messageOf(primaryType, (name, type) =>
    type === "address" ? addressField(record, name, where) : uintField(record, name, where),
  );
}

/** The primary types `parseSignedConsentAction` takes. */
const ACTION_KINDS: readonly ConsentActionType[] = [
  "ConsentRevocation",
  "DelegateAppointment",
  "DelegateRemoval",
];

function parseAction(
  json: string,
): SignedConsentRevocation | SignedDelegateAppointment | SignedDelegateRemoval {
  const { root, domain, message, signature } = parseEnvelope(json, "action", "message");
  const primaryType = field(root, "primaryType", "");
  // What every action carries is checked before its kind.
  addressField(message, "patient", "message.");
  uintField(message, "nonce", "message.");
  uintField(message, "deadline", "message.");
  const kind = ACTION_KINDS.find((known) => known === primaryType);
  if (kind === undefined) {
    throw new InputError(
      `signed action: primaryType '${String(primaryType)}' is not ConsentRevocation, DelegateAppointment or DelegateRemoval`,
    );
  }
  return {
    primaryType: kind,
    domain,
    message: parseMessage(kind, message, "message."),
    signature,
  } as SignedConsentRevocation | SignedDelegateAppointment | SignedDelegateRemoval;
}
