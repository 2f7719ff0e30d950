import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import type { StandardMerkleTreeData } from "@openzeppelin/merkle-tree/dist/standard.js";
import { decodeBytes32String, encodeBytes32String } from "ethers";

import { InputError } from "../errors.js";
import { MAX_AMOUNT } from "./adjudication.js";
import { parseTokenAmount } from "./amounts.js";

/**
 * The leaf types of a fee schedule's Merkle tree (OpenZeppelin StandardMerkleTree): the service
 * code as left-aligned ASCII `bytes32` and the allowed amount in token base units. The contract
 * checks `keccak256(bytes.concat(keccak256(abi.encode(serviceCode, allowedAmount))))`.
 */
export const FEE_LEAF_ENCODING: readonly string[] = ["bytes32", "uint256"];

/**
 * Up to this many codes, `claims plan` sets the fees explicitly (one storage slot each, no proof
 * needed to claim); above it, the plan carries the schedule's Merkle root instead.
 */
export const EXPLICIT_FEE_LIMIT = 64;

/** One row of a fee schedule: a service code and its allowed amount. */
export interface FeeScheduleEntry {
  /** The code as written, normalized (trimmed, upper case), e.g. `99213`. */
  code: string;
  /** The code as the contract stores it (`bytes32`). */
  serviceCode: string;
  /** The allowed amount in token base units. */
  allowedAmount: bigint;
}

/** A fee schedule's tree: leaves are `[serviceCode (bytes32 hex), allowedAmount (decimal string)]`. */
export type FeeScheduleTree = StandardMerkleTree<[string, string]>;

/** What a claim on a Merkle fee schedule carries: the leaf's amount and its proof. */
export interface FeeProof {
  scheduleAmount: bigint;
  scheduleProof: string[];
}

const CODE_PATTERN = /^[A-Z0-9._:/-]{1,31}$/;

/**
 * Encodes a service code (CPT, HCPCS, CDT, a GTIN, …) as the contract's `bytes32`: trimmed, upper
 * case, 1 to 31 characters of letters, digits and `. _ : / -`, left-aligned ASCII.
 *
 * @example
 * encodeServiceCode("99213"); // 0x3939323133000000…
 */
export function encodeServiceCode(code: string): string {
  const normalized = code.trim().toUpperCase();
  if (!CODE_PATTERN.test(normalized)) {
    throw new InputError(
      `service code '${code}' must be 1 to 31 letters, digits or . _ : / - (e.g. 99213 or J1100)`,
    );
  }
  return encodeBytes32String(normalized);
}

/**
 * Decodes a `bytes32` service code back to text; a value that is not a left-aligned string is
 * shown as hex.
 *
 * @example
 * decodeServiceCode(encodeServiceCode("99213")); // "99213"
 */
export function decodeServiceCode(serviceCode: string): string {
  try {
    return decodeBytes32String(serviceCode);
  } catch {
    return serviceCode;
  }
}

/**
 * The service code of a drug, as the contract derives it for `submitDrugClaim`: the GTIN-14 as
 * 14 ASCII digits (zero-padded), so a fee schedule lists drugs by GTIN.
 *
 * @example
 * drugServiceCode(9506000134352n); // encodeServiceCode("09506000134352")
 */
export function drugServiceCode(gtin: bigint | string): string {
  const value = typeof gtin === "string" ? gtin.trim() : gtin.toString();
  if (!/^\d{1,14}$/.test(value)) {
    throw new InputError(`GTIN '${String(gtin)}' must be at most 14 digits`);
  }
  return encodeServiceCode(value.padStart(14, "0"));
}

function entry(code: string, amount: string, decimals: number, where: string): FeeScheduleEntry {
  let serviceCode: string;
  let allowedAmount: bigint;
  try {
    serviceCode = encodeServiceCode(code);
    allowedAmount = parseTokenAmount(amount, decimals);
  } catch (error) {
    throw new InputError(`${where}: ${(error as Error).message}`);
  }
  if (allowedAmount === 0n) throw new InputError(`${where}: the allowed amount must be above zero`);
  if (allowedAmount > MAX_AMOUNT) throw new InputError(`${where}: the allowed amount is too large`);
  return { code: code.trim().toUpperCase(), serviceCode, allowedAmount };
}

function rejectDuplicates(entries: readonly (FeeScheduleEntry & { where: string })[]): void {
  const seen = new Map<string, string>();
  for (const { code, where } of entries) {
    const first = seen.get(code);
    if (first !== undefined) {
      throw new InputError(`service code ${code} appears twice (${first} and ${where})`);
    }
    seen.set(code, where);
  }
}

/**
 * Parses a fee schedule: CSV lines `code,amount[,description…]` (a header line, blank lines and
 * `#` comments are skipped) or JSON, either `{ "99213": "120.00", … }` or
 * `[{ "code": "99213", "amount": "120.00" }, …]`. Amounts are in whole tokens with up to
 * `decimals` decimal places.
 *
 * @example
 * parseFeeSchedule("code,amount\n99213,120.00\n", "csv", 6);
 * // [{ code: "99213", serviceCode: "0x3939…", allowedAmount: 120_000_000n }]
 */
