import { expect } from "chai";

import { buildFeeScheduleTree, proveFee } from "../../sdk/insurance-claim/fee-schedule.js";
import {
  APPEAL_WINDOW,
  DAY,
  HPAYMT,
  claimRequest,
  code,
  deployClaimsSuite,
  usd,
} from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  claimsState,
  connection,
  deployFixture,
  ethers,
  loadFixture,
  networkHelpers,
  withSecondPlan,
} from "../helpers/insurance-claim.js";
import { ClaimState } from "../helpers/states.js";

describe("InsuranceClaim", function () {
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
      ]).to.deep.equal([s.policyId, ClaimState.Submitted, usd(150), usd(120), s.poolId]);
      expect(await s.claims.claimStateOf(1n)).to.equal(ClaimState.Submitted);
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
      await expectRefused(
        claimsState(s),
        () => s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "InsuranceClaimConsentMissing",
        s.patient.address,
        s.insurer.address,
      );
    });

    it("reverts when the policy does not exist", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId: 42n }), 0n, []),
        s.claims,
        "InsuranceClaimUnknownPolicy",
        42n,
      );
    });

    for (const [label, offset] of [
      ["before the policy starts", -31n * DAY],
      ["after the policy ends", 400n * DAY],
      ["in the future", 2n * DAY],
    ] as const) {
      it(`reverts when the service date is ${label}`, async function () {
        const s = await loadFixture(deployFixture);
        const serviceDate = s.now + offset;
        await expectRefused(
          claimsState(s),
          () => s.claims.connect(s.provider).submitClaim(claimRequest(s, { serviceDate }), 0n, []),
          s.claims,
          "InsuranceClaimServiceDateNotCovered",
          s.policyId,
          serviceDate,
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
      await expectRefused(
        claimsState(s),
        () =>
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { serviceCode: code("70553") }), 0n, []),
        s.claims,
        "InsuranceClaimServiceNotCovered",
        s.planId,
        code("70553"),
      );
    });

    it("reverts when the billed amount is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.provider).submitClaim(claimRequest(s, { billed: 0n }), 0n, []),
        s.claims,
        "InsuranceClaimZeroAmount",
      );
    });

    it("reverts when the evidence hash is zero", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims
          .connect(s.provider)
          .submitClaim(claimRequest(s, { evidenceHash: ethers.ZeroHash }), 0n, []),
        s.claims,
        "InsuranceClaimEvidenceMissing",
      );
    });

    it("reverts when the caller is not a provider", async function () {
      const s = await loadFixture(deployFixture);
      await expectRevert(
        s.claims.connect(s.patient).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "AccessControlUnauthorizedAccount",
        s.patient.address,
        ethers.id("PROVIDER_ROLE"),
      );
    });

    it("reverts when paused", async function () {
      const s = await loadFixture(deployFixture);
      await s.claims.connect(s.pauser).pause();
      await expectRevert(
        s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []),
        s.claims,
        "EnforcedPause",
      );
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
        await expectRefused(
          claimsState(s),
          () => s.claims.connect(s.provider).submitClaim(request, usd(161), fee.scheduleProof),
          s.claims,
          "InsuranceClaimInvalidFeeProof",
          s.planId,
          code("10150"),
          usd(161),
        );
      });

      it("reverts when no amount is given for a code without an explicit fee", async function () {
        const s = await loadFixture(merklePlanFixture);
        await expectRevert(
          s.claims
            .connect(s.provider)
            .submitClaim(claimRequest(s, { serviceCode: code("10150") }), 0n, []),
          s.claims,
          "InsuranceClaimServiceNotCovered",
          s.planId,
          code("10150"),
        );
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
});
