import { expect } from "chai";

import { adjudicate } from "../../sdk/insurance-claim/adjudication.js";
import * as ic from "../helpers/insurance-claim.js";

/** The suite with claim 1 submitted by the provider. */
async function submittedFixture() {
  const s = await ic.deployFixture();
  await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
  return s;
}

describe("InsuranceClaim", function () {
  describe("approveClaim", function () {
    it("applies the deductible first, then coinsurance, reserves the payout and emits the EOB", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      // Deductible $500: 4 claims of $150 billed for 99214 ($180 fee) -> allowed $150 each.
      await ic.submitClaims99214(s, 4, "d");
      for (const id of [1n, 2n, 3n]) {
        await ic.expectApproved(s, id, [150, 150, 150, 0, 0]);
      }
      // $50 deductible left; 20% of $100 = $20; payout $80.
      await ic.expectApproved(s, 4n, [150, 150, 50, 20, 80]);
      const policy = await s.claims.policyOf(s.policyId);
      expect(policy.deductibleMet).to.equal(ic.PLAN.deductible);
      expect(policy.coverageUsed).to.equal(ic.usd(80));
      expect((await s.claims.poolOf(s.poolId)).reserved).to.equal(ic.usd(80));
      const claim = await s.claims.claimOf(4n);
      expect([claim.state, claim.deductibleApplied, claim.payout]).to.deep.equal([
        ic.ClaimState.Approved,
        ic.usd(50),
        ic.usd(80),
      ]);
      expect(await s.claims.quote(4n)).to.deep.equal([
        ic.usd(150),
        ic.usd(150),
        ic.usd(50),
        ic.usd(20),
        ic.usd(80),
      ]);
    });

    it("reverts when the pool cannot cover the payout", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const { policyId } = await ic.withSecondPlan(s);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s, { policyId }), 0n, []);
      await s.claims
        .connect(s.insurer)
        .withdrawFromPool(s.poolId, ic.usd(100_000) - ic.usd(95), s.insurer.address);
      await ic.refuses(
        ic.watchClaims(s, [1n]),
        "InsuranceClaimPoolInsufficientFunds",
        [s.poolId, ic.usd(96), ic.usd(95)],
        () => s.claims.connect(s.adjuster).approveClaim(1n),
      );
    });

    it("reverts when the caller is not an adjuster of the claim's pool", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await s.claims.connect(s.insurer).setAdjuster(s.poolId, s.adjuster.address, false);
      for (const caller of [s.adjuster, s.insurer]) {
        await ic.refuses(
          ic.watchClaims(s, [1n]),
          "InsuranceClaimNotPoolAdjuster",
          [s.poolId, caller.address],
          () => s.claims.connect(caller).approveClaim(1n),
        );
      }
    });

    it("reverts when the claim does not exist or was already decided", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const expected = ic.expectedStates(ic.ClaimState.Submitted, ic.ClaimState.Appealed);
      await ic.revertsInState(
        s,
        s.claims.connect(s.adjuster).approveClaim(9n),
        9n,
        ic.ClaimState.None,
        expected,
      );
      await ic.refuses(
        ic.watchClaims(s, [s.claimId]),
        "InsuranceClaimUnexpectedClaimState",
        [s.claimId, ic.ClaimState.Approved, expected],
        () => s.claims.connect(s.adjuster).approveClaim(s.claimId),
      );
    });

    ic.itRevertsWhenPaused(submittedFixture, (s) => s.claims.connect(s.adjuster).approveClaim(1n));
  });

  describe("denyClaim", function () {
    it("denies a submitted claim with a reason code and an EOB paying nothing", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await ic.expectAdjudicated(
        s,
        s.claims.connect(s.adjuster).denyClaim(1n, 50),
        1n,
        ic.ClaimState.Denied,
        [150, 120, 0, 0, 0],
        50,
      );
      const claim = await s.claims.claimOf(1n);
      expect([claim.state, claim.reasonCode]).to.deep.equal([ic.ClaimState.Denied, 50n]);
      expect(await s.claims.quote(1n)).to.deep.equal([ic.usd(150), ic.usd(120), 0n, 0n, 0n]);
      const policy = await s.claims.policyOf(s.policyId);
      expect([policy.deductibleMet, policy.coverageUsed]).to.deep.equal([0n, 0n]);
    });

    it("reverts when the reason code is zero", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await ic.refuses(ic.watchClaims(s, [1n]), "InsuranceClaimZeroReasonCode", [], () =>
        s.claims.connect(s.adjuster).denyClaim(1n, 0),
      );
    });

    it("reverts when the caller is not an adjuster of the claim's pool", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []);
      await ic.expectRevert(
        s.claims.connect(s.stranger).denyClaim(1n, 50),
        s.claims,
        "InsuranceClaimNotPoolAdjuster",
        s.poolId,
        s.stranger.address,
      );
      expect(await s.claims.claimStateOf(1n)).to.equal(ic.ClaimState.Submitted);
    });

    it("reverts when the claim is approved or already denied", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const expected = ic.expectedStates(ic.ClaimState.Submitted, ic.ClaimState.Appealed);
      await ic.revertsInState(
        s,
        s.claims.connect(s.adjuster).denyClaim(s.claimId, 50),
        s.claimId,
        ic.ClaimState.Approved,
        expected,
      );
      const d = await ic.loadFixture(ic.deniedClaimFixture);
      await ic.revertsInState(
        d,
        d.claims.connect(d.adjuster).denyClaim(d.claimId, 96),
        d.claimId,
        ic.ClaimState.Denied,
        expected,
      );
    });
  });

  describe("quote and adjudicate", function () {
    it("quotes a pending claim against the policy's current deductible and coverage", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims
        .connect(s.provider)
        .submitClaim(
          ic.claimRequest(s, { serviceCode: ic.code("99214"), billed: ic.usd(900) }),
          0n,
          [],
        );
      expect(await s.claims.quote(1n)).to.deep.equal([
        ic.usd(900),
        ic.usd(180),
        ic.usd(180),
        0n,
        0n,
      ]);
    });

    it("reverts when the claim does not exist", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.revertsInState(s, s.claims.quote(1n), 1n, ic.ClaimState.None, ic.ALL_BUT_NONE);
    });

    it("computes the rule for given numbers and rounds coinsurance down", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      // allowed 100.000001, deductible 0.000001 -> 100; 20% coinsurance = 20; payout 80.
      expect(
        await s.claims.adjudicate(ic.usd(150), 100_000_001n, 1n, 2_000, ic.usd(1_000)),
      ).to.deep.equal([ic.usd(150), 100_000_001n, 1n, ic.usd(20), ic.usd(80)]);
      // 3 units at 33.33%: coinsurance floor(0.9999) = 0, the insurer pays all 3.
      expect(await s.claims.adjudicate(3n, 3n, 0n, 3_333, 10n)).to.deep.equal([3n, 3n, 0n, 0n, 3n]);
    });

    it("reverts when coinsurance is above 100%", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectRevert(
        s.claims.adjudicate(1n, 1n, 0n, 10_001, 1n),
        s.claims,
        "InsuranceClaimCoinsuranceTooHigh",
        10_001n,
      );
    });

    it("agrees with the SDK's adjudicate on 300 random cases (seeded)", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const random = ic.seededRandom(0x5eed_c1a1);
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
          `case ${i}: ${ic.json(input)}`,
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
      const s = await ic.loadFixture(ic.deployFixture);
      const random = ic.seededRandom(0xc1a1_0002);
      for (let i = 0; i < 30; i++) {
        const limit = 1n + random.bigint(ic.usd(2_000));
        const deductible = random.bigint(ic.usd(300));
        const bps = random.int(10_001);
        const fee = 1n + random.bigint(ic.usd(400));
        await s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, limit, deductible, bps, ic.ethers.ZeroHash, ic.APPEAL_WINDOW);
        const planId = (await s.claims.counts()).plans;
        await s.claims.connect(s.insurer).setFees(planId, [ic.code("99213")], [fee]);
        await s.claims.connect(s.insurer).createPolicy(planId, s.patient.address, s.start, s.end);
        const policyId = (await s.claims.counts()).policies;
        let deductibleMet = 0n;
        let coverageUsed = 0n;
        for (let k = 0; k < 3; k++) {
          const billed = 1n + random.bigint(ic.usd(500));
          await s.claims
            .connect(s.provider)
            .submitClaim(
              ic.claimRequest(s, { policyId, billed, evidenceHash: ic.evidence(`f${i}-${k}`) }),
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
});
