import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { parseEventLogs, requireEvent } from "../transactions.js";
import type { TraceReceipt } from "./contract.js";
import { decoded, nameOf, sendDrugTrace, valueOf } from "./internal.js";
import { RESOLUTIONS, UNIT_STATUSES, flagStateName, toGs1Bytes32 } from "./vocabulary.js";
import type { FlagState, Resolution, UnitStatus } from "./vocabulary.js";

/*
 * Suspect flags and the cold chain: a trade partner flags a suspect unit and a regulator resolves
 * it; sensors report temperature excursions that quarantine a batch until it is released.
 */

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           WRITES                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A suspect flag raised (`SuspectFlagged`). */
export interface FlagReceipt extends TraceReceipt {
  readonly flagId: bigint;
}

/** A suspect flag resolved: whether the batch changed state with it. */
export interface ResolveReceipt extends TraceReceipt {
  readonly batchId: string;
  readonly batchQuarantined: boolean;
  readonly batchRecalled: boolean;
}

/** An excursion reported: whether it newly quarantined the batch. */
export interface ExcursionReceipt extends TraceReceipt {
  readonly batchQuarantined: boolean;
}

/** What `flagSuspect` needs. */
export interface SuspectReport {
  readonly batchId: BytesLike;
  readonly index: bigint;
  /** GS1 text or its bytes32, as scanned. */
  readonly serial: string;
  readonly verdict: UnitStatus;
  readonly evidenceHash: BytesLike;
}

/**
 * Raises a suspect flag about one unit as the connected trade participant, e.g. for a code that
 * verified as anything but Active at the counter.
 *
 * @example
 * const verdict = await verifyUnit(drugTrace, code);
 * if (verdict.status !== "Active") {
 *   const { flagId } = await flagSuspect(drugTrace.connect(pharmacy), {
 *     batchId: batchIdOf(gtin, lotText), index, serial,
 *     verdict: verdict.status, evidenceHash,
 *   });
 * }
 */
export async function flagSuspect(
  drugTrace: DrugTrace,
  report: SuspectReport,
): Promise<FlagReceipt> {
  const sent = await sendDrugTrace(() =>
    drugTrace.flagSuspect(
      report.batchId,
      report.index,
      toGs1Bytes32(report.serial),
      valueOf(UNIT_STATUSES, report.verdict),
      report.evidenceHash,
    ),
  );
  const { flagId } = requireEvent(drugTrace, sent.receipt, "SuspectFlagged");
  return { ...sent, flagId };
}

/**
 * Resolves an open suspect flag as the connected regulator.
 *
 * @example
 * const { batchQuarantined } = await resolveSuspect(drugTrace.connect(regulator), 1n, "Quarantined");
 */
export async function resolveSuspect(
  drugTrace: DrugTrace,
  flagId: bigint,
  resolution: Resolution,
): Promise<ResolveReceipt> {
  const sent = await sendDrugTrace(() =>
    drugTrace.resolveSuspect(flagId, valueOf(RESOLUTIONS, resolution)),
  );
  const { batchId } = requireEvent(drugTrace, sent.receipt, "SuspectResolved");
  const changes = parseEventLogs(drugTrace, sent.receipt, ["BatchQuarantined", "BatchRecalled"]);
  return {
    ...sent,
    batchId,
    batchQuarantined: changes.some((event) => event.name === "BatchQuarantined"),
    batchRecalled: changes.some((event) => event.name === "BatchRecalled"),
  };
}

/** Whether a transaction quarantined a batch (`BatchQuarantined`). */
function quarantinedIn(drugTrace: DrugTrace, sent: TraceReceipt): boolean {
  return parseEventLogs(drugTrace, sent.receipt, ["BatchQuarantined"]).length > 0;
}

/**
 * Reports a temperature excursion as the connected sensor oracle; the batch is quarantined.
 *
 * @example
 * await reportExcursion(drugTrace.connect(sensor), { batchId, readingHash, extremeCentiCelsius: 1250n });
 */
export async function reportExcursion(
  drugTrace: DrugTrace,
  excursion: {
    readonly batchId: BytesLike;
    readonly readingHash: BytesLike;
    /** Hundredths of a degree Celsius, e.g. 1250n for 12.50 °C. */
    readonly extremeCentiCelsius: bigint;
  },
): Promise<ExcursionReceipt> {
  const sent = await sendDrugTrace(() =>
    drugTrace.reportExcursion(
      excursion.batchId,
      excursion.readingHash,
      excursion.extremeCentiCelsius,
    ),
  );
  return { ...sent, batchQuarantined: quarantinedIn(drugTrace, sent) };
}

