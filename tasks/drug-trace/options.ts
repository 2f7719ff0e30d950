import { InputError } from "../../sdk/errors.js";
import { loadSerialTree } from "../../sdk/drug-trace/index.js";
import type { SerialTree } from "../../sdk/drug-trace/index.js";
import {
  isGiven,
  parseIdOption,
  parseUintOption,
  parseWordOption,
  requireOption,
} from "../lib/options.js";
import {
  DRUG_TRACE_ROLES,
  RESOLUTIONS,
  SUSPECT_CONFIRMED_REASON,
  UNIT_STATUSES,
} from "../../sdk/drug-trace/client.js";
import type { DrugTraceRole, Resolution, UnitStatus } from "../../sdk/drug-trace/client.js";
import {
  batchIdOf,
  describeGs1TextProblem,
  expiryToTimestamp,
  parseCompanyPrefix,
  validateGtin,
} from "../../sdk/drug-trace/gs1.js";
import type { CompanyPrefix } from "../../sdk/drug-trace/gs1.js";
import { describeNameProblem } from "../../sdk/drug-trace/participants.js";

/*
 * What an operator types for DrugTrace, checked: batches, shipments, flags, quantities, reason
 * codes, temperatures, expiry dates and role, verdict and resolution words. Each refusal is an
 * `InputError` whose one line names the option.
 */

const UINT32_MAX = 2n ** 32n - 1n;
const UINT48_MAX = 2n ** 48n - 1n;

/** A batch an operator named, by id or by GTIN and lot. */
export interface BatchReference {
  readonly batchId: string;
  /** 14-digit GTIN, when named by GTIN and lot. */
  readonly gtin?: string;
  readonly lot?: string;
}

/**
 * The batch `--batch <id>` or `--gtin <GTIN> --lot <lot>` names (exactly one of the two forms).
 *
 * @throws InputError when neither or both forms are given, the id is not 32 bytes, or the GTIN or lot is invalid.
 * @example
 * parseBatchOption({ gtin: "9506000134352", lot: "ABC123" }).batchId === batchIdOf(9506000134352n, "ABC123");
 */
export function parseBatchOption(options: {
  readonly batch?: string | undefined;
  readonly gtin?: string | undefined;
  readonly lot?: string | undefined;
}): BatchReference {
  const byId = isGiven(options.batch);
  const byGtin = isGiven(options.gtin) || isGiven(options.lot);
  if (byId && byGtin) {
    throw new InputError("name the batch either by --batch <id> or by --gtin and --lot, not both");
  }
  if (byId) {
    const batchId = options.batch.trim();
    if (!/^0x[0-9a-fA-F]{64}$/.test(batchId)) {
      throw new InputError(
        `--batch ${batchId} is not a batch id (0x and 64 hex digits); or name the batch with --gtin and --lot`,
      );
    }
    return { batchId: batchId.toLowerCase() };
  }
  if (!byGtin) {
    throw new InputError("--batch <id> or --gtin <GTIN> with --lot <lot> is required");
  }
  const gtin = validateGtin(requireOption(options.gtin, "--gtin", "the batch's GTIN, with --lot"));
  const lot = requireOption(options.lot, "--lot", "the batch's lot, with --gtin");
  const problem = describeGs1TextProblem(lot, "--lot");
  if (problem !== undefined) throw new InputError(problem);
  return { batchId: batchIdOf(BigInt(gtin), lot), gtin, lot };
}

/**
 * The pack to check: `--code` as scanned and the batch's serial `--tree` file (both required),
 * with the tree loaded.
 *
 * @example
 * const { code, treeFile, tree } = await loadPack({ code: "(01)09506000134352(21)A1…", tree: "lot.tree.json" });
 */
export async function loadPack(options: {
  readonly code?: string | undefined;
  readonly tree?: string | undefined;
}): Promise<{ readonly code: string; readonly treeFile: string; readonly tree: SerialTree }> {
  const code = requireOption(
    options.code,
    "--code",
    "the pack's Digital Link URI, element string or scanned text",
  );
  const treeFile = requireOption(
    options.tree,
    "--tree",
    "the batch's serial tree file, *.tree.json",
  );
  return { code, treeFile, tree: await loadSerialTree(treeFile) };
}

/**
 * A shipment id as `trace ship` printed it (hex) or in decimal.
 *
 * @example
 * parseShipmentOption("0x01f39fd6e51aad88f6f4ce6ab8827279cfffb92266");
 */
export function parseShipmentOption(value: string | undefined): bigint {
  return parseIdOption(value, "--shipment");
}

/**
 * A suspect flag's number, e.g. `3` or `#3`.
 *
 * @example
 * parseFlagOption("#3"); // 3n
 */
