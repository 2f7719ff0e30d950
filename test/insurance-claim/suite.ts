import { expect } from "chai";

import { deployCareChain } from "../../support/fixtures/suite.js";
import * as ic from "../helpers/insurance-claim.js";
import { GAS_CEILINGS, gasOf } from "../helpers/gas.js";

const CEILING = GAS_CEILINGS.insuranceClaim;

/** Bit of purpose HPAYMT in PatientConsent's purposes mask. */
const HPAYMT_MASK = 1 << 2;
/** Bit of purpose TREAT. */
const TREAT_MASK = 1 << 0;

/**
 * The suite as users deploy it (CareChain module: InsuranceClaim wired to the real PatientConsent
 * and DrugTrace), with a funded pool, a plan without deductible and a policy for the patient.
 */
async function suiteFixture() {
  const suite = await deployCareChain(ic.connection);
  const { pharmacy: provider, insurer, adjuster, patient } = suite.accounts;
  const claims = suite.insuranceClaim;
  const consent = suite.patientConsent;
  const usdc = await ic.ethers.deployContract("MockERC20", ["USD Coin", "USDC", 6]);
  const asInsurer = claims.connect(insurer);
  await asInsurer.openPool(usdc);
  await usdc.mint(insurer.address, ic.usd(10_000));
  await usdc.connect(insurer).approve(claims, ic.usd(10_000));
  await asInsurer.fundPool(1n, ic.usd(10_000));
  await asInsurer.setAdjuster(1n, adjuster.address, true);
  await asInsurer.createPlan(1n, ic.usd(5_000), 0n, 2_000, ic.ethers.ZeroHash, ic.APPEAL_WINDOW);
  await asInsurer.setFees(1n, [ic.code("99213")], [ic.usd(120)]);
  const now = BigInt(await ic.networkHelpers.time.latest());
  // The patient's care relationship with the provider: treatment and billing in one grant.
  await consent
    .connect(patient)
    .grantConsent(
      patient.address,
      provider.address,
      TREAT_MASK | HPAYMT_MASK,
      0,
      now,
      now + 300n * ic.DAY,
    );
  const request = {
    policyId: 1n,
    patient: patient.address,
    serviceCode: ic.code("99213"),
    serviceDate: now - ic.DAY,
    billed: ic.usd(150),
    evidenceHash: ic.evidence("suite"),
  };
  return { claims, consent, usdc, provider, insurer, adjuster, patient, now, request };
}

type Suite = Awaited<ReturnType<typeof suiteFixture>>;

/** The patient consents to `grantee` for the purposes `purposeMask`, from now for 300 days. */
async function consentTo(s: Suite, grantee: string, purposeMask: number) {
  await s.consent
    .connect(s.patient)
    .grantConsent(s.patient.address, grantee, purposeMask, 0, s.now, s.now + 300n * ic.DAY);
}

/** The insurer opens policy 1 (plan 1) for the patient, from 30 days ago for 330 days. */
async function openPolicy(s: Suite) {
  await s.claims
    .connect(s.insurer)
    .createPolicy(1n, s.patient.address, s.now - 30n * ic.DAY, s.now + 300n * ic.DAY);
}

/** The provider submits the suite's request again, for the day before, with other evidence. */
function submitDayBefore(s: Suite, evidence: string) {
  return s.claims.connect(s.provider).submitClaim(
    {
      ...s.request,
      serviceDate: s.request.serviceDate - ic.DAY,
      evidenceHash: ic.evidence(evidence),
    },
    0n,
    [],
  );
}

/**
 * The patient revokes `grantee`'s consent; a new claim (for the day before, with evidence
 * `evidence`) then reverts with `error(patient, grantee)`.
 */
async function revokeThenRefused(s: Suite, grantee: string, error: string, evidence: string) {
  await s.consent.connect(s.patient).revokeConsent(s.patient.address, grantee);
  await ic.expectRevert(submitDayBefore(s, evidence), s.claims, error, s.patient.address, grantee);
}

describe("InsuranceClaim", function () {
  describe("with the real PatientConsent and DrugTrace", function () {
    it("asks PatientConsent: refused before the patient's payment consent and after its revocation", async function () {
      const s = await ic.loadFixture(suiteFixture);
      await openPolicy(s);
      await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, []))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
        .withArgs(s.patient.address, s.insurer.address);
      await consentTo(s, s.insurer.address, HPAYMT_MASK);
      await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, [])).to.emit(
        s.claims,
        "ClaimSubmitted",
      );
      await revokeThenRefused(
        s,
        s.insurer.address,
        "InsuranceClaimConsentMissing",
        "after revocation",
      );
    });

    it("meets the gas targets from policy to paid claim, consent check included (gas ceilings)", async function () {
      const s = await ic.loadFixture(suiteFixture);
      await consentTo(s, s.insurer.address, HPAYMT_MASK);
      const createPolicy = await gasOf(
        s.claims
          .connect(s.insurer)
          .createPolicy(1n, s.patient.address, s.now - 30n * ic.DAY, s.now + 300n * ic.DAY),
      );
      const submitClaim = await gasOf(s.claims.connect(s.provider).submitClaim(s.request, 0n, []));
      const approveClaim = await gasOf(s.claims.connect(s.adjuster).approveClaim(1n));
      const payClaim = await gasOf(s.claims.connect(s.insurer).payClaim(1n));
      expect(await s.usdc.balanceOf(s.provider.address)).to.equal(ic.usd(96));
      console.log(
        `      gas with the real PatientConsent: createPolicy ${createPolicy}, submitClaim ${submitClaim}, approveClaim ${approveClaim}, payClaim ${payClaim}, total ${createPolicy + submitClaim + approveClaim + payClaim}`,
      );
      expect(createPolicy).to.be.lte(CEILING.createPolicy);
      expect(submitClaim).to.be.lte(CEILING.submitClaim);
      expect(approveClaim).to.be.lte(CEILING.approveClaim);
      expect(payClaim).to.be.lte(CEILING.payClaim);
      expect(createPolicy + submitClaim + approveClaim + payClaim).to.be.lte(CEILING.lifecycle);
    });

    it("refuses a provider with the patient's treatment consent only, and honours a revocation for new claims only", async function () {
      const s = await ic.loadFixture(suiteFixture);
      await openPolicy(s);
      await consentTo(s, s.insurer.address, HPAYMT_MASK);
      // Treatment only: the provider may see the records, not bill the plan.
      await consentTo(s, s.provider.address, TREAT_MASK);
      await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, []))
        .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
        .withArgs(s.patient.address, s.provider.address);
      await consentTo(s, s.provider.address, TREAT_MASK | HPAYMT_MASK);
      await s.claims.connect(s.provider).submitClaim(s.request, 0n, []);
      // The patient ends the relationship: no new claim, but the care already given is still paid.
      await revokeThenRefused(
        s,
        s.provider.address,
        "InsuranceClaimProviderNotAuthorized",
        "later",
      );
      await s.claims.connect(s.adjuster).approveClaim(1n);
      await s.claims.connect(s.insurer).payClaim(1n);
      expect(await s.usdc.balanceOf(s.provider.address)).to.equal(ic.usd(96));
    });
  });
});