/**
 * Reports a temperature excursion of goods in transit, as the connected sensor oracle: the
 * pending shipment must be sent or to be received by the sensor's custodian.
 *
 * @example
 * await reportShipmentExcursion(drugTrace.connect(truckSensor), { shipmentId, readingHash, extremeCentiCelsius: 950n });
 */
export async function reportShipmentExcursion(
  drugTrace: DrugTrace,
  excursion: {
    readonly shipmentId: bigint;
    readonly readingHash: BytesLike;
    /** Hundredths of a degree Celsius. */
    readonly extremeCentiCelsius: bigint;
  },
): Promise<ExcursionReceipt> {
  const sent = await sendDrugTrace(() =>
    drugTrace.reportShipmentExcursion(
      excursion.shipmentId,
      excursion.readingHash,
      excursion.extremeCentiCelsius,
    ),
  );
  return { ...sent, batchQuarantined: quarantinedIn(drugTrace, sent) };
}

/**
 * Binds a cold-chain sensor to the connected trade partner: it then reports only on goods that
 * partner holds, ships or receives.
 *
 * @example
 * await bindSensor(drugTrace.connect(distributor), coldRoomSensor.address);
 */
export async function bindSensor(drugTrace: DrugTrace, sensor: string): Promise<TraceReceipt> {
  return sendDrugTrace(() => drugTrace.bindSensor(sensor));
}

/**
 * Unbinds a sensor, as its custodian or a regulator (a leaked key).
 *
 * @example
 * await unbindSensor(drugTrace.connect(regulator), leakedSensor);
 */
export async function unbindSensor(drugTrace: DrugTrace, sensor: string): Promise<TraceReceipt> {
  return sendDrugTrace(() => drugTrace.unbindSensor(sensor));
}

/**
 * Lifts a batch's quarantine as its connected manufacturer or a regulator.
 *
 * @example
 * await releaseQuarantine(drugTrace.connect(regulator), batchId);
 */
export async function releaseQuarantine(
  drugTrace: DrugTrace,
  batchId: BytesLike,
): Promise<TraceReceipt> {
  return sendDrugTrace(() => drugTrace.releaseQuarantine(batchId));
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           READS                            */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/**
 * The trade partner a sensor reports for, or `undefined` when unbound.
 *
 * @example
 * const custodian = await readCustodianOf(drugTrace, sensor.address);
 */
export async function readCustodianOf(
  drugTrace: DrugTrace,
  sensor: string,
): Promise<string | undefined> {
  const custodian = await decoded(() => drugTrace.custodianOf(sensor));
  return BigInt(custodian) === 0n ? undefined : custodian;
}

/**
 * How many of a reporter's suspect flags are open (at most `MAX_OPEN_FLAGS`).
 *
 * @example
 * if ((await readOpenFlagsOf(drugTrace, pharmacy.address)) >= MAX_OPEN_FLAGS) console.log("ask a regulator");
 */
export async function readOpenFlagsOf(drugTrace: DrugTrace, reporter: string): Promise<bigint> {
  return decoded(() => drugTrace.openFlagsOf(reporter));
}

/** A suspect flag, decoded. */
export interface SuspectFlagView {
  readonly flagId: bigint;
  /** None for an unknown id. */
  readonly state: FlagState;
  readonly batchId: string;
  readonly reporter: string;
  readonly flaggedAt: bigint;
  readonly verdict: UnitStatus;
  readonly evidenceHash: string;
}

/**
 * Reads a suspect flag.
 *
 * @example
 * const flag = await readSuspectFlag(drugTrace, 1n); // flag.state === "Open"
 */
export async function readSuspectFlag(
  drugTrace: DrugTrace,
  flagId: bigint,
): Promise<SuspectFlagView> {
  const record = await decoded(() => drugTrace.suspectFlagOf(flagId));
  return {
    flagId,
    state: flagStateName(record.state),
    batchId: record.batchId,
    reporter: record.reporter,
    flaggedAt: record.flaggedAt,
    verdict: nameOf(UNIT_STATUSES, record.verdict, "unit status"),
    evidenceHash: record.evidenceHash,
  };
}
