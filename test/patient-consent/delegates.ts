import { expect } from "chai";
import { ZeroAddress } from "ethers";
import * as pc from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("setDelegate", function () {
    it("appoints a delegate until a date and emits DelegateSet", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + 30n * pc.DAY;
      await expect(pc.appoint(f, f.guardian.address, until))
        .to.emit(f.consent, "DelegateSet")
        .withArgs(f.patient.address, f.guardian.address, pc.ALL_PURPOSES, pc.ALL_CATEGORIES, until);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until,
      );
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
      await pc.time.increaseTo(until);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("re-dates an existing delegate", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + 30n * pc.DAY;
      await pc.appoint(f, f.guardian.address, until);
      await expect(pc.appoint(f, f.guardian.address, until - 20n * pc.DAY))
        .to.emit(f.consent, "DelegateSet")
        .withArgs(
          f.patient.address,
          f.guardian.address,
          pc.ALL_PURPOSES,
          pc.ALL_CATEGORIES,
          until - 20n * pc.DAY,
        );
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until - 20n * pc.DAY,
      );
    });

    it("lets a delegate appoint only for its own account, never for the patient", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + 30n * pc.DAY;
      await pc.appoint(f, f.guardian.address, until);
      await expect(
        f.consent
          .connect(f.guardian)
          .setDelegate(f.stranger.address, pc.ALL_PURPOSES, pc.ALL_CATEGORIES, until),
      )
        .to.emit(f.consent, "DelegateSet")
        .withArgs(
          f.guardian.address,
          f.stranger.address,
          pc.ALL_PURPOSES,
          pc.ALL_CATEGORIES,
          until,
        );
      expect(await f.consent.isDelegate(f.patient.address, f.stranger.address)).to.equal(false);
      const start = await pc.now();
      await pc.refusesUnauthorizedCaller(f, f.stranger, () =>
        pc.grantWith(f, { by: f.stranger, grantee: f.stranger.address, categories: 0n, start }),
      );
    });

    it("reverts when the delegate is the zero address or the patient", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + pc.DAY;
      for (const delegate of [ZeroAddress, f.patient.address]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidDelegate", [delegate], () =>
          pc.appoint(f, delegate, until),
        );
      }
    });

    it("reverts when the end is not in the future", async function () {
      const f = await pc.load();
      const t = await pc.now();
      for (const until of [0n, t - pc.DAY, t]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidDelegationEnd", [until], () =>
          pc.appoint(f, f.guardian.address, until),
        );
      }
    });

    it("reverts when paused", async function () {
      const f = await pc.load();
      await f.consent.connect(f.admin).pause();
      const until = (await pc.now()) + pc.DAY;
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        pc.appoint(f, f.guardian.address, until),
      );
    });
  });

  describe("revokeDelegate", function () {
    it("removes the delegate at once and emits DelegateRevoked", async function () {
      const f = await pc.load();
      await pc.appoint(f, f.guardian.address, (await pc.now()) + pc.DAY);
      await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address))
        .to.emit(f.consent, "DelegateRevoked")
        .withArgs(f.patient.address, f.guardian.address);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(0n);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await pc.load();
      await pc.appoint(f, f.guardian.address, (await pc.now()) + pc.DAY);
      await pc.expectEmitsWhilePaused(f, "DelegateRevoked", () =>
        f.consent.connect(f.patient).revokeDelegate(f.guardian.address),
      );
    });

    it("reverts when the delegate is not active (never appointed, removed, expired)", async function () {
      const f = await pc.load();
      /** The patient removing `delegate` is refused: it is not active; nothing changes. */
      const notActive = (delegate: string) =>
        pc.refuses(
          pc.watchConsent(f),
          "PatientConsentDelegateNotActive",
          [f.patient.address, delegate],
          () => f.consent.connect(f.patient).revokeDelegate(delegate),
        );
      await notActive(f.guardian.address);
      const until = (await pc.now()) + pc.DAY;
      await pc.appoint(f, f.guardian.address, until);
      await pc.appoint(f, f.stranger.address, until);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      await notActive(f.guardian.address);
      await pc.time.increaseTo(until);
      await notActive(f.stranger.address);
    });

    it("reverts when anyone but the patient tries to remove the patient's delegate", async function () {
      const f = await pc.load();
      await pc.appoint(f, f.guardian.address, (await pc.now()) + pc.DAY);
      for (const caller of [f.stranger, f.admin, f.guardian]) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentDelegateNotActive",
          [caller.address, f.guardian.address],
          () => f.consent.connect(caller).revokeDelegate(f.guardian.address),
        );
      }
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
    });
  });
});
