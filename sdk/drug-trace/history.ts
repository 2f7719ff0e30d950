import { getAddress, toBeHex } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError } from "../errors.js";
import { formatTimestamp } from "../format.js";
import { eventTopics, parseEventLogs } from "../transactions.js";
import type { EventArgs, ParsedEvent } from "../transactions.js";
import { readHolding } from "./batches.js";
import { readShipment } from "./custody.js";
import type { ShipmentView } from "./custody.js";
import { nameOf, providerOf } from "./internal.js";
import { logReadOptionsOf, readLogsInRanges } from "./log-ranges.js";
import type { LogRangeInput } from "./log-ranges.js";
import {
  QUARANTINE_ORIGINS,
  RESOLUTIONS,
  SUSPECT_CONFIRMED_REASON,
  UNIT_STATUSES,
  decodeShipmentId,
} from "./vocabulary.js";
import type { QuarantineOrigin, Resolution, UnitStatus } from "./vocabulary.js";

/*
 * A batch's journey rebuilt from the contract's events, typed end to end: each row's details come
 * from TypeChain's event types (`parseEventLogs`), so a renamed event argument fails `tsc`.
 */

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                          HISTORY                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** The shipment an event is about. */
export interface ShipmentDetails {
  readonly shipmentId: bigint;
  readonly sender: string;
  readonly recipient: string;
  readonly quantity: bigint;
}

/** The details each batch event carries, by event name. */
export interface BatchEventDetails {
  BatchRegistered: {
    readonly gtin: bigint;
    readonly lot: string;
    readonly expiry: bigint;
    readonly unitCount: bigint;
    readonly serialsRoot: string;
    readonly metadataHash: string;
  };
  ShipmentSent: ShipmentDetails;
  ShipmentAccepted: ShipmentDetails;
  ShipmentRejected: ShipmentDetails;
  ShipmentCancelled: ShipmentDetails;
  UnitDispensed: { readonly index: bigint; readonly serial: string };
  BatchRecalled: { readonly reasonCode: bigint; readonly evidenceHash: string };
  SuspectFlagged: {
    readonly flagId: bigint;
    readonly index: bigint;
    readonly serial: string;
    readonly verdict: UnitStatus;
    readonly evidenceHash: string;
  };
  SuspectResolved: { readonly flagId: bigint; readonly resolution: Resolution };
  ExcursionReported: {
    readonly readingHash: string;
    readonly extremeCentiCelsius: bigint;
    /** The trade partner the sensor acts for. */
    readonly custodian: string;
  };
  BatchQuarantined: { readonly origin: QuarantineOrigin };
  QuarantineReleased: { readonly origin: QuarantineOrigin };
}

/** The name of an event in a batch's journey. */
export type BatchEventName = keyof BatchEventDetails;

/** The events that make up a batch's journey; `batchId` is the first indexed argument of each. */
export const BATCH_EVENTS = [
  "BatchRegistered",
  "ShipmentSent",
  "ShipmentAccepted",
  "ShipmentRejected",
  "ShipmentCancelled",
  "UnitDispensed",
  "BatchRecalled",
  "SuspectFlagged",
  "SuspectResolved",
  "ExcursionReported",
  "BatchQuarantined",
  "QuarantineReleased",
] as const satisfies readonly BatchEventName[];

/** One step of a batch's journey. */
export type BatchHistoryRow = {
  [E in BatchEventName]: {
    readonly block: number;
    /** Block time (unix seconds). */
    readonly timestamp: bigint;
    readonly transactionHash: string;
    readonly logIndex: number;
    readonly event: E;
    /** Who acted: manufacturer, sender, recipient, dispenser, recaller, reporter, regulator or sensor. */
    readonly actor: string;
    readonly details: BatchEventDetails[E];
  };
}[BatchEventName];

type Step = Pick<BatchHistoryRow, "event" | "actor" | "details">;

/** A batch event as `parseEventLogs` decodes it, typed by the contract. */
type BatchEvent = ParsedEvent<DrugTrace, BatchEventName>;

