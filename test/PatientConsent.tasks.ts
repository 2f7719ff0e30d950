import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import PatientConsentModule from "../ignition/modules/PatientConsent.js";
import {
  PURPOSES,
  anchorRecord,
  breakGlass,
  logAccess,
  parseCategories,
  parseSignedConsentAction,
  parseSignedConsentGrant,
} from "../sdk/patient-consent/index.js";
import checkAction from "../tasks/patient-consent/check.js";
import cooldownAction from "../tasks/patient-consent/cooldown.js";
import signDelegateAction from "../tasks/patient-consent/sign-delegate.js";
import signRevocationAction from "../tasks/patient-consent/sign-revocation.js";
import delegateAction from "../tasks/patient-consent/delegate.js";
import grantAction from "../tasks/patient-consent/grant.js";
import logAction from "../tasks/patient-consent/log.js";
import revokeAction from "../tasks/patient-consent/revoke.js";
import signAction from "../tasks/patient-consent/sign.js";
import submitAction from "../tasks/patient-consent/submit.js";

const connection = await hre.network.create();
const { ethers, networkHelpers, ignition } = connection;

/**
 * The actions call `hre.network.create()`; handing them this test's connection lets them act on
 * the chain the test deployed to, as they would on `--network localhost`.
 */
const taskHre = {
  network: { create: () => Promise.resolve(connection) },
} as unknown as HardhatRuntimeEnvironment;

interface Output {
  stdout: string;
  stderr: string;
  exitCode: number | string | undefined;
}

/** Runs a task action, capturing what it prints and the exit code it sets (then restoring both). */
async function capture(run: () => Promise<unknown>): Promise<Output> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const { log, error } = console;
  const previousExitCode = process.exitCode;
  process.exitCode = undefined;
  console.log = (...parts: unknown[]) => stdout.push(parts.map(String).join(" "));
  console.error = (...parts: unknown[]) => stderr.push(parts.map(String).join(" "));
  try {
    await run();
  } finally {
    console.log = log;
    console.error = error;
  }
  const exitCode = process.exitCode;
  process.exitCode = previousExitCode;
  // eslint-disable-next-line no-control-regex -- strips the ANSI colours `colour` may add
  const plain = (lines: string[]) => lines.join("\n").replace(/\u001b\[\d+m/g, "");
  return { stdout: plain(stdout), stderr: plain(stderr), exitCode };
}

async function tasksFixture() {
  const [admin, patient, clinic, insurer, guardian, responder, relayer] = await ethers.getSigners();
  const { patientConsent } = await ignition.deploy(PatientConsentModule);
  const address = await patientConsent.getAddress();
  const consent = await ethers.getContractAt("PatientConsent", address);
  await consent.connect(admin).grantRole(await consent.EMERGENCY_ROLE(), responder!.address);
  return {
    consent,
    address,
    patient: patient!,
    clinic: clinic!,
    insurer: insurer!,
    guardian: guardian!,
    responder: responder!,
    relayer: relayer!,
  };
}

const load = () => networkHelpers.loadFixture(tasksFixture);

