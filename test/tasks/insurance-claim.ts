import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import hre, { network } from "hardhat";

import type { TaskIo } from "../../tasks/lib/task.js";
import { runAction, runRegistered } from "./run.js";

import { ContractRevertError, InputError } from "../../sdk/errors.js";
import { claimsApprove } from "../../tasks/insurance-claim/approve.js";
import { claimsAppeal } from "../../tasks/insurance-claim/appeal.js";
import { claimsDeny } from "../../tasks/insurance-claim/deny.js";
import { claimsEnroll } from "../../tasks/insurance-claim/enroll.js";
import { claimsEob } from "../../tasks/insurance-claim/eob.js";
import { claimsFund } from "../../tasks/insurance-claim/fund.js";
import { claimsOpenPool } from "../../tasks/insurance-claim/open-pool.js";
import { claimsPay } from "../../tasks/insurance-claim/pay.js";
import { claimsPlan } from "../../tasks/insurance-claim/plan.js";
import { claimsQuote } from "../../tasks/insurance-claim/quote.js";
import { claimsSubmit } from "../../tasks/insurance-claim/submit.js";
import { claimsVoid } from "../../tasks/insurance-claim/void.js";
import { APPEAL_WINDOW, deployClaimsSuite, evidence, usd } from "../fixtures/insurance-claim.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const loadFixture = networkHelpers.loadFixture.bind(networkHelpers);

async function deployFixture() {
  const s = await deployClaimsSuite(connection);
  const dir = mkdtempSync(path.join(tmpdir(), "claims-tasks-"));
  return { ...s, address: await s.claims.getAddress(), dir };
}

/** The provider submits a claim for service 99213 billed 150.00 the day before, on `policyId`. */
async function submitService(
  s: Awaited<ReturnType<typeof deployFixture>>,
  evidenceLabel: string,
  policyId: bigint = s.policyId,
) {
  await s.claims.connect(s.provider).submitClaim(
    {
      policyId,
      patient: s.patient.address,
      serviceCode: ethers.encodeBytes32String("99213"),
      serviceDate: s.now - 86_400n,
      billed: usd(150),
      evidenceHash: evidence(evidenceLabel),
    },
    0n,
    [],
  );
}

/** `claims plan` options: a 1,000-token plan on pool 1 by its insurer (account 1), fees from `fees`. */
function planOptions(s: Awaited<ReturnType<typeof deployFixture>>, fees: string) {
  return { address: s.address, from: "1", pool: "1", coverageLimit: "1000", fees, merkle: false };
}

/** An io for actions whose failure a test expects: nothing printed is kept. */
const QUIET: TaskIo = { print: () => undefined };