/** The arguments every shipment event carries. */
type ShipmentEventArgs = EventArgs<
  DrugTrace,
  "ShipmentSent" | "ShipmentAccepted" | "ShipmentRejected" | "ShipmentCancelled"
>;

function shipmentDetails(args: ShipmentEventArgs): ShipmentDetails {
  return {
    shipmentId: args.shipmentId,
    sender: args.sender,
    recipient: args.recipient,
    quantity: args.quantity,
  };
}

function stepOf(event: BatchEvent): Step {
  switch (event.name) {
    case "BatchRegistered":
      return {
        event: event.name,
        actor: event.args.manufacturer,
        details: {
          gtin: event.args.gtin,
          lot: event.args.lot,
          expiry: event.args.expiry,
          unitCount: event.args.unitCount,
          serialsRoot: event.args.serialsRoot,
          metadataHash: event.args.metadataHash,
        },
      };
    case "ShipmentSent":
    case "ShipmentCancelled":
      return { event: event.name, actor: event.args.sender, details: shipmentDetails(event.args) };
    case "ShipmentAccepted":
    case "ShipmentRejected":
      return {
        event: event.name,
        actor: event.args.recipient,
        details: shipmentDetails(event.args),
      };
    case "UnitDispensed":
      return {
        event: event.name,
        actor: event.args.dispenser,
        details: { index: event.args.index, serial: event.args.serial },
      };
    case "BatchRecalled":
      return {
        event: event.name,
        actor: event.args.by,
        details: { reasonCode: event.args.reasonCode, evidenceHash: event.args.evidenceHash },
      };
    case "SuspectFlagged":
      return {
        event: event.name,
        actor: event.args.reporter,
        details: {
          flagId: event.args.flagId,
          index: event.args.index,
          serial: event.args.serial,
          verdict: nameOf(UNIT_STATUSES, event.args.verdict, "unit status"),
          evidenceHash: event.args.evidenceHash,
        },
      };
    case "SuspectResolved":
      return {
        event: event.name,
        actor: event.args.regulator,
        details: {
          flagId: event.args.flagId,
          resolution: nameOf(RESOLUTIONS, event.args.resolution, "resolution"),
        },
      };
    case "ExcursionReported":
      return {
        event: event.name,
        actor: event.args.sensor,
        details: {
          readingHash: event.args.readingHash,
          extremeCentiCelsius: event.args.extremeCentiCelsius,
          custodian: event.args.custodian,
        },
      };
    case "BatchQuarantined":
    case "QuarantineReleased":
      return {
        event: event.name,
        actor: event.args.by,
        details: { origin: nameOf(QUARANTINE_ORIGINS, event.args.origin, "quarantine origin") },
      };
  }
}

/** Reads the DrugTrace logs matching `topics` and turns them into history rows, oldest first. */
async function readHistoryRows(
  drugTrace: DrugTrace,
  topics: (string | string[] | null)[],
  range: LogRangeInput,
): Promise<BatchHistoryRow[]> {
  const provider = providerOf(drugTrace);
  const logs = await readLogsInRanges(
    provider,
    { address: await drugTrace.getAddress(), topics },
    logReadOptionsOf(range),
  );
  const timestamps = new Map<number, bigint>();
  const rows: BatchHistoryRow[] = [];
  for (const event of parseEventLogs(drugTrace, logs, BATCH_EVENTS)) {
    const { log } = event;
    let timestamp = timestamps.get(log.blockNumber);
    if (timestamp === undefined) {
      const block = await provider.getBlock(log.blockNumber);
      if (block === null) throw new CareChainError(`block ${log.blockNumber} is not available`);
      timestamp = BigInt(block.timestamp);
      timestamps.set(log.blockNumber, timestamp);
    }
    rows.push({
      block: log.blockNumber,
      timestamp,
      transactionHash: log.transactionHash,
      logIndex: log.index,
      ...stepOf(event),
    } as BatchHistoryRow);
  }
  return rows;
}

function topicsOf(drugTrace: DrugTrace, events: readonly BatchEventName[]): string[] {
  return eventTopics(drugTrace, events);
}

