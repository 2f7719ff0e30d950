import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";

import { DEFAULT_MAX_BREAK_GLASS_DURATION } from "../../ignition/modules/PatientConsent.js";
import * as pc from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("breakGlass", function () {
    it("opens an audited ETREAT window on every category for the set duration", async function () {
      const f = await pc.load();
      const openedAt = (await pc.now()) + 5n;
      await pc.time.setNextBlockTimestamp(openedAt);
      const end = openedAt + DEFAULT_MAX_BREAK_GLASS_DURATION;
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(1n, f.patient.address, f.responder.address, pc.REASON, end);
      const window = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      expect([window.id, window.openedAt, window.end]).to.deep.equal([1n, openedAt, end]);
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.responder.address, purpose, mask);
      expect(await ask(pc.code("ETREAT"), pc.ALL_CATEGORIES)).to.equal(true);
      expect(await ask(pc.code("ETREAT"), BigInt(pc.PROTECTED_CATEGORIES_MASK))).to.equal(true);
      expect(await ask(pc.code("ETREAT"), 0xffffffffn)).to.equal(true);
      expect(await ask(pc.code("TREAT"), 0n)).to.equal(false);
      expect(await ask(pc.code("HRESCH"), 0n)).to.equal(false);
    });

    it("never outlives its window", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await pc.expectAccessUntil(f, f.responder, "ETREAT", end, pc.LABS_MEDS, { breakGlassId: 1n });
      await pc.networkHelpers.mine(); // a block at `end`: the view now answers at the window's end
      expect(await pc.authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("closes when the responder loses EMERGENCY_ROLE", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await f.consent.connect(f.admin).revokeRole(f.EMERGENCY_ROLE, f.responder.address);
      expect(await pc.authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("keeps an open window's end when the admin changes the duration", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      const before = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await f.consent.connect(f.admin).setMaxBreakGlassDuration(15n * 60n);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        before.end,
      );
    });

    it("numbers windows contract-wide and reopens after one closed", async function () {
      const f = await pc.load();
      const opens = async (by: typeof f.clinic, windowId: bigint) =>
        expect(f.consent.connect(by).breakGlass(f.patient.address, pc.REASON))
          .to.emit(f.consent, "BreakGlassOpened")
          .withArgs(
            windowId,
            f.patient.address,
            by.address,
            pc.REASON,
            (await pc.now()) + 1n + DEFAULT_MAX_BREAK_GLASS_DURATION,
          );
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await f.consent.connect(f.admin).grantRole(f.EMERGENCY_ROLE, f.clinic.address);
      await opens(f.clinic, 2n);
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await pc.time.increase(await f.consent.breakGlassCooldown());
      await opens(f.responder, 3n);
    });

    it("reverts when the caller lacks EMERGENCY_ROLE", async function () {
      const f = await pc.load();
      for (const caller of [f.stranger, f.clinic, f.admin, f.patient]) {
        await pc.refuses(
          pc.watchConsent(f),
          "AccessControlUnauthorizedAccount",
          [caller.address, f.EMERGENCY_ROLE],
          () => f.consent.connect(caller).breakGlass(f.patient.address, pc.REASON),
        );
      }
    });

    it("reverts when the patient is the zero address or the responder", async function () {
      const f = await pc.load();
      for (const patient of [ZeroAddress, f.responder.address]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidPatient", [patient], () =>
          f.consent.connect(f.responder).breakGlass(patient, pc.REASON),
        );
      }
    });

    it("reverts without a reason hash", async function () {
      const f = await pc.load();
      await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidReason", [ZeroHash], () =>
        f.consent.connect(f.responder).breakGlass(f.patient.address, ZeroHash),
      );
    });

    it("reverts when the responder's window on the patient is still open", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentBreakGlassAlreadyOpen",
        [f.patient.address, f.responder.address, end],
        () => f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON),
      );
    });

    it("reverts when paused", async function () {
      const f = await pc.load();
      await f.consent.connect(f.admin).pause();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON),
      );
    });
  });

  describe("endBreakGlass", function () {
    it("closes the window now and emits BreakGlassEnded", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      const closedAt = (await pc.now()) + 60n;
      await pc.time.setNextBlockTimestamp(closedAt);
      await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
        .to.emit(f.consent, "BreakGlassEnded")
        .withArgs(1n, f.patient.address, f.responder.address);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        closedAt,
      );
      expect(await pc.authorized(f, f.responder.address, "ETREAT", 0n)).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await pc.expectEmitsWhilePaused(f, "BreakGlassEnded", () =>
        f.consent.connect(f.responder).endBreakGlass(f.patient.address),
      );
    });

    it("reverts when no window is open (never opened, ended, over, someone else's)", async function () {
      const f = await pc.load();
      /** `by` ending its window on the patient is refused: none is open; nothing changes. */
      const notOpen = (by: typeof f.responder) =>
        pc.refuses(
          pc.watchConsent(f),
          "PatientConsentBreakGlassNotOpen",
          [f.patient.address, by.address],
          () => f.consent.connect(by).endBreakGlass(f.patient.address),
        );
      await notOpen(f.responder);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await notOpen(f.stranger);
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await notOpen(f.responder);
      await pc.time.increase(await f.consent.breakGlassCooldown());
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await pc.time.increase(DEFAULT_MAX_BREAK_GLASS_DURATION);
      await notOpen(f.responder);
    });
  });

  describe("setMaxBreakGlassDuration", function () {
    it("sets the duration within bounds and emits MaxBreakGlassDurationSet", async function () {
      const f = await pc.load();
      for (const duration of [15n * 60n, 72n * pc.HOUR, 6n * pc.HOUR]) {
        const previous = await f.consent.maxBreakGlassDuration();
        await expect(f.consent.connect(f.admin).setMaxBreakGlassDuration(duration))
          .to.emit(f.consent, "MaxBreakGlassDurationSet")
          .withArgs(previous, duration);
        expect(await f.consent.maxBreakGlassDuration()).to.equal(duration);
      }
      expect(await f.consent.SHORTEST_BREAK_GLASS()).to.equal(15n * 60n);
      expect(await f.consent.LONGEST_BREAK_GLASS()).to.equal(72n * pc.HOUR);
    });

    it("reverts when out of bounds", async function () {
      const f = await pc.load();
      for (const duration of [0n, 15n * 60n - 1n, 72n * pc.HOUR + 1n]) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentBreakGlassDurationOutOfBounds",
          [duration, 15n * 60n, 72n * pc.HOUR],
          () => f.consent.connect(f.admin).setMaxBreakGlassDuration(duration),
        );
      }
    });

    it("reverts when the caller is not the admin", async function () {
      const f = await pc.load();
      for (const caller of [f.stranger, f.responder]) {
        await pc.refuses(
          pc.watchConsent(f),
          "AccessControlUnauthorizedAccount",
          [caller.address, ZeroHash],
          () => f.consent.connect(caller).setMaxBreakGlassDuration(pc.HOUR),
        );
      }
    });
  });
});
