import { getAddress, isAddress } from "ethers";

import { dateUsage, parseDate } from "../../sdk/dates.js";
import type { DateSettings } from "../../sdk/dates.js";
import { InputError } from "../../sdk/errors.js";

/*
 * What a person typed on the command line, checked: every refusal is an `InputError` whose one
 * line names the option and what is wrong with the value.
 */

/**
 * The value of a required option, trimmed; `hint` says what to give.
 *
 * @throws InputError "--to is required (the recipient's 0x… address)" when absent or empty.
 * @example
 * const code = requireOption(args.code, "--code", "the pack's Digital Link or element string");
 */
export function requireOption(value: string | undefined, option: string, hint: string): string {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") throw new InputError(`${option} is required (${hint})`);
  return trimmed;
}

/**
 * Whether an optional option was given (present and not blank).
 *
 * @example
 * if (isGiven(args.evidence)) evidenceHash = await hashEvidence(args.evidence);
 */
export function isGiven(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== "";
}

/**
 * Checks an address option, e.g. `--to 0x…`, and returns it checksummed. A mixed-case address
 * with a wrong checksum is refused with the checksummed form offered.
 *
 * @example
 * const to = parseAddressOption(args.to, "--to");
 */
export function parseAddressOption(value: string | undefined, option: string): string {
  const trimmed = requireOption(value, option, "an 0x… address");
  // `isAddress` is a type guard; a plain boolean keeps `trimmed` a string on the refusing path.
  const valid = (text: string): boolean => isAddress(text);
  if (valid(trimmed)) return getAddress(trimmed);
  const lower = trimmed.toLowerCase();
  if (valid(lower)) {
    throw new InputError(
      `${option} ${trimmed} has a bad checksum: did you mean ${getAddress(lower)}?`,
    );
  }
  throw new InputError(`${option} ${trimmed} is not an address`);
}

/**
 * Checks an optional address option: `undefined` when not given, else as `parseAddressOption`.
 *
 * @example
 * const patient = parseOptionalAddressOption(args.patient, "--patient") ?? signer.address;
 */
export function parseOptionalAddressOption(
  value: string | undefined,
  option: string,
): string | undefined {
  return isGiven(value) ? parseAddressOption(value, option) : undefined;
}

/** The largest uint256: a bound for ids that the contract counts up from 1. */
const UINT256_MAX = 2n ** 256n - 1n;

/**
 * Checks a whole-number option (decimal, or hex with `0x`) within `[min, max]`; without `max`,
 * any uint256 from `min` on.
 *
 * @throws InputError naming the option and the allowed range.
 * @example
 * const quantity = parseUintOption(args.quantity, "--quantity", { min: 1n, max: 2n ** 32n - 1n });
 */
export function parseUintOption(
  value: string | undefined,
  option: string,
  range: { readonly min?: bigint; readonly max?: bigint } = {},
): bigint {
  const min = range.min ?? 0n;
  const max = range.max ?? UINT256_MAX;
  const bounded = max !== UINT256_MAX;
  const wanted = bounded
    ? `a whole number from ${min} to ${max}`
    : min === 0n
      ? "a whole number"
      : min === 1n
        ? "a positive whole number"
        : `a whole number from ${min} on`;
  const text = requireOption(value, option, wanted);
  const plain = text.replace(/_/g, "");
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(plain)) {
    throw new InputError(`${option} ${text} is not ${bounded ? "a whole number" : wanted}`);
  }
  const number = BigInt(plain);
  if (number < min || number > max) {
    throw new InputError(
      bounded
        ? `${option} ${text} is out of range: ${min} to ${max}`
        : `${option} ${text} is not ${wanted}`,
    );
  }
  return number;
}

/**
 * Checks an id option the contract counts up from 1 (`--claim 3`, `--pool 1`, `--flag 2`).
 *
 * @throws InputError "--claim abc is not a positive whole number" (also for 0).
 * @example
 * const claimId = parseIdOption(args.claim, "--claim");
 */
export function parseIdOption(value: string | undefined, option: string): bigint {
  return parseUintOption(value, option, { min: 1n });
}

