import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";

/** `call(s)` names plan `planId`, which does not exist: refused with `InsuranceClaimUnknownPlan`. */
function itRevertsForUnknownPlan(planId: bigint, call: (s: ic.ClaimsSuite) => Promise<unknown>) {
  ic.itRefuses(ic.deployFixture, [
    {
      title: "reverts when the plan does not exist",
      error: "InsuranceClaimUnknownPlan",
      args: () => [planId],
      call,
    },
  ]);
}

describe("InsuranceClaim", function () {
  describe("createPlan", function () {
    it("creates a plan with its benefit rules", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const root = ic.ethers.id("root");
      await expect(
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, ic.usd(2_000), ic.usd(100), 3_000, root, ic.APPEAL_WINDOW),
      )
        .to.emit(s.claims, "PlanCreated")
        .withArgs(2n, s.poolId, ic.usd(2_000), ic.usd(100), 3_000, root, ic.APPEAL_WINDOW);
      const plan = await s.claims.planOf(2n);
      expect([
        plan.poolId,
        plan.coverageLimit,
        plan.deductible,
        plan.coinsuranceBps,
        plan.appealWindow,
      ]).to.deep.equal([s.poolId, ic.usd(2_000), ic.usd(100), 3_000n, ic.APPEAL_WINDOW]);
      expect(plan.feeScheduleRoot).to.equal(root);
    });

    it("accepts 100% coinsurance", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await expect(
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, 1n, 0n, 10_000, ic.ethers.ZeroHash, ic.APPEAL_WINDOW),
      ).to.emit(s.claims, "PlanCreated");
    });

    it("reverts when coinsurance is above 100%", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refuses(ic.watchClaims(s), "InsuranceClaimCoinsuranceTooHigh", [10_001n], () =>
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, 1n, 0n, 10_001, ic.ethers.ZeroHash, ic.APPEAL_WINDOW),
      );
    });

    it("reverts when the coverage limit is zero", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, 0n, 0n, 0, ic.ethers.ZeroHash, ic.APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimZeroCoverageLimit",
      );
    });

    it("reverts when the caller is not the pool's insurer", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refusesOtherInsurer(s, (claims) =>
        claims.createPlan(s.poolId, 1n, 0n, 0, ic.ethers.ZeroHash, ic.APPEAL_WINDOW),
      );
    });

    for (const [label, window] of [
      ["shorter than 30 days", 30n * ic.DAY - 1n],
      ["longer than 365 days", 365n * ic.DAY + 1n],
      ["zero", 0n],
    ] as const) {
      it(`reverts when the appeal window is ${label}`, async function () {
        const s = await ic.loadFixture(ic.deployFixture);
        await ic.refuses(
          ic.watchClaims(s),
          "InsuranceClaimAppealWindowOutOfRange",
          [window, 30n * ic.DAY, 365n * ic.DAY],
          () =>
            s.claims.connect(s.insurer).createPlan(s.poolId, 1n, 0n, 0, ic.ethers.ZeroHash, window),
        );
      });
    }

    it("accepts the bounds of the appeal window, 30 and 365 days", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      for (const window of [30n * ic.DAY, 365n * ic.DAY]) {
        await s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, 1n, 0n, 0, ic.ethers.ZeroHash, window);
        const { plans } = await s.claims.counts();
        expect((await s.claims.planOf(plans)).appealWindow).to.equal(window);
      }
    });

    it("reverts when the pool does not exist", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims.connect(s.insurer).createPlan(5n, 1n, 0n, 0, ic.ethers.ZeroHash, ic.APPEAL_WINDOW),
        s.claims,
        "InsuranceClaimUnknownPool",
        5n,
      );
    });
  });

  describe("setFees", function () {
    it("sets, changes and removes explicit fees", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const tx = s.claims
        .connect(s.insurer)
        .setFees(s.planId, [ic.code("99213"), ic.code("J1100")], [ic.usd(130), ic.usd(15)]);
      await expect(tx)
        .to.emit(s.claims, "PlanFeeSet")
        .withArgs(s.planId, ic.code("99213"), ic.usd(130))
        .and.to.emit(s.claims, "PlanFeeSet")
        .withArgs(s.planId, ic.code("J1100"), ic.usd(15));
      expect(await s.claims.feeOf(s.planId, ic.code("99213"))).to.equal(ic.usd(130));
      await s.claims.connect(s.insurer).setFees(s.planId, [ic.code("J1100")], [0n]);
      expect(await s.claims.feeOf(s.planId, ic.code("J1100"))).to.equal(0n);
    });

    it("reverts when the lists differ in length or are empty", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims.connect(s.insurer).setFees(s.planId, [ic.code("1"), ic.code("2")], [1n]),
        s.claims,
        "InsuranceClaimLengthMismatch",
        2n,
        1n,
      );
      await ic.expectRevert(
        s.claims.connect(s.insurer).setFees(s.planId, [], []),
        s.claims,
        "InsuranceClaimLengthMismatch",
        0n,
        0n,
      );
      expect(await s.claims.feeOf(s.planId, ic.code("1"))).to.equal(0n);
    });

    itRevertsForUnknownPlan(9n, (s) =>
      s.claims.connect(s.insurer).setFees(9n, [ic.code("1")], [1n]),
    );

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refusesOtherInsurer(s, (claims) =>
        claims.setFees(s.planId, [ic.code("99213")], [1n]),
      );
      expect(await s.claims.feeOf(s.planId, ic.code("99213"))).to.equal(ic.FEES["99213"]);
    });
  });

  describe("createPolicy", function () {
    it("enrolls a patient in a plan for a period", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
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
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refuses(ic.watchClaims(s), "InsuranceClaimInvalidPeriod", [200n, 200n], () =>
        s.claims.connect(s.insurer).createPolicy(s.planId, s.stranger.address, 200n, 200n),
      );
    });

    it("reverts when the patient is the zero address", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims.connect(s.insurer).createPolicy(s.planId, ic.ethers.ZeroAddress, 1n, 2n),
        s.claims,
        "InsuranceClaimZeroAccount",
      );
    });

    itRevertsForUnknownPlan(3n, (s) =>
      s.claims.connect(s.insurer).createPolicy(3n, s.stranger.address, 1n, 2n),
    );

    it("reverts when the caller is not the plan's insurer", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refusesOtherInsurer(s, (claims) =>
        claims.createPolicy(s.planId, s.stranger.address, 1n, 2n),
      );
    });
  });
});