describe("consent tasks", function () {
  describe("consent grant / check / revoke", function () {
    it("grants with words and days, checks, revokes", async function () {
      const f = await load();
      const granted = await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT,HPAYMT",
            categories: "labs,medications",
            days: "30",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(granted.exitCode, granted.stderr).to.equal(undefined);
      const consentId = await f.consent.consentIdOf(f.patient.address, f.clinic.address);
      expect(granted.stdout).to.contain(`granted consent ${consentId}`);
      expect(granted.stdout).to.match(/purposes\s+TREAT, HPAYMT/);
      expect(granted.stdout).to.match(/categories\s+medications, labs/);
      expect(granted.stdout).to.match(/gas\s+[\d,]+ gas/);

      const check = (purpose: string, categories: string) =>
        capture(() =>
          checkAction(
            {
              patient: f.patient.address,
              grantee: f.clinic.address,
              purpose,
              categories,
              address: f.address,
            },
            taskHre,
          ),
        );
      const yes = await check("treat", "labs");
      expect(yes.stdout).to.contain(`authorized: ${f.clinic.address} may act for TREAT on labs`);
      expect(yes.stdout).to.match(/consent\s+Active/);
      const no = await check("HRESCH", "labs");
      expect(no.stdout).to.contain("not authorized");

      const revoked = await capture(() =>
        revokeAction(
          { grantee: f.clinic.address, from: f.patient.address, address: f.address },
          taskHre,
        ),
      );
      expect(revoked.stdout).to.contain(`revoked consent ${consentId}`);
      expect((await check("TREAT", "labs")).stdout).to.match(
        /not authorized[\s\S]*consent\s+Revoked/,
      );
    });

    it("grants with an ISO start and end", async function () {
      const f = await load();
      const out = await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "HRESCH",
            categories: "genetics",
            start: "2099-01-01",
            until: "2099-07-01T12:00:00Z",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(out.exitCode, out.stderr).to.equal(undefined);
      const stored = await f.consent.consentOf(f.patient.address, f.clinic.address);
      expect([stored.start, stored.end]).to.deep.equal([4_070_908_800n, 4_086_590_400n]);
      expect(out.stdout).to.match(/from\s+2099-01-01T00:00:00Z/);
    });

    it("ends with one line naming the contract's refusal", async function () {
      const f = await load();
      const out = await capture(() =>
        revokeAction({ grantee: f.clinic.address, from: "1", address: f.address }, taskHre),
      );
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.equal(
        `error: reverted with PatientConsentUnexpectedConsentState(patient=${f.patient.address}, grantee=${f.clinic.address}, current=0, expectedStates=0x${"0".repeat(63)}6)`,
      );
    });
  });

  describe("consent sign / submit", function () {
    it("signs to stdout; anyone submits the JSON", async function () {
      const f = await load();
      const signed = await capture(() =>
        signAction(
          {
            grantee: f.insurer.address,
            purposes: "HPAYMT",
            days: "365",
            deadlineDays: "7",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(signed.exitCode, signed.stderr).to.equal(undefined);
      const grant = parseSignedConsentGrant(signed.stdout);
      expect(grant.grant.patient).to.equal(f.patient.address);
      expect(grant.grant.purposes).to.equal(1n << BigInt(PURPOSES.HPAYMT));

      const submitted = await capture(() =>
        submitAction({ grant: signed.stdout, from: "6", address: f.address }, taskHre),
      );
      expect(submitted.exitCode, submitted.stderr).to.equal(undefined);
      expect(submitted.stdout).to.contain("granted consent");
      expect(submitted.stdout).to.match(new RegExp(`submitted by\\s+${f.relayer.address}`));
      expect(
        await f.consent.isAuthorized(f.patient.address, f.insurer.address, PURPOSES.HPAYMT, 0),
      ).to.equal(true);

      const replay = await capture(() =>
        submitAction({ grant: signed.stdout, from: "6", address: f.address }, taskHre),
      );
      expect(replay.exitCode).to.equal(1);
      expect(replay.stderr).to.contain("reverted with PatientConsentInvalidNonce");
    });

    it("signs to a file with --out; submit reads the file", async function () {
      const f = await load();
      const dir = mkdtempSync(path.join(tmpdir(), "consent-"));
      try {
        const file = path.join(dir, "grant.json");
        const signed = await capture(() =>
          signAction(
            {
              grantee: f.clinic.address,
              purposes: "TREAT",
              categories: "labs",
              days: "1",
              deadlineDays: "1",
              out: file,
              from: "1",
              address: f.address,
            },
            taskHre,
          ),
        );
        expect(signed.stdout).to.contain(`to ${file}`);
        expect(parseSignedConsentGrant(readFileSync(file, "utf8")).grant.grantee).to.equal(
          f.clinic.address,
        );
        const submitted = await capture(() =>
          submitAction({ grant: file, from: "6", address: f.address }, taskHre),
        );
        expect(submitted.exitCode, submitted.stderr).to.equal(undefined);
        expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(2n);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses a grant signed for another contract before sending anything", async function () {
      const f = await load();
      const signed = await capture(() =>
        signAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT",
            days: "1",
            deadlineDays: "1",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      const other = await ethers.deployContract("PatientConsent", [0n, f.patient.address, 86_400n]);
      const otherAddress = await other.getAddress();
      const out = await capture(() =>
        submitAction({ grant: signed.stdout, from: "6", address: otherAddress }, taskHre),
      );
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.equal(
        `error: the grant was signed for PatientConsent at ${f.address}, not ${otherAddress}`,
      );
    });
  });

  describe("consent delegate", function () {
    it("appoints a delegate who grants for the patient, then removes it", async function () {
      const f = await load();
      const set = await capture(() =>
        delegateAction(
          {
            delegate: f.guardian.address,
            purposes: "TREAT",
            categories: "labs",
            days: "90",
            revoke: false,
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(set.exitCode, set.stderr).to.equal(undefined);
      expect(set.stdout).to.contain(
        `${f.guardian.address} may grant and revoke for ${f.patient.address} until`,
      );
      expect(set.stdout).to.match(/may grant purposes\s+TREAT/);
      expect(set.stdout).to.match(/on categories\s+labs/);

      const byGuardian = await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT",
            days: "7",
            patient: f.patient.address,
            from: f.guardian.address,
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(byGuardian.exitCode, byGuardian.stderr).to.equal(undefined);
      expect(byGuardian.stdout).to.match(new RegExp(`granted by\\s+${f.guardian.address}`));

      const removed = await capture(() =>
        delegateAction(
          { delegate: f.guardian.address, revoke: true, from: "1", address: f.address },
          taskHre,
        ),
      );
      expect(removed.stdout).to.contain(`removed delegate ${f.guardian.address}`);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });
  });

  describe("consent log", function () {
    it("prints the access log with break-glass flagged", async function () {
      const f = await load();
      await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT",
            categories: "labs",
            days: "1",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
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

      const out = await capture(() =>
        logAction({ fromBlock: "0", from: "1", address: f.address }, taskHre),
      );
      expect(out.exitCode, out.stderr).to.equal(undefined);
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

      const empty = await capture(() =>
        logAction({ fromBlock: "0", from: "3", address: f.address }, taskHre),
      );
      expect(empty.stdout).to.equal(
        `no access to records of ${f.insurer.address} logged since block 0`,
      );
    });
  });

  describe("bad input", function () {
    it("an unknown purpose ends with one line listing the valid ones (the registered task)", async function () {
      const out = await capture(() =>
        hre.tasks.getTask(["consent", "check"]).run({
          patient: "0x0000000000000000000000000000000000000001",
          grantee: "0x0000000000000000000000000000000000000002",
          purpose: "TRAET",
        }),
      );
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.equal(
        `error: unknown purpose 'TRAET'; valid purposes: ${Object.keys(PURPOSES).join(", ")}`,
      );
    });

    it("an unknown category ends with one line listing the valid ones", async function () {
      const f = await load();
      const out = await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT",
            categories: "labs,xray",
            days: "1",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.match(
        /^error: unknown category 'xray'; valid categories: demographics, .*$/,
      );
      expect(out.stderr.split("\n")).to.have.length(1);
    });

    it("refuses a bad period, address, signer or grant file with one clear line", async function () {
      const f = await load();
      const base = { grantee: f.clinic.address, purposes: "TREAT", from: "1", address: f.address };
      const cases: [() => Promise<void>, string][] = [
        [
          () => grantAction({ ...base }, taskHre),
          "error: give the period's end: --days <n> or --until <ISO date>",
        ],
        [
          () => grantAction({ ...base, days: "soon" }, taskHre),
          "error: --days 'soon' is not a positive number of days",
        ],
        [
          () => grantAction({ ...base, until: "31/12/2099" }, taskHre),
          "error: --until '31/12/2099' is not a date: use YYYY-MM-DD or an ISO date-time such as 2026-01-31T09:00:00Z",
        ],
        [
          () => grantAction({ ...base, days: "1", grantee: "bob" }, taskHre),
          "error: --grantee bob is not an address",
        ],
        [
          () =>
            grantAction(
              { ...base, days: "1", grantee: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc" },
              taskHre,
            ),
          "error: --grantee 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293Bc has a bad checksum: did you mean 0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC?",
        ],
        [
          () => grantAction({ ...base, days: "1", from: "99" }, taskHre),
          "error: --from 99: this network has 20 accounts (0 to 19)",
        ],
        [
          () => grantAction({ ...base, days: "1", address: "0x12" }, taskHre),
          "error: --address 0x12 is not an address",
        ],
        [
          () =>
            submitAction(
              { grant: "/nonexistent/grant.json", from: "0", address: f.address },
              taskHre,
            ),
          "error: --grant /nonexistent/grant.json: no such file",
        ],
        [
          () =>
            delegateAction(
              {
                delegate: f.guardian.address,
                days: "1",
                revoke: true,
                from: "1",
                address: f.address,
              },
              taskHre,
            ),
          "error: --revoke removes the delegate at once: drop --purposes, --categories, --until and --days",
        ],
      ];
      for (const [run, message] of cases) {
        const out = await capture(run);
        expect(out.exitCode, message).to.equal(1);
        expect(out.stderr).to.equal(message);
      }
    });

    it("refuses an --address without a contract", async function () {
      const f = await load();
      const out = await capture(() =>
        checkAction(
          {
            patient: f.patient.address,
            grantee: f.clinic.address,
            purpose: "TREAT",
            address: f.clinic.address,
          },
          taskHre,
        ),
      );
      expect(out.exitCode).to.equal(1);
      expect(out.stderr).to.equal(
        `error: no contract at ${f.clinic.address} on chain 31337: check --address or --network`,
      );
    });
  });
  describe("consent sign-revocation / sign-delegate / submit", function () {
    it("the patient signs an appointment, a revocation and a removal; a relayer submits each", async function () {
      const f = await load();
      const appointment = await capture(() =>
        signDelegateAction(
          {
            delegate: f.guardian.address,
            purposes: "TREAT",
            categories: "labs",
            days: "30",
            revoke: false,
            deadlineDays: "1",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(appointment.exitCode, appointment.stderr).to.equal(undefined);
      const appointed = await capture(() =>
        submitAction({ grant: appointment.stdout, from: "6", address: f.address }, taskHre),
      );
      expect(appointed.exitCode, appointed.stderr).to.equal(undefined);
      expect(appointed.stdout).to.contain(`appointed delegate ${f.guardian.address}`);
      expect(appointed.stdout).to.match(/may grant purposes\s+TREAT/);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);

      const granted = await capture(() =>
        grantAction(
          {
            grantee: f.clinic.address,
            purposes: "TREAT",
            categories: "labs",
            days: "7",
            patient: f.patient.address,
            from: f.guardian.address,
            address: f.address,
          },
          taskHre,
        ),
      );
      expect(granted.exitCode, granted.stderr).to.equal(undefined);

      const dir = mkdtempSync(path.join(tmpdir(), "consent-revocation-"));
      try {
        const file = path.join(dir, "revocation.json");
        const signed = await capture(() =>
          signRevocationAction(
            {
              grantee: f.clinic.address,
              deadlineDays: "1",
              out: file,
              from: "1",
              address: f.address,
            },
            taskHre,
          ),
        );
        expect(signed.exitCode, signed.stderr).to.equal(undefined);
        expect(signed.stdout).to.contain(`consent submit --grant ${file}`);
        const parsed = parseSignedConsentAction(readFileSync(file, "utf8"));
        expect(parsed.primaryType).to.equal("ConsentRevocation");
        const revoked = await capture(() =>
          submitAction({ grant: file, from: "6", address: f.address }, taskHre),
        );
        expect(revoked.exitCode, revoked.stderr).to.equal(undefined);
        expect(revoked.stdout).to.contain("revoked consent 0x");
        expect(
          await f.consent.isAuthorized(f.patient.address, f.clinic.address, PURPOSES.TREAT, 0),
        ).to.equal(false);
        // The same file again: the nonce is used.
        const replay = await capture(() =>
          submitAction({ grant: file, from: "6", address: f.address }, taskHre),
        );
        expect(replay.exitCode).to.equal(1);
        expect(replay.stderr).to.contain("PatientConsentNonceAlreadyUsed");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }

      const removal = await capture(() =>
        signDelegateAction(
          {
            delegate: f.guardian.address,
            revoke: true,
            deadlineDays: "1",
            from: "1",
            address: f.address,
          },
          taskHre,
        ),
      );
      const removed = await capture(() =>
        submitAction({ grant: removal.stdout, from: "6", address: f.address }, taskHre),
      );
      expect(removed.exitCode, removed.stderr).to.equal(undefined);
      expect(removed.stdout).to.contain(`removed delegate ${f.guardian.address}`);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("refuses bad input with one line", async function () {
      const f = await load();
      const cases: [() => Promise<unknown>, string][] = [
        [
          () =>
            signDelegateAction(
              {
                delegate: f.guardian.address,
                days: "1",
                revoke: true,
                deadlineDays: "1",
                from: "1",
                address: f.address,
              },
              taskHre,
            ),
          "error: --revoke signs the delegate's removal: drop --purposes, --categories, --until and --days",
        ],
        [
          () =>
            signRevocationAction(
              { grantee: f.clinic.address, deadlineDays: "-1", from: "1", address: f.address },
              taskHre,
            ),
          "error: --deadline-days '-1' is not a positive number of days",
        ],
        [
          () => cooldownAction({ hours: "0.5", from: "0", address: f.address }, taskHre),
          "error: --hours 0.5: the cooldown must be between 1 hour and 720 hours",
        ],
        [
          () => cooldownAction({ hours: "soon", from: "0", address: f.address }, taskHre),
          "error: --hours 'soon' is not a number of hours",
        ],
      ];
      for (const [run, message] of cases) {
        const out = await capture(run);
        expect(out.exitCode, message).to.equal(1);
        expect(out.stderr).to.equal(message);
      }
    });
  });

  describe("consent cooldown", function () {
    it("shows the break-glass cooldown and lets the admin set it", async function () {
      const f = await load();
      const shown = await capture(() => cooldownAction({ address: f.address }, taskHre));
      expect(shown.exitCode, shown.stderr).to.equal(undefined);
      expect(shown.stdout).to.match(/cooldown\s+24 hours/);
      expect(shown.stdout).to.match(/allowed\s+1 hour to 720 hours/);
      const set = await capture(() =>
        cooldownAction({ hours: "6", from: "0", address: f.address }, taskHre),
      );
      expect(set.exitCode, set.stderr).to.equal(undefined);
      expect(set.stdout).to.contain("break-glass cooldown set to 6 hours");
      expect(await f.consent.breakGlassCooldown()).to.equal(6n * 3_600n);
      const stranger = await capture(() =>
        cooldownAction({ hours: "2", from: "1", address: f.address }, taskHre),
      );
      expect(stranger.exitCode).to.equal(1);
      expect(stranger.stderr).to.contain("AccessControlUnauthorizedAccount");
    });
  });
});
