/**
 * Passkey accounts for patients: the account address of a WebAuthn passkey, the ERC-7739 and
 * WebAuthn encoding its signatures need, signing PatientConsent's actions with it, and the relay
 * client. Browser-safe: the software passkey for Node (tests, bench) is in
 * `sdk/passkey/software-passkey.ts` and not exported here.
 */
export * from "./p256.js";
export * from "./account.js";
export * from "./webauthn.js";
export * from "./consent.js";
export * from "./relay-client.js";
export * from "./plain-words.js";
