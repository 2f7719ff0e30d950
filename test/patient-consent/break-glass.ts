import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";

import { DEFAULT_MAX_BREAK_GLASS_DURATION } from "../../ignition/modules/PatientConsent.js";
import { PROTECTED_CATEGORIES_MASK } from "../../sdk/patient-consent/index.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  ALL_CATEGORIES,
  HOUR,
  LABS_MEDS,
  REASON,
  RECORD,
  code,
  consentState,
  grantDefault,
  load,
  networkHelpers,
  now,
  time,
  authorized,
} from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("breakGlass", function () {
    it("opens an audited ETREAT window on every category for the set duration", async function () {
      const f = await load();
      const openedAt = (await now()) + 5n;
      await time.setNextBlockTimestamp(openedAt);
      const end = openedAt + DEFAULT_MAX_BREAK_GLASS_DURATION;
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(1n, f.patient.address, f.responder.address, REASON, end);
      const window = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      expect([window.id, window.openedAt, window.end]).to.deep.equal([1n, openedAt, end]);
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.responder.address, purpose, mask);
      expect(await ask(code("ETREAT"), ALL_CATEGORIES)).to.equal(true);
      expect(await ask(code("ETREAT"), BigInt(PROTECTED_CATEGORIES_MASK))).to.equal(true);
      expect(await ask(code("ETREAT"), 0xffffffffn)).to.equal(true);
      expect(await ask(code("TREAT"), 0n)).to.equal(false);
      expect(await ask(code("HRESCH"), 0n)).to.equal(false);
    });

    it("never outlives its window", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("ETREAT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          RECORD,
          f.responder.address,
          f.clinic.address,
          code("ETREAT"),
          ZeroHash,
          1n,
        );
      await time.setNextBlockTimestamp(end);
      await expectRevert(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("ETREAT")),
        f.consent,
        "PatientConsentNotAuthorized",
        f.patient.address,
        f.responder.address,
        code("ETREAT"),
        LABS_MEDS,
      );
      await networkHelpers.mine(); // a block at `end`: the view now answers at the window's end
      expect(await authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("closes when the responder loses EMERGENCY_ROLE", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).revokeRole(f.EMERGENCY_ROLE, f.responder.address);
      expect(await authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("keeps an open window's end when the admin changes the duration", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const before = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await f.consent.connect(f.admin).setMaxBreakGlassDuration(15n * 60n);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        before.end,
      );
    });

    it("numbers windows contract-wide and reopens after one closed", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).grantRole(f.EMERGENCY_ROLE, f.clinic.address);
      await expect(f.consent.connect(f.clinic).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(
          2n,
          f.patient.address,
          f.clinic.address,
          REASON,
          (await now()) + 1n + DEFAULT_MAX_BREAK_GLASS_DURATION,
        );
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await time.increase(await f.consent.breakGlassCooldown());
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(
          3n,
          f.patient.address,
          f.responder.address,
          REASON,
          (await now()) + 1n + DEFAULT_MAX_BREAK_GLASS_DURATION,
        );
    });

    it("reverts when the caller lacks EMERGENCY_ROLE", async function () {
      const f = await load();
      for (const caller of [f.stranger, f.clinic, f.admin, f.patient]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).breakGlass(f.patient.address, REASON),
          f.consent,
          "AccessControlUnauthorizedAccount",
          caller.address,
          f.EMERGENCY_ROLE,
        );
      }
    });

    it("reverts when the patient is the zero address or the responder", async function () {
      const f = await load();
      for (const patient of [ZeroAddress, f.responder.address]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.responder).breakGlass(patient, REASON),
          f.consent,
          "PatientConsentInvalidPatient",
          patient,
        );
      }
    });

    it("reverts without a reason hash", async function () {
      const f = await load();
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).breakGlass(f.patient.address, ZeroHash),
        f.consent,
        "PatientConsentInvalidReason",
        ZeroHash,
      );
    });

    it("reverts when the responder's window on the patient is still open", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).breakGlass(f.patient.address, REASON),
        f.consent,
        "PatientConsentBreakGlassAlreadyOpen",
        f.patient.address,
        f.responder.address,
        end,
      );
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).breakGlass(f.patient.address, REASON),
        f.consent,
        "EnforcedPause",
      );
    });
  });

  describe("endBreakGlass", function () {
    it("closes the window now and emits BreakGlassEnded", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const closedAt = (await now()) + 60n;
      await time.setNextBlockTimestamp(closedAt);
      await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
        .to.emit(f.consent, "BreakGlassEnded")
        .withArgs(1n, f.patient.address, f.responder.address);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        closedAt,
      );
      expect(await authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address)).to.emit(
        f.consent,
        "BreakGlassEnded",
      );
    });

    it("reverts when no window is open (never opened, ended, over, someone else's)", async function () {
      const f = await load();
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).endBreakGlass(f.patient.address),
        f.consent,
        "PatientConsentBreakGlassNotOpen",
        f.patient.address,
        f.responder.address,
      );
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.stranger).endBreakGlass(f.patient.address),
        f.consent,
        "PatientConsentBreakGlassNotOpen",
        f.patient.address,
        f.stranger.address,
      );
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).endBreakGlass(f.patient.address),
        f.consent,
        "PatientConsentBreakGlassNotOpen",
        f.patient.address,
        f.responder.address,
      );
      await time.increase(await f.consent.breakGlassCooldown());
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await time.increase(DEFAULT_MAX_BREAK_GLASS_DURATION);
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.responder).endBreakGlass(f.patient.address),
        f.consent,
        "PatientConsentBreakGlassNotOpen",
        f.patient.address,
        f.responder.address,
      );
    });
  });

  describe("setMaxBreakGlassDuration", function () {
    it("sets the duration within bounds and emits MaxBreakGlassDurationSet", async function () {
      const f = await load();
      for (const duration of [15n * 60n, 72n * HOUR, 6n * HOUR]) {
        const previous = await f.consent.maxBreakGlassDuration();
        await expect(f.consent.connect(f.admin).setMaxBreakGlassDuration(duration))
          .to.emit(f.consent, "MaxBreakGlassDurationSet")
          .withArgs(previous, duration);
        expect(await f.consent.maxBreakGlassDuration()).to.equal(duration);
      }
      expect(await f.consent.SHORTEST_BREAK_GLASS()).to.equal(15n * 60n);
      expect(await f.consent.LONGEST_BREAK_GLASS()).to.equal(72n * HOUR);
    });

    it("reverts when out of bounds", async function () {
      const f = await load();
      for (const duration of [0n, 15n * 60n - 1n, 72n * HOUR + 1n]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.admin).setMaxBreakGlassDuration(duration),
          f.consent,
          "PatientConsentBreakGlassDurationOutOfBounds",
          duration,
          15n * 60n,
          72n * HOUR,
        );
      }
    });

    it("reverts when the caller is not the admin", async function () {
      const f = await load();
      for (const caller of [f.stranger, f.responder]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).setMaxBreakGlassDuration(HOUR),
          f.consent,
          "AccessControlUnauthorizedAccount",
          caller.address,
          ZeroHash,
        );
      }
    });
  });
});
