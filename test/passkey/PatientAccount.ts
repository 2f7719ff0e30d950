import { expect } from "chai";
import {
  TypedDataEncoder,
  ZeroAddress,
  concat,
  getBytes,
  hexlify,
  keccak256,
  toBeHex,
} from "ethers";

import {
  computePatientAccountAddress,
  encodeWebAuthnAuth,
  nestTypedData,
  parseDerSignature,
  parseSpkiPublicKey,
  signConsentGrantWithPasskey,
  signTypedDataWithPasskey,
  toWebAuthnAuth,
  wrapNestedSignature,
} from "../../sdk/passkey/index.js";
import { randomUnorderedNonce } from "../../sdk/patient-consent/index.js";
import type {
  ConsentGrant,
  ConsentRevocation,
  DelegateAppointment,
  SignedConsentGrant,
} from "../../sdk/patient-consent/index.js";
import { draftGrant, typedGrant } from "../../support/fixtures/passkey.js";
import type { PasskeyFixture } from "../../support/fixtures/passkey.js";
import {
  consentTarget,
  ethers,
  grantInForce,
  loadPasskeyFixture,
  networkHelpers,
  now,
  signedGrantOf,
  signedActionOf,
  snapshotText,
} from "../helpers/passkey.js";

const { time } = networkHelpers;

const ERC1271_MAGIC = "0x1626ba7e";
const ERC1271_REFUSED = "0xffffffff";

/** A grant from the passkey account to the clinic, signed with the passkey. */
const signedGrant = (f: PasskeyFixture, overrides = {}): Promise<SignedConsentGrant> =>
  signedGrantOf(f, "account", overrides);

/** Everything a signed action could change for the passkey account and the clinic. */
async function stateOf(f: PasskeyFixture, patient = f.account): Promise<string> {
  const consent = await f.consent.consentOf(patient, f.clinic.address);
  return snapshotText({
    consent: [...consent],
    nonce: await f.consent.nonces(patient),
    authorized: await f.consent.isAuthorized(patient, f.clinic.address, 0, 0),
    code: await ethers.provider.getCode(patient),
  });
}

/** Awaits `sent`: it reverts with `error(args)`, and nothing of `patient`'s changed (`stateOf`). */
async function expectRefused(
  f: PasskeyFixture,
  sent: () => Promise<unknown>,
  error: string,
  args: readonly unknown[],
  patient = f.account,
): Promise<void> {
  const before = await stateOf(f, patient);
  await expect(sent())
    .to.be.revertedWithCustomError(f.consent, error)
    .withArgs(...args);
  expect(await stateOf(f, patient)).to.equal(before);
}

/** The relayer submits `grant` with `signature`: it reverts with `error(args)`, nothing changed. */
const expectGrantRefused = (
  f: PasskeyFixture,
  grant: ConsentGrant,
  signature: string,
  error: string,
  args: readonly unknown[],
  patient = f.account,
): Promise<void> =>
  expectRefused(
    f,
    () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
    error,
    args,
    patient,
  );

