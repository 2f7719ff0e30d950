import { ZeroHash, id } from "ethers";
import type { Signer, TransactionReceipt } from "ethers";

import { encodeGs1Text } from "../../sdk/drug-trace/index.js";
import type { SerialProof } from "../../sdk/drug-trace/index.js";
import {
  DEFAULT_APPEAL_WINDOW,
  appealClaim,
  approveClaim,
  createPlan,
  createPolicy,
  denyClaim,
  drugServiceCode,
  encodeServiceCode,
  fundPool,
  openPool,
  payClaim,
  payClaims,
  setAdjuster,
  setFees,
  submitClaim,
  submitDrugClaim,
} from "../../sdk/insurance-claim/index.js";
import { PURPOSES, grantConsent } from "../../sdk/patient-consent/index.js";
import { describeFloor } from "../../support/bench/floor.js";
import { BENCH_GTIN } from "./drug-trace.js";
import { BENCH_CATEGORIES } from "./patient-consent.js";
import { entryOf, measureReceipt, ratioOf } from "./record.js";
import type { BenchEntry, Measured } from "./record.js";
import { BENCH_START, DAY, fundedWallets } from "./suite.js";
import type { BenchSuite } from "./suite.js";
import { TARGETS } from "./targets.js";
import { WRITES, payClaimsWrites } from "./writes.js";

/** A USDC amount (6 decimals) from whole dollars. */
export function usd(dollars: number): bigint {
  return BigInt(dollars) * 1_000_000n;
}

/** The insurer's pool and plan, ready for policies. */
export interface ClaimsSetup {
  readonly poolId: bigint;
  readonly planId: bigint;
  /** A clinic with PROVIDER_ROLE and a token balance already (a payee in steady state). */
  readonly clinic: Signer;
}

/** A patient enrolled with consent to the insurer, the clinic and the pharmacy for payment. */
export interface Enrollment {
  readonly patient: string;
  readonly policyId: bigint;
  readonly createPolicy: Measured;
  readonly grantConsent: TransactionReceipt;
}

/**
 * Opens and funds a USDC pool, appoints the adjuster, creates a plan (deductible $50, 20 %
 * coinsurance) with fees for office visit 99213 ($120) and the benchmark GTIN ($30), onboards a
 * clinic as provider; the clinic and the pharmacy already hold some USDC, as payees do.
 *
 * @example
 * const setup = await setUpClaims(suite, suite.account(15));
 */
export async function setUpClaims(suite: BenchSuite, clinic: Signer): Promise<ClaimsSetup> {
  const { insuranceClaim, usdc, insurer, adjuster, admin, pharmacy } = suite;
  const asInsurer = insuranceClaim.connect(insurer);
  const usdcAddress = await usdc.getAddress();
  await (await usdc.mint(await insurer.getAddress(), usd(10_000_000))).wait();
  const { poolId } = await openPool(asInsurer, usdcAddress);
  await fundPool(asInsurer, poolId, usd(10_000_000));
  await setAdjuster(asInsurer, poolId, await adjuster.getAddress(), true);
  const { planId } = await createPlan(asInsurer, {
    poolId,
    coverageLimit: usd(1_000_000),
    deductible: usd(50),
    coinsuranceBps: 2_000,
    feeScheduleRoot: ZeroHash,
    appealWindow: DEFAULT_APPEAL_WINDOW,
  });
  await setFees(asInsurer, planId, [
    { serviceCode: encodeServiceCode("99213"), allowedAmount: usd(120) },
    { serviceCode: drugServiceCode(BENCH_GTIN), allowedAmount: usd(30) },
  ]);
  const clinicAddress = await clinic.getAddress();
  await (
    await insuranceClaim
      .connect(admin)
      .grantRole(await insuranceClaim.PROVIDER_ROLE(), clinicAddress)
  ).wait();
  await (await usdc.mint(clinicAddress, 1n)).wait();
  await (await usdc.mint(await pharmacy.getAddress(), 1n)).wait();
  return { poolId, planId, clinic };
}

/**
 * Creates a policy for `patient` (measured), the patient's consent to the insurer for payment
 * and the care relationships: the clinic and the pharmacy may treat and bill (TREAT, HPAYMT).
 *
 * @example
 * const { policyId } = await enroll(suite, setup, suite.account(8));
 */
