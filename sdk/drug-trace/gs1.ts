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
 * The GS1 table of element strings with a predefined length (GS1 General Specifications, figure
 * 7.8.4-2), by the first two digits of the AI: the length of AI and data together. Every other AI
 * is variable-length and ends at a GS (FNC1) or at the end of the string. The table is fixed by
 * GS1 for all time, so a decoder needs nothing else to split a string with any valid AI.
 */
const PREDEFINED_LENGTH: Readonly<Record<string, number>> = {
  "00": 20,
  "01": 16,
  "02": 16,
  "03": 16,
  "04": 18,
  "11": 8,
  "12": 8,
  "13": 8,
  "14": 8,
  "15": 8,
  "16": 8,
  "17": 8,
  "18": 8,
  "19": 8,
  "20": 4,
  "31": 10,
  "32": 10,
  "33": 10,
  "34": 10,
  "35": 10,
  "36": 10,
  "41": 16,
};

/**
 * How many digits an AI has, by its first two digits (GS1 General Specifications, section 3.2:
 * each two-digit prefix belongs to AIs of one length). A prefix missing here is not assigned.
 */
const AI_DIGITS_BY_PREFIX: Readonly<Record<string, number>> = (() => {
  const table: Record<string, number> = {};
  const set = (digits: number, ...prefixes: number[]): void => {
    for (const p of prefixes) table[String(p).padStart(2, "0")] = digits;
  };
  set(2, 0, 1, 2, 3, 4, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 30, 37);
  set(2, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99);
  set(3, 23, 24, 25, 40, 41, 42, 71);
  set(4, 31, 32, 33, 34, 35, 36, 39, 43, 70, 72, 80, 81, 82);
  return table;
})();

/** Digital Link's deprecated convenience alphas, still found on printed packs. */
const DIGITAL_LINK_ALPHAS: Readonly<Record<string, string>> = {
  gtin: "01",
  cpv: "22",
  lot: "10",
  ser: "21",
  exp: "17",
};

/** The key qualifiers of a GTIN, in the order a Digital Link path must give them. */
const GTIN_QUALIFIERS = ["22", "10", "21"] as const;

/**
 * Scanner symbology identifiers (ISO/IEC 15424: `]` + code character + modifier), e.g. `]d2`
 * GS1 DataMatrix, `]Q3` GS1 QR Code, `]C1` GS1-128, `]e0` GS1 DataBar, `]J1` GS1 DotCode, and
 * `]d1`/`]Q1` for a plain DataMatrix/QR carrying a Digital Link URI.
 */
const SYMBOLOGY_IDENTIFIER = /^\][A-Za-z][0-9A-Za-z]/;

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

/** The AI at the start of `text` (2, 3 or 4 digits by its first two), or `undefined`. */
function aiAt(text: string): string | undefined {
  const digits = AI_DIGITS_BY_PREFIX[text.slice(0, 2)];
  if (digits === undefined || !/^\d+$/.test(text.slice(0, 2))) return undefined;
  const ai = text.slice(0, digits);
  return /^\d+$/.test(ai) && ai.length === digits ? ai : undefined;
}

/** Checks the length of a predefined-length AI's value (e.g. 17 needs 6 digits). */
function checkPredefinedLength(ai: string, value: string): void {
  const total = PREDEFINED_LENGTH[ai.slice(0, 2)];
  if (ai === "01" && !/^\d{14}$/.test(value)) {
    throw new InputError(
      `GTIN (01) "${value}" in an element string must be exactly 14 digits (pad a shorter GTIN with zeros)`,
    );
  }
  if (total !== undefined && value.length !== total - ai.length) {
    throw new InputError(`AI (${ai}) needs ${total - ai.length} characters, found "${value}"`);
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   GS1 Digital Link URIs
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The GS1 key of a Digital Link path with GTIN as its primary key. */
export interface DigitalLinkKey {
  /** The path before `/01/` (empty, or e.g. `/dl`), as sent. */
  prefix: string;
  /** 14-digit GTIN, check digit validated (a GTIN-8, -12 or -13 in the path is padded). */
  gtin: string;
  /** Consumer product variant (AI 22), when the path has one. */
  cpv?: string;
  lot?: string;
  serial?: string;
  /** Data attributes from the query string (GS1 AIs, e.g. `17` → `YYMMDD`), values checked. */
  attributes: Map<string, string>;
  /** Other query parameters (`linkType`, `context`, …), percent-decoded. */
  parameters: Map<string, string>;
}

function decodeComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(`Digital Link has a bad percent-encoding in ${what}: ${text}`);
  }
}

