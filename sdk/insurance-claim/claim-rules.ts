/**
 * The claim rules of issue 11, mirrored from InsuranceClaim so that tasks, scripts and pages can
 * refuse bad input with a clear line before sending anything: the drug namespace of service codes,
 * the plan's appeal window and when a service may be claimed again.
 */
import { InputError } from "../errors.js";

/** Seconds in a day. */
export const SECONDS_PER_DAY = 86_400n;

/** The appeal window `claims plan` and `createPlan` use unless told otherwise: 180 days (US rule). */
export const DEFAULT_APPEAL_WINDOW = 180n * SECONDS_PER_DAY;

/** The shortest appeal window a plan may state (the contract's bound): 30 days. */
export const MIN_APPEAL_WINDOW = 30n * SECONDS_PER_DAY;

/** The longest appeal window a plan may state (the contract's bound): 365 days. */
export const MAX_APPEAL_WINDOW = 365n * SECONDS_PER_DAY;

/**
 * Whether a `bytes32` service code is in the drug namespace: exactly 14 ASCII digits (a GTIN-14,
 * see `drugServiceCode`), left-aligned, the rest zero bytes. The contract's `submitClaim` refuses
 * such codes (`InsuranceClaimDrugCodeNeedsDrugClaim`): a drug is billed with `submitDrugClaim`.
 *
 * @example
 * isDrugServiceCode(drugServiceCode(9506000134352n)); // true
 * isDrugServiceCode(encodeServiceCode("99213")); // false
 */
export function isDrugServiceCode(serviceCode: string): boolean {
  if (!/^0x[0-9a-fA-F]{64}$/.test(serviceCode)) {
    throw new InputError(`service code '${serviceCode}' must be a 0x-prefixed 32-byte hex value`);
  }
  const hex = serviceCode.slice(2);
  // 14 bytes each 0x30-0x39 ('0'-'9'), then 18 zero bytes.
  return /^(3[0-9]){14}(00){18}$/.test(hex);
}

/**
 * Checks a plan's appeal window (seconds) against the contract's bounds and returns it.
 *
 * @example
 * checkAppealWindow(180n * 86_400n); // 15552000n
 */
export function checkAppealWindow(appealWindow: bigint): bigint {
  if (appealWindow < MIN_APPEAL_WINDOW || appealWindow > MAX_APPEAL_WINDOW) {
    throw new InputError(
      `the appeal window must be from ${MIN_APPEAL_WINDOW / SECONDS_PER_DAY} to ${MAX_APPEAL_WINDOW / SECONDS_PER_DAY} days, got ${formatDays(appealWindow)}`,
    );
  }
  return appealWindow;
}

/**
 * Parses an appeal window given in whole days (what `claims plan --appeal-days` takes).
 *
 * @example
 * parseAppealDays("180", "--appeal-days"); // 15552000n
 */
export function parseAppealDays(text: string, flag: string): bigint {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) {
    throw new InputError(`${flag} must be a whole number of days (30 to 365), got '${text}'`);
  }
  try {
    return checkAppealWindow(BigInt(trimmed) * SECONDS_PER_DAY);
  } catch (error) {
    throw new InputError(`${flag}: ${(error as Error).message}`);
  }
}

/**
 * The last second a denial made at `deniedAt` may be appealed under a plan's `appealWindow`
 * (the contract records it as the claim's `appealDeadline`).
 *
 * @example
 * appealDeadlineOf(1_750_000_000n, DEFAULT_APPEAL_WINDOW); // 1765552000n
 */
export function appealDeadlineOf(deniedAt: bigint, appealWindow: bigint): bigint {
  return deniedAt + appealWindow;
}

/**
 * Whether a claim in `state` with `appealDeadline` is finally refused at `now` (unix seconds):
 * FinalDenied, Voided, or Denied with its appeal window closed. Only then may the same service
 * (policy, provider, code, date) be claimed again.
 *
 * @example
 * isFinallyRefused("Denied", 1_765_552_000n, 1_765_552_001n); // true
 */
export function isFinallyRefused(state: string, appealDeadline: bigint, now: bigint): boolean {
  return (
    state === "FinalDenied" || state === "Voided" || (state === "Denied" && now > appealDeadline)
  );
}

function formatDays(seconds: bigint): string {
  return seconds % SECONDS_PER_DAY === 0n
    ? `${seconds / SECONDS_PER_DAY} days`
    : `${seconds} seconds`;
}
