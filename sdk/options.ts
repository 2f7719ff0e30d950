import { getAddress, isAddress } from "ethers";

import { InputError } from "./errors.js";

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
 * Checks a whole-number option (decimal, or hex with `0x`) within `[min, max]`.
 *
 * @throws InputError naming the option and the allowed range.
 * @example
 * const quantity = parseUintOption(args.quantity, "--quantity", { min: 1n, max: 2n ** 32n - 1n });
 */
export function parseUintOption(
  value: string | undefined,
  option: string,
  range: { readonly min?: bigint; readonly max: bigint },
): bigint {
  const min = range.min ?? 0n;
  const text = requireOption(value, option, `a whole number from ${min} to ${range.max}`);
  const plain = text.replace(/_/g, "");
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(plain)) {
    throw new InputError(`${option} ${text} is not a whole number`);
  }
  const number = BigInt(plain);
  if (number < min || number > range.max) {
    throw new InputError(`${option} ${text} is out of range: ${min} to ${range.max}`);
  }
  return number;
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
