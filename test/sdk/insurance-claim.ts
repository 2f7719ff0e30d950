import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";

import { ContractRevertError, InputError } from "../../sdk/errors.js";
import {
  ClaimState,
  adjudicate,
  approveClaim,
  buildFeeScheduleTree,
  claimStateName,
  coinsuranceOf,
  connectInsuranceClaim,
  createPlan,
  createPolicy,
  decodeServiceCode,
  denyClaim,
  describeReasonCode,
  drugServiceCode,
  encodeServiceCode,
  findApprovedClaims,
  formatBenefits,
  formatExplanationOfBenefits,
  formatTokenAmount,
  fundPool,
  openPool,
  overCoverageLimit,
  parseFeeSchedule,
  parseReasonCode,
  parseTokenAmount,
  patientResponsibility,
  payClaim,
  payClaims,
  proveFee,
  quoteClaim,
  quoteService,
  readExplanationOfBenefits,
  voidClaim,
  readFeeSchedule,
  readFeeScheduleTree,
  readPool,
  readTokenInfo,
  setFees,
  submitClaim,
  submitDrugClaim,
  withdrawFromPool,
  appealClaim,
  writeFeeScheduleTree,
} from "../../sdk/insurance-claim/index.js";
import type { AdjudicationInput, ExplanationOfBenefits } from "../../sdk/insurance-claim/index.js";
import {
  APPEAL_WINDOW,
  DAY,
  HPAYMT,
  MEDICATIONS,
  claimRequest,
  code,
  connection,
  deployClaimsSuite,
  deployFixture,
  ethers,
  evidence,
  loadFixture,
  usd,
} from "../helpers/insurance-claim.js";

/** Expects `action` to throw an InputError whose message matches `pattern`. */
function expectInputError(action: () => unknown, pattern: RegExp): void {
  try {
    action();
  } catch (error) {
    expect(error).to.be.instanceOf(InputError);
    expect((error as Error).message).to.match(pattern);
    return;
  }
  expect.fail(`expected an InputError matching ${pattern}`);
}

async function expectRejection<T extends Error>(
  action: Promise<unknown>,
  type: new (...args: never[]) => T,
  pattern: RegExp,
): Promise<T> {
  try {
    await action;
  } catch (error) {
    expect(error).to.be.instanceOf(type);
    expect((error as Error).message).to.match(pattern);
    return error as T;
  }
  return expect.fail(`expected a ${type.name} matching ${pattern}`);
}

