import epcis2 from "epcis2.js";
import { ZeroHash } from "ethers";
import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { InputError } from "../errors.js";
import { DocumentProblemsError, readJsonFile } from "../input-files.js";
import { NO_PARTICIPANTS } from "../participants.js";
import type { Participants } from "../participants.js";
import {
  decodeShipmentId,
  DRUG_TRACE_INTERFACE,
  formatShipmentId,
  readBatchHistory,
  readRegisteredBatch,
} from "./client.js";
import type { BatchHistoryRow } from "./client.js";
import { formatEpcisProblem, validateEpcis } from "./epcis-schema.js";
import type { EpcisProblem } from "./epcis-schema.js";
import { decodeGs1Text, describeGs1TextProblem, gtinCheckDigit, validateGtin } from "./gs1.js";
import { registerBatchFromSerialList } from "./registration.js";
import type { SerialFileRegistrationResult } from "./registration.js";
import type { SerialTree } from "./serial-merkle.js";

/*
 * DrugTrace in GS1 EPCIS 2.0 (JSON-LD), both ways.
 *
 * Export: a batch's on-chain history (events) as an EPCISDocument, in the Core Business
 * Vocabulary: registration is a commissioning ObjectEvent (ADD, ILMD lot and expiry; the SGTINs
 * as GS1 Digital Link URIs when the batch's serial tree is given, else the lot as a class with its
 * quantity), shipments are shipping / receiving / void_shipping events with source and
 * destination parties, a dispensed unit is decommissioned (DELETE, disposition dispensed), recall,
 * quarantine and release are dispositions (recalled, non_sellable_other, active), an excursion is
 * a sensor report (Temperature, CEL), suspect flags are inspecting events. Parties and places are
 * PGLNs and GLNs from the participants file; every account also appears in a `carechain:`
 * extension field, so an account without an entry is never dropped.
 *
 * Import: the batches of commissioning events (serials from SGTIN EPC URIs or Digital Link URIs,
 * lot and expiry from ILMD) are registered through `registerBatchFromSerialList`, the path
 * `trace register` takes; every other event is reported as not importable, with the reason.
 *
 * Every document is validated with GS1's tooling (`epcis-schema.ts`) before import and after
 * export; an invalid one ends with `EpcisDocumentError`, one line per problem, nothing sent.
 */

/** The JSON-LD context of GS1's EPCIS 2.0 standard. */
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

/** The prefix and namespace of carechain's EPCIS extension fields (declared in `@context`). */
export const CARECHAIN_EPCIS_NAMESPACE = { carechain: "urn:carechain:epcis:" } as const;

/** The GS1 Digital Link host of exported identifiers. */
const DL = "https://id.gs1.org";

/** An EPCIS document, as JSON. */
export type EpcisDocument = Record<string, unknown> & {
  readonly epcisBody: { readonly eventList: readonly EpcisEvent[] };
};

/** An EPCIS event, as JSON. */
export type EpcisEvent = Record<string, unknown>;

/**
 * An EPCIS document that GS1's tooling (or carechain's import rules) refuses: the message is a
 * first line naming the document and one line per problem.
 */
