import { getAddress } from "ethers";

import { InputError } from "../errors.js";
import {
  CONSENT_DOMAIN_NAME,
  CONSENT_DOMAIN_VERSION,
  buildConsentActionTypedData,
  buildConsentGrantTypedData,
} from "../patient-consent/eip712.js";
import type {
  ConsentActionMessages,
  ConsentActionType,
  ConsentGrant,
  SignedConsentAction,
  SignedConsentGrant,
} from "../patient-consent/eip712.js";
import { signTypedDataWithPasskey } from "./webauthn.js";
import type { Passkey } from "./webauthn.js";

/** Where a passkey account signs: the chain and the `PatientConsent` deployment. */
export interface ConsentTarget {
  readonly chainId: bigint;
  readonly consentAddress: string;
}

function domainOf(target: ConsentTarget): SignedConsentGrant["domain"] {
  return {
    name: CONSENT_DOMAIN_NAME,
    version: CONSENT_DOMAIN_VERSION,
    chainId: target.chainId,
    verifyingContract: getAddress(target.consentAddress),
  };
}

/**
 * Signs `grant` with the patient's passkey (one fingerprint), for the passkey account
 * `grant.patient`: the result goes to `grantConsentBySig` (through the relay, or submitted by the
 * provider that benefits) exactly like a grant signed with a key.
 *
 * @example
 * const signed = await signConsentGrantWithPasskey(passkey, { chainId, consentAddress }, grant);
 * await submitConsentGrant(relayUrl, signed, passkey.publicKey);
 */
export async function signConsentGrantWithPasskey(
  passkey: Passkey,
  target: ConsentTarget,
  grant: ConsentGrant,
): Promise<SignedConsentGrant> {
  if (grant.purposes === 0n) throw new InputError("a consent needs at least one purpose");
  const typed = buildConsentGrantTypedData(target.chainId, target.consentAddress, grant);
  const signature = await signTypedDataWithPasskey(passkey, grant.patient, target.chainId, typed);
  return { domain: domainOf(target), grant, signature };
}

/** The PatientConsent function that records each signed action. */
export const CONSENT_ACTION_FUNCTIONS = {
  ConsentGrant: "grantConsentBySig",
  ConsentRevocation: "revokeConsentBySig",
  DelegateAppointment: "setDelegateBySig",
  DelegateRemoval: "revokeDelegateBySig",
} as const satisfies Record<ConsentActionType, string>;

/**
 * Signs any of the patient's actions (a grant, a revocation, a guardian's appointment or
 * removal) with the passkey, for the passkey account `message.patient`.
 *
 * @example
 * const signed = await signConsentActionWithPasskey(passkey, target, "ConsentRevocation", {
 *   patient: account, grantee: clinic, nonce: randomUnorderedNonce(), deadline,
 * });
 */
export async function signConsentActionWithPasskey<K extends ConsentActionType>(
  passkey: Passkey,
  target: ConsentTarget,
  primaryType: K,
  message: ConsentActionMessages[K],
): Promise<SignedConsentAction<K>> {
  const typed = buildConsentActionTypedData(
    primaryType,
    target.chainId,
    target.consentAddress,
    message,
  );
  const signature = await signTypedDataWithPasskey(passkey, message.patient, target.chainId, typed);
  return { primaryType, domain: domainOf(target), message, signature };
}
