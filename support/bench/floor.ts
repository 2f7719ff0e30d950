import { getBytes } from "ethers";
import type { BytesLike } from "ethers";
import { formatNumber } from "../../tasks/lib/terminal.js";

/*
 * The gas floor of an operation: what the EVM charges for the parts no implementation can avoid.
 * Four items only, each priced by the yellow paper as amended up to Prague:
 *
 * - 21,000 intrinsic gas of a transaction;
 * - calldata, 16 gas per non-zero byte and 4 per zero byte of the actual transaction data;
 * - the storage writes the operation must make (stated per operation by the benchmark), each
 *   slot priced once at its first, cold access: 0 -> non-zero 22,100 (20,000 + 2,100 cold),
 *   non-zero -> non-zero 5,000 (2,900 + 2,100 cold);
 * - the logs it emits, 375 + 375 per topic + 8 per data byte, from the actual receipt.
 *
 * Reads, hashing, signature recovery, access checks, ABI decoding and calls into other contracts
 * are left out: they are what the ratio gas / floor measures. Prague's EIP-7623 calldata floor
 * (21,000 + 10 gas per calldata token, a zero byte one token and a non-zero byte four) applies
 * when it is higher: a transaction pays at least that whatever it executes, so it bounds the floor
 * of calldata-heavy, storage-light operations (a dispense with a long proof in a bitmap word that
 * is already written).
 */

/** Intrinsic gas of every transaction. */
export const TX_BASE_GAS = 21_000n;
/** Calldata gas of a zero byte. */
export const ZERO_BYTE_GAS = 4n;
/** Calldata gas of a non-zero byte. */
export const NON_ZERO_BYTE_GAS = 16n;
/** EIP-7623 (Prague): a transaction pays at least 21,000 + 10 gas per calldata token. */
export const FLOOR_GAS_PER_TOKEN = 10n;
/** LOG0 base cost. */
export const LOG_GAS = 375n;
/** Per topic of a log. */
export const LOG_TOPIC_GAS = 375n;
/** Per byte of a log's data. */
export const LOG_DATA_BYTE_GAS = 8n;
/** EIP-2929 cold storage access (charged on a slot's first access in a transaction). */
export const COLD_SLOAD_GAS = 2_100n;
/** SSTORE of a zero slot to non-zero, cold: 20,000 + 2,100. */
export const SSTORE_SET_COLD_GAS = 22_100n;
/** SSTORE of a non-zero slot to another non-zero value, cold: 2,900 + 2,100. */
export const SSTORE_UPDATE_COLD_GAS = 5_000n;

/** How a storage slot changes: `set` (0 → non-zero) or `update` (non-zero → non-zero). */
export type StorageChange = "set" | "update";

/** One kind of slot an operation must write, e.g. `{ change: "set", what: "the consent" }`. */
export interface StorageWrite {
  readonly change: StorageChange;
  /** What the slot holds, for the explanation. */
  readonly what: string;
  /** How many such slots (default 1). */
  readonly slots?: number;
}

/**
 * `slots` slots (default 1) the operation sets from zero to non-zero, holding `what`.
 *
 * @example
 * sets("the consent"); // { change: "set", what: "the consent" }
 */
export function sets(what: string, slots?: number): StorageWrite {
  return slots === undefined ? { change: "set", what } : { change: "set", what, slots };
}

/**
 * `slots` slots (default 1) the operation changes from one non-zero value to another.
 *
 * @example
 * updates("the sender's holding"); // { change: "update", what: "the sender's holding" }
 */
export function updates(what: string, slots?: number): StorageWrite {
  return slots === undefined ? { change: "update", what } : { change: "update", what, slots };
}

/** A log as a receipt carries it. */
export interface LogLike {
  readonly topics: readonly string[];
  readonly data: string;
}

/** The floor of one transaction, item by item. */
export interface FloorBreakdown {
  readonly intrinsic: bigint;
  readonly calldata: bigint;
  readonly calldataBytes: number;
  readonly calldataZeroBytes: number;
  readonly storage: bigint;
  readonly logs: bigint;
  readonly logCount: number;
  /** Calldata tokens (zero byte 1, non-zero byte 4) and the EIP-7623 floor they set. */
  readonly calldataTokens: bigint;
  readonly eip7623Floor: bigint;
  /** intrinsic + calldata + storage + logs, or the EIP-7623 floor when that is higher. */
  readonly total: bigint;
}

/**
 * Calldata gas of `data`: 16 per non-zero byte, 4 per zero byte.
 *
 * @example
 * calldataGas("0x00ff"); // 20n
 */