export function parseFlagOption(value: string | undefined): bigint {
  return parseIdOption(value?.trim().replace(/^#/, ""), "--flag");
}

/**
 * A number of units to ship: 1 to 2^32 − 1.
 *
 * @example
 * parseQuantityOption("500"); // 500n
 */
export function parseQuantityOption(value: string | undefined): bigint {
  return parseUintOption(value, "--quantity", { min: 1n, max: UINT32_MAX });
}

/**
 * A recall reason code: 0 to 65534 (65535 is reserved for a regulator confirming a suspect flag).
 *
 * @example
 * parseReasonCodeOption("3"); // 3n
 */
export function parseReasonCodeOption(value: string | undefined): bigint {
  return parseUintOption(value, "--reason", { min: 0n, max: SUSPECT_CONFIRMED_REASON - 1n });
}

/**
 * A temperature in degrees Celsius with at most two decimals, as the contract's hundredths of a
 * degree (`int16`: −327.68 to 327.67 °C).
 *
 * @example
 * parseCelsiusOption("9.5"); // 950n
 * parseCelsiusOption("-25"); // -2500n
 */
export function parseCelsiusOption(value: string | undefined, option = "--extreme"): bigint {
  const text = requireOption(value, option, "a temperature in °C, e.g. 9.5 or -25");
  const match = /^([+-]?)(\d+)(?:[.,](\d{1,2}))?\s*(?:°?C)?$/i.exec(text);
  if (match === null) {
    throw new InputError(
      `${option} ${text} is not a temperature in °C with at most two decimals, e.g. 9.5 or -25`,
    );
  }
  const [, sign = "", whole = "0", fraction = ""] = match;
  const magnitude = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  const centi = sign === "-" ? -magnitude : magnitude;
  if (centi < -32_768n || centi > 32_767n) {
    throw new InputError(`${option} ${text} is out of range: -327.68 to 327.67 °C`);
  }
  return centi;
}

/**
 * Hundredths of a degree Celsius as people read them.
 *
 * @example
 * formatCentiCelsius(-2505n); // "-25.05 °C"
 */
export function formatCentiCelsius(centi: bigint): string {
  const sign = centi < 0n ? "-" : "";
  const magnitude = centi < 0n ? -centi : centi;
  return `${sign}${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, "0")} °C`;
}

/**
 * A batch's expiry as the contract's unix seconds: GS1 `YYMMDD` (day 00 = end of month) or an
 * ISO date (`2027-12-31`), both meaning the end of that day, 23:59:59 UTC; or an ISO date-time
 * with a zone (`2027-12-31T12:00:00Z`), taken as given.
 *
 * @example
 * parseExpiryOption("271231") === parseExpiryOption("2027-12-31"); // true: 1830297599n
 */
export function parseExpiryOption(value: string | undefined, now: Date = new Date()): bigint {
  const text = requireOption(value, "--expiry", "YYMMDD or an ISO date such as 2027-12-31");
  if (/^\d{6}$/.test(text)) return expiryToTimestamp(text, now);
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  let milliseconds: number;
  if (date !== null) {
    const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
    milliseconds = Date.UTC(year, month - 1, day, 23, 59, 59);
    const check = new Date(milliseconds);
    if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
      throw new InputError(`--expiry ${text} is not a calendar date`);
    }
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    milliseconds = Date.parse(text);
  } else {
    throw new InputError(
      `--expiry ${text} is neither YYMMDD nor an ISO date (2027-12-31) or date-time with a zone (2027-12-31T12:00:00Z)`,
    );
  }
  const seconds = BigInt(Math.floor(milliseconds / 1000));
  if (Number.isNaN(milliseconds) || seconds < 0n || seconds > UINT48_MAX) {
    throw new InputError(`--expiry ${text} is not a valid date`);
  }
  return seconds;
}

/** The roles an admin grants by word with `trace roles`. */
export const GRANTABLE_ROLES = Object.keys(DRUG_TRACE_ROLES) as DrugTraceRole[];

/**
 * A role by word, any case, with or without `_ROLE`: manufacturer, distributor, dispenser,
 * regulator, sensor or pauser.
 *
 * @example
 * parseRoleOption("dispenser", "--grant"); // "DISPENSER"
 */
export function parseRoleOption(value: string | undefined, option: string): DrugTraceRole {
  return parseWordOption(value?.trim().replace(/_role$/i, ""), option, GRANTABLE_ROLES);
}

/**
 * A verification verdict by word, any case: unknown, active, dispensed, recalled, quarantined, expired.
 *
 * @example
 * parseVerdictOption("dispensed"); // "Dispensed"
 */
export function parseVerdictOption(value: string | undefined): UnitStatus {
  return parseWordOption(value, "--verdict", UNIT_STATUSES);
}

/**
 * A regulator's decision by word, any case: cleared, quarantined or recalled.
 *
 * @example
 * parseResolutionOption("quarantined"); // "Quarantined"
 */
export function parseResolutionOption(value: string | undefined): Resolution {
  return parseWordOption(value, "--resolution", RESOLUTIONS);
}

/**
 * Checks `--prefix`: a GS1 Company Prefix of 6 to 12 digits, leading zeros kept.
 *
 * @throws InputError "--prefix is required (…)" or naming what is wrong with the digits.
 * @example
 * const prefix = parsePrefixOption(args.prefix); // { digits: "9506000", value: 9506000n, length: 7 }
 */
export function parsePrefixOption(value: string | undefined): CompanyPrefix {
  const digits = requireOption(
    value,
    "--prefix",
    "the GS1 Company Prefix, 6 to 12 digits with its leading zeros, e.g. 0614141",
  );
  try {
    return parseCompanyPrefix(digits);
  } catch (error) {
    throw new InputError(`--prefix: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/**
 * Checks `--name`: a participant's public company name, at most 64 bytes of UTF-8 and no control
 * characters; `allowEmpty` lets an empty name through (clearing a name, or keeping an owner's).
 *
 * @example
 * const name = parseNameOption(args.name, { allowEmpty: false }); // "Acme Pharma GmbH"
 */
export function parseNameOption(
  value: string | undefined,
  options: { readonly allowEmpty: boolean },
): string {
  const name = (value ?? "").trim();
  if (name === "" && !options.allowEmpty) {
    throw new InputError(`--name is required (the public company name, e.g. "Acme Pharma GmbH")`);
  }
  const problem = describeNameProblem(name);
  if (problem !== undefined) throw new InputError(`--name: ${problem}`);
  return name;
}
