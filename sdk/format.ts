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

/**
 * A day for people, as pages and notices write it: `31 December 2027` (the UTC day, as expiries
 * and end dates are).
 */
export function formatDay(seconds: bigint | number): string {
  return new Date(Number(seconds) * 1000).toLocaleDateString("en-GB", {
    dateStyle: "long",
    timeZone: "UTC",
  });
}

/** A moment for people: `31 Dec 2027, 14:05 UTC` (always UTC, and saying so). */
export function formatMoment(seconds: bigint | number): string {
  const text = new Date(Number(seconds) * 1000).toLocaleString("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  });
  return `${text} UTC`;
}
