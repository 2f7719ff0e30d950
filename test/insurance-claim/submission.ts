import { expect } from "chai";

import { buildFeeScheduleTree, proveFee } from "../../sdk/insurance-claim/fee-schedule.js";
import * as ic from "../helpers/insurance-claim.js";

/** The provider submits the default claim request with `overrides`, with no fee proof. */
function submit(s: ic.ClaimsSuite, overrides: Parameters<typeof ic.claimRequest>[1]) {
  return s.claims.connect(s.provider).submitClaim(ic.claimRequest(s, overrides), 0n, []);
}

describe("InsuranceClaim", function () {
  describe("submitClaim", function () {
    it("records a claim with allowed = min(billed, fee) and emits it", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const request = ic.claimRequest(s);
      await ic.expectSubmitted(s, request, 1n);
      const claim = await s.claims.claimOf(1n);
      expect(claim.provider).to.equal(s.provider.address);
      expect([
        claim.policyId,
        claim.state,
        claim.billed,
        claim.allowed,
        claim.poolId,
      ]).to.deep.equal([s.policyId, ic.ClaimState.Submitted, ic.usd(150), ic.usd(120), s.poolId]);
      expect(await s.claims.claimStateOf(1n)).to.equal(ic.ClaimState.Submitted);
      expect(await ic.providerClaimIdOf(s, request)).to.equal(1n);
    });

    it("allows the billed amount when it is below the fee", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims
        .connect(s.provider)
        .submitClaim(ic.claimRequest(s, { billed: ic.usd(99) }), 0n, []);
      expect((await s.claims.claimOf(1n)).allowed).to.equal(ic.usd(99));
    });

    it("accepts the same code on another date, by another provider or on another policy", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const request = ic.claimRequest(s);
      await s.claims.connect(s.provider).submitClaim(request, 0n, []);
      await s.claims
        .connect(s.provider)
        .submitClaim({ ...request, serviceDate: request.serviceDate - ic.DAY }, 0n, []);
      await s.consent.setAuthorization(s.patient.address, s.pharmacy.address, ic.HPAYMT, true, 0);
      await s.claims.connect(s.pharmacy).submitClaim(request, 0n, []);
      const { policyId } = await ic.withSecondPlan(s);
      await s.claims.connect(s.provider).submitClaim({ ...request, policyId }, 0n, []);
      expect((await s.claims.counts()).claims).to.equal(4n);
    });

    it("asks PatientConsent about the insurer, purpose HPAYMT, categories 0", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      // Consent restricted to the purpose alone still covers a medical claim.
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, ic.HPAYMT, true, 0);
      await expect(s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, [])).to.emit(
        s.claims,
        "ClaimSubmitted",
      );
    });

    it("reverts when the patient has not consented to the insurer for payment", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, ic.HPAYMT, false, 0);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, 0, true, 0xfff);
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimConsentMissing",
        [s.patient.address, s.insurer.address],
        () => s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []),
      );
    });

    ic.itRefuses(ic.deployFixture, [
      {
        title: "reverts when the policy does not exist",
        error: "InsuranceClaimUnknownPolicy",
        args: () => [42n],
        call: (s) => submit(s, { policyId: 42n }),
      },
      {
        title: "reverts when the plan lists no fee for the code",
        error: "InsuranceClaimServiceNotCovered",
        args: (s) => [s.planId, ic.code("70553")],
        call: (s) => submit(s, { serviceCode: ic.code("70553") }),
      },
      {
        title: "reverts when the billed amount is zero",
        error: "InsuranceClaimZeroAmount",
        call: (s) => submit(s, { billed: 0n }),
      },
      {
        title: "reverts when the evidence hash is zero",
        error: "InsuranceClaimZeroEvidenceHash",
        call: (s) => submit(s, { evidenceHash: ic.ethers.ZeroHash }),
      },
    ]);

    for (const [label, offset] of [
      ["before the policy starts", -31n * ic.DAY],
      ["after the policy ends", 400n * ic.DAY],
      ["in the future", 2n * ic.DAY],
    ] as const) {
      it(`reverts when the service date is ${label}`, async function () {
        const s = await ic.loadFixture(ic.deployFixture);
        const serviceDate = s.now + offset;
        await ic.refuses(
          ic.watchClaims(s),
          "InsuranceClaimServiceDateNotCovered",
          [s.policyId, serviceDate],
          () =>
            s.claims.connect(s.provider).submitClaim(ic.claimRequest(s, { serviceDate }), 0n, []),
        );
      });
    }

    it("accepts the first and the last covered second", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await s.claims
        .connect(s.provider)
        .submitClaim(ic.claimRequest(s, { serviceDate: s.start }), 0n, []);
      await ic.networkHelpers.time.increaseTo(s.end + 1n);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, ic.HPAYMT, true, 0);
      await expect(
        s.claims
          .connect(s.provider)
          .submitClaim(ic.claimRequest(s, { serviceDate: s.end }), 0n, []),
      ).to.emit(s.claims, "ClaimSubmitted");
    });

    it("reverts when the caller is not a provider", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      await ic.expectUnauthorized(
        s.claims.connect(s.patient).submitClaim(ic.claimRequest(s), 0n, []),
        s.claims,
        s.patient.address,
        "PROVIDER_ROLE",
      );
    });

    ic.itRevertsWhenPaused(ic.deployFixture, (s) =>
      s.claims.connect(s.provider).submitClaim(ic.claimRequest(s), 0n, []),
    );

    describe("with a Merkle fee schedule", function () {
      async function merklePlanFixture() {
        const s = await ic.deployClaimsSuite(ic.connection);
        const entries = Array.from({ length: 200 }, (_, i) => {
          const text = String(10_000 + i);
          return { code: text, serviceCode: ic.code(text), allowedAmount: ic.usd(10 + i) };
        });
        const tree = buildFeeScheduleTree(entries);
        await s.claims
          .connect(s.insurer)
          .createPlan(s.poolId, ic.usd(5_000), 0n, 0, tree.root, ic.APPEAL_WINDOW);
        await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
        return { ...s, tree, policyId: 2n, planId: 2n };
      }

      it("accepts a claim that proves the code's allowed amount", async function () {
        const s = await ic.loadFixture(merklePlanFixture);
        const fee = proveFee(s.tree, "10150");
        expect(fee.scheduleAmount).to.equal(ic.usd(160));
        const request = ic.claimRequest(s, { serviceCode: ic.code("10150"), billed: ic.usd(400) });
        expect(request.serviceCode).to.equal(ic.code("10150"));
        await ic.expectSubmitted(s, request, 1n, [400, 160], fee.scheduleAmount, fee.scheduleProof);
      });

      it("reverts when the proven amount is not the schedule's", async function () {
        const s = await ic.loadFixture(merklePlanFixture);
        const fee = proveFee(s.tree, "10150");
        const request = ic.claimRequest(s, { serviceCode: ic.code("10150"), billed: ic.usd(400) });
        await ic.refuses(
          ic.watchClaims(s),
          "InsuranceClaimInvalidFeeProof",
          [s.planId, ic.code("10150"), ic.usd(161)],
          () => s.claims.connect(s.provider).submitClaim(request, ic.usd(161), fee.scheduleProof),
        );
      });

      it("reverts when no amount is given for a code without an explicit fee", async function () {
        const s = await ic.loadFixture(merklePlanFixture);
        await ic.expectRevert(
          s.claims
            .connect(s.provider)
            .submitClaim(ic.claimRequest(s, { serviceCode: ic.code("10150") }), 0n, []),
          s.claims,
          "InsuranceClaimServiceNotCovered",
          s.planId,
          ic.code("10150"),
        );
      });

      it("lets an explicit fee override the tree", async function () {
        const s = await ic.loadFixture(merklePlanFixture);
        await s.claims.connect(s.insurer).setFees(s.planId, [ic.code("10150")], [ic.usd(50)]);
        await s.claims
          .connect(s.provider)
          .submitClaim(
            ic.claimRequest(s, { serviceCode: ic.code("10150"), billed: ic.usd(400) }),
            0n,
            [],
          );
        expect((await s.claims.claimOf(1n)).allowed).to.equal(ic.usd(50));
      });
    });
  });
});
