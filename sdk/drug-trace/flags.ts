import type { BytesLike, ContractTransactionResponse } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { parseEventLogs } from "../transactions.js";
import type { TraceReceipt } from "./contract.js";
import {
  decoded,
  nameOf,
  sendDrugTrace,
  sendDrugTraceFor,
  traceAction,
  valueOf,
  viewOf,
} from "./internal.js";
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
  const { sent, event } = await sendDrugTraceFor(drugTrace, "SuspectFlagged", () =>
    drugTrace.flagSuspect(
      report.batchId,
      report.index,
      toGs1Bytes32(report.serial),
      valueOf(UNIT_STATUSES, report.verdict),
      report.evidenceHash,
    ),
  );
  return { ...sent, flagId: event.flagId };
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
  const { sent, event } = await sendDrugTraceFor(drugTrace, "SuspectResolved", () =>
    drugTrace.resolveSuspect(flagId, valueOf(RESOLUTIONS, resolution)),
  );
  const changes = parseEventLogs(drugTrace, sent.receipt, ["BatchQuarantined", "BatchRecalled"]);
  return {
    ...sent,
    batchId: event.batchId,
    batchQuarantined: changes.some((event) => event.name === "BatchQuarantined"),
    batchRecalled: changes.some((event) => event.name === "BatchRecalled"),
  };
}

/** A sensor's reading outside the allowed range. */
export interface ExcursionReading {
  readonly readingHash: BytesLike;
  /** Hundredths of a degree Celsius, e.g. 1250n for 12.50 °C. */
  readonly extremeCentiCelsius: bigint;
}

/** An excursion of a batch in storage, as `reportExcursion` takes it. */
export interface BatchExcursion extends ExcursionReading {
  readonly batchId: BytesLike;
}

/** An excursion of goods in transit, as `reportShipmentExcursion` takes it. */
export interface ShipmentExcursion extends ExcursionReading {
  readonly shipmentId: bigint;
}

/** An excursion report: sends `call` and says whether it newly quarantined the batch. */
function excursionAction<E extends ExcursionReading>(
  call: (drugTrace: DrugTrace, excursion: E) => Promise<ContractTransactionResponse>,
): (drugTrace: DrugTrace, excursion: E) => Promise<ExcursionReceipt> {
  return async (drugTrace, excursion) => {
    const sent = await sendDrugTrace(() => call(drugTrace, excursion));
    const quarantined = parseEventLogs(drugTrace, sent.receipt, ["BatchQuarantined"]);
    return { ...sent, batchQuarantined: quarantined.length > 0 };
  };
}

/**
 * Reports a temperature excursion as the connected sensor oracle; the batch is quarantined.
 *
 * @example
 * await reportExcursion(drugTrace.connect(sensor), { batchId, readingHash, extremeCentiCelsius: 1250n });
 */
export const reportExcursion = excursionAction(
  (drugTrace, { batchId, readingHash, extremeCentiCelsius }: BatchExcursion) =>
    drugTrace.reportExcursion(batchId, readingHash, extremeCentiCelsius),
);

/**
 * Reports a temperature excursion of goods in transit, as the connected sensor oracle: the
 * pending shipment must be sent or to be received by the sensor's custodian.
 *
 * @example
 * await reportShipmentExcursion(drugTrace.connect(truckSensor), { shipmentId, readingHash, extremeCentiCelsius: 950n });
 */
export const reportShipmentExcursion = excursionAction(
  (drugTrace, { shipmentId, readingHash, extremeCentiCelsius }: ShipmentExcursion) =>
    drugTrace.reportShipmentExcursion(shipmentId, readingHash, extremeCentiCelsius),
);

/**
 * Binds a cold-chain sensor to the connected trade partner: it then reports only on goods that
 * partner holds, ships or receives.
 *
 * @example
 * await bindSensor(drugTrace.connect(distributor), coldRoomSensor.address);
 */
export const bindSensor = traceAction((drugTrace, sensor: string) => drugTrace.bindSensor(sensor));

/**
 * Unbinds a sensor, as its custodian or a regulator (a leaked key).
 *
 * @example
 * await unbindSensor(drugTrace.connect(regulator), leakedSensor);
 */
export const unbindSensor = traceAction((drugTrace, sensor: string) =>
  drugTrace.unbindSensor(sensor),
);

/**
 * Lifts a batch's quarantine as its connected manufacturer or a regulator.
 *
 * @example
 * await releaseQuarantine(drugTrace.connect(regulator), batchId);
 */
export const releaseQuarantine = traceAction((drugTrace, batchId: BytesLike) =>
  drugTrace.releaseQuarantine(batchId),
);

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
  return viewOf(record, {
    flagId,
    state: flagStateName(record.state),
    verdict: nameOf(UNIT_STATUSES, record.verdict, "unit status"),
  });
}