describe("PatientAccount (passkey accounts)", function () {
  describe("PatientAccountFactory", function () {
    it("gives a passkey the same address before deployment as the factory and the SDK compute", async function () {
      const f = await loadPasskeyFixture();
      const { qx, qy } = f.otherPasskey.publicKey;
      expect(await f.factory.accountOf(qx, qy)).to.equal(f.otherAccount);
      expect(await ethers.provider.getCode(f.otherAccount)).to.equal("0x");
      await expect(f.factory.connect(f.relayer).createAccount(qx, qy))
        .to.emit(f.factory, "PatientAccountCreated")
        .withArgs(f.otherAccount, qx, qy);
      expect(await ethers.provider.getCode(f.otherAccount)).to.not.equal("0x");
      const account = await ethers.getContractAt("PatientAccount", f.otherAccount);
      expect(await account.getFunction("signer")()).to.deep.equal([qx, qy]);
    });

    it("is idempotent: a second createAccount returns the same account and deploys nothing", async function () {
      const f = await loadPasskeyFixture();
      const { qx, qy } = f.passkey.publicKey;
      const code = await ethers.provider.getCode(f.account);
      expect(await f.factory.createAccount.staticCall(qx, qy)).to.equal(f.account);
      await expect(f.factory.createAccount(qx, qy)).to.not.emit(f.factory, "PatientAccountCreated");
      expect(await ethers.provider.getCode(f.account)).to.equal(code);
    });

    it("reverts when the key is not a P-256 point, deploying nothing", async function () {
      const f = await loadPasskeyFixture();
      const qx = f.passkey.publicKey.qx;
      const qy = hexlify(getBytes(keccak256(f.passkey.publicKey.qy)));
      const predicted = await f.factory.accountOf(qx, qy);
      await expect(f.factory.createAccount(qx, qy))
        .to.be.revertedWithCustomError(f.factory, "PatientAccountFactoryInvalidPublicKey")
        .withArgs(qx, qy);
      expect(await ethers.provider.getCode(predicted)).to.equal("0x");
    });

    it("gives different passkeys different accounts, and another factory another address", async function () {
      const f = await loadPasskeyFixture();
      expect(f.account).to.not.equal(f.otherAccount);
      const elsewhere = computePatientAccountAddress(
        ZeroAddress.replace(/0$/, "1"),
        f.implementation,
        f.passkey.publicKey,
      );
      expect(elsewhere).to.not.equal(f.account);
    });
  });

  describe("isValidSignature (ERC-1271 with ERC-7739)", function () {
    it("accepts the passkey's nested signature of an application's typed data", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      const account = await ethers.getContractAt("PatientAccount", f.account);
      const digest = await f.consent.consentGrantDigest(signed.grant);
      expect(await account.isValidSignature(digest, signed.signature)).to.equal(ERC1271_MAGIC);
    });

    /** Signatures the account must refuse for a grant it did sign up to (`typed`, `digest`). */
    const refused: readonly (readonly [
      string,
      (f: PasskeyFixture, typed: ReturnType<typeof typedGrant>, digest: string) => Promise<string>,
    ])[] = [
      [
        "a signature of another passkey",
        (f, typed) => signTypedDataWithPasskey(f.otherPasskey, f.account, f.chainId, typed),
      ],
      [
        "an assertion without user verification (no fingerprint, face or PIN)",
        (f, typed) =>
          signTypedDataWithPasskey(f.passkey.withFlags(0x01), f.account, f.chainId, typed),
      ],
      [
        "a bare WebAuthn signature of the digest (no ERC-7739 nesting: replayable across accounts)",
        async (f, _typed, digest) =>
          encodeWebAuthnAuth(toWebAuthnAuth(await f.passkey.getAssertion(getBytes(digest)))),
      ],
      [
        "a nested signature made for another account of the same passkey",
        // signed as if for the other account (its address inside TypedDataSign), presented to this one
        (f, typed) => signTypedDataWithPasskey(f.passkey, f.otherAccount, f.chainId, typed),
      ],
    ];
    for (const [what, sign] of refused) {
      it(`refuses ${what}`, async function () {
        const f = await loadPasskeyFixture();
        const grant = draftGrant(f.account, f.clinic.address, await now(), 0n);
        const digest = await f.consent.consentGrantDigest(grant);
        const signature = await sign(f, typedGrant(f.chainId, f.consentAddress, grant), digest);
        const account = await ethers.getContractAt("PatientAccount", f.account);
        expect(await account.isValidSignature(digest, signature)).to.equal(ERC1271_REFUSED);
      });
    }

    it("refuses every signature on the implementation itself", async function () {
      const f = await loadPasskeyFixture();
      const implementation = await ethers.getContractAt("PatientAccount", f.implementation);
      expect(await implementation.getFunction("signer")()).to.deep.equal([
        "0x" + "00".repeat(32),
        "0x" + "00".repeat(32),
      ]);
      const grant = draftGrant(f.implementation, f.clinic.address, await now(), 0n);
      const typed = typedGrant(f.chainId, f.consentAddress, grant);
      const signature = await signTypedDataWithPasskey(
        f.passkey,
        f.implementation,
        f.chainId,
        typed,
      );
      expect(
        await implementation.isValidSignature(await f.consent.consentGrantDigest(grant), signature),
      ).to.equal(ERC1271_REFUSED);
    });

    it("refuses garbage without reverting", async function () {
      const f = await loadPasskeyFixture();
      const account = await ethers.getContractAt("PatientAccount", f.account);
      expect(await account.isValidSignature(keccak256("0x01"), "0x1234")).to.equal(ERC1271_REFUSED);
    });
  });

  describe("grantConsentBySig signed with a passkey", function () {
    it("records the grant, submitted by a relayer that pays the gas", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      const consentId = await f.consent.computeConsentId(f.account, f.clinic.address, 1);
      await expect(f.consent.connect(f.relayer).grantConsentBySig(signed.grant, signed.signature))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentId,
          f.account,
          f.clinic.address,
          signed.grant.purposes,
          signed.grant.categories,
          signed.grant.start,
          signed.grant.end,
          f.account,
        );
      expect(await grantInForce(f, signed.grant)).to.equal(true);
      expect(await f.consent.nonces(f.account)).to.equal(1n);
    });

    it("may be submitted by the provider that benefits", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      await f.consent.connect(f.clinic).grantConsentBySig(signed.grant, signed.signature);
      expect(await f.consent.isAuthorized(f.account, f.clinic.address, 0, 0)).to.equal(true);
    });

    it("reverts a replay with PatientConsentInvalidNonce, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      await f.consent.connect(f.relayer).grantConsentBySig(signed.grant, signed.signature);
      await expectGrantRefused(f, signed.grant, signed.signature, "PatientConsentInvalidNonce", [
        f.account,
        1n,
        0n,
      ]);
    });

    /** Signatures of a fresh grant that PatientConsent must refuse as not the patient's. */
    const forgeries: readonly (readonly [
      string,
      (f: PasskeyFixture, grant: ConsentGrant) => Promise<string>,
    ])[] = [
      [
        "a signature for another chain with PatientConsentInvalidSignature",
        async (f, grant) =>
          (
            await signConsentGrantWithPasskey(
              f.passkey,
              { chainId: 1n, consentAddress: f.consentAddress },
              grant,
            )
          ).signature,
      ],
      [
        "a signature for another PatientConsent contract",
        async (f, grant) =>
          (
            await signConsentGrantWithPasskey(
              f.passkey,
              { chainId: f.chainId, consentAddress: f.factoryAddress },
              grant,
            )
          ).signature,
      ],
      [
        "a grant signed by another passkey",
        (f, grant) =>
          signTypedDataWithPasskey(
            f.otherPasskey,
            f.account,
            f.chainId,
            typedGrant(f.chainId, f.consentAddress, grant),
          ),
      ],
    ];
    for (const [what, forge] of forgeries) {
      it(`reverts ${what}, nothing changed`, async function () {
        const f = await loadPasskeyFixture();
        const grant = draftGrant(f.account, f.clinic.address, await now(), 0n);
        await expectGrantRefused(
          f,
          grant,
          await forge(f, grant),
          "PatientConsentInvalidSignature",
          [f.account],
        );
      });
    }

    it("reverts after the deadline with PatientConsentSignatureExpired, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      await time.increaseTo(signed.grant.deadline + 1n);
      await expectGrantRefused(
        f,
        signed.grant,
        signed.signature,
        "PatientConsentSignatureExpired",
        [signed.grant.deadline],
      );
    });

    it("reverts a wrong nonce with PatientConsentInvalidNonce, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f, { nonce: 5n });
      await expectGrantRefused(f, signed.grant, signed.signature, "PatientConsentInvalidNonce", [
        f.account,
        0n,
        5n,
      ]);
    });

    for (const [what, tamper] of [
      [
        "the grantee",
        (g: SignedConsentGrant["grant"], f: PasskeyFixture) => ({
          ...g,
          grantee: f.insurer.address,
        }),
      ],
      [
        "the purposes",
        (g: SignedConsentGrant["grant"]) => ({ ...g, purposes: g.purposes | (1n << 12n) }),
      ],
      ["the categories", (g: SignedConsentGrant["grant"]) => ({ ...g, categories: 0xfffn })],
      ["the end", (g: SignedConsentGrant["grant"]) => ({ ...g, end: g.end + 365n * 86_400n })],
      ["the deadline", (g: SignedConsentGrant["grant"]) => ({ ...g, deadline: g.deadline + 1n })],
    ] as const) {
      it(`reverts when a relay tampers with ${what}, nothing changed`, async function () {
        const f = await loadPasskeyFixture();
        const signed = await signedGrant(f);
        const tampered = tamper(signed.grant, f);
        await expectGrantRefused(f, tampered, signed.signature, "PatientConsentInvalidSignature", [
          f.account,
        ]);
      });
    }

    it("reverts when a relay swaps the signature's account domain or contents, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await signedGrant(f);
      const nested = nestTypedData(
        f.account,
        f.chainId,
        typedGrant(f.chainId, f.consentAddress, signed.grant),
      );
      // same WebAuthn assertion, but the wrapper claims other contents: the rebuilt challenge differs
      const raw = getBytes(signed.signature).subarray(
        0,
        getBytes(signed.signature).length - 66 - nested.contentsDescr.length,
      );
      const claimed = wrapNestedSignature(hexlify(raw), {
        ...nested,
        contentsHash: keccak256("0x02"),
      });
      await expectGrantRefused(f, signed.grant, claimed, "PatientConsentInvalidSignature", [
        f.account,
      ]);
    });

    it("reverts for an account not deployed yet (the relay deploys it first), nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const grant = draftGrant(f.otherAccount, f.clinic.address, await now(), 0n);
      const signed = await signConsentGrantWithPasskey(f.otherPasskey, consentTarget(f), grant);
      await expectGrantRefused(
        f,
        grant,
        signed.signature,
        "PatientConsentInvalidSignature",
        [f.otherAccount],
        f.otherAccount,
      );
      const { qx, qy } = f.otherPasskey.publicKey;
      await f.factory.connect(f.relayer).createAccount(qx, qy);
      await f.consent.connect(f.relayer).grantConsentBySig(grant, signed.signature);
      expect(await f.consent.isAuthorized(f.otherAccount, f.clinic.address, 0, 0)).to.equal(true);
    });
  });

  describe("revokeConsentBySig, setDelegateBySig and revokeDelegateBySig signed with a passkey", function () {
    async function granted(f: PasskeyFixture): Promise<void> {
      const signed = await signedGrant(f);
      await f.consent.connect(f.relayer).grantConsentBySig(signed.grant, signed.signature);
    }

    const revocation = async (f: PasskeyFixture, overrides: Partial<ConsentRevocation> = {}) =>
      signedActionOf(f, "ConsentRevocation", {
        patient: f.account,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline: (await now()) + 3_600n,
        ...overrides,
      });

    const appointment = async (f: PasskeyFixture, overrides: Partial<DelegateAppointment> = {}) =>
      signedActionOf(f, "DelegateAppointment", {
        patient: f.account,
        delegate: f.guardian.address,
        purposes: 1n, // TREAT
        categories: 1n << 4n, // labs
        until: (await now()) + 365n * 86_400n,
        nonce: await f.consent.nonces(f.account),
        deadline: (await now()) + 3_600n,
        ...overrides,
      });

    it("revokes at once: isAuthorized turns false", async function () {
      const f = await loadPasskeyFixture();
      await granted(f);
      const signed = await revocation(f);
      await expect(
        f.consent.connect(f.relayer).revokeConsentBySig(signed.message, signed.signature),
      )
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(
          await f.consent.consentIdOf(f.account, f.clinic.address),
          f.account,
          f.clinic.address,
          f.account,
        );
      expect(await f.consent.isAuthorized(f.account, f.clinic.address, 0, 0)).to.equal(false);
      expect(await f.consent.isRevocationNonceUsed(f.account, signed.message.nonce)).to.equal(true);
    });

    it("reverts a replayed revocation with PatientConsentNonceAlreadyUsed, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      await granted(f);
      const signed = await revocation(f);
      await f.consent.connect(f.relayer).revokeConsentBySig(signed.message, signed.signature);
      await expectRefused(
        f,
        () => f.consent.connect(f.relayer).revokeConsentBySig(signed.message, signed.signature),
        "PatientConsentNonceAlreadyUsed",
        [f.account, signed.message.nonce],
      );
    });

    it("reverts a revocation signed by another passkey or tampered by the relay, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      await granted(f);
      const message: ConsentRevocation = {
        patient: f.account,
        grantee: f.clinic.address,
        nonce: 7n,
        deadline: (await now()) + 3_600n,
      };
      const forged = await signedActionOf(f, "ConsentRevocation", message, "otherAccount");
      const genuine = await signedActionOf(f, "ConsentRevocation", message);
      const before = await stateOf(f);
      await expect(f.consent.connect(f.relayer).revokeConsentBySig(message, forged.signature))
        .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
        .withArgs(f.account);
      await expect(
        f.consent
          .connect(f.relayer)
          .revokeConsentBySig({ ...message, grantee: f.insurer.address }, genuine.signature),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
        .withArgs(f.account);
      expect(await stateOf(f)).to.equal(before);
      expect(await f.consent.isRevocationNonceUsed(f.account, 7n)).to.equal(false);
    });

    it("reverts an expired revocation with PatientConsentSignatureExpired, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      await granted(f);
      const signed = await revocation(f);
      await time.increaseTo(signed.message.deadline + 1n);
      await expectRefused(
        f,
        () => f.consent.connect(f.relayer).revokeConsentBySig(signed.message, signed.signature),
        "PatientConsentSignatureExpired",
        [signed.message.deadline],
      );
    });

    it("revokes even when the grantee burned the patient's sequential nonce first", async function () {
      const f = await loadPasskeyFixture();
      await granted(f);
      const signed = await revocation(f);
      // the clinic submits a grant the patient signed earlier, moving nonces(patient) on
      const stale = await signedGrant(f);
      await f.consent.connect(f.clinic).grantConsentBySig(stale.grant, stale.signature);
      await f.consent.connect(f.relayer).revokeConsentBySig(signed.message, signed.signature);
      expect(await f.consent.isAuthorized(f.account, f.clinic.address, 0, 0)).to.equal(false);
    });

    it("appoints a guardian with a scope; the guardian grants within it", async function () {
      const f = await loadPasskeyFixture();
      const signed = await appointment(f);
      await expect(
        f.consent.connect(f.relayer).setDelegateBySig(signed.message, signed.signature),
      ).to.emit(f.consent, "DelegateSet");
      const delegation = await f.consent.delegationOf(f.account, f.guardian.address);
      expect([delegation.purposes, delegation.categories, delegation.until]).to.deep.equal([
        1n,
        1n << 4n,
        signed.message.until,
      ]);
      const start = await now();
      await f.consent
        .connect(f.guardian)
        .grantConsent(f.account, f.clinic.address, 1, 1 << 4, start, start + 86_400n);
      expect(await f.consent.isAuthorized(f.account, f.clinic.address, 0, 1 << 4)).to.equal(true);
    });

    it("reverts a replayed appointment with PatientConsentInvalidNonce, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await appointment(f);
      await f.consent.connect(f.relayer).setDelegateBySig(signed.message, signed.signature);
      const delegation = snapshotText([
        ...(await f.consent.delegationOf(f.account, f.guardian.address)),
      ]);
      await expectRefused(
        f,
        () => f.consent.connect(f.relayer).setDelegateBySig(signed.message, signed.signature),
        "PatientConsentInvalidNonce",
        [f.account, 1n, 0n],
      );
      expect(
        snapshotText([...(await f.consent.delegationOf(f.account, f.guardian.address))]),
      ).to.equal(delegation);
    });

    it("reverts an appointment whose scope the relay widened, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const signed = await appointment(f);
      await expectRefused(
        f,
        () =>
          f.consent
            .connect(f.relayer)
            .setDelegateBySig({ ...signed.message, categories: 0xfffn }, signed.signature),
        "PatientConsentInvalidSignature",
        [f.account],
      );
      expect(await f.consent.isDelegate(f.account, f.guardian.address)).to.equal(false);
    });

    it("removes the guardian: a revoked delegate's grant reverts with PatientConsentUnauthorizedCaller, nothing changed", async function () {
      const f = await loadPasskeyFixture();
      const appointed = await appointment(f);
      await f.consent.connect(f.relayer).setDelegateBySig(appointed.message, appointed.signature);
      const removal = await signedActionOf(f, "DelegateRemoval", {
        patient: f.account,
        delegate: f.guardian.address,
        nonce: randomUnorderedNonce(),
        deadline: (await now()) + 3_600n,
      });
      await expect(
        f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature),
      )
        .to.emit(f.consent, "DelegateRevoked")
        .withArgs(f.account, f.guardian.address);
      expect(await f.consent.isDelegate(f.account, f.guardian.address)).to.equal(false);
      const before = await stateOf(f);
      const start = await now();
      await expect(
        f.consent
          .connect(f.guardian)
          .grantConsent(f.account, f.clinic.address, 1, 1 << 4, start, start + 86_400n),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
        .withArgs(f.guardian.address, f.account);
      expect(await stateOf(f)).to.equal(before);
    });
  });

  describe("SDK encoding", function () {
    it("matches the contract's EIP-712 digest and nests it as OpenZeppelin's ERC7739 does", async function () {
      const f = await loadPasskeyFixture();
      const grant = draftGrant(f.account, f.clinic.address, await now(), 0n);
      const typed = typedGrant(f.chainId, f.consentAddress, grant);
      const nested = nestTypedData(f.account, f.chainId, typed);
      expect(nested.digest).to.equal(await f.consent.consentGrantDigest(grant));
      expect(nested.appSeparator).to.equal(TypedDataEncoder.hashDomain(typed.domain));
      expect(nested.contentsDescr).to.equal(
        "ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)",
      );
      const account = await ethers.getContractAt("PatientAccount", f.account);
      const [, name, version, chainId, verifyingContract] = await account.eip712Domain();
      expect([name, version, chainId, verifyingContract]).to.deep.equal([
        "carechain PatientAccount",
        "1",
        f.chainId,
        f.account,
      ]);
    });

    it("parses DER signatures to a low s and SPKI keys to the curve point", function () {
      const n = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
      const der = getBytes(
        concat(["0x3046022100", toBeHex(n - 2n, 32), "0x022100", toBeHex(n - 1n, 32)]),
      );
      expect(parseDerSignature(der)).to.deep.equal({ r: toBeHex(n - 2n, 32), s: toBeHex(1n, 32) });
      const outOfRange = getBytes(
        concat(["0x3046022100", "0x" + "ff".repeat(32), "0x022100", toBeHex(1n, 32)]),
      );
      expect(() => parseDerSignature(outOfRange)).to.throw("not a DER ECDSA signature");
      expect(() => parseDerSignature(getBytes("0x300102"))).to.throw("not a DER ECDSA signature");
      const f = {
        qx: "0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
        qy: "0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
      };
      const spki = getBytes(
        concat(["0x3059301306072a8648ce3d020106082a8648ce3d030107034200", "0x04", f.qx, f.qy]),
      );
      expect(parseSpkiPublicKey(spki)).to.deep.equal(f);
      expect(() => parseSpkiPublicKey(getBytes(concat(["0x04", f.qx, keccak256(f.qy)])))).to.throw(
        "not on P-256",
      );
    });
  });
});
