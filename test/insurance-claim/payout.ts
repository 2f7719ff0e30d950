import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";

describe("InsuranceClaim", function () {
  describe("payClaim", function () {
    it("pays the provider from the reserve, once", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const tx = s.claims.connect(s.insurer).payClaim(s.claimId);
      await expect(tx)
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.claimId, s.poolId, s.provider.address, s.payout);
      await expect(tx).to.changeTokenBalances(
        ic.ethers,
        s.usdc,
        [s.claims, s.provider],
        [-s.payout, s.payout],
      );
      const pool = await s.claims.poolOf(s.poolId);
      expect([pool.balance, pool.reserved]).to.deep.equal([ic.usd(100_000) - s.payout, 0n]);
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(ic.ClaimState.Paid);
      await ic.refuses(
        ic.watchClaims(s, [s.claimId]),
        "InsuranceClaimUnexpectedClaimState",
        [s.claimId, ic.ClaimState.Paid, ic.expectedStates(ic.ClaimState.Approved)],
        () => s.claims.connect(s.insurer).payClaim(s.claimId),
      );
    });

    it("marks a claim with no payout paid without a transfer", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal"));
      await s.claims.connect(s.adjuster).approveClaim(s.claimId);
      await expect(s.claims.connect(s.insurer).payClaim(s.claimId))
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.claimId, s.poolId, s.provider.address, 0n)
        .and.not.to.emit(s.usdc, "Transfer");
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.refusesOtherInsurer(s, (claims) => claims.payClaim(s.claimId), [s.claimId]);
    });

    it("reverts when the caller is not an insurer", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.expectUnauthorized(
        s.claims.connect(s.provider).payClaim(s.claimId),
        s.claims,
        s.provider.address,
        "INSURER_ROLE",
      );
    });

    it("reverts when the claim is not approved", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      for (const [claimId, state] of [
        [s.claimId, ic.ClaimState.Denied],
        [99n, ic.ClaimState.None],
      ] as const) {
        await ic.revertsInState(
          s,
          s.claims.connect(s.insurer).payClaim(claimId),
          claimId,
          state,
          ic.expectedStates(ic.ClaimState.Approved),
        );
      }
    });

    ic.itRevertsWhenPaused(ic.approvedClaimFixture, (s) =>
      s.claims.connect(s.insurer).payClaim(s.claimId),
    );
  });

  describe("payClaims", function () {
    async function batchFixture() {
      const s = await ic.approvedClaimFixture();
      const second = await ic.approvedClaim(s, s.policyId, "second", s.pharmacy);
      const third = await ic.approvedClaim(s, s.policyId, "third");
      return { ...s, ids: [s.claimId, second, third] };
    }

    it("pays every claim and reports a summary", async function () {
      const s = await ic.loadFixture(batchFixture);
      const tx = s.claims.connect(s.insurer).payClaims(s.ids);
      await expect(tx)
        .to.emit(s.claims, "ClaimBatchPaid")
        .withArgs(s.insurer.address, 3n, 0n, 3n * s.payout);
      await expect(tx)
        .to.emit(s.claims, "ClaimPaid")
        .withArgs(s.ids[1], s.poolId, s.pharmacy.address, s.payout);
      await expect(tx).to.changeTokenBalances(
        ic.ethers,
        s.usdc,
        [s.claims, s.provider, s.pharmacy],
        [-3n * s.payout, 2n * s.payout, s.payout],
      );
      for (const id of s.ids) expect(await s.claims.claimStateOf(id)).to.equal(ic.ClaimState.Paid);
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(0n);
    });

    it("returns the counts to a static caller", async function () {
      const s = await ic.loadFixture(batchFixture);
      expect(await s.claims.connect(s.insurer).payClaims.staticCall(s.ids)).to.deep.equal([
        3n,
        0n,
        3n * s.payout,
      ]);
    });

    it("reverts the whole batch when an id repeats (no claim is paid twice)", async function () {
      const s = await ic.loadFixture(batchFixture);
      const first = s.ids[0]!;
      await ic.refuses(
        ic.watchClaims(s, s.ids),
        "InsuranceClaimUnexpectedClaimState",
        [first, ic.ClaimState.Paid, ic.expectedStates(ic.ClaimState.Approved)],
        () => s.claims.connect(s.insurer).payClaims([first, s.ids[1]!, first]),
      );
    });

    it("reverts when the batch is empty", async function () {
      const s = await ic.loadFixture(batchFixture);
      await ic.expectRevert(
        s.claims.connect(s.insurer).payClaims([]),
        s.claims,
        "InsuranceClaimEmptyBatch",
      );
    });

    it("reverts when a claim belongs to another insurer's pool", async function () {
      const s = await ic.loadFixture(batchFixture);
      await ic.refusesOtherInsurer(s, (claims) => claims.payClaims(s.ids), s.ids);
    });

    it("reverts when the caller is not an insurer", async function () {
      const s = await ic.loadFixture(batchFixture);
      await ic.expectUnauthorized(
        s.claims.connect(s.adjuster).payClaims(s.ids),
        s.claims,
        s.adjuster.address,
        "INSURER_ROLE",
      );
    });

    ic.itRevertsWhenPaused(batchFixture, (s) => s.claims.connect(s.insurer).payClaims(s.ids));
  });

  describe("voidClaim", function () {
    /**
     * Four claims of $150 for 99214 on the default policy ($500 deductible, 20% coinsurance), all
     * approved: claims 1-3 meet $450 of the deductible, claim 4 applies the last $50 and reserves $80.
     */
    async function deductibleFixture() {
      const s = await ic.deployClaimsSuite(ic.connection);
      await ic.submitClaims99214(s, 4, "v", (claimId) =>
        s.claims.connect(s.adjuster).approveClaim(claimId),
      );
      return { ...s, claimId: 4n };
    }

    it("releases the reserve, the coverage and the deductible the approval counted", async function () {
      const s = await ic.loadFixture(deductibleFixture);
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(ic.usd(80));
      await expect(s.claims.connect(s.insurer).voidClaim(s.claimId, 16))
        .to.emit(s.claims, "ClaimVoided")
        .withArgs(s.claimId, s.poolId, s.insurer.address, 16, ic.usd(80), ic.usd(50))
        .and.not.to.emit(s.usdc, "Transfer");
      const pool = await s.claims.poolOf(s.poolId);
      expect([pool.balance, pool.reserved]).to.deep.equal([ic.usd(100_000), 0n]);
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([ic.usd(450), 0n]);
      const claim = await s.claims.claimOf(s.claimId);
      // The approval's numbers stay on record; the reason is the void's.
      expect([claim.state, claim.reasonCode, claim.deductibleApplied, claim.payout]).to.deep.equal([
        ic.ClaimState.Voided,
        16n,
        ic.usd(50),
        ic.usd(80),
      ]);
      expect(await s.claims.quote(s.claimId)).to.deep.equal([ic.usd(150), ic.usd(150), 0n, 0n, 0n]);
      // The reserve is available again: the whole balance can be withdrawn.
      await expect(
        s.claims.connect(s.insurer).withdrawFromPool(s.poolId, ic.usd(100_000), s.insurer.address),
      )
        .to.emit(s.claims, "PoolWithdrawn")
        .withArgs(s.poolId, s.insurer.address, ic.usd(100_000));
    });

    it("lets the provider submit the voided service again, adjudicated afresh", async function () {
      const s = await ic.loadFixture(deductibleFixture);
      const same = ic.claimRequest(s, {
        serviceCode: ic.code("99214"),
        evidenceHash: ic.evidence("v3"),
      });
      // While the claim is Approved the service is taken, whatever the evidence.
      await ic.refuses(ic.watchClaims(s, [s.claimId]), "InsuranceClaimDuplicate", [s.claimId], () =>
        s.claims
          .connect(s.provider)
          .submitClaim({ ...same, evidenceHash: ic.evidence("v3-corrected") }, 0n, []),
      );
      await s.claims.connect(s.insurer).voidClaim(s.claimId, 16);
      const corrected = { ...same, evidenceHash: ic.evidence("v3-corrected") };
      await s.claims.connect(s.provider).submitClaim(corrected, 0n, []);
      expect(await ic.providerClaimIdOf(s, same)).to.equal(5n);
      // The released deductible and coverage are counted again, once: the same EOB as the voided approval.
      await ic.expectApproved(s, 5n, [150, 150, 50, 20, 80]);
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([
        ic.PLAN.deductible,
        ic.usd(80),
      ]);
    });

    it("leaves a voided drug claim's unit claimed", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      const { batchId, request } = s;
      await s.claims.connect(s.pharmacy).submitDrugClaim(request, 0n, []);
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await expect(s.claims.connect(s.insurer).voidClaim(1n, 22))
        .to.emit(s.claims, "ClaimVoided")
        .withArgs(1n, s.poolId, s.insurer.address, 22, 0n, ic.usd(30));
      expect(await s.claims.isDrugUnitClaimed(batchId, 17n)).to.equal(true);
      const again = { ...request, evidenceHash: ic.evidence("rx-again") };
      await ic.refuses(
        ic.watchClaims(s, [1n]),
        "InsuranceClaimDrugUnitAlreadyClaimed",
        [batchId, 17n],
        () => s.claims.connect(s.pharmacy).submitDrugClaim(again, 0n, []),
      );
    });

    it("reverts when the reason code is zero", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.refuses(ic.watchClaims(s, [s.claimId]), "InsuranceClaimZeroReasonCode", [], () =>
        s.claims.connect(s.insurer).voidClaim(s.claimId, 0),
      );
    });

    it("reverts when the caller is another insurer", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.refusesOtherInsurer(s, (claims) => claims.voidClaim(s.claimId, 16), [s.claimId]);
    });

    it("reverts when the caller is not an insurer (not even the pool's adjuster)", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      for (const caller of [s.adjuster, s.provider]) {
        await ic.refuses(
          ic.watchClaims(s, [s.claimId]),
          "AccessControlUnauthorizedAccount",
          [caller.address, ic.ethers.id("INSURER_ROLE")],
          () => s.claims.connect(caller).voidClaim(s.claimId, 16),
        );
      }
    });

    it("reverts when the claim is not approved", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const [submitted, denied] = [2n, 3n];
      for (const label of ["pending", "denied"]) {
        const request = ic.claimRequest(s, {
          policyId: s.policyId,
          evidenceHash: ic.evidence(label),
        });
        await s.claims.connect(s.provider).submitClaim(request, 0n, []);
      }
      await s.claims.connect(s.adjuster).denyClaim(denied, 50);
      const paid = await ic.approvedClaim(s, s.policyId, "paid");
      await s.claims.connect(s.insurer).payClaim(paid);
      const voided = s.claimId;
      await s.claims.connect(s.insurer).voidClaim(voided, 16);
      const cases: [bigint, bigint][] = [
        [99n, ic.ClaimState.None],
        [submitted, ic.ClaimState.Submitted],
        [denied, ic.ClaimState.Denied],
        [paid, ic.ClaimState.Paid],
        [voided, ic.ClaimState.Voided],
      ];
      for (const [claimId, state] of cases) {
        await ic.refuses(
          ic.watchClaims(s, [submitted, denied, paid, voided]),
          "InsuranceClaimUnexpectedClaimState",
          [claimId, state, ic.expectedStates(ic.ClaimState.Approved)],
          () => s.claims.connect(s.insurer).voidClaim(claimId, 16),
        );
      }
      // A voided claim cannot be paid either.
      await ic.revertsInState(
        s,
        s.claims.connect(s.insurer).payClaim(voided),
        voided,
        ic.ClaimState.Voided,
        ic.expectedStates(ic.ClaimState.Approved),
      );
    });

    ic.itRevertsWhenPaused(ic.approvedClaimFixture, (s) =>
      s.claims.connect(s.insurer).voidClaim(s.claimId, 16),
    );
  });
});
