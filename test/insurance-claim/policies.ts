import { expect } from "chai";

import { APPEAL_WINDOW, DAY, FEES, code, usd } from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import { claimsState, deployFixture, ethers, loadFixture } from "../helpers/insurance-claim.js";

describe("InsuranceClaim", function () {
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
      await expectRefused(
        claimsState(s),
        () =>
          s.claims
            .connect(s.insurer)
            .createPlan(s.poolId, 1n, 0n, 10_001, ethers.ZeroHash, APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimCoinsuranceTooHigh",
        10_001n,
      );
    });

    it("reverts when the coverage limit is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).createPlan(s.poolId, 0n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimZeroCoverageLimit",
      );
    });

    it("reverts when the caller is not the pool's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () =>
          s.claims
            .connect(s.otherInsurer)
            .createPlan(s.poolId, 1n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });

    for (const [label, window] of [
      ["shorter than 30 days", 30n * DAY - 1n],
      ["longer than 365 days", 365n * DAY + 1n],
      ["zero", 0n],
    ] as const) {
      it(`reverts when the appeal window is ${label}`, async function () {
        const s = await loadFixture(deployFixture);
        await expectRefused(
          claimsState(s),
          () =>
            s.claims.connect(s.insurer).createPlan(s.poolId, 1n, 0n, 0, ethers.ZeroHash, window),
          s.claims,
          "InsuranceClaimAppealWindowOutOfRange",
          window,
          30n * DAY,
          365n * DAY,
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
      await expectRevert(
        s.claims.connect(s.insurer).createPlan(5n, 1n, 0n, 0, ethers.ZeroHash, APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimUnknownPool",
        5n,
      );
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
      await expectRevert(
        s.claims.connect(s.insurer).setFees(s.planId, [code("1"), code("2")], [1n]),
        s.claims,
        "InsuranceClaimLengthMismatch",
        2n,
        1n,
      );
      await expectRevert(
        s.claims.connect(s.insurer).setFees(s.planId, [], []),
        s.claims,
        "InsuranceClaimLengthMismatch",
        0n,
        0n,
      );
      expect(await s.claims.feeOf(s.planId, code("1"))).to.equal(0n);
    });

    it("reverts when the plan does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).setFees(9n, [code("1")], [1n]),
        s.claims,
        "InsuranceClaimUnknownPlan",
        9n,
      );
    });

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.otherInsurer).setFees(s.planId, [code("99213")], [1n]),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
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
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.insurer).createPolicy(s.planId, s.stranger.address, 200n, 200n),
        s.claims,
        "InsuranceClaimInvalidPeriod",
        200n,
        200n,
      );
    });

    it("reverts when the patient is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).createPolicy(s.planId, ethers.ZeroAddress, 1n, 2n),
        s.claims,
        "InsuranceClaimZeroAddress",
      );
    });

    it("reverts when the plan does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).createPolicy(3n, s.stranger.address, 1n, 2n),
        s.claims,
        "InsuranceClaimUnknownPlan",
        3n,
      );
    });

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.otherInsurer).createPolicy(s.planId, s.stranger.address, 1n, 2n),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });
  });
});
