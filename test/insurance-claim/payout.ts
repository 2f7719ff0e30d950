import { expect } from "chai";

import {
  PLAN,
  claimRequest,
  code,
  deployClaimsSuite,
  evidence,
  usd,
} from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  approvedClaim,
  approvedClaimFixture,
  claimsState,
  connection,
  deniedClaimFixture,
  ethers,
  loadFixture,
  drugClaimFixture,
} from "../helpers/insurance-claim.js";
import { ClaimState, expectedStates } from "../helpers/states.js";

describe("InsuranceClaim", function () {
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
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(ClaimState.Paid);
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.insurer).payClaim(s.claimId),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        s.claimId,
        ClaimState.Paid,
        expectedStates(ClaimState.Approved),
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
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.otherInsurer).payClaim(s.claimId),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });

    it("reverts when the caller is not an insurer", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectRevert(
        s.claims.connect(s.provider).payClaim(s.claimId),
        s.claims,
        "AccessControlUnauthorizedAccount",
        s.provider.address,
        ethers.id("INSURER_ROLE"),
      );
    });

    it("reverts when the claim is not approved", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expectRevert(
        s.claims.connect(s.insurer).payClaim(s.claimId),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        s.claimId,
        ClaimState.Denied,
        expectedStates(ClaimState.Approved),
      );
      await expectRevert(
        s.claims.connect(s.insurer).payClaim(99n),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        99n,
        ClaimState.None,
        expectedStates(ClaimState.Approved),
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await s.claims.connect(s.pauser).pause();
      await expectRevert(
        s.claims.connect(s.insurer).payClaim(s.claimId),
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
      for (const id of s.ids) expect(await s.claims.claimStateOf(id)).to.equal(ClaimState.Paid);
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
      await expectRefused(
        claimsState(s, s.ids),
        () => s.claims.connect(s.insurer).payClaims([first, s.ids[1]!, first]),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        first,
        ClaimState.Paid,
        expectedStates(ClaimState.Approved),
      );
    });

    it("reverts when the batch is empty", async function () {
      const s = await loadFixture(batchFixture);
      await expectRevert(
        s.claims.connect(s.insurer).payClaims([]),
        s.claims,
        "InsuranceClaimEmptyBatch",
      );
    });

    it("reverts when a claim belongs to another insurer's pool", async function () {
      const s = await loadFixture(batchFixture);
      await expectRefused(
        claimsState(s, s.ids),
        () => s.claims.connect(s.otherInsurer).payClaims(s.ids),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });

    it("reverts when the caller is not an insurer or the contract is paused", async function () {
      const s = await loadFixture(batchFixture);
      await expectRevert(
        s.claims.connect(s.adjuster).payClaims(s.ids),
        s.claims,
        "AccessControlUnauthorizedAccount",
        s.adjuster.address,
        ethers.id("INSURER_ROLE"),
      );
      await s.claims.connect(s.pauser).pause();
      await expectRevert(s.claims.connect(s.insurer).payClaims(s.ids), s.claims, "EnforcedPause");
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
        ClaimState.Voided,
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
      await expectRefused(
        claimsState(s, [s.claimId]),
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim({ ...same, evidenceHash: evidence("v3-corrected") }, 0n, []),
        s.claims,
        "InsuranceClaimDuplicate",
        s.claimId,
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
          ClaimState.Approved,
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
      const s = await loadFixture(drugClaimFixture);
      const { batchId, request } = s;
      await s.claims.connect(s.pharmacy).submitDrugClaim(request, 0n, []);
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await expect(s.claims.connect(s.insurer).voidClaim(1n, 22))
        .to.emit(s.claims, "ClaimVoided")
        .withArgs(1n, s.poolId, s.insurer.address, 22, 0n, usd(30));
      expect(await s.claims.isDrugUnitClaimed(batchId, 17n)).to.equal(true);
      const again = { ...request, evidenceHash: evidence("rx-again") };
      await expectRefused(
        claimsState(s, [1n]),
        () => s.claims.connect(s.pharmacy).submitDrugClaim(again, 0n, []),
        s.claims,
        "InsuranceClaimDrugUnitAlreadyClaimed",
        batchId,
        17n,
      );
    });

    it("reverts when the reason code is zero", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.insurer).voidClaim(s.claimId, 0),
        s.claims,
        "InsuranceClaimZeroReasonCode",
      );
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.otherInsurer).voidClaim(s.claimId, 16),
        s.claims,
        "InsuranceClaimNotPoolInsurer",
        s.poolId,
        s.otherInsurer.address,
      );
    });

    it("reverts when the caller is not an insurer (not even the pool's adjuster)", async function () {
      const s = await loadFixture(approvedClaimFixture);
      for (const caller of [s.adjuster, s.provider]) {
        await expectRefused(
          claimsState(s, [s.claimId]),
          () => s.claims.connect(caller).voidClaim(s.claimId, 16),
          s.claims,
          "AccessControlUnauthorizedAccount",
          caller.address,
          ethers.id("INSURER_ROLE"),
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
      const cases: [bigint, bigint][] = [
        [99n, ClaimState.None],
        [submitted, ClaimState.Submitted],
        [denied, ClaimState.Denied],
        [paid, ClaimState.Paid],
        [voided, ClaimState.Voided],
      ];
      for (const [claimId, state] of cases) {
        await expectRefused(
          claimsState(s, [submitted, denied, paid, voided]),
          () => s.claims.connect(s.insurer).voidClaim(claimId, 16),
          s.claims,
          "InsuranceClaimUnexpectedClaimState",
          claimId,
          state,
          expectedStates(ClaimState.Approved),
        );
      }
      // A voided claim cannot be paid either.
      await expectRevert(
        s.claims.connect(s.insurer).payClaim(voided),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        voided,
        ClaimState.Voided,
        expectedStates(ClaimState.Approved),
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await s.claims.connect(s.pauser).pause();
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.insurer).voidClaim(s.claimId, 16),
        s.claims,
        "EnforcedPause",
      );
    });
  });
});
