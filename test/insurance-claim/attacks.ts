import { expect } from "chai";
import type { AddressLike, ContractRunner } from "ethers";

import { isDrugServiceCode } from "../../sdk/insurance-claim/claim-rules.js";
import { drugServiceCode } from "../../sdk/insurance-claim/fee-schedule.js";
import * as ic from "../helpers/insurance-claim.js";
import type { ClaimsSuite } from "../fixtures/insurance-claim.js";

/** A test ERC-20 the insurer can approve the claims contract on. */
type TestToken = Parameters<typeof ic.openTokenPool>[1] & {
  connect(runner: ContractRunner | null): {
    approve(spender: AddressLike, value: bigint): Promise<unknown>;
  };
};

/** A fresh suite with a pool in `token`, funded by the insurer: the suite, the token, the ids. */
async function poolIn<T extends TestToken>(token: T) {
  const s = await ic.deployClaimsSuite(ic.connection);
  const ids = await ic.openTokenPool(s, token, (amount) =>
    token.connect(s.insurer).approve(s.claims, amount),
  );
  return { ...s, token, ...ids };
}

/** `poolIn`, with two approved claims on the pool: `first` the provider's, `second` the pharmacy's. */
async function claimsIn<T extends TestToken>(token: T, firstLabel: string, secondLabel: string) {
  const s = await poolIn(token);
  const first = await ic.approvedClaim(s, s.policyId, firstLabel);
  const second = await ic.approvedClaim(s, s.policyId, secondLabel, s.pharmacy);
  return { ...s, first, second };
}

/**
 * Paying the provider's claim `failing` reverts with `InsuranceClaimPaymentFailed`; in a batch
 * with `paying` it is skipped (one paid, one failed) and stays Approved.
 */
async function expectPaymentFailed(s: ClaimsSuite, failing: bigint, paying: bigint) {
  await ic.expectRevert(
    s.claims.connect(s.insurer).payClaim(failing),
    s.claims,
    "InsuranceClaimPaymentFailed",
    failing,
    s.provider.address,
    ic.usd(96),
  );
  await expect(s.claims.connect(s.insurer).payClaims([failing, paying]))
    .to.emit(s.claims, "ClaimBatchPaid")
    .withArgs(s.insurer.address, 1n, 1n, ic.usd(96));
  expect(await s.claims.claimStateOf(failing)).to.equal(ic.ClaimState.Approved);
}