export function parseFeeSchedule(
  text: string,
  format: "csv" | "json",
  decimals: number,
): FeeScheduleEntry[] {
  const rows: (FeeScheduleEntry & { where: string })[] = [];
  if (format === "csv") {
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = raw.trim();
      if (line === "" || line.startsWith("#")) return;
      const [code = "", amount = ""] = line.split(",").map((cell) => cell.trim());
      const where = `line ${index + 1}`;
      if (rows.length === 0 && !/^[\d.]+$/.test(amount)) return; // a header line
      if (code === "" || amount === "") {
        throw new InputError(`${where}: expected 'code,amount', got '${line}'`);
      }
      rows.push({ ...entry(code, amount, decimals, where), where });
    });
  } else {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new InputError(`the fee schedule is not valid JSON: ${(error as Error).message}`);
    }
    const pairs: [string, unknown][] = Array.isArray(data)
      ? data.map((item: unknown, index) => {
          const record = (item ?? {}) as Record<string, unknown>;
          if (typeof record.code !== "string") {
            throw new InputError(`entry ${index + 1}: expected { "code": "...", "amount": "..." }`);
          }
          return [record.code, record.amount];
        })
      : typeof data === "object" && data !== null
        ? Object.entries(data)
        : [];
    if (!Array.isArray(data) && (typeof data !== "object" || data === null)) {
      throw new InputError("the fee schedule JSON must be an object of code: amount or an array");
    }
    pairs.forEach(([code, amount], index) => {
      const where = `entry ${index + 1} (${code})`;
      if (typeof amount !== "string" && typeof amount !== "number") {
        throw new InputError(`${where}: the amount must be a string or a number`);
      }
      rows.push({ ...entry(code, String(amount), decimals, where), where });
    });
  }
  if (rows.length === 0) throw new InputError("the fee schedule has no entries");
  rejectDuplicates(rows);
  return rows.map(({ code, serviceCode, allowedAmount }) => ({ code, serviceCode, allowedAmount }));
}

/**
 * Reads a fee schedule file, `.csv` or `.json` (by extension), see `parseFeeSchedule`.
 *
 * @example
 * const entries = readFeeSchedule("fees/2025.csv", 6);
 */
export function readFeeSchedule(file: string, decimals: number): FeeScheduleEntry[] {
  const extension = path.extname(file).toLowerCase();
  if (extension !== ".csv" && extension !== ".json") {
    throw new InputError(`fee schedule '${file}' must be a .csv or .json file`);
  }
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new InputError(`cannot read fee schedule '${file}'`);
  }
  return parseFeeSchedule(text, extension === ".csv" ? "csv" : "json", decimals);
}

/**
 * Builds the Merkle tree of a fee schedule, whose root a plan carries (`createPlan`).
 *
 * @example
 * const tree = buildFeeScheduleTree(entries); tree.root;
 */
export function buildFeeScheduleTree(entries: readonly FeeScheduleEntry[]): FeeScheduleTree {
  if (entries.length === 0) throw new InputError("the fee schedule has no entries");
  return StandardMerkleTree.of(
    entries.map((item): [string, string] => [item.serviceCode, item.allowedAmount.toString()]),
    [...FEE_LEAF_ENCODING],
  );
}

/**
 * The leaf amount and proof a claim on a Merkle fee schedule carries for `code`.
 *
 * @example
 * const { scheduleAmount, scheduleProof } = proveFee(tree, "99213");
 */
export function proveFee(tree: FeeScheduleTree, code: string): FeeProof {
  const serviceCode = code.startsWith("0x") ? code.toLowerCase() : encodeServiceCode(code);
  for (const [index, [leafCode, amount]] of tree.entries()) {
    if (leafCode.toLowerCase() === serviceCode) {
      return { scheduleAmount: BigInt(amount), scheduleProof: tree.getProof(index) };
    }
  }
  throw new InputError(`service code ${decodeServiceCode(serviceCode)} is not in the fee schedule`);
}

/**
 * Writes a fee schedule tree as JSON (OpenZeppelin's `standard-v1` dump), for providers to build
 * proofs from.
 *
 * @example
 * writeFeeScheduleTree("fees/2025.tree.json", tree);
 */
export function writeFeeScheduleTree(file: string, tree: FeeScheduleTree): void {
  writeFileSync(file, `${JSON.stringify(tree.dump(), null, 2)}\n`);
}

/**
 * Reads a fee schedule tree written by `writeFeeScheduleTree`.
 *
 * @example
 * const tree = readFeeScheduleTree("fees/2025.tree.json");
 */
export function readFeeScheduleTree(file: string): FeeScheduleTree {
  let data: { format?: unknown; leafEncoding?: unknown };
  try {
    data = JSON.parse(readFileSync(file, "utf8")) as { format?: unknown; leafEncoding?: unknown };
  } catch {
    throw new InputError(
      `cannot read fee schedule tree '${file}' (expected the JSON 'claims plan' wrote)`,
    );
  }
  if (
    data.format !== "standard-v1" ||
    JSON.stringify(data.leafEncoding) !== JSON.stringify(FEE_LEAF_ENCODING)
  ) {
    throw new InputError(`'${file}' is not a fee schedule tree (leaves bytes32,uint256)`);
  }
  return StandardMerkleTree.load(data as StandardMerkleTreeData<[string, string]>);
}
