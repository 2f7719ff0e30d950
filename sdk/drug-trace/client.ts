import { getAddress, id, toBeHex, ZeroHash } from "ethers";
import type {
  BytesLike,
  ContractRunner,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  LogDescription,
  Provider,
} from "ethers";

import { DrugTrace__factory } from "../../typechain-types/index.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { requireContractCode } from "../contract-code.js";
import { CareChainError, InputError, withDecodedReverts } from "../errors.js";
import type { RevertValueNamer } from "../errors.js";
import { formatTimestamp } from "../terminal.js";
import { readHeldRoles } from "../roles.js";
import { companyPrefixOf, decodeGs1Text, encodeGs1Text, formatGtin } from "./gs1.js";
import type { CompanyPrefix } from "./gs1.js";
import { logReadOptionsOf, readLogsInRanges } from "./log-ranges.js";
import type { LogRangeInput } from "./log-ranges.js";
import { describeNameProblem } from "./participants.js";

/*
 * Typed wrappers over a `DrugTrace` contract (a TypeChain instance connected to the signer that
 * acts). Every call goes through `withDecodedReverts` (with `nameDrugTraceRevertValue`), so a refusal surfaces as a
 * `ContractRevertError` named after the contract's custom error, with its arguments.
 */

/** The contract's ABI as an ethers `Interface`, for decoding reverts and logs. */
export const DRUG_TRACE_INTERFACE = DrugTrace__factory.createInterface();

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                         VOCABULARY                         */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** The names of `IDrugTrace.UnitStatus`, by value. */
export const UNIT_STATUSES = [
  "Unknown",
  "Active",
  "Dispensed",
  "Recalled",
  "Quarantined",
  "Expired",
] as const;

/** What `verifyUnit` says about a pack. */
export type UnitStatus = (typeof UNIT_STATUSES)[number];

/** The names of `IDrugTrace.BatchState`, by value. */
export const BATCH_STATES = ["None", "Active", "Quarantined", "Recalled", "Expired"] as const;

/** A batch's state. */
export type BatchState = (typeof BATCH_STATES)[number];

/** The names of `IDrugTrace.ShipmentState`, by value. */
export const SHIPMENT_STATES = ["None", "Pending", "Accepted", "Rejected", "Cancelled"] as const;

/** A shipment's state. */
export type ShipmentState = (typeof SHIPMENT_STATES)[number];

/** The names of `IDrugTrace.Resolution`, by value. */
export const RESOLUTIONS = ["Cleared", "Quarantined", "Recalled"] as const;

/** A regulator's decision on a suspect flag. */
export type Resolution = (typeof RESOLUTIONS)[number];

/** The names of `IDrugTrace.FlagState`, by value. */
export const FLAG_STATES = ["None", "Open", "Cleared", "Quarantined", "Recalled"] as const;

/** A suspect flag's state. */
export type FlagState = (typeof FLAG_STATES)[number];

/** The names of `IDrugTrace.QuarantineOrigin`, by value. */
export const QUARANTINE_ORIGINS = ["None", "Excursion", "Regulator"] as const;

/**
 * Why a batch is quarantined: Excursion (its manufacturer or a regulator may release it) or
 * Regulator (only a regulator may); None when it is not quarantined.
 */
export type QuarantineOrigin = (typeof QUARANTINE_ORIGINS)[number];

/** How many open suspect flags one reporter may have (`MAX_OPEN_FLAGS`). */
export const MAX_OPEN_FLAGS = 32n;

/** The contract's roles: `keccak256("<NAME>_ROLE")`, as its constants. */
export const DRUG_TRACE_ROLES = {
  MANUFACTURER: id("MANUFACTURER_ROLE"),
  DISTRIBUTOR: id("DISTRIBUTOR_ROLE"),
  DISPENSER: id("DISPENSER_ROLE"),
  REGULATOR: id("REGULATOR_ROLE"),
  SENSOR: id("SENSOR_ROLE"),
  PAUSER: id("PAUSER_ROLE"),
} as const;

/** A DrugTrace role's name. */
export type DrugTraceRole = keyof typeof DRUG_TRACE_ROLES;

/** The roles that may hold and receive stock. */
export const TRADE_ROLES = ["MANUFACTURER", "DISTRIBUTOR", "DISPENSER"] as const;

/** A trade role's name. */
export type TradeRole = (typeof TRADE_ROLES)[number];

/** The recall reason code of a recall that confirmed a suspect flag (`SUSPECT_CONFIRMED_REASON`). */
export const SUSPECT_CONFIRMED_REASON = 0xffffn;