/**
 * Refuses a compressed Digital Link (GS1 Digital Link 1.2 section 7.10: the AIs packed into
 * base64url path segments): it is not supported here, so it gets a clear message instead of a
 * misleading "no /01/ segment".
 */
function refuseCompressed(segments: readonly string[], target: string): void {
  const last = segments[segments.length - 1] ?? "";
  if (/^[A-Za-z0-9_-]{8,}$/.test(last) && !/^\d+$/.test(last)) {
    throw new InputError(
      `${target} looks like a compressed GS1 Digital Link, which is not supported: scan or type the uncompressed link (/01/<GTIN>/10/<lot>/21/<serial>) or the element string`,
    );
  }
}

/** Parses the pairs from `start` as `/01/<gtin>(/22|10|21/<value>)*`; throws on the first problem. */
function parseGtinPath(segments: readonly string[], start: number): DigitalLinkKey {
  const pairs = segments.slice(start);
  if (pairs.length % 2 !== 0) {
    throw new InputError(`Digital Link path has an AI without a value: /${pairs.join("/")}`);
  }
  const gtinText = decodeComponent(pairs[1] ?? "", "the GTIN");
  const key: DigitalLinkKey = {
    prefix: "",
    gtin: validateGtin(gtinText),
    attributes: new Map(),
    parameters: new Map(),
  };
  let last = -1;
  for (let i = 2; i < pairs.length; i += 2) {
    const raw = pairs[i] ?? "";
    const ai = DIGITAL_LINK_ALPHAS[raw] ?? raw;
    const rank = (GTIN_QUALIFIERS as readonly string[]).indexOf(ai);
    if (rank < 0) {
      throw new InputError(
        `Digital Link path has AI ${raw} after the GTIN; only the key qualifiers 22, 10 and 21 may follow it`,
      );
    }
    if (rank <= last) {
      throw new InputError(
        `Digital Link path has AI ${raw} out of order; expected /01/…/22/…/10/…/21/…`,
      );
    }
    last = rank;
    const name = ai === "22" ? "variant (22)" : ai === "10" ? "lot (10)" : "serial (21)";
    const value = checkGs1Text(decodeComponent(pairs[i + 1] ?? "", name), name);
    if (ai === "22") key.cpv = value;
    else if (ai === "10") key.lot = value;
    else key.serial = value;
  }
  return key;
}

/**
 * Parses the path and query of a GS1 Digital Link URI with a GTIN primary key, as a resolver
 * receives them (`/01/09506000134352/10/ABC123/21/SN0001?17=271231&linkType=…`), by the rules
 * of the GS1 Digital Link URI syntax:
 * - an optional path prefix, then `/01/<GTIN>` (GTIN-8, -12, -13 or -14) and the key
 *   qualifiers `/22/<variant>`, `/10/<lot>`, `/21/<serial>` in that order, each optional;
 * - values percent-decoded, one segment each, so `.` and `..` (also `%2E`, `%2E%2E`) are values,
 *   never dot segments (the path is taken as sent, without URL normalisation);
 * - data attributes (e.g. `17=YYMMDD`) in the query, checked; key qualifiers there are refused;
 *   other parameters (`linkType`, `context`, `lang`…) are kept in `parameters`;
 * - compressed Digital Links are refused with a clear message.
 *
 * @throws InputError with one line naming what is wrong.
 * @example
 * parseDigitalLinkPath("/01/09506000134352/10/ABC123/21/SN0001?17=271231").serial; // "SN0001"
 */