export function calldataGas(data: BytesLike): bigint {
  let gas = 0n;
  for (const byte of getBytes(data)) gas += byte === 0 ? ZERO_BYTE_GAS : NON_ZERO_BYTE_GAS;
  return gas;
}

/**
 * The gas a log costs: 375, plus 375 per topic, plus 8 per data byte.
 *
 * @example
 * logGas({ topics: [transferTopic, from, to], data: amountWord }); // 375n + 3n * 375n + 32n * 8n
 */
export function logGas(log: LogLike): bigint {
  return (
    LOG_GAS +
    LOG_TOPIC_GAS * BigInt(log.topics.length) +
    LOG_DATA_BYTE_GAS * BigInt(getBytes(log.data).length)
  );
}

/**
 * Gas of storage writes, each slot at its cold price: `set` 22,100, `update` 5,000.
 *
 * @example
 * storageGas([{ change: "set", what: "the consent" }]); // 22_100n
 */
export function storageGas(writes: readonly StorageWrite[]): bigint {
  let gas = 0n;
  for (const write of writes) {
    const price = write.change === "set" ? SSTORE_SET_COLD_GAS : SSTORE_UPDATE_COLD_GAS;
    gas += price * BigInt(write.slots ?? 1);
  }
  return gas;
}

/**
 * The EIP-7623 minimum a transaction with calldata `data` pays: 21,000 + 10 per token, where a
 * zero byte is one token and a non-zero byte four.
 *
 * @example
 * calldataFloorGas("0x00ff"); // 21_000n + 10n * 5n
 */
export function calldataFloorGas(data: BytesLike): bigint {
  return TX_BASE_GAS + FLOOR_GAS_PER_TOKEN * calldataTokens(data);
}

function calldataTokens(data: BytesLike): bigint {
  let tokens = 0n;
  for (const byte of getBytes(data)) tokens += byte === 0 ? 1n : 4n;
  return tokens;
}

/**
 * The floor of a transaction with calldata `data` that must make `writes` and emitted `logs`.
 *
 * @example
 * const floor = floorOf({ data: tx.data, logs: receipt.logs, writes: [{ change: "set", what: "the consent" }] });
 * floor.total; // 21,000 + calldata + 22,100 + log gas
 */
export function floorOf(parts: {
  readonly data: BytesLike;
  readonly logs: readonly LogLike[];
  readonly writes: readonly StorageWrite[];
}): FloorBreakdown {
  const bytes = getBytes(parts.data);
  const calldata = calldataGas(bytes);
  const storage = storageGas(parts.writes);
  const logs = parts.logs.reduce((sum, log) => sum + logGas(log), 0n);
  const standard = TX_BASE_GAS + calldata + storage + logs;
  const eip7623 = calldataFloorGas(bytes);
  return {
    intrinsic: TX_BASE_GAS,
    calldata,
    calldataBytes: bytes.length,
    calldataZeroBytes: bytes.filter((byte) => byte === 0).length,
    storage,
    logs,
    logCount: parts.logs.length,
    calldataTokens: calldataTokens(bytes),
    eip7623Floor: eip7623,
    total: standard > eip7623 ? standard : eip7623,
  };
}

/**
 * One line explaining a floor, e.g. "21,000 + calldata 1,316 (100 B) + storage 44,200
 * (2 × set: the batch) + logs 2,631 (1 log)".
 *
 * @example
 * describeFloor(floor, [{ change: "set", what: "the consent" }]);
 */
export function describeFloor(floor: FloorBreakdown, writes: readonly StorageWrite[]): string {
  const storage =
    writes.length === 0
      ? "storage 0 (no write required)"
      : `storage ${formatNumber(floor.storage)} (${writes
          .map(
            (w) =>
              `${(w.slots ?? 1) === 1 ? "" : `${w.slots ?? 1} × `}${w.change} ${w.change === "set" ? "22,100" : "5,000"}: ${w.what}`,
          )
          .join("; ")})`;
  const logs = `logs ${formatNumber(floor.logs)} (${floor.logCount} log${floor.logCount === 1 ? "" : "s"})`;
  const sum = `21,000 + calldata ${formatNumber(floor.calldata)} (${floor.calldataBytes} B) + ${storage} + ${logs}`;
  if (
    floor.total === floor.eip7623Floor &&
    floor.eip7623Floor > floor.intrinsic + floor.calldata + floor.storage + floor.logs
  ) {
    return `${sum} = ${formatNumber(floor.intrinsic + floor.calldata + floor.storage + floor.logs)}, below the EIP-7623 calldata floor 21,000 + 10 × ${formatNumber(floor.calldataTokens)} tokens = ${formatNumber(floor.eip7623Floor)}, which applies`;
  }
  return sum;
}
