import type { TransactionReceipt } from "ethers";
import type { ChainType, NetworkConnection } from "hardhat/types/network";

import { TX_BASE_GAS, describeFloor, floorOf } from "../../support/bench/floor.js";
import type { FloorBreakdown, StorageWrite } from "../../support/bench/floor.js";

/** One mined transaction, measured against its floor. */
export interface Measured {
  readonly hash: string;
  /** Gas used, from the receipt (intrinsic and calldata included, refunds applied). */
  readonly gas: bigint;
  readonly floor: FloorBreakdown;
  readonly writes: readonly StorageWrite[];
  /** gas − 21,000 − calldata gas: what the contract's code spent. */
  readonly executionGas: bigint;
  /** The OP-stack receipt's `l1GasUsed` (16 × the Fjord estimated compressed size), on an OP chain. */
  readonly l1GasUsed?: bigint;
}

/** A row of `bench/results.json`. */
export interface BenchEntry {
  gas: number;
  floor: number;
  /** gas / floor, two decimals. */
  ratio: number;
  /** The target, when it sets one. */
  target?: number;
  met?: boolean;
  /** One line: how the floor adds up. */
  floorExplained: string;
  floorParts?: { intrinsic: number; calldata: number; storage: number; logs: number };
  calldataBytes?: number;
  executionGas?: number;
  notes?: string;
  [extra: string]: unknown;
}

interface RawReceipt {
  readonly l1GasUsed?: string;
}

/**
 * Measures a mined transaction: its gas and its floor given the storage writes the operation
 * must make (`writes`), with calldata from the transaction and logs from the receipt.
 *
 * @example
 * const measured = await measureReceipt(connection, receipt, [{ change: "set", what: "the consent" }]);
 */
export async function measureReceipt(
  connection: NetworkConnection<ChainType>,
  receipt: TransactionReceipt,
  writes: readonly StorageWrite[],
): Promise<Measured> {
  const tx = await connection.ethers.provider.getTransaction(receipt.hash);
  if (tx === null) throw new Error(`transaction ${receipt.hash} not found`);
  const floor = floorOf({ data: tx.data, logs: receipt.logs, writes });
  const raw = (await connection.provider.request({
    method: "eth_getTransactionReceipt",
    params: [receipt.hash],
  })) as RawReceipt;
  return {
    hash: receipt.hash,
    gas: receipt.gasUsed,
    floor,
    writes,
    executionGas: receipt.gasUsed - TX_BASE_GAS - floor.calldata,
    ...(raw.l1GasUsed === undefined ? {} : { l1GasUsed: BigInt(raw.l1GasUsed) }),
  };
}

/** gas / floor rounded to two decimals. */
export function ratioOf(gas: bigint | number, floor: bigint | number): number {
  return Math.round((Number(gas) / Number(floor)) * 100) / 100;
}

/**
 * The results row of a measured transaction.
 *
 * @example
 * results["grantConsent"] = entryOf(measured, { target: 80_000 });
 */
export function entryOf(
  measured: Measured,
  options: { target?: number; notes?: string } = {},
): BenchEntry {
  const gas = Number(measured.gas);
  const floor = Number(measured.floor.total);
  const entry: BenchEntry = {
    gas,
    floor,
    ratio: ratioOf(gas, floor),
    floorExplained: describeFloor(measured.floor, measured.writes),
    floorParts: {
      intrinsic: Number(measured.floor.intrinsic),
      calldata: Number(measured.floor.calldata),
      storage: Number(measured.floor.storage),
      logs: Number(measured.floor.logs),
    },
    calldataBytes: measured.floor.calldataBytes,
    executionGas: Number(measured.executionGas),
  };
  if (options.target !== undefined) {
    entry.target = options.target;
    entry.met = gas <= options.target;
  }
  if (options.notes !== undefined) entry.notes = options.notes;
  return entry;
}

/** Adds a target to an entry computed otherwise. */
export function withTarget(entry: BenchEntry, target: number | undefined): BenchEntry {
  if (target === undefined) return entry;
  return { ...entry, target, met: entry.gas <= target };
}