/**
 * Rebuilds a batch's whole journey from the contract's events, oldest first, in one log query
 * (every batch event has `batchId` as its first indexed argument).
 *
 * @example
 * for (const row of await readBatchHistory(drugTrace, batchId)) {
 *   console.log(row.block, row.event, row.actor, describeHistoryDetails(row));
 * }
 */
export async function readBatchHistory(
  drugTrace: DrugTrace,
  batchId: string,
  fromBlock: LogRangeInput = 0,
): Promise<BatchHistoryRow[]> {
  return readHistoryRows(drugTrace, [topicsOf(drugTrace, BATCH_EVENTS), batchId], fromBlock);
}

/**
 * One pack's journey: its batch's history with only this unit's `UnitDispensed` and this unit's
 * suspect reports (a batch of a million packs may have a million dispensings; a verifier page
 * shows one pack). Two log queries: the batch's other events, and this unit's dispensing (`index`
 * is indexed). Both read in windows a capped provider accepts (`readLogsInRanges`).
 *
 * @example
 * const { index } = tree.proofFor("SN0001");
 * const rows = await readUnitJourney(drugTrace, batchIdOf(gtin, "ABC123"), index);
 */
export async function readUnitJourney(
  drugTrace: DrugTrace,
  batchId: string,
  index: bigint,
  fromBlock: LogRangeInput = 0,
): Promise<BatchHistoryRow[]> {
  const batchEvents = BATCH_EVENTS.filter((name) => name !== "UnitDispensed");
  const [batchRows, unitRows] = await Promise.all([
    readHistoryRows(drugTrace, [topicsOf(drugTrace, batchEvents), batchId], fromBlock),
    readHistoryRows(
      drugTrace,
      [topicsOf(drugTrace, ["UnitDispensed"]), batchId, toBeHex(index, 32)],
      fromBlock,
    ),
  ]);
  // suspect reports about other packs of the batch (and their resolutions) are not this pack's
  const otherFlags = new Set<bigint>();
  for (const row of batchRows) {
    if (row.event === "SuspectFlagged" && row.details.index !== index)
      otherFlags.add(row.details.flagId);
  }
  const ownRows = batchRows.filter(
    (row) =>
      !(
        (row.event === "SuspectFlagged" || row.event === "SuspectResolved") &&
        otherFlags.has(row.details.flagId)
      ),
  );
  return [...ownRows, ...unitRows].sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
}

/**
 * One line for people about a history row's details, e.g. `500 units 0xabc… → 0xdef… (shipment 1)`.
 *
 * @example
 * console.log(formatTable(["event", "details"], rows.map((row) => [row.event, describeHistoryDetails(row)])));
 */
export function describeHistoryDetails(row: BatchHistoryRow): string {
  switch (row.event) {
    case "BatchRegistered":
      return `GTIN ${row.details.gtin.toString().padStart(14, "0")}, ${row.details.unitCount} units, expiry ${formatTimestamp(row.details.expiry)}`;
    case "ShipmentSent":
    case "ShipmentAccepted":
    case "ShipmentRejected":
    case "ShipmentCancelled":
      return `${row.details.quantity} units ${row.details.sender} → ${row.details.recipient} (shipment ${decodeShipmentId(row.details.shipmentId).sequence})`;
    case "UnitDispensed":
      return `unit ${row.details.index}`;
    case "BatchRecalled":
      return row.details.reasonCode === SUSPECT_CONFIRMED_REASON
        ? "suspect flag confirmed"
        : `reason code ${row.details.reasonCode}`;
    case "SuspectFlagged":
      return `flag ${row.details.flagId}: unit ${row.details.index} verified ${row.details.verdict}`;
    case "SuspectResolved":
      return `flag ${row.details.flagId}: ${row.details.resolution}`;
    case "ExcursionReported":
      return `extreme ${(Number(row.details.extremeCentiCelsius) / 100).toFixed(2)} °C in the care of ${row.details.custodian}`;
    case "BatchQuarantined":
      return row.details.origin === "Regulator"
        ? "quarantined by a regulator (only a regulator releases it)"
        : "quarantined after a temperature excursion";
    case "QuarantineReleased":
      return row.details.origin === "Regulator"
        ? "regulator's quarantine released"
        : "excursion quarantine released";
  }
}

