import { expect } from "chai";

import { expectRefused } from "../helpers/expect.js";
import {
  ALL_CATEGORIES,
  ALL_PURPOSES,
  DAY,
  REVOCABLE,
  consentIdOf,
  consentState,
  grantAs,
  grantDefault,
  load,
  now,
  purposes,
  time,
  authorized,
} from "../helpers/patient-consent.js";
import { ConsentState } from "../helpers/states.js";

describe("PatientConsent", function () {
  describe("revokeConsent", function () {
    it("revokes at once and emits ConsentRevoked with the grant's id", async function () {
      const f = await load();
      await grantDefault(f);
      const consentId = consentIdOf(f.patient.address, f.clinic.address, 1n);
      await expect(f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(consentId, f.patient.address, f.clinic.address, f.patient.address);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        ConsentState.Revoked,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).revoked).to.equal(
        true,
      );
      expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
    });

    it("lets an active delegate revoke (revokedBy = the delegate)", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await expect(f.consent.connect(f.guardian).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          f.guardian.address,
        );
    });

    it("revokes a consent that has not started yet", async function () {
      const f = await load();
      const start = (await now()) + DAY;
      await grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), 0n, start, start + DAY);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await time.increaseTo(start + 1n);
      expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
    });

    it("works while paused: withdrawing consent is never blocked", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await expect(
        f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
      ).to.emit(f.consent, "ConsentRevoked");
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await load();
      await grantDefault(f);
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).revokeConsent(f.patient.address, f.clinic.address),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          caller.address,
          f.patient.address,
        );
      }
    });

    it("reverts when there is no live consent (never granted, revoked, expired)", async function () {
      const f = await load();
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        f.consent,
        "PatientConsentUnexpectedConsentState",
        f.patient.address,
        f.clinic.address,
        ConsentState.None,
        REVOCABLE,
      );
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        f.consent,
        "PatientConsentUnexpectedConsentState",
        f.patient.address,
        f.clinic.address,
        ConsentState.Revoked,
        REVOCABLE,
      );
      const { end } = await grantDefault(f, f.insurer);
      await time.increaseTo(end);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.insurer.address),
        f.consent,
        "PatientConsentUnexpectedConsentState",
        f.patient.address,
        f.insurer.address,
        ConsentState.Expired,
        REVOCABLE,
      );
    });
  });
});
