import {
  Contract,
  TypedDataEncoder,
  getAddress,
  isAddress,
  isHexString,
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
  return {
    domain: {
      name: CONSENT_DOMAIN_NAME,
      version: CONSENT_DOMAIN_VERSION,
      chainId,
      verifyingContract: getAddress(verifyingContract),
    },
    types: CONSENT_GRANT_TYPES,
    primaryType: "ConsentGrant",
    message: grant,
  };
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
  const typed = buildConsentGrantTypedData(chainId, verifyingContract, grant);
  return TypedDataEncoder.hash(typed.domain, typed.types, typed.message);
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
  const provider = signer.provider;
  if (provider === null) {
    throw new InputError("the signer is not connected to a provider, so the chain id is unknown");
  }
  if (!isAddress(consentAddress)) {
    throw new InputError(`${String(consentAddress)} is not a PatientConsent address`);
  }
  const patient = getAddress(request.patient ?? (await signer.getAddress()));
  const { chainId } = await provider.getNetwork();
  const nonce = request.nonce ?? (await readConsentNonce(provider, consentAddress, patient));
  const grant: ConsentGrant = {
    patient,
    grantee: getAddress(request.grantee),
    purposes: BigInt(request.purposes),
    categories: BigInt(request.categories),
    start: request.start,
    end: request.end,
    nonce,
    deadline: request.deadline,
  };
  const typed = buildConsentGrantTypedData(chainId, consentAddress, grant);
  const signature = await signer.signTypedData(typed.domain, typed.types, typed.message);
  return {
    domain: {
      name: CONSENT_DOMAIN_NAME,
      version: CONSENT_DOMAIN_VERSION,
      chainId,
      verifyingContract: getAddress(consentAddress),
    },
    grant,
    signature,
  };
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
  const typed = buildConsentGrantTypedData(
    signed.domain.chainId,
    signed.domain.verifyingContract,
    signed.grant,
  );
  return verifyTypedData(typed.domain, typed.types, typed.message, signed.signature);
}

/**
 * Serializes a signed grant as JSON a patient can hand over (uints as decimal strings).
 *
 * @example
 * writeFileSync("grant.json", serializeSignedConsentGrant(signed));
 */
export function serializeSignedConsentGrant(signed: SignedConsentGrant): string {
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

/**
 * Parses and checks a signed grant handed over as JSON (the output of
 * `serializeSignedConsentGrant` or `npx hardhat consent sign`).
 *
 * @example
 * const signed = parseSignedConsentGrant(readFileSync("grant.json", "utf8"));
 */
export function parseSignedConsentGrant(json: string): SignedConsentGrant {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError("signed grant is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError("signed grant is not a JSON object");
  }
  const root = parsed as Record<string, unknown>;
  const domain = objectField(root, "domain", "");
  const grant = objectField(root, "grant", "");
  const name = field(domain, "name", "domain.");
  const version = field(domain, "version", "domain.");
  if (name !== CONSENT_DOMAIN_NAME || version !== CONSENT_DOMAIN_VERSION) {
    throw new InputError(
      `signed grant is for domain '${String(name)}' version ${String(version)}, not '${CONSENT_DOMAIN_NAME}' version ${CONSENT_DOMAIN_VERSION}`,
    );
  }
  const signature = field(root, "signature", "");
  if (typeof signature !== "string" || !isHexString(signature) || signature.length < 4) {
    throw new InputError("signed grant: signature is not a hex string");
  }
  return {
    domain: {
      name: CONSENT_DOMAIN_NAME,
      version: CONSENT_DOMAIN_VERSION,
      chainId: uintField(domain, "chainId", "domain."),
      verifyingContract: addressField(domain, "verifyingContract", "domain."),
    },
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