async function rejects(
  action: Promise<unknown>,
  type: typeof InputError | typeof ContractRevertError,
  pattern: RegExp,
) {
  try {
    await action;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected ${type.name} matching ${pattern}`);
}

describe("claims tasks", function () {
  it("registers every claims subtask", function () {
    for (const name of [
      "open-pool",
      "fund",
      "plan",
      "enroll",
      "submit",
      "quote",
      "approve",
      "deny",
      "appeal",
      "pay",
      "void",
      "eob",
    ]) {
      expect(hre.tasks.getTask(["claims", name]).id).to.deep.equal(["claims", name]);
    }
  });

  it("ends bad input with one error line and a non-zero exit code", async function () {
    const quote = await runRegistered(["claims", "quote"], { claim: "abc" }, connection);
    expect(quote.stderr).to.match(/error: --claim abc is not a positive whole number/);
    expect(quote.stderr.split("\n")).to.have.length(1);
    expect(quote.exitCode).to.equal(1);
    const pay = await runRegistered(["claims", "pay"], { ids: "1,2", claim: "3" }, connection);
    expect(pay.stderr).to.match(
      /give one of --claim <id>, --ids 1,2,3, or --pool <id> --all-approved/,
    );
    expect(pay.exitCode).to.equal(1);
  });

  it("runs the insurer's, provider's and adjuster's commands end to end", async function () {
    const s = await loadFixture(deployFixture);
    const common = { address: s.address, from: "1" }; // account 1 is the insurer

    const token = await s.usdc.getAddress();
    const open = await runAction(claimsOpenPool, { ...common, token }, connection);
    expect(open.stdout).to.contain("opened pool 2");
    expect(open.stdout).to.match(/^token\s+USDC \(0x[0-9a-fA-F]{40}, 6 decimals\)$/m);
    expect(open.stdout).to.match(/^insurer\s+0x[0-9a-fA-F]{40}$/m);

    const fund = await runAction(
      claimsFund,
      { ...common, pool: "2", amount: "2500.50" },
      connection,
    );
    expect(fund.stdout).to.contain("funded pool 2");
    expect(fund.stdout).to.match(/^sent\s+2,500\.50 USDC$/m);
    expect(fund.stdout).to.match(/^credited\s+2,500\.50 USDC$/m);
    expect(fund.stdout).to.match(/^available\s+2,500\.50 USDC$/m);
    await s.claims.connect(s.insurer).setAdjuster(2n, s.adjuster.address, true);

    const fees = path.join(s.dir, "fees.csv");
    writeFileSync(fees, "code,amount\n99213,100.00\n99214,150.00\n");
    const plan = await runAction(
      claimsPlan,
      {
        ...common,
        pool: "2",
        coverageLimit: "1000",
        deductible: "50",
        coinsurance: "10",
        fees,
        merkle: false,
      },
      connection,
    );
    expect(plan.stdout).to.contain("created plan 2 on pool 2");
    expect(plan.stdout).to.match(/^coverage limit\s+1,000\.00 USDC per policy$/m);
    expect(plan.stdout).to.match(/^deductible\s+50\.00 USDC$/m);
    expect(plan.stdout).to.match(/^coinsurance\s+10%$/m);
    expect(plan.stdout).to.match(/^appeal window\s+180 days after a denial$/m);
    expect((await s.claims.planOf(2n)).appealWindow).to.equal(180n * 86_400n);
    expect(plan.stdout).to.match(/^fee schedule\s+2 explicit fees$/m);

    const today = new Date(Number(s.now) * 1000).toISOString().slice(0, 10);
    const enroll = await runAction(
      claimsEnroll,
      {
        ...common,
        plan: "2",
        patient: s.patient.address,
        start: "2020-01-01",
        end: "2099-12-31",
      },
      connection,
    );
    expect(enroll.stdout).to.contain("enrolled policy 2");
    expect(enroll.stdout).to.match(new RegExp(`^patient\\s+${s.patient.address}$`, "m"));
    expect(enroll.stdout).to.match(/^plan\s+2$/m);
    expect(enroll.stdout).to.match(/^covered from\s+2020-01-01T00:00:00Z$/m);
    expect(enroll.stdout).to.match(/^covered until\s+2099-12-31T23:59:59Z$/m);

    const evidenceFile = path.join(s.dir, "claim.json");
    writeFileSync(evidenceFile, '{"resourceType":"Claim"}');
    const submitArgs = {
      address: s.address,
      from: "3", // the provider
      policy: "2",
      patient: s.patient.address,
      code: "99213",
      date: today,
      billed: "150",
      evidenceFile,
    };
    const submit = await runAction(claimsSubmit, submitArgs, connection);
    expect(submit.stdout).to.contain("submitted claim 1 on policy 2");
    expect(submit.stdout).to.match(/^billed\s+150\.00 USDC$/m);
    expect(submit.stdout).to.match(/^allowed\s+100\.00 USDC$/m);
    expect(submit.stdout).to.match(/Plan pays\s+45\.00/);
    await rejects(
      claimsSubmit(submitArgs, connection, QUIET),
      ContractRevertError,
      /InsuranceClaimDuplicate\(claimId=1\)/,
    );

    const quote = await runAction(claimsQuote, { ...common, claim: "1" }, connection);
    expect(quote.stdout).to.contain("Claim 1 (Submitted, if approved now):");
    expect(quote.stdout).to.match(/Deductible\s+-50\.00/);
    expect(quote.stdout).to.match(/Coinsurance \(10%\)\s+-5\.00/);

    const estimate = await runAction(
      claimsQuote,
      { ...common, policy: "2", code: "99214", billed: "400" },
      connection,
    );
    expect(estimate.stdout).to.contain("Estimate for 99214 on policy 2 (nothing submitted):");
    expect(estimate.stdout).to.match(/Plan pays\s+90\.00/);

    const approve = await runAction(
      claimsApprove,
      { address: s.address, from: "2", claim: "1" },
      connection,
    );
    expect(approve.stdout).to.contain("approved claim 1\npool");
    expect(approve.stdout).to.contain("explanation of benefits:");
    expect(approve.stdout).to.match(/^ {2}Plan pays\s+45\.00$/m);

    const pay = await runAction(claimsPay, { ...common, pool: "2", allApproved: true }, connection);
    expect(pay.stdout).to.match(/claim\s+pool\s+payee\s+amount\s+result/);
    expect(pay.stdout).to.contain(`${s.provider.address}  45.00 USDC  paid`);
    expect(pay.stdout).to.contain("paid 1 claim\n");
    expect(pay.stdout).to.match(/^amount\s+45\.00 USDC$/m);
    expect(pay.stdout).to.match(/^transactions\s+1 transaction$/m);

    const eob = await runAction(claimsEob, { address: s.address, claim: "1" }, connection);
    expect(eob.stdout).to.contain("Explanation of benefits: claim 1 (Paid)");
    expect(eob.stdout).to.contain("Paid: 45.00 USDC to the provider.");
    expect(eob.stdout).to.contain(`paid to ${s.provider.address} (45.00 USDC)`);
  });

  it("denies and appeals through the commands", async function () {
    const s = await loadFixture(deployFixture);
    await submitService(s, "x");
    /** The adjuster (account 2) denies claim 1 with `reason`; the task says `title` and `line`. */
    const deny = async (reason: string, title: string, line: RegExp): Promise<void> => {
      const denied = await runAction(
        claimsDeny,
        { address: s.address, from: "2", claim: "1", reason },
        connection,
      );
      expect(denied.stdout).to.contain(title);
      expect(denied.stdout).to.match(line);
    };
    await deny(
      "CARC 50",
      "denied claim 1\n",
      /^reason\s+50 \(not deemed a medical necessity by the payer\)$/m,
    );
    await rejects(
      claimsAppeal(
        { address: s.address, from: "3", claim: "1", evidence: "0x12" },
        connection,
        QUIET,
      ),
      InputError,
      /--evidence 0x12 is neither a 32-byte hash/,
    );
    const appeal = await runAction(
      claimsAppeal,
      {
        address: s.address,
        from: "3",
        claim: "1",
        evidence: evidence("appeal"),
      },
      connection,
    );
    expect(appeal.stdout).to.contain("appealed claim 1: an adjuster makes the final decision");
    expect(appeal.stdout).to.match(new RegExp(`^new evidence\\s+${evidence("appeal")}$`, "m"));
    await deny("96", "denied the appeal of claim 1\n", /^reason\s+96 \(non-covered charge\)$/m);
  });

  it("refuses an appeal after the plan's window with one line naming the deadline", async function () {
    const s = await loadFixture(deployFixture);
    await submitService(s, "late");
    await s.claims.connect(s.adjuster).denyClaim(1n, 50);
    const { appealDeadline } = await s.claims.claimOf(1n);
    await connection.networkHelpers.time.increaseTo(appealDeadline + 1n);
    await rejects(
      claimsAppeal(
        { address: s.address, from: "3", claim: "1", evidence: evidence("a") },
        connection,
        QUIET,
      ),
      InputError,
      /claim 1 could be appealed until \d{4}-\d\d-\d\dT[\d:]+Z; the appeal window has closed/,
    );
  });

  it("creates a plan with the appeal window it is given, and refuses one out of bounds", async function () {
    const s = await loadFixture(deployFixture);
    const fees = path.join(s.dir, "window-fees.csv");
    writeFileSync(fees, "code,amount\n99213,100.00\n");
    const args = planOptions(s, fees);
    const plan = await runAction(claimsPlan, { ...args, appealDays: "60" }, connection);
    expect(plan.stdout).to.match(/^appeal window\s+60 days after a denial$/m);
    expect((await s.claims.planOf(2n)).appealWindow).to.equal(60n * 86_400n);
    for (const [days, message] of [
      ["29", /--appeal-days: the appeal window must be from 30 to 365 days, got 29 days/],
      ["366", /--appeal-days: the appeal window must be from 30 to 365 days, got 366 days/],
      [
        "six months",
        /--appeal-days must be a whole number of days \(30 to 365\), got 'six months'/,
      ],
    ] as const) {
      await rejects(
        claimsPlan({ ...args, appealDays: days }, connection, QUIET),
        InputError,
        message,
      );
    }
    expect((await s.claims.counts()).plans).to.equal(2n);
  });

  it("refuses a drug's GTIN as a service code before sending: drugs go through --gtin", async function () {
    const s = await loadFixture(deployFixture);
    await rejects(
      claimsSubmit(
        {
          address: s.address,
          from: "4",
          policy: "1",
          patient: s.patient.address,
          code: "09506000134352",
          date: new Date(Number(s.now - 86_400n) * 1000).toISOString().slice(0, 10),
          billed: "10",
          evidence: evidence("rx"),
        },
        connection,
        QUIET,
      ),
      InputError,
      /is a drug's GTIN: bill a dispensed unit with submitDrugClaim/,
    );
    expect((await s.claims.counts()).claims).to.equal(0n);
  });

  it("voids an approved claim, releasing its reserve, and shows it in the statement", async function () {
    const s = await loadFixture(deployFixture);
    const insurer = s.claims.connect(s.insurer);
    await insurer.createPlan(s.poolId, usd(1_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
    await insurer.setFees(2n, [ethers.encodeBytes32String("99213")], [usd(120)]);
    await insurer.createPolicy(2n, s.patient.address, s.start, s.end);
    await submitService(s, "void", 2n);
    await s.claims.connect(s.adjuster).approveClaim(1n);
    const common = { address: s.address, from: "1", claim: "1" };
    await rejects(claimsVoid({ ...common }, connection, QUIET), InputError, /--reason is required/);
    await rejects(
      claimsVoid({ ...common, reason: "0" }, connection, QUIET),
      InputError,
      /reason '0' must be a claim adjustment reason code/,
    );
    await rejects(
      claimsVoid({ ...common, from: "2", reason: "16" }, connection, QUIET),
      ContractRevertError,
      /AccessControlUnauthorizedAccount/,
    );
    const voided = await runAction(claimsVoid, { ...common, reason: "16" }, connection);
    expect(voided.stdout).to.contain("voided claim 1: nothing was paid");
    expect(voided.stdout).to.match(
      /^reason\s+16 \(claim lacks information or has submission or billing errors\)$/m,
    );
    expect(voided.stdout).to.match(/^released\s+96\.00 USDC to pool 1$/m);
    expect(voided.stdout).to.match(/^pool available\s+100,000\.00 USDC$/m);
    expect(voided.stdout).to.match(/^pool reserved\s+0\.00 USDC$/m);
    await rejects(
      claimsVoid({ ...common, reason: "16" }, connection, QUIET),
      ContractRevertError,
      /^claim 1 is Voided; this needs it Approved \(InsuranceClaimUnexpected\w*State\)$/,
    );
    const eob = await runAction(claimsEob, { address: s.address, claim: "1" }, connection);
    expect(eob.stdout).to.contain("Explanation of benefits: claim 1 (Voided)");
    expect(eob.stdout).to.match(/Plan pays\s+0\.00/);
    expect(eob.stdout).to.contain(
      "Voided by the insurer: reason 16 (claim lacks information or has submission or billing errors). Nothing was paid; 96.00 USDC is available to the pool again.",
    );
    expect(eob.stdout).to.contain(
      `voided by insurer ${s.insurer.address} (reason 16, 96.00 USDC released)`,
    );
  });

  it("creates a Merkle plan and claims against it with the written tree", async function () {
    const s = await loadFixture(deployFixture);
    const fees = path.join(s.dir, "big.json");
    writeFileSync(
      fees,
      JSON.stringify(
        Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`C${i}`, `${i + 1}.25`])),
      ),
    );
    const plan = await runAction(claimsPlan, planOptions(s, fees), connection);
    const tree = path.join(s.dir, "big.tree.json");
    expect(plan.stdout).to.match(/^fee schedule\s+Merkle root 0x[0-9a-f]{64} of 100 codes$/m);
    expect(plan.stdout).to.contain(`${tree} (providers pass it to 'claims submit --fee-tree')`);
    await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
    const args = {
      address: s.address,
      from: "3",
      policy: "2",
      patient: s.patient.address,
      code: "C41",
      date: String(s.now - 3_600n),
      billed: "80",
      evidence: evidence("merkle"),
    };
    await rejects(
      claimsSubmit(args, connection, QUIET),
      InputError,
      /uses a Merkle fee schedule: pass --fee-tree/,
    );
    const submit = await runAction(claimsSubmit, { ...args, feeTree: tree }, connection);
    expect(submit.stdout).to.match(/^billed\s+80\.00 USDC$/m);
    expect(submit.stdout).to.match(/^allowed\s+42\.25 USDC$/m);
  });

  it("refuses bad arguments before sending anything", async function () {
    const s = await loadFixture(deployFixture);
    const common = { address: s.address, from: "1" };
    await rejects(
      claimsFund({ ...common, pool: "1", amount: "1.0000001" }, connection, QUIET),
      InputError,
      /7 decimal places/,
    );
    await rejects(
      claimsFund({ ...common, pool: "0", amount: "1" }, connection, QUIET),
      InputError,
      /--pool 0 is not a positive whole number/,
    );
    await rejects(
      claimsFund({ ...common, pool: "9", amount: "1" }, connection, QUIET),
      InputError,
      /there is no pool 9/,
    );
    await rejects(
      claimsFund({ ...common, from: "99", pool: "1", amount: "1" }, connection, QUIET),
      InputError,
      /--from 99: this network has \d+ accounts/,
    );
    await rejects(
      claimsOpenPool({ address: "0x1234", token: s.address }, connection, QUIET),
      InputError,
      /--address 0x1234 is not an address/,
    );
    await rejects(
      claimsOpenPool({ address: s.patient.address, token: s.address }, connection, QUIET),
      InputError,
      /no contract at .* check --address or --network/,
    );
    await rejects(
      claimsEnroll(
        {
          ...common,
          plan: "1",
          patient: s.patient.address,
          start: "01/02/2025",
          end: "2025-12-31",
        },
        connection,
        QUIET,
      ),
      InputError,
      /--start '01\/02\/2025' is not a date/,
    );
    await rejects(
      claimsPlan(
        {
          ...common,
          pool: "1",
          coverageLimit: "10",
          coinsurance: "120",
          fees: "x.csv",
          merkle: false,
        },
        connection,
        QUIET,
      ),
      InputError,
      /--coinsurance '120' must be a percentage/,
    );
    await rejects(
      claimsPay({ ...common, ids: "1,2", allApproved: false }, connection, QUIET),
      InputError,
      /only Approved claims can be paid: claim 1 is None, claim 2 is None/,
    );
    await rejects(
      claimsPay({ ...common, pool: "1", allApproved: false }, connection, QUIET),
      InputError,
      /--pool and --all-approved go together/,
    );
    await rejects(
      claimsPay({ ...common, claim: "1", allApproved: false }, connection, QUIET),
      ContractRevertError,
      /InsuranceClaimUnexpectedClaimState/,
    );
    await rejects(
      claimsDeny({ ...common, claim: "1", reason: "because" }, connection, QUIET),
      InputError,
      /reason 'because' must be a claim adjustment reason code/,
    );
    await rejects(
      claimsSubmit(
        {
          ...common,
          policy: "1",
          patient: s.patient.address,
          code: "99213",
          gtin: "123",
          date: "2025-01-01",
          billed: "1",
          evidence: evidence("e"),
        },
        connection,
        QUIET,
      ),
      InputError,
      /give --code for a service, or --gtin, --lot and --unit/,
    );
  });
});