export async function enroll(
  suite: BenchSuite,
  setup: ClaimsSetup,
  patient: Signer,
): Promise<Enrollment> {
  const { connection, insuranceClaim, patientConsent, insurer } = suite;
  const patientAddress = await patient.getAddress();
  const created = await createPolicy(insuranceClaim.connect(insurer), {
    planId: setup.planId,
    patient: patientAddress,
    start: BENCH_START - 30n * DAY,
    end: BENCH_START + 335n * DAY,
  });
  const consent = await grantConsent(patientConsent.connect(patient), {
    patient: patientAddress,
    grantee: await insurer.getAddress(),
    purposes: 1 << PURPOSES.HPAYMT,
    categories: BENCH_CATEGORIES,
    start: BENCH_START - 30n * DAY,
    end: BENCH_START + 335n * DAY,
  });
  for (const provider of [setup.clinic, suite.pharmacy]) {
    await grantProvider(suite, patient, await provider.getAddress());
  }
  return {
    patient: patientAddress,
    policyId: created.policyId,
    createPolicy: await measureReceipt(connection, created.receipt, WRITES.createPolicy),
    grantConsent: consent.receipt,
  };
}

/**
 * The patient's consent that lets `provider` treat and bill them (TREAT, HPAYMT): what a patient
 * gives a provider once per care relationship, not per claim.
 */
export async function grantProvider(
  suite: BenchSuite,
  patient: Signer,
  provider: string,
): Promise<TransactionReceipt> {
  const patientAddress = await patient.getAddress();
  const { receipt } = await grantConsent(suite.patientConsent.connect(patient), {
    patient: patientAddress,
    grantee: provider,
    purposes: (1 << PURPOSES.TREAT) | (1 << PURPOSES.HPAYMT),
    categories: BENCH_CATEGORIES,
    start: BENCH_START - 30n * DAY,
    end: BENCH_START + 335n * DAY,
  });
  return receipt;
}

/** An office-visit claim (99213, billed $150) on an enrollment, by `provider`, on `serviceDate`. */
export async function submitVisit(
  suite: BenchSuite,
  enrollment: Enrollment,
  provider: Signer,
  label: string,
  serviceDate: bigint = BENCH_START,
): Promise<{ claimId: bigint; measured: Measured }> {
  const submitted = await submitClaim(suite.insuranceClaim.connect(provider), {
    policyId: enrollment.policyId,
    patient: enrollment.patient,
    serviceCode: encodeServiceCode("99213"),
    serviceDate,
    billed: usd(150),
    evidenceHash: id(`bench FHIR claim ${label}`),
  });
  return {
    claimId: submitted.claimId,
    measured: await measureReceipt(suite.connection, submitted.receipt, WRITES.submitClaim),
  };
}

/** A pharmacy claim (billed $40) for a unit of the million-unit batch the pharmacy dispensed. */
export async function submitDrugUnit(
  suite: BenchSuite,
  enrollment: Enrollment,
  lot: string,
  unit: SerialProof,
  firstOfWord: boolean,
): Promise<{ claimId: bigint; measured: Measured }> {
  const submitted = await submitDrugClaim(suite.insuranceClaim.connect(suite.pharmacy), {
    policyId: enrollment.policyId,
    patient: enrollment.patient,
    gtin: BENCH_GTIN,
    lot: encodeGs1Text(lot),
    unitIndex: unit.index,
    serviceDate: BENCH_START,
    billed: usd(40),
    evidenceHash: id(`bench FHIR drug claim ${unit.index}`),
  });
  return {
    claimId: submitted.claimId,
    measured: await measureReceipt(
      suite.connection,
      submitted.receipt,
      firstOfWord ? WRITES.submitDrugClaimFirst : WRITES.submitDrugClaim,
    ),
  };
}

/** Approves a claim as the pool's adjuster (measured). */
export async function approve(suite: BenchSuite, claimId: bigint): Promise<Measured> {
  const decision = await approveClaim(suite.insuranceClaim.connect(suite.adjuster), claimId);
  return measureReceipt(suite.connection, decision.receipt, WRITES.approveClaim);
}

