import { expect } from "chai";

import { evidence, usd } from "../fixtures/insurance-claim.js";
import { expectRefused, expectRevert } from "../helpers/expect.js";
import {
  approvedClaimFixture,
  claimsState,
  deniedClaimFixture,
  ethers,
  loadFixture,
} from "../helpers/insurance-claim.js";
import { ClaimState, expectedStates } from "../helpers/states.js";

describe("InsuranceClaim", function () {
  describe("appealClaim", function () {
    it("lets the provider appeal a denial once with new evidence", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.provider.address, evidence("appeal"));
      expect(await s.claims.claimStateOf(s.claimId)).to.equal(ClaimState.Appealed);
      await expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, evidence("again")),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        s.claimId,
        ClaimState.Appealed,
        expectedStates(ClaimState.Denied),
      );
    });

    it("lets the patient appeal", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expect(s.claims.connect(s.patient).appealClaim(s.claimId, evidence("appeal")))
        .to.emit(s.claims, "ClaimAppealed")
        .withArgs(s.claimId, s.patient.address, evidence("appeal"));
    });

    it("approves an appealed claim as the final decision", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal"));
      // All of the $120 allowed goes to the $500 deductible: approved with no payout.
      await expect(s.claims.connect(s.adjuster).approveClaim(s.claimId))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          ClaimState.Approved,
          s.adjuster.address,
          usd(150),
          usd(120),
          usd(120),
          0n,
          0n,
          0,
        );
      const claim = await s.claims.claimOf(s.claimId);
      expect([claim.state, claim.reasonCode]).to.deep.equal([ClaimState.Approved, 0n]);
    });

    it("denies an appealed claim for good", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal"));
      await expect(s.claims.connect(s.adjuster).denyClaim(s.claimId, 96))
        .to.emit(s.claims, "ClaimAdjudicated")
        .withArgs(
          s.claimId,
          ClaimState.FinalDenied,
          s.adjuster.address,
          usd(150),
          usd(120),
          0n,
          0n,
          0n,
          96,
        );
      await expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, evidence("again")),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        s.claimId,
        ClaimState.FinalDenied,
        expectedStates(ClaimState.Denied),
      );
    });

    it("reverts when the caller is neither the provider nor the patient", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expectRefused(
        claimsState(s, [s.claimId]),
        () => s.claims.connect(s.adjuster).appealClaim(s.claimId, evidence("appeal")),
        s.claims,
        "InsuranceClaimNotAppellant",
        s.claimId,
        s.adjuster.address,
      );
    });

    it("reverts when the new evidence hash is zero", async function () {
      const s = await loadFixture(deniedClaimFixture);
      await expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, ethers.ZeroHash),
        s.claims,
        "InsuranceClaimEvidenceMissing",
      );
    });

    it("reverts when the claim was not denied", async function () {
      const s = await loadFixture(approvedClaimFixture);
      await expectRevert(
        s.claims.connect(s.provider).appealClaim(s.claimId, evidence("appeal")),
        s.claims,
        "InsuranceClaimUnexpectedClaimState",
        s.claimId,
        ClaimState.Approved,
        expectedStates(ClaimState.Denied),
      );
    });
  });
});
