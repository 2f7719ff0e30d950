import { expect } from "chai";
import * as pc from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("revokeConsent", function () {
    it("revokes at once and emits ConsentRevoked with the grant's id", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      const consentId = pc.consentIdOf(f.patient.address, f.clinic.address, 1n);
      await expect(f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(consentId, f.patient.address, f.clinic.address, f.patient.address);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Revoked,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).revoked).to.equal(
        true,
      );
      expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
    });

    it("lets an active delegate revoke (revokedBy = the delegate)", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await pc.appoint(f, f.guardian.address, (await pc.now()) + pc.DAY);
      await expect(f.consent.connect(f.guardian).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(
          pc.consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          f.guardian.address,
        );
    });

    it("revokes a consent that has not started yet", async function () {
      const f = await pc.load();
      const start = (await pc.now()) + pc.DAY;
      await pc.grantTreatment(f, start, start + pc.DAY);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await pc.time.increaseTo(start + 1n);
      expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
    });

    it("works while paused: withdrawing consent is never blocked", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await expect(
        f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
      ).to.emit(f.consent, "ConsentRevoked");
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentUnauthorizedCaller",
          [caller.address, f.patient.address],
          () => f.consent.connect(caller).revokeConsent(f.patient.address, f.clinic.address),
        );
      }
    });

    it("reverts when there is no live consent (never granted, revoked, expired)", async function () {
      const f = await pc.load();
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentUnexpectedConsentState",
        [f.patient.address, f.clinic.address, pc.ConsentState.None, pc.REVOCABLE],
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
      );
      await pc.grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentUnexpectedConsentState",
        [f.patient.address, f.clinic.address, pc.ConsentState.Revoked, pc.REVOCABLE],
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
      );
      const { end } = await pc.grantDefault(f, f.insurer);
      await pc.time.increaseTo(end);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentUnexpectedConsentState",
        [f.patient.address, f.insurer.address, pc.ConsentState.Expired, pc.REVOCABLE],
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.insurer.address),
      );
    });
  });
});
