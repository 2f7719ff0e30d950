import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ChainType, NetworkConnection } from "hardhat/types/network";

import PatientAccountFactoryModule from "../../ignition/modules/PatientAccountFactory.js";
import PatientConsentModule from "../../ignition/modules/PatientConsent.js";
import { buildConsentGrantTypedData } from "../../sdk/patient-consent/index.js";
import type { ConsentGrant } from "../../sdk/patient-consent/index.js";
import { computePatientAccountAddress } from "../../sdk/passkey/index.js";
import { createSoftwarePasskey } from "../../sdk/passkey/software-passkey.js";
import type { SoftwarePasskey } from "../../sdk/passkey/software-passkey.js";
import type { PatientAccountFactory, PatientConsent } from "../../typechain-types/index.js";

/** PatientConsent, the account factory, two passkeys and their accounts, and the parts others play. */
export interface PasskeyFixture {
  readonly consent: PatientConsent;
  readonly consentAddress: string;
  readonly factory: PatientAccountFactory;
  readonly factoryAddress: string;
  readonly implementation: string;
  readonly chainId: bigint;
  readonly passkey: SoftwarePasskey;
  readonly account: string;
  readonly otherPasskey: SoftwarePasskey;
  readonly otherAccount: string;
  readonly admin: HardhatEthersSigner;
  readonly clinic: HardhatEthersSigner;
  readonly insurer: HardhatEthersSigner;
  readonly guardian: HardhatEthersSigner;
  readonly relayer: HardhatEthersSigner;
}

/**
 * Deploys PatientConsent and the account factory through their Ignition modules and makes two
 * software passkeys; the first passkey's account is deployed, the second's is not.
 */
export async function deployPasskeyFixture(
  connection: NetworkConnection<ChainType>,
): Promise<PasskeyFixture> {
  const { ethers, ignition } = connection;
  const [admin, clinic, insurer, guardian, relayer] = await ethers.getSigners();
  if (admin === undefined || clinic === undefined || insurer === undefined)
    throw new Error("accounts");
  if (guardian === undefined || relayer === undefined) throw new Error("accounts");
  const { patientConsent } = await ignition.deploy(PatientConsentModule, {
    parameters: { PatientConsent: { admin: admin.address } },
  });
  const { patientAccountFactory } = await ignition.deploy(PatientAccountFactoryModule);
  const consentAddress = await patientConsent.getAddress();
  const factoryAddress = await patientAccountFactory.getAddress();
  const consent = await ethers.getContractAt("PatientConsent", consentAddress);
  const factory = await ethers.getContractAt("PatientAccountFactory", factoryAddress);
  const implementation = await factory.implementation();
  const passkey = createSoftwarePasskey();
  const otherPasskey = createSoftwarePasskey();
  const account = computePatientAccountAddress(factoryAddress, implementation, passkey.publicKey);
  const otherAccount = computePatientAccountAddress(
    factoryAddress,
    implementation,
    otherPasskey.publicKey,
  );
  await (
    await factory.connect(relayer).createAccount(passkey.publicKey.qx, passkey.publicKey.qy)
  ).wait();
  const { chainId } = await ethers.provider.getNetwork();
  return {
    consent,
    consentAddress,
    factory,
    factoryAddress,
    implementation,
    chainId,
    passkey,
    account,
    otherPasskey,
    otherAccount,
    admin,
    clinic,
    insurer,
    guardian,
    relayer,
  };
}

/** A grant from `patient` to `grantee` for TREAT on labs and medications, 30 days, deadline in a day. */
export function draftGrant(
  patient: string,
  grantee: string,
  now: bigint,
  nonce: bigint,
  overrides: Partial<ConsentGrant> = {},
): ConsentGrant {
  return {
    patient,
    grantee,
    purposes: 1n, // TREAT
    categories: (1n << 2n) | (1n << 4n), // medications, labs
    start: now,
    end: now + 30n * 86_400n,
    nonce,
    deadline: now + 86_400n,
    ...overrides,
  };
}

/** The typed data of `grant` for the consent contract at `consentAddress` on `chainId`. */
export const typedGrant = (chainId: bigint, consentAddress: string, grant: ConsentGrant) =>
  buildConsentGrantTypedData(chainId, consentAddress, grant);
