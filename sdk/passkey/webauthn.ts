import {
  AbiCoder,
  TypedDataEncoder,
  ZeroHash,
  concat,
  decodeBase64,
  encodeBase64,
  getAddress,
  getBytes,
  hexlify,
  keccak256,
  toBeHex,
  toUtf8Bytes,
} from "ethers";
import type { TypedDataDomain, TypedDataField } from "ethers";

import { InputError } from "../errors.js";
import { PATIENT_ACCOUNT_DOMAIN_NAME, PATIENT_ACCOUNT_DOMAIN_VERSION } from "./account.js";
import { P256_N, isValidP256PublicKey, normalizeP256S } from "./p256.js";

/**
 * Bytes as base64url without padding: how WebAuthn writes a challenge in the client data and a
 * credential id (RFC 4648 §5).
 *
 * @example
 * encodeBase64url(new Uint8Array([0xfb, 0xff])); // "-_8"
 */
export function encodeBase64url(bytes: Uint8Array | ArrayBuffer): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return encodeBase64(array).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/**
 * The bytes of base64url text (padded or not).
 *
 * @example
 * decodeBase64url("-_8"); // Uint8Array [0xfb, 0xff]
 */
export function decodeBase64url(text: string): Uint8Array<ArrayBuffer> {
  const standard = text.replaceAll("-", "+").replaceAll("_", "/");
  return new Uint8Array(decodeBase64(standard.padEnd(Math.ceil(standard.length / 4) * 4, "=")));
}

/** A passkey's P-256 public key, each coordinate as 32-byte hex. */
export interface PasskeyPublicKey {
  readonly qx: string;
  readonly qy: string;
}

/** What an authenticator returns for `navigator.credentials.get` (WebAuthn assertion). */
export interface WebAuthnAssertion {
  /** `response.authenticatorData`. */
  readonly authenticatorData: Uint8Array;
  /** `response.clientDataJSON`, as text. */
  readonly clientDataJSON: string;
  /** `response.signature`: an ASN.1 DER ECDSA signature. */
  readonly signature: Uint8Array;
}

/**
 * A passkey the SDK can ask for signatures: in a browser `browserPasskey` (WebAuthn), in tests
 * and the bench a software key. `getAssertion` must run a WebAuthn `get` ceremony with
 * `challenge` and user verification.
 */
export interface Passkey {
  readonly publicKey: PasskeyPublicKey;
  getAssertion(challenge: Uint8Array): Promise<WebAuthnAssertion>;
}

/** The full EIP-712 payload an application asks the account to sign. */
export interface TypedDataPayload {
  readonly domain: TypedDataDomain;
  readonly types: Record<string, TypedDataField[]>;
  readonly primaryType: string;
  readonly message: object;
}

/** A WebAuthn assertion in the fields OpenZeppelin's `WebAuthn.WebAuthnAuth` holds. */
export interface WebAuthnAuth {
  readonly r: string;
  readonly s: string;
  readonly challengeIndex: bigint;
  readonly typeIndex: bigint;
  readonly authenticatorData: string;
  readonly clientDataJSON: string;
}

/**
 * Splits an ASN.1 DER ECDSA signature (`SEQUENCE { INTEGER r, INTEGER s }`, what WebAuthn
 * returns) into 32-byte `r` and low-half `s`.
 *
 * @example
 * const { r, s } = parseDerSignature(assertion.signature);
 */
export function parseDerSignature(der: Uint8Array): { r: string; s: string } {
  const fail = (): never => {
    throw new InputError("the passkey's signature is not a DER ECDSA signature");
  };
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) fail();
  let offset = 2;
  const readInteger = (): bigint => {
    if (der[offset] !== 0x02) fail();
    const length = der[offset + 1] ?? 0;
    if (length === 0 || length > 33 || offset + 2 + length > der.length) fail();
    const value = BigInt(hexlify(der.subarray(offset + 2, offset + 2 + length)));
    offset += 2 + length;
    return value;
  };
  const r = readInteger();
  const s = readInteger();
  if (offset !== der.length || r === 0n || s === 0n || r >= P256_N || s >= P256_N) fail();
  return { r: toBeHex(r, 32), s: toBeHex(normalizeP256S(s), 32) };
}

/**
 * The P-256 public key in a DER SubjectPublicKeyInfo (what `AuthenticatorAttestationResponse.getPublicKey()`
 * returns for ES256): the uncompressed point `04 ‖ x ‖ y` at its end.
 *
 * @example
 * const key = parseSpkiPublicKey(new Uint8Array(response.getPublicKey()));
 */
export function parseSpkiPublicKey(spki: Uint8Array): PasskeyPublicKey {
  const point = spki.subarray(spki.length - 65);
  if (spki.length < 65 || point[0] !== 0x04) {
    throw new InputError("the passkey's public key is not an uncompressed P-256 key");
  }
  const key = { qx: hexlify(point.subarray(1, 33)), qy: hexlify(point.subarray(33, 65)) };
  if (!isValidP256PublicKey(key)) throw new InputError("the passkey's public key is not on P-256");
  return key;
}

/**
 * The fields of OpenZeppelin's `WebAuthnAuth` from an assertion: `r`, low-half `s` and the
 * positions of `"challenge":"` and `"type":"webauthn.get"` in the client data.
 *
 * @example
 * const auth = toWebAuthnAuth(assertion);
 */
