import { expect } from "chai";
import { ZeroAddress } from "ethers";

import { expectRefused } from "../helpers/expect.js";
import {
  ALL_CATEGORIES,
  ALL_PURPOSES,
  DAY,
  LABS_MEDS,
  categories,
  consentIdOf,
  consentState,
  grantAs,
  grantDefault,
  load,
  now,
  purposes,
  time,
  authorized,
  appoint,
} from "../helpers/patient-consent.js";
import { ConsentState } from "../helpers/states.js";

describe("PatientConsent", function () {
  describe("grantConsent", function () {
    it("records the patient's consent and emits ConsentGranted with its id", async function () {
      const f = await load();
      const start = await now();
      const end = start + 30n * DAY;
      const p = purposes("TREAT", "HPAYMT");
      const expectedId = consentIdOf(f.patient.address, f.clinic.address, 1n);
      expect(
        await f.consent
          .connect(f.patient)
          .grantConsent.staticCall(f.patient.address, f.clinic.address, p, LABS_MEDS, start, end),
      ).to.equal(expectedId);
      await expect(grantAs(f, f.patient, f.clinic.address, p, LABS_MEDS, start, end))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          expectedId,
          f.patient.address,
          f.clinic.address,
          p,
          LABS_MEDS,
          start,
          end,
          f.patient.address,
        );
      const stored = await f.consent.consentOf(f.patient.address, f.clinic.address);
      expect([
        stored.purposes,
        stored.categories,
        stored.start,
        stored.end,
        stored.serial,
        stored.revoked,
      ]).to.deep.equal([p, LABS_MEDS, start, end, 1n, false]);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        ConsentState.Active,
      );
      expect(await f.consent.consentIdOf(f.patient.address, f.clinic.address)).to.equal(expectedId);
      expect(await f.consent.computeConsentId(f.patient.address, f.clinic.address, 1n)).to.equal(
        expectedId,
      );
      expect(await authorized(f, f.clinic.address, "TREAT", LABS_MEDS)).to.equal(true);
    });

    it("lets an active delegate grant for the patient (grantedBy = the delegate)", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + 365n * DAY);
      const start = await now();
      await expect(
        grantAs(f, f.guardian, f.clinic.address, purposes("TREAT"), 0n, start, start + DAY),
      )
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          0n,
          start,
          start + DAY,
          f.guardian.address,
        );
    });

    it("keeps a consent with a future start pending until it starts", async function () {
      const f = await load();
      const start = (await now()) + 10n * DAY;
      await grantAs(
        f,
        f.patient,
        f.clinic.address,
        purposes("TREAT"),
        LABS_MEDS,
        start,
        start + DAY,
      );
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        ConsentState.Pending,
      );
      expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
      await time.increaseTo(start);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        ConsentState.Active,
      );
      expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(true);
    });

    it("replaces the pair's previous consent with the next serial", async function () {
      const f = await load();
      await grantDefault(f);
      const start = await now();
      await expect(
        grantAs(
          f,
          f.patient,
          f.clinic.address,
          purposes("HRESCH"),
          categories("genetics"),
          start,
          start + DAY,
        ),
      )
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 2n),
          f.patient.address,
          f.clinic.address,
          purposes("HRESCH"),
          categories("genetics"),
          start,
          start + DAY,
          f.patient.address,
        );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
      expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
      expect(await authorized(f, f.clinic.address, "HRESCH", categories("genetics"))).to.equal(
        true,
      );
    });

    it("starts over after a revocation", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await grantDefault(f);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        ConsentState.Active,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await load();
      const start = await now();
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await expectRefused(
          consentState(f),
          () =>
            grantAs(f, caller, caller.address, purposes("TREAT"), LABS_MEDS, start, start + DAY),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          caller.address,
          f.patient.address,
        );
      }
    });

    it("reverts when the delegation has expired or was revoked", async function () {
      const f = await load();
      const until = (await now()) + DAY;
      await appoint(f, f.guardian.address, until);
      await appoint(f, f.stranger.address, until + DAY);
      await f.consent.connect(f.patient).revokeDelegate(f.stranger.address);
      await time.increaseTo(until);
      const start = await now();
      for (const former of [f.guardian, f.stranger]) {
        await expectRefused(
          consentState(f),
          () => grantAs(f, former, f.clinic.address, purposes("TREAT"), 0n, start, start + DAY),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          former.address,
          f.patient.address,
        );
      }
    });

    it("reverts when the grantee is the zero address or the patient", async function () {
      const f = await load();
      const start = await now();
      for (const grantee of [ZeroAddress, f.patient.address]) {
        await expectRefused(
          consentState(f),
          () => grantAs(f, f.patient, grantee, purposes("TREAT"), 0n, start, start + DAY),
          f.consent,
          "PatientConsentInvalidGrantee",
          grantee,
        );
      }
    });

    it("reverts when the purposes are empty or undefined", async function () {
      const f = await load();
      const start = await now();
      for (const mask of [0n, 1n << 14n, 1n << 31n, purposes("TREAT") | (1n << 20n)]) {
        await expectRefused(
          consentState(f),
          () => grantAs(f, f.patient, f.clinic.address, mask, 0n, start, start + DAY),
          f.consent,
          "PatientConsentInvalidPurposes",
          mask,
        );
      }
    });

    it("reverts when the categories have an undefined bit", async function () {
      const f = await load();
      const start = await now();
      for (const mask of [1n << 12n, LABS_MEDS | (1n << 31n)]) {
        await expectRefused(
          consentState(f),
          () =>
            grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), mask, start, start + DAY),
          f.consent,
          "PatientConsentInvalidCategories",
          mask,
        );
      }
    });

    it("reverts when the period is empty, inverted or over", async function () {
      const f = await load();
      const t = await now();
      for (const [start, end] of [
        [t + DAY, t + DAY],
        [t + 2n * DAY, t + DAY],
        [t - 2n * DAY, t - DAY],
        [t - DAY, t],
      ] as const) {
        await expectRefused(
          consentState(f),
          () => grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), 0n, start, end),
          f.consent,
          "PatientConsentInvalidPeriod",
          start,
          end,
        );
      }
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      const start = await now();
      await expectRefused(
        consentState(f),
        () => grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), 0n, start, start + DAY),
        f.consent,
        "EnforcedPause",
      );
    });
  });
});
