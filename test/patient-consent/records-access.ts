import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import type { Signer } from "ethers";

import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  ALL_CATEGORIES,
  DAY,
  GENETIC_RECORD,
  LABS_MEDS,
  REASON,
  RECORD,
  categories,
  code,
  consentIdOf,
  consentState,
  deployConsentFixture,
  grantAs,
  grantDefault,
  load,
  networkHelpers,
  now,
  purposes,
  time,
  authorized,
} from "../helpers/patient-consent.js";

describe("PatientConsent", function () {
  describe("anchorRecord", function () {
    it("anchors a record hash by a provider authorized for TREAT and emits RecordAnchored", async function () {
      const f = await load();
      await grantDefault(f);
      await time.setNextBlockTimestamp((await now()) + 10n);
      const at = (await now()) + 10n;
      await expect(
        f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs")),
      )
        .to.emit(f.consent, "RecordAnchored")
        .withArgs(RECORD, f.patient.address, f.clinic.address, categories("labs"));
      const record = await f.consent.recordOf(f.clinic.address, RECORD);
      expect([record.patient, record.categories, record.anchoredAt]).to.deep.equal([
        f.patient.address,
        categories("labs"),
        at,
      ]);
    });

    it("reverts when the record hash is zero", async function () {
      const f = await load();
      await grantDefault(f);
      await expectRefused(
        consentState(f),
        () =>
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, ZeroHash, categories("labs")),
        f.consent,
        "PatientConsentInvalidRecordHash",
        ZeroHash,
      );
    });

    it("reverts when the categories are empty or undefined", async function () {
      const f = await load();
      await grantDefault(f);
      for (const mask of [0n, 1n << 12n]) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, mask),
          f.consent,
          "PatientConsentInvalidCategories",
          mask,
        );
      }
    });

    it("reverts when the provider already anchored the record in its namespace", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs"));
      await expectRefused(
        consentState(f),
        () => f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS),
        f.consent,
        "PatientConsentRecordAlreadyAnchored",
        f.clinic.address,
        RECORD,
      );
    });

    it("reverts when the provider is not authorized for TREAT on every category", async function () {
      const f = await load();
      const start = await now();
      // HPAYMT only, for the insurer; TREAT on labs only, for the clinic.
      await grantAs(
        f,
        f.patient,
        f.insurer.address,
        purposes("HPAYMT"),
        ALL_CATEGORIES,
        start,
        start + DAY,
      );
      await grantAs(
        f,
        f.patient,
        f.clinic.address,
        purposes("TREAT"),
        categories("labs"),
        start,
        start + DAY,
      );
      const attempts: [Signer & { address: string }, bigint][] = [
        [f.stranger, categories("labs")],
        [f.insurer, categories("labs")],
        [f.clinic, categories("labs", "genetics")],
      ];
      for (const [caller, mask] of attempts) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).anchorRecord(f.patient.address, GENETIC_RECORD, mask),
          f.consent,
          "PatientConsentNotAuthorized",
          f.patient.address,
          caller.address,
          code("TREAT"),
          mask,
        );
      }
    });

    it("reverts when the TREAT consent was revoked or expired", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      const { end } = await grantDefault(f, f.researcher);
      for (const caller of [f.clinic]) {
        await expectRefused(
          consentState(f),
          () =>
            f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, categories("labs")),
          f.consent,
          "PatientConsentNotAuthorized",
          f.patient.address,
          caller.address,
          code("TREAT"),
          categories("labs"),
        );
      }
      await time.increaseTo(end);
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.researcher)
            .anchorRecord(f.patient.address, RECORD, categories("labs")),
        f.consent,
        "PatientConsentNotAuthorized",
        f.patient.address,
        f.researcher.address,
        code("TREAT"),
        categories("labs"),
      );
    });

    it("reverts for a break-glass responder: emergency access does not anchor records", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.responder)
            .anchorRecord(f.patient.address, RECORD, categories("labs")),
        f.consent,
        "PatientConsentNotAuthorized",
        f.patient.address,
        f.responder.address,
        code("TREAT"),
        categories("labs"),
      );
    });

    it("reverts when paused", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await expectRefused(
        consentState(f),
        () =>
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs")),
        f.consent,
        "EnforcedPause",
      );
    });
  });

  describe("logAccess", function () {
    async function anchoredFixture() {
      const f = await deployConsentFixture();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      const start = await now();
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.researcher.address,
          purposes("TREAT", "HRESCH"),
          ALL_CATEGORIES,
          start,
          start + DAY,
        );
      await f.consent
        .connect(f.researcher)
        .anchorRecord(f.patient.address, GENETIC_RECORD, categories("genetics"));
      return f;
    }
    const loadAnchored = () => networkHelpers.loadFixture(anchoredFixture);

    it("logs an access covered by a consent, with the consent's id", async function () {
      const f = await loadAnchored();
      await grantDefault(f, f.insurer);
      await expect(
        f.consent
          .connect(f.insurer)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HPAYMT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          RECORD,
          f.insurer.address,
          f.clinic.address,
          code("HPAYMT"),
          consentIdOf(f.patient.address, f.insurer.address, 1n),
          0n,
        );
    });

    it("logs a break-glass access flagged with the window's id", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expect(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.researcher.address, GENETIC_RECORD, code("ETREAT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          GENETIC_RECORD,
          f.responder.address,
          f.researcher.address,
          code("ETREAT"),
          ZeroHash,
          1n,
        );
    });

    it("reverts when the record is not anchored", async function () {
      const f = await loadAnchored();
      const unknown = id("never anchored");
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, unknown, code("TREAT")),
        f.consent,
        "PatientConsentUnknownRecord",
        f.clinic.address,
        unknown,
      );
    });

    it("reverts when the record is about another patient", async function () {
      const f = await loadAnchored();
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.clinic)
            .logAccess(f.stranger.address, f.clinic.address, RECORD, code("TREAT")),
        f.consent,
        "PatientConsentRecordPatientMismatch",
        f.clinic.address,
        RECORD,
        f.stranger.address,
      );
    });

    it("reverts without a covering consent: no consent, wrong purpose, categories not covered", async function () {
      const f = await loadAnchored();
      const attempts: [Signer & { address: string }, string, string, bigint, bigint][] = [
        [f.stranger, f.clinic.address, RECORD, code("TREAT"), LABS_MEDS],
        [f.clinic, f.clinic.address, RECORD, code("HRESCH"), LABS_MEDS],
        [f.clinic, f.researcher.address, GENETIC_RECORD, code("TREAT"), categories("genetics")],
        [f.clinic, f.clinic.address, RECORD, code("ETREAT"), LABS_MEDS],
        [f.clinic, f.clinic.address, RECORD, 200n, LABS_MEDS],
      ];
      for (const [caller, provider, record, purpose, mask] of attempts) {
        await expectRefused(
          consentState(f),
          () => f.consent.connect(caller).logAccess(f.patient.address, provider, record, purpose),
          f.consent,
          "PatientConsentNotAuthorized",
          f.patient.address,
          caller.address,
          purpose,
          mask,
        );
      }
    });

    it("reverts once the consent is revoked or over", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
        f.consent,
        "PatientConsentNotAuthorized",
        f.patient.address,
        f.clinic.address,
        code("TREAT"),
        LABS_MEDS,
      );
      const end = (await f.consent.consentOf(f.patient.address, f.researcher.address)).end;
      await time.setNextBlockTimestamp(end - 1n);
      await expect(
        f.consent
          .connect(f.researcher)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HRESCH")),
      ).to.emit(f.consent, "AccessLogged");
      await time.setNextBlockTimestamp(end);
      await expectRevert(
        f.consent
          .connect(f.researcher)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HRESCH")),
        f.consent,
        "PatientConsentNotAuthorized",
        f.patient.address,
        f.researcher.address,
        code("HRESCH"),
        LABS_MEDS,
      );
    });

    it("reverts when paused", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.admin).pause();
      await expectRefused(
        consentState(f),
        () =>
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
        f.consent,
        "EnforcedPause",
      );
    });
  });

  describe("isAuthorized", function () {
    it("answers exactly: purpose bit set, categories a subset, inside the period, not revoked", async function () {
      const f = await load();
      const start = (await now()) + 100n;
      const end = start + DAY;
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.clinic.address,
          purposes("TREAT", "HPAYMT"),
          LABS_MEDS,
          start,
          end,
        );
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.clinic.address, purpose, mask);
      expect(await ask(code("TREAT"), 0n)).to.equal(false); // not started
      await time.increaseTo(start);
      expect(await ask(code("TREAT"), 0n)).to.equal(true);
      expect(await ask(code("HPAYMT"), LABS_MEDS)).to.equal(true);
      expect(await ask(code("TREAT"), categories("labs"))).to.equal(true);
      expect(await ask(code("TREAT"), categories("labs", "imaging"))).to.equal(false);
      expect(await ask(code("TREAT"), categories("mental-health"))).to.equal(false);
      expect(await ask(code("HRESCH"), 0n)).to.equal(false);
      expect(await ask(code("ETREAT"), 0n)).to.equal(false);
      expect(await ask(31n, 0n)).to.equal(false);
      expect(await ask(32n, 0n)).to.equal(false);
      expect(await ask(255n, 0n)).to.equal(false);
      expect(await authorized(f, f.stranger.address, "TREAT", 0n)).to.equal(false);
      expect(
        await f.consent.isAuthorized(f.clinic.address, f.patient.address, code("TREAT"), 0n),
      ).to.equal(false);
      await time.increaseTo(end);
      expect(await ask(code("TREAT"), 0n)).to.equal(false); // over
    });
  });
});
