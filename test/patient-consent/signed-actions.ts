import { expect } from "chai";
import { TypedDataEncoder, ZeroAddress } from "ethers";
import type { Signer } from "ethers";

import {
  CONSENT_REVOCATION_TYPE_STRING,
  DELEGATE_APPOINTMENT_TYPE_STRING,
  DELEGATE_REMOVAL_TYPE_STRING,
  hashConsentAction,
  hashConsentGrant,
  parseSignedConsentAction,
  randomUnorderedNonce,
  recoverConsentActionSigner,
  serializeSignedConsentAction,
  signConsentRevocation,
  signDelegateAppointment,
  signDelegateRemoval,
} from "../../sdk/patient-consent/index.js";
import type {
  ConsentGrant,
  ConsentRevocation,
  DelegateAppointment,
  DelegateRemoval,
} from "../../sdk/patient-consent/index.js";
import * as pc from "../helpers/patient-consent.js";
import type { Fixture } from "../helpers/patient-consent.js";

/**
 * `grantConsentBySig(grant, signature)`, relayed by `relayer`, reverts with
 * PatientConsentInvalidSignature for `signer` and changes nothing.
 */
function refusesSignature(
  f: Fixture,
  grant: ConsentGrant,
  signature: string,
  signer: string = f.patient.address,
  relayer: Signer = f.relayer,
): Promise<void> {
  return pc.refuses(pc.watchConsent(f), "PatientConsentInvalidSignature", [signer], () =>
    f.consent.connect(relayer).grantConsentBySig(grant, signature),
  );
}

