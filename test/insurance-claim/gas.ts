import { expect } from "chai";

import * as ic from "../helpers/insurance-claim.js";
import { GAS_CEILINGS, gasOf } from "../helpers/gas.js";

const CEILING = GAS_CEILINGS.insuranceClaim;

describe("InsuranceClaim", function () {
  describe("gas ceilings", function () {
    it("stays within the targets on the hot paths", async function () {
      const s = await ic.loadFixture(ic.deployFixture);
      // A plan without deductible and a limit no claim here reaches, so every claim pays out.
      await s.claims
        .connect(s.insurer)
        .createPlan(s.poolId, ic.usd(1_000_000), 0n, 2_000, ic.ethers.ZeroHash, ic.APPEAL_WINDOW);
      await s.claims
        .connect(s.insurer)
        .setFees(2n, Object.keys(ic.FEES).map(ic.code), Object.values(ic.FEES));
      const createPolicy = await gasOf(
        s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end),
      );
      const policyId = (await s.claims.counts()).policies;
      const submitClaim = await gasOf(
        s.claims.connect(s.provider).submitClaim(ic.claimRequest(s, { policyId }), 0n, []),
      );
      const approveClaim = await gasOf(s.claims.connect(s.adjuster).approveClaim(1n));
      const payClaim = await gasOf(s.claims.connect(s.insurer).payClaim(1n));

      // 100 claims, each paid to a different provider that never held the token (the worst case).
      const providers = Array.from({ length: 100 }, () =>
        ic.ethers.Wallet.createRandom().connect(ic.ethers.provider),
      );
      const ids: bigint[] = [];
      for (const [i, wallet] of providers.entries()) {
        await ic.networkHelpers.setBalance(wallet.address, 10n ** 18n);
        await s.claims.grantRole(ic.ethers.id("PROVIDER_ROLE"), wallet.address);
        await s.consent.setAuthorization(s.patient.address, wallet.address, ic.HPAYMT, true, 0);
        await s.claims.connect(wallet).submitClaim(
          ic.claimRequest(s, {
            policyId,
            serviceCode: ic.code("80053"),
            evidenceHash: ic.evidence(`g${i}`),
          }),
          0n,
          [],
        );
        const claimId = (await s.claims.counts()).claims;
        await s.claims.connect(s.adjuster).approveClaim(claimId);
        ids.push(claimId);
      }
      const batch = await gasOf(s.claims.connect(s.insurer).payClaims(ids));
      for (const wallet of providers)
        expect(await s.usdc.balanceOf(wallet.address)).to.equal(ic.usd(36));
      const perClaim = batch / 100n;
      const lifecycle = createPolicy + submitClaim + approveClaim + payClaim;
      console.log(
        `      gas: createPolicy ${createPolicy}, submitClaim ${submitClaim}, approveClaim ${approveClaim}, payClaim ${payClaim}, policy->paid ${lifecycle}, payClaims per claim (100) ${perClaim}`,
      );
      expect(createPolicy).to.be.lte(CEILING.createPolicy);
      expect(submitClaim).to.be.lte(CEILING.submitClaim);
      expect(approveClaim).to.be.lte(CEILING.approveClaim);
      expect(payClaim).to.be.lte(CEILING.payClaim);
      expect(lifecycle).to.be.lte(CEILING.lifecycle);
      expect(perClaim).to.be.lte(CEILING.payClaimsPerClaimOf100);
    });

    it("voids an approved claim within 60k gas", async function () {
      const s = await ic.loadFixture(ic.approvedClaimFixture);
      const voidClaim = await gasOf(s.claims.connect(s.insurer).voidClaim(s.claimId, 16));
      console.log(`      gas: voidClaim ${voidClaim}`);
      expect(voidClaim).to.be.lte(CEILING.voidClaim);
    });
  });
});
