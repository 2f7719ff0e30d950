import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";
import { expectRevert, refuses } from "../helpers/expect.js";
import { ClaimState, expectedStates } from "../helpers/states.js";

describe("InsuranceClaim", function () {
  describe("appealClaim", function () {
    it("lets the provider appeal a denial once with new evidence", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.provider.address, ic.evidence("appeal"));
      expect(await s.claims.claimState(s.claimId)).to.equal(ClaimState.Appealed);
      await ic.revertsInState(
        s,
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("again")),
        s.claimId,
        ClaimState.Appealed,
        expectedStates(ClaimState.Denied),
      );
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
      await expect(s.claims.connect(s.adjuster).approveClaim(s.claimId))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          ClaimState.Approved,
          s.adjuster.address,
          ic.usd(150),
          ic.usd(120),
          ic.usd(120),
          0n,
          0n,
          0,
        );
      const claim = await s.claims.getClaim(s.claimId);
      expect([claim.state, claim.reasonCode]).to.deep.equal([ClaimState.Approved, 0n]);
    });

    it("denies an appealed claim for good", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal"));
      await expect(s.claims.connect(s.adjuster).denyClaim(s.claimId, 96))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          ClaimState.FinalDenied,
          s.adjuster.address,
          ic.usd(150),
          ic.usd(120),
          0n,
          0n,
          0n,
          96,
        );
      await ic.revertsInState(
        s,
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("again")),
        s.claimId,
        ClaimState.FinalDenied,
        expectedStates(ClaimState.Denied),
      );
    });

    it("reverts when the caller is neither the provider nor the patient", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await refuses(
        ic.watchClaims(s, [s.claimId]),
        "InsuranceClaimNotAppellant",
        [s.claimId, s.adjuster.address],
        () => s.claims.connect(s.adjuster).appealClaim(s.claimId, ic.evidence("appeal")),
      );
    });

    it("reverts when the new evidence hash is zero", async function () {
      const s = await ic.loadFixture(ic.deniedClaimFixture);
      await expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.ethers.ZeroHash),
        s.claims,
        "InsuranceClaimEvidenceMissing",
      );
    });

    it("reverts when the claim was not denied", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      await ic.revertsInState(
        s,
        s.claims.connect(s.provider).appealClaim(s.claimId, ic.evidence("appeal")),
        s.claimId,
        ClaimState.Approved,
        expectedStates(ClaimState.Denied),
      );
    });
  });
});
