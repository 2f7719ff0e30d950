/*
 * Plain-text formatting for people, shared by tasks, scripts, services and pages: no terminal,
 * no colour, no I/O.
 */

/** Formats gas for people: `54,372 gas`. */
export function formatGas(gas: bigint): string {
  return `${formatNumber(gas)} gas`;
}

/** Groups a whole number's digits for people, e.g. 1234567 → `1,234,567`. */
export function formatNumber(value: bigint | number): string {
  return BigInt(value).toLocaleString("en-US");
}

/** Formats a unix timestamp (seconds) as an ISO-8601 UTC date-time. */
export function formatTimestamp(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
}
