import { expect } from "chai";

import { drugServiceCode } from "../../sdk/insurance-claim/fee-schedule.js";
import * as ic from "../helpers/insurance-claim.js";

describe("InsuranceClaim", function () {
  describe("submitDrugClaim", function () {
    it("records a claim for a unit the pharmacy dispensed, under the GTIN's code", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await expect(s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []))
        .to.emit(s.claims, "ClaimSubmitted")
        .withArgs(
          1n,
          s.policyId,
          s.pharmacy.address,
          drugServiceCode(ic.GTIN),
          s.request.serviceDate,
          ic.usd(42),
          ic.usd(30),
          s.request.evidenceHash,
        )
        .and.to.emit(s.claims, "DrugUnitClaimed")
        .withArgs(1n, s.batchId, 17n);
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(true);
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 16n)).to.equal(false);
      expect(await s.claims.drugServiceCode(ic.GTIN)).to.equal(
        ic.ethers.encodeBytes32String("09506000134352"),
      );
    });

    it("reverts when the unit was already claimed, even on another policy", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []);
      await s.claims.connect(s.insurer).createPolicy(s.planId, s.patient.address, s.start, s.end);
      const again = { ...s.request, policyId: 2n, evidenceHash: ic.evidence("rx-again") };
      await ic.refuses(
        ic.watchClaims(s, [1n]),
        "InsuranceClaimDrugUnitAlreadyClaimed",
        [s.batchId, 17n],
        () => s.claims.connect(s.pharmacy).submitDrugClaim(again, 0n, []),
      );
    });

    it("reverts when DrugTrace does not show the unit dispensed by the caller", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await s.claims.grantRole(ic.ethers.id("PROVIDER_ROLE"), s.stranger.address);
      await s.consent.setAuthorization(
        s.patient.address,
        s.stranger.address,
        ic.HPAYMT,
        true,
        ic.MEDICATIONS,
      );
      await ic.refuses(
        ic.watchClaims(s),
        "InsuranceClaimDrugNotDispensed",
        [s.batchId, 17n, s.stranger.address],
        () => s.claims.connect(s.stranger).submitDrugClaim(s.request, 0n, []),
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("reverts when the consent does not cover the medications category", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await s.consent.setAuthorization(s.patient.address, s.insurer.address, ic.HPAYMT, true, 0);
      await ic.expectRevert(
        s.claims.connect(s.pharmacy).submitDrugClaim(s.request, 0n, []),
        s.claims,
        "InsuranceClaimConsentMissing",
        s.patient.address,
        s.insurer.address,
      );
      expect(await s.claims.isDrugUnitClaimed(s.batchId, 17n)).to.equal(false);
    });

    it("reverts when the GTIN has more than 14 digits", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await ic.expectRevert(
        s.claims
          .connect(s.pharmacy)
          .submitDrugClaim({ ...s.request, gtin: 100_000_000_000_000n }, 0n, []),
        s.claims,
        "InsuranceClaimInvalidGtin",
        100_000_000_000_000n,
      );
    });

    it("reverts when the claim is on someone else's policy", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await ic.expectRevert(
        s.claims
          .connect(s.pharmacy)
          .submitDrugClaim({ ...s.request, patient: s.stranger.address }, 0n, []),
        s.claims,
        "InsuranceClaimPatientMismatch",
        s.policyId,
        s.stranger.address,
      );
    });

    it("reverts when the billed amount or the evidence is missing", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      for (const [missing, error] of [
        [{ billed: 0n }, "InsuranceClaimZeroAmount"],
        [{ evidenceHash: ic.ethers.ZeroHash }, "InsuranceClaimZeroEvidenceHash"],
      ] as const) {
        await ic.expectRevert(
          s.claims.connect(s.pharmacy).submitDrugClaim({ ...s.request, ...missing }, 0n, []),
          s.claims,
          error,
        );
      }
    });

    it("reverts when the caller is not a provider", async function () {
      const s = await ic.loadFixture(ic.drugClaimFixture);
      await ic.expectUnauthorized(
        s.claims.connect(s.patient).submitDrugClaim(s.request, 0n, []),
        s.claims,
        s.patient.address,
        "PROVIDER_ROLE",
      );
    });
  });
});
