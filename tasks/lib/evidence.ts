import { readFile, stat } from "node:fs/promises";

import { keccak256, ZeroHash } from "ethers";

import { InputError } from "../../sdk/errors.js";

/*
 * Evidence, metadata, sensor readings and records stay off chain; the chain holds a 32-byte hash
 * of them. People hand over either the hash they already have or the file itself.
 */

const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * The on-chain hash of an off-chain document: a `0x` + 64 hex digits value passes through
 * (lower-cased), anything else is a file path whose bytes are hashed with keccak256 (the file
 * itself never goes on chain). `what` names the input in error messages, e.g. `--evidence`.
 * Salt a file first (e.g. append a random line) when its content could be guessed.
 *
 * @throws InputError when the value is empty, is neither a 32-byte hash nor a file, or the file cannot be read.
 * @example
 * const evidenceHash = await hashEvidence("scan-log-2027-03-01.json", "--evidence");
 * const same = await hashEvidence(evidenceHash); // passes through
 */
export async function hashEvidence(fileOrHash: string, what: string = "evidence"): Promise<string> {
  const value = fileOrHash.trim();
  if (value === "") throw new InputError(`${what} is empty: give a file or a 0x… 32-byte hash`);
  if (HASH.test(value)) return value.toLowerCase();
  let isFile: boolean;
  try {
    isFile = (await stat(value)).isFile();
  } catch {
    if (/^0x[0-9a-fA-F]*$/.test(value)) {
      throw new InputError(
        `${what} ${value} is neither a 32-byte hash (0x and 64 hex digits, found ${value.length - 2}) nor a file`,
      );
    }
    throw new InputError(`${what} file not found: ${value}`);
  }
  if (!isFile) throw new InputError(`${what} ${value} is not a file`);
  try {
    return keccak256(await readFile(value));
  } catch (error) {
    throw new InputError(`${what} file ${value} cannot be read: ${(error as Error).message}`);
  }
}

/**
 * Like `hashEvidence`, but an absent or empty value is the zero hash (no evidence given).
 *
 * @example
 * const metadataHash = await hashOptionalEvidence(args.metadata, "--metadata"); // ZeroHash when not given
 */
export async function hashOptionalEvidence(
  fileOrHash: string | undefined,
  what: string = "evidence",
): Promise<string> {
  if (fileOrHash === undefined || fileOrHash.trim() === "") return ZeroHash;
  return hashEvidence(fileOrHash, what);
}