export class EpcisDocumentError extends DocumentProblemsError<EpcisProblem> {
  constructor(
    source: string,
    problems: readonly EpcisProblem[],
    what = "is not a valid EPCIS 2.0 document",
  ) {
    super(source, problems, what, formatEpcisProblem);
  }
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                         IDENTIFIERS                        */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/**
 * The GS1 Digital Link URI of one unit as an EPCIS instance identifier (SGTIN):
 * `https://id.gs1.org/01/<GTIN-14>/21/<serial>`.
 *
 * @example
 * sgtinUri("09506000134352", "SN0001"); // "https://id.gs1.org/01/09506000134352/21/SN0001"
 */
export function sgtinUri(gtin: string, serial: string): string {
  return `${DL}/01/${validateGtin(gtin)}/21/${encodeURIComponent(serial)}`;
}

/**
 * The GS1 Digital Link URI of a lot as an EPCIS class identifier (LGTIN):
 * `https://id.gs1.org/01/<GTIN-14>/10/<lot>`.
 *
 * @example
 * lgtinUri("09506000134352", "A1"); // "https://id.gs1.org/01/09506000134352/10/A1"
 */
export function lgtinUri(gtin: string, lot: string): string {
  return `${DL}/01/${validateGtin(gtin)}/10/${encodeURIComponent(lot)}`;
}

/** One unit named by an EPC: its GTIN-14, serial, and the lot when the URI carries one. */
export interface ParsedSgtin {
  readonly gtin: string;
  readonly serial: string;
  readonly lot?: string;
}

/**
 * Parses an SGTIN given as a GS1 Digital Link URI (`…/01/<GTIN>[/10/<lot>]/21/<serial>`, any
 * host) or as an EPC pure-identity URI (`urn:epc:id:sgtin:<company prefix>.<indicator and item
 * reference>.<serial>`, serial URI-escaped).
 *
 * @throws InputError naming what is wrong.
 * @example
 * parseSgtin("urn:epc:id:sgtin:9506000.013435.SN0001"); // { gtin: "09506000134352", serial: "SN0001" }
 */
export function parseSgtin(epc: string): ParsedSgtin {
  const urn = /^urn:epc:id:sgtin:(\d+)\.(\d+)\.(.+)$/.exec(epc);
  if (urn !== null) {
    const [, prefix = "", indicatorAndItem = "", escapedSerial = ""] = urn;
    if (prefix.length + indicatorAndItem.length !== 13 || indicatorAndItem.length < 1) {
      throw new InputError(
        `${epc} is not an SGTIN: company prefix and item reference need 13 digits`,
      );
    }
    const first13 = indicatorAndItem.charAt(0) + prefix + indicatorAndItem.slice(1);
    const gtin = first13 + String(gtinCheckDigit(first13));
    return { gtin, serial: checkSerial(decodeComponent(escapedSerial, epc), epc) };
  }
  let url: URL;
  try {
    url = new URL(epc);
  } catch {
    throw new InputError(`${epc} is neither a GS1 Digital Link URI nor an urn:epc:id:sgtin URI`);
  }
  const path = /\/01\/(\d{14})(?:\/10\/([^/]+))?\/21\/([^/]+)\/?$/.exec(url.pathname);
  if (path === null || !/^https?:$/.test(url.protocol)) {
    throw new InputError(`${epc} is not an SGTIN Digital Link URI (…/01/<GTIN>/21/<serial>)`);
  }
  const [, gtin = "", lot, serial = ""] = path;
  const parsed: ParsedSgtin = {
    gtin: validateGtin(gtin),
    serial: checkSerial(decodeComponent(serial, epc), epc),
  };
  return lot === undefined ? parsed : { ...parsed, lot: decodeComponent(lot, epc) };
}

function decodeComponent(text: string, epc: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(`${epc} has a bad percent-encoding`);
  }
}

