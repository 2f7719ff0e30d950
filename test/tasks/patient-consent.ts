import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";
import hre from "hardhat";

import { expectFailed, runAction, runRegistered } from "./run.js";
import type { Ran } from "./run.js";

import {
  PURPOSES,
  anchorRecord,
  breakGlass,
  logAccess,
  parseCategories,
  parseSignedConsentAction,
  parseSignedConsentGrant,
} from "../../sdk/patient-consent/index.js";
import { consentAccess } from "../../tasks/patient-consent/access.js";
import { consentCheck } from "../../tasks/patient-consent/check.js";
import { consentCooldown } from "../../tasks/patient-consent/cooldown.js";
import { consentSignDelegate } from "../../tasks/patient-consent/sign-delegate.js";
import { consentSignRevocation } from "../../tasks/patient-consent/sign-revocation.js";
import { consentDelegate } from "../../tasks/patient-consent/delegate.js";
import type { TaskAction } from "../../tasks/lib/task.js";
import type { GrantTermsArgs } from "../../tasks/patient-consent/connection.js";
import { consentGrant } from "../../tasks/patient-consent/grant.js";
import { consentLog } from "../../tasks/patient-consent/log.js";
import { consentRevoke } from "../../tasks/patient-consent/revoke.js";
import { consentSign } from "../../tasks/patient-consent/sign.js";
import { consentSubmit } from "../../tasks/patient-consent/submit.js";
import { deployPatientConsent } from "../fixtures/patient-consent.js";

const connection = await hre.network.create();
const { ethers, networkHelpers } = connection;

function tasksFixture() {
  return deployPatientConsent(connection);
}

const load = () => networkHelpers.loadFixture(tasksFixture);
type Fixture = Awaited<ReturnType<typeof load>>;

/**
 * Runs a consent task's action as the command line does, on the fixture's contract unless
 * `args.address` names another.
 */
function run<A extends { readonly address?: string | undefined }>(
  f: Fixture,
  action: TaskAction<A, typeof connection>,
  args: A,
): Promise<Ran> {
  return runAction(action, { address: f.address, ...args }, connection);
}

/** `consent grant` on the fixture's contract, as the patient (account 1) unless `from` says. */
function grant(f: Fixture, args: GrantTermsArgs) {
  return run(f, consentGrant, { from: "1", ...args });
}

/** `consent submit` of a signed grant or action (JSON or its file), by the relayer (account 6). */
function submit(f: Fixture, signed: string): Promise<Ran> {
  return run(f, consentSubmit, { grant: signed, from: "6" });
}

