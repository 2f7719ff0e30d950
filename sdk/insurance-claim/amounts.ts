import { InputError } from "../errors.js";

/** The most decimals an ERC-20 can sensibly have (10^77 < 2^256). */
const MAX_DECIMALS = 77;

function checkDecimals(decimals: number | bigint): number {
  const value = Number(decimals);
  if (!Number.isInteger(value) || value < 0 || value > MAX_DECIMALS) {
    throw new InputError(
      `token decimals must be a whole number from 0 to ${MAX_DECIMALS}, got ${String(decimals)}`,
    );
  }
  return value;
}

/**
 * Parses a token amount a person typed, in whole tokens with an optional decimal point, into base
 * units (`bigint`). No sign, exponent or thousands separator; at most `decimals` decimal places.
 *
 * @example
 * parseTokenAmount("12.50", 6); // 12_500_000n
 * parseTokenAmount("0.000001", 6); // 1n
 */
export function parseTokenAmount(text: string, decimals: number | bigint): bigint {
  const places = checkDecimals(decimals);
  const trimmed = text.trim();
  if (trimmed.includes(",")) {
    throw new InputError(
      `amount '${text}' has a comma: write it without thousands separators and with a dot for decimals, e.g. 1250.50`,
    );
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(trimmed);
  if (match === null || trimmed === "" || trimmed === ".") {
    throw new InputError(`amount '${text}' is not a number of tokens, e.g. 12.50`);
  }
  const whole = match[1] ?? "";
  const fraction = match[2] ?? "";
  if (fraction.length > places) {
    throw new InputError(
      `amount '${text}' has ${fraction.length} decimal places; the token has ${places}`,
    );
  }
  return (
    BigInt(whole === "" ? "0" : whole) * 10n ** BigInt(places) +
    BigInt(fraction.padEnd(places, "0") || "0")
  );
}

/** How `formatTokenAmount` writes an amount. */
export interface FormatTokenAmountOptions {
  /** Appended after a space, e.g. `USDC`. */
  symbol?: string;
  /** Decimal places always shown (trailing zeros beyond it are dropped); default 2, at most `decimals`. */
  minFractionDigits?: number;
  /** Thousands separators (`1,234.50`); default false so the output parses back. */
  grouping?: boolean;
}

/**
 * Formats base units as whole tokens with `decimals` decimal places, dropping trailing zeros beyond
 * `minFractionDigits` (default 2). Exact: no floating point.
 *
 * @example
 * formatTokenAmount(12_500_000n, 6); // "12.50"
 * formatTokenAmount(1_234_500_000n, 6, { symbol: "USDC", grouping: true }); // "1,234.50 USDC"
 */
export function formatTokenAmount(
  amount: bigint,
  decimals: number | bigint,
  options: FormatTokenAmountOptions = {},
): string {
  const places = checkDecimals(decimals);
  const negative = amount < 0n;
  const magnitude = negative ? -amount : amount;
  const unit = 10n ** BigInt(places);
  let whole = (magnitude / unit).toString();
  let fraction = places === 0 ? "" : (magnitude % unit).toString().padStart(places, "0");
  const keep = Math.min(options.minFractionDigits ?? 2, places);
  while (fraction.length > keep && fraction.endsWith("0")) fraction = fraction.slice(0, -1);
  if (options.grouping === true) whole = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const number = `${negative ? "-" : ""}${whole}${fraction === "" ? "" : `.${fraction}`}`;
  return options.symbol === undefined || options.symbol === ""
    ? number
    : `${number} ${options.symbol}`;
}