/** A holder of a batch and its holding. */
export interface BatchHolder {
  readonly holder: string;
  readonly quantity: bigint;
}

/**
 * The current holders of a batch, largest holding first: every address that could hold it (the
 * manufacturer and each accepted recipient, from events) with its `holdingOf`, zero holdings left
 * out. Units in transit are not held by anyone; see `readPendingShipments`.
 *
 * @example
 * for (const { holder, quantity } of await readHolders(drugTrace, batchId)) console.log(holder, quantity);
 */
export async function readHolders(
  drugTrace: DrugTrace,
  batchId: string,
  fromBlock: LogRangeInput = 0,
): Promise<BatchHolder[]> {
  const history = await readBatchHistory(drugTrace, batchId, fromBlock);
  const candidates = new Set<string>();
  for (const row of history) {
    if (row.event === "BatchRegistered") candidates.add(row.actor);
    if (row.event === "ShipmentAccepted") candidates.add(row.details.recipient);
  }
  const holders = await Promise.all(
    [...candidates].map(async (holder) => ({
      holder,
      quantity: await readHolding(drugTrace, batchId, holder),
    })),
  );
  return holders
    .filter((entry) => entry.quantity > 0n)
    .sort((a, b) => (a.quantity === b.quantity ? 0 : a.quantity > b.quantity ? -1 : 1));
}

/**
 * The shipments of a batch still in transit (Pending), oldest first.
 *
 * @example
 * const inTransit = (await readPendingShipments(drugTrace, batchId)).reduce((sum, s) => sum + s.quantity, 0n);
 */
export async function readPendingShipments(
  drugTrace: DrugTrace,
  batchId: string,
  fromBlock: LogRangeInput = 0,
): Promise<ShipmentView[]> {
  const history = await readBatchHistory(drugTrace, batchId, fromBlock);
  const settled = new Set<bigint>();
  const sent: bigint[] = [];
  for (const row of history) {
    if (row.event === "ShipmentSent") sent.push(row.details.shipmentId);
    if (
      row.event === "ShipmentAccepted" ||
      row.event === "ShipmentRejected" ||
      row.event === "ShipmentCancelled"
    ) {
      settled.add(row.details.shipmentId);
    }
  }
  const pending = sent.filter((shipmentId) => !settled.has(shipmentId));
  return Promise.all(pending.map((shipmentId) => readShipment(drugTrace, shipmentId)));
}

/** The shipments still in transit to and from one account. */
export interface AccountPendingShipments {
  /** Addressed to the account: it accepts or rejects them. */
  readonly incoming: ShipmentView[];
  /** Sent by the account: it may cancel them until the recipient acts. */
  readonly outgoing: ShipmentView[];
}

/**
 * The Pending shipments addressed to `account` and sent by it, over every batch, oldest first.
 *
 * @example
 * const { incoming } = await readPendingShipmentsOf(drugTrace, pharmacy.address);
 * for (const s of incoming) await acceptShipment(drugTrace.connect(pharmacy), s.shipmentId);
 */
export async function readPendingShipmentsOf(
  drugTrace: DrugTrace,
  account: string,
  fromBlock: LogRangeInput = 0,
): Promise<AccountPendingShipments> {
  const who = getAddress(account);
  const logs = await readLogsInRanges(
    providerOf(drugTrace),
    {
      address: await drugTrace.getAddress(),
      topics: topicsOf(drugTrace, ["ShipmentSent"]),
    },
    logReadOptionsOf(fromBlock),
  );
  const involved: bigint[] = [];
  for (const { args } of parseEventLogs(drugTrace, logs, ["ShipmentSent"])) {
    if (args.sender === who || args.recipient === who) involved.push(args.shipmentId);
  }
  const shipments = await Promise.all(
    involved.map((shipmentId) => readShipment(drugTrace, shipmentId)),
  );
  const pending = shipments.filter((shipment) => shipment.state === "Pending");
  return {
    incoming: pending.filter((shipment) => shipment.recipient === who),
    outgoing: pending.filter((shipment) => shipment.sender === who),
  };
}