export function parseDigitalLinkPath(target: string): DigitalLinkKey {
  const hash = target.indexOf("#");
  const withoutFragment = hash < 0 ? target : target.slice(0, hash);
  const question = withoutFragment.indexOf("?");
  const path = question < 0 ? withoutFragment : withoutFragment.slice(0, question);
  const query = question < 0 ? "" : withoutFragment.slice(question + 1);
  if (!path.startsWith("/")) {
    throw new InputError(`Digital Link path must start with "/": ${target}`);
  }
  const segments = path.slice(1).split("/");
  if (segments[segments.length - 1] === "") segments.pop(); // one trailing slash
  // The primary key starts at the first /01/ (or /gtin/) from which the rest is a valid GTIN
  // path; a path prefix may itself contain such a segment.
  let key: DigitalLinkKey | undefined;
  let firstError: InputError | undefined;
  for (let start = 0; start < segments.length && key === undefined; start++) {
    const s = segments[start];
    if (s !== "01" && s !== "gtin") continue;
    try {
      key = parseGtinPath(segments, start);
      key.prefix = start === 0 ? "" : `/${segments.slice(0, start).join("/")}`;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      firstError ??= error;
    }
  }
  if (key === undefined) {
    if (firstError !== undefined) throw firstError;
    refuseCompressed(segments, target);
    throw new InputError(`Digital Link has no /01/<GTIN> path segment: ${target}`);
  }
  for (const part of query.split("&")) {
    if (part === "") continue;
    const equals = part.indexOf("=");
    const name = decodeComponent(equals < 0 ? part : part.slice(0, equals), "the query");
    const value = decodeComponent(equals < 0 ? "" : part.slice(equals + 1), "the query");
    const ai = DIGITAL_LINK_ALPHAS[name] ?? name;
    if (!/^\d{2,4}$/.test(ai)) {
      key.parameters.set(name, value);
      continue;
    }
    if (ai === "01" || (GTIN_QUALIFIERS as readonly string[]).includes(ai)) {
      throw new InputError(
        `Digital Link has AI ${name} in its query; the GTIN and its key qualifiers (22, 10, 21) belong in the path`,
      );
    }
    if (aiAt(ai) !== ai) {
      throw new InputError(`Digital Link query has ${name}, which is not a GS1 AI`);
    }
    checkPredefinedLength(ai, value);
    if (ai === "17") parseExpiry(value);
    addElement(key.attributes, ai, value);
  }
  return key;
}

