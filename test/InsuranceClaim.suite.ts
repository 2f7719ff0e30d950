import { expect } from "chai";
import { network } from "hardhat";

import { deployCareChain } from "./fixtures/suite.js";
import { expectLifecycleWithinCeilings } from "./fixtures/gas-ceilings.js";
import { APPEAL_WINDOW, DAY, code, evidence, usd } from "./fixtures/insurance-claim.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;
const loadFixture = networkHelpers.loadFixture.bind(networkHelpers);

/** Bit of purpose HPAYMT in PatientConsent's purposes mask. */
const HPAYMT_MASK = 1 << 2;
/** Bit of purpose TREAT. */
const TREAT_MASK = 1 << 0;

/**
 * The suite as users deploy it (CareChain module: InsuranceClaim wired to the real PatientConsent
 * and DrugTrace), with a funded pool, a plan without deductible and a policy for the patient.
 */
async function suiteFixture() {
  const suite = await deployCareChain(connection);
  const { pharmacy: provider, insurer, adjuster, patient } = suite.accounts;
  const claims = suite.insuranceClaim;
  const consent = suite.patientConsent;
  const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC", 6]);
  const asInsurer = claims.connect(insurer);
  await asInsurer.openPool(usdc);
  await usdc.mint(insurer.address, usd(10_000));
  await usdc.connect(insurer).approve(claims, usd(10_000));
  await asInsurer.fundPool(1n, usd(10_000));
  await asInsurer.setAdjuster(1n, adjuster.address, true);
  await asInsurer.createPlan(1n, usd(5_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
  await asInsurer.setFees(1n, [code("99213")], [usd(120)]);
  const now = BigInt(await networkHelpers.time.latest());
  // The patient's care relationship with the provider: treatment and billing in one grant.
  await consent
    .connect(patient)
    .grantConsent(
      patient.address,
      provider.address,
      TREAT_MASK | HPAYMT_MASK,
      0,
      now,
      now + 300n * DAY,
    );
  const request = {
    policyId: 1n,
    patient: patient.address,
    serviceCode: code("99213"),
    serviceDate: now - DAY,
    billed: usd(150),
    evidenceHash: evidence("suite"),
  };
  return { claims, consent, usdc, provider, insurer, adjuster, patient, now, request };
}

describe("InsuranceClaim with the real PatientConsent and DrugTrace", function () {
  it("asks PatientConsent: refused before the patient's payment consent and after its revocation", async function () {
    const s = await loadFixture(suiteFixture);
    await s.claims
      .connect(s.insurer)
      .createPolicy(1n, s.patient.address, s.now - 30n * DAY, s.now + 300n * DAY);
    await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, []))
      .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
      .withArgs(s.patient.address, s.insurer.address);
    await s.consent
      .connect(s.patient)
      .grantConsent(
        s.patient.address,
        s.insurer.address,
        HPAYMT_MASK,
        0,
        s.now,
        s.now + 300n * DAY,
      );
    await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, [])).to.emit(
      s.claims,
      "ClaimSubmitted",
    );
    await s.consent.connect(s.patient).revokeConsent(s.patient.address, s.insurer.address);
    await expect(
      s.claims.connect(s.provider).submitClaim(
        {
          ...s.request,
          serviceDate: s.request.serviceDate - DAY,
          evidenceHash: evidence("after revocation"),
        },
        0n,
        [],
      ),
    )
      .to.be.revertedWithCustomError(s.claims, "InsuranceClaimConsentMissing")
      .withArgs(s.patient.address, s.insurer.address);
  });

  it("meets the gas targets from policy to paid claim, consent check included (gas ceilings)", async function () {
    const s = await loadFixture(suiteFixture);
    await s.consent
      .connect(s.patient)
      .grantConsent(
        s.patient.address,
        s.insurer.address,
        HPAYMT_MASK,
        0,
        s.now,
        s.now + 300n * DAY,
      );
    const gasOf = async (tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>) =>
      (await (await tx).wait())?.gasUsed ?? 0n;
    const createPolicy = await gasOf(
      s.claims
        .connect(s.insurer)
        .createPolicy(1n, s.patient.address, s.now - 30n * DAY, s.now + 300n * DAY),
    );
    const submitClaim = await gasOf(s.claims.connect(s.provider).submitClaim(s.request, 0n, []));
    const approveClaim = await gasOf(s.claims.connect(s.adjuster).approveClaim(1n));
    const payClaim = await gasOf(s.claims.connect(s.insurer).payClaim(1n));
    expect(await s.usdc.balanceOf(s.provider.address)).to.equal(usd(96));
    console.log(
      `      gas with the real PatientConsent: createPolicy ${createPolicy}, submitClaim ${submitClaim}, approveClaim ${approveClaim}, payClaim ${payClaim}, total ${createPolicy + submitClaim + approveClaim + payClaim}`,
    );
    expectLifecycleWithinCeilings({ createPolicy, submitClaim, approveClaim, payClaim });
  });

  it("refuses a provider with the patient's treatment consent only, and honours a revocation for new claims only", async function () {
    const s = await loadFixture(suiteFixture);
    await s.claims
      .connect(s.insurer)
      .createPolicy(1n, s.patient.address, s.now - 30n * DAY, s.now + 300n * DAY);
    await s.consent
      .connect(s.patient)
      .grantConsent(
        s.patient.address,
        s.insurer.address,
        HPAYMT_MASK,
        0,
        s.now,
        s.now + 300n * DAY,
      );
    // Treatment only: the provider may see the records, not bill the plan.
    await s.consent
      .connect(s.patient)
      .grantConsent(
        s.patient.address,
        s.provider.address,
        TREAT_MASK,
        0,
        s.now,
        s.now + 300n * DAY,
      );
    await expect(s.claims.connect(s.provider).submitClaim(s.request, 0n, []))
      .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
      .withArgs(s.patient.address, s.provider.address);
    await s.consent
      .connect(s.patient)
      .grantConsent(
        s.patient.address,
        s.provider.address,
        TREAT_MASK | HPAYMT_MASK,
        0,
        s.now,
        s.now + 300n * DAY,
      );
    await s.claims.connect(s.provider).submitClaim(s.request, 0n, []);
    // The patient ends the relationship: no new claim, but the care already given is still paid.
    await s.consent.connect(s.patient).revokeConsent(s.patient.address, s.provider.address);
    await expect(
      s.claims.connect(s.provider).submitClaim(
        {
          ...s.request,
          serviceDate: s.request.serviceDate - DAY,
          evidenceHash: evidence("later"),
        },
        0n,
        [],
      ),
    )
      .to.be.revertedWithCustomError(s.claims, "InsuranceClaimProviderNotAuthorized")
      .withArgs(s.patient.address, s.provider.address);
    await s.claims.connect(s.adjuster).approveClaim(1n);
    await s.claims.connect(s.insurer).payClaim(1n);
    expect(await s.usdc.balanceOf(s.provider.address)).to.equal(usd(96));
  });
});
