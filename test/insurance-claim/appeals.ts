import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";

/** A second appeal of the claim once it left Denied (now `current`) reverts. */
function appealAgainRefused(s: ic.ClaimsSuite & { claimId: bigint }, current: bigint) {
  return ic.revertsInState(
    s,
    s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("again")),
    s.claimId,
    current,
    ic.expectedStates(ic.ClaimState.Denied),
  );
}

describe("InsuranceClaim", function () {
  describe("appealClaim", function () {
    it("lets the provider appeal a denial once with new evidence", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.provider.address, ic.evidence("appeal"));
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(ic.ClaimState.Appealed);
      await appealAgainRefused(s, ic.ClaimState.Appealed);
    });

    it("lets the patient appeal", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await expect(s.claims.connect(s.patient).appealClaim(s.claimId, ic.evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.patient.address, ic.evidence("appeal"));
    });

    it("approves an appealed claim as the final decision", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal"));
      // All of the $120 allowed goes to the $500 deductible: approved with no payout.
      await ic.expectAdjudicated(
        s,
        s.claims.connect(s.adjuster).approveClaim(s.claimId),
        s.claimId,
        ic.ClaimState.Approved,
        [150, 120, 120, 0, 0],
      );
      const claim = await s.claims.claimOf(s.claimId);
      expect([claim.state, claim.reasonCode]).to.deep.equal([ic.ClaimState.Approved, 0n]);
    });

    it("denies an appealed claim for good", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal"));
      await ic.expectAdjudicated(
        s,
        s.claims.connect(s.adjuster).denyClaim(s.claimId, 96),
        s.claimId,
        ic.ClaimState.FinalDenied,
        [150, 120, 0, 0, 0],
        96,
      );
      await appealAgainRefused(s, ic.ClaimState.FinalDenied);
    });

    it("reverts when the caller is neither the provider nor the patient", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await ic.refuses(
        ic.watchClaims(s, [s.claimId]),
        "InsuranceClaimNotAppellant",
        [s.claimId, s.adjuster.address],
        () => s.claims.connect(s.adjuster).appealClaim(s.claimId, ic.evidence("appeal")),
      );
    });

    it("reverts when the new evidence hash is zero", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await ic.expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.ethers.ZeroHash),
        s.claims,
        "InsuranceClaimZeroEvidenceHash",
      );
    });

    it("reverts when the claim was not denied", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.revertsInState(
        s,
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal")),
        s.claimId,
        ic.ClaimState.Approved,
        ic.expectedStates(ic.ClaimState.Denied),
      );
    });
  });
});