function checkSerial(serial: string, epc: string): string {
  const problem = describeGs1TextProblem(serial, "serial");
  if (problem !== undefined) throw new InputError(`${epc}: ${problem}`);
  return serial;
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           EXPORT                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** What `exportEpcis` needs. */
export interface EpcisExport {
  /** One batch; all batches registered on the contract when omitted. */
  readonly batchId?: string;
  /** The batch's serial tree: commissioning then lists every SGTIN (one batch only). */
  readonly tree?: SerialTree;
  /** Only events at or after this time (unix seconds). */
  readonly since?: bigint;
  /** Only events at or before this time (unix seconds). */
  readonly until?: bigint;
  readonly participants?: Participants;
  readonly fromBlock?: number;
  /** The document's creation date (default: now). */
  readonly now?: Date;
}

/** An exported document and what a person should know about it. */
export interface EpcisExportResult {
  readonly document: EpcisDocument;
  readonly batches: readonly string[];
  /** Accounts the participants file has no PGLN for: exported in `carechain:` fields only. */
  readonly unmapped: readonly string[];
}

const iso = (seconds: bigint): string => new Date(Number(seconds) * 1000).toISOString();

/** The CBV business step and disposition of each shipment event (a rejection also says so). */
const SHIPMENT_STEPS: Readonly<
  Record<
    "ShipmentSent" | "ShipmentAccepted" | "ShipmentRejected" | "ShipmentCancelled",
    { readonly bizStep: string; readonly disposition: string; readonly settlement?: string }
  >
> = {
  ShipmentSent: { bizStep: "shipping", disposition: "in_transit" },
  ShipmentAccepted: { bizStep: "receiving", disposition: "in_progress" },
  ShipmentRejected: { bizStep: "receiving", disposition: "returned", settlement: "rejected" },
  ShipmentCancelled: { bizStep: "void_shipping", disposition: "in_progress" },
};

/** What one history row becomes: its CBV fields and extension fields. */
function eventBody(
  row: BatchHistoryRow,
  batch: { gtin: string; lot: string; tree: SerialTree | undefined },
): EpcisEvent {
  const lotClass = [{ epcClass: lgtinUri(batch.gtin, batch.lot) }];
  const shipment = (details: {
    shipmentId: bigint;
    sender: string;
    recipient: string;
    quantity: bigint;
  }) => ({
    quantityList: [{ ...lotClass[0], quantity: Number(details.quantity) }],
    "carechain:shipmentId": formatShipmentId(details.shipmentId),
    "carechain:shipment": decodeShipmentId(details.shipmentId).sequence.toString(),
    "carechain:sender": details.sender,
    "carechain:recipient": details.recipient,
  });
  switch (row.event) {
    case "BatchRegistered": {
      const { expiry, unitCount, serialsRoot, metadataHash } = row.details;
      const ilmd: Record<string, string> = {
        "cbvmda:lotNumber": batch.lot,
        "cbvmda:itemExpirationDate": iso(expiry).slice(0, 10),
      };
      // the chain keeps a second; a date is the end of its day unless said otherwise
      if (!iso(expiry).endsWith("T23:59:59.000Z")) ilmd["carechain:expiry"] = iso(expiry);
      const tree = batch.tree;
      const units =
        tree === undefined
          ? { quantityList: [{ ...lotClass[0], quantity: Number(unitCount) }] }
          : {
              epcList: Array.from({ length: tree.count }, (_, i) =>
                sgtinUri(batch.gtin, tree.serialAt(i) ?? ""),
              ),
            };
      return {
        action: "ADD",
        ...units,
        bizStep: "commissioning",
        disposition: "active",
        ilmd,
        "carechain:unitCount": unitCount.toString(),
        "carechain:serialsRoot": serialsRoot,
        "carechain:metadataHash": metadataHash,
      };
    }
    case "ShipmentSent":
    case "ShipmentAccepted":
    case "ShipmentRejected":
    case "ShipmentCancelled": {
      const { bizStep, disposition, settlement } = SHIPMENT_STEPS[row.event];
      return {
        action: "OBSERVE",
        bizStep,
        disposition,
        ...shipment(row.details),
        ...(settlement === undefined ? {} : { "carechain:settlement": settlement }),
      };
    }
    case "UnitDispensed":
      return {
        action: "DELETE",
        epcList: [sgtinUri(batch.gtin, decodeGs1Text(row.details.serial))],
        bizStep: "decommissioning",
        disposition: "dispensed",
        "carechain:unitIndex": row.details.index.toString(),
      };
    case "BatchRecalled":
      return {
        action: "OBSERVE",
        quantityList: lotClass,
        bizStep: "holding",
        disposition: "recalled",
        "carechain:reasonCode": row.details.reasonCode.toString(),
        "carechain:evidenceHash": row.details.evidenceHash,
      };
    case "BatchQuarantined":
    case "QuarantineReleased": {
      const quarantined = row.event === "BatchQuarantined";
      return {
        action: "OBSERVE",
        quantityList: lotClass,
        bizStep: "holding",
        disposition: quarantined ? "non_sellable_other" : "active",
        "carechain:batchState": quarantined ? "Quarantined" : "Active",
      };
    }
    case "ExcursionReported":
      return {
        action: "OBSERVE",
        quantityList: lotClass,
        bizStep: "sensor_reporting",
        sensorElementList: [
          {
            sensorMetadata: { time: iso(row.timestamp) },
            sensorReport: [
              {
                type: "Temperature",
                value: Number(row.details.extremeCentiCelsius) / 100,
                uom: "CEL",
              },
            ],
          },
        ],
        "carechain:readingHash": row.details.readingHash,
      };
    case "SuspectFlagged":
      return {
        action: "OBSERVE",
        epcList: [sgtinUri(batch.gtin, decodeGs1Text(row.details.serial))],
        bizStep: "inspecting",
        "carechain:flagId": row.details.flagId.toString(),
        "carechain:unitIndex": row.details.index.toString(),
        "carechain:verdict": row.details.verdict,
        "carechain:evidenceHash": row.details.evidenceHash,
      };
    case "SuspectResolved":
      return {
        action: "OBSERVE",
        quantityList: lotClass,
        bizStep: "inspecting",
        "carechain:flagId": row.details.flagId.toString(),
        "carechain:resolution": row.details.resolution,
      };
  }
}

/** Source, destination, read point and business location from the participants file. */
function partiesOf(
  row: BatchHistoryRow,
  participants: Participants,
  unmapped: Set<string>,
): EpcisEvent {
  const party = (account: string): string | undefined => {
    const pgln = participants.byAccount(account)?.pgln;
    if (pgln === undefined) unmapped.add(account);
    return pgln === undefined ? undefined : `${DL}/417/${pgln}`;
  };
  const site = (account: string): { id: string } | undefined => {
    const gln = participants.byAccount(account)?.gln;
    return gln === undefined ? undefined : { id: `${DL}/414/${gln}` };
  };
  const fields: EpcisEvent = {};
  const readPoint = site(row.actor);
  if (readPoint !== undefined) fields.readPoint = readPoint;
  if (
    row.event === "ShipmentSent" ||
    row.event === "ShipmentAccepted" ||
    row.event === "ShipmentRejected" ||
    row.event === "ShipmentCancelled"
  ) {
    const from = party(row.details.sender);
    const to = party(row.details.recipient);
    if (from !== undefined) {
      fields.sourceList = [
        { type: "owning_party", source: from },
        { type: "possessing_party", source: from },
      ];
    }
    if (to !== undefined) {
      fields.destinationList = [
        { type: "owning_party", destination: to },
        { type: "possessing_party", destination: to },
      ];
    }
    // where the goods are once this event is done
    const at = site(row.event === "ShipmentAccepted" ? row.details.recipient : row.details.sender);
    if (at !== undefined && row.event !== "ShipmentSent") fields.bizLocation = at;
  } else {
    party(row.actor);
    if (readPoint !== undefined && row.event !== "UnitDispensed") fields.bizLocation = readPoint;
  }
  return fields;
}

/**
 * The EPCIS event of one history row (without `eventID`).
 *
 * @example
 * const event = epcisEventOf(row, { gtin, lot, tree: undefined }, NO_PARTICIPANTS, new Set(), batchId);
 */
export function epcisEventOf(
  row: BatchHistoryRow,
  batch: { gtin: string; lot: string; tree: SerialTree | undefined },
  participants: Participants,
  unmapped: Set<string>,
  batchId: string,
): EpcisEvent {
  return {
    type: "ObjectEvent",
    eventTime: iso(row.timestamp),
    eventTimeZoneOffset: "+00:00",
    ...eventBody(row, batch),
    ...partiesOf(row, participants, unmapped),
    "carechain:event": row.event,
    "carechain:actor": row.actor,
    "carechain:batchId": batchId,
    "carechain:transaction": row.transactionHash,
    "carechain:block": row.block,
  };
}

/** The ids of every batch registered on the contract, oldest first. */
async function registeredBatchIds(drugTrace: DrugTrace, fromBlock: number): Promise<string[]> {
  const provider = drugTrace.runner?.provider ?? null;
  if (provider === null) throw new InputError("DrugTrace has no provider to read logs");
  const logs = await provider.getLogs({
    address: await drugTrace.getAddress(),
    topics: [DRUG_TRACE_INTERFACE.getEvent("BatchRegistered").topicHash],
    fromBlock,
    toBlock: "latest",
  });
  return logs.map((log) => log.topics[1] ?? ZeroHash);
}

/**
 * Exports on-chain history as a validated EPCIS 2.0 document: one batch (`batchId`) or every
 * batch, optionally within a time range.
 *
 * @throws InputError for an unknown batch or a tree of another batch; `EpcisDocumentError` if
 *   GS1's tooling refused the document (a defect: please report it).
 * @example
 * const { document, unmapped } = await exportEpcis(drugTrace, { batchId, tree, participants });
 * await writeFile("A1.epcis.jsonld", JSON.stringify(document, null, 2));
 */
export async function exportEpcis(
  drugTrace: DrugTrace,
  options: EpcisExport = {},
): Promise<EpcisExportResult> {
  const fromBlock = options.fromBlock ?? 0;
  const participants = options.participants ?? NO_PARTICIPANTS;
  if (options.tree !== undefined && options.batchId === undefined) {
    throw new InputError("a serial tree names one batch: give the batch too");
  }
  const batchIds =
    options.batchId === undefined
      ? await registeredBatchIds(drugTrace, fromBlock)
      : [(await readRegisteredBatch(drugTrace, options.batchId)).batchId];
  const unmapped = new Set<string>();
  const events: { event: EpcisEvent; block: number; logIndex: number }[] = [];
  for (const batchId of batchIds) {
    const history = await readBatchHistory(drugTrace, batchId, fromBlock);
    const registration = history.find((row) => row.event === "BatchRegistered");
    if (registration?.event !== "BatchRegistered") {
      throw new InputError(
        `batch ${batchId} was registered before block ${fromBlock}: lower --from-block`,
      );
    }
    const gtin = registration.details.gtin.toString().padStart(14, "0");
    const lot = decodeGs1Text(registration.details.lot);
    const tree = options.tree;
    if (tree !== undefined && tree.root !== registration.details.serialsRoot.toLowerCase()) {
      throw new InputError(
        `the serial tree ${tree.treeFile ?? ""} has root ${tree.root}; batch ${gtin}/${lot} has ${registration.details.serialsRoot}`,
      );
    }
    for (const row of history) {
      if (options.since !== undefined && row.timestamp < options.since) continue;
      if (options.until !== undefined && row.timestamp > options.until) continue;
      events.push({
        event: epcisEventOf(row, { gtin, lot, tree }, participants, unmapped, batchId),
        block: row.block,
        logIndex: row.logIndex,
      });
    }
  }
  events.sort((a, b) => a.block - b.block || a.logIndex - b.logIndex);
  const context = [EPCIS_CONTEXT, CARECHAIN_EPCIS_NAMESPACE];
  const eventList = events.map(({ event }) => ({
    // GS1's CBV 2.0 event hash (the same event always gets the same id); it rewrites what it is given
    eventID: epcis2.eventToHashedId(structuredClone(event), structuredClone(context)),
    ...event,
  }));
  const document: EpcisDocument = {
    "@context": context,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: (options.now ?? new Date()).toISOString(),
    epcisBody: { eventList },
  };
  const problems = validateEpcis(document);
  if (problems.length > 0) throw new EpcisDocumentError("the exported document", problems);
  return { document, batches: batchIds, unmapped: [...unmapped] };
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           IMPORT                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A batch an EPCIS document commissions: what `trace register` would take. */
export interface EpcisBatch {
  readonly gtin: string;
  readonly lot: string;
  readonly expiry: bigint;
  /** The serials in document order (unit index order). */
  readonly serials: readonly string[];
  /** From the `carechain:metadataHash` extension (an export's), when present. */
  readonly metadataHash?: string;
  /** The indexes of the commissioning events it comes from. */
  readonly events: readonly number[];
}

/** An event an import does not register, and why. */
export interface EpcisSkippedEvent {
  readonly index: number;
  /** e.g. "ObjectEvent OBSERVE shipping". */
  readonly event: string;
  readonly reason: string;
}

/** What a document holds for an import. */
export interface EpcisImportPlan {
  readonly batches: readonly EpcisBatch[];
  readonly skipped: readonly EpcisSkippedEvent[];
}

const COMMISSIONING = new Set([
  "commissioning",
  "urn:epcglobal:cbv:bizstep:commissioning",
  "https://ref.gs1.org/cbv/BizStep-commissioning",
]);

/** The CBV short name of a vocabulary value given in any of its three forms. */
function shortName(value: unknown): string {
  if (typeof value !== "string") return "";
  return value
    .replace(/^urn:epcglobal:cbv:[a-z]+:/, "")
    .replace(/^https:\/\/ref\.gs1\.org\/cbv\/[A-Za-z]+-/, "");
}

const NOT_IMPORTABLE: Readonly<Record<string, string>> = {
  shipping:
    "custody moves on chain only by the sender's own 'trace ship', which the recipient accepts",
  receiving:
    "custody lands on chain only when the recipient accepts a shipment with 'trace accept'",
  void_shipping: "only the sender cancels its own shipment ('trace cancel')",
  decommissioning:
    "a unit is decommissioned on chain only by a dispenser's 'trace dispense' with its proof",
  dispensing: "a unit is dispensed on chain only by a dispenser's 'trace dispense' with its proof",
  holding:
    "recall, quarantine and release are the manufacturer's or a regulator's own transactions",
  sensor_reporting: "an excursion is reported on chain only by a sensor oracle ('trace excursion')",
  inspecting: "suspect flags are raised with 'trace flag' and resolved by a regulator",
};

function expiryOf(
  ilmd: Record<string, unknown>,
  where: (field: string, why: string) => EpcisProblem,
): bigint | EpcisProblem {
  const date = ilmd["cbvmda:itemExpirationDate"];
  if (typeof date !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return where("cbvmda:itemExpirationDate", "the ILMD needs the expiry date (YYYY-MM-DD)");
  }
  const endOfDay = Date.parse(`${date}T23:59:59Z`);
  if (Number.isNaN(endOfDay) || new Date(endOfDay).toISOString().slice(0, 10) !== date) {
    return where("cbvmda:itemExpirationDate", `${date} is not a calendar date`);
  }
  const exact = ilmd["carechain:expiry"];
  if (exact === undefined) return BigInt(endOfDay / 1000);
  const time = typeof exact === "string" ? Date.parse(exact) : Number.NaN;
  if (Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== date) {
    return where("carechain:expiry", "must be an ISO date-time on the itemExpirationDate's day");
  }
  return BigInt(Math.floor(time / 1000));
}

/**
 * What an EPCIS document (already validated) would register: the batches of its commissioning
 * events, grouped by GTIN and lot in document order, and every other event with the reason it is
 * not importable. Problems with the commissioning events (an EPC that is not an SGTIN, a missing
 * lot or expiry, units of two GTINs in one event) are all collected.
 *
 * @throws EpcisDocumentError listing every problem.
 * @example
 * const { batches, skipped } = planEpcisImport(document, "commissioning.jsonld");
 */
export function planEpcisImport(
  document: EpcisDocument,
  source = "EPCIS document",
): EpcisImportPlan {
  const problems: EpcisProblem[] = [];
  const skipped: EpcisSkippedEvent[] = [];
  const batches = new Map<
    string,
    {
      gtin: string;
      lot: string;
      expiry: bigint;
      serials: string[];
      seen: Set<string>;
      metadataHash?: string;
      events: number[];
    }
  >();
  document.epcisBody.eventList.forEach((event, index) => {
    const base = `/epcisBody/eventList/${index}`;
    const problem = (field: string, why: string, path = `${base}/${field}`): EpcisProblem => ({
      where: `event ${index}`,
      path,
      field,
      why,
    });
    const type = typeof event.type === "string" ? event.type : "event";
    const action = typeof event.action === "string" ? event.action : "";
    const bizStep = shortName(event.bizStep);
    const label = [type, action, bizStep].filter((part) => part !== "").join(" ");
    if (type !== "ObjectEvent" || action !== "ADD" || !COMMISSIONING.has(String(event.bizStep))) {
      const reason =
        NOT_IMPORTABLE[bizStep] ??
        (type === "ObjectEvent"
          ? "only commissioning ObjectEvents (action ADD) register batches"
          : `a ${type} has no DrugTrace counterpart; only commissioning ObjectEvents register batches`);
      skipped.push({ index, event: label, reason });
      return;
    }
    const epcList = Array.isArray(event.epcList) ? (event.epcList as unknown[]) : [];
    if (epcList.length === 0) {
      skipped.push({
        index,
        event: label,
        reason:
          "commissioning by class (quantityList) names no serials: a batch is registered from every unit's serial",
      });
      return;
    }
    const ilmd = (
      typeof event.ilmd === "object" && event.ilmd !== null ? event.ilmd : {}
    ) as Record<string, unknown>;
    const lot = ilmd["cbvmda:lotNumber"];
    const before = problems.length;
    if (typeof lot !== "string") {
      problems.push(
        problem(
          "cbvmda:lotNumber",
          "the ILMD needs the lot number",
          `${base}/ilmd/cbvmda:lotNumber`,
        ),
      );
    } else {
      const lotProblem = describeGs1TextProblem(lot, "lot");
      if (lotProblem !== undefined)
        problems.push(problem("cbvmda:lotNumber", lotProblem, `${base}/ilmd/cbvmda:lotNumber`));
    }
    const expiry = expiryOf(ilmd, (field, why) => problem(field, why, `${base}/ilmd/${field}`));
    if (typeof expiry !== "bigint") problems.push(expiry);
    const metadataHash = event["carechain:metadataHash"];
    if (
      metadataHash !== undefined &&
      (typeof metadataHash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(metadataHash))
    ) {
      problems.push(problem("carechain:metadataHash", "must be a 0x… 32-byte hash"));
    }
    const units: ParsedSgtin[] = [];
    epcList.forEach((epc, i) => {
      try {
        const unit = parseSgtin(String(epc));
        if (unit.lot !== undefined && typeof lot === "string" && unit.lot !== lot) {
          throw new InputError(`${String(epc)} names lot ${unit.lot}, the ILMD lot ${lot}`);
        }
        units.push(unit);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        problems.push(problem("epcList", error.message, `${base}/epcList/${i}`));
      }
    });
    const gtins = [...new Set(units.map((unit) => unit.gtin))];
    if (gtins.length > 1) {
      problems.push(
        problem(
          "epcList",
          `units of ${gtins.length} GTINs (${gtins.join(", ")}): one commissioning event is one lot of one product`,
        ),
      );
    }
    if (problems.length > before || typeof lot !== "string" || typeof expiry !== "bigint") return;
    const gtin = gtins[0] ?? "";
    const key = `${gtin}/${lot}`;
    let batch = batches.get(key);
    if (batch === undefined) {
      batch = { gtin, lot, expiry, serials: [], seen: new Set(), events: [] };
      if (typeof metadataHash === "string") batch.metadataHash = metadataHash.toLowerCase();
      batches.set(key, batch);
    } else if (batch.expiry !== expiry) {
      problems.push(
        problem(
          "cbvmda:itemExpirationDate",
          `lot ${lot} was commissioned with another expiry in event ${batch.events[0] ?? "?"}`,
          `${base}/ilmd/cbvmda:itemExpirationDate`,
        ),
      );
      return;
    }
    batch.events.push(index);
    units.forEach((unit, i) => {
      if (batch.seen.has(unit.serial)) {
        problems.push(
          problem("epcList", `serial ${unit.serial} is commissioned twice`, `${base}/epcList/${i}`),
        );
        return;
      }
      batch.seen.add(unit.serial);
      batch.serials.push(unit.serial);
    });
  });
  if (problems.length > 0) {
    throw new EpcisDocumentError(source, problems, "cannot be imported");
  }
  return {
    batches: [...batches.values()].map((batch) => ({
      gtin: batch.gtin,
      lot: batch.lot,
      expiry: batch.expiry,
      serials: batch.serials,
      events: batch.events,
      ...(batch.metadataHash === undefined ? {} : { metadataHash: batch.metadataHash }),
    })),
    skipped,
  };
}

/**
 * Reads and validates an EPCIS document file with GS1's tooling.
 *
 * @throws InputError when the file is missing or not JSON; `EpcisDocumentError` listing every
 *   problem GS1's schema finds.
 * @example
 * const document = await readEpcisDocument("examples/epcis-A2.jsonld");
 */
export async function readEpcisDocument(file: string): Promise<EpcisDocument> {
  const data = await readJsonFile(file, "EPCIS document", (reason) => `is not JSON: ${reason}`);
  const problems = validateEpcis(data);
  if (problems.length > 0) throw new EpcisDocumentError(file, problems);
  const document = data as EpcisDocument;
  if (document.type !== "EPCISDocument") {
    throw new InputError(`${file} is an ${String(document.type)}; import takes an EPCISDocument`);
  }
  return document;
}

/** What `importEpcis` needs. */
export interface EpcisImport {
  /** Names the document in messages. */
  readonly source: string;
  /** Where the tree files go (`<GTIN-14>-<lot>.tree.json`), e.g. the document's directory. */
  readonly directory: string;
  /** The tree file, for a document of one batch (default: in `directory`). */
  readonly treeFile?: string;
  /** Overrides the documents' `carechain:metadataHash` (default: it, else the zero hash). */
  readonly metadataHash?: BytesLike;
}

/** What an import did. */
export interface EpcisImportResult {
  readonly registered: readonly (SerialFileRegistrationResult & { readonly batch: EpcisBatch })[];
  readonly skipped: readonly EpcisSkippedEvent[];
}

/**
 * Registers the batches an EPCIS document commissions, as the connected manufacturer, through
 * the same path as `trace register` (`registerBatchFromSerialList`: same checks, same tree file).
 * The whole document is checked before the first transaction.
 *
 * @throws EpcisDocumentError when there is nothing to register or a commissioning event is bad;
 *   `ContractRevertError` when the contract refuses.
 * @example
 * const document = await readEpcisDocument(file);
 * const { registered, skipped } = await importEpcis(drugTrace.connect(manufacturer), document, { source: file, directory: "." });
 */
export async function importEpcis(
  drugTrace: DrugTrace,
  document: EpcisDocument,
  options: EpcisImport,
): Promise<EpcisImportResult> {
  const plan = planEpcisImport(document, options.source);
  if (plan.batches.length === 0) {
    throw new EpcisDocumentError(
      options.source,
      plan.skipped.map((skip) => ({
        where: `event ${skip.index}`,
        path: `/epcisBody/eventList/${skip.index}`,
        field: skip.event,
        why: `not importable: ${skip.reason}`,
      })),
      "commissions no batch",
    );
  }
  if (options.treeFile !== undefined && plan.batches.length > 1) {
    throw new InputError(
      `${options.source} commissions ${plan.batches.length} batches: one --tree file cannot hold them`,
    );
  }
  const registered: EpcisImportResult["registered"][number][] = [];
  for (const batch of plan.batches) {
    const result = await registerBatchFromSerialList(drugTrace, {
      serials: batch.serials,
      source: options.source,
      gtin: batch.gtin,
      lot: batch.lot,
      expiry: batch.expiry,
      metadataHash: options.metadataHash ?? batch.metadataHash ?? ZeroHash,
      directory: options.directory,
      ...(options.treeFile === undefined ? {} : { treeFile: options.treeFile }),
    });
    registered.push({ ...result, batch });
  }
  return { registered, skipped: plan.skipped };
}