/** Pays a claim as the pool's insurer (measured). */
export async function pay(suite: BenchSuite, claimId: bigint): Promise<Measured> {
  const paid = await payClaim(suite.insuranceClaim.connect(suite.insurer), claimId);
  if (paid.amount === 0n) throw new Error(`claim ${claimId} paid nothing: no transfer measured`);
  return measureReceipt(suite.connection, paid.receipt, WRITES.payClaim);
}

/**
 * The InsuranceClaim part: createPolicy, submitClaim, submitDrugClaim, approveClaim, payClaim,
 * payClaims of 1, 10 and 100 claims, and a policy's whole life to a paid claim.
 */
export async function benchInsuranceClaim(
  suite: BenchSuite,
  drug: { readonly lot: string; readonly units: readonly SerialProof[] },
  print: (line: string) => void,
): Promise<Record<string, BenchEntry>> {
  const { connection, insuranceClaim, usdc, admin, adjuster, insurer } = suite;
  const entries: Record<string, BenchEntry> = {};
  const setup = await setUpClaims(suite, suite.account(15));
  const enrollment = await enroll(suite, setup, suite.account(8));
  entries.createPolicy = entryOf(enrollment.createPolicy, { target: TARGETS.createPolicy });

  const visit = await submitVisit(suite, enrollment, setup.clinic, "visit");
  entries.submitClaim = entryOf(visit.measured, {
    target: TARGETS.submitClaim,
    notes:
      "Includes the consent checks: two calls to PatientConsent.isAuthorized (the insurer's consent: cold account and slot; the provider's: cold slot), the drug-namespace check of the code and the service's duplicate key (policy, provider, code, date).",
  });
  entries.approveClaim = entryOf(await approve(suite, visit.claimId), {
    target: TARGETS.approveClaim,
  });
  entries.payClaim = entryOf(await pay(suite, visit.claimId), {
    target: TARGETS.payClaim,
    notes:
      "An ERC-20 (OpenZeppelin) transfer to a payee that already holds the token; the call into the token (cold account 2,600) is outside the floor.",
  });

  // A denial (which fixes the appeal deadline) and the appeal, on another date of the same service.
  const denied = await submitVisit(suite, enrollment, setup.clinic, "denied", BENCH_START - DAY);
  const denial = await denyClaim(insuranceClaim.connect(adjuster), denied.claimId, 50);
  entries.denyClaim = entryOf(await measureReceipt(connection, denial.receipt, WRITES.denyClaim), {
    notes:
      "A first denial: writes the state and reason, and the appeal deadline (the plan's 180-day window from now) into the claim's decision slot, empty until then.",
  });
  const appealed = await appealClaim(
    insuranceClaim.connect(setup.clinic),
    denied.claimId,
    id("bench FHIR appeal"),
  );
  entries.appealClaim = entryOf(
    await measureReceipt(connection, appealed.receipt, WRITES.appealClaim),
    {
      notes: "The provider appeals within the window: reads the deadline, updates the state.",
    },
  );

  const [unitA, unitB] = drug.units;
  if (unitA === undefined || unitB === undefined) throw new Error("no dispensed units to claim");
  const drugFirst = await submitDrugUnit(suite, enrollment, drug.lot, unitA, true);
  entries["submitDrugClaim:first-of-word"] = entryOf(drugFirst.measured, {
    notes:
      "The first claimed unit of its 256-unit word. Calls PatientConsent.isAuthorized and DrugTrace.isDispensedBy.",
  });
  const drugShared = await submitDrugUnit(suite, enrollment, drug.lot, unitB, false);
  entries.submitDrugClaim = entryOf(drugShared.measured, {
    notes:
      "A unit whose 256-unit word already has a claimed unit (steady state). Calls PatientConsent.isAuthorized and DrugTrace.isDispensedBy. The issue sets no target of its own; submitClaim's is 130k.",
  });

  // payClaims: 1, 10 and 100 claims, each from a distinct provider that already holds the token.
  print("submitting and approving 111 claims from 111 providers for payClaims…");
  const providers = await fundedWallets(suite, "provider", 111);
  const providerRole = await insuranceClaim.PROVIDER_ROLE();
  const claimIds: bigint[] = [];
  for (const [i, provider] of providers.entries()) {
    await (await insuranceClaim.connect(admin).grantRole(providerRole, provider.address)).wait();
    await grantProvider(suite, suite.account(8), provider.address);
    await (await usdc.mint(provider.address, 1n)).wait();
    const { claimId } = await submitVisit(suite, enrollment, provider, `batch ${i}`);
    await (await insuranceClaim.connect(adjuster).approveClaim(claimId)).wait();
    claimIds.push(claimId);
  }
  let next = 0;
  for (const count of [1, 10, 100]) {
    const ids = claimIds.slice(next, next + count);
    next += count;
    const summary = await payClaims(insuranceClaim.connect(insurer), ids, { chunkSize: count });
    const [hash] = summary.transactions;
    const receipt =
      hash === undefined ? null : await connection.ethers.provider.getTransactionReceipt(hash);
    if (receipt === null || summary.paid.length !== count) {
      throw new Error(`payClaims of ${count} did not pay them all`);
    }
    const measured = await measureReceipt(connection, receipt, payClaimsWrites(count));
    const gas = Math.round(Number(measured.gas) / count);
    const floor = Math.round(Number(measured.floor.total) / count);
    entries[`payClaims:per-claim-of-${count}`] = {
      gas,
      floor,
      ratio: ratioOf(gas, floor),
      ...(count === 100
        ? { target: TARGETS.payClaimsPerClaimOf100, met: gas <= TARGETS.payClaimsPerClaimOf100 }
        : {}),
      floorExplained: `(${describeFloor(measured.floor, measured.writes)}) / ${count}`,
      claims: count,
      txGas: Number(measured.gas),
      txFloor: Number(measured.floor.total),
      calldataBytes: measured.floor.calldataBytes,
      notes: "Every claim pays a different provider that already holds the token.",
    };
  }

  // A policy's life: enrol (policy and consent), a claim submitted, approved and paid. The
  // patient's grant to the clinic (TREAT, HPAYMT) is the care relationship, made once per
  // provider before any claim and reused by every policy: measured apart, not in the five steps.
  const life = await enroll(suite, setup, suite.account(16));
  const providerGrant = await measureReceipt(
    connection,
    await grantProvider(suite, suite.account(17), await setup.clinic.getAddress()),
    [{ change: "set", what: "the consent (one packed slot)" }],
  );
  const consent = await measureReceipt(connection, life.grantConsent, [
    { change: "set", what: "the consent (one packed slot)" },
  ]);
  const lifeVisit = await submitVisit(suite, life, setup.clinic, "life");
  const steps: [string, Measured][] = [
    ["createPolicy", life.createPolicy],
    ["grantConsent", consent],
    ["submitClaim", lifeVisit.measured],
    ["approveClaim", await approve(suite, lifeVisit.claimId)],
    ["payClaim", await pay(suite, lifeVisit.claimId)],
  ];
  const gas = steps.reduce((sum, [, m]) => sum + Number(m.gas), 0);
  const floor = steps.reduce((sum, [, m]) => sum + Number(m.floor.total), 0);
  entries["lifecycle:policy-to-paid"] = {
    gas,
    floor,
    ratio: ratioOf(gas, floor),
    target: TARGETS.lifecycle,
    met: gas <= TARGETS.lifecycle,
    floorExplained: `the sum of its five transactions' floors (${steps
      .map(([name, m]) => `${name} ${Number(m.floor.total).toLocaleString("en")}`)
      .join(" + ")})`,
    steps: Object.fromEntries(
      steps.map(([name, m]) => [name, { gas: Number(m.gas), floor: Number(m.floor.total) }]),
    ),
    notes: `createPolicy + the patient's grantConsent to the insurer (HPAYMT) + submitClaim + approveClaim + payClaim, five transactions. The patient's grant to the provider (TREAT, HPAYMT: the care relationship, once per provider, not per policy or claim) is not one of them; it costs ${Number(providerGrant.gas).toLocaleString("en")} more. Issue 11 ceiling: 420,000. Etherisc GIF v2: 2.33M.`,
  };
  return entries;
}
