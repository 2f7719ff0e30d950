import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";

describe("InsuranceClaim", function () {
  describe("openPool", function () {
    it("opens a pool whose insurer is the caller", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
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
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refuses(
        ic.watchClaims(s),
        "AccessControlUnauthorizedAccount",
        [s.provider.address, ic.ethers.id("INSURER_ROLE")],
        () => s.claims.connect(s.provider).openPool(s.usdc),
      );
    });

    it("reverts when the token is not a contract", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refuses(ic.watchClaims(s), "InsuranceClaimNotAContract", [s.stranger.address], () =>
        s.claims.connect(s.insurer).openPool(s.stranger.address),
      );
    });
  });

  describe("fundPool", function () {
    it("credits the pool and lets anyone fund it", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.usdc.mint(s.stranger.address, ic.usd(500));
      await s.usdc.connect(s.stranger).approve(s.claims, ic.usd(500));
      await expect(s.claims.connect(s.stranger).fundPool(s.poolId, ic.usd(500)))
        .to.emit(s.claims, "PoolFunded")
        .withArgs(s.poolId, s.stranger.address, ic.usd(500), ic.usd(500));
      expect((await s.claims.poolOf(s.poolId)).balance).to.equal(ic.usd(100_500));
      expect(await s.usdc.balanceOf(s.claims)).to.equal(ic.usd(100_500));
    });

    ic.itRefuses(ic.deployFixture, [
      {
        title: "reverts when the pool does not exist",
        error: "InsuranceClaimUnknownPool",
        args: () => [9n],
        call: (s) => s.claims.connect(s.insurer).fundPool(9n, ic.usd(1)),
      },
      {
        title: "reverts when the amount is zero",
        error: "InsuranceClaimZeroAmount",
        call: (s) => s.claims.connect(s.insurer).fundPool(s.poolId, 0n),
      },
    ]);

    it("reverts with the token's error when the allowance is short", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const spender = await s.claims.getAddress();
      await ic.expectRefused(
        ic.claimsState(s),
        () => s.claims.connect(s.stranger).fundPool(s.poolId, ic.usd(1)),
        s.usdc,
        "ERC20InsufficientAllowance",
        spender,
        0n,
        ic.usd(1),
      );
    });

    ic.itRevertsWhenPaused(ic.deployFixture, (s) =>
      s.claims.connect(s.insurer).fundPool(s.poolId, ic.usd(1)),
    );
  });

  describe("withdrawFromPool", function () {
    it("sends unreserved funds to the recipient", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const available = ic.usd(100_000) - s.payout;
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

    ic.itRefuses(ic.deployFixture, [
      {
        title: "reverts when the pool does not exist",
        error: "InsuranceClaimUnknownPool",
        args: () => [7n],
        call: (s) => s.claims.connect(s.insurer).withdrawFromPool(7n, 1n, s.insurer.address),
      },
      {
        title: "reverts when the amount is zero",
        error: "InsuranceClaimZeroAmount",
        call: (s) => s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 0n, s.insurer.address),
      },
      {
        title: "reverts when the recipient is the zero address",
        error: "InsuranceClaimZeroAccount",
        call: (s) =>
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 1n, ic.ethers.ZeroAddress),
      },
    ]);

    it("reverts when the caller is another insurer", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refusesOtherInsurer(s, (claims) =>
        claims.withdrawFromPool(s.poolId, 1n, s.otherInsurer.address),
      );
    });

    it("reverts when the caller is not an insurer at all", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectUnauthorized(
        s.claims.connect(s.stranger).withdrawFromPool(s.poolId, 1n, s.stranger.address),
        s.claims,
        s.stranger.address,
        "INSURER_ROLE",
      );
    });
  });

  describe("setAdjuster", function () {
    it("appoints and removes an adjuster, also while paused", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
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
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refusesOtherInsurer(s, (claims) =>
        claims.setAdjuster(s.poolId, s.stranger.address, true),
      );
      expect(await s.claims.isAdjuster(s.poolId, s.stranger.address)).to.equal(false);
    });

    it("reverts when the adjuster is the zero address", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims.connect(s.insurer).setAdjuster(s.poolId, ic.ethers.ZeroAddress, true),
        s.claims,
        "InsuranceClaimZeroAccount",
      );
    });
  });
});