describe("PatientConsent", function () {
  describe("grantConsentBySig", function () {
    it("records a grant the patient signed, submitted by a relayer", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      expect(await f.consent.consentGrantDigest(grant)).to.equal(
        hashConsentGrant((await pc.ethers.provider.getNetwork()).chainId, f.address, grant),
      );
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          pc.consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          grant.purposes,
          grant.categories,
          grant.start,
          grant.end,
          f.patient.address,
        );
      expect(await f.consent.nonces(f.patient.address)).to.equal(1n);
      expect(await pc.authorized(f, f.clinic.address, "TREAT", pc.LABS_MEDS)).to.equal(true);
    });

    it("accepts a signature until and including its deadline", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      await pc.time.setNextBlockTimestamp(grant.deadline);
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature)).to.emit(
        f.consent,
        "ConsentGranted",
      );
    });

    it("reverts on replay", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      await f.consent.connect(f.relayer).grantConsentBySig(grant, signature);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentInvalidNonce",
        [f.patient.address, 1n, 0n],
        () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
      );
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Revoked,
      );
    });

    it("reverts when the nonce is ahead of the patient's", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f, { nonce: 1n });
      const signature = await pc.sign(f, f.patient, grant);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentInvalidNonce",
        [f.patient.address, 0n, 1n],
        () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
      );
    });

    it("reverts when the deadline has passed", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      await pc.time.setNextBlockTimestamp(grant.deadline + 1n);
      await pc.refuses(pc.watchConsent(f), "PatientConsentSignatureExpired", [grant.deadline], () =>
        f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
      );
    });

    it("reverts when someone other than the patient signed", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f, { grantee: f.stranger.address });
      for (const signer of [f.stranger, f.clinic, f.admin]) {
        const signature = await pc.sign(f, signer, grant);
        await refusesSignature(f, grant, signature, f.patient.address, f.stranger);
      }
    });

    it("reverts when the signed grant was altered", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      for (const altered of [
        { ...grant, categories: pc.ALL_CATEGORIES },
        { ...grant, purposes: pc.ALL_PURPOSES },
        { ...grant, grantee: f.stranger.address },
        { ...grant, end: grant.end + 365n * pc.DAY },
        { ...grant, deadline: grant.deadline + 365n * pc.DAY },
      ]) {
        await refusesSignature(f, altered, signature);
      }
    });

    it("reverts when the signature is for another chain id", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant, { chainId: 1n });
      await refusesSignature(f, grant, signature);
    });

    it("reverts when the signature is for another PatientConsent contract", async function () {
      const f = await pc.load();
      const other = await pc.ethers.deployContract("PatientConsent", [0n, f.admin.address, pc.DAY]);
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant, {
        verifyingContract: await other.getAddress(),
      });
      await refusesSignature(f, grant, signature);
      // The same signature is good where it was meant to go.
      await expect(other.connect(f.relayer).grantConsentBySig(grant, signature)).to.emit(
        other,
        "ConsentGranted",
      );
    });

    it("reverts when the signature is malformed", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      for (const signature of ["0x", "0x1234", `0x${"00".repeat(65)}`]) {
        await refusesSignature(f, grant, signature);
      }
    });

    it("accepts an ERC-1271 wallet's signature", async function () {
      const f = await pc.load();
      const walletAddress = await f.wallet.getAddress();
      const grant = await pc.draftGrant(f, { patient: walletAddress });
      const signature = await pc.sign(f, f.patient, grant); // the wallet's owner key signs
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          pc.consentIdOf(walletAddress, f.clinic.address, 1n),
          walletAddress,
          f.clinic.address,
          grant.purposes,
          grant.categories,
          grant.start,
          grant.end,
          walletAddress,
        );
      expect(await f.consent.nonces(walletAddress)).to.equal(1n);
      expect(
        await f.consent.isAuthorized(
          walletAddress,
          f.clinic.address,
          pc.code("TREAT"),
          pc.LABS_MEDS,
        ),
      ).to.equal(true);
    });

    it("reverts when the ERC-1271 wallet refuses the signature", async function () {
      const f = await pc.load();
      const walletAddress = await f.wallet.getAddress();
      const grant = await pc.draftGrant(f, { patient: walletAddress });
      const byStranger = await pc.sign(f, f.stranger, grant);
      await refusesSignature(f, grant, byStranger, walletAddress);
      const byOwner = await pc.sign(f, f.patient, grant);
      await f.wallet.connect(f.patient).setRefuseAll(true);
      await refusesSignature(f, grant, byOwner, walletAddress);
    });

    it("reverts when the signed grant itself is invalid", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f, { grantee: ZeroAddress });
      const signature = await pc.sign(f, f.patient, grant);
      await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidGrantee", [ZeroAddress], () =>
        f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
      );
    });

    it("reverts when paused", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      await f.consent.connect(f.admin).pause();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
      );
    });
  });

  describe("invalidateNonce", function () {
    it("burns the nonce so a handed-over signature can no longer be submitted", async function () {
      const f = await pc.load();
      const grant = await pc.draftGrant(f);
      const signature = await pc.sign(f, f.patient, grant);
      await expect(f.consent.connect(f.patient).invalidateNonce())
        .to.emit(f.consent, "NonceInvalidated")
        .withArgs(f.patient.address, 0n);
      expect(await f.consent.nonces(f.patient.address)).to.equal(1n);
      await pc.expectRevert(
        f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
        f.consent,
        "PatientConsentInvalidNonce",
        f.patient.address,
        1n,
        0n,
      );
    });

    it("works while paused", async function () {
      const f = await pc.load();
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.patient).invalidateNonce())
        .to.emit(f.consent, "NonceInvalidated")
        .withArgs(f.patient.address, 0n);
    });
  });

  describe("signed actions: digests and type strings match the SDK", function () {
    it("each digest view equals the SDK's hash, and the type strings are API 2's", async function () {
      const f = await pc.load();
      expect(CONSENT_REVOCATION_TYPE_STRING).to.equal(
        "ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)",
      );
      expect(DELEGATE_APPOINTMENT_TYPE_STRING).to.equal(
        "DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)",
      );
      expect(DELEGATE_REMOVAL_TYPE_STRING).to.equal(
        "DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)",
      );
      const revocation: ConsentRevocation = {
        patient: f.patient.address,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline: 123n,
      };
      const appointment: DelegateAppointment = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        purposes: 5n,
        categories: 0x300n,
        until: 999n,
        nonce: 7n,
        deadline: 123n,
      };
      const removal: DelegateRemoval = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        nonce: 42n,
        deadline: 123n,
      };
      expect(await f.consent.consentRevocationDigest(revocation)).to.equal(
        hashConsentAction("ConsentRevocation", 31337n, f.address, revocation),
      );
      expect(await f.consent.delegateAppointmentDigest(appointment)).to.equal(
        hashConsentAction("DelegateAppointment", 31337n, f.address, appointment),
      );
      expect(await f.consent.delegateRemovalDigest(removal)).to.equal(
        hashConsentAction("DelegateRemoval", 31337n, f.address, removal),
      );
      expect(
        TypedDataEncoder.hash(
          {
            name: "carechain PatientConsent",
            version: "1",
            chainId: 31337n,
            verifyingContract: f.address,
          },
          {
            DelegateRemoval: [
              { name: "patient", type: "address" },
              { name: "delegate", type: "address" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          removal,
        ),
      ).to.equal(await f.consent.delegateRemovalDigest(removal));
    });

    it("serializes and parses each signed action, recovering the signer", async function () {
      const f = await pc.load();
      const deadline = (await pc.now()) + pc.HOUR;
      for (const signed of [
        await signConsentRevocation(f.patient, f.address, { grantee: f.clinic.address, deadline }),
        await signDelegateAppointment(f.patient, f.address, {
          delegate: f.guardian.address,
          purposes: pc.purposes("TREAT"),
          categories: pc.LABS_MEDS,
          until: deadline + pc.DAY,
          deadline,
        }),
        await signDelegateRemoval(f.patient, f.address, { delegate: f.guardian.address, deadline }),
      ]) {
        const parsed = parseSignedConsentAction(serializeSignedConsentAction(signed));
        expect(parsed).to.deep.equal(signed);
        expect(recoverConsentActionSigner(parsed)).to.equal(f.patient.address);
      }
      expect(() => parseSignedConsentAction('{"primaryType":"Other"}')).to.throw(
        "signed action: domain is missing",
      );
    });
  });

  describe("signed actions: the full lifecycle by signature, EOA and ERC-1271", function () {
    for (const kind of ["EOA", "ERC-1271 wallet"] as const) {
      it(`appoints, revokes and removes by signature (${kind})`, async function () {
        const f = await pc.load();
        const patient = kind === "EOA" ? f.patient.address : f.walletAddress;
        const deadline = (await pc.now()) + pc.HOUR;
        const until = (await pc.now()) + 30n * pc.DAY;
        const appointment = await signDelegateAppointment(f.patient, f.address, {
          patient,
          delegate: f.guardian.address,
          purposes: pc.purposes("TREAT"),
          categories: pc.LABS_MEDS,
          until,
          deadline,
        });
        /** The relayer submits `signed`, which emits `event`. */
        const relayed = (signed: Parameters<typeof pc.relayAction>[1], event: string) =>
          expect(pc.relayAction(f, signed)).to.emit(f.consent, event);
        await relayed(appointment, "DelegateSet").withArgs(
          patient,
          f.guardian.address,
          pc.purposes("TREAT"),
          pc.LABS_MEDS,
          until,
        );
        await pc.grantWith(f, { patient, by: f.guardian, start: await pc.now(), end: until });

        const revocation = await signConsentRevocation(f.patient, f.address, {
          patient,
          grantee: f.clinic.address,
          deadline,
        });
        await relayed(revocation, "ConsentRevoked").withArgs(
          await f.consent.computeConsentId(patient, f.clinic.address, 1n),
          patient,
          f.clinic.address,
          patient,
        );

        const removal = await signDelegateRemoval(f.patient, f.address, {
          patient,
          delegate: f.guardian.address,
          deadline,
        });
        await relayed(removal, "DelegateRevoked").withArgs(patient, f.guardian.address);
        expect(await f.consent.isDelegate(patient, f.guardian.address)).to.equal(false);
        expect(await f.consent.isRevocationNonceUsed(patient, removal.message.nonce)).to.equal(
          true,
        );
      });
    }

    it("revocations and removals by signature work while paused; appointments do not", async function () {
      const f = await pc.load();
      const deadline = (await pc.now()) + pc.HOUR;
      const until = (await pc.now()) + 30n * pc.DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, pc.purposes("TREAT"), pc.LABS_MEDS, until);
      const start = await pc.now();
      await pc.grantTreatment(f, start, until);
      const appointment = await signDelegateAppointment(f.patient, f.address, {
        delegate: f.stranger.address,
        purposes: pc.purposes("TREAT"),
        categories: 0n,
        until,
        deadline,
      });
      await f.consent.connect(f.admin).pause();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        pc.relayAction(f, appointment),
      );
      const revocation = await signConsentRevocation(f.patient, f.address, {
        grantee: f.clinic.address,
        deadline,
      });
      await pc.relayAction(f, revocation);
      const removal = await signDelegateRemoval(f.patient, f.address, {
        delegate: f.guardian.address,
        deadline,
      });
      await pc.relayAction(f, removal);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("a removal voids an appointment signed before it (the stale appointment cannot restore the delegate)", async function () {
      const f = await pc.load();
      const deadline = (await pc.now()) + pc.HOUR;
      const until = (await pc.now()) + 30n * pc.DAY;
      const stale = await signDelegateAppointment(f.patient, f.address, {
        delegate: f.guardian.address,
        purposes: pc.purposes("TREAT"),
        categories: 0n,
        until,
        deadline,
      });
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, pc.purposes("TREAT"), 0n, until);
      const removal = await signDelegateRemoval(f.patient, f.address, {
        delegate: f.guardian.address,
        deadline,
      });
      await f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentInvalidNonce",
        [f.patient.address, 1n, 0n],
        () => f.consent.connect(f.guardian).setDelegateBySig(stale.message, stale.signature),
      );
    });
  });

  describe("signed actions: replay, another chain, another contract, wrong signer, expired, wrong nonce", function () {
    /** A fresh, valid signed action of each kind, with the ways to break it. */
    async function cases(f: Fixture) {
      const deadline = (await pc.now()) + pc.HOUR;
      const until = (await pc.now()) + 30n * pc.DAY;
      const start = await pc.now();
      await pc.grantTreatment(f, start, until);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, pc.purposes("TREAT"), 0n, until);
      const revocation: ConsentRevocation = {
        patient: f.patient.address,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline,
      };
      const appointment: DelegateAppointment = {
        patient: f.patient.address,
        delegate: f.stranger.address,
        purposes: pc.purposes("TREAT"),
        categories: 0n,
        until,
        nonce: await f.consent.nonces(f.patient.address),
        deadline,
      };
      const removal: DelegateRemoval = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        nonce: randomUnorderedNonce(),
        deadline,
      };
      return [
        { name: "DelegateAppointment" as const, message: appointment },
        { name: "ConsentRevocation" as const, message: revocation },
        { name: "DelegateRemoval" as const, message: removal },
      ];
    }

    /** The relayer submits case `c`'s message with `signature`. */
    const submit = (
      f: Fixture,
      c: { name: pc.RelayedAction["primaryType"]; message: pc.RelayedAction["message"] },
      signature: string,
    ) =>
      pc.relayAction(f, { primaryType: c.name, message: c.message, signature } as pc.RelayedAction);

    it("refuses a replay of each signed action", async function () {
      const f = await pc.load();
      for (const c of await cases(f)) {
        const signature = await pc.signFor(f.patient, c.name, c.message, f.address);
        await submit(f, c, signature);
        await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
          const replay = expect(submit(f, c, signature)).to.be;
          if (c.name === "DelegateAppointment") {
            await replay.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce");
          } else {
            await replay
              .revertedWithCustomError(f.consent, "PatientConsentNonceAlreadyUsed")
              .withArgs(f.patient.address, c.message.nonce);
          }
        });
      }
    });

    it("refuses each signed action signed for another chain, another contract or by another key", async function () {
      const f = await pc.load();
      const otherAddress = await f.other.getAddress();
      for (const c of await cases(f)) {
        const forged = [
          await pc.signFor(f.patient, c.name, c.message, f.address, 1n),
          await pc.signFor(f.patient, c.name, c.message, otherAddress),
          await pc.signFor(f.stranger, c.name, c.message, f.address),
          await pc.signFor(f.guardian, c.name, c.message, f.address),
        ];
        for (const signature of forged) {
          await pc.refuses(
            pc.watchConsent(f),
            "PatientConsentInvalidSignature",
            [f.patient.address],
            () => submit(f, c, signature),
          );
        }
      }
    });

    it("refuses each signed action after its deadline", async function () {
      const f = await pc.load();
      const all = await cases(f);
      const signatures = await Promise.all(
        all.map((c) => pc.signFor(f.patient, c.name, c.message, f.address)),
      );
      await pc.time.increaseTo(all[0]!.message.deadline + 1n);
      for (const [i, c] of all.entries()) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentSignatureExpired",
          [c.message.deadline],
          () => submit(f, c, signatures[i]!),
        );
      }
    });

    it("refuses an appointment with a wrong nonce, and any tampered field", async function () {
      const f = await pc.load();
      const all = await cases(f);
      const ahead = { ...(all[0]!.message as DelegateAppointment) };
      ahead.nonce += 1n;
      const aheadSignature = await pc.signFor(f.patient, "DelegateAppointment", ahead, f.address);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentInvalidNonce",
        [f.patient.address, ahead.nonce - 1n, ahead.nonce],
        () => submit(f, { name: "DelegateAppointment", message: ahead }, aheadSignature),
      );
      // A relay that tampers with what the patient signed: a wider scope, another grantee or delegate.
      const changes = [
        { categories: 0xfffn },
        { grantee: f.stranger.address },
        { delegate: f.stranger.address },
      ];
      for (const [i, c] of all.entries()) {
        const signature = await pc.signFor(f.patient, c.name, c.message, f.address);
        const message = { ...c.message, ...changes[i] };
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentInvalidSignature",
          [f.patient.address],
          () => submit(f, { name: c.name, message }, signature),
        );
      }
    });

    it("an ERC-1271 wallet that refuses its key makes every signed action fail", async function () {
      const f = await pc.load();
      await f.wallet.connect(f.patient).setRefuseAll(true);
      const deadline = (await pc.now()) + pc.HOUR;
      const revocation = await signConsentRevocation(f.patient, f.address, {
        patient: f.walletAddress,
        grantee: f.clinic.address,
        deadline,
      });
      const appointment = await signDelegateAppointment(f.patient, f.address, {
        patient: f.walletAddress,
        delegate: f.guardian.address,
        purposes: pc.purposes("TREAT"),
        categories: 0n,
        until: deadline + pc.DAY,
        deadline,
      });
      const removal = await signDelegateRemoval(f.patient, f.address, {
        patient: f.walletAddress,
        delegate: f.guardian.address,
        deadline,
      });
      await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
        for (const attempt of [
          pc.relayAction(f, revocation),
          pc.relayAction(f, appointment),
          pc.relayAction(f, removal),
        ]) {
          await pc.expectRevert(
            attempt,
            f.consent,
            "PatientConsentInvalidSignature",
            f.walletAddress,
          );
        }
      });
    });
  });
});
