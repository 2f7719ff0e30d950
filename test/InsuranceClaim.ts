import { expect } from "chai";
import { network } from "hardhat";

import { adjudicate } from "../sdk/insurance-claim/adjudication.js";
import { isDrugServiceCode } from "../sdk/insurance-claim/claim-rules.js";
import {
  buildFeeScheduleTree,
  drugServiceCode,
  proveFee,
} from "../sdk/insurance-claim/fee-schedule.js";
import { GAS_CEILINGS, expectLifecycleWithinCeilings } from "./fixtures/gas-ceilings.js";
import { shouldBehaveLikeAdminPausable } from "./shared/access-and-pause.js";
import type { AdminPausable } from "./shared/access-and-pause.js";
import {
  APPEAL_WINDOW,
  DAY,
  FEES,
  HPAYMT,
  MEDICATIONS,
  PLAN,
  claimRequest,
  code,
  deployClaimsSuite,
  evidence,
  usd,
} from "./fixtures/insurance-claim.js";
import type { ClaimsSuite } from "./fixtures/insurance-claim.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const loadFixture = networkHelpers.loadFixture.bind(networkHelpers);

/** The contract's ClaimState numbers. */
const State = {
  None: 0,
  Submitted: 1,
  Approved: 2,
  Denied: 3,
  Appealed: 4,
  Paid: 5,
  FinalDenied: 6,
  Voided: 7,
} as const;

/** An expected-states bitmap as the contract's `InsuranceClaimUnexpectedClaimState` reports it. */
const mask = (...states: number[]): string =>
  ethers.toBeHex(
    states.reduce((bits, state) => bits | (1n << BigInt(state)), 0n),
    32,
  );
const ALL_BUT_NONE = ethers.toBeHex((1n << 256n) - 2n, 32);

const GTIN = 9506000134352n;
const LOT = ethers.encodeBytes32String("ABC123");

/** JSON of any contract results (bigints as strings), to compare state before and after. */
const json = (value: unknown): string =>
  JSON.stringify(value, (_, item: unknown) => (typeof item === "bigint" ? item.toString() : item));

/** The state a failed call must leave untouched. */
async function snapshot(s: ClaimsSuite, claimIds: bigint[] = []): Promise<string> {
  const claims = s.claims;
  const counts = await claims.counts();
  const pools = await Promise.all(
    Array.from({ length: Number(counts.pools) }, (_, i) => claims.poolOf(BigInt(i + 1))),
  );
  const policies = await Promise.all(
    Array.from({ length: Number(counts.policies) }, (_, i) => claims.policyOf(BigInt(i + 1))),
  );
  const claimRows = await Promise.all(claimIds.map((id) => claims.claimOf(id)));
  const balances = await Promise.all(
    [claims, s.insurer, s.provider, s.pharmacy].map((who) => s.usdc.balanceOf(who)),
  );
  return json({ counts, pools, policies, claimRows, balances, paused: await claims.paused() });
}

/** Runs `check` (a revert expectation) and asserts the contract state did not change. */
async function expectNothingChanged(
  s: ClaimsSuite,
  check: () => Promise<unknown>,
  claimIds: bigint[] = [],
): Promise<void> {
  const before = await snapshot(s, claimIds);
  await check();
  expect(await snapshot(s, claimIds)).to.equal(before);
}

async function deployFixture() {
  return deployClaimsSuite(connection);
}

/** Plan 2 (no deductible, 20% coinsurance, $1,000 limit) and policy 2 on it for the patient. */
async function withSecondPlan(s: ClaimsSuite) {
  await s.claims
    .connect(s.insurer)
    .createPlan(s.poolId, usd(1_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
  await s.claims.connect(s.insurer).setFees(2n, Object.keys(FEES).map(code), Object.values(FEES));
  await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
  return { planId: 2n, policyId: 2n };
}

/** Claim 1 on policy 2 (no deductible): billed $150 for 99213 ($120 allowed), approved: $96 reserved. */
async function approvedClaimFixture() {
  const s = await deployClaimsSuite(connection);
  const { policyId } = await withSecondPlan(s);
  await s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId }), 0n, []);
  await s.claims.connect(s.adjuster).approveClaim(1n);
  return { ...s, policyId, claimId: 1n, payout: usd(96) };
}

/** Claim 1 on the default policy, denied with reason 50. */
async function deniedClaimFixture() {
  const s = await deployClaimsSuite(connection);
  await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
  await s.claims.connect(s.adjuster).denyClaim(1n, 50);
  return { ...s, claimId: 1n };
}

/**
 * Opens a second pool in `token` (funded with $10,000 of it), a plan without deductible on it and
 * a policy for the patient; returns their ids.
 */
