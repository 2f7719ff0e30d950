import { expect } from "chai";

import { isDrugServiceCode } from "../../sdk/insurance-claim/claim-rules.js";
import { drugServiceCode } from "../../sdk/insurance-claim/fee-schedule.js";
import {
  APPEAL_WINDOW,
  DAY,
  HPAYMT,
  claimRequest,
  code,
  deployClaimsSuite,
  evidence,
  usd,
} from "../fixtures/insurance-claim.js";
import type { ClaimsSuite } from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  GTIN,
  LOT,
  approvedClaim,
  approvedClaimFixture,
  claimsState,
  connection,
  deniedClaimFixture,
  deployFixture,
  ethers,
  loadFixture,
  networkHelpers,
  openTokenPool,
  sumOfPoolBalances,
  drugClaimFixture,
} from "../helpers/insurance-claim.js";
import { ClaimState } from "../helpers/states.js";

describe("InsuranceClaim", function () {
  describe("GIF failure modes, refused", function () {
    it("refuses an identical duplicate claim", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
      await expectRefused(
        claimsState(s, [1n]),
        () => s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "InsuranceClaimDuplicate",
        1n,
      );
    });

    it("refuses a claim on someone else's policy", async function () {
      const s = await loadFixture(deployFixture);
      await expectRefused(
        claimsState(s),
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { patient: s.stranger.address }), 0n, []),
        s.claims,
        "InsuranceClaimPatientMismatch",
        s.policyId,
        s.stranger.address,
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
      await expectRefused(
        claimsState(s),
        () =>
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, usd(100_000), s.insurer.address),
        s.claims,
        "InsuranceClaimWithdrawalExceedsAvailable",
        s.poolId,
        usd(100_000),
        usd(100_000) - s.payout,
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
        await expectRevert(
          s.claims.connect(s.stranger).fundPool(s.poolId, usd(5)),
          s.claims,
          "InsuranceClaimNothingCredited",
          s.poolId,
          usd(5),
        );
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
        await expectRefused(
          claimsState(s, [s.blocked]),
          () => s.claims.connect(s.insurer).payClaim(s.blocked),
          s.claims,
          "InsuranceClaimPaymentFailed",
          s.blocked,
          s.provider.address,
          usd(96),
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
        expect(await s.claims.claimStateOf(s.blocked)).to.equal(ClaimState.Approved);
        expect(await s.claims.claimStateOf(s.fine)).to.equal(ClaimState.Paid);
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
        await expectRevert(
          s.claims.connect(s.insurer).withdrawFromPool(s.poolId, before.balance, s.insurer.address),
          s.claims,
          "InsuranceClaimWithdrawalExceedsAvailable",
          s.poolId,
          before.balance,
          before.balance - usd(96),
        );
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
        await expectRevert(
          s.claims.connect(s.stranger).fundPool(s.poolId, usd(1)),
          s.claims,
          "SafeERC20FailedOperation",
          await s.token.getAddress(),
        );
      });

      it("treats a false return as a failed payment, alone or in a batch", async function () {
        const s = await loadFixture(falseFixture);
        await expectRevert(
          s.claims.connect(s.insurer).payClaim(s.refused),
          s.claims,
          "InsuranceClaimPaymentFailed",
          s.refused,
          s.provider.address,
          usd(96),
        );
        await expect(s.claims.connect(s.insurer).payClaims([s.refused, s.fine]))
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, usd(96));
        expect(await s.claims.claimStateOf(s.refused)).to.equal(ClaimState.Approved);
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
        expect(await s.claims.claimStateOf(s.first)).to.equal(ClaimState.Paid);
      });

      it("reports the claim failed when the blocked re-entry makes the transfer revert", async function () {
        const s = await loadFixture(reentrantFixture);
        const data = s.claims.interface.encodeFunctionData("payClaims", [[s.first, s.second]]);
        await s.token.arm(s.claims, data, true, s.provider.address);
        await expectRevert(
          s.claims.connect(s.insurer).payClaim(s.first),
          s.claims,
          "InsuranceClaimPaymentFailed",
          s.first,
          s.provider.address,
          usd(96),
        );
        await expect(s.claims.connect(s.insurer).payClaims([s.first, s.second]))
          .to.emit(s.claims, "ClaimBatchPaid")
          .withArgs(s.insurer.address, 1n, 1n, usd(96));
        expect(await s.claims.claimStateOf(s.first)).to.equal(ClaimState.Approved);
        expect(await s.claims.claimStateOf(s.second)).to.equal(ClaimState.Paid);
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
      const s = await drugClaimFixture();
      // The same drug through the generic path, as a pharmacy trying to bypass DrugTrace would.
      const generic = claimRequest(s, {
        serviceCode: drugServiceCode(GTIN),
        billed: usd(42),
        evidenceHash: evidence("rx, no unit"),
      });
      return { ...s, drug: s.request, generic };
    }

    it("a pharmacy billing an undispensed drug through the generic path is refused", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.trace.setDispensed(GTIN, LOT, 17n, ethers.ZeroAddress);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []),
        s.claims,
        "InsuranceClaimDrugCodeNeedsDrugClaim",
        drugServiceCode(GTIN),
      );
    });

    it("a unit claimed through the drug path cannot be billed again through either path", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []);
      await expectRefused(
        claimsState(s, [1n]),
        () => s.claims.connect(s.pharmacy).submitClaim(s.generic, 0n, []),
        s.claims,
        "InsuranceClaimDrugCodeNeedsDrugClaim",
        drugServiceCode(GTIN),
      );
      await expectRefused(
        claimsState(s, [1n]),
        () =>
          s.claims
            .connect(s.pharmacy)
            .submitDrugClaim({ ...s.drug, evidenceHash: evidence("rx again") }, 0n, []),
        s.claims,
        "InsuranceClaimDrugUnitAlreadyClaimed",
        s.batchId,
        17n,
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
        await expectRefused(
          claimsState(s, [1n]),
          () =>
            s.claims
              .connect(s.provider)
              .submitClaim({ ...request, evidenceHash: evidence("one byte changed") }, 0n, []),
          s.claims,
          "InsuranceClaimDuplicate",
          1n,
        );
      }
    });

    it("a denied service is refused again while the denial can be appealed, then accepted", async function () {
      const s = await loadFixture(deniedClaimFixture);
      const again = claimRequest(s, { serviceDate: s.now - DAY, evidenceHash: evidence("again") });
      await expectRefused(
        claimsState(s, [1n]),
        () => s.claims.connect(s.provider).submitClaim(again, 0n, []),
        s.claims,
        "InsuranceClaimDuplicate",
        1n,
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
      await expectRefused(
        claimsState(s, [1n, 2n]),
        () => s.claims.connect(s.provider).submitClaim(again, 0n, []),
        s.claims,
        "InsuranceClaimDuplicate",
        2n,
      );
    });

    it("a provider the patient never authorized cannot bill the patient's policy", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.grantRole(ethers.id("PROVIDER_ROLE"), s.stranger.address);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.stranger).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "InsuranceClaimProviderNotAuthorized",
        s.patient.address,
        s.stranger.address,
      );
      // Authorized for treatment only is not enough: billing is a use for payment (HPAYMT).
      await s.consent.setAuthorization(s.patient.address, s.stranger.address, 0, true, 0xfff);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.stranger).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "InsuranceClaimProviderNotAuthorized",
        s.patient.address,
        s.stranger.address,
      );
    });

    it("a pharmacy's drug claim needs the patient's HPAYMT consent on medications to the pharmacy", async function () {
      const s = await loadFixture(pharmacyFixture);
      await s.consent.setAuthorization(s.patient.address, s.pharmacy.address, HPAYMT, true, 0);
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.pharmacy).submitDrugClaim(s.drug, 0n, []),
        s.claims,
        "InsuranceClaimProviderNotAuthorized",
        s.patient.address,
        s.pharmacy.address,
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("an appeal after the plan's window is refused; on the deadline it is accepted", async function () {
      const s = await loadFixture(deniedClaimFixture);
      const { appealDeadline } = await s.claims.claimOf(s.claimId);
      const deniedAt = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
      expect(appealDeadline).to.equal(deniedAt + APPEAL_WINDOW);
      await networkHelpers.time.setNextBlockTimestamp(appealDeadline + 1n);
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.patient).appealClaim(s.claimId, evidence("late")),
        s.claims,
        "InsuranceClaimAppealWindowClosed",
        s.claimId,
        appealDeadline,
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
      await expectRefused(
        claimsState(s),
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { evidenceHash: evidence("after") }), 0n, []),
        s.claims,
        "InsuranceClaimConsentMissing",
        s.patient.address,
        s.insurer.address,
      );
      // Claim 1: approved and paid; claim 2: denied, appealed by the patient, approved.
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await s.claims.connect(s.insurer).payClaim(1n);
      await s.claims.connect(s.adjuster).denyClaim(2n, 50);
      await s.claims.connect(s.patient).appealClaim(2n, evidence("appeal"));
      await s.claims.connect(s.adjuster).approveClaim(2n);
      expect(await s.claims.claimStateOf(1n)).to.equal(ClaimState.Paid);
      expect(await s.claims.claimStateOf(2n)).to.equal(ClaimState.Approved);
    });
  });
});
