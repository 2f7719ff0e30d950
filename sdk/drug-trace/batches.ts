import { ZeroHash } from "ethers";
import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { InputError } from "../errors.js";
import type { TraceReceipt } from "./contract.js";
import { formatGtin } from "./gs1.js";
import { decoded, nameOf, sendDrugTraceFor, traceAction } from "./internal.js";
import { readGtinCompanyPrefix } from "./prefixes.js";
import { QUARANTINE_ORIGINS, UNIT_STATUSES, batchStateName, toGs1Bytes32 } from "./vocabulary.js";
import type { BatchState, QuarantineOrigin, UnitStatus } from "./vocabulary.js";

/*
 * Batches and units: registering a batch, dispensing a unit, recalling a batch, and reading
 * them back (a pack's verdict, a batch record, a holding).
 */

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           WRITES                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A batch registered (`BatchRegistered`). */
export interface RegisterReceipt extends TraceReceipt {
  readonly batchId: string;
}

/** What `registerBatch` needs. */
export interface BatchRegistration {
  readonly gtin: bigint;
  /**
   * The number of digits of the GTIN's company prefix (6 to 12); when omitted, read from the
   * registry (`companyPrefixOf`), which costs one free view call.
   */
  readonly prefixLength?: number;
  /** GS1 text ("ABC123") or its bytes32 (`encodeGs1Text`). */
  readonly lot: string;
  /** The last second (unix time) at which units may be shipped onward or dispensed. */
  readonly expiry: bigint;
  readonly unitCount: bigint;
  readonly serialsRoot: BytesLike;
  /** Hash of the off-chain batch metadata; the zero hash when omitted. */
  readonly metadataHash?: BytesLike;
}

/** A unit and its proof, as `dispense` and `verifyUnit` take them (a serial tree's `proofFor` result fits). */
export interface UnitProof {
  readonly index: bigint;
  /** GS1 text ("SN0001") or its bytes32 (`encodeGs1Text`). */
  readonly serial: string;
  readonly proof: readonly string[];
}

/**
 * Registers a batch as the connected manufacturer and returns its id from `BatchRegistered`.
 *
 * @example
 * const { batchId, gasUsed } = await registerBatch(drugTrace.connect(manufacturer), {
 *   gtin: 9506000134352n, lot: "ABC123", expiry: expiryToTimestamp("271231"),
 *   unitCount: BigInt(tree.count), serialsRoot: tree.root,
 * });
 */
export async function registerBatch(
  drugTrace: DrugTrace,
  batch: BatchRegistration,
): Promise<RegisterReceipt> {
  const prefixLength =
    batch.prefixLength ?? (await readGtinCompanyPrefix(drugTrace, batch.gtin))?.prefix.length;
  if (prefixLength === undefined) {
    throw new InputError(
      `GTIN ${formatGtin(batch.gtin)} falls under no registered company prefix: the admin binds its brand owner's prefix first ('trace prefix add')`,
    );
  }
  const { sent, event } = await sendDrugTraceFor(drugTrace, "BatchRegistered", () =>
    drugTrace.registerBatch(
      batch.gtin,
      prefixLength,
      toGs1Bytes32(batch.lot),
      batch.expiry,
      batch.unitCount,
      batch.serialsRoot,
      batch.metadataHash ?? ZeroHash,
    ),
  );
  return { ...sent, batchId: event.batchId };
}

/**
 * Dispenses (decommissions) one unit as the connected dispenser, which must hold stock of the batch.
 *
 * @example
 * const { gasUsed } = await dispense(drugTrace.connect(pharmacy), batchId, tree.proofFor("SN0042"));
 */
export const dispense = traceAction((drugTrace, batchId: BytesLike, unit: UnitProof) =>
  drugTrace.dispense(batchId, unit.index, toGs1Bytes32(unit.serial), [...unit.proof]),
);

/**
 * Recalls a batch as its connected manufacturer or a regulator.
 *
 * @example
 * await recall(drugTrace.connect(regulator), { batchId, reasonCode: 3n, evidenceHash });
 */
