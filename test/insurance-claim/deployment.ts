import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";
import { shouldBehaveLikeAdminPausable } from "../shared/access-and-pause.js";
import type { AdminPausable } from "../shared/access-and-pause.js";

describe("InsuranceClaim", function () {
  shouldBehaveLikeAdminPausable(async () => {
    const s = await ic.loadFixture(ic.deployFixture);
    return {
      contract: s.claims as unknown as AdminPausable,
      admin: s.admin,
      stranger: s.stranger,
      pauser: s.pauser,
      pauserRole: await s.claims.PAUSER_ROLE(),
      pausableCall: () => s.claims.connect(s.insurer).openPool(s.usdc),
    };
  });

  describe("deployment", function () {
    it("wires PatientConsent and DrugTrace and exposes the roles and consent constants", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      expect(await s.claims.patientConsent()).to.equal(await s.consent.getAddress());
      expect(await s.claims.drugTrace()).to.equal(await s.trace.getAddress());
      expect(await s.claims.INSURER_ROLE()).to.equal(ic.ethers.id("INSURER_ROLE"));
      expect(await s.claims.PROVIDER_ROLE()).to.equal(ic.ethers.id("PROVIDER_ROLE"));
      expect(await s.claims.PAUSER_ROLE()).to.equal(ic.ethers.id("PAUSER_ROLE"));
      expect(await s.claims.PAYMENT_PURPOSE()).to.equal(BigInt(ic.HPAYMT));
      expect(await s.claims.MEDICATIONS_CATEGORY()).to.equal(BigInt(ic.MEDICATIONS));
    });

    it("reverts when PatientConsent is not a contract", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const factory = await ic.ethers.getContractFactory("InsuranceClaim");
      await ic.expectRevert(
        factory.deploy(0n, s.admin.address, s.stranger.address, s.trace),
        s.claims,
        "InsuranceClaimNotAContract",
        s.stranger.address,
      );
    });

    it("reverts when DrugTrace is not a contract", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      const factory = await ic.ethers.getContractFactory("InsuranceClaim");
      await ic.expectRevert(
        factory.deploy(0n, s.admin.address, s.consent, ic.ethers.ZeroAddress),
        s.claims,
        "InsuranceClaimNotAContract",
        ic.ethers.ZeroAddress,
      );
    });
  });

  describe("views", function () {
    it("counts pools, plans, policies and claims", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      expect(await s.claims.counts()).to.deep.equal([1n, 2n, 2n, 1n]);
    });

    it("returns zero values for unknown ids", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      expect((await s.claims.poolOf(9n)).insurer).to.equal(ic.ethers.ZeroAddress);
      expect((await s.claims.planOf(9n)).poolId).to.equal(0n);
      expect((await s.claims.policyOf(9n)).patient).to.equal(ic.ethers.ZeroAddress);
      expect((await s.claims.claimOf(9n)).state).to.equal(ic.ClaimState.None);
      expect(await s.claims.claimStateOf(9n)).to.equal(ic.ClaimState.None);
    });
  });
});