/** Splits an absolute http(s) URI into its path-and-query, checking the scheme and host. */
function digitalLinkTarget(uri: string): string {
  const scheme = (/^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1] ?? "").toLowerCase();
  if (scheme !== "http" && scheme !== "https") {
    throw new InputError(
      `Digital Link must be an http or https URI, not ${scheme || "this"}: ${uri}`,
    );
  }
  const match = /^[A-Za-z]+:\/\/([^/?#]*)(.*)$/s.exec(uri);
  if (match === null || match[1] === "" || /[\s\\]/.test(match[1] ?? "")) {
    throw new InputError(`"${uri}" is not a valid URI: it needs ${scheme}://<host>/…`);
  }
  const rest = match[2] ?? "";
  return rest.startsWith("/") ? rest : `/${rest}`;
}

function parseDigitalLink(uri: string): Elements {
  const key = parseDigitalLinkPath(digitalLinkTarget(uri));
  const elements: Elements = new Map([["01", key.gtin]]);
  if (key.cpv !== undefined) elements.set("22", key.cpv);
  if (key.lot !== undefined) elements.set("10", key.lot);
  if (key.serial !== undefined) elements.set("21", key.serial);
  for (const [ai, value] of key.attributes) addElement(elements, ai, value);
  return elements;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                     Element strings
// ─────────────────────────────────────────────────────────────────────────────────────────────

function parseBracketed(text: string): Elements {
  const elements: Elements = new Map();
  const parts = text.split(/\((\d{2,4})\)/);
  if (parts[0]?.trim() !== "") {
    throw new InputError(`element string must start with an AI in brackets, e.g. (01): ${text}`);
  }
  for (let i = 1; i < parts.length; i += 2) {
    const ai = parts[i] ?? "";
    if (aiAt(ai) !== ai) throw new InputError(`(${ai}) is not a GS1 Application Identifier`);
    // spaces are not GS1 AI 82 data; people type them between elements
    const value = (parts[i + 1] ?? "").trim();
    checkPredefinedLength(ai, value);
    addElement(elements, ai, value);
  }
  return elements;
}

/**
 * Splits a raw (FNC1) element string: the AI's length comes from its first two digits, the
 * value's from the table of predefined lengths, and every other value ends at a GS or the end.
 */
function parseRaw(text: string): Elements {
  const elements: Elements = new Map();
  let rest = text;
  while (rest.startsWith(GS)) rest = rest.slice(1);
  while (rest.length > 0) {
    const ai = aiAt(rest);
    if (ai === undefined) {
      throw new InputError(
        `unknown GS1 Application Identifier at "${rest.slice(0, 12)}" in scanned code`,
      );
    }
    rest = rest.slice(ai.length);
    const total = PREDEFINED_LENGTH[ai.slice(0, 2)];
    let value: string;
    if (total !== undefined) {
      const length = total - ai.length;
      value = rest.slice(0, length);
      if (value.length < length || value.includes(GS)) {
        throw new InputError(`AI (${ai}) needs ${length} characters, found "${value}"`);
      }
      rest = rest.slice(length);
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
 * Parses what a scanner or a person hands over for one pack:
 * - a GS1 Digital Link URI (`http` or `https`, any host and path prefix, path
 *   `/01/<GTIN>/10/<lot>/21/<serial>` with a GTIN-8 to -14, expiry as `?17=YYMMDD`; see
 *   `parseDigitalLinkPath`);
 * - a bracketed element string in any AI order (`(01)` exactly 14 digits);
 * - a raw scanner string with any valid AIs, GS (FNC1, `\x1d`) after variable-length values,
 *   split by the GS1 table of predefined lengths.
 * A scanner's symbology identifier (`]d2`, `]Q3`, `]C1`, `]d1`, `]Q1`…) may precede any of them.
 * Whitespace and line breaks at both ends and invisible format characters (soft hyphens,
 * zero-width spaces) are ignored. GTIN (01), lot (10) and serial (21) are required; expiry (17)
 * is optional, because the batch's expiry on chain is authoritative, and checked when present.
 * Other AIs are split off and ignored.
 *
 * @throws InputError with one line naming what is wrong.
 * @example
 * parsePackCode("https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=271231");
 * // { gtin: "09506000134352", lot: "ABC123", serial: "SN0001", expiry: "271231" }
 */
export function parsePackCode(text: string): PackCode {
  // Invisible format characters (soft hyphen, zero-width space, BOM: Unicode category Cf) come
  // from copy and paste and are never GS1 data; the GS separator (a control character, Cc) stays.
  let input = text.replace(/\p{Cf}/gu, "").replace(/^\s+|\s+$/gu, "");
  if (SYMBOLOGY_IDENTIFIER.test(input)) input = input.slice(3).replace(/^\s+/u, "");
  if (input === "") throw new InputError("pack code is empty");
  let elements: Elements;
  let fromElementString = true;
  if (/^[A-Za-z][A-Za-z0-9+.-]*:/.test(input)) {
    elements = parseDigitalLink(input);
    fromElementString = false;
  } else if (input.startsWith("(")) elements = parseBracketed(input);
  else elements = parseRaw(input);

  const missing = ["01", "10", "21"].filter((ai) => !elements.has(ai));
  if (missing.length > 0) {
    const names: Record<string, string> = { "01": "GTIN", "10": "lot", "21": "serial" };
    throw new InputError(
      `pack code lacks ${missing.map((ai) => `${names[ai] ?? ai} (${ai})`).join(", ")}: ${input}`,
    );
  }
  const gtinText = elements.get("01") ?? "";
  if (fromElementString && !/^\d{14}$/.test(gtinText)) {
    throw new InputError(
      `GTIN (01) "${gtinText}" in an element string must be exactly 14 digits (pad a shorter GTIN with zeros)`,
    );
  }
  const gtin = validateGtin(gtinText);
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
 * A lot, serial or variant as one Digital Link path segment: percent-encoded, and `.` and `..`
 * spelled `%2E` and `%2E%2E` so they are values, not RFC 3986 dot segments.
 *
 * @example
 * encodeDigitalLinkValue("A/1"); // "A%2F1"
 * encodeDigitalLinkValue(".."); // "%2E%2E"
 */
export function encodeDigitalLinkValue(value: string): string {
  if (value === "." || value === "..") return value.replaceAll(".", "%2E");
  return encodeURIComponent(value);
}

/**
 * The path and query of a pack's Digital Link: `/01/<GTIN>/10/<lot>/21/<serial>[?17=YYMMDD]`,
 * values percent-encoded (see `parseDigitalLinkPath`, which reads it back).
 *
 * @example
 * formatDigitalLinkPath({ gtin: "09506000134352", lot: "A/1", serial: "." });
 * // "/01/09506000134352/10/A%2F1/21/%2E"
 */
export function formatDigitalLinkPath(code: PackCode): string {
  const checked = checkPackCode(code);
  const path = `/01/${checked.gtin}/10/${encodeDigitalLinkValue(checked.lot)}/21/${encodeDigitalLinkValue(checked.serial)}`;
  return path + (checked.expiry === undefined ? "" : `?17=${checked.expiry}`);
}

/**
 * The GS1 Digital Link URI of a pack: `<host>/01/<GTIN>/10/<lot>/21/<serial>[?17=YYMMDD]`,
 * lot and serial percent-encoded (`.` and `..` too), which `parsePackCode` always reads back.
 * `host` is an `http` or `https` origin, optionally with a path prefix.
 *
 * @example
 * formatDigitalLink({ gtin: "09506000134352", lot: "ABC123", serial: "SN0001", expiry: "271231" });
 * // "https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=271231"
 */
export function formatDigitalLink(code: PackCode, host = "https://id.gs1.org"): string {
  const base = host.replace(/\/+$/, "");
  if (/[?#]/.test(digitalLinkTarget(base))) {
    throw new InputError(
      `Digital Link host ${host} must be an origin with an optional path prefix`,
    );
  }
  return base + formatDigitalLinkPath(code);
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