describe("InsuranceClaim SDK", function () {
  describe("amounts", function () {
    it("parses whole tokens into base units", function () {
      expect(parseTokenAmount("12.50", 6)).to.equal(12_500_000n);
      expect(parseTokenAmount(" 7 ", 6)).to.equal(7_000_000n);
      expect(parseTokenAmount(".5", 6)).to.equal(500_000n);
      expect(parseTokenAmount("0.000001", 6)).to.equal(1n);
      expect(parseTokenAmount("3", 0)).to.equal(3n);
      expect(parseTokenAmount("1.5", 18)).to.equal(1_500_000_000_000_000_000n);
    });

    it("refuses bad amounts with an InputError", function () {
      expectInputError(() => parseTokenAmount("1.0000001", 6), /7 decimal places; the token has 6/);
      expectInputError(() => parseTokenAmount("1,000.00", 6), /comma/);
      expectInputError(() => parseTokenAmount("-5", 6), /not a number of tokens/);
      expectInputError(() => parseTokenAmount("1e6", 6), /not a number of tokens/);
      expectInputError(() => parseTokenAmount("", 6), /not a number of tokens/);
      expectInputError(() => parseTokenAmount(".", 6), /not a number of tokens/);
      expectInputError(() => parseTokenAmount("1", 78), /decimals/);
    });

    it("formats base units exactly", function () {
      expect(formatTokenAmount(12_500_000n, 6)).to.equal("12.50");
      expect(formatTokenAmount(1n, 6)).to.equal("0.000001");
      expect(formatTokenAmount(1_234_500_000n, 6, { grouping: true, symbol: "USDC" })).to.equal(
        "1,234.50 USDC",
      );
      expect(formatTokenAmount(-30_000_000n, 6)).to.equal("-30.00");
      expect(formatTokenAmount(5n, 0)).to.equal("5");
      expect(formatTokenAmount(2_000n, 2, { minFractionDigits: 0 })).to.equal("20");
      for (const value of [0n, 1n, 999_999n, 10n ** 30n + 7n]) {
        expect(parseTokenAmount(formatTokenAmount(value, 6), 6)).to.equal(value);
      }
    });
  });

  describe("adjudication", function () {
    // the documented example, and a payout cut at the coverage limit
    const cases: [string, AdjudicationInput, ExplanationOfBenefits, bigint, bigint][] = [
      [
        "follows the documented example",
        {
          billed: 150n,
          scheduleAmount: 120n,
          deductibleRemaining: 50n,
          coinsuranceBps: 2_000,
          coverageRemaining: 1_000n,
        },
        { billed: 150n, allowed: 120n, deductibleApplied: 50n, coinsurance: 14n, payout: 56n },
        64n,
        0n,
      ],
      [
        "reports the part above the coverage limit",
        {
          billed: 100n,
          scheduleAmount: 100n,
          deductibleRemaining: 0n,
          coinsuranceBps: 0,
          coverageRemaining: 30n,
        },
        { billed: 100n, allowed: 100n, deductibleApplied: 0n, coinsurance: 0n, payout: 30n },
        70n,
        70n,
      ],
    ];
    for (const [title, input, expected, patientPays, overLimit] of cases) {
      it(title, function () {
        const eob = adjudicate(input);
        expect(eob).to.deep.equal(expected);
        expect(patientResponsibility(eob)).to.equal(patientPays);
        expect(overCoverageLimit(eob)).to.equal(overLimit);
      });
    }

    it("rounds coinsurance down", function () {
      expect(coinsuranceOf(100_000_001n, 2_000)).to.equal(20_000_000n);
    });

    it("refuses out-of-range inputs with an InputError", function () {
      const base = {
        billed: 1n,
        scheduleAmount: 1n,
        deductibleRemaining: 0n,
        coinsuranceBps: 0,
        coverageRemaining: 1n,
      };
      expectInputError(() => adjudicate({ ...base, coinsuranceBps: 10_001 }), /coinsurance/);
      expectInputError(() => adjudicate({ ...base, billed: -1n }), /billed/);
      expectInputError(() => adjudicate({ ...base, coverageRemaining: 1n << 96n }), /coverage/);
    });
  });

  describe("fee schedules", function () {
    it("encodes and decodes service codes", function () {
      expect(encodeServiceCode(" j1100 ")).to.equal(ethers.encodeBytes32String("J1100"));
      expect(decodeServiceCode(encodeServiceCode("99213"))).to.equal("99213");
      expect(drugServiceCode(9506000134352n)).to.equal(
        ethers.encodeBytes32String("09506000134352"),
      );
      expectInputError(() => encodeServiceCode("99 213"), /service code/);
      expectInputError(() => encodeServiceCode(""), /service code/);
      expectInputError(() => drugServiceCode("123456789012345"), /at most 14 digits/);
    });

    it("parses CSV with a header, comments and descriptions", function () {
      const entries = parseFeeSchedule(
        "code,amount,description\n# office visits\n99213,120.00,Office visit\n\n99214, 180\n",
        "csv",
        6,
      );
      expect(entries).to.deep.equal([
        { code: "99213", serviceCode: code("99213"), allowedAmount: usd(120) },
        { code: "99214", serviceCode: code("99214"), allowedAmount: usd(180) },
      ]);
    });

    it("parses JSON objects and arrays", function () {
      expect(parseFeeSchedule('{"99213": "120.00", "80053": 45}', "json", 6)).to.have.length(2);
      expect(
        parseFeeSchedule('[{"code": "99213", "amount": "120.5"}]', "json", 6)[0]?.allowedAmount,
      ).to.equal(usd(120.5));
    });

    it("refuses bad schedules with the line or entry at fault", function () {
      expectInputError(() => parseFeeSchedule("99213,12.5.0\n", "csv", 6), /line 1/);
      expectInputError(() => parseFeeSchedule("99213,1\n99214\n", "csv", 6), /line 2/);
      expectInputError(
        () => parseFeeSchedule("99213,1\n99213,2\n", "csv", 6),
        /99213 appears twice \(line 1 and line 2\)/,
      );
      expectInputError(() => parseFeeSchedule("99213,0\n", "csv", 6), /above zero/);
      expectInputError(() => parseFeeSchedule("code,amount\n", "csv", 6), /no entries/);
      expectInputError(() => parseFeeSchedule("{", "json", 6), /not valid JSON/);
      expectInputError(() => parseFeeSchedule("[{}]", "json", 6), /entry 1/);
      expectInputError(() => parseFeeSchedule('{"99213": true}', "json", 6), /string or a number/);
      expectInputError(() => parseFeeSchedule("5", "json", 6), /object/);
      expectInputError(() => readFeeSchedule("fees.txt", 6), /\.csv or \.json/);
      expectInputError(() => readFeeSchedule("missing.csv", 6), /cannot read/);
    });

    it("builds a tree whose proofs verify, and round-trips it through a file", function () {
      const entries = parseFeeSchedule("99213,120\n99214,180\n80053,45\n", "csv", 6);
      const tree = buildFeeScheduleTree(entries);
      const file = path.join(mkdtempSync(path.join(tmpdir(), "fees-")), "tree.json");
      writeFeeScheduleTree(file, tree);
      const loaded = readFeeScheduleTree(file);
      expect(loaded.root).to.equal(tree.root);
      const fee = proveFee(loaded, "99214");
      expect(fee.scheduleAmount).to.equal(usd(180));
      expect(loaded.verify([code("99214"), usd(180).toString()], fee.scheduleProof)).to.equal(true);
      expectInputError(() => proveFee(loaded, "70553"), /70553 is not in the fee schedule/);
      const bad = path.join(path.dirname(file), "bad.json");
      writeFileSync(bad, JSON.stringify({ format: "standard-v1", leafEncoding: ["uint256"] }));
      expectInputError(() => readFeeScheduleTree(bad), /not a fee schedule tree/);
    });
  });

  describe("reason codes", function () {
    it("parses and describes claim adjustment reason codes", function () {
      expect(parseReasonCode("50")).to.equal(50);
      expect(parseReasonCode("CARC 96")).to.equal(96);
      expect(describeReasonCode(96)).to.equal("non-covered charge");
      expect(describeReasonCode(999)).to.equal("reason 999");
      expectInputError(() => parseReasonCode("0"), /from 1 to 65535/);
      expectInputError(() => parseReasonCode("medically unnecessary"), /reason code/);
    });
  });

  describe("client", function () {
    it("opens, funds, plans, enrolls, submits, approves and pays, with ids from events", async function () {
      const s = await loadFixture(deployFixture);
      const asInsurer = connectInsuranceClaim(await s.claims.getAddress(), s.insurer);
      const { poolId } = await openPool(asInsurer, await s.usdc.getAddress());
      expect(poolId).to.equal(2n);
      const { credited } = await fundPool(asInsurer, poolId, usd(1_000));
      expect(credited).to.equal(usd(1_000));
      await withdrawFromPool(asInsurer, poolId, usd(100), s.insurer.address);
      expect(await readPool(asInsurer, poolId)).to.deep.include({
        balance: usd(900),
        reserved: 0n,
        available: usd(900),
      });
      await asInsurer.setAdjuster(poolId, s.adjuster.address, true);
      const { planId } = await createPlan(asInsurer, {
        poolId,
        coverageLimit: usd(500),
        deductible: 0n,
        coinsuranceBps: 1_000,
      });
      const progress: number[] = [];
      await setFees(
        asInsurer,
        planId,
        parseFeeSchedule("99213,100\n99214,150\n80053,40\n", "csv", 6),
        { chunkSize: 2, onProgress: ({ done }) => progress.push(done) },
      );
      expect(progress).to.deep.equal([2, 3]);
      const { policyId } = await createPolicy(asInsurer, {
        planId,
        patient: s.patient.address,
        start: s.start,
        end: s.end,
      });
      const { claimId, allowed } = await submitClaim(
        s.claims.connect(s.provider),
        claimRequest(s, { policyId }),
      );
      expect([claimId, allowed]).to.deep.equal([1n, usd(100)]);
      const decision = await approveClaim(s.claims.connect(s.adjuster), claimId);
      expect(decision.outcome).to.equal("Approved");
      expect(decision.eob.payout).to.equal(usd(90));
      expect(await quoteClaim(s.claims, claimId)).to.deep.equal(decision.eob);
      const paid = await payClaim(asInsurer, claimId);
      expect([paid.claimId, paid.payee, paid.amount]).to.deep.equal([
        claimId,
        s.provider.address,
        usd(90),
      ]);
    });

    it("decodes reverts into named errors", async function () {
      const s = await loadFixture(deployFixture);
      const error = await expectRejection(
        submitClaim(s.claims.connect(s.provider), claimRequest(s, { patient: s.stranger.address })),
        ContractRevertError,
        /InsuranceClaimPatientMismatch/,
      );
      expect(error.errorName).to.equal("InsuranceClaimPatientMismatch");
      expect(error.args.patient).to.equal(s.stranger.address);
      await expectRejection(
        fundPool(s.claims.connect(s.stranger), s.poolId, usd(1)),
        ContractRevertError,
        /ERC20InsufficientBalance/,
      );
      await expectRejection(readPool(s.claims, 9n), InputError, /there is no pool 9/);
    });

    it("submits a drug claim and reports its batch", async function () {
      const s = await loadFixture(deployFixture);
      const gtin = 9506000134352n;
      const lot = ethers.encodeBytes32String("L1");
      await s.trace.setDispensed(gtin, lot, 3n, s.pharmacy.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.insurer.address,
        HPAYMT,
        true,
        MEDICATIONS,
      );
      await s.claims.connect(s.insurer).setFees(s.planId, [drugServiceCode(gtin)], [usd(20)]);
      const { claimId, batchId, allowed } = await submitDrugClaim(s.claims.connect(s.pharmacy), {
        policyId: s.policyId,
        patient: s.patient.address,
        gtin,
        lot,
        unitIndex: 3n,
        serviceDate: s.now - DAY,
        billed: usd(25),
        evidenceHash: evidence("rx"),
      });
      expect([claimId, allowed, batchId]).to.deep.equal([
        1n,
        usd(20),
        await s.trace.batchIdOf(gtin, lot),
      ]);
      const statement = await readExplanationOfBenefits(s.claims, claimId);
      expect(statement.drugUnit).to.deep.equal({ batchId, unitIndex: 3n });
    });

    it("estimates a service from the plan and the policy's current state", async function () {
      const s = await loadFixture(deployFixture);
      const eob = await quoteService(s.claims, {
        policyId: s.policyId,
        serviceCode: code("99214"),
        billed: usd(200),
      });
      expect(eob).to.deep.include({ allowed: usd(180), deductibleApplied: usd(180), payout: 0n });
      await expectRejection(
        quoteService(s.claims, { policyId: s.policyId, serviceCode: code("1"), billed: 1n }),
        InputError,
        /lists no fee/,
      );
    });

    describe("payClaims", function () {
      async function approvedBatchFixture() {
        const s = await deployClaimsSuite(connection);
        const blacklist = await ethers.deployContract("BlacklistERC20");
        const asInsurer = s.claims.connect(s.insurer);
        await asInsurer.openPool(blacklist);
        await blacklist.mint(s.insurer.address, usd(1_000));
        await blacklist.connect(s.insurer).approve(s.claims, usd(1_000));
        await asInsurer.fundPool(2n, usd(1_000));
        await asInsurer.setAdjuster(2n, s.adjuster.address, true);
        await asInsurer.createPlan(2n, usd(1_000), 0n, 0, ethers.ZeroHash, APPEAL_WINDOW);
        await asInsurer.setFees(2n, [code("99213")], [usd(100)]);
        await asInsurer.createPolicy(2n, s.patient.address, s.start, s.end);
        const ids: bigint[] = [];
        for (let i = 0; i < 5; i++) {
          const from = i === 2 ? s.pharmacy : s.provider;
          await s.claims
            .connect(from)
            .submitClaim(
              claimRequest(s, { policyId: 2n, evidenceHash: evidence(`p${i}`) }),
              0n,
              [],
            );
          await s.claims.connect(s.adjuster).approveClaim(BigInt(i + 1));
          ids.push(BigInt(i + 1));
        }
        await blacklist.setBlacklisted(s.pharmacy.address, true);
        return { ...s, blacklist, ids, asInsurer };
      }

      it("pays in chunks with progress and reports the refused payee", async function () {
        const s = await loadFixture(approvedBatchFixture);
        const seen: string[] = [];
        const summary = await payClaims(s.asInsurer, s.ids, {
          chunkSize: 2,
          onProgress: ({ done, total, paid, failed }) =>
            seen.push(`${done}/${total} paid ${paid} failed ${failed}`),
        });
        expect(seen).to.deep.equal([
          "2/5 paid 2 failed 0",
          "4/5 paid 3 failed 1",
          "5/5 paid 4 failed 1",
        ]);
        expect(summary.paid.map((row) => row.claimId)).to.deep.equal([1n, 2n, 4n, 5n]);
        expect(summary.failed).to.deep.equal([
          { claimId: 3n, poolId: 2n, payee: s.pharmacy.address, amount: usd(100) },
        ]);
        expect(summary.amountPaid).to.equal(usd(400));
        expect(summary.transactions).to.have.length(3);
        expect(await findApprovedClaims(s.claims, 2n)).to.deep.equal([3n]);
      });

      it("checks every id before sending anything", async function () {
        const s = await loadFixture(approvedBatchFixture);
        await s.asInsurer.payClaim(1n);
        await expectRejection(
          payClaims(s.asInsurer, [2n, 1n, 9n]),
          InputError,
          /claim 1 is Paid, claim 9 is None/,
        );
        expect(await s.claims.claimStateOf(2n)).to.equal(BigInt(ClaimState.Approved));
        await expectRejection(payClaims(s.asInsurer, []), InputError, /no claims/);
        await expectRejection(payClaims(s.asInsurer, [2n, 2n]), InputError, /twice/);
        await expectRejection(
          payClaims(s.asInsurer, [2n], { chunkSize: 501 }),
          InputError,
          /chunk size/,
        );
      });

      it("voids the refused claim so its reserve returns to the pool", async function () {
        const s = await loadFixture(approvedBatchFixture);
        await payClaims(s.asInsurer, s.ids);
        expect((await readPool(s.claims, 2n)).reserved).to.equal(usd(100));
        await expectRejection(voidClaim(s.asInsurer, 3n, 0), InputError, /reason code/);
        await expectRejection(voidClaim(s.asInsurer, 0n, 16), InputError, /claim id/);
        await expectRejection(
          voidClaim(s.claims.connect(s.otherInsurer), 3n, 16),
          ContractRevertError,
          /InsuranceClaimNotPoolInsurer/,
        );
        const voided = await voidClaim(s.asInsurer, 3n, 16);
        expect(voided).to.deep.include({
          claimId: 3n,
          poolId: 2n,
          insurer: s.insurer.address,
          reasonCode: 16,
          released: usd(100),
          deductibleReleased: 0n,
        });
        expect(await readPool(s.claims, 2n)).to.deep.include({ reserved: 0n, available: usd(600) });
        expect(claimStateName(await s.claims.claimStateOf(3n))).to.equal("Voided");
        expect(await findApprovedClaims(s.claims, 2n)).to.deep.equal([]);
        const statement = await readExplanationOfBenefits(s.claims, 3n);
        expect(statement.state).to.equal("Voided");
        expect(statement.reasonCode).to.equal(16);
        expect(statement.history.map((step) => step.kind)).to.deep.equal([
          "submitted",
          "approved",
          "payment-failed",
          "voided",
        ]);
        expect(statement.history[3]).to.deep.include({
          actor: s.insurer.address,
          reasonCode: 16,
          amount: usd(100),
        });
      });

      it("paying a claim twice says it is Paid, and changes nothing", async function () {
        const s = await loadFixture(approvedBatchFixture);
        await payClaim(s.asInsurer, 1n);
        const pool = await readPool(s.claims, 2n);
        await expectRejection(
          payClaim(s.asInsurer, 1n),
          ContractRevertError,
          /^claim 1 is Paid; this needs it Approved \(InsuranceClaimUnexpected\w*State\)$/,
        );
        expect(await readPool(s.claims, 2n)).to.deep.equal(pool);
        expect(claimStateName(await s.claims.claimStateOf(1n))).to.equal("Paid");
      });

      it("finds a pool's approved claims", async function () {
        const s = await loadFixture(approvedBatchFixture);
        await s.asInsurer.payClaim(4n);
        expect(await findApprovedClaims(s.claims, 2n)).to.deep.equal([1n, 2n, 3n, 5n]);
        expect(await findApprovedClaims(s.claims, 1n)).to.deep.equal([]);
      });
    });

    it("reads and formats an explanation of benefits with the claim's history", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      const denied = await denyClaim(s.claims.connect(s.adjuster), 1n, 50);
      expect([denied.outcome, denied.reasonCode]).to.deep.equal(["Denied", 50]);
      await appealClaim(s.claims.connect(s.patient), 1n, evidence("appeal"));
      await approveClaim(s.claims.connect(s.adjuster), 1n);
      const statement = await readExplanationOfBenefits(s.claims, 1n);
      expect(statement.state).to.equal("Approved");
      expect(statement.history.map((step) => step.kind)).to.deep.equal([
        "submitted",
        "denied",
        "appealed",
        "approved",
      ]);
      expect(statement.eob).to.deep.equal({
        billed: usd(150),
        allowed: usd(120),
        deductibleApplied: usd(120),
        coinsurance: 0n,
        payout: 0n,
      });
      const token = await readTokenInfo(ethers.provider, await s.usdc.getAddress());
      expect(token).to.deep.include({ symbol: "USDC", decimals: 6 });
      const text = formatExplanationOfBenefits(statement, token);
      expect(text).to.contain("Explanation of benefits: claim 1 (Approved)");
      expect(text).to.contain("service 99213 on");
      expect(text).to.match(/Billed\s+150\.00/);
      expect(text).to.match(/Not allowed by the fee schedule\s+-30\.00/);
      expect(text).to.match(/Deductible\s+-120\.00/);
      expect(text).to.match(/Coinsurance \(20%\)\s+0\.00/);
      expect(text).to.match(/Patient may owe\s+120\.00/);
      expect(text).to.contain(`appealed by ${s.patient.address}`);
      expect(claimStateName(ClaimState.FinalDenied)).to.equal("FinalDenied");
      expect(formatBenefits(statement.eob, token, { denied: true })).to.have.length(5);
      await expectRejection(readExplanationOfBenefits(s.claims, 7n), InputError, /no claim 7/);
    });
  });
});
