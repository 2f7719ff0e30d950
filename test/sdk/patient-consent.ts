import { expect } from "chai";
import { VoidSigner, Wallet, ZeroHash, getAddress, id } from "ethers";
import type { Signer } from "ethers";
import { network } from "hardhat";

import { ContractRevertError, InputError } from "../../sdk/errors.js";
import { parseDateOption } from "../../tasks/lib/options.js";
import {
  CATEGORIES,
  CONSENT_GRANT_TYPE_STRING,
  PURPOSES,
  anchorRecord,
  breakGlass,
  checkAuthorization,
  endBreakGlass,
  grantConsent,
  grantConsentBySig,
  hashConsentGrant,
  hashOffChainDocument,
  invalidateNonce,
  latestTimestamp,
  logAccess,
  parseCategories,
  parsePurpose,
  parsePurposes,
  parseSignedConsentGrant,
  pauseConsent,
  purposeNames,
  randomSalt,
  readAccessLog,
  readBreakGlass,
  readConsent,
  readConsentNonce,
  readDelegate,
  readRecord,
  recoverConsentGrantSigner,
  revokeConsent,
  revokeDelegate,
  serializeSignedConsentGrant,
  setDelegate,
  setMaxBreakGlassDuration,
  signConsentGrant,
  unpauseConsent,
} from "../../sdk/patient-consent/index.js";
import { parseDays, parsePeriod } from "../../tasks/patient-consent/period.js";
import { deployPatientConsent } from "../fixtures/patient-consent.js";

const DAY = 86_400n;
const TREAT = BigInt(PURPOSES.TREAT);
const ETREAT = BigInt(PURPOSES.ETREAT);

const connection = await network.create();
const { ethers, networkHelpers } = connection;

function sdkFixture() {
  return deployPatientConsent(connection);
}

const load = () => networkHelpers.loadFixture(sdkFixture);

/** The patient grants the clinic `purposes` on `categories` from `now` for `length` seconds. */
async function grantClinic(
  f: Awaited<ReturnType<typeof sdkFixture>>,
  purposes: string,
  categories: string,
  now: bigint,
  length: bigint,
) {
  return grantConsent(f.consent.connect(f.patient), {
    patient: f.patient.address,
    grantee: f.clinic.address,
    purposes: parsePurposes(purposes),
    categories: parseCategories(categories),
    start: now,
    end: now + length,
  });
}

/** `signer` signs a grant of `purposes` on `categories` to the clinic for a day from now. */
async function signDayGrant(
  f: Awaited<ReturnType<typeof sdkFixture>>,
  signer: Signer,
  purposes: number,
  categories: number,
) {
  const now = await latestTimestamp(f.consent);
  const terms = { grantee: f.clinic.address, purposes, categories, start: now, end: now + DAY };
  return signConsentGrant(signer, f.address, { ...terms, deadline: now + DAY });
}

