import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  ALL_CATEGORIES,
  ALL_PURPOSES,
  DAY,
  consentState,
  load,
  now,
  purposes,
  time,
  grantAs,
  appoint,
} from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("setDelegate", function () {
    it("appoints a delegate until a date and emits DelegateSet", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await expect(appoint(f, f.guardian.address, until))
        .to.emit(f.consent, "DelegateSet")
        .withArgs(f.patient.address, f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until,
      );
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
      await time.increaseTo(until);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("re-dates an existing delegate", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await appoint(f, f.guardian.address, until);
      await expect(appoint(f, f.guardian.address, until - 20n * DAY))
        .to.emit(f.consent, "DelegateSet")
        .withArgs(
          f.patient.address,
          f.guardian.address,
          ALL_PURPOSES,
          ALL_CATEGORIES,
          until - 20n * DAY,
        );
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until - 20n * DAY,
      );
    });

    it("lets a delegate appoint only for its own account, never for the patient", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await appoint(f, f.guardian.address, until);
      await expect(
        f.consent
          .connect(f.guardian)
          .setDelegate(f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until),
      )
        .to.emit(f.consent, "DelegateSet")
        .withArgs(f.guardian.address, f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      expect(await f.consent.isDelegate(f.patient.address, f.stranger.address)).to.equal(false);
      const start = await now();
      await expectRevert(
        grantAs(f, f.stranger, f.stranger.address, purposes("TREAT"), 0n, start, start + DAY),
        f.consent,
        "PatientConsentUnauthorizedCaller",
        f.stranger.address,
        f.patient.address,
      );
    });

    it("reverts when the delegate is the zero address or the patient", async function () {
      const f = await load();
      const until = (await now()) + DAY;
      for (const delegate of [ZeroAddress, f.patient.address]) {
        await expectRefused(
          consentState(f),
          () => appoint(f, delegate, until),
          f.consent,
          "PatientConsentInvalidDelegate",
          delegate,
        );
      }
    });

    it("reverts when the end is not in the future", async function () {
      const f = await load();
      const t = await now();
      for (const until of [0n, t - DAY, t]) {
        await expectRefused(
          consentState(f),
          () => appoint(f, f.guardian.address, until),
          f.consent,
          "PatientConsentInvalidDelegationEnd",
          until,
        );
      }
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      const until = (await now()) + DAY;
      await expectRefused(
        consentState(f),
        () => appoint(f, f.guardian.address, until),
        f.consent,
        "EnforcedPause",
      );
    });
  });

  describe("revokeDelegate", function () {
    it("removes the delegate at once and emits DelegateRevoked", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address))
        .to.emit(f.consent, "DelegateRevoked")
        .withArgs(f.patient.address, f.guardian.address);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(0n);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address)).to.emit(
        f.consent,
        "DelegateRevoked",
      );
    });

    it("reverts when the delegate is not active (never appointed, removed, expired)", async function () {
      const f = await load();
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeDelegate(f.guardian.address),
        f.consent,
        "PatientConsentDelegateNotActive",
        f.patient.address,
        f.guardian.address,
      );
      const until = (await now()) + DAY;
      await appoint(f, f.guardian.address, until);
      await appoint(f, f.stranger.address, until);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeDelegate(f.guardian.address),
        f.consent,
        "PatientConsentDelegateNotActive",
        f.patient.address,
        f.guardian.address,
      );
      await time.increaseTo(until);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.patient).revokeDelegate(f.stranger.address),
        f.consent,
        "PatientConsentDelegateNotActive",
        f.patient.address,
        f.stranger.address,
      );
    });

    it("reverts when anyone but the patient tries to remove the patient's delegate", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      for (const caller of [f.stranger, f.admin, f.guardian]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).revokeDelegate(f.guardian.address),
          f.consent,
          "PatientConsentDelegateNotActive",
          caller.address,
          f.guardian.address,
        );
      }
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
    });
  });
});
