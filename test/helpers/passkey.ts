import { network } from "hardhat";

import {
  signConsentActionWithPasskey,
  signConsentGrantWithPasskey,
} from "../../sdk/passkey/index.js";
import type { ConsentTarget } from "../../sdk/passkey/index.js";
import type {
  ConsentActionMessages,
  ConsentActionType,
  ConsentGrant,
  SignedConsentAction,
  SignedConsentGrant,
} from "../../sdk/patient-consent/index.js";
import { stringifyJson } from "../../sdk/json.js";
import { deployPasskeyFixture, draftGrant } from "../../support/fixtures/passkey.js";
import type { PasskeyFixture } from "../../support/fixtures/passkey.js";

/*
 * What the passkey tests (test/passkey/) share: one in-process chain, the passkey fixture loaded
 * from its snapshot, the chain's time, and a grant signed with one of the fixture's passkeys.
 */

/** The chain the passkey tests run on. */
export const connection = await network.create();
export const { ethers, networkHelpers } = connection;

const deploy = (): Promise<PasskeyFixture> => deployPasskeyFixture(connection);

/** The passkey fixture (`deployPasskeyFixture`), deployed once and restored from its snapshot. */
export function loadPasskeyFixture(): Promise<PasskeyFixture> {
  return networkHelpers.loadFixture(deploy);
}

/** The latest block's time. */
export async function now(): Promise<bigint> {
  return BigInt(await networkHelpers.time.latest());
}

/** The fixture's PatientConsent, as the passkey signing functions name it. */
export function consentTarget(f: PasskeyFixture): ConsentTarget {
  return { chainId: f.chainId, consentAddress: f.consentAddress };
}

/** Which of the fixture's two passkey accounts: `account` is deployed, `otherAccount` is not. */
export type FixturePatient = "account" | "otherAccount";

/** The passkey behind one of the fixture's accounts. */
export function passkeyOf(f: PasskeyFixture, patient: FixturePatient = "account") {
  return patient === "account" ? f.passkey : f.otherPasskey;
}

/** A grant from `patient`'s account to the clinic (`draftGrant`), signed with its passkey. */
export async function signedGrantOf(
  f: PasskeyFixture,
  patient: FixturePatient = "account",
  overrides: Partial<ConsentGrant> = {},
): Promise<SignedConsentGrant> {
  const grant = draftGrant(
    f[patient],
    f.clinic.address,
    await now(),
    await f.consent.nonces(f[patient]),
    overrides,
  );
  return signConsentGrantWithPasskey(passkeyOf(f, patient), consentTarget(f), grant);
}

/** `message` (a revocation, a guardian's appointment or removal…) signed with `patient`'s passkey. */
export function signedActionOf<K extends ConsentActionType>(
  f: PasskeyFixture,
  primaryType: K,
  message: ConsentActionMessages[K],
  patient: FixturePatient = "account",
): Promise<SignedConsentAction<K>> {
  return signConsentActionWithPasskey(
    passkeyOf(f, patient),
    consentTarget(f),
    primaryType,
    message,
  );
}

/** Whether `grant` is in force: its grantee may read its categories for treatment now. */
export function grantInForce(f: PasskeyFixture, grant: ConsentGrant): Promise<boolean> {
  return f.consent.isAuthorized(grant.patient, grant.grantee, 0, grant.categories);
}

/** A value as comparable text (bigints as decimals), for "nothing changed" checks. */
export function snapshotText(value: unknown): string {
  return stringifyJson(value);
}