describe("PatientConsent SDK", function () {
  describe("vocabulary", function () {
    it("parses purpose lists into masks and back", function () {
      expect(parsePurposes("TREAT, hpaymt")).to.equal(0b101);
      expect(purposeNames(0b101)).to.deep.equal(["TREAT", "HPAYMT"]);
      expect(parsePurpose("etreat")).to.equal(1);
    });

    it("refuses unknown words with one line listing the valid ones", function () {
      expect(() => parsePurposes("TREAT,TRAET")).to.throw(
        InputError,
        `unknown purpose 'TRAET'; valid purposes: ${Object.keys(PURPOSES).join(", ")}`,
      );
      expect(() => parsePurposes(" , ")).to.throw(InputError, "no purpose given; valid purposes:");
      expect(() => parseCategories("labs,xrays")).to.throw(
        InputError,
        `unknown category 'xrays'; valid categories: ${Object.keys(CATEGORIES).join(", ")}`,
      );
    });

    it("does not take Object.prototype names for words", function () {
      for (const word of ["constructor", "__proto__", "toString", "hasOwnProperty"]) {
        expect(() => parseCategories(word), word).to.throw(InputError, "unknown category");
        expect(() => parsePurpose(word), word).to.throw(InputError, "unknown purpose");
      }
    });
  });

  describe("periods", function () {
    it("reads ISO dates and date-times as UTC", function () {
      expect(parseDateOption("2026-01-31", "--until")).to.equal(1_769_817_600n);
      expect(parseDateOption("2026-01-31T09:30:00Z", "--until")).to.equal(1_769_851_800n);
      expect(parseDateOption("2026-01-31T09:30", "--until")).to.equal(1_769_851_800n);
      expect(parseDateOption("2026-01-31T10:30:00+01:00", "--until")).to.equal(1_769_851_800n);
    });

    it("refuses what is not an ISO date", function () {
      for (const text of ["tomorrow", "31/01/2026", "2026-13-45", "1769817600"]) {
        expect(() => parseDateOption(text, "--until"), text).to.throw(InputError, "--until");
      }
    });

    it("reads days, fractions included", function () {
      expect(parseDays("30", "--days")).to.equal(30n * DAY);
      expect(parseDays("0.5", "--days")).to.equal(DAY / 2n);
      for (const text of ["0", "-1", "a week", ""]) {
        expect(() => parseDays(text, "--days"), text).to.throw(InputError, "--days");
      }
    });

    it("builds a period from a start and an end or a length", function () {
      const now = 1_769_817_600n;
      expect(parsePeriod({ days: "30" }, now)).to.deep.equal({ start: now, end: now + 30n * DAY });
      expect(parsePeriod({ start: "2026-02-01", until: "2026-03-01" }, now)).to.deep.equal({
        start: 1_769_904_000n,
        end: 1_772_323_200n,
      });
      expect(parsePeriod({ start: "2026-02-01", days: "1" }, now)).to.deep.equal({
        start: 1_769_904_000n,
        end: 1_769_990_400n,
      });
    });

    it("refuses a period without an end, with two ends, inverted or over", function () {
      const now = 1_769_817_600n;
      expect(() => parsePeriod({}, now)).to.throw(InputError, "--days <n> or --until");
      expect(() => parsePeriod({ days: "1", until: "2027-01-01" }, now)).to.throw(
        InputError,
        "not both",
      );
      expect(() => parsePeriod({ start: "2026-03-01", until: "2026-02-01" }, now)).to.throw(
        InputError,
        "ends before it starts",
      );
      expect(() => parsePeriod({ start: "2020-01-01", until: "2020-02-01" }, now)).to.throw(
        InputError,
        "already over",
      );
    });
  });

  describe("EIP-712 grants", function () {
    it("uses the contract's type string", function () {
      expect(CONSENT_GRANT_TYPE_STRING).to.equal(
        "ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)",
      );
    });

    it("signs with any signer, reading the chain id and nonce, to the contract's digest", async function () {
      const f = await load();
      const signed = await signDayGrant(
        f,
        f.patient,
        parsePurposes("TREAT"),
        parseCategories("labs"),
      );
      expect(signed.grant.patient).to.equal(f.patient.address);
      expect(signed.grant.nonce).to.equal(0n);
      expect(signed.domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(await f.consent.consentGrantDigest(signed.grant)).to.equal(
        hashConsentGrant(signed.domain.chainId, f.address, signed.grant),
      );
      expect(recoverConsentGrantSigner(signed)).to.equal(f.patient.address);

      // A plain ethers Wallet (not a Hardhat signer) signs the same way.
      const wallet = Wallet.createRandom(ethers.provider);
      const byWallet = await signDayGrant(f, wallet, 1, 0);
      expect(recoverConsentGrantSigner(byWallet)).to.equal(wallet.address);
      const { consentId } = await grantConsentBySig(f.consent.connect(f.relayer), byWallet);
      expect(consentId).to.equal(await f.consent.consentIdOf(wallet.address, f.clinic.address));
    });

    it("refuses a signer without a provider", async function () {
      const f = await load();
      const detached = new VoidSigner(f.patient.address);
      let caught: unknown;
      try {
        await signConsentGrant(detached, f.address, {
          grantee: f.clinic.address,
          purposes: 1,
          categories: 0,
          start: 0n,
          end: 1n,
          deadline: 1n,
        });
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(InputError);
    });

    it("round-trips a signed grant through JSON", async function () {
      const f = await load();
      const signed = await signDayGrant(f, f.patient, 5, 20);
      const json = serializeSignedConsentGrant(signed);
      expect(JSON.parse(json)).to.have.nested.property("grant.nonce", "0");
      expect(parseSignedConsentGrant(json)).to.deep.equal(signed);
    });

    it("refuses malformed signed grants with one clear line", async function () {
      const f = await load();
      const signed = await signDayGrant(f, f.patient, 1, 0);
      const good = JSON.parse(serializeSignedConsentGrant(signed)) as Record<string, unknown>;
      const grant = good.grant as Record<string, unknown>;
      const cases: [string, string][] = [
        ["{not json", "not valid JSON"],
        ["[]", "not a JSON object"],
        [
          JSON.stringify({ ...good, domain: { ...(good.domain as object), name: "other" } }),
          "domain 'other'",
        ],
        [
          JSON.stringify({ ...good, grant: { ...grant, grantee: "0x1234" } }),
          "grant.grantee is not an address",
        ],
        [
          JSON.stringify({ ...good, grant: { ...grant, end: "-1" } }),
          "grant.end is not an unsigned integer",
        ],
        [
          JSON.stringify({ ...good, grant: { ...grant, nonce: undefined } }),
          "grant.nonce is missing",
        ],
        [JSON.stringify({ ...good, signature: "zz" }), "signature is not a hex string"],
      ];
      for (const [json, message] of cases) {
        expect(() => parseSignedConsentGrant(json), message).to.throw(InputError, message);
      }
    });
  });

  describe("typed wrappers", function () {
    it("revoking twice says the consent is Revoked, and changes nothing", async function () {
      const f = await load();
      const now = await latestTimestamp(f.consent);
      await grantClinic(f, "TREAT", "labs", now, 30n * DAY);
      await revokeConsent(f.consent.connect(f.patient), f.patient.address, f.clinic.address);
      const before = await readConsent(f.consent, f.patient.address, f.clinic.address);
      const refused = await revokeConsent(
        f.consent.connect(f.patient),
        f.patient.address,
        f.clinic.address,
      ).catch((error: unknown) => error);
      expect(refused).to.be.instanceOf(ContractRevertError);
      expect((refused as ContractRevertError).message).to.equal(
        `consent (patient=${f.patient.address}, grantee=${f.clinic.address}) is Revoked; this needs it Pending or Active (PatientConsentUnexpectedConsentState)`,
      );
      expect(await readConsent(f.consent, f.patient.address, f.clinic.address)).to.deep.equal(
        before,
      );
    });

    it("grant, read, revoke: ids from events, gas from receipts", async function () {
      const f = await load();
      const now = await latestTimestamp(f.consent);
      const granted = await grantClinic(f, "TREAT,HPAYMT", "labs,medications", now, 30n * DAY);
      expect(granted.consentId).to.equal(
        await f.consent.consentIdOf(f.patient.address, f.clinic.address),
      );
      expect(granted.gasUsed).to.equal(granted.receipt.gasUsed);
      expect(granted.gasUsed > 0n).to.equal(true);

      const view = await readConsent(f.consent, f.patient.address, f.clinic.address);
      expect(view.state).to.equal("Active");
      expect(view.purposeCodes).to.deep.equal(["TREAT", "HPAYMT"]);
      expect(view.categoryNames).to.deep.equal(["medications", "labs"]);
      expect(view.consentId).to.equal(granted.consentId);
      expect(
        await checkAuthorization(
          f.consent,
          f.patient.address,
          f.clinic.address,
          TREAT,
          parseCategories("labs"),
        ),
      ).to.equal(true);

      const revoked = await revokeConsent(
        f.consent.connect(f.patient),
        f.patient.address,
        f.clinic.address,
      );
      expect(revoked.consentId).to.equal(granted.consentId);
      expect((await readConsent(f.consent, f.patient.address, f.clinic.address)).state).to.equal(
        "Revoked",
      );
    });

    it("turns reverts into ContractRevertError with the error's name and arguments", async function () {
      const f = await load();
      let caught: unknown;
      try {
        await revokeConsent(f.consent.connect(f.insurer), f.patient.address, f.clinic.address);
      } catch (error) {
        caught = error;
      }
      expect(caught).to.be.instanceOf(ContractRevertError);
      const revert = caught as ContractRevertError;
      expect(revert.errorName).to.equal("PatientConsentUnauthorizedCaller");
      expect(revert.args).to.deep.equal({ caller: f.insurer.address, patient: f.patient.address });
    });

    it("appoints and removes delegates, burns nonces, sets the break-glass duration, pauses", async function () {
      const f = await load();
      const now = await latestTimestamp(f.consent);
      await setDelegate(f.consent.connect(f.patient), {
        delegate: f.guardian.address,
        purposes: parsePurposes("TREAT"),
        categories: parseCategories("labs,mental-health"),
        until: now + DAY,
      });
      expect(await readDelegate(f.consent, f.patient.address, f.guardian.address)).to.deep.equal({
        until: now + DAY,
        active: true,
        purposes: BigInt(parsePurposes("TREAT")),
        categories: BigInt(parseCategories("labs,mental-health")),
        purposeCodes: ["TREAT"],
        categoryNames: ["labs", "mental-health"],
      });
      await revokeDelegate(f.consent.connect(f.patient), f.guardian.address);
      expect(
        (await readDelegate(f.consent, f.patient.address, f.guardian.address)).active,
      ).to.equal(false);

      // Removing a delegate burned nonce 0 (no appointment signed before can be submitted).
      expect((await invalidateNonce(f.consent.connect(f.patient))).nonce).to.equal(1n);
      expect(await readConsentNonce(ethers.provider, f.address, f.patient.address)).to.equal(2n);

      await setMaxBreakGlassDuration(f.consent.connect(f.admin), 3_600n);
      expect(await f.consent.maxBreakGlassDuration()).to.equal(3_600n);
      await pauseConsent(f.consent.connect(f.admin));
      expect(await f.consent.paused()).to.equal(true);
      await unpauseConsent(f.consent.connect(f.admin));
      expect(await f.consent.paused()).to.equal(false);
    });

    it("anchors, logs accesses and break-glass, and rebuilds the access log from events", async function () {
      const f = await load();
      const now = await latestTimestamp(f.consent);
      await grantClinic(f, "TREAT", "labs", now, DAY);
      const salt = randomSalt();
      const recordHash = hashOffChainDocument('{"resourceType":"Bundle"}', salt);
      await anchorRecord(
        f.consent.connect(f.clinic),
        f.patient.address,
        recordHash,
        parseCategories("labs"),
      );
      expect(await readRecord(f.consent, f.clinic.address, recordHash)).to.include({
        anchored: true,
        patient: f.patient.address,
        provider: f.clinic.address,
      });
      // the record is read by `reader` (the clinic's record) for `purpose`
      const read = (reader: Signer, purpose: bigint) =>
        logAccess(
          f.consent.connect(reader),
          f.patient.address,
          f.clinic.address,
          recordHash,
          purpose,
        );
      const access = await read(f.clinic, TREAT);
      expect(access.breakGlassId).to.equal(0n);
      const opened = await breakGlass(
        f.consent.connect(f.responder),
        f.patient.address,
        id("incident"),
      );
      expect(opened.breakGlassId).to.equal(1n);
      expect(
        (await readBreakGlass(f.consent, f.patient.address, f.responder.address)).open,
      ).to.equal(true);
      const emergency = await read(f.responder, ETREAT);
      expect([emergency.consentId, emergency.breakGlassId]).to.deep.equal([ZeroHash, 1n]);
      await endBreakGlass(f.consent.connect(f.responder), f.patient.address);
      expect(
        (await readBreakGlass(f.consent, f.patient.address, f.responder.address)).open,
      ).to.equal(false);

      const log = await readAccessLog(f.consent, f.patient.address);
      expect(log.map((entry) => [entry.kind, entry.flaggedForAudit])).to.deep.equal([
        ["access", false],
        ["break-glass-opened", true],
        ["access", true],
        ["break-glass-ended", true],
      ]);
      const first = log[0]!;
      expect(first.kind === "access" && first.consentId).to.equal(access.consentId);
      expect(first.kind === "access" && first.accessor).to.equal(getAddress(f.clinic.address));
      expect(first.timestamp > 0n).to.equal(true);
      expect(await readAccessLog(f.consent, f.insurer.address)).to.deep.equal([]);
    });

    it("hashes documents with their salt", function () {
      const salt = randomSalt();
      expect(hashOffChainDocument("x", salt)).to.equal(
        hashOffChainDocument(new TextEncoder().encode("x"), salt),
      );
      expect(hashOffChainDocument("x", salt)).to.not.equal(hashOffChainDocument("x", randomSalt()));
    });
  });
});
