import { expect } from "chai";
import { ZeroAddress } from "ethers";
import * as pc from "../helpers/patient-consent.js";

/**
 * `grantWith(f, terms)` emits ConsentGranted with the id of the clinic's `serial`th consent from
 * the patient, the terms (and their defaults) and the sender as `grantedBy`.
 */
async function expectGranted(
  f: pc.Fixture,
  terms: Omit<pc.GrantTerms, "patient" | "grantee"> & { serial: bigint },
) {
  const { by = f.patient, serial, purposes = pc.purposes("TREAT"), start } = terms;
  const { categories = pc.LABS_MEDS, end = start + pc.DAY } = terms;
  await expect(pc.grantWith(f, terms))
    .to.emit(f.consent, "ConsentGranted")
    .withArgs(
      pc.consentIdOf(f.patient.address, f.clinic.address, serial),
      f.patient.address,
      f.clinic.address,
      purposes,
      categories,
      start,
      end,
      await by.getAddress(),
    );
}

describe("PatientConsent", function () {
  describe("grantConsent", function () {
    it("records the patient's consent and emits ConsentGranted with its id", async function () {
      const f = await pc.load();
      const start = await pc.now();
      const end = start + 30n * pc.DAY;
      const p = pc.purposes("TREAT", "HPAYMT");
      const expectedId = pc.consentIdOf(f.patient.address, f.clinic.address, 1n);
      expect(
        await f.consent
          .connect(f.patient)
          .grantConsent.staticCall(
            f.patient.address,
            f.clinic.address,
            p,
            pc.LABS_MEDS,
            start,
            end,
          ),
      ).to.equal(expectedId);
      await expectGranted(f, { serial: 1n, purposes: p, start, end });
      const stored = await f.consent.consentOf(f.patient.address, f.clinic.address);
      expect([
        stored.purposes,
        stored.categories,
        stored.start,
        stored.end,
        stored.serial,
        stored.revoked,
      ]).to.deep.equal([p, pc.LABS_MEDS, start, end, 1n, false]);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Active,
      );
      expect(await f.consent.consentIdOf(f.patient.address, f.clinic.address)).to.equal(expectedId);
      expect(await f.consent.computeConsentId(f.patient.address, f.clinic.address, 1n)).to.equal(
        expectedId,
      );
      expect(await pc.authorized(f, f.clinic.address, "TREAT", pc.LABS_MEDS)).to.equal(true);
    });

    it("lets an active delegate grant for the patient (grantedBy = the delegate)", async function () {
      const f = await pc.load();
      await pc.appoint(f, f.guardian.address, (await pc.now()) + 365n * pc.DAY);
      const start = await pc.now();
      await expectGranted(f, { by: f.guardian, serial: 1n, categories: 0n, start });
    });

    it("keeps a consent with a future start pending until it starts", async function () {
      const f = await pc.load();
      const start = (await pc.now()) + 10n * pc.DAY;
      await pc.grantWith(f, { start });
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Pending,
      );
      expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
      await pc.time.increaseTo(start);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Active,
      );
      expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(true);
    });

    it("replaces the pair's previous consent with the next serial", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      const start = await pc.now();
      const genetics = pc.categories("genetics");
      await expectGranted(f, {
        serial: 2n,
        purposes: pc.purposes("HRESCH"),
        categories: genetics,
        start,
      });
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
      expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
      expect(
        await pc.authorized(f, f.clinic.address, "HRESCH", pc.categories("genetics")),
      ).to.equal(true);
    });

    it("starts over after a revocation", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await pc.grantDefault(f);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        pc.ConsentState.Active,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await pc.load();
      const start = await pc.now();
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await pc.refusesUnauthorizedCaller(f, caller, () =>
          pc.grantWith(f, { by: caller, grantee: caller.address, start }),
        );
      }
    });

    it("reverts when the delegation has expired or was revoked", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + pc.DAY;
      await pc.appoint(f, f.guardian.address, until);
      await pc.appoint(f, f.stranger.address, until + pc.DAY);
      await f.consent.connect(f.patient).revokeDelegate(f.stranger.address);
      await pc.time.increaseTo(until);
      const start = await pc.now();
      for (const former of [f.guardian, f.stranger]) {
        await pc.refusesUnauthorizedCaller(f, former, () =>
          pc.grantWith(f, { by: former, categories: 0n, start }),
        );
      }
    });

    it("reverts when the grantee is the zero address or the patient", async function () {
      const f = await pc.load();
      const start = await pc.now();
      for (const grantee of [ZeroAddress, f.patient.address]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidGrantee", [grantee], () =>
          pc.grantAs(f, f.patient, grantee, pc.purposes("TREAT"), 0n, start, start + pc.DAY),
        );
      }
    });

    it("reverts when the purposes are empty or undefined", async function () {
      const f = await pc.load();
      const start = await pc.now();
      for (const mask of [0n, 1n << 14n, 1n << 31n, pc.purposes("TREAT") | (1n << 20n)]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidPurposes", [mask], () =>
          pc.grantAs(f, f.patient, f.clinic.address, mask, 0n, start, start + pc.DAY),
        );
      }
    });

    it("reverts when the categories have an undefined bit", async function () {
      const f = await pc.load();
      const start = await pc.now();
      for (const mask of [1n << 12n, pc.LABS_MEDS | (1n << 31n)]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidCategories", [mask], () =>
          pc.grantWith(f, { categories: mask, start }),
        );
      }
    });

    it("reverts when the period is empty, inverted or over", async function () {
      const f = await pc.load();
      const t = await pc.now();
      for (const [start, end] of [
        [t + pc.DAY, t + pc.DAY],
        [t + 2n * pc.DAY, t + pc.DAY],
        [t - 2n * pc.DAY, t - pc.DAY],
        [t - pc.DAY, t],
      ] as const) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidPeriod", [start, end], () =>
          pc.grantTreatment(f, start, end),
        );
      }
    });

    it("reverts when paused", async function () {
      const f = await pc.load();
      await f.consent.connect(f.admin).pause();
      const start = await pc.now();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        pc.grantTreatment(f, start, start + pc.DAY),
      );
    });
  });
});