describe("InsuranceClaim", function () {
  describe("GIF failure modes, refused", function () {
    it("refuses an identical duplicate claim", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await ic.refuses(ic.watchClaims(s, [1n]), "InsuranceClaimDuplicate", [1n], () =>
        s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []),
      );
    });

    it("refuses a claim on someone else's policy", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimPatientMismatch",
        [s.policyId, s.stranger.address],
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim(ic.claimRequest(s, { patient: s.stranger.address }), 0n, []),
      );
    });

    it("never pays beyond the coverage limit", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      // Plan 2: $200 limit, no deductible, no coinsurance.
      await s.claims
        .connect(s.insurer)
        .createPlan(s.poolId, ic.usd(200), 0n, 0, ic.ethers.ZeroHash, ic.APPEAL_WINDOW);
      await s.claims.connect(s.insurer).setFees(2n, [ic.code("99213")], [ic.usd(120)]);
      await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
      const payouts: bigint[] = [];
      for (let i = 0; i < 3; i++) {
        const id = await ic.approvedClaim(s, 2n, `cap${i}`);
        payouts.push((await s.claims.claimOf(id)).payout);
      }
      expect(payouts).to.deep.equal([ic.usd(120), ic.usd(80), 0n]);
      expect((await s.claims.policyOf(2n)).coverageUsed).to.equal(ic.usd(200));
      await s.claims.connect(s.insurer).payClaims([1n, 2n, 3n]);
      expect(await s.usdc.balanceOf(s.provider.address)).to.equal(ic.usd(200));
    });

    it("refuses to withdraw reserved funds", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimWithdrawalExceedsAvailable",
        [s.poolId, ic.usd(100_000), ic.usd(100_000) - s.payout],
        () =>
          s.claims
            .connect(s.insurer)
            .withdrawFromPool(s.poolId, ic.usd(100_000), s.insurer.address),
      );
    });
  });

  describe("hostile tokens", function () {
    describe("fee on transfer", function () {
      async function feeFixture() {
        return poolIn(await ic.ethers.deployContract("FeeOnTransferERC20", [100n]));
      }

      it("credits only what arrived", async function () {
        const s = await ic.loadFixture(feeFixture);
        await s.token.mint(s.stranger.address, ic.usd(1_000));
        await s.token.connect(s.stranger).approve(s.claims, ic.usd(1_000));
        await expect(s.claims.connect(s.stranger).fundPool(s.poolId, ic.usd(1_000)))
          .to.emit(s.claims, "PoolFunded")
          .withArgs(s.poolId, s.stranger.address, ic.usd(1_000), ic.usd(990));
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.balance).to.equal(ic.usd(9_900) + ic.usd(990));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });

      it("pays and withdraws without breaking the accounting", async function () {
        const s = await ic.loadFixture(feeFixture);
        const id = await ic.approvedClaim(s, s.policyId, "fee");
        await s.claims.connect(s.insurer).payClaim(id);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(ic.usd(96) - ic.usd(0.96));
        const { balance, reserved } = await s.claims.poolOf(s.poolId);
        await s.claims
          .connect(s.insurer)
          .withdrawFromPool(s.poolId, balance - reserved, s.insurer.address);
        expect(await s.token.balanceOf(s.claims)).to.equal(0n);
        expect(await ic.sumOfPoolBalances(s, await s.token.getAddress())).to.equal(0n);
      });

      it("reverts when the fee takes everything", async function () {
        const s = await ic.loadFixture(feeFixture);
        await s.token.setFeeBps(10_000n);
        await s.token.mint(s.stranger.address, ic.usd(5));
        await s.token.connect(s.stranger).approve(s.claims, ic.usd(5));
        await ic.expectRevert(
          s.claims.connect(s.stranger).fundPool(s.poolId, ic.usd(5)),
          s.claims,
          "InsuranceClaimNothingCredited",
          s.poolId,
          ic.usd(5),
        );
        expect((await s.claims.poolOf(s.poolId)).balance).to.equal(ic.usd(9_900));
      });
    });

    describe("blacklisting", function () {
      async function blacklistFixture() {
        const s = await claimsIn(
          await ic.ethers.deployContract("BlacklistERC20"),
          "blocked",
          "fine",
        );
        await s.token.setBlacklisted(s.provider.address, true);
        return { ...s, blocked: s.first, fine: s.second };
      }

      it("reverts a single payment to a blacklisted payee with a named error", async function () {
        const s = await ic.loadFixture(blacklistFixture);
        await ic.refuses(
          ic.watchClaims(s, [s.blocked]),
          "InsuranceClaimPaymentFailed",
          [s.blocked, s.provider.address, ic.usd(96)],
          () => s.claims.connect(s.insurer).payClaim(s.blocked),
        );
      });

      it("pays the others in a batch and leaves the refused claim approved and reserved", async function () {
        const s = await ic.loadFixture(blacklistFixture);
        const tx = s.claims.connect(s.insurer).payClaims([s.blocked, s.fine]);
        await expect(tx)
          .to.emit(s.claims, "ClaimPaymentFailed")
          .withArgs(s.blocked, s.poolId, s.provider.address, ic.usd(96));
        await expect(tx)
          .to.emit(s.claims, "ClaimPaid")
          .withArgs(s.fine, s.poolId, s.pharmacy.address, ic.usd(96));
        await expect(tx)
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, ic.usd(96));
        expect(await s.claims.claimStateOf(s.blocked)).to.equal(ic.ClaimState.Approved);
        expect(await s.claims.claimStateOf(s.fine)).to.equal(ic.ClaimState.Paid);
        const pool = await s.claims.poolOf(s.poolId);
        expect([pool.balance, pool.reserved]).to.deep.equal([
          ic.usd(10_000) - ic.usd(96),
          ic.usd(96),
        ]);
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
        // Once the payee is cleared the claim is paid, once.
        await s.token.setBlacklisted(s.provider.address, false);
        await s.claims.connect(s.insurer).payClaim(s.blocked);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(ic.usd(96));
        expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(0n);
      });

      it("lets the insurer void the refused claim, so its reserve can be withdrawn", async function () {
        const s = await ic.loadFixture(blacklistFixture);
        await s.claims.connect(s.insurer).payClaims([s.blocked, s.fine]);
        const before = await s.claims.poolOf(s.poolId);
        expect(before.reserved).to.equal(ic.usd(96));
        await ic.expectRevert(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, before.balance, s.insurer.address),
          s.claims,
          "InsuranceClaimWithdrawalExceedsAvailable",
          s.poolId,
          before.balance,
          before.balance - ic.usd(96),
        );
        await expect(s.claims.connect(s.insurer).voidClaim(s.blocked, 16))
          .to.emit(s.claims, "ClaimVoided")
          .withArgs(s.blocked, s.poolId, s.insurer.address, 16, ic.usd(96), 0n);
        const after = await s.claims.poolOf(s.poolId);
        expect([after.balance, after.reserved]).to.deep.equal([before.balance, 0n]);
        const policy = await s.claims.policyOf(s.policyId);
        expect(policy.coverageUsed).to.equal(ic.usd(96)); // the paid claim only
        await expect(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, after.balance, s.insurer.address),
        ).to.changeTokenBalances(
          ic.ethers,
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
        const s = await claimsIn(
          await ic.ethers.deployContract("FalseReturningERC20"),
          "refused",
          "fine",
        );
        await s.token.setRefused(s.provider.address, true);
        return { ...s, refused: s.first, fine: s.second };
      }

      it("reverts funding without allowance with SafeERC20's error", async function () {
        const s = await ic.loadFixture(falseFixture);
        await ic.expectRevert(
          s.claims.connect(s.stranger).fundPool(s.poolId, ic.usd(1)),
          s.claims,
          "SafeERC20FailedOperation",
          await s.token.getAddress(),
        );
      });

      it("treats a false return as a failed payment, alone or in a batch", async function () {
        const s = await ic.loadFixture(falseFixture);
        await expectPaymentFailed(s, s.refused, s.fine);
        expect(await s.token.balanceOf(s.provider.address)).to.equal(0n);
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.reserved).to.equal(ic.usd(96));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });
    });

    describe("re-entering on transfer", function () {
      async function reentrantFixture() {
        return claimsIn(await ic.ethers.deployContract("ReentrantERC20"), "r1", "r2");
      }
      const guardError = (s: ClaimsSuite) =>
        s.claims.interface.encodeErrorResult("ReentrancyGuardReentrantCall", []);

      it("blocks a payClaim re-entry and pays once", async function () {
        const s = await ic.loadFixture(reentrantFixture);
        await s.token.arm(
          s.claims,
          s.claims.interface.encodeFunctionData("payClaim", [s.first]),
          false,
          ic.ethers.ZeroAddress,
        );
        await s.claims.connect(s.insurer).payClaim(s.first);
        expect(await s.token.reentryAttempts()).to.equal(1n);
        expect(await s.token.lastReentrySucceeded()).to.equal(false);
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        expect(await s.token.balanceOf(s.provider.address)).to.equal(ic.usd(96));
        expect(await s.claims.claimStateOf(s.first)).to.equal(ic.ClaimState.Paid);
      });

      it("reports the claim failed when the blocked re-entry makes the transfer revert", async function () {
        const s = await ic.loadFixture(reentrantFixture);
        const data = s.claims.interface.encodeFunctionData("payClaims", [[s.first, s.second]]);
        await s.token.arm(s.claims, data, true, s.provider.address);
        await expectPaymentFailed(s, s.first, s.second);
        expect(await s.claims.claimStateOf(s.second)).to.equal(ic.ClaimState.Paid);
        expect(await s.token.balanceOf(s.claims)).to.equal(
          (await s.claims.poolOf(s.poolId)).balance,
        );
      });

      it("blocks a withdrawal re-entry", async function () {
        const s = await ic.loadFixture(reentrantFixture);
        const data = s.claims.interface.encodeFunctionData("withdrawFromPool", [
          s.poolId,
          ic.usd(100),
          s.stranger.address,
        ]);
        await s.token.arm(s.claims, data, false, ic.ethers.ZeroAddress);
        await s.claims
          .connect(s.insurer)
          .withdrawFromPool(s.poolId, ic.usd(100), s.insurer.address);
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        expect(await s.token.balanceOf(s.stranger.address)).to.equal(0n);
        expect((await s.claims.poolOf(s.poolId)).balance).to.equal(ic.usd(10_000) - ic.usd(100));
        expect(await s.token.balanceOf(s.claims)).to.equal(ic.usd(10_000) - ic.usd(100));
      });

      it("blocks a fundPool re-entry so funds are credited once", async function () {
        const s = await ic.loadFixture(reentrantFixture);
        await s.token.mint(s.insurer.address, ic.usd(1_000));
        await s.token.connect(s.insurer).approve(s.claims, ic.usd(1_000));
        const data = s.claims.interface.encodeFunctionData("fundPool", [s.poolId, ic.usd(500)]);
        await s.token.arm(s.claims, data, false, ic.ethers.ZeroAddress);
        await expect(s.claims.connect(s.insurer).fundPool(s.poolId, ic.usd(500)))
          .to.emit(s.claims, "PoolFunded")
          .withArgs(s.poolId, s.insurer.address, ic.usd(500), ic.usd(500));
        expect(await s.token.lastReentryResult()).to.equal(guardError(s));
        const pool = await s.claims.poolOf(s.poolId);
        expect(pool.balance).to.equal(ic.usd(10_500));
        expect(await s.token.balanceOf(s.claims)).to.equal(pool.balance);
      });
    });
  });

  describe("dishonest participants (issue 11)", function () {
    /** The pharmacy dispensed unit 17; the patient lets the insurer and the pharmacy see medications. */
    async function pharmacyFixture() {
      const s = await ic.drugClaimFixture();
      // The same drug through the generic path, as a pharmacy trying to bypass DrugTrace would.
      const generic = ic.claimRequest(s, {
        serviceCode: drugServiceCode(ic.GTIN),
        billed: ic.usd(42),
        evidenceHash: ic.evidence("rx, no unit"),
      });
      return { ...s, drug: s.request, generic };
    }

    it("a pharmacy billing an undispensed drug through the generic path is refused", async function () {
      const s = await ic.loadFixture(pharmacyFixture);
      await s.trace.setDispensed(ic.GTIN, ic.LOT, 17n, ic.ethers.ZeroAddress);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimDrugCodeNeedsDrugClaim",
        [drugServiceCode(ic.GTIN)],
        () => s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []),
      );
    });

    it("a unit claimed through the drug path cannot be billed again through either path", async function () {
      const s = await ic.loadFixture(pharmacyFixture);
      await s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []);
      await ic.refuses(
        ic.watchClaims(s, [1n]),
        "InsuranceClaimDrugCodeNeedsDrugClaim",
        [drugServiceCode(ic.GTIN)],
        () => s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []),
      );
      await ic.refuses(
        ic.watchClaims(s, [1n]),
        "InsuranceClaimDrugUnitAlreadyClaimed",
        [s.batchId, 17n],
        () =>
          s.claims
            .connect(s.pharmacy)
            .submitDrugClaim({ ...s.drug, evidenceHash: ic.evidence("rx again") }, 0n, []),
      );
    });

    it("the generic path refuses every code of the drug namespace, and only those", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      for (const gtin of [0n, 9506000134352n, 99_999_999_999_999n]) {
        expect(await s.claims.isDrugServiceCode(drugServiceCode(gtin))).to.equal(true);
        expect(isDrugServiceCode(drugServiceCode(gtin))).to.equal(true);
      }
      for (const text of ["99213", "J1100", "0950600013435", "095060001343521", "0950600013435A"]) {
        expect(await s.claims.isDrugServiceCode(ic.code(text))).to.equal(false);
        expect(isDrugServiceCode(ic.code(text))).to.equal(false);
      }
    });

    it("the same service with new evidence is refused while its claim is alive", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const request = ic.claimRequest(s);
      await s.claims.connect(s.provider).submitClaim(request, 0n, []);
      for (const prepare of [
        () => Promise.resolve(),
        () => s.claims.connect(s.adjuster).approveClaim(1n),
        () => s.claims.connect(s.insurer).payClaim(1n),
      ]) {
        await prepare();
        await ic.refuses(ic.watchClaims(s, [1n]), "InsuranceClaimDuplicate", [1n], () =>
          s.claims
            .connect(s.provider)
            .submitClaim({ ...request, evidenceHash: ic.evidence("one byte changed") }, 0n, []),
        );
      }
    });

    it("a denied service is refused again while the denial can be appealed, then accepted", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      const again = ic.claimRequest(s, {
        serviceDate: s.now - ic.DAY,
        evidenceHash: ic.evidence("again"),
      });
      await ic.refuses(ic.watchClaims(s, [1n]), "InsuranceClaimDuplicate", [1n], () =>
        s.claims.connect(s.provider).submitClaim(again, 0n, []),
      );
      const { appealDeadline } = await s.claims.claimOf(1n);
      await ic.networkHelpers.time.increaseTo(appealDeadline + 1n);
      await ic.expectSubmitted(s, again, 2n);
    });

    it("a finally denied service may be submitted again, once", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(1n, ic.evidence("appeal"));
      await s.claims.connect(s.adjuster).denyClaim(1n, 50);
      const again = ic.claimRequest(s, {
        serviceDate: s.now - ic.DAY,
        evidenceHash: ic.evidence("fixed"),
      });
      await s.claims.connect(s.provider).submitClaim(again, 0n, []);
      expect(await ic.providerClaimIdOf(s, again)).to.equal(2n);
      await ic.refuses(ic.watchClaims(s, [1n, 2n]), "InsuranceClaimDuplicate", [2n], () =>
        s.claims.connect(s.provider).submitClaim(again, 0n, []),
      );
    });

    it("a provider the patient never authorized cannot bill the patient's policy", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.grantRole(ic.ethers.id("PROVIDER_ROLE"), s.stranger.address);
      const strangerRefused = () =>
        ic.refuses(
          ic.watchClaims(s),
          "InsuranceClaimProviderNotAuthorized",
          [s.patient.address, s.stranger.address],
          () => s.claims.connect(s.stranger).submitClaim(ic.claimRequest(s), 0n, []),
        );
      await strangerRefused();
      // Authorized for treatment only is not enough: billing is a use for payment (HPAYMT).
      await s.consent.setAuthorization(s.patient.address, s.stranger.address, 0, true, 0xfff);
      await strangerRefused();
    });

    it("a pharmacy's drug claim needs the patient's HPAYMT consent on medications to the pharmacy", async function () {
      const s = await ic.loadFixture(pharmacyFixture);
      await s.consent.setAuthorization(s.patient.address, s.pharmacy.address, ic.HPAYMT, true, 0);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimProviderNotAuthorized",
        [s.patient.address, s.pharmacy.address],
        () => s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []),
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("an appeal after the plan's window is refused; on the deadline it is accepted", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      const { appealDeadline } = await s.claims.claimOf(s.claimId);
      const deniedAt = BigInt((await ic.ethers.provider.getBlock("latest"))!.timestamp);
      expect(appealDeadline).to.equal(deniedAt + ic.APPEAL_WINDOW);
      await ic.networkHelpers.time.setNextBlockTimestamp(appealDeadline + 1n);
      await ic.refuses(
        ic.watchClaims(s, [s.claimId]),
        "InsuranceClaimAppealWindowClosed",
        [s.claimId, appealDeadline],
        () => s.claims.connect(s.patient).appealClaim(s.claimId, ic.evidence("late")),
      );
    });

    it("an appeal exactly on the deadline is accepted", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      const { appealDeadline } = await s.claims.claimOf(s.claimId);
      await ic.networkHelpers.time.setNextBlockTimestamp(appealDeadline);
      await expect(s.claims.connect(s.patient).appealClaim(s.claimId, ic.evidence("on time")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.patient.address, ic.evidence("on time"));
    });

    it("a revoked payment consent stops new claims, not a claim already submitted", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await s.claims
        .connect(s.provider)
        .submitClaim(ic.claimRequest(s, { evidenceHash: ic.evidence("second") }), 0n, []);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, ic.HPAYMT, false, 0);
      await s.consent.setAuthorization(s.patient.address, s.provider.address, ic.HPAYMT, false, 0);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimConsentMissing",
        [s.patient.address, s.insurer.address],
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim(ic.claimRequest(s, { evidenceHash: ic.evidence("after") }), 0n, []),
      );
      // Claim 1: approved and paid; claim 2: denied, appealed by the patient, approved.
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await s.claims.connect(s.insurer).payClaim(1n);
      await s.claims.connect(s.adjuster).denyClaim(2n, 50);
      await s.claims.connect(s.patient).appealClaim(2n, ic.evidence("appeal"));
      await s.claims.connect(s.adjuster).approveClaim(2n);
      expect(await s.claims.claimStateOf(1n)).to.equal(ic.ClaimState.Paid);
      expect(await s.claims.claimStateOf(2n)).to.equal(ic.ClaimState.Approved);
    });
  });
});
