import { InputError } from "../errors.js";

/**
 * Claim adjustment reason codes (a subset of X12 CARC numbers) an adjuster gives when denying a
 * claim, or an insurer when voiding one. The contract stores only the number; any code from 1 to 65535 is accepted.
 */
export const REASON_CODES: Readonly<Record<number, string>> = {
  4: "procedure code inconsistent with the modifier or a required modifier is missing",
  11: "diagnosis inconsistent with the procedure",
  16: "claim lacks information or has submission or billing errors",
  18: "exact duplicate claim or service",
  22: "care may be covered by another payer",
  26: "expenses incurred before coverage",
  27: "expenses incurred after coverage terminated",
  29: "time limit for filing has expired",
  50: "not deemed a medical necessity by the payer",
  96: "non-covered charge",
  97: "benefit included in the payment for another service",
  109: "claim not covered by this payer",
  119: "benefit maximum for this time period has been reached",
  197: "precertification or authorization absent",
  204: "service not covered under the patient's current benefit plan",
};

/**
 * Parses a denial reason typed by a person: a number (`50`), optionally prefixed `CARC`.
 *
 * @example
 * parseReasonCode("CARC 50"); // 50
 */
export function parseReasonCode(text: string): number {
  const match = /^(?:carc\s*)?(\d{1,5})$/i.exec(text.trim());
  const code = match === null ? NaN : Number(match[1]);
  if (!Number.isInteger(code) || code < 1 || code > 65_535) {
    throw new InputError(
      `reason '${text}' must be a claim adjustment reason code from 1 to 65535, e.g. 50 (${REASON_CODES[50] ?? ""})`,
    );
  }
  return code;
}

/**
 * A reason code's description, or `reason <n>` for codes not in the table.
 *
 * @example
 * describeReasonCode(96); // "non-covered charge"
 */
export function describeReasonCode(code: number | bigint): string {
  return REASON_CODES[Number(code)] ?? `reason ${code}`;
}