function nameOf<T extends string>(names: readonly T[], value: bigint, what: string): T {
  const name = names[Number(value)];
  if (name === undefined) throw new CareChainError(`unknown ${what} ${value} from DrugTrace`);
  return name;
}

function valueOf<T extends string>(names: readonly T[], name: T): number {
  return names.indexOf(name);
}

/** The name of a role id the contract uses (`DEFAULT_ADMIN_ROLE` for the zero id), if it is one. */
export function drugTraceRoleName(roleId: string): string | undefined {
  if (roleId === ZeroHash) return "DEFAULT_ADMIN_ROLE";
  const found = Object.entries(DRUG_TRACE_ROLES).find(([, hash]) => hash === roleId);
  return found === undefined ? undefined : `${found[0]}_ROLE`;
}

/** The names of the `states` set in an `expectedStates` bitmap, e.g. "Active|Recalled|Expired". */
function expectedStateNames(bitmap: string, states: readonly string[]): string {
  const bits = BigInt(bitmap);
  return states.filter((_, state) => ((bits >> BigInt(state)) & 1n) === 1n).join("|");
}

/**
 * Names role ids, lifecycle states and serials, and shows shipment ids in hex, in DrugTrace revert
 * messages, e.g.
 * `AccessControlUnauthorizedAccount(account=0x…, neededRole=DISPENSER_ROLE)` and
 * `DrugTraceUnexpectedBatchState(batchId=0x…, current=Recalled, expectedStates=Active)`.
 */
