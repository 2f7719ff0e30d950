import { expect } from "chai";

import { usd } from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  approvedClaimFixture,
  claimsState,
  deployFixture,
  ethers,
  loadFixture,
} from "../helpers/insurance-claim.js";

describe("InsuranceClaim", function () {
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
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.provider).openPool(s.usdc),
        s.claims,
        "AccessControlUnauthorizedAccount",
        s.provider.address,
        ethers.id("INSURER_ROLE"),
      );
    });

    it("reverts when the token is not a contract", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.insurer).openPool(s.stranger.address),
        s.claims,
        "InsuranceClaimNotAContract",
        s.stranger.address,
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
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.insurer).fundPool(9n, usd(1)),
        s.claims,
        "InsuranceClaimUnknownPool",
        9n,
      );
    });

    it("reverts when the amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.insurer).fundPool(s.poolId, 0n),
        s.claims,
        "InsuranceClaimZeroAmount",
      );
    });

    it("reverts with the token's error when the allowance is short", async function () {
      const s = await loadFixture(deployFixture);
      const spender = await s.claims.getAddress();
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.stranger).fundPool(s.poolId, usd(1)),
        s.usdc,
        "ERC20InsufficientAllowance",
        spender,
        0n,
        usd(1),
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.pauser).pause();
      await expectRevert(
        s.claims.connect(s.insurer).fundPool(s.poolId, usd(1)),
        s.claims,
        "EnforcedPause",
      );
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
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.insurer).withdrawFromPool(7n, 1n, s.insurer.address),
        s.claims,
        "InsuranceClaimUnknownPool",
        7n,
      );
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () =>
          s.claims.connect(s.otherInsurer).withdrawFromPool(s.poolId, 1n, s.otherInsurer.address),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });

    it("reverts when the caller is not an insurer at all", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.stranger).withdrawFromPool(s.poolId, 1n, s.stranger.address),
        s.claims,
        "AccessControlUnauthorizedAccount",
        s.stranger.address,
        ethers.id("INSURER_ROLE"),
      );
    });

    it("reverts when the amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 0n, s.insurer.address),
        s.claims,
        "InsuranceClaimZeroAmount",
      );
    });

    it("reverts when the recipient is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, 1n, ethers.ZeroAddress),
        s.claims,
        "InsuranceClaimZeroAddress",
      );
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
      await expectRevert(
        s.claims.connect(s.otherInsurer).setAdjuster(s.poolId, s.stranger.address, true),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
      expect(await s.claims.isAdjuster(s.poolId, s.stranger.address)).to.equal(false);
    });

    it("reverts when the adjuster is the zero address", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.insurer).setAdjuster(s.poolId, ethers.ZeroAddress, true),
        s.claims,
        "InsuranceClaimZeroAddress",
      );
    });
  });
});
