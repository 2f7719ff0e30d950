import { AbiCoder, decodeBytes32String, encodeBytes32String, isHexString, keccak256 } from "ethers";

import { InputError } from "../errors.js";

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                    GTIN (GS1 AI 01)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The largest GTIN-14 as a number: fourteen nines. The contract stores GTINs as `uint64`. */
const MAX_GTIN = 99_999_999_999_999n;

/**
 * The GS1 mod-10 check digit of the data digits of a GTIN (13 for a GTIN-14; shorter GTINs
 * give the same digit, since weights run 3, 1, 3, … from the rightmost data digit).
 *
 * @example
 * gtinCheckDigit("0950600013435"); // 2
 */
export function gtinCheckDigit(first13: string): number {
  if (!/^\d{1,17}$/.test(first13)) {
    throw new InputError(`GTIN data digits "${first13}" must be 1 to 17 digits`);
  }
  let sum = 0;
  for (let i = first13.length - 1, weight = 3; i >= 0; i--, weight = 4 - weight) {
    sum += (first13.charCodeAt(i) - 48) * weight;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * Checks a GTIN-8, -12, -13 or -14 (digits only) and returns it as a 14-digit GTIN.
 *
 * @throws InputError naming what is wrong, e.g.
 *   "GTIN 09506000134353 has a bad check digit: expected 2, found 3".
 * @example
 * validateGtin("9506000134352"); // "09506000134352"
 */
export function validateGtin(input: string): string {
  if (!/^\d+$/.test(input)) {
    throw new InputError(`GTIN "${input}" must contain digits only`);
  }
  if (![8, 12, 13, 14].includes(input.length)) {
    throw new InputError(`GTIN ${input} has ${input.length} digits; expected 8, 12, 13 or 14`);
  }
  const expected = gtinCheckDigit(input.slice(0, -1));
  const found = Number(input.slice(-1));
  if (expected !== found) {
    throw new InputError(
      `GTIN ${input} has a bad check digit: expected ${expected}, found ${found}`,
    );
  }
  return input.padStart(14, "0");
}

/**
 * A GTIN as the contract's `uint64` (after validation).
 *
 * @example
 * gtinToUint("09506000134352"); // 9506000134352n
 */
export function gtinToUint(gtin: string): bigint {
  return BigInt(validateGtin(gtin));
}

/**
 * The 14-digit GTIN of an on-chain `uint64`; throws when it is out of range or its check
 * digit is wrong.
 *
 * @example
 * formatGtin(9506000134352n); // "09506000134352"
 */
export function formatGtin(value: bigint): string {
  if (value <= 0n || value > MAX_GTIN) {
    throw new InputError(`GTIN value ${value.toString()} is not a 1 to 14 digit number`);
  }
  return validateGtin(value.toString().padStart(14, "0"));
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   GS1 Company Prefix
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The shortest GS1 Company Prefix the registry binds (GS1 General Specifications). */
export const MIN_COMPANY_PREFIX_LENGTH = 6;

/** The longest GS1 Company Prefix. */
export const MAX_COMPANY_PREFIX_LENGTH = 12;

/**
 * A GS1 Company Prefix: its digits as text (leading zeros matter) and as the contract takes them,
 * a number and a length.
 */
export interface CompanyPrefix {
  /** The digits, e.g. "0614141". */
  readonly digits: string;
  /** The digits as a number, e.g. 614141n. */
  readonly value: bigint;
  /** The number of digits, 6 to 12. */
  readonly length: number;
}

/**
 * Checks a GS1 Company Prefix as a person types it: 6 to 12 digits.
 *
 * @throws InputError naming the problem, e.g. `company prefix "06141A1" must contain digits only`
 *   or `company prefix 06141 has 5 digits; a GS1 Company Prefix has 6 to 12`.
 * @example
 * parseCompanyPrefix("0614141"); // { digits: "0614141", value: 614141n, length: 7 }
 */
export function parseCompanyPrefix(input: string): CompanyPrefix {
  const digits = input.trim();
  if (!/^\d+$/.test(digits)) {
    throw new InputError(`company prefix "${digits}" must contain digits only`);
  }
  if (digits.length < MIN_COMPANY_PREFIX_LENGTH || digits.length > MAX_COMPANY_PREFIX_LENGTH) {
    throw new InputError(
      `company prefix ${digits} has ${digits.length} digits; a GS1 Company Prefix has ${MIN_COMPANY_PREFIX_LENGTH} to ${MAX_COMPANY_PREFIX_LENGTH}`,
    );
  }
  return { digits, value: BigInt(digits), length: digits.length };
}

/**
 * The company prefix as the contract returns it (number and length), as digits.
 *
 * @example
 * companyPrefixOf(614141n, 7).digits; // "0614141"
 */
export function companyPrefixOf(value: bigint, length: number): CompanyPrefix {
  return parseCompanyPrefix(value.toString().padStart(length, "0"));
}

/**
 * The `length`-digit company prefix a GTIN would fall under: the digits after the GTIN-14's
 * indicator digit (the contract's rule in `registerBatch`).
 *
 * @example
 * gtinCompanyPrefix(9506000134352n, 7).digits; // "9506000"
 */
export function gtinCompanyPrefix(gtin: bigint, length: number): CompanyPrefix {
  return parseCompanyPrefix(formatGtin(gtin).slice(1, 1 + length));
}

/**
 * Whether a GTIN falls under a company prefix.
 *
 * @example
 * gtinHasCompanyPrefix(9506000134352n, parseCompanyPrefix("9506000")); // true
 */
export function gtinHasCompanyPrefix(gtin: bigint, prefix: CompanyPrefix): boolean {
  return formatGtin(gtin).slice(1, 1 + prefix.length) === prefix.digits;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                        GS1 AI 82 text (lot AI 10, serial AI 21)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The GS1 AI encodable character set 82 (GS1 General Specifications, figure 7.11-1). */
const AI82 = /^[!"%-?A-Z_a-z]*$/;

/** The longest lot (AI 10) or serial (AI 21) GS1 allows, and what fits a `bytes32`. */
export const MAX_GS1_TEXT_LENGTH = 20;

/**
 * Why `text` is not a valid lot or serial (GS1 AI 82 characters, 1 to 20 of them), or
 * `undefined` when it is. `what` names the field in the message, e.g. `serial "SN 1"`.
 *
 * @example
 * describeGs1TextProblem("SN#1", "serial");
 * // `serial "SN#1" contains '#', which is not in the GS1 AI 82 character set`
 */
export function describeGs1TextProblem(text: string, what: string): string | undefined {
  if (text.length === 0) return `${what} is empty`;
  if (!AI82.test(text)) {
    const bad = /[^!"%-?A-Z_a-z]/u.exec(text)?.[0] ?? "";
    const shown = /^[\x21-\x7e]$/.test(bad)
      ? `'${bad}'`
      : `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    return `${what} ${JSON.stringify(text)} contains ${shown}, which is not in the GS1 AI 82 character set`;
  }
  if (text.length > MAX_GS1_TEXT_LENGTH) {
    return `${what} ${JSON.stringify(text)} is ${text.length} characters long; GS1 allows at most ${MAX_GS1_TEXT_LENGTH}`;
  }
  return undefined;
}

function checkGs1Text(text: string, what: string): string {
  const problem = describeGs1TextProblem(text, what);
  if (problem !== undefined) throw new InputError(problem);
  return text;
}

/**
 * A lot or serial as the contract's `bytes32`: left-aligned, zero-padded ASCII
 * (`encodeBytes32String`), after checking it is 1 to 20 GS1 AI 82 characters.
 *
 * @example
 * encodeGs1Text("ABC123"); // "0x4142433132330000…"
 */
export function encodeGs1Text(text: string): string {
  return encodeBytes32String(checkGs1Text(text, "lot or serial"));
}

/**
 * The lot or serial a `bytes32` carries; throws when it is not a valid GS1 AI 82 text.
 *
 * @example
 * decodeGs1Text(encodeGs1Text("SN0001")); // "SN0001"
 */
export function decodeGs1Text(bytes32: string): string {
  if (!isHexString(bytes32, 32)) {
    throw new InputError(`${bytes32} is not a bytes32 hex string`);
  }
  let text: string;
  try {
    text = decodeBytes32String(bytes32);
  } catch {
    throw new InputError(`${bytes32} is not a zero-terminated text`);
  }
  return checkGs1Text(text, `bytes32 ${bytes32} decodes to`);
}

/**
 * The contract's batch id: `keccak256(abi.encode(uint64 gtin, bytes32 lot))`.
 *
 * @example
 * batchIdOf(9506000134352n, "ABC123");
 */
export function batchIdOf(gtin: bigint, lot: string): string {
  formatGtin(gtin);
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(["uint64", "bytes32"], [gtin, encodeGs1Text(lot)]),
  );
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                  Expiry (GS1 AI 17)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The expiry date of a GS1 AI 17 `YYMMDD`, as the last second of that day in UTC
 * (23:59:59): a pack is usable through its expiry date. `DD` = `00` means the last day of the
 * month. The century follows the GS1 General Specifications (section 7.12): the year is taken
 * within −49…+50 years of the current year (`now`), so in 2026 "76" is 2076 and "77" is 1977.
 *
 * @example
 * parseExpiry("240200").toISOString(); // "2024-02-29T23:59:59.000Z"
 */
export function parseExpiry(yymmdd: string, now: Date = new Date()): Date {
  const match = /^(\d\d)(\d\d)(\d\d)$/.exec(yymmdd);
  if (match === null) {
    throw new InputError(`expiry "${yymmdd}" must be six digits YYMMDD`);
  }
  const yy = Number(match[1]);
  const mm = Number(match[2]);
  const dd = Number(match[3]);
  const currentYear = now.getUTCFullYear();
  const currentYy = currentYear % 100;
  let century = currentYear - currentYy;
  const diff = yy - currentYy;
  if (diff >= 51) century -= 100;
  else if (diff <= -50) century += 100;
  const year = century + yy;
  if (mm < 1 || mm > 12) {
    throw new InputError(`expiry ${yymmdd} has month ${match[2] ?? ""}; expected 01 to 12`);
  }
  const lastDay = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  if (dd > lastDay) {
    throw new InputError(
      `expiry ${yymmdd} has day ${match[3] ?? ""}; ${year}-${match[2] ?? ""} has ${lastDay} days (00 means the last day)`,
    );
  }
  return new Date(Date.UTC(year, mm - 1, dd === 0 ? lastDay : dd, 23, 59, 59));
}

/**
 * The on-chain expiry (`uint48` unix seconds) of a GS1 `YYMMDD`: the end of that day in UTC.
 *
 * @example
 * expiryToTimestamp("271231"); // 1830297599n (2027-12-31T23:59:59Z)
 */
export function expiryToTimestamp(yymmdd: string, now: Date = new Date()): bigint {
  return BigInt(parseExpiry(yymmdd, now).getTime() / 1000);
}

/**
 * The `YYMMDD` of an on-chain expiry (the UTC day it falls in). A day-00 expiry comes back
 * as the actual last day of the month, e.g. "270200" → "270228".
 *
 * @example
 * formatExpiry(1830297599n); // "271231"
 */
export function formatExpiry(timestamp: bigint): string {
  if (timestamp < 0n || timestamp >= 1n << 48n) {
    throw new InputError(`expiry timestamp ${timestamp.toString()} is not a uint48`);
  }
  const date = new Date(Number(timestamp) * 1000);
  const two = (n: number): string => String(n % 100).padStart(2, "0");
  return two(date.getUTCFullYear()) + two(date.getUTCMonth() + 1) + two(date.getUTCDate());
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                      Pack codes: Digital Link URIs and element strings
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** What a pack's 2D code carries: GTIN-14, lot (AI 10), serial (AI 21), expiry (AI 17). */
export interface PackCode {
  /** 14-digit GTIN, check digit validated. */
  gtin: string;
  lot: string;
  serial: string;
  /** `YYMMDD` as printed (day 00 kept); absent when the code does not carry AI 17. */
  expiry?: string;
}

/**
 * Lengths of the Application Identifiers a pharma pack may carry, needed to split an
 * unbracketed scanner string: `fixed` data lengths need no separator, `max` ones end at a GS
 * (FNC1) or the end of the string. AIs outside this table are refused in raw strings (their
 * length is unknown) and ignored in bracketed strings and Digital Link URIs.
 */
const AI_LENGTHS: Readonly<Record<string, { fixed?: number; max?: number }>> = {
  "00": { fixed: 18 },
  "01": { fixed: 14 },
  "02": { fixed: 14 },
  "10": { max: 20 },
  "11": { fixed: 6 },
  "12": { fixed: 6 },
  "13": { fixed: 6 },
  "15": { fixed: 6 },
  "16": { fixed: 6 },
  "17": { fixed: 6 },
  "20": { fixed: 2 },
  "21": { max: 20 },
  "22": { max: 20 },
  "30": { max: 8 },
  "37": { max: 8 },
  "240": { max: 30 },
  "241": { max: 30 },
  "710": { max: 20 },
  "711": { max: 20 },
  "712": { max: 20 },
  "713": { max: 20 },
  "714": { max: 20 },
  "715": { max: 20 },
  "7003": { fixed: 10 },
  "7240": { max: 20 },
  "91": { max: 90 },
  "92": { max: 90 },
  "93": { max: 90 },
  "94": { max: 90 },
  "95": { max: 90 },
  "96": { max: 90 },
  "97": { max: 90 },
  "98": { max: 90 },
  "99": { max: 90 },
};

/** Digital Link's deprecated convenience alphas, still found on printed packs. */
const DIGITAL_LINK_ALPHAS: Readonly<Record<string, string>> = {
  gtin: "01",
  lot: "10",
  ser: "21",
  exp: "17",
};

const GS = "\x1d";

type Elements = Map<string, string>;

function addElement(elements: Elements, ai: string, value: string): void {
  const previous = elements.get(ai);
  if (previous !== undefined && previous !== value) {
    throw new InputError(
      `AI (${ai}) appears twice with different values: ${previous} and ${value}`,
    );
  }
  elements.set(ai, value);
}

function parseDigitalLink(text: string): Elements {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError(`"${text}" is not a valid URI`);
  }
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new InputError(`Digital Link has a bad percent-encoding: ${s}`);
    }
  };
  // A Digital Link may sit under a path prefix on a custom domain; its primary key (01)
  // starts the GS1 part, followed by key qualifiers (22, 10, 21) as AI/value pairs.
  const start = segments.findIndex((s) => s === "01" || s === "gtin");
  if (start < 0) {
    throw new InputError(`Digital Link ${text} has no /01/<GTIN> path segment`);
  }
  const elements: Elements = new Map();
  const pairs = segments.slice(start);
  if (pairs.length % 2 !== 0) {
    throw new InputError(`Digital Link ${text} has an AI without a value in its path`);
  }
  const order = ["01", "22", "10", "21"];
  let last = -1;
  for (let i = 0; i < pairs.length; i += 2) {
    const raw = pairs[i] ?? "";
    const ai = DIGITAL_LINK_ALPHAS[raw] ?? raw;
    const rank = order.indexOf(ai);
    if (rank < 0) {
      throw new InputError(
        `Digital Link path has AI ${raw}; a GTIN path allows only 01, 22, 10, 21`,
      );
    }
    if (rank <= last) {
      throw new InputError(
        `Digital Link path has AI ${raw} out of order; expected /01/…/10/…/21/…`,
      );
    }
    last = rank;
    addElement(elements, ai, decode(pairs[i + 1] ?? ""));
  }
  for (const [key, value] of url.searchParams) {
    const ai = DIGITAL_LINK_ALPHAS[key] ?? key;
    if (/^\d{2,4}$/.test(ai)) addElement(elements, ai, value);
  }
  return elements;
}

function parseBracketed(text: string): Elements {
  const elements: Elements = new Map();
  const parts = text.split(/\((\d{2,4})\)/);
  if (parts[0] !== "") {
    throw new InputError(`element string must start with an AI in brackets, e.g. (01): ${text}`);
  }
  for (let i = 1; i < parts.length; i += 2) {
    // spaces are not GS1 AI 82 data; people type them between elements
    addElement(elements, parts[i] ?? "", (parts[i + 1] ?? "").trim());
  }
  return elements;
}

function parseRaw(text: string): Elements {
  const elements: Elements = new Map();
  let rest = text.replace(/^\][A-Za-z]\d/, "");
  while (rest.startsWith(GS)) rest = rest.slice(1);
  while (rest.length > 0) {
    const ai = [2, 3, 4].map((n) => rest.slice(0, n)).find((p) => p in AI_LENGTHS);
    if (ai === undefined) {
      throw new InputError(
        `unknown GS1 Application Identifier at "${rest.slice(0, 12)}" in scanned code`,
      );
    }
    const spec = AI_LENGTHS[ai] ?? {};
    rest = rest.slice(ai.length);
    let value: string;
    if (spec.fixed !== undefined) {
      value = rest.slice(0, spec.fixed);
      if (value.length < spec.fixed || value.includes(GS)) {
        throw new InputError(`AI (${ai}) needs ${spec.fixed} characters, found "${value}"`);
      }
      rest = rest.slice(spec.fixed);
    } else {
      const end = rest.indexOf(GS);
      value = end < 0 ? rest : rest.slice(0, end);
      rest = end < 0 ? "" : rest.slice(end);
    }
    while (rest.startsWith(GS)) rest = rest.slice(1);
    addElement(elements, ai, value);
  }
  return elements;
}

/**
 * Parses what a scanner or a person hands over for one pack: a GS1 Digital Link URI (any
 * host, path `/01/<GTIN>/10/<lot>/21/<serial>`, expiry as `?17=YYMMDD`, percent-decoded), a
 * bracketed element string in any AI order, or a raw scanner string (optional `]d2`-style
 * symbology prefix, GS `\x1d` after variable-length fields). Surrounding whitespace and
 * invisible format characters (soft hyphens, zero-width spaces) are ignored. GTIN (01), lot (10) and serial
 * (21) are required; expiry (17) is optional, because the batch's expiry on chain is
 * authoritative, and checked when present. Other AIs are ignored.
 *
 * @throws InputError with one line naming what is wrong.
 * @example
 * parsePackCode("https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=271231");
 * // { gtin: "09506000134352", lot: "ABC123", serial: "SN0001", expiry: "271231" }
 */
export function parsePackCode(text: string): PackCode {
  // Invisible format characters (soft hyphen, zero-width space, BOM: Unicode category Cf) come
  // from copy and paste and are never GS1 data; the GS separator (a control character, Cc) stays.
  const input = text.replace(/\p{Cf}/gu, "").replace(/^[ \t]+|[ \t\r\n]+$/g, "");
  if (input === "") throw new InputError("pack code is empty");
  let elements: Elements;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(input)) elements = parseDigitalLink(input);
  else if (input.startsWith("(")) elements = parseBracketed(input);
  else elements = parseRaw(input);

  const missing = ["01", "10", "21"].filter((ai) => !elements.has(ai));
  if (missing.length > 0) {
    const names: Record<string, string> = { "01": "GTIN", "10": "lot", "21": "serial" };
    throw new InputError(
      `pack code lacks ${missing.map((ai) => `${names[ai] ?? ai} (${ai})`).join(", ")}: ${input}`,
    );
  }
  const gtin = validateGtin(elements.get("01") ?? "");
  const lot = checkGs1Text(elements.get("10") ?? "", "lot (10)");
  const serial = checkGs1Text(elements.get("21") ?? "", "serial (21)");
  const code: PackCode = { gtin, lot, serial };
  const expiry = elements.get("17");
  if (expiry !== undefined) {
    parseExpiry(expiry);
    code.expiry = expiry;
  }
  return code;
}

/**
 * The GS1 Digital Link URI of a pack: `<host>/01/<GTIN>/10/<lot>/21/<serial>[?17=YYMMDD]`,
 * lot and serial percent-encoded.
 *
 * @example
 * formatDigitalLink({ gtin: "09506000134352", lot: "ABC123", serial: "SN0001", expiry: "271231" });
 * // "https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=271231"
 */
export function formatDigitalLink(code: PackCode, host = "https://id.gs1.org"): string {
  const checked = checkPackCode(code);
  const base = host.replace(/\/+$/, "");
  const path = `/01/${checked.gtin}/10/${encodeURIComponent(checked.lot)}/21/${encodeURIComponent(checked.serial)}`;
  return base + path + (checked.expiry === undefined ? "" : `?17=${checked.expiry}`);
}

/**
 * The bracketed GS1 element string of a pack, in the order 01, 10, 21, 17 (the order the
 * design and Digital Link use).
 *
 * @example
 * formatElementString({ gtin: "09506000134352", lot: "ABC123", serial: "SN0001", expiry: "271231" });
 * // "(01)09506000134352(10)ABC123(21)SN0001(17)271231"
 */
export function formatElementString(code: PackCode): string {
  const checked = checkPackCode(code);
  const expiry = checked.expiry === undefined ? "" : `(17)${checked.expiry}`;
  return `(01)${checked.gtin}(10)${checked.lot}(21)${checked.serial}${expiry}`;
}

function checkPackCode(code: PackCode): PackCode {
  const checked: PackCode = {
    gtin: validateGtin(code.gtin),
    lot: checkGs1Text(code.lot, "lot (10)"),
    serial: checkGs1Text(code.serial, "serial (21)"),
  };
  if (code.expiry !== undefined) {
    parseExpiry(code.expiry);
    checked.expiry = code.expiry;
  }
  return checked;
}