async function openTokenPool(
  s: ClaimsSuite,
  token: { getAddress(): Promise<string>; mint(to: string, amount: bigint): Promise<unknown> },
  approve: (amount: bigint) => Promise<unknown>,
) {
  await s.claims.connect(s.insurer).openPool(await token.getAddress());
  const poolId = (await s.claims.counts()).pools;
  await token.mint(s.insurer.address, usd(10_000));
  await approve(usd(10_000));
  await s.claims.connect(s.insurer).fundPool(poolId, usd(10_000));
  await s.claims.connect(s.insurer).setAdjuster(poolId, s.adjuster.address, true);
  await s.claims
    .connect(s.insurer)
    .createPlan(poolId, usd(5_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
  const planId = (await s.claims.counts()).plans;
  await s.claims.connect(s.insurer).setFees(planId, [code("99213")], [usd(120)]);
  await s.claims.connect(s.insurer).createPolicy(planId, s.patient.address, s.start, s.end);
  const policyId = (await s.claims.counts()).policies;
  return { poolId, planId, policyId };
}

/** Submits and approves a claim on `policyId` by `provider` (default: the suite's provider). */
async function approvedClaim(
  s: ClaimsSuite,
  policyId: bigint,
  label: string,
  provider = s.provider,
): Promise<bigint> {
  await s.claims
    .connect(provider)
    .submitClaim(claimRequest(s, { policyId, evidenceHash: evidence(label) }), 0n, []);
  const claimId = (await s.claims.counts()).claims;
  await s.claims.connect(s.adjuster).approveClaim(claimId);
  return claimId;
}

async function sumOfPoolBalances(s: ClaimsSuite, token: string): Promise<bigint> {
  const { pools } = await s.claims.counts();
  let total = 0n;
  for (let id = 1n; id <= pools; id++) {
    const pool = await s.claims.poolOf(id);
    if (pool.token === token) total += pool.balance;
    expect(pool.reserved).to.be.lte(pool.balance);
  }
  return total;
}

describe("InsuranceClaim", function () {
  shouldBehaveLikeAdminPausable(async () => {
    const s = await loadFixture(deployFixture);
    return {
      contract: s.claims as unknown as AdminPausable,
      admin: s.admin,
      stranger: s.stranger,
      pauser: s.pauser,
      pauserRole: await s.claims.PAUSER_ROLE(),
      pausableCall: () => s.claims.connect(s.insurer).openPool(s.usdc),
    };
  });

  describe("deployment", function () {
    it("wires PatientConsent and DrugTrace and exposes the roles and consent constants", async function () {
      const s = await loadFixture(deployFixture);
      expect(await s.claims.patientConsent()).to.equal(await s.consent.getAddress());
      expect(await s.claims.drugTrace()).to.equal(await s.trace.getAddress());
      expect(await s.claims.INSURER_ROLE()).to.equal(ethers.id("INSURER_ROLE"));
      expect(await s.claims.PROVIDER_ROLE()).to.equal(ethers.id("PROVIDER_ROLE"));
      expect(await s.claims.PAUSER_ROLE()).to.equal(ethers.id("PAUSER_ROLE"));
      expect(await s.claims.PAYMENT_PURPOSE()).to.equal(BigInt(HPAYMT));
      expect(await s.claims.MEDICATIONS_CATEGORY()).to.equal(BigInt(MEDICATIONS));
    });

    it("reverts when PatientConsent is not a contract", async function () {
      const s = await loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("InsuranceClaim");
      await expect(factory.deploy(0n, s.admin.address, s.stranger.address, s.trace))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotAContract")
        .withArgs(s.stranger.address);
    });

    it("reverts when DrugTrace is not a contract", async function () {
      const s = await loadFixture(deployFixture);
      const factory = await ethers.getContractFactory("InsuranceClaim");
      await expect(factory.deploy(0n, s.admin.address, s.consent, ethers.ZeroAddress))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotAContract")
        .withArgs(ethers.ZeroAddress);
    });
  });

  describe("openPool", function () {
    it("opens a pool whose insurer is the caller", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.otherInsurer).openPool(s.usdc))
        .to.emit(s.claims, "PoolOpened")
        .withArgs(2n, s.otherInsurer.address, await s.usdc.getAddress());
      const pool = await s.claims.poolOf(2n);
      expect(pool.insurer).to.equal(s.otherInsurer.address);
      expect(pool.token).to.equal(await s.usdc.getAddress());
      expect(pool.balance).to.equal(0n);
      expect((await s.claims.counts()).pools).to.equal(2n);
    });

    it("reverts when the caller is not an insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.provider).openPool(s.usdc))
          .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
          .withArgs(s.provider.address, ethers.id("INSURER_ROLE")),
      );
    });

    it("reverts when the token is not a contract", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.insurer).openPool(s.stranger.address))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotAContract")
          .withArgs(s.stranger.address),
      );
    });
  });

  describe("fundPool", function () {
    it("credits the pool and lets anyone fund it", async function () {
      const s = await loadFixture(deployFixture);
      await s.usdc.mint(s.stranger.address, usd(500));
      await s.usdc.connect(s.stranger).approve(s.claims, usd(500));
      await expect(s.claims.connect(s.stranger).fundPool(s.poolId, usd(500)))
        .to.emit(s.claims, "PoolFunded")
        .withArgs(s.poolId, s.stranger.address, usd(500), usd(500));
      expect((await s.claims.poolOf(s.poolId)).balance).to.equal(usd(100_500));
      expect(await s.usdc.balanceOf(s.claims)).to.equal(usd(100_500));
    });

    it("reverts when the pool does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.insurer).fundPool(9n, usd(1)))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPool")
          .withArgs(9n),
      );
    });

    it("reverts when the amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.insurer).fundPool(s.poolId, 0n)).to.be.revertedWithCustomError(
          s.claims,
          "InsuranceClaimZeroAmount",
        ),
      );
    });

    it("reverts with the token's error when the allowance is short", async function () {
      const s = await loadFixture(deployFixture);
      const spender = await s.claims.getAddress();
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.stranger).fundPool(s.poolId, usd(1)))
          .to.be.revertedWithCustomError(s.usdc, "ERC20InsufficientAllowance")
          .withArgs(spender, 0n, usd(1)),
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.pauser).pause();
      await expect(
        s.claims.connect(s.insurer).fundPool(s.poolId, usd(1)),
      ).to.be.revertedWithCustomError(s.claims, "EnforcedPause");
    });
  });

  describe("withdrawFromPool", function () {
    it("sends unreserved funds to the recipient", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const available = usd(100_000) - s.payout;
      await expect(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, available, s.stranger.address),
      )
        .to.emit(s.claims, "PoolWithdrawn")
        .withArgs(s.poolId, s.stranger.address, available);
      expect(await s.usdc.balanceOf(s.stranger.address)).to.equal(available);
      const pool = await s.claims.poolOf(s.poolId);
      expect(pool.balance).to.equal(s.payout);
      expect(pool.reserved).to.equal(s.payout);
    });

    it("reverts when the pool does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.insurer).withdrawFromPool(7n, 1n, s.insurer.address))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPool")
          .withArgs(7n),
      );
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims.connect(s.otherInsurer).withdrawFromPool(s.poolId, 1n, s.otherInsurer.address),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
          .withArgs(s.poolId, s.otherInsurer.address),
      );
    });

    it("reverts when the caller is not an insurer at all", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.stranger).withdrawFromPool(s.poolId, 1n, s.stranger.address))
        .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
        .withArgs(s.stranger.address, ethers.id("INSURER_ROLE"));
    });

    it("reverts when the amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 0n, s.insurer.address),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAmount");
    });

    it("reverts when the recipient is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 1n, ethers.ZeroAddress),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAddress");
    });
  });

  describe("setAdjuster", function () {
    it("appoints and removes an adjuster, also while paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.pauser).pause();
      await expect(s.claims.connect(s.insurer).setAdjuster(s.poolId, s.stranger.address, true))
        .to.emit(s.claims, "PoolAdjusterSet")
        .withArgs(s.poolId, s.stranger.address, true);
      expect(await s.claims.isAdjuster(s.poolId, s.stranger.address)).to.equal(true);
      await expect(s.claims.connect(s.insurer).setAdjuster(s.poolId, s.stranger.address, false))
        .to.emit(s.claims, "PoolAdjusterSet")
        .withArgs(s.poolId, s.stranger.address, false);
      expect(await s.claims.isAdjuster(s.poolId, s.stranger.address)).to.equal(false);
    });

    it("reverts when the caller is not the pool's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.otherInsurer).setAdjuster(s.poolId, s.stranger.address, true))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
        .withArgs(s.poolId, s.otherInsurer.address);
      expect(await s.claims.isAdjuster(s.poolId, s.stranger.address)).to.equal(false);
    });

    it("reverts when the adjuster is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).setAdjuster(s.poolId, ethers.ZeroAddress, true),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAddress");
    });
  });

  describe("createPlan", function () {
    it("creates a plan with its benefit rules", async function () {
      const s = await loadFixture(deployFixture);
      const root = ethers.id("root");
      await expect(
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, usd(2_000), usd(100), 3_000, root, APPEAL_WINDOW),
      )
        .to.emit(s.claims, "PlanCreated")
        .withArgs(2n, s.poolId, usd(2_000), usd(100), 3_000, root, APPEAL_WINDOW);
      const plan = await s.claims.planOf(2n);
      expect([
        plan.poolId,
        plan.coverageLimit,
        plan.deductible,
        plan.coinsuranceBps,
        plan.appealWindow,
      ]).to.deep.equal([s.poolId, usd(2_000), usd(100), 3_000n, APPEAL_WINDOW]);
      expect(plan.feeScheduleRoot).to.equal(root);
    });

    it("accepts 100% coinsurance", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, 1n, 0n, 10_000, ethers.ZeroHash, APPEAL_WINDOW),
      ).to.emit(s.claims, "PlanCreated");
    });

    it("reverts when coinsurance is above 100%", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims
            .connect(s.insurer)
            .createPlan(s.poolId, 1n, 0n, 10_001, ethers.ZeroHash, APPEAL_WINDOW),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimCoinsuranceTooHigh")
          .withArgs(10_001n),
      );
    });

    it("reverts when the coverage limit is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).createPlan(s.poolId, 0n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroCoverageLimit");
    });

    it("reverts when the caller is not the pool's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims
            .connect(s.otherInsurer)
            .createPlan(s.poolId, 1n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
          .withArgs(s.poolId, s.otherInsurer.address),
      );
    });

    for (const [label, window] of [
      ["shorter than 30 days", 30n * DAY - 1n],
      ["longer than 365 days", 365n * DAY + 1n],
      ["zero", 0n],
    ] as const) {
      it(`reverts when the appeal window is ${label}`, async function () {
        const s = await loadFixture(deployFixture);
        await expectNothingChanged(s, () =>
          expect(
            s.claims.connect(s.insurer).createPlan(s.poolId, 1n, 0n, 0, ethers.ZeroHash, window),
          )
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimAppealWindowOutOfRange")
            .withArgs(window, 30n * DAY, 365n * DAY),
        );
      });
    }

    it("accepts the bounds of the appeal window, 30 and 365 days", async function () {
      const s = await loadFixture(deployFixture);
      for (const window of [30n * DAY, 365n * DAY]) {
        await s.claims.connect(s.insurer).createPlan(s.poolId, 1n, 0n, 0, ethers.ZeroHash, window);
        const { plans } = await s.claims.counts();
        expect((await s.claims.planOf(plans)).appealWindow).to.equal(window);
      }
    });

    it("reverts when the pool does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).createPlan(5n, 1n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
      )
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPool")
        .withArgs(5n);
    });
  });

  describe("setFees", function () {
    it("sets, changes and removes explicit fees", async function () {
      const s = await loadFixture(deployFixture);
      const tx = s.claims
        .connect(s.insurer)
        .setFees(s.planId, [code("99213"), code("J1100")], [usd(130), usd(15)]);
      await expect(tx)
        .to.emit(s.claims, "PlanFeeSet")
        .withArgs(s.planId, code("99213"), usd(130))
        .and.to.emit(s.claims, "PlanFeeSet")
        .withArgs(s.planId, code("J1100"), usd(15));
      expect(await s.claims.feeOf(s.planId, code("99213"))).to.equal(usd(130));
      await s.claims.connect(s.insurer).setFees(s.planId, [code("J1100")], [0n]);
      expect(await s.claims.feeOf(s.planId, code("J1100"))).to.equal(0n);
    });

    it("reverts when the lists differ in length or are empty", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.insurer).setFees(s.planId, [code("1"), code("2")], [1n]))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimLengthMismatch")
        .withArgs(2n, 1n);
      await expect(s.claims.connect(s.insurer).setFees(s.planId, [], []))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimLengthMismatch")
        .withArgs(0n, 0n);
      expect(await s.claims.feeOf(s.planId, code("1"))).to.equal(0n);
    });

    it("reverts when the plan does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.insurer).setFees(9n, [code("1")], [1n]))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPlan")
        .withArgs(9n);
    });

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.otherInsurer).setFees(s.planId, [code("99213")], [1n]))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
        .withArgs(s.poolId, s.otherInsurer.address);
      expect(await s.claims.feeOf(s.planId, code("99213"))).to.equal(FEES["99213"]);
    });
  });

  describe("createPolicy", function () {
    it("enrolls a patient in a plan for a period", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).createPolicy(s.planId, s.stranger.address, 100n, 200n),
      )
        .to.emit(s.claims, "PolicyCreated")
        .withArgs(2n, s.planId, s.stranger.address, 100n, 200n);
      const policy = await s.claims.policyOf(2n);
      expect([policy.planId, policy.patient, policy.start, policy.end]).to.deep.equal([
        s.planId,
        s.stranger.address,
        100n,
        200n,
      ]);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([0n, 0n]);
    });

    it("reverts when the period does not end after it starts", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.insurer).createPolicy(s.planId, s.stranger.address, 200n, 200n))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimInvalidPeriod")
          .withArgs(200n, 200n),
      );
    });

    it("reverts when the patient is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.insurer).createPolicy(s.planId, ethers.ZeroAddress, 1n, 2n),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAddress");
    });

    it("reverts when the plan does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.insurer).createPolicy(3n, s.stranger.address, 1n, 2n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPlan")
        .withArgs(3n);
    });

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.otherInsurer).createPolicy(s.planId, s.stranger.address, 1n, 2n))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
          .withArgs(s.poolId, s.otherInsurer.address),
      );
    });
  });

  describe("submitClaim", function () {
    it("records a claim with allowed = min(billed, fee) and emits it", async function () {
      const s = await loadFixture(deployFixture);
      const request = claimRequest(s);
      await expect(s.claims.connect(s.provider).submitClaim(request, 0n, []))
        .to.emit(s.claims, "ClaimSubmitted")
        .withArgs(
          1n,
          s.policyId,
          s.provider.address,
          request.serviceCode,
          request.serviceDate,
          usd(150),
          usd(120),
          request.evidenceHash,
        );
      const claim = await s.claims.claimOf(1n);
      expect(claim.provider).to.equal(s.provider.address);
      expect([
        claim.policyId,
        claim.state,
        claim.billed,
        claim.allowed,
        claim.poolId,
      ]).to.deep.equal([s.policyId, BigInt(State.Submitted), usd(150), usd(120), s.poolId]);
      expect(await s.claims.claimStateOf(1n)).to.equal(BigInt(State.Submitted));
      expect(
        await s.claims.claimIdOf(
          s.policyId,
          s.provider.address,
          request.serviceCode,
          request.serviceDate,
        ),
      ).to.equal(1n);
    });

    it("allows the billed amount when it is below the fee", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s, { billed: usd(99) }), 0n, []);
      expect((await s.claims.claimOf(1n)).allowed).to.equal(usd(99));
    });

    it("accepts the same code on another date, by another provider or on another policy", async function () {
      const s = await loadFixture(deployFixture);
      const request = claimRequest(s);
      await s.claims.connect(s.provider).submitClaim(request, 0n, []);
      await s.claims
        .connect(s.provider)
        .submitClaim({ ...request, serviceDate: request.serviceDate - DAY }, 0n, []);
      await s.consent.setAuthorization(s.patient.address, s.pharmacy.address, HPAYMT, true, 0);
      await s.claims.connect(s.pharmacy).submitClaim(request, 0n, []);
      const { policyId } = await withSecondPlan(s);
      await s.claims.connect(s.provider).submitClaim({ ...request, policyId }, 0n, []);
      expect((await s.claims.counts()).claims).to.equal(4n);
    });

    it("asks PatientConsent about the insurer, purpose HPAYMT, categories 0", async function () {
      const s = await loadFixture(deployFixture);
      // Consent restricted to the purpose alone still covers a medical claim.
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, true, 0);
      await expect(s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, [])).to.emit(
        s.claims,
        "ClaimSubmitted",
      );
    });

    it("reverts when the patient has not consented to the insurer for payment", async function () {
      const s = await loadFixture(deployFixture);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, false, 0);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, 0, true, 0xfff);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
          .withArgs(s.patient.address, s.insurer.address),
      );
    });

    it("reverts when the policy does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId: 42n }), 0n, []),
      )
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnknownPolicy")
        .withArgs(42n);
    });

    for (const [label, offset] of [
      ["before the policy starts", -31n * DAY],
      ["after the policy ends", 400n * DAY],
      ["in the future", 2n * DAY],
    ] as const) {
      it(`reverts when the service date is ${label}`, async function () {
        const s = await loadFixture(deployFixture);
        const serviceDate = s.now + offset;
        await expectNothingChanged(s, () =>
          expect(s.claims.connect(s.provider).submitClaim(claimRequest(s, { serviceDate }), 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimServiceDateNotCovered")
            .withArgs(s.policyId, serviceDate),
        );
      });
    }

    it("accepts the first and the last covered second", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims
        .connect(s.provider)
        .submitClaim(claimRequest(s, { serviceDate: s.start }), 0n, []);
      await networkHelpers.time.increaseTo(s.end + 1n);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, true, 0);
      await expect(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { serviceDate: s.end }), 0n, []),
      ).to.emit(s.claims, "ClaimSubmitted");
    });

    it("reverts when the plan lists no fee for the code", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { serviceCode: code("70553") }), 0n, []),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimServiceNotCovered")
          .withArgs(s.planId, code("70553")),
      );
    });

    it("reverts when the billed amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { billed: 0n }), 0n, []),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAmount");
    });

    it("reverts when the evidence hash is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expect(
        s.claims
          .connect(s.provider)
          .submitClaim(claimRequest(s, { evidenceHash: ethers.ZeroHash }), 0n, []),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimEvidenceMissing");
    });

    it("reverts when the caller is not a provider", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.connect(s.patient).submitClaim(claimRequest(s), 0n, []))
        .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
        .withArgs(s.patient.address, ethers.id("PROVIDER_ROLE"));
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.pauser).pause();
      await expect(
        s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []),
      ).to.be.revertedWithCustomError(s.claims, "EnforcedPause");
    });

    describe("with a Merkle fee schedule", function () {
      async function merklePlanFixture() {
        const s = await deployClaimsSuite(connection);
        const entries = Array.from({ length: 200 }, (_, i) => {
          const text = String(10_000 + i);
          return { code: text, serviceCode: code(text), allowedAmount: usd(10 + i) };
        });
        const tree = buildFeeScheduleTree(entries);
        await s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, usd(5_000), 0n, 0, tree.root, APPEAL_WINDOW);
        await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
        return { ...s, tree, policyId: 2n, planId: 2n };
      }

      it("accepts a claim that proves the code's allowed amount", async function () {
        const s = await loadFixture(merklePlanFixture);
        const fee = proveFee(s.tree, "10150");
        expect(fee.scheduleAmount).to.equal(usd(160));
        const request = claimRequest(s, { serviceCode: code("10150"), billed: usd(400) });
        await expect(
          s.claims.connect(s.provider).submitClaim(request, fee.scheduleAmount, fee.scheduleProof),
        )
          .to.emit(s.claims, "ClaimSubmitted")
          .withArgs(
            1n,
            s.policyId,
            s.provider.address,
            code("10150"),
            request.serviceDate,
            usd(400),
            usd(160),
            request.evidenceHash,
          );
      });

      it("reverts when the proven amount is not the schedule's", async function () {
        const s = await loadFixture(merklePlanFixture);
        const fee = proveFee(s.tree, "10150");
        const request = claimRequest(s, { serviceCode: code("10150"), billed: usd(400) });
        await expectNothingChanged(s, () =>
          expect(s.claims.connect(s.provider).submitClaim(request, usd(161), fee.scheduleProof))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimInvalidFeeProof")
            .withArgs(s.planId, code("10150"), usd(161)),
        );
      });

      it("reverts when no amount is given for a code without an explicit fee", async function () {
        const s = await loadFixture(merklePlanFixture);
        await expect(
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { serviceCode: code("10150") }), 0n, []),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimServiceNotCovered")
          .withArgs(s.planId, code("10150"));
      });

      it("lets an explicit fee override the tree", async function () {
        const s = await loadFixture(merklePlanFixture);
        await s.claims.connect(s.insurer).setFees(s.planId, [code("10150")], [usd(50)]);
        await s.claims
          .connect(s.provider)
          .submitClaim(claimRequest(s, { serviceCode: code("10150"), billed: usd(400) }), 0n, []);
        expect((await s.claims.claimOf(1n)).allowed).to.equal(usd(50));
      });
    });
  });

  describe("submitDrugClaim", function () {
    async function drugFixture() {
      const s = await deployClaimsSuite(connection);
      await s.trace.setDispensed(GTIN, LOT, 17n, s.pharmacy.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.insurer.address,
        HPAYMT,
        true,
        MEDICATIONS,
      );
      await s.claims.connect(s.insurer).setFees(s.planId, [drugServiceCode(GTIN)], [usd(30)]);
      const batchId = await s.trace.batchIdOf(GTIN, LOT);
      const request = {
        policyId: s.policyId,
        patient: s.patient.address,
        gtin: GTIN,
        lot: LOT,
        unitIndex: 17n,
        serviceDate: s.now - DAY,
        billed: usd(42),
        evidenceHash: evidence("rx"),
      };
      return { ...s, batchId, request };
    }

    it("records a claim for a unit the pharmacy dispensed, under the GTIN's code", async function () {
      const s = await loadFixture(drugFixture);
      await expect(s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []))
        .to.emit(s.claims, "ClaimSubmitted")
        .withArgs(
          1n,
          s.policyId,
          s.pharmacy.address,
          drugServiceCode(GTIN),
          s.request.serviceDate,
          usd(42),
          usd(30),
          s.request.evidenceHash,
        )
        .and.to.emit(s.claims, "DrugUnitClaimed")
        .withArgs(1n, s.batchId, 17n);
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(true);
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 16n)).to.equal(false);
      expect(await s.claims.drugServiceCode(GTIN)).to.equal(
        ethers.encodeBytes32String("09506000134352"),
      );
    });

    it("reverts when the unit was already claimed, even on another policy", async function () {
      const s = await loadFixture(drugFixture);
      await s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []);
      await s.claims.connect(s.insurer).createPolicy(s.planId, s.patient.address, s.start, s.end);
      const again = { ...s.request, policyId: 2n, evidenceHash: evidence("rx-again") };
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.pharmacy).submitDrugClaim(again, 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugUnitAlreadyClaimed")
            .withArgs(s.batchId, 17n),
        [1n],
      );
    });

    it("reverts when DrugTrace does not show the unit dispensed by the caller", async function () {
      const s = await loadFixture(drugFixture);
      await s.claims.grantRole(ethers.id("PROVIDER_ROLE"), s.stranger.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.stranger.address,
        HPAYMT,
        true,
        MEDICATIONS,
      );
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.stranger).submitDrugClaim(s.request, 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugNotDispensed")
          .withArgs(s.batchId, 17n, s.stranger.address),
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("reverts when the consent does not cover the medications category", async function () {
      const s = await loadFixture(drugFixture);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, true, 0);
      await expect(s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
        .withArgs(s.patient.address, s.insurer.address);
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("reverts when the GTIN has more than 14 digits", async function () {
      const s = await loadFixture(drugFixture);
      await expect(
        s.claims
          .connect(s.pharmacy)
          .submitDrugClaim({ ...s.request, gtin: 100_000_000_000_000n }, 0n, []),
      )
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimInvalidGtin")
        .withArgs(100_000_000_000_000n);
    });

    it("reverts when the claim is on someone else's policy", async function () {
      const s = await loadFixture(drugFixture);
      await expect(
        s.claims
          .connect(s.pharmacy)
          .submitDrugClaim({ ...s.request, patient: s.stranger.address }, 0n, []),
      )
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPatientMismatch")
        .withArgs(s.policyId, s.stranger.address);
    });

    it("reverts when the billed amount or the evidence is missing", async function () {
      const s = await loadFixture(drugFixture);
      await expect(
        s.claims.connect(s.pharmacy).submitDrugClaim({ ...s.request, billed: 0n }, 0n, []),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimZeroAmount");
      await expect(
        s.claims
          .connect(s.pharmacy)
          .submitDrugClaim({ ...s.request, evidenceHash: ethers.ZeroHash }, 0n, []),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimEvidenceMissing");
    });

    it("reverts when the caller is not a provider", async function () {
      const s = await loadFixture(drugFixture);
      await expect(s.claims.connect(s.patient).submitDrugClaim(s.request, 0n, []))
        .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
        .withArgs(s.patient.address, ethers.id("PROVIDER_ROLE"));
    });
  });

  describe("approveClaim", function () {
    it("applies the deductible first, then coinsurance, reserves the payout and emits the EOB", async function () {
      const s = await loadFixture(deployFixture);
      // Deductible $500: 4 claims of $150 billed for 99214 ($180 fee) -> allowed $150 each.
      for (let i = 0; i < 4; i++) {
        await s.claims
          .connect(s.provider)
          .submitClaim(
            claimRequest(s, { serviceCode: code("99214"), evidenceHash: evidence(`d${i}`) }),
            0n,
            [],
          );
      }
      for (const id of [1n, 2n, 3n]) {
        await expect(s.claims.connect(s.adjuster).approveClaim(id))
          .to.emit(s.claims, "ClaimAdjudicated")
          .withArgs(
            id,
            State.Approved,
            s.adjuster.address,
            usd(150),
            usd(150),
            usd(150),
            0n,
            0n,
            0,
          );
      }
      // $50 deductible left; 20% of $100 = $20; payout $80.
      await expect(s.claims.connect(s.adjuster).approveClaim(4n))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          4n,
          State.Approved,
          s.adjuster.address,
          usd(150),
          usd(150),
          usd(50),
          usd(20),
          usd(80),
          0,
        );
      const policy = await s.claims.policyOf(s.policyId);
      expect(policy.deductibleMet).to.equal(PLAN.deductible);
      expect(policy.coverageUsed).to.equal(usd(80));
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(usd(80));
      const claim = await s.claims.claimOf(4n);
      expect([claim.state, claim.deductibleApplied, claim.payout]).to.deep.equal([
        BigInt(State.Approved),
        usd(50),
        usd(80),
      ]);
      expect(await s.claims.quote(4n)).to.deep.equal([
        usd(150),
        usd(150),
        usd(50),
        usd(20),
        usd(80),
      ]);
    });

    it("reverts when the pool cannot cover the payout", async function () {
      const s = await loadFixture(deployFixture);
      const { policyId } = await withSecondPlan(s);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId }), 0n, []);
      await s.claims
        .connect(s.insurer)
        .withdrawFromPool(s.poolId, usd(100_000) - usd(95), s.insurer.address);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.adjuster).approveClaim(1n))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPoolInsufficientFunds")
            .withArgs(s.poolId, usd(96), usd(95)),
        [1n],
      );
    });

    it("reverts when the caller is not an adjuster of the claim's pool", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await s.claims.connect(s.insurer).setAdjuster(s.poolId, s.adjuster.address, false);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.adjuster).approveClaim(1n))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolAdjuster")
            .withArgs(s.poolId, s.adjuster.address),
        [1n],
      );
      await expect(s.claims.connect(s.insurer).approveClaim(1n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolAdjuster")
        .withArgs(s.poolId, s.insurer.address);
    });

    it("reverts when the claim does not exist or was already decided", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const expected = mask(State.Submitted, State.Appealed);
      await expect(s.claims.connect(s.adjuster).approveClaim(9n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(9n, State.None, expected);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.adjuster).approveClaim(s.claimId))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
            .withArgs(s.claimId, State.Approved, expected),
        [s.claimId],
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await s.claims.connect(s.pauser).pause();
      await expect(s.claims.connect(s.adjuster).approveClaim(1n)).to.be.revertedWithCustomError(
        s.claims,
        "EnforcedPause",
      );
    });
  });

  describe("denyClaim", function () {
    it("denies a submitted claim with a reason code and an EOB paying nothing", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await expect(s.claims.connect(s.adjuster).denyClaim(1n, 50))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(1n, State.Denied, s.adjuster.address, usd(150), usd(120), 0n, 0n, 0n, 50);
      const claim = await s.claims.claimOf(1n);
      expect([claim.state, claim.reasonCode]).to.deep.equal([BigInt(State.Denied), 50n]);
      expect(await s.claims.quote(1n)).to.deep.equal([usd(150), usd(120), 0n, 0n, 0n]);
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([0n, 0n]);
    });

    it("reverts when the reason code is zero", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.adjuster).denyClaim(1n, 0)).to.be.revertedWithCustomError(
            s.claims,
            "InsuranceClaimZeroReasonCode",
          ),
        [1n],
      );
    });

    it("reverts when the caller is not an adjuster of the claim's pool", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await expect(s.claims.connect(s.stranger).denyClaim(1n, 50))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolAdjuster")
        .withArgs(s.poolId, s.stranger.address);
      expect(await s.claims.claimStateOf(1n)).to.equal(BigInt(State.Submitted));
    });

    it("reverts when the claim is approved or already denied", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const expected = mask(State.Submitted, State.Appealed);
      await expect(s.claims.connect(s.adjuster).denyClaim(s.claimId, 50))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(s.claimId, State.Approved, expected);
      const d = await loadFixture(deniedClaimFixture);
      await expect(d.claims.connect(d.adjuster).denyClaim(d.claimId, 96))
        .to.be.revertedWithCustomError(d.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(d.claimId, State.Denied, expected);
    });
  });

  describe("appealClaim", function () {
    it("lets the provider appeal a denial once with new evidence", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.provider.address, evidence("appeal"));
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(BigInt(State.Appealed));
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, evidence("again")))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(s.claimId, State.Appealed, mask(State.Denied));
    });

    it("lets the patient appeal", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(s.claims.connect(s.patient).appealClaim(s.claimId, evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.patient.address, evidence("appeal"));
    });

    it("approves an appealed claim as the final decision", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal"));
      // All of the $120 allowed goes to the $500 deductible: approved with no payout.
      await expect(s.claims.connect(s.adjuster).approveClaim(s.claimId))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          State.Approved,
          s.adjuster.address,
          usd(150),
          usd(120),
          usd(120),
          0n,
          0n,
          0,
        );
      const claim = await s.claims.claimOf(s.claimId);
      expect([claim.state, claim.reasonCode]).to.deep.equal([BigInt(State.Approved), 0n]);
    });

    it("denies an appealed claim for good", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal"));
      await expect(s.claims.connect(s.adjuster).denyClaim(s.claimId, 96))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          State.FinalDenied,
          s.adjuster.address,
          usd(150),
          usd(120),
          0n,
          0n,
          0n,
          96,
        );
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, evidence("again")))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(s.claimId, State.FinalDenied, mask(State.Denied));
    });

    it("reverts when the caller is neither the provider nor the patient", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.adjuster).appealClaim(s.claimId, evidence("appeal")))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotAppellant")
            .withArgs(s.claimId, s.adjuster.address),
        [s.claimId],
      );
    });

    it("reverts when the new evidence hash is zero", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(
        s.claims.connect(s.provider).appealClaim(s.claimId, ethers.ZeroHash),
      ).to.be.revertedWithCustomError(s.claims, "InsuranceClaimEvidenceMissing");
    });

    it("reverts when the claim was not denied", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal")))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(s.claimId, State.Approved, mask(State.Denied));
    });
  });

  describe("payClaim", function () {
    it("pays the provider from the reserve, once", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const tx = s.claims.connect(s.insurer).payClaim(s.claimId);
      await expect(tx)
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.claimId, s.poolId, s.provider.address, s.payout);
      await expect(tx).to.changeTokenBalances(
        ethers,
        s.usdc,
        [s.claims, s.provider],
        [-s.payout, s.payout],
      );
      const pool = await s.claims.poolOf(s.poolId);
      expect([pool.balance, pool.reserved]).to.deep.equal([usd(100_000) - s.payout, 0n]);
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(BigInt(State.Paid));
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.insurer).payClaim(s.claimId))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
            .withArgs(s.claimId, State.Paid, mask(State.Approved)),
        [s.claimId],
      );
    });

    it("marks a claim with no payout paid without a transfer", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal"));
      await s.claims.connect(s.adjuster).approveClaim(s.claimId);
      await expect(s.claims.connect(s.insurer).payClaim(s.claimId))
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.claimId, s.poolId, s.provider.address, 0n)
        .and.not.to.emit(s.usdc, "Transfer");
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.otherInsurer).payClaim(s.claimId))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
            .withArgs(s.poolId, s.otherInsurer.address),
        [s.claimId],
      );
    });

    it("reverts when the caller is not an insurer", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expect(s.claims.connect(s.provider).payClaim(s.claimId))
        .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
        .withArgs(s.provider.address, ethers.id("INSURER_ROLE"));
    });

    it("reverts when the claim is not approved", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(s.claims.connect(s.insurer).payClaim(s.claimId))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(s.claimId, State.Denied, mask(State.Approved));
      await expect(s.claims.connect(s.insurer).payClaim(99n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(99n, State.None, mask(State.Approved));
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await s.claims.connect(s.pauser).pause();
      await expect(s.claims.connect(s.insurer).payClaim(s.claimId)).to.be.revertedWithCustomError(
        s.claims,
        "EnforcedPause",
      );
    });
  });

  describe("payClaims", function () {
    async function batchFixture() {
      const s = await approvedClaimFixture();
      const second = await approvedClaim(s, s.policyId, "second", s.pharmacy);
      const third = await approvedClaim(s, s.policyId, "third");
      return { ...s, ids: [s.claimId, second, third] };
    }

    it("pays every claim and reports a summary", async function () {
      const s = await loadFixture(batchFixture);
      const tx = s.claims.connect(s.insurer).payClaims(s.ids);
      await expect(tx)
        .to.emit(s.claims, "ClaimBatchPaid")
        .withArgs(s.insurer.address, 3n, 0n, 3n * s.payout);
      await expect(tx)
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.ids[1], s.poolId, s.pharmacy.address, s.payout);
      await expect(tx).to.changeTokenBalances(
        ethers,
        s.usdc,
        [s.claims, s.provider, s.pharmacy],
        [-3n * s.payout, 2n * s.payout, s.payout],
      );
      for (const id of s.ids) expect(await s.claims.claimStateOf(id)).to.equal(BigInt(State.Paid));
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(0n);
    });

    it("returns the counts to a static caller", async function () {
      const s = await loadFixture(batchFixture);
      expect(await s.claims.connect(s.insurer).payClaims.staticCall(s.ids)).to.deep.equal([
        3n,
        0n,
        3n * s.payout,
      ]);
    });

    it("reverts the whole batch when an id repeats (no claim is paid twice)", async function () {
      const s = await loadFixture(batchFixture);
      const first = s.ids[0]!;
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.insurer).payClaims([first, s.ids[1]!, first]))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
            .withArgs(first, State.Paid, mask(State.Approved)),
        s.ids,
      );
    });

    it("reverts when the batch is empty", async function () {
      const s = await loadFixture(batchFixture);
      await expect(s.claims.connect(s.insurer).payClaims([])).to.be.revertedWithCustomError(
        s.claims,
        "InsuranceClaimEmptyBatch",
      );
    });

    it("reverts when a claim belongs to another insurer's pool", async function () {
      const s = await loadFixture(batchFixture);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.otherInsurer).payClaims(s.ids))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
            .withArgs(s.poolId, s.otherInsurer.address),
        s.ids,
      );
    });

    it("reverts when the caller is not an insurer or the contract is paused", async function () {
      const s = await loadFixture(batchFixture);
      await expect(s.claims.connect(s.adjuster).payClaims(s.ids))
        .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
        .withArgs(s.adjuster.address, ethers.id("INSURER_ROLE"));
      await s.claims.connect(s.pauser).pause();
      await expect(s.claims.connect(s.insurer).payClaims(s.ids)).to.be.revertedWithCustomError(
        s.claims,
        "EnforcedPause",
      );
    });
  });

  describe("voidClaim", function () {
    /**
     * Four claims of $150 for 99214 on the default policy ($500 deductible, 20% coinsurance), all
     * approved: claims 1-3 meet $450 of the deductible, claim 4 applies the last $50 and reserves $80.
     */
    async function deductibleFixture() {
      const s = await deployClaimsSuite(connection);
      for (let i = 0; i < 4; i++) {
        await s.claims
          .connect(s.provider)
          .submitClaim(
            claimRequest(s, { serviceCode: code("99214"), evidenceHash: evidence(`v${i}`) }),
            0n,
            [],
          );
        await s.claims.connect(s.adjuster).approveClaim(BigInt(i + 1));
      }
      return { ...s, claimId: 4n };
    }

    it("releases the reserve, the coverage and the deductible the approval counted", async function () {
      const s = await loadFixture(deductibleFixture);
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(usd(80));
      await expect(s.claims.connect(s.insurer).voidClaim(s.claimId, 16))
        .to.emit(s.claims, "ClaimVoided")
        .withArgs(s.claimId, s.poolId, s.insurer.address, 16, usd(80), usd(50))
        .and.not.to.emit(s.usdc, "Transfer");
      const pool = await s.claims.poolOf(s.poolId);
      expect([pool.balance, pool.reserved]).to.deep.equal([usd(100_000), 0n]);
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([usd(450), 0n]);
      const claim = await s.claims.claimOf(s.claimId);
      // The approval's numbers stay on record; the reason is the void's.
      expect([claim.state, claim.reasonCode, claim.deductibleApplied, claim.payout]).to.deep.equal([
        BigInt(State.Voided),
        16n,
        usd(50),
        usd(80),
      ]);
      expect(await s.claims.quote(s.claimId)).to.deep.equal([usd(150), usd(150), 0n, 0n, 0n]);
      // The reserve is available again: the whole balance can be withdrawn.
      await expect(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, usd(100_000), s.insurer.address),
      )
        .to.emit(s.claims, "PoolWithdrawn")
        .withArgs(s.poolId, s.insurer.address, usd(100_000));
    });

    it("lets the provider submit the voided service again, adjudicated afresh", async function () {
      const s = await loadFixture(deductibleFixture);
      const same = claimRequest(s, { serviceCode: code("99214"), evidenceHash: evidence("v3") });
      // While the claim is Approved the service is taken, whatever the evidence.
      await expectNothingChanged(
        s,
        () =>
          expect(
            s.claims
              .connect(s.provider)
              .submitClaim({ ...same, evidenceHash: evidence("v3-corrected") }, 0n, []),
          )
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDuplicate")
            .withArgs(s.claimId),
        [s.claimId],
      );
      await s.claims.connect(s.insurer).voidClaim(s.claimId, 16);
      const corrected = { ...same, evidenceHash: evidence("v3-corrected") };
      await s.claims.connect(s.provider).submitClaim(corrected, 0n, []);
      expect(
        await s.claims.claimIdOf(
          s.policyId,
          s.provider.address,
          same.serviceCode,
          same.serviceDate,
        ),
      ).to.equal(5n);
      // The released deductible and coverage are counted again, once: the same EOB as the voided approval.
      await expect(s.claims.connect(s.adjuster).approveClaim(5n))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          5n,
          State.Approved,
          s.adjuster.address,
          usd(150),
          usd(150),
          usd(50),
          usd(20),
          usd(80),
          0,
        );
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([PLAN.deductible, usd(80)]);
    });

    it("leaves a voided drug claim's unit claimed", async function () {
      const s = await loadFixture(deployFixture);
      await s.trace.setDispensed(GTIN, LOT, 17n, s.pharmacy.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.insurer.address,
        HPAYMT,
        true,
        MEDICATIONS,
      );
      await s.claims.connect(s.insurer).setFees(s.planId, [drugServiceCode(GTIN)], [usd(30)]);
      const batchId = await s.trace.batchIdOf(GTIN, LOT);
      const request = {
        policyId: s.policyId,
        patient: s.patient.address,
        gtin: GTIN,
        lot: LOT,
        unitIndex: 17n,
        serviceDate: s.now - DAY,
        billed: usd(42),
        evidenceHash: evidence("rx"),
      };
      await s.claims.connect(s.pharmacy).submitDrugClaim(request, 0n, []);
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await expect(s.claims.connect(s.insurer).voidClaim(1n, 22))
        .to.emit(s.claims, "ClaimVoided")
        .withArgs(1n, s.poolId, s.insurer.address, 22, 0n, usd(30));
      expect(await s.claims.isDrugUnitClaimed(batchId, 17n)).to.equal(true);
      const again = { ...request, evidenceHash: evidence("rx-again") };
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.pharmacy).submitDrugClaim(again, 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugUnitAlreadyClaimed")
            .withArgs(batchId, 17n),
        [1n],
      );
    });

    it("reverts when the reason code is zero", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.insurer).voidClaim(s.claimId, 0)).to.be.revertedWithCustomError(
            s.claims,
            "InsuranceClaimZeroReasonCode",
          ),
        [s.claimId],
      );
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.otherInsurer).voidClaim(s.claimId, 16))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNotPoolInsurer")
            .withArgs(s.poolId, s.otherInsurer.address),
        [s.claimId],
      );
    });

    it("reverts when the caller is not an insurer (not even the pool's adjuster)", async function () {
      const s = await loadFixture(approvedClaimFixture);
      for (const caller of [s.adjuster, s.provider]) {
        await expectNothingChanged(
          s,
          () =>
            expect(s.claims.connect(caller).voidClaim(s.claimId, 16))
              .to.be.revertedWithCustomError(s.claims, "AccessControlUnauthorizedAccount")
              .withArgs(caller.address, ethers.id("INSURER_ROLE")),
          [s.claimId],
        );
      }
    });

    it("reverts when the claim is not approved", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const submitted = 2n;
      await s.claims
        .connect(s.provider)
        .submitClaim(
          claimRequest(s, { policyId: s.policyId, evidenceHash: evidence("pending") }),
          0n,
          [],
        );
      const denied = 3n;
      await s.claims
        .connect(s.provider)
        .submitClaim(
          claimRequest(s, { policyId: s.policyId, evidenceHash: evidence("denied") }),
          0n,
          [],
        );
      await s.claims.connect(s.adjuster).denyClaim(denied, 50);
      const paid = await approvedClaim(s, s.policyId, "paid");
      await s.claims.connect(s.insurer).payClaim(paid);
      const voided = s.claimId;
      await s.claims.connect(s.insurer).voidClaim(voided, 16);
      const cases: [bigint, number][] = [
        [99n, State.None],
        [submitted, State.Submitted],
        [denied, State.Denied],
        [paid, State.Paid],
        [voided, State.Voided],
      ];
      for (const [claimId, state] of cases) {
        await expectNothingChanged(
          s,
          () =>
            expect(s.claims.connect(s.insurer).voidClaim(claimId, 16))
              .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
              .withArgs(claimId, state, mask(State.Approved)),
          [submitted, denied, paid, voided],
        );
      }
      // A voided claim cannot be paid either.
      await expect(s.claims.connect(s.insurer).payClaim(voided))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(voided, State.Voided, mask(State.Approved));
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await s.claims.connect(s.pauser).pause();
      await expectNothingChanged(
        s,
        () =>
          expect(
            s.claims.connect(s.insurer).voidClaim(s.claimId, 16),
          ).to.be.revertedWithCustomError(s.claims, "EnforcedPause"),
        [s.claimId],
      );
    });
  });

  describe("quote and adjudicate", function () {
    it("quotes a pending claim against the policy's current deductible and coverage", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims
        .connect(s.provider)
        .submitClaim(claimRequest(s, { serviceCode: code("99214"), billed: usd(900) }), 0n, []);
      expect(await s.claims.quote(1n)).to.deep.equal([usd(900), usd(180), usd(180), 0n, 0n]);
    });

    it("reverts when the claim does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.quote(1n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimUnexpectedClaimState")
        .withArgs(1n, State.None, ALL_BUT_NONE);
    });

    it("computes the rule for given numbers and rounds coinsurance down", async function () {
      const s = await loadFixture(deployFixture);
      // allowed 100.000001, deductible 0.000001 -> 100; 20% coinsurance = 20; payout 80.
      expect(
        await s.claims.adjudicate(usd(150), 100_000_001n, 1n, 2_000, usd(1_000)),
      ).to.deep.equal([usd(150), 100_000_001n, 1n, usd(20), usd(80)]);
      // 3 units at 33.33%: coinsurance floor(0.9999) = 0, the insurer pays all 3.
      expect(await s.claims.adjudicate(3n, 3n, 0n, 3_333, 10n)).to.deep.equal([3n, 3n, 0n, 0n, 3n]);
    });

    it("reverts when coinsurance is above 100%", async function () {
      const s = await loadFixture(deployFixture);
      await expect(s.claims.adjudicate(1n, 1n, 0n, 10_001, 1n))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimCoinsuranceTooHigh")
        .withArgs(10_001n);
    });

    it("agrees with the SDK's adjudicate on 300 random cases (seeded)", async function () {
      const s = await loadFixture(deployFixture);
      const random = seededRandom(0x5eed_c1a1);
      const amount = (): bigint => {
        const pick = random.int(6);
        if (pick === 0) return 0n;
        if (pick === 1) return (1n << 96n) - 1n - random.bigint(3n);
        return random.bigint(1n << BigInt(8 + random.int(88)));
      };
      const bpsEdges = [0, 1, 5_000, 9_999, 10_000];
      for (let i = 0; i < 300; i++) {
        const input = {
          billed: amount(),
          scheduleAmount: amount(),
          deductibleRemaining: amount(),
          coinsuranceBps: random.int(4) === 0 ? bpsEdges[random.int(5)]! : random.int(10_001),
          coverageRemaining: amount(),
        };
        const onChain = await s.claims.adjudicate(
          input.billed,
          input.scheduleAmount,
          input.deductibleRemaining,
          input.coinsuranceBps,
          input.coverageRemaining,
        );
        const sdk = adjudicate(input);
        expect(
          [
            onChain.billed,
            onChain.allowed,
            onChain.deductibleApplied,
            onChain.coinsurance,
            onChain.payout,
          ],
          `case ${i}: ${json(input)}`,
        ).to.deep.equal([
          sdk.billed,
          sdk.allowed,
          sdk.deductibleApplied,
          sdk.coinsurance,
          sdk.payout,
        ]);
      }
    });

    it("agrees with the SDK on 30 random claims through submission, approval and quote", async function () {
      const s = await loadFixture(deployFixture);
      const random = seededRandom(0xc1a1_0002);
      for (let i = 0; i < 30; i++) {
        const limit = 1n + random.bigint(usd(2_000));
        const deductible = random.bigint(usd(300));
        const bps = random.int(10_001);
        const fee = 1n + random.bigint(usd(400));
        await s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, limit, deductible, bps, ethers.ZeroHash, APPEAL_WINDOW);
        const planId = (await s.claims.counts()).plans;
        await s.claims.connect(s.insurer).setFees(planId, [code("99213")], [fee]);
        await s.claims.connect(s.insurer).createPolicy(planId, s.patient.address, s.start, s.end);
        const policyId = (await s.claims.counts()).policies;
        let deductibleMet = 0n;
        let coverageUsed = 0n;
        for (let k = 0; k < 3; k++) {
          const billed = 1n + random.bigint(usd(500));
          await s.claims
            .connect(s.provider)
            .submitClaim(
              claimRequest(s, { policyId, billed, evidenceHash: evidence(`f${i}-${k}`) }),
              0n,
              [],
            );
          const claimId = (await s.claims.counts()).claims;
          const expected = adjudicate({
            billed,
            scheduleAmount: fee,
            deductibleRemaining: deductible - deductibleMet,
            coinsuranceBps: bps,
            coverageRemaining: limit - coverageUsed,
          });
          const quoted = await s.claims.quote(claimId);
          expect([...quoted], `plan ${planId} claim ${claimId}`).to.deep.equal([
            expected.billed,
            expected.allowed,
            expected.deductibleApplied,
            expected.coinsurance,
            expected.payout,
          ]);
          await s.claims.connect(s.adjuster).approveClaim(claimId);
          expect([...(await s.claims.quote(claimId))]).to.deep.equal([...quoted]);
          deductibleMet += expected.deductibleApplied;
          coverageUsed += expected.payout;
          const policy = await s.claims.policyOf(policyId);
          expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([
            deductibleMet,
            coverageUsed,
          ]);
          expect(policy.coverageUsed).to.be.lte(limit);
        }
      }
    });
  });

  describe("views", function () {
    it("counts pools, plans, policies and claims", async function () {
      const s = await loadFixture(approvedClaimFixture);
      expect(await s.claims.counts()).to.deep.equal([1n, 2n, 2n, 1n]);
    });

    it("returns zero values for unknown ids", async function () {
      const s = await loadFixture(deployFixture);
      expect((await s.claims.poolOf(9n)).insurer).to.equal(ethers.ZeroAddress);
      expect((await s.claims.planOf(9n)).poolId).to.equal(0n);
      expect((await s.claims.policyOf(9n)).patient).to.equal(ethers.ZeroAddress);
      expect((await s.claims.claimOf(9n)).state).to.equal(BigInt(State.None));
      expect(await s.claims.claimStateOf(9n)).to.equal(BigInt(State.None));
    });
  });

  describe("GIF failure modes, refused", function () {
    it("refuses an identical duplicate claim", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDuplicate")
            .withArgs(1n),
        [1n],
      );
    });

    it("refuses a claim on someone else's policy", async function () {
      const s = await loadFixture(deployFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { patient: s.stranger.address }), 0n, []),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPatientMismatch")
          .withArgs(s.policyId, s.stranger.address),
      );
    });

    it("never pays beyond the coverage limit", async function () {
      const s = await loadFixture(deployFixture);
      // Plan 2: $200 limit, no deductible, no coinsurance.
      await s.claims
        .connect(s.insurer)
        .createPlan(s.poolId, usd(200), 0n, 0, ethers.ZeroHash, APPEAL_WINDOW);
      await s.claims.connect(s.insurer).setFees(2n, [code("99213")], [usd(120)]);
      await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
      const payouts: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await approvedClaim(s, 2n, `cap${i}`);
        payouts.push((await s.claims.claimOf(id)).payout);
      }
      expect(payouts).to.deep.equal([usd(120), usd(80), 0n]);
      expect((await s.claims.policyOf(2n)).coverageUsed).to.equal(usd(200));
      await s.claims.connect(s.insurer).payClaims([1n, 2n, 3n]);
      expect(await s.usdc.balanceOf(s.provider.address)).to.equal(usd(200));
    });

    it("refuses to withdraw reserved funds", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectNothingChanged(s, () =>
        expect(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, usd(100_000), s.insurer.address),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimWithdrawalExceedsAvailable")
          .withArgs(s.poolId, usd(100_000), usd(100_000) - s.payout),
      );
    });
  });

  describe("hostile tokens", function () {
    describe("fee on transfer", function () {
      async function feeFixture() {
        const s = await deployClaimsSuite(connection);
        const token = await ethers.deployContract("FeeOnTransferERC20", [100n]);
        const ids = await openTokenPool(s, token, (amount) =>
          token.connect(s.insurer).approve(s.claims, amount),
        );
        return { ...s, token, ...ids };
      }

      it("credits only what arrived", async function () {
        const s = await loadFixture(feeFixture);
        await s.token.mint(s.stranger.address, usd(1_000));
        await s.token.connect(s.stranger).approve(s.claims, usd(1_000));
        await expect(s.claims.connect(s.stranger).fundPool(s.poolId, usd(1_000)))
          .to.emit(s.claims, "PoolFunded")
          .withArgs(s.poolId, s.stranger.address, usd(1_000), usd(990));
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.balance).to.equal(usd(9_900) + usd(990));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });

      it("pays and withdraws without breaking the accounting", async function () {
        const s = await loadFixture(feeFixture);
        const id = await approvedClaim(s, s.policyId, "fee");
        await s.claims.connect(s.insurer).payClaim(id);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(usd(96) - usd(0.96));
        const { balance, reserved } = await s.claims.poolOf(s.poolId);
        await s.claims
          .connect(s.insurer)
          .withdrawFromPool(s.poolId, balance - reserved, s.insurer.address);
        expect(await s.token.balanceOf(s.claims)).to.equal(0n);
        expect(await sumOfPoolBalances(s, await s.token.getAddress())).to.equal(0n);
      });

      it("reverts when the fee takes everything", async function () {
        const s = await loadFixture(feeFixture);
        await s.token.setFeeBps(10_000n);
        await s.token.mint(s.stranger.address, usd(5));
        await s.token.connect(s.stranger).approve(s.claims, usd(5));
        await expect(s.claims.connect(s.stranger).fundPool(s.poolId, usd(5)))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimNothingCredited")
          .withArgs(s.poolId, usd(5));
        expect((await s.claims.poolOf(s.poolId)).balance).to.equal(usd(9_900));
      });
    });

    describe("blacklisting", function () {
      async function blacklistFixture() {
        const s = await deployClaimsSuite(connection);
        const token = await ethers.deployContract("BlacklistERC20");
        const ids = await openTokenPool(s, token, (amount) =>
          token.connect(s.insurer).approve(s.claims, amount),
        );
        const blocked = await approvedClaim({ ...s }, ids.policyId, "blocked");
        const fine = await approvedClaim({ ...s }, ids.policyId, "fine", s.pharmacy);
        await token.setBlacklisted(s.provider.address, true);
        return { ...s, token, ...ids, blocked, fine };
      }

      it("reverts a single payment to a blacklisted payee with a named error", async function () {
        const s = await loadFixture(blacklistFixture);
        await expectNothingChanged(
          s,
          () =>
            expect(s.claims.connect(s.insurer).payClaim(s.blocked))
              .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPaymentFailed")
              .withArgs(s.blocked, s.provider.address, usd(96)),
          [s.blocked],
        );
      });

      it("pays the others in a batch and leaves the refused claim approved and reserved", async function () {
        const s = await loadFixture(blacklistFixture);
        const tx = s.claims.connect(s.insurer).payClaims([s.blocked, s.fine]);
        await expect(tx)
          .to.emit(s.claims, "ClaimPaymentFailed")
          .withArgs(s.blocked, s.poolId, s.provider.address, usd(96));
        await expect(tx)
          .to.emit(s.claims, "ClaimPaid")
          .withArgs(s.fine, s.poolId, s.pharmacy.address, usd(96));
        await expect(tx)
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, usd(96));
        expect(await s.claims.claimStateOf(s.blocked)).to.equal(BigInt(State.Approved));
        expect(await s.claims.claimStateOf(s.fine)).to.equal(BigInt(State.Paid));
        const pool = await s.claims.poolOf(s.poolId);
        expect([pool.balance, pool.reserved]).to.deep.equal([usd(10_000) - usd(96), usd(96)]);
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
        // Once the payee is cleared the claim is paid, once.
        await s.token.setBlacklisted(s.provider.address, false);
        await s.claims.connect(s.insurer).payClaim(s.blocked);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(usd(96));
        expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(0n);
      });

      it("lets the insurer void the refused claim, so its reserve can be withdrawn", async function () {
        const s = await loadFixture(blacklistFixture);
        await s.claims.connect(s.insurer).payClaims([s.blocked, s.fine]);
        const before = await s.claims.poolOf(s.poolId);
        expect(before.reserved).to.equal(usd(96));
        await expect(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, before.balance, s.insurer.address),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimWithdrawalExceedsAvailable")
          .withArgs(s.poolId, before.balance, before.balance - usd(96));
        await expect(s.claims.connect(s.insurer).voidClaim(s.blocked, 16))
          .to.emit(s.claims, "ClaimVoided")
          .withArgs(s.blocked, s.poolId, s.insurer.address, 16, usd(96), 0n);
        const after = await s.claims.poolOf(s.poolId);
        expect([after.balance, after.reserved]).to.deep.equal([before.balance, 0n]);
        const policy = await s.claims.policyOf(s.policyId);
        expect(policy.coverageUsed).to.equal(usd(96)); // the paid claim only
        await expect(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, after.balance, s.insurer.address),
        ).to.changeTokenBalances(
          ethers,
          s.token,
          [s.claims, s.insurer],
          [-after.balance, after.balance],
        );
        expect(await s.token.balanceOf(s.claims)).to.equal(0n);
        expect((await s.claims.poolOf(s.poolId)).balance).to.equal(0n);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(0n);
      });
    });

    describe("returning false", function () {
      async function falseFixture() {
        const s = await deployClaimsSuite(connection);
        const token = await ethers.deployContract("FalseReturningERC20");
        const ids = await openTokenPool(s, token, (amount) =>
          token.connect(s.insurer).approve(s.claims, amount),
        );
        const refused = await approvedClaim(s, ids.policyId, "refused");
        const fine = await approvedClaim(s, ids.policyId, "fine", s.pharmacy);
        await token.setRefused(s.provider.address, true);
        return { ...s, token, ...ids, refused, fine };
      }

      it("reverts funding without allowance with SafeERC20's error", async function () {
        const s = await loadFixture(falseFixture);
        await expect(s.claims.connect(s.stranger).fundPool(s.poolId, usd(1)))
          .to.be.revertedWithCustomError(s.claims, "SafeERC20FailedOperation")
          .withArgs(await s.token.getAddress());
      });

      it("treats a false return as a failed payment, alone or in a batch", async function () {
        const s = await loadFixture(falseFixture);
        await expect(s.claims.connect(s.insurer).payClaim(s.refused))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPaymentFailed")
          .withArgs(s.refused, s.provider.address, usd(96));
        await expect(s.claims.connect(s.insurer).payClaims([s.refused, s.fine]))
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, usd(96));
        expect(await s.claims.claimStateOf(s.refused)).to.equal(BigInt(State.Approved));
        expect(await s.token.balanceOf(s.provider.address)).to.equal(0n);
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.reserved).to.equal(usd(96));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });
    });

    describe("re-entering on transfer", function () {
      async function reentrantFixture() {
        const s = await deployClaimsSuite(connection);
        const token = await ethers.deployContract("ReentrantERC20");
        const ids = await openTokenPool(s, token, (amount) =>
          token.connect(s.insurer).approve(s.claims, amount),
        );
        const first = await approvedClaim(s, ids.policyId, "r1");
        const second = await approvedClaim(s, ids.policyId, "r2", s.pharmacy);
        return { ...s, token, ...ids, first, second };
      }
      const guardError = (s: ClaimsSuite) =>
        s.claims.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);

      it("blocks a payClaim re-entry and pays once", async function () {
        const s = await loadFixture(reentrantFixture);
        await s.token.arm(
          s.claims,
          s.claims.interface.encodeFunctionData("payClaim", [s.first]),
          false,
          ethers.ZeroAddress,
        );
        await s.claims.connect(s.insurer).payClaim(s.first);
        expect(await s.token.reentryAttempts()).to.equal(1n);
        expect(await s.token.lastReentrySucceeded()).to.equal(false);
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        expect(await s.token.balanceOf(s.provider.address)).to.equal(usd(96));
        expect(await s.claims.claimStateOf(s.first)).to.equal(BigInt(State.Paid));
      });

      it("reports the claim failed when the blocked re-entry makes the transfer revert", async function () {
        const s = await loadFixture(reentrantFixture);
        const data = s.claims.interface.encodeFunctionData("payClaims", [[s.first, s.second]]);
        await s.token.arm(s.claims, data, true, s.provider.address);
        await expect(s.claims.connect(s.insurer).payClaim(s.first))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimPaymentFailed")
          .withArgs(s.first, s.provider.address, usd(96));
        await expect(s.claims.connect(s.insurer).payClaims([s.first, s.second]))
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, usd(96));
        expect(await s.claims.claimStateOf(s.first)).to.equal(BigInt(State.Approved));
        expect(await s.claims.claimStateOf(s.second)).to.equal(BigInt(State.Paid));
        expect(await s.token.balanceOf(s.claims)).to.equal(
          (await s.claims.poolOf(s.poolId)).balance,
        );
      });

      it("blocks a withdrawal re-entry", async function () {
        const s = await loadFixture(reentrantFixture);
        const data = s.claims.interface.encodeFunctionData("withdrawFromPool", [
          s.poolId,
          usd(100),
          s.stranger.address,
        ]);
        await s.token.arm(s.claims, data, false, ethers.ZeroAddress);
        await s.claims.connect(s.insurer).withdrawFromPool(s.poolId, usd(100), s.insurer.address);
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        expect(await s.token.balanceOf(s.stranger.address)).to.equal(0n);
        expect((await s.claims.poolOf(s.poolId)).balance).to.equal(usd(10_000) - usd(100));
        expect(await s.token.balanceOf(s.claims)).to.equal(usd(10_000) - usd(100));
      });

      it("blocks a fundPool re-entry so funds are credited once", async function () {
        const s = await loadFixture(reentrantFixture);
        await s.token.mint(s.insurer.address, usd(1_000));
        await s.token.connect(s.insurer).approve(s.claims, usd(1_000));
        const data = s.claims.interface.encodeFunctionData("fundPool", [s.poolId, usd(500)]);
        await s.token.arm(s.claims, data, false, ethers.ZeroAddress);
        await expect(s.claims.connect(s.insurer).fundPool(s.poolId, usd(500)))
          .to.emit(s.claims, "PoolFunded")
          .withArgs(s.poolId, s.insurer.address, usd(500), usd(500));
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.balance).to.equal(usd(10_500));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });
    });
  });

  describe("dishonest participants (issue 11)", function () {
    /** The pharmacy dispensed unit 17; the patient lets the insurer and the pharmacy see medications. */
    async function pharmacyFixture() {
      const s = await deployClaimsSuite(connection);
      await s.trace.setDispensed(GTIN, LOT, 17n, s.pharmacy.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.insurer.address,
        HPAYMT,
        true,
        MEDICATIONS,
      );
      await s.claims.connect(s.insurer).setFees(s.planId, [drugServiceCode(GTIN)], [usd(30)]);
      const drug = {
        policyId: s.policyId,
        patient: s.patient.address,
        gtin: GTIN,
        lot: LOT,
        unitIndex: 17n,
        serviceDate: s.now - DAY,
        billed: usd(42),
        evidenceHash: evidence("rx"),
      };
      // The same drug through the generic path, as a pharmacy trying to bypass DrugTrace would.
      const generic = claimRequest(s, {
        serviceCode: drugServiceCode(GTIN),
        billed: usd(42),
        evidenceHash: evidence("rx, no unit"),
      });
      return { ...s, drug, generic, batchId: await s.trace.batchIdOf(GTIN, LOT) };
    }

    it("a pharmacy billing an undispensed drug through the generic path is refused", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.trace.setDispensed(GTIN, LOT, 17n, ethers.ZeroAddress);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugCodeNeedsDrugClaim")
          .withArgs(drugServiceCode(GTIN)),
      );
    });

    it("a unit claimed through the drug path cannot be billed again through either path", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugCodeNeedsDrugClaim")
            .withArgs(drugServiceCode(GTIN)),
        [1n],
      );
      await expectNothingChanged(
        s,
        () =>
          expect(
            s.claims
              .connect(s.pharmacy)
              .submitDrugClaim({ ...s.drug, evidenceHash: evidence("rx again") }, 0n, []),
          )
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDrugUnitAlreadyClaimed")
            .withArgs(s.batchId, 17n),
        [1n],
      );
    });

    it("the generic path refuses every code of the drug namespace, and only those", async function () {
      const s = await loadFixture(deployFixture);
      for (const gtin of [0n, 9506000134352n, 99_999_999_999_999n]) {
        expect(await s.claims.isDrugServiceCode(drugServiceCode(gtin))).to.equal(true);
        expect(isDrugServiceCode(drugServiceCode(gtin))).to.equal(true);
      }
      for (const text of ["99213", "J1100", "0950600013435", "095060001343521", "0950600013435A"]) {
        expect(await s.claims.isDrugServiceCode(code(text))).to.equal(false);
        expect(isDrugServiceCode(code(text))).to.equal(false);
      }
    });

    it("the same service with new evidence is refused while its claim is alive", async function () {
      const s = await loadFixture(deployFixture);
      const request = claimRequest(s);
      await s.claims.connect(s.provider).submitClaim(request, 0n, []);
      for (const prepare of [
        () => Promise.resolve(),
        () => s.claims.connect(s.adjuster).approveClaim(1n),
        () => s.claims.connect(s.insurer).payClaim(1n),
      ]) {
        await prepare();
        await expectNothingChanged(
          s,
          () =>
            expect(
              s.claims
                .connect(s.provider)
                .submitClaim({ ...request, evidenceHash: evidence("one byte changed") }, 0n, []),
            )
              .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDuplicate")
              .withArgs(1n),
          [1n],
        );
      }
    });

    it("a denied service is refused again while the denial can be appealed, then accepted", async function () {
      const s = await loadFixture(deniedClaimFixture);
      const again = claimRequest(s, { serviceDate: s.now - DAY, evidenceHash: evidence("again") });
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.provider).submitClaim(again, 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDuplicate")
            .withArgs(1n),
        [1n],
      );
      const { appealDeadline } = await s.claims.claimOf(1n);
      await networkHelpers.time.increaseTo(appealDeadline + 1n);
      await expect(s.claims.connect(s.provider).submitClaim(again, 0n, []))
        .to.emit(s.claims, "ClaimSubmitted")
        .withArgs(
          2n,
          s.policyId,
          s.provider.address,
          again.serviceCode,
          again.serviceDate,
          usd(150),
          usd(120),
          again.evidenceHash,
        );
    });

    it("a finally denied service may be submitted again, once", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(1n, evidence("appeal"));
      await s.claims.connect(s.adjuster).denyClaim(1n, 50);
      const again = claimRequest(s, { serviceDate: s.now - DAY, evidenceHash: evidence("fixed") });
      await s.claims.connect(s.provider).submitClaim(again, 0n, []);
      expect(
        await s.claims.claimIdOf(
          s.policyId,
          s.provider.address,
          again.serviceCode,
          again.serviceDate,
        ),
      ).to.equal(2n);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.provider).submitClaim(again, 0n, []))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimDuplicate")
            .withArgs(2n),
        [1n, 2n],
      );
    });

    it("a provider the patient never authorized cannot bill the patient's policy", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.grantRole(ethers.id("PROVIDER_ROLE"), s.stranger.address);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.stranger).submitClaim(claimRequest(s), 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
          .withArgs(s.patient.address, s.stranger.address),
      );
      // Authorized for treatment only is not enough: billing is a use for payment (HPAYMT).
      await s.consent.setAuthorization(s.patient.address, s.stranger.address, 0, true, 0xfff);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.stranger).submitClaim(claimRequest(s), 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
          .withArgs(s.patient.address, s.stranger.address),
      );
    });

    it("a pharmacy's drug claim needs the patient's HPAYMT consent on medications to the pharmacy", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.consent.setAuthorization(s.patient.address, s.pharmacy.address, HPAYMT, true, 0);
      await expectNothingChanged(s, () =>
        expect(s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []))
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
          .withArgs(s.patient.address, s.pharmacy.address),
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("an appeal after the plan's window is refused; on the deadline it is accepted", async function () {
      const s = await loadFixture(deniedClaimFixture);
      const { appealDeadline } = await s.claims.claimOf(s.claimId);
      const deniedAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(appealDeadline).to.equal(deniedAt + APPEAL_WINDOW);
      await networkHelpers.time.setNextBlockTimestamp(appealDeadline + 1n);
      await expectNothingChanged(
        s,
        () =>
          expect(s.claims.connect(s.patient).appealClaim(s.claimId, evidence("late")))
            .to.be.revertedWithCustomError(s.claims, "InsuranceClaimAppealWindowClosed")
            .withArgs(s.claimId, appealDeadline),
        [s.claimId],
      );
    });

    it("an appeal exactly on the deadline is accepted", async function () {
      const s = await loadFixture(deniedClaimFixture);
      const { appealDeadline } = await s.claims.claimOf(s.claimId);
      await networkHelpers.time.setNextBlockTimestamp(appealDeadline);
      await expect(s.claims.connect(s.patient).appealClaim(s.claimId, evidence("on time")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.patient.address, evidence("on time"));
    });

    it("a revoked payment consent stops new claims, not a claim already submitted", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await s.claims
        .connect(s.provider)
        .submitClaim(claimRequest(s, { evidenceHash: evidence("second") }), 0n, []);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, false, 0);
      await s.consent.setAuthorization(s.patient.address, s.provider.address, HPAYMT, false, 0);
      await expectNothingChanged(s, () =>
        expect(
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { evidenceHash: evidence("after") }), 0n, []),
        )
          .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
          .withArgs(s.patient.address, s.insurer.address),
      );
      // Claim 1: approved and paid; claim 2: denied, appealed by the patient, approved.
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await s.claims.connect(s.insurer).payClaim(1n);
      await s.claims.connect(s.adjuster).denyClaim(2n, 50);
      await s.claims.connect(s.patient).appealClaim(2n, evidence("appeal"));
      await s.claims.connect(s.adjuster).approveClaim(2n);
      expect(await s.claims.claimStateOf(1n)).to.equal(BigInt(State.Paid));
      expect(await s.claims.claimStateOf(2n)).to.equal(BigInt(State.Approved));
    });
  });

  describe("gas ceilings", function () {
    it("stays within the targets on the hot paths", async function () {
      const s = await loadFixture(deployFixture);
      const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
        (await (await tx).wait())!.gasUsed;
      // A plan without deductible and a limit no claim here reaches, so every claim pays out.
      await s.claims
        .connect(s.insurer)
        .createPlan(s.poolId, usd(1_000_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
      await s.claims
        .connect(s.insurer)
        .setFees(2n, Object.keys(FEES).map(code), Object.values(FEES));
      const createPolicy = await gasOf(
        s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end),
      );
      const policyId = (await s.claims.counts()).policies;
      const submitClaim = await gasOf(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId }), 0n, []),
      );
      const approveClaim = await gasOf(s.claims.connect(s.adjuster).approveClaim(1n));
      const payClaim = await gasOf(s.claims.connect(s.insurer).payClaim(1n));

      // 100 claims, each paid to a different provider that never held the token (the worst case).
      const providers = Array.from({ length: 100 }, () =>
        ethers.Wallet.createRandom().connect(ethers.provider),
      );
      const ids: bigint[] = [];
      for (const [i, wallet] of providers.entries()) {
        await networkHelpers.setBalance(wallet.address, 10n ** 18n);
        await s.claims.grantRole(ethers.id("PROVIDER_ROLE"), wallet.address);
        await s.consent.setAuthorization(s.patient.address, wallet.address, HPAYMT, true, 0);
        await s.claims.connect(wallet).submitClaim(
          claimRequest(s, {
            policyId,
            serviceCode: code("80053"),
            evidenceHash: evidence(`g${i}`),
          }),
          0n,
          [],
        );
        const claimId = (await s.claims.counts()).claims;
        await s.claims.connect(s.adjuster).approveClaim(claimId);
        ids.push(claimId);
      }
      const batch = await gasOf(s.claims.connect(s.insurer).payClaims(ids));
      for (const wallet of providers)
        expect(await s.usdc.balanceOf(wallet.address)).to.equal(usd(36));
      const perClaim = batch / 100n;
      const lifecycle = createPolicy + submitClaim + approveClaim + payClaim;
      console.log(
        `      gas: createPolicy ${createPolicy}, submitClaim ${submitClaim}, approveClaim ${approveClaim}, payClaim ${payClaim}, policy->paid ${lifecycle}, payClaims per claim (100) ${perClaim}`,
      );
      expectLifecycleWithinCeilings({ createPolicy, submitClaim, approveClaim, payClaim });
      expect(perClaim).to.be.lte(GAS_CEILINGS.payClaimsPerClaim);
    });

    it("voids an approved claim within 60k gas", async function () {
      const s = await loadFixture(approvedClaimFixture);
      const receipt = await (await s.claims.connect(s.insurer).voidClaim(s.claimId, 16)).wait();
      console.log(`      gas: voidClaim ${receipt!.gasUsed}`);
      expect(receipt!.gasUsed).to.be.lte(GAS_CEILINGS.voidClaim);
    });
  });
});

/** A small deterministic PRNG (mulberry32) for the agreement fuzz. */
function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** An integer in [0, n). */
    int: (n: number): number => Math.floor(next() * n),
    /** A bigint in [0, n). */
    bigint: (n: bigint): bigint => {
      let value = 0n;
      for (let i = 0; i < 4; i++)
        value = (value << 32n) | BigInt(Math.floor(next() * 4_294_967_296));
      return n === 0n ? 0n : value % n;
    },
  };
}
