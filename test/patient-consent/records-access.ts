import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import type { Signer } from "ethers";
import * as pc from "../helpers/patient-consent.js";

/** `caller` anchoring pc.RECORD (labs) for TREAT is refused as not authorized; nothing changes. */
function anchorRefused(f: pc.Fixture, caller: pc.Fixture["clinic"]) {
  return pc.refuses(
    pc.watchConsent(f),
    "PatientConsentNotAuthorized",
    [f.patient.address, caller.address, pc.code("TREAT"), pc.categories("labs")],
    () =>
      f.consent.connect(caller).anchorRecord(f.patient.address, pc.RECORD, pc.categories("labs")),
  );
}

describe("PatientConsent", function () {
  describe("anchorRecord", function () {
    it("anchors a record hash by a provider authorized for TREAT and emits RecordAnchored", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await pc.time.setNextBlockTimestamp((await pc.now()) + 10n);
      const at = (await pc.now()) + 10n;
      await expect(
        f.consent
          .connect(f.clinic)
          .anchorRecord(f.patient.address, pc.RECORD, pc.categories("labs")),
      )
        .to.emit(f.consent, "RecordAnchored")
        .withArgs(pc.RECORD, f.patient.address, f.clinic.address, pc.categories("labs"));
      const record = await f.consent.recordOf(f.clinic.address, pc.RECORD);
      expect([record.patient, record.categories, record.anchoredAt]).to.deep.equal([
        f.patient.address,
        pc.categories("labs"),
        at,
      ]);
    });

    it("reverts when the record hash is zero", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidRecordHash", [ZeroHash], () =>
        f.consent
          .connect(f.clinic)
          .anchorRecord(f.patient.address, ZeroHash, pc.categories("labs")),
      );
    });

    it("reverts when the categories are empty or undefined", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      for (const mask of [0n, 1n << 12n]) {
        await pc.refuses(pc.watchConsent(f), "PatientConsentInvalidCategories", [mask], () =>
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, mask),
        );
      }
    });

    it("reverts when the provider already anchored the record in its namespace", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent
        .connect(f.clinic)
        .anchorRecord(f.patient.address, pc.RECORD, pc.categories("labs"));
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentRecordAlreadyAnchored",
        [f.clinic.address, pc.RECORD],
        () => f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS),
      );
    });

    it("reverts when the provider is not authorized for TREAT on every category", async function () {
      const f = await pc.load();
      const start = await pc.now();
      // HPAYMT only, for the insurer; TREAT on labs only, for the clinic.
      await pc.grantAs(
        f,
        f.patient,
        f.insurer.address,
        pc.purposes("HPAYMT"),
        pc.ALL_CATEGORIES,
        start,
        start + pc.DAY,
      );
      await pc.grantAs(
        f,
        f.patient,
        f.clinic.address,
        pc.purposes("TREAT"),
        pc.categories("labs"),
        start,
        start + pc.DAY,
      );
      const attempts: [Signer & { address: string }, bigint][] = [
        [f.stranger, pc.categories("labs")],
        [f.insurer, pc.categories("labs")],
        [f.clinic, pc.categories("labs", "genetics")],
      ];
      for (const [caller, mask] of attempts) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentNotAuthorized",
          [f.patient.address, caller.address, pc.code("TREAT"), mask],
          () => f.consent.connect(caller).anchorRecord(f.patient.address, pc.GENETIC_RECORD, mask),
        );
      }
    });

    it("reverts when the TREAT consent was revoked or expired", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      const { end } = await pc.grantDefault(f, f.researcher);
      for (const caller of [f.clinic]) {
        await anchorRefused(f, caller);
      }
      await pc.time.increaseTo(end);
      await anchorRefused(f, f.researcher);
    });

    it("reverts for a break-glass responder: emergency access does not anchor records", async function () {
      const f = await pc.load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await anchorRefused(f, f.responder);
    });

    it("reverts when paused", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        f.consent
          .connect(f.clinic)
          .anchorRecord(f.patient.address, pc.RECORD, pc.categories("labs")),
      );
    });
  });

  describe("logAccess", function () {
    async function anchoredFixture() {
      const f = await pc.deployConsentFixture();
      await pc.grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS);
      await pc.grantWith(f, {
        grantee: f.researcher.address,
        purposes: pc.purposes("TREAT", "HRESCH"),
        categories: pc.ALL_CATEGORIES,
        start: await pc.now(),
      });
      await f.consent
        .connect(f.researcher)
        .anchorRecord(f.patient.address, pc.GENETIC_RECORD, pc.categories("genetics"));
      return f;
    }
    const loadAnchored = () => pc.networkHelpers.loadFixture(anchoredFixture);

    it("logs an access covered by a consent, with the consent's id", async function () {
      const f = await loadAnchored();
      await pc.grantDefault(f, f.insurer);
      await pc.expectLogged(f, f.insurer, "HPAYMT", {
        consentId: pc.consentIdOf(f.patient.address, f.insurer.address, 1n),
      });
    });

    it("logs a break-glass access flagged with the window's id", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      await pc.expectLogged(f, f.responder, "ETREAT", {
        provider: f.researcher.address,
        record: pc.GENETIC_RECORD,
        breakGlassId: 1n,
      });
    });

    it("reverts when the record is not anchored", async function () {
      const f = await loadAnchored();
      const unknown = id("never anchored");
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentUnknownRecord",
        [f.clinic.address, unknown],
        () => pc.logAs(f, f.clinic, f.clinic.address, unknown, "TREAT"),
      );
    });

    it("reverts when the record is about another patient", async function () {
      const f = await loadAnchored();
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentRecordPatientMismatch",
        [f.clinic.address, pc.RECORD, f.stranger.address],
        () =>
          f.consent
            .connect(f.clinic)
            .logAccess(f.stranger.address, f.clinic.address, pc.RECORD, pc.code("TREAT")),
      );
    });

    it("reverts without a covering consent: no consent, wrong purpose, categories not covered", async function () {
      const f = await loadAnchored();
      const attempts: [Signer & { address: string }, string, string, bigint, bigint][] = [
        [f.stranger, f.clinic.address, pc.RECORD, pc.code("TREAT"), pc.LABS_MEDS],
        [f.clinic, f.clinic.address, pc.RECORD, pc.code("HRESCH"), pc.LABS_MEDS],
        [
          f.clinic,
          f.researcher.address,
          pc.GENETIC_RECORD,
          pc.code("TREAT"),
          pc.categories("genetics"),
        ],
        [f.clinic, f.clinic.address, pc.RECORD, pc.code("ETREAT"), pc.LABS_MEDS],
        [f.clinic, f.clinic.address, pc.RECORD, 200n, pc.LABS_MEDS],
      ];
      for (const [caller, provider, record, purpose, mask] of attempts) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentNotAuthorized",
          [f.patient.address, caller.address, purpose, mask],
          () => f.consent.connect(caller).logAccess(f.patient.address, provider, record, purpose),
        );
      }
    });

    it("reverts once the consent is revoked or over", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await pc.refuses(
        pc.watchConsent(f),
        "PatientConsentNotAuthorized",
        [f.patient.address, f.clinic.address, pc.code("TREAT"), pc.LABS_MEDS],
        () => pc.logAs(f, f.clinic, f.clinic.address, pc.RECORD, "TREAT"),
      );
      const end = (await f.consent.consentOf(f.patient.address, f.researcher.address)).end;
      await pc.expectAccessUntil(f, f.researcher, "HRESCH", end, pc.LABS_MEDS, {
        consentId: pc.consentIdOf(f.patient.address, f.researcher.address, 1n),
      });
    });

    it("reverts when paused", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.admin).pause();
      await pc.refuses(pc.watchConsent(f), "EnforcedPause", [], () =>
        pc.logAs(f, f.clinic, f.clinic.address, pc.RECORD, "TREAT"),
      );
    });
  });

  describe("isAuthorized", function () {
    it("answers exactly: purpose bit set, categories a subset, inside the period, not revoked", async function () {
      const f = await pc.load();
      const start = (await pc.now()) + 100n;
      const end = start + pc.DAY;
      await pc.grantTerms(f, f.clinic.address, start, end);
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.clinic.address, purpose, mask);
      expect(await ask(pc.code("TREAT"), 0n)).to.equal(false); // not started
      await pc.time.increaseTo(start);
      expect(await ask(pc.code("TREAT"), 0n)).to.equal(true);
      expect(await ask(pc.code("HPAYMT"), pc.LABS_MEDS)).to.equal(true);
      expect(await ask(pc.code("TREAT"), pc.categories("labs"))).to.equal(true);
      expect(await ask(pc.code("TREAT"), pc.categories("labs", "imaging"))).to.equal(false);
      expect(await ask(pc.code("TREAT"), pc.categories("mental-health"))).to.equal(false);
      expect(await ask(pc.code("HRESCH"), 0n)).to.equal(false);
      expect(await ask(pc.code("ETREAT"), 0n)).to.equal(false);
      expect(await ask(31n, 0n)).to.equal(false);
      expect(await ask(32n, 0n)).to.equal(false);
      expect(await ask(255n, 0n)).to.equal(false);
      expect(await pc.authorized(f, f.stranger.address, "TREAT", 0n)).to.equal(false);
      expect(
        await f.consent.isAuthorized(f.clinic.address, f.patient.address, pc.code("TREAT"), 0n),
      ).to.equal(false);
      await pc.time.increaseTo(end);
      expect(await ask(pc.code("TREAT"), 0n)).to.equal(false); // over
    });
  });
});