export const recall = traceAction(
  (
    drugTrace,
    recallOrder: {
      readonly batchId: BytesLike;
      readonly reasonCode: bigint;
      readonly evidenceHash: BytesLike;
    },
  ) => drugTrace.recall(recallOrder.batchId, recallOrder.reasonCode, recallOrder.evidenceHash),
);

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           READS                            */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** What a verifier page shows for a pack: one status, plus expiry and manufacturer. */
export interface UnitVerdict {
  readonly status: UnitStatus;
  /** The batch's expiry (unix seconds); 0n when Unknown. */
  readonly expiry: bigint;
  /** The batch's manufacturer; the zero address when Unknown. */
  readonly manufacturer: string;
}

/**
 * Verifies a pack's code (free, a view call): Unknown (counterfeit or not registered), Active,
 * Dispensed, Recalled, Quarantined or Expired.
 *
 * @example
 * const verdict = await verifyUnit(drugTrace, {
 *   gtin: 9506000134352n, lot: "ABC123", ...tree.proofFor("SN0001"),
 * });
 * console.log(verdict.status); // "Active"
 */
export async function verifyUnit(
  drugTrace: DrugTrace,
  unit: UnitProof & { readonly gtin: bigint; readonly lot: string },
): Promise<UnitVerdict> {
  const [status, expiry, manufacturer] = await decoded(() =>
    drugTrace.verifyUnit(unit.gtin, toGs1Bytes32(unit.lot), toGs1Bytes32(unit.serial), unit.index, [
      ...unit.proof,
    ]),
  );
  return {
    status: nameOf(UNIT_STATUSES, status, "unit status"),
    expiry,
    manufacturer,
  };
}

/** A batch record, decoded. */
export interface BatchView {
  readonly batchId: string;
  /** None when the batch is not registered (every other field is then zero). */
  readonly state: BatchState;
  readonly manufacturer: string;
  readonly expiry: bigint;
  readonly unitCount: bigint;
  /** Why the batch is quarantined; None unless `state` is Quarantined. */
  readonly quarantineOrigin: QuarantineOrigin;
  readonly serialsRoot: string;
}

/**
 * Reads a batch: manufacturer, expiry, unit count, state (Expired derived), serials root.
 *
 * @example
 * const batch = await readBatch(drugTrace, batchId);
 * if (batch.state === "None") throw new InputError(`unknown batch ${batchId}`);
 */
export async function readBatch(drugTrace: DrugTrace, batchId: string): Promise<BatchView> {
  const record = await decoded(() => drugTrace.batchOf(batchId));
  return {
    batchId,
    state: batchStateName(record.state),
    manufacturer: record.manufacturer,
    expiry: record.expiry,
    unitCount: record.unitCount,
    quarantineOrigin: nameOf(QUARANTINE_ORIGINS, record.quarantineOrigin, "quarantine origin"),
    serialsRoot: record.serialsRoot,
  };
}

/**
 * Reads a batch that must be registered, for commands that act on one.
 *
 * @throws InputError "unknown batch 0x…" when no batch has that id.
 * @example
 * const batch = await readRegisteredBatch(drugTrace, batchIdOf(9506000134352n, "ABC123"));
 */
export async function readRegisteredBatch(
  drugTrace: DrugTrace,
  batchId: string,
): Promise<BatchView> {
  const batch = await readBatch(drugTrace, batchId);
  if (batch.state === "None") {
    throw new InputError(
      `unknown batch ${batchId}: no batch with that id is registered on DrugTrace ${await drugTrace.getAddress()}`,
    );
  }
  return batch;
}

/**
 * How many units of a batch `holder` holds.
 *
 * @example
 * const units = await readHolding(drugTrace, batchId, pharmacy.address);
 */
export async function readHolding(
  drugTrace: DrugTrace,
  batchId: string,
  holder: string,
): Promise<bigint> {
  return decoded(() => drugTrace.holdingOf(batchId, holder));
}