describe("consent tasks", function () {
  describe("consent grant / check / revoke", function () {
    it("grants with words and days, checks, revokes", async function () {
      const f = await load();
      const granted = await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT, HPAYMT",
        categories: "labs, medications",
        days: "30",
      });
      expect(granted.exitCode, granted.stderr).to.equal(0);
      const consentId = await f.consent.consentIdOf(f.patient.address, f.clinic.address);
      expect(granted.stdout).to.contain(`granted consent ${consentId}`);
      expect(granted.stdout).to.match(/purposes\s+TREAT, HPAYMT/);
      expect(granted.stdout).to.match(/categories\s+medications, labs/);
      expect(granted.stdout).to.match(/gas\s+[\d,]+ gas/);

      const check = (purpose: string, categories: string) =>
        run(f, consentCheck, {
          patient: f.patient.address,
          grantee: f.clinic.address,
          purpose,
          categories,
        });
      const yes = await check("treat", "labs");
      expect(yes.stdout).to.contain(`authorized: ${f.clinic.address} may act for TREAT on labs`);
      expect(yes.stdout).to.match(/consent\s+Active/);
      const no = await check("HRESCH", "labs");
      expect(no.stdout).to.contain("not authorized");

      const revoked = await run(f, consentRevoke, {
        grantee: f.clinic.address,
        from: f.patient.address,
      });
      expect(revoked.stdout).to.contain(`revoked consent ${consentId}`);
      expect((await check("TREAT", "labs")).stdout).to.match(
        /not authorized[\s\S]*consent\s+Revoked/,
      );
    });

    it("grants with an ISO start and end", async function () {
      const f = await load();
      const out = await grant(f, {
        grantee: f.clinic.address,
        purposes: "HRESCH",
        categories: "genetics",
        start: "2099-01-01",
        until: "2099-07-01T12:00:00Z",
      });
      expect(out.exitCode, out.stderr).to.equal(0);
      const stored = await f.consent.consentOf(f.patient.address, f.clinic.address);
      expect([stored.start, stored.end]).to.deep.equal([4_070_908_800n, 4_086_590_400n]);
      expect(out.stdout).to.match(/from\s+2099-01-01T00:00:00Z/);
    });

    it("ends with one line naming the contract's refusal", async function () {
      const f = await load();
      const out = await run(f, consentRevoke, { grantee: f.clinic.address, from: "1" });
      expectFailed(
        out,
        `error: consent (patient=${f.patient.address}, grantee=${f.clinic.address}) is None; this needs it Pending or Active (PatientConsentUnexpectedConsentState)`,
      );
    });
  });

  describe("consent sign / submit", function () {
    it("signs to stdout; anyone submits the JSON", async function () {
      const f = await load();
      const signed = await run(f, consentSign, {
        grantee: f.insurer.address,
        purposes: "HPAYMT",
        days: "365",
        deadlineDays: "7",
        from: "1",
      });
      expect(signed.exitCode, signed.stderr).to.equal(0);
      const grant = parseSignedConsentGrant(signed.stdout);
      expect(grant.grant.patient).to.equal(f.patient.address);
      expect(grant.grant.purposes).to.equal(1n << BigInt(PURPOSES.HPAYMT));

      const submitted = await submit(f, signed.stdout);
      expect(submitted.exitCode, submitted.stderr).to.equal(0);
      expect(submitted.stdout).to.contain("granted consent");
      expect(submitted.stdout).to.match(new RegExp(`submitted by\\s+${f.relayer.address}`));
      expect(
        await f.consent.isAuthorized(f.patient.address, f.insurer.address, PURPOSES.HPAYMT, 0),
      ).to.equal(true);

      const replay = await submit(f, signed.stdout);
      expect(replay.exitCode).to.equal(1);
      expect(replay.stderr).to.contain("reverted with PatientConsentInvalidNonce");
    });

    it("signs to a file with --out; submit reads the file", async function () {
      const f = await load();
      const dir = mkdtempSync(path.join(tmpdir(), "consent-"));
      try {
        const file = path.join(dir, "grant.json");
        const signed = await run(f, consentSign, {
          grantee: f.clinic.address,
          purposes: "TREAT",
          categories: "labs",
          days: "1",
          deadlineDays: "1",
          out: file,
          from: "1",
        });
        expect(signed.stdout).to.contain(`to ${file}`);
        expect(parseSignedConsentGrant(readFileSync(file, "utf8")).grant.grantee).to.equal(
          f.clinic.address,
        );
        const submitted = await submit(f, file);
        expect(submitted.exitCode, submitted.stderr).to.equal(0);
        expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(2n);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses a grant signed for another contract before sending anything", async function () {
      const f = await load();
      const signed = await run(f, consentSign, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        days: "1",
        deadlineDays: "1",
        from: "1",
      });
      const other = await ethers.deployContract("PatientConsent", [0n, f.patient.address, 86_400n]);
      const otherAddress = await other.getAddress();
      const out = await run(f, consentSubmit, {
        grant: signed.stdout,
        from: "6",
        address: otherAddress,
      });
      expectFailed(
        out,
        `error: the grant was signed for PatientConsent at ${f.address}, not ${otherAddress}`,
      );
    });
  });

  describe("consent delegate", function () {
    it("appoints a delegate who grants for the patient, then removes it", async function () {
      const f = await load();
      const set = await run(f, consentDelegate, {
        delegate: f.guardian.address,
        purposes: "TREAT",
        categories: "labs",
        days: "90",
        revoke: false,
        from: "1",
      });
      expect(set.exitCode, set.stderr).to.equal(0);
      expect(set.stdout).to.contain(
        `${f.guardian.address} may grant and revoke for ${f.patient.address} until`,
      );
      expect(set.stdout).to.match(/may grant purposes\s+TREAT/);
      expect(set.stdout).to.match(/on categories\s+labs/);

      const byGuardian = await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        days: "7",
        patient: f.patient.address,
        from: f.guardian.address,
      });
      expect(byGuardian.exitCode, byGuardian.stderr).to.equal(0);
      expect(byGuardian.stdout).to.match(new RegExp(`granted by\\s+${f.guardian.address}`));

      const removed = await run(f, consentDelegate, {
        delegate: f.guardian.address,
        revoke: true,
        from: "1",
      });
      expect(removed.stdout).to.contain(`removed delegate ${f.guardian.address}`);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });
  });

  describe("consent log", function () {
    it("prints the access log with break-glass flagged", async function () {
      const f = await load();
      await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        categories: "labs",
        days: "1",
      });
      const recordHash = id("salt|record");
      await anchorRecord(
        f.consent.connect(f.clinic),
        f.patient.address,
        recordHash,
        parseCategories("labs"),
      );
      await logAccess(
        f.consent.connect(f.clinic),
        f.patient.address,
        f.clinic.address,
        recordHash,
        PURPOSES.TREAT,
      );
      await breakGlass(f.consent.connect(f.responder), f.patient.address, id("salt|incident"));
      await logAccess(
        f.consent.connect(f.responder),
        f.patient.address,
        f.clinic.address,
        recordHash,
        PURPOSES.ETREAT,
      );

      const out = await run(f, consentLog, { fromBlock: "0", from: "1" });
      expect(out.exitCode, out.stderr).to.equal(0);
      const lines = out.stdout.split("\n");
      expect(lines[0]).to.equal(
        `access log of ${f.patient.address}: 3 entries, 2 flagged for audit (break-glass)`,
      );
      expect(lines[1]).to.match(/^block\s+time\s+event\s+by\s+purpose\s+record\s+covered by$/);
      expect(lines[3]).to.match(
        new RegExp(
          `access\\s+${f.clinic.address}\\s+TREAT\\s+${recordHash} of ${f.clinic.address}\\s+consent 0x`,
        ),
      );
      expect(lines[4]).to.match(
        new RegExp(`BREAK-GLASS opened\\s+${f.responder.address}\\s+ETREAT`),
      );
      expect(lines[5]).to.match(/access \(BREAK-GLASS\).*ETREAT.*break-glass #1$/);

      const empty = await run(f, consentLog, { fromBlock: "0", from: "3" });
      expect(empty.stdout).to.equal(
        `no access to records of ${f.insurer.address} logged since block 0`,
      );
    });
  });

  describe("consent access", function () {
    it("anchors the provider's record, logs its access, and the log shows it; no consent, no access", async function () {
      const f = await load();
      const record = {
        patient: f.patient.address,
        record: id("salt|lab report"),
      };
      const refused = await run(f, consentAccess, {
        ...record,
        purpose: "TREAT",
        categories: "labs",
        from: "2",
      });
      expectFailed(refused, /^error: reverted with PatientConsentNotAuthorized\(/);
      await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        categories: "labs",
        days: "1",
      });
      const logged = await run(f, consentAccess, {
        ...record,
        purpose: "treat",
        categories: "labs",
        from: "2",
      });
      expect(logged.exitCode, logged.stderr).to.equal(0);
      expect(logged.stdout).to.contain(`logged access by ${f.clinic.address} for TREAT`);
      expect(logged.stdout).to.match(/anchored\s+labs \(0x/);
      expect(logged.stdout).to.match(/covered by\s+consent 0x/);
      const again = await run(f, consentAccess, { ...record, purpose: "TREAT", from: "2" });
      expect(again.stdout).to.not.contain("anchored");
      const log = await run(f, consentLog, { from: "1" });
      expect(log.stdout.split("\n")[0]).to.equal(`access log of ${f.patient.address}: 2 entries`);
    });
  });

  describe("bad input", function () {
    it("an unknown purpose ends with one line listing the valid ones (the registered task)", async function () {
      const out = await runRegistered(
        ["consent", "check"],
        {
          patient: "0x0000000000000000000000000000000000000001",
          grantee: "0x0000000000000000000000000000000000000002",
          purpose: "TRAET",
        },
        connection,
      );
      expectFailed(
        out,
        `error: unknown purpose 'TRAET'; valid purposes: ${Object.keys(PURPOSES).join(", ")}`,
      );
    });

    it("an unknown category ends with one line listing the valid ones", async function () {
      const f = await load();
      const out = await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        categories: "labs, xray",
        days: "1",
      });
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.match(
        /^error: unknown category 'xray'; valid categories: demographics, .*$/,
      );
      expect(out.stderr.split("\n")).to.have.length(1);
    });

    it("refuses a bad period, address, signer or grant file with one clear line", async function () {
      const f = await load();
      const base = { grantee: f.clinic.address, purposes: "TREAT", from: "1" };
      const cases: [() => Promise<Ran>, string][] = [
        [
          () => run(f, consentGrant, { ...base }),
          "error: give the period's end: --days <n> or --until <ISO date>",
        ],
        [
          () => run(f, consentGrant, { ...base, days: "soon" }),
          "error: --days 'soon' is not a positive number of days",
        ],
        [
          () => run(f, consentGrant, { ...base, until: "31/12/2099" }),
          "error: --until '31/12/2099' is not a date: use YYYY-MM-DD or an ISO date-time such as 2026-01-31T09:00:00Z",
        ],
        [
          () => run(f, consentGrant, { ...base, days: "1", grantee: "bob" }),
          "error: --grantee bob is not an address",
        ],
        [
          () =>
            run(f, consentGrant, {
              ...base,
              days: "1",
              grantee: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc",
            }),
          "error: --grantee 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc has a bad checksum: did you mean 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC?",
        ],
        [
          () => run(f, consentGrant, { ...base, days: "1", from: "99" }),
          "error: --from 99: this network has 20 accounts (0 to 19)",
        ],
        [
          () => run(f, consentGrant, { ...base, days: "1", address: "0x12" }),
          "error: --address 0x12 is not an address",
        ],
        [
          () => run(f, consentSubmit, { grant: "/nonexistent/grant.json", from: "0" }),
          "error: --grant /nonexistent/grant.json: no such file",
        ],
        [
          () =>
            run(f, consentDelegate, {
              delegate: f.guardian.address,
              days: "1",
              revoke: true,
              from: "1",
            }),
          "error: --revoke removes the delegate at once: drop --purposes, --categories, --until and --days",
        ],
      ];
      for (const [attempt, message] of cases) {
        const out = await attempt();
        expect(out.exitCode, message).to.equal(1);
        expect(out.stderr).to.equal(message);
      }
    });

    it("refuses an --address without a contract", async function () {
      const f = await load();
      const out = await run(f, consentCheck, {
        patient: f.patient.address,
        grantee: f.clinic.address,
        purpose: "TREAT",
        address: f.clinic.address,
      });
      expectFailed(
        out,
        `error: no contract at ${f.clinic.address} on chain 31337: check --address or --network`,
      );
    });
  });
  describe("consent sign-revocation / sign-delegate / submit", function () {
    it("the patient signs an appointment, a revocation and a removal; a relayer submits each", async function () {
      const f = await load();
      const appointment = await run(f, consentSignDelegate, {
        delegate: f.guardian.address,
        purposes: "TREAT",
        categories: "labs",
        days: "30",
        revoke: false,
        deadlineDays: "1",
        from: "1",
      });
      expect(appointment.exitCode, appointment.stderr).to.equal(0);
      const appointed = await submit(f, appointment.stdout);
      expect(appointed.exitCode, appointed.stderr).to.equal(0);
      expect(appointed.stdout).to.contain(`appointed delegate ${f.guardian.address}`);
      expect(appointed.stdout).to.match(/may grant purposes\s+TREAT/);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);

      const granted = await grant(f, {
        grantee: f.clinic.address,
        purposes: "TREAT",
        categories: "labs",
        days: "7",
        patient: f.patient.address,
        from: f.guardian.address,
      });
      expect(granted.exitCode, granted.stderr).to.equal(0);

      const dir = mkdtempSync(path.join(tmpdir(), "consent-revocation-"));
      try {
        const file = path.join(dir, "revocation.json");
        const signed = await run(f, consentSignRevocation, {
          grantee: f.clinic.address,
          deadlineDays: "1",
          out: file,
          from: "1",
        });
        expect(signed.exitCode, signed.stderr).to.equal(0);
        expect(signed.stdout).to.contain(`consent submit --grant ${file}`);
        const parsed = parseSignedConsentAction(readFileSync(file, "utf8"));
        expect(parsed.primaryType).to.equal("ConsentRevocation");
        const revoked = await submit(f, file);
        expect(revoked.exitCode, revoked.stderr).to.equal(0);
        expect(revoked.stdout).to.contain("revoked consent 0x");
        expect(
          await f.consent.isAuthorized(f.patient.address, f.clinic.address, PURPOSES.TREAT, 0),
        ).to.equal(false);
        // The same file again: the nonce is used.
        const replay = await submit(f, file);
        expect(replay.exitCode).to.equal(1);
        expect(replay.stderr).to.contain("PatientConsentNonceAlreadyUsed");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      const removal = await run(f, consentSignDelegate, {
        delegate: f.guardian.address,
        revoke: true,
        deadlineDays: "1",
        from: "1",
      });
      const removed = await submit(f, removal.stdout);
      expect(removed.exitCode, removed.stderr).to.equal(0);
      expect(removed.stdout).to.contain(`removed delegate ${f.guardian.address}`);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("refuses bad input with one line", async function () {
      const f = await load();
      const cases: [() => Promise<Ran>, string][] = [
        [
          () =>
            run(f, consentSignDelegate, {
              delegate: f.guardian.address,
              days: "1",
              revoke: true,
              deadlineDays: "1",
              from: "1",
            }),
          "error: --revoke signs the delegate's removal: drop --purposes, --categories, --until and --days",
        ],
        [
          () =>
            run(f, consentSignRevocation, {
              grantee: f.clinic.address,
              deadlineDays: "-1",
              from: "1",
            }),
          "error: --deadline-days '-1' is not a positive number of days",
        ],
        [
          () => run(f, consentCooldown, { hours: "0.5", from: "0" }),
          "error: --hours 0.5: the cooldown must be between 1 hour and 720 hours",
        ],
        [
          () => run(f, consentCooldown, { hours: "soon", from: "0" }),
          "error: --hours 'soon' is not a number of hours",
        ],
      ];
      for (const [attempt, message] of cases) {
        const out = await attempt();
        expect(out.exitCode, message).to.equal(1);
        expect(out.stderr).to.equal(message);
      }
    });
  });

  describe("consent cooldown", function () {
    it("shows the break-glass cooldown and lets the admin set it", async function () {
      const f = await load();
      const shown = await run(f, consentCooldown, {});
      expect(shown.exitCode, shown.stderr).to.equal(0);
      expect(shown.stdout).to.match(/cooldown\s+24 hours/);
      expect(shown.stdout).to.match(/allowed\s+1 hour to 720 hours/);
      const set = await run(f, consentCooldown, { hours: "6", from: "0" });
      expect(set.exitCode, set.stderr).to.equal(0);
      expect(set.stdout).to.contain("break-glass cooldown set to 6 hours");
      expect(await f.consent.breakGlassCooldown()).to.equal(6n * 3_600n);
      const stranger = await run(f, consentCooldown, { hours: "2", from: "1" });
      expect(stranger.exitCode).to.equal(1);
      expect(stranger.stderr).to.contain("AccessControlUnauthorizedAccount");
    });
  });
});
