import { InputError } from "../errors.js";

/** Basis points in 100%. */
export const BPS = 10_000n;

/** The largest claim or plan amount the contract stores (`uint96`). */
export const MAX_AMOUNT = (1n << 96n) - 1n;

/** The explanation of benefits: how a billed amount becomes a payout (all in token base units). */
export interface ExplanationOfBenefits {
  /** What the provider billed. */
  billed: bigint;
  /** min(billed, fee schedule amount). */
  allowed: bigint;
  /** The part of `allowed` the patient pays towards the deductible. */
  deductibleApplied: bigint;
  /** The patient's share after the deductible: floor((allowed − deductibleApplied) × bps / 10,000). */
  coinsurance: bigint;
  /** What the pool pays: min(allowed − deductibleApplied − coinsurance, remaining coverage). */
  payout: bigint;
}

/** What adjudication needs to know about a claim and its policy. */
export interface AdjudicationInput {
  billed: bigint;
  /** The fee schedule's allowed amount for the service. */
  scheduleAmount: bigint;
  /** The policy's deductible not yet met. */
  deductibleRemaining: bigint;
  /** The patient's share after the deductible, in basis points (0 to 10,000). */
  coinsuranceBps: bigint | number;
  /** The policy's coverage not yet used. */
  coverageRemaining: bigint;
}

function checkAmount(name: string, value: bigint): void {
  if (value < 0n || value > MAX_AMOUNT) {
    throw new InputError(`${name} must be between 0 and 2^96 - 1 base units, got ${value}`);
  }
}

function checkBps(value: bigint | number): bigint {
  const bps = BigInt(value);
  if (bps < 0n || bps > BPS) {
    throw new InputError(`coinsurance must be between 0 and 10000 basis points, got ${bps}`);
  }
  return bps;
}

/**
 * The patient's coinsurance on the amount left after the deductible, rounded down (in the
 * patient's favour), exactly as the contract's `Adjudication.coinsuranceOf`.
 *
 * @example
 * coinsuranceOf(100_000_001n, 2_000); // 20_000_000n (20% rounded down)
 */
export function coinsuranceOf(afterDeductible: bigint, coinsuranceBps: bigint | number): bigint {
  return (afterDeductible * checkBps(coinsuranceBps)) / BPS;
}

/**
 * Adjudicates a claim exactly as the contract does (`adjudicate`, `quote`, `approveClaim`):
 * allowed = min(billed, schedule); the patient pays the remaining deductible first, then
 * coinsurance (rounded down) on the rest; the payout is capped by the remaining coverage.
 *
 * @example
 * adjudicate({ billed: 150n, scheduleAmount: 120n, deductibleRemaining: 50n, coinsuranceBps: 2_000, coverageRemaining: 1_000n });
 * // { billed: 150n, allowed: 120n, deductibleApplied: 50n, coinsurance: 14n, payout: 56n }
 */
export function adjudicate(input: AdjudicationInput): ExplanationOfBenefits {
  checkAmount("billed", input.billed);
  checkAmount("scheduleAmount", input.scheduleAmount);
  checkAmount("deductibleRemaining", input.deductibleRemaining);
  checkAmount("coverageRemaining", input.coverageRemaining);
  const bps = checkBps(input.coinsuranceBps);
  const allowed = input.billed < input.scheduleAmount ? input.billed : input.scheduleAmount;
  const deductibleApplied =
    allowed < input.deductibleRemaining ? allowed : input.deductibleRemaining;
  const afterDeductible = allowed - deductibleApplied;
  const coinsurance = (afterDeductible * bps) / BPS;
  const share = afterDeductible - coinsurance;
  const payout = share < input.coverageRemaining ? share : input.coverageRemaining;
  return { billed: input.billed, allowed, deductibleApplied, coinsurance, payout };
}

/**
 * What the patient may owe the provider for an adjudicated claim: the allowed amount minus the
 * payout (deductible, coinsurance and anything above the coverage limit).
 *
 * @example
 * patientResponsibility(eob); // eob.allowed - eob.payout
 */
export function patientResponsibility(eob: ExplanationOfBenefits): bigint {
  return eob.allowed - eob.payout;
}

/**
 * The part of the allowed amount above the remaining coverage (after deductible and
 * coinsurance), which the patient owes because the policy's limit was reached.
 *
 * @example
 * overCoverageLimit(eob); // allowed - deductible - coinsurance - payout
 */
export function overCoverageLimit(eob: ExplanationOfBenefits): bigint {
  return eob.allowed - eob.deductibleApplied - eob.coinsurance - eob.payout;
}