export const nameDrugTraceRevertValue: RevertValueNamer = (errorName, argName, value) => {
  const states: Readonly<Record<string, readonly string[]>> = {
    DrugTraceUnexpectedBatchState: BATCH_STATES,
    DrugTraceUnexpectedShipmentState: SHIPMENT_STATES,
    DrugTraceUnexpectedFlagState: FLAG_STATES,
  };
  if (argName === "neededRole" && typeof value === "string") return drugTraceRoleName(value);
  if (argName === "shipmentId" && typeof value === "bigint") return formatShipmentId(value);
  if (argName === "current" && typeof value === "bigint") {
    return states[errorName]?.[Number(value)];
  }
  if (argName === "expectedStates" && typeof value === "string") {
    return expectedStateNames(value, states[errorName] ?? BATCH_STATES);
  }
  if (argName === "serial" && typeof value === "string") {
    try {
      return decodeGs1Text(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
};

/** Runs a contract call and rethrows a revert as a `ContractRevertError` with named values. */
async function decoded<T>(action: () => Promise<T>): Promise<T> {
  return withDecodedReverts([DRUG_TRACE_INTERFACE], action, nameDrugTraceRevertValue);
}

/**
 * A lot or serial as the contract's `bytes32`: a `0x` + 64 hex digits value passes through, any
 * other string is GS1 text (at most 20 characters, so never mistaken for hex) and is encoded
 * with `encodeGs1Text`.
 *
 * @example
 * toGs1Bytes32("SN0001") === toGs1Bytes32(encodeGs1Text("SN0001")); // true
 */
export function toGs1Bytes32(textOrBytes32: string): string {
  return /^0x[0-9a-fA-F]{64}$/.test(textOrBytes32) ? textOrBytes32 : encodeGs1Text(textOrBytes32);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                        IDENTIFIERS                         */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/**
 * The sender a shipment id carries (its low 160 bits) and its sequence number (the bits above).
 *
 * @example
 * const { sender, sequence } = decodeShipmentId(shipmentId); // sequence 1n for the first shipment
 */
export function decodeShipmentId(shipmentId: bigint): { sender: string; sequence: bigint } {
  const mask = (1n << 160n) - 1n;
  return { sender: getAddress(toBeHex(shipmentId & mask, 20)), sequence: shipmentId >> 160n };
}

/**
 * A shipment id as people copy it: hex, so the sender's address shows in its last 40 digits.
 *
 * @example
 * formatShipmentId(shipmentId); // "0x01f39fd6e51aad88f6f4ce6ab8827279cfffb92266"
 */
export function formatShipmentId(shipmentId: bigint): string {
  return toBeHex(shipmentId);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                         CONNECTING                         */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/**
 * The `DrugTrace` at `address`, connected to `runner` (a signer that acts, or a provider for
 * reads), after checking that code is deployed there.
 *
 * @throws InputError when the address holds no contract on the runner's chain.
 * @example
 * const drugTrace = await attachDrugTrace(signer, resolveSuiteAddress("DrugTrace", chainId, args.address));
 */
export async function attachDrugTrace(runner: ContractRunner, address: string): Promise<DrugTrace> {
  const provider = runner.provider ?? null;
  if (provider === null) throw new CareChainError("the runner has no provider to reach the chain");
  await requireContractCode(provider, address);
  return DrugTrace__factory.connect(address, runner);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           WRITES                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** What every write returns: the mined receipt and its gas. */
export interface TraceReceipt {
  readonly receipt: ContractTransactionReceipt;
  readonly gasUsed: bigint;
  readonly transactionHash: string;
}

/** A batch registered (`BatchRegistered`). */
export interface RegisterReceipt extends TraceReceipt {
  readonly batchId: string;
}

/** A shipment sent (`ShipmentSent`). */
export interface ShipReceipt extends TraceReceipt {
  readonly shipmentId: bigint;
}

/** A shipment accepted, rejected or cancelled. */
export interface SettleReceipt extends TraceReceipt {
  readonly batchId: string;
  readonly sender: string;
  readonly recipient: string;
  readonly quantity: bigint;
}

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

/** What `flagSuspect` needs. */
export interface SuspectReport {
  readonly batchId: BytesLike;
  readonly index: bigint;
  /** GS1 text or its bytes32, as scanned. */
  readonly serial: string;
  readonly verdict: UnitStatus;
  readonly evidenceHash: BytesLike;
}

async function send(action: () => Promise<ContractTransactionResponse>): Promise<TraceReceipt> {
  return decoded(async () => {
    const response = await action();
    const receipt = await response.wait();
    if (receipt === null) {
      throw new CareChainError(`transaction ${response.hash} was dropped before it was mined`);
    }
    return { receipt, gasUsed: receipt.gasUsed, transactionHash: receipt.hash };
  });
}

/** The DrugTrace events a receipt carries, parsed. */
async function eventsIn(
  drugTrace: DrugTrace,
  receipt: ContractTransactionReceipt,
): Promise<LogDescription[]> {
  const address = (await drugTrace.getAddress()).toLowerCase();
  const parsed: LogDescription[] = [];
  for (const log of receipt.logs) {
    if (log.address.toLowerCase() !== address) continue;
    const description = DRUG_TRACE_INTERFACE.parseLog(log);
    if (description !== null) parsed.push(description);
  }
  return parsed;
}

async function eventIn(
  drugTrace: DrugTrace,
  receipt: ContractTransactionReceipt,
  name: string,
): Promise<LogDescription> {
  const found = (await eventsIn(drugTrace, receipt)).find((event) => event.name === name);
  if (found === undefined)
    throw new CareChainError(`transaction ${receipt.hash} emitted no ${name}`);
  return found;
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
  const sent = await send(() =>
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
  const event = await eventIn(drugTrace, sent.receipt, "BatchRegistered");
  return { ...sent, batchId: event.args.getValue("batchId") as string };
}

/**
 * Ships `quantity` units of a batch from the connected holder to `to`, who must accept them.
 *
 * @example
 * const { shipmentId } = await ship(drugTrace.connect(manufacturer), {
 *   batchId, to: distributor.address, quantity: 500n,
 * });
 */
export async function ship(
  drugTrace: DrugTrace,
  shipment: { readonly batchId: BytesLike; readonly to: string; readonly quantity: bigint },
): Promise<ShipReceipt> {
  const sent = await send(() => drugTrace.ship(shipment.batchId, shipment.to, shipment.quantity));
  const event = await eventIn(drugTrace, sent.receipt, "ShipmentSent");
  return { ...sent, shipmentId: event.args.getValue("shipmentId") as bigint };
}

async function settle(
  drugTrace: DrugTrace,
  eventName: "ShipmentAccepted" | "ShipmentRejected" | "ShipmentCancelled",
  action: () => Promise<ContractTransactionResponse>,
): Promise<SettleReceipt> {
  const sent = await send(action);
  const event = await eventIn(drugTrace, sent.receipt, eventName);
  return {
    ...sent,
    batchId: event.args.getValue("batchId") as string,
    sender: event.args.getValue("sender") as string,
    recipient: event.args.getValue("recipient") as string,
    quantity: event.args.getValue("quantity") as bigint,
  };
}

/**
 * Accepts a pending shipment as its connected recipient: the units join its holding.
 *
 * @example
 * const { quantity } = await acceptShipment(drugTrace.connect(distributor), shipmentId);
 */
export async function acceptShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentAccepted", () => drugTrace.acceptShipment(shipmentId));
}

/**
 * Rejects a pending shipment as its connected recipient: the units go back to the sender.
 *
 * @example
 * await rejectShipment(drugTrace.connect(distributor), shipmentId);
 */
export async function rejectShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentRejected", () => drugTrace.rejectShipment(shipmentId));
}

/**
 * Cancels a pending shipment as its connected sender: the units come back.
 *
 * @example
 * await cancelShipment(drugTrace.connect(manufacturer), shipmentId);
 */
export async function cancelShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentCancelled", () => drugTrace.cancelShipment(shipmentId));
}

/**
 * Dispenses (decommissions) one unit as the connected dispenser, which must hold stock of the batch.
 *
 * @example
 * const { gasUsed } = await dispense(drugTrace.connect(pharmacy), batchId, tree.proofFor("SN0042"));
 */
export async function dispense(
  drugTrace: DrugTrace,
  batchId: BytesLike,
  unit: UnitProof,
): Promise<TraceReceipt> {
  return send(() =>
    drugTrace.dispense(batchId, unit.index, toGs1Bytes32(unit.serial), [...unit.proof]),
  );
}

/**
 * Recalls a batch as its connected manufacturer or a regulator.
 *
 * @example
 * await recall(drugTrace.connect(regulator), { batchId, reasonCode: 3n, evidenceHash });
 */
export async function recall(
  drugTrace: DrugTrace,
  recallOrder: {
    readonly batchId: BytesLike;
    readonly reasonCode: bigint;
    readonly evidenceHash: BytesLike;
  },
): Promise<TraceReceipt> {
  return send(() =>
    drugTrace.recall(recallOrder.batchId, recallOrder.reasonCode, recallOrder.evidenceHash),
  );
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
  const sent = await send(() =>
    drugTrace.flagSuspect(
      report.batchId,
      report.index,
      toGs1Bytes32(report.serial),
      valueOf(UNIT_STATUSES, report.verdict),
      report.evidenceHash,
    ),
  );
  const event = await eventIn(drugTrace, sent.receipt, "SuspectFlagged");
  return { ...sent, flagId: event.args.getValue("flagId") as bigint };
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
  const sent = await send(() => drugTrace.resolveSuspect(flagId, valueOf(RESOLUTIONS, resolution)));
  const events = await eventsIn(drugTrace, sent.receipt);
  const resolved = events.find((event) => event.name === "SuspectResolved");
  if (resolved === undefined) {
    throw new CareChainError(`transaction ${sent.transactionHash} emitted no SuspectResolved`);
  }
  return {
    ...sent,
    batchId: resolved.args.getValue("batchId") as string,
    batchQuarantined: events.some((event) => event.name === "BatchQuarantined"),
    batchRecalled: events.some((event) => event.name === "BatchRecalled"),
  };
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
  const sent = await send(() =>
    drugTrace.reportExcursion(
      excursion.batchId,
      excursion.readingHash,
      excursion.extremeCentiCelsius,
    ),
  );
  const events = await eventsIn(drugTrace, sent.receipt);
  return { ...sent, batchQuarantined: events.some((event) => event.name === "BatchQuarantined") };
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
  const sent = await send(() =>
    drugTrace.reportShipmentExcursion(
      excursion.shipmentId,
      excursion.readingHash,
      excursion.extremeCentiCelsius,
    ),
  );
  const events = await eventsIn(drugTrace, sent.receipt);
  return { ...sent, batchQuarantined: events.some((event) => event.name === "BatchQuarantined") };
}

/**
 * Binds a cold-chain sensor to the connected trade partner: it then reports only on goods that
 * partner holds, ships or receives.
 *
 * @example
 * await bindSensor(drugTrace.connect(distributor), coldRoomSensor.address);
 */
export async function bindSensor(drugTrace: DrugTrace, sensor: string): Promise<TraceReceipt> {
  return send(() => drugTrace.bindSensor(sensor));
}

/**
 * Unbinds a sensor, as its custodian or a regulator (a leaked key).
 *
 * @example
 * await unbindSensor(drugTrace.connect(regulator), leakedSensor);
 */
export async function unbindSensor(drugTrace: DrugTrace, sensor: string): Promise<TraceReceipt> {
  return send(() => drugTrace.unbindSensor(sensor));
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
  return send(() => drugTrace.releaseQuarantine(batchId));
}

/**
 * Pauses every DrugTrace state change, as the connected `PAUSER` role holder.
 *
 * @example
 * await pauseDrugTrace(drugTrace.connect(pauser));
 */
export async function pauseDrugTrace(drugTrace: DrugTrace): Promise<TraceReceipt> {
  return send(() => drugTrace.pause());
}

/**
 * Resumes DrugTrace state changes, as the connected `PAUSER` role holder.
 *
 * @example
 * await unpauseDrugTrace(drugTrace.connect(pauser));
 */
export async function unpauseDrugTrace(drugTrace: DrugTrace): Promise<TraceReceipt> {
  return send(() => drugTrace.unpause());
}

/**
 * Grants one of the contract's roles, as the connected default admin.
 *
 * @example
 * await grantDrugTraceRole(drugTrace.connect(admin), "REGULATOR", agency.address);
 */
export async function grantDrugTraceRole(
  drugTrace: DrugTrace,
  role: DrugTraceRole,
  account: string,
): Promise<TraceReceipt> {
  return send(() => drugTrace.grantRole(DRUG_TRACE_ROLES[role], account));
}

/**
 * Grants a trade role (manufacturer, distributor or dispenser), as the connected default admin:
 * only trade partners may receive shipments or raise suspect flags.
 *
 * @example
 * await grantTradeRole(drugTrace.connect(admin), "DISPENSER", pharmacy.address);
 */
export async function grantTradeRole(
  drugTrace: DrugTrace,
  role: TradeRole,
  account: string,
): Promise<TraceReceipt> {
  return grantDrugTraceRole(drugTrace, role, account);
}

/**
 * The trade roles `account` holds, e.g. `["DISTRIBUTOR"]`; empty for a stranger.
 *
 * @example
 * if ((await readTradeRoles(drugTrace, to)).length === 0) throw new InputError(`${to} is no trade partner`);
 */
export async function readTradeRoles(drugTrace: DrugTrace, account: string): Promise<TradeRole[]> {
  const held = await Promise.all(
    TRADE_ROLES.map((role) => drugTrace.hasRole(DRUG_TRACE_ROLES[role], account)),
  );
  return TRADE_ROLES.filter((_, i) => held[i] === true);
}

/**
 * Revokes one of the contract's roles, as the connected default admin.
 *
 * @example
 * await revokeDrugTraceRole(drugTrace.connect(admin), "DISPENSER", closedPharmacy.address);
 */
export async function revokeDrugTraceRole(
  drugTrace: DrugTrace,
  role: DrugTraceRole,
  account: string,
): Promise<TraceReceipt> {
  return send(() => drugTrace.revokeRole(DRUG_TRACE_ROLES[role], account));
}

/** A role as `readDrugTraceRoles` lists it: the contract's roles and the default admin. */
export type HeldDrugTraceRole = DrugTraceRole | "DEFAULT_ADMIN";

/**
 * Every role `account` holds, the default admin first, e.g. `["DEFAULT_ADMIN", "PAUSER"]`.
 *
 * @example
 * console.log((await readDrugTraceRoles(drugTrace, account)).join(", ") || "(none)");
 */
export async function readDrugTraceRoles(
  drugTrace: DrugTrace,
  account: string,
): Promise<HeldDrugTraceRole[]> {
  return readHeldRoles(drugTrace, Object.keys(DRUG_TRACE_ROLES) as DrugTraceRole[], account);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                 COMPANY PREFIXES AND NAMES                 */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

function checkName(name: string): void {
  const problem = describeNameProblem(name);
  if (problem !== undefined) throw new InputError(problem);
}

/**
 * Binds a GS1 Company Prefix to a brand owner with its public company name, as the connected
 * regulator (an empty name keeps the owner's current name).
 *
 * @example
 * await bindCompanyPrefix(drugTrace.connect(regulator), {
 *   prefix: parseCompanyPrefix("9506000"), owner: acme.address, name: "Acme Pharma GmbH",
 * });
 */
export async function bindCompanyPrefix(
  drugTrace: DrugTrace,
  binding: { readonly prefix: CompanyPrefix; readonly owner: string; readonly name: string },
): Promise<TraceReceipt> {
  checkName(binding.name);
  return send(() =>
    drugTrace.bindCompanyPrefix(
      binding.prefix.value,
      binding.prefix.length,
      binding.owner,
      binding.name,
    ),
  );
}

/**
 * Moves a bound company prefix to a new owner, as the connected regulator; every contract
 * manufacturer's authorization for it lapses.
 *
 * @example
 * await transferCompanyPrefix(drugTrace.connect(regulator), { prefix, newOwner: buyer.address, name: "Buyer AG" });
 */
export async function transferCompanyPrefix(
  drugTrace: DrugTrace,
  transfer: { readonly prefix: CompanyPrefix; readonly newOwner: string; readonly name: string },
): Promise<TraceReceipt> {
  checkName(transfer.name);
  return send(() =>
    drugTrace.transferCompanyPrefix(
      transfer.prefix.value,
      transfer.prefix.length,
      transfer.newOwner,
      transfer.name,
    ),
  );
}

/**
 * Revokes a bound company prefix, as the connected regulator: nobody registers its GTINs until it
 * is bound again (batches registered before stay).
 *
 * @example
 * await revokeCompanyPrefix(drugTrace.connect(regulator), parseCompanyPrefix("9506000"));
 */
export async function revokeCompanyPrefix(
  drugTrace: DrugTrace,
  prefix: CompanyPrefix,
): Promise<TraceReceipt> {
  return send(() => drugTrace.revokeCompanyPrefix(prefix.value, prefix.length));
}

/**
 * Authorizes a contract manufacturer for the connected brand owner's prefix.
 *
 * @example
 * await authorizeContractManufacturer(drugTrace.connect(acme), { prefix, manufacturer: cmo.address });
 */
export async function authorizeContractManufacturer(
  drugTrace: DrugTrace,
  authorization: { readonly prefix: CompanyPrefix; readonly manufacturer: string },
): Promise<TraceReceipt> {
  return send(() =>
    drugTrace.authorizeContractManufacturer(
      authorization.prefix.value,
      authorization.prefix.length,
      authorization.manufacturer,
    ),
  );
}

/**
 * Withdraws a contract manufacturer's authorization, as the connected brand owner.
 *
 * @example
 * await deauthorizeContractManufacturer(drugTrace.connect(acme), { prefix, manufacturer: cmo.address });
 */
export async function deauthorizeContractManufacturer(
  drugTrace: DrugTrace,
  authorization: { readonly prefix: CompanyPrefix; readonly manufacturer: string },
): Promise<TraceReceipt> {
  return send(() =>
    drugTrace.deauthorizeContractManufacturer(
      authorization.prefix.value,
      authorization.prefix.length,
      authorization.manufacturer,
    ),
  );
}

/**
 * Sets (or, with an empty name, clears) a participant's public display name, as the connected
 * regulator: distributors and pharmacies get theirs this way, brand owners with their prefix.
 *
 * @example
 * await setParticipantName(drugTrace.connect(regulator), pharmacy.address, "Apotheke am Markt");
 */
export async function setParticipantName(
  drugTrace: DrugTrace,
  account: string,
  name: string,
): Promise<TraceReceipt> {
  checkName(name);
  return send(() => drugTrace.setParticipantName(account, name));
}

/**
 * A participant's public display name, the empty string when it has none.
 *
 * @example
 * formatParticipant(await readNameOf(drugTrace, verdict.manufacturer), verdict.manufacturer);
 * // "Acme Pharma GmbH (0x7099…79C8)"
 */
export async function readNameOf(drugTrace: DrugTrace, account: string): Promise<string> {
  return decoded(() => drugTrace.nameOf(account));
}

/**
 * The names of several participants at once (one view call each, in parallel), by checksummed
 * address; the zero address and unnamed accounts map to "".
 *
 * @example
 * const names = await readNamesOf(drugTrace, history.map((row) => row.actor));
 */
export async function readNamesOf(
  drugTrace: DrugTrace,
  accounts: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(accounts.map((account) => getAddress(account)))];
  const names = await Promise.all(
    unique.map(async (account) => (BigInt(account) === 0n ? "" : readNameOf(drugTrace, account))),
  );
  return new Map(unique.map((account, i) => [account, names[i] ?? ""]));
}

/** A company prefix's binding, decoded. */
export interface CompanyPrefixView {
  readonly prefix: CompanyPrefix;
  /** The brand owner; the zero address when never bound or revoked. */
  readonly owner: string;
  /** Counts binds and transfers; contract-manufacturer authorizations hold for one epoch. */
  readonly epoch: bigint;
}

/**
 * Reads one company prefix's binding.
 *
 * @example
 * const { owner } = await readCompanyPrefix(drugTrace, parseCompanyPrefix("9506000"));
 */
export async function readCompanyPrefix(
  drugTrace: DrugTrace,
  prefix: CompanyPrefix,
): Promise<CompanyPrefixView> {
  const record = await decoded(() => drugTrace.prefixBindingOf(prefix.value, prefix.length));
  return { prefix, owner: record.owner, epoch: record.epoch };
}

/**
 * The bound company prefix a GTIN falls under and its owner, or `undefined` when none is bound.
 *
 * @example
 * const found = await readGtinCompanyPrefix(drugTrace, 9506000134352n);
 * console.log(found?.prefix.digits); // "9506000"
 */
export async function readGtinCompanyPrefix(
  drugTrace: DrugTrace,
  gtin: bigint,
): Promise<{ readonly prefix: CompanyPrefix; readonly owner: string } | undefined> {
  const [value, length, owner] = await decoded(() => drugTrace.companyPrefixOf(gtin));
  if (BigInt(owner) === 0n) return undefined;
  return { prefix: companyPrefixOf(value, Number(length)), owner };
}

/**
 * Whether `account` is an authorized contract manufacturer of a bound prefix.
 *
 * @example
 * if (!(await readIsContractManufacturer(drugTrace, prefix, cmo.address))) console.log("not authorized");
 */
export async function readIsContractManufacturer(
  drugTrace: DrugTrace,
  prefix: CompanyPrefix,
  account: string,
): Promise<boolean> {
  return decoded(() => drugTrace.isContractManufacturer(prefix.value, prefix.length, account));
}

/** A bound company prefix as `readCompanyPrefixes` lists it. */
export interface CompanyPrefixListing {
  readonly prefix: CompanyPrefix;
  readonly owner: string;
  /** The owner's public display name ("" when it has none). */
  readonly ownerName: string;
  /** Its contract manufacturers whose authorization still holds. */
  readonly contractManufacturers: readonly string[];
}

/**
 * Every company prefix bound now, with owner, owner's name and authorized contract manufacturers,
 * rebuilt from the registry's events and checked against the contract's current state; sorted by
 * digits.
 *
 * @example
 * for (const row of await readCompanyPrefixes(drugTrace)) console.log(row.prefix.digits, row.ownerName);
 */
export async function readCompanyPrefixes(
  drugTrace: DrugTrace,
  fromBlock: number = 0,
): Promise<CompanyPrefixListing[]> {
  const events = [
    "CompanyPrefixBound",
    "CompanyPrefixTransferred",
    "ContractManufacturerAuthorized",
  ] as const;
  const logs = await providerOf(drugTrace).getLogs({
    address: await drugTrace.getAddress(),
    topics: [events.map((name) => DRUG_TRACE_INTERFACE.getEvent(name).topicHash)],
    fromBlock,
    toBlock: "latest",
  });
  const prefixes = new Map<string, CompanyPrefix>();
  const candidates = new Map<string, Set<string>>();
  for (const log of logs) {
    const parsed = DRUG_TRACE_INTERFACE.parseLog(log);
    if (parsed === null) continue;
    const prefix = companyPrefixOf(
      parsed.args.getValue("prefix") as bigint,
      Number(parsed.args.getValue("prefixLength") as bigint),
    );
    prefixes.set(prefix.digits, prefix);
    if (parsed.name === "ContractManufacturerAuthorized") {
      const set = candidates.get(prefix.digits) ?? new Set<string>();
      set.add(parsed.args.getValue("manufacturer") as string);
      candidates.set(prefix.digits, set);
    }
  }
  const listings = await Promise.all(
    [...prefixes.values()].map(async (prefix) => {
      const { owner } = await readCompanyPrefix(drugTrace, prefix);
      if (BigInt(owner) === 0n) return undefined;
      const manufacturers = [...(candidates.get(prefix.digits) ?? [])];
      const authorized = await Promise.all(
        manufacturers.map((account) => readIsContractManufacturer(drugTrace, prefix, account)),
      );
      return {
        prefix,
        owner,
        ownerName: await readNameOf(drugTrace, owner),
        contractManufacturers: manufacturers.filter((_, i) => authorized[i] === true),
      };
    }),
  );
  return listings
    .filter((listing) => listing !== undefined)
    .sort((a, b) => (a.prefix.digits < b.prefix.digits ? -1 : 1));
}

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
    state: nameOf(BATCH_STATES, record.state, "batch state"),
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

/** A shipment, decoded. */
export interface ShipmentView {
  readonly shipmentId: bigint;
  /** None for an unknown id (every other field is then zero). */
  readonly state: ShipmentState;
  readonly sender: string;
  readonly recipient: string;
  readonly batchId: string;
  readonly quantity: bigint;
  readonly shippedAt: bigint;
}

/**
 * Reads a shipment.
 *
 * @example
 * const { state, recipient } = await readShipment(drugTrace, shipmentId);
 */
export async function readShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<ShipmentView> {
  const record = await decoded(() => drugTrace.shipmentOf(shipmentId));
  return {
    shipmentId,
    state: nameOf(SHIPMENT_STATES, record.state, "shipment state"),
    sender: record.sender,
    recipient: record.recipient,
    batchId: record.batchId,
    quantity: record.quantity,
    shippedAt: record.shippedAt,
  };
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
    state: nameOf(FLAG_STATES, record.state, "flag state"),
    batchId: record.batchId,
    reporter: record.reporter,
    flaggedAt: record.flaggedAt,
    verdict: nameOf(UNIT_STATUSES, record.verdict, "unit status"),
    evidenceHash: record.evidenceHash,
  };
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

function shipmentDetails(event: LogDescription): ShipmentDetails {
  return {
    shipmentId: event.args.getValue("shipmentId") as bigint,
    sender: event.args.getValue("sender") as string,
    recipient: event.args.getValue("recipient") as string,
    quantity: event.args.getValue("quantity") as bigint,
  };
}

function stepOf(event: LogDescription): Step | undefined {
  const arg = (key: string): unknown => event.args.getValue(key);
  switch (event.name as BatchEventName) {
    case "BatchRegistered":
      return {
        event: "BatchRegistered",
        actor: arg("manufacturer") as string,
        details: {
          gtin: arg("gtin") as bigint,
          lot: arg("lot") as string,
          expiry: arg("expiry") as bigint,
          unitCount: arg("unitCount") as bigint,
          serialsRoot: arg("serialsRoot") as string,
          metadataHash: arg("metadataHash") as string,
        },
      };
    case "ShipmentSent":
      return {
        event: "ShipmentSent",
        actor: arg("sender") as string,
        details: shipmentDetails(event),
      };
    case "ShipmentAccepted":
      return {
        event: "ShipmentAccepted",
        actor: arg("recipient") as string,
        details: shipmentDetails(event),
      };
    case "ShipmentRejected":
      return {
        event: "ShipmentRejected",
        actor: arg("recipient") as string,
        details: shipmentDetails(event),
      };
    case "ShipmentCancelled":
      return {
        event: "ShipmentCancelled",
        actor: arg("sender") as string,
        details: shipmentDetails(event),
      };
    case "UnitDispensed":
      return {
        event: "UnitDispensed",
        actor: arg("dispenser") as string,
        details: { index: arg("index") as bigint, serial: arg("serial") as string },
      };
    case "BatchRecalled":
      return {
        event: "BatchRecalled",
        actor: arg("by") as string,
        details: {
          reasonCode: arg("reasonCode") as bigint,
          evidenceHash: arg("evidenceHash") as string,
        },
      };
    case "SuspectFlagged":
      return {
        event: "SuspectFlagged",
        actor: arg("reporter") as string,
        details: {
          flagId: arg("flagId") as bigint,
          index: arg("index") as bigint,
          serial: arg("serial") as string,
          verdict: nameOf(UNIT_STATUSES, arg("verdict") as bigint, "unit status"),
          evidenceHash: arg("evidenceHash") as string,
        },
      };
    case "SuspectResolved":
      return {
        event: "SuspectResolved",
        actor: arg("regulator") as string,
        details: {
          flagId: arg("flagId") as bigint,
          resolution: nameOf(RESOLUTIONS, arg("resolution") as bigint, "resolution"),
        },
      };
    case "ExcursionReported":
      return {
        event: "ExcursionReported",
        actor: arg("sensor") as string,
        details: {
          readingHash: arg("readingHash") as string,
          extremeCentiCelsius: arg("extremeCentiCelsius") as bigint,
          custodian: arg("custodian") as string,
        },
      };
    case "BatchQuarantined":
      return {
        event: "BatchQuarantined",
        actor: arg("by") as string,
        details: {
          origin: nameOf(QUARANTINE_ORIGINS, arg("origin") as bigint, "quarantine origin"),
        },
      };
    case "QuarantineReleased":
      return {
        event: "QuarantineReleased",
        actor: arg("by") as string,
        details: {
          origin: nameOf(QUARANTINE_ORIGINS, arg("origin") as bigint, "quarantine origin"),
        },
      };
    default:
      return undefined;
  }
}

function providerOf(drugTrace: DrugTrace): Provider {
  const provider = drugTrace.runner?.provider ?? null;
  if (provider === null)
    throw new CareChainError("the DrugTrace contract has no provider to read logs");
  return provider;
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
  for (const log of logs) {
    const parsed = DRUG_TRACE_INTERFACE.parseLog(log);
    const step = parsed === null ? undefined : stepOf(parsed);
    if (step === undefined) continue;
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
      ...step,
    } as BatchHistoryRow);
  }
  return rows;
}

function topicsOf(events: readonly BatchEventName[]): string[] {
  return events.map((name) => DRUG_TRACE_INTERFACE.getEvent(name).topicHash);
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
  return readHistoryRows(drugTrace, [topicsOf(BATCH_EVENTS), batchId], fromBlock);
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
    readHistoryRows(drugTrace, [topicsOf(batchEvents), batchId], fromBlock),
    readHistoryRows(
      drugTrace,
      [topicsOf(["UnitDispensed"]), batchId, toBeHex(index, 32)],
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
      topics: [DRUG_TRACE_INTERFACE.getEvent("ShipmentSent").topicHash],
    },
    logReadOptionsOf(fromBlock),
  );
  const involved: bigint[] = [];
  for (const log of logs) {
    const parsed = DRUG_TRACE_INTERFACE.parseLog(log);
    if (parsed === null) continue;
    const { sender, recipient } = shipmentDetails(parsed);
    if (sender === who || recipient === who) involved.push(shipmentDetails(parsed).shipmentId);
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