export function toWebAuthnAuth(assertion: WebAuthnAssertion): WebAuthnAuth {
  const { r, s } = parseDerSignature(assertion.signature);
  // OpenZeppelin indexes bytes of the JSON: its ASCII keys sit before any non-ASCII origin text
  const json = toUtf8Bytes(assertion.clientDataJSON);
  const typeIndex = indexOfBytes(json, toUtf8Bytes('"type":"webauthn.get"'));
  const challengeIndex = indexOfBytes(json, toUtf8Bytes('"challenge":"'));
  if (typeIndex < 0 || challengeIndex < 0) {
    throw new InputError("the passkey's client data is not a WebAuthn get assertion");
  }
  return {
    r,
    s,
    challengeIndex: BigInt(challengeIndex),
    typeIndex: BigInt(typeIndex),
    authenticatorData: hexlify(assertion.authenticatorData),
    clientDataJSON: assertion.clientDataJSON,
  };
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * ABI-encodes a `WebAuthnAuth` as `SignerWebAuthn` decodes it (`WebAuthn.tryDecodeAuth`: the
 * six fields as one argument list, no outer offset).
 *
 * @example
 * const raw = encodeWebAuthnAuth(toWebAuthnAuth(assertion));
 */
export function encodeWebAuthnAuth(auth: WebAuthnAuth): string {
  return AbiCoder.defaultAbiCoder().encode(
    ["bytes32", "bytes32", "uint256", "uint256", "bytes", "string"],
    [
      auth.r,
      auth.s,
      auth.challengeIndex,
      auth.typeIndex,
      auth.authenticatorData,
      auth.clientDataJSON,
    ],
  );
}

/** The ERC-7739 pieces of an application's typed data, signed for one account. */
export interface NestedTypedData {
  /** The application's EIP-712 domain separator. */
  readonly appSeparator: string;
  /** `hashStruct(message)` of the application's primary type. */
  readonly contentsHash: string;
  /** The contents type in ERC-7739's implicit mode: the primary type's EIP-712 encoding. */
  readonly contentsDescr: string;
  /** The application's digest `\x19\x01 ‖ appSeparator ‖ contentsHash` (what it passes to ERC-1271). */
  readonly digest: string;
  /** The `TypedDataSign` digest the passkey signs (the WebAuthn challenge). */
  readonly challenge: string;
}

/**
 * The ERC-7739 nested typed data the passkey signs for `account` on `chainId` so the account
 * accepts it for `typed` (OpenZeppelin `ERC7739`: `TypedDataSign(<Contents> contents,string name,
 * string version,uint256 chainId,address verifyingContract,bytes32 salt)<Contents type>` under
 * the application's domain, with the account's own domain fields inside).
 *
 * @example
 * const nested = nestTypedData(account, 31337n, buildConsentGrantTypedData(31337n, consent, grant));
 */
export function nestTypedData(
  account: string,
  chainId: bigint,
  typed: TypedDataPayload,
): NestedTypedData {
  const encoder = TypedDataEncoder.from(typed.types);
  const appSeparator = TypedDataEncoder.hashDomain(typed.domain);
  const contentsHash = encoder.hashStruct(
    typed.primaryType,
    typed.message as Record<string, unknown>,
  );
  const contentsDescr = encoder.encodeType(typed.primaryType);
  const typeHash = keccak256(
    toUtf8Bytes(
      `TypedDataSign(${typed.primaryType} contents,string name,string version,uint256 chainId,address verifyingContract,bytes32 salt)${contentsDescr}`,
    ),
  );
  const accountDomain = AbiCoder.defaultAbiCoder().encode(
    ["bytes32", "bytes32", "uint256", "address", "bytes32"],
    [
      keccak256(toUtf8Bytes(PATIENT_ACCOUNT_DOMAIN_NAME)),
      keccak256(toUtf8Bytes(PATIENT_ACCOUNT_DOMAIN_VERSION)),
      chainId,
      getAddress(account),
      ZeroHash,
    ],
  );
  const structHash = keccak256(concat([typeHash, contentsHash, accountDomain]));
  return {
    appSeparator,
    contentsHash,
    contentsDescr,
    digest: keccak256(concat(["0x1901", appSeparator, contentsHash])),
    challenge: keccak256(concat(["0x1901", appSeparator, structHash])),
  };
}

/**
 * Wraps the account's raw signature in ERC-7739's nested typed-data format:
 * `signature ‖ appSeparator ‖ contentsHash ‖ contentsDescr ‖ uint16(contentsDescr.length)`.
 *
 * @example
 * const signature = wrapNestedSignature(encodeWebAuthnAuth(auth), nested);
 */
export function wrapNestedSignature(rawSignature: string, nested: NestedTypedData): string {
  const descr = toUtf8Bytes(nested.contentsDescr);
  return concat([
    rawSignature,
    nested.appSeparator,
    nested.contentsHash,
    descr,
    toBeHex(descr.length, 2),
  ]);
}

/**
 * Signs `typed` (any application's EIP-712 data, e.g. a consent grant) as the passkey account
 * `account` on `chainId`: one WebAuthn ceremony (the fingerprint), returned as the signature the
 * application passes to the account's `isValidSignature`.
 *
 * @example
 * const signature = await signTypedDataWithPasskey(passkey, account, 31337n, typed);
 */
export async function signTypedDataWithPasskey(
  passkey: Passkey,
  account: string,
  chainId: bigint,
  typed: TypedDataPayload,
): Promise<string> {
  const nested = nestTypedData(account, chainId, typed);
  const assertion = await passkey.getAssertion(getBytes(nested.challenge));
  return wrapNestedSignature(encodeWebAuthnAuth(toWebAuthnAuth(assertion)), nested);
}