/**
 * Checks a list of ids, e.g. `1,2,3` or `4-7,9`; a range holds at most 10,000 ids.
 *
 * @throws InputError when an item is not a positive whole number or a range is reversed or too long.
 * @example
 * parseIdListOption("1,4-6", "--ids"); // [1n, 4n, 5n, 6n]
 */
export function parseIdListOption(value: string | undefined, option: string): bigint[] {
  const text = requireOption(value, option, "ids, e.g. 1,2,3 or 4-9");
  const ids: bigint[] = [];
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range === null) {
      ids.push(parseIdOption(item, option));
      continue;
    }
    const first = parseIdOption(range[1], option);
    const last = parseIdOption(range[2], option);
    if (last < first || last - first >= 10_000n) {
      throw new InputError(`${option}: ${item} is not a range of at most 10,000 ids`);
    }
    for (let id = first; id <= last; id++) ids.push(id);
  }
  if (ids.length === 0) throw new InputError(`${option} lists no ids, e.g. 1,2,3`);
  return ids;
}

/**
 * Checks a date option as unix seconds (`parseDate` of `sdk/dates.ts`, named after the option).
 *
 * @throws InputError when absent, or as `parseDate`.
 * @example
 * parseDateOption("2026-01-31", "--until"); // 1769817600n
 * parseDateOption("2025-12-31", "--end", { endOfDay: true, unixSeconds: true }); // 1767225599n
 */
export function parseDateOption(
  value: string | undefined,
  option: string,
  settings: DateSettings = {},
): bigint {
  return parseDate(requireOption(value, option, dateUsage(settings)), option, settings);
}

/**
 * The `--from-block` to read events from: a block number, 0 when not given.
 *
 * @example
 * const history = await readBatchHistory(drugTrace, batchId, parseFromBlockOption(args.fromBlock));
 */
export function parseFromBlockOption(value: string | undefined): number {
  if (!isGiven(value)) return 0;
  return Number(parseUintOption(value, "--from-block", { max: BigInt(Number.MAX_SAFE_INTEGER) }));
}

/**
 * The account `--from` names among the network's signers: an index (default 0) or one of their
 * addresses.
 *
 * @throws InputError when the index is past the last account or the address is not configured.
 * @example
 * const signer = selectSigner(await ethers.getSigners(), args.from); // "1" or "0x70997970…"
 */
export function selectSigner<S extends { readonly address: string }>(
  signers: readonly S[],
  from: string | undefined,
): S {
  const wanted = isGiven(from) ? from.trim() : "0";
  if (signers.length === 0) {
    throw new InputError(
      "this network has no accounts configured: set its private key (see .env.example)",
    );
  }
  if (/^\d+$/.test(wanted)) {
    const signer = signers[Number(wanted)];
    if (signer === undefined) {
      throw new InputError(
        `--from ${wanted}: this network has ${signers.length} account${signers.length === 1 ? "" : "s"} (0 to ${signers.length - 1})`,
      );
    }
    return signer;
  }
  const address = parseAddressOption(wanted, "--from");
  const signer = signers.find((candidate) => getAddress(candidate.address) === address);
  if (signer === undefined) {
    throw new InputError(`--from ${address} is not one of this network's configured accounts`);
  }
  return signer;
}

/**
 * One word out of a fixed list, any case (`-` and spaces read as `_`); anything else ends with
 * one line listing the valid words.
 *
 * @example
 * parseWordOption("dispenser", "--grant", ["MANUFACTURER", "DISPENSER"]); // "DISPENSER"
 */
export function parseWordOption<T extends string>(
  value: string | undefined,
  option: string,
  words: readonly T[],
): T {
  const list = words.map((word) => word.toLowerCase()).join(", ");
  const text = requireOption(value, option, `one of ${list}`);
  const wanted = text.toLowerCase().replace(/[-\s]/g, "_");
  const found = words.find((word) => word.toLowerCase() === wanted);
  if (found === undefined) throw new InputError(`${option} ${text} is not one of ${list}`);
  return found;
}
