import { getAddress, id, toBeHex, ZeroHash } from "ethers";

import { BATCH_STATE_NAMES, FLAG_STATE_NAMES, SHIPMENT_STATE_NAMES } from "../states.js";
import type { BatchStateName, FlagStateName, ShipmentStateName } from "../states.js";
import { encodeGs1Text } from "./gs1.js";

/*
 * DrugTrace's vocabulary: the names of its enums, its roles and constants, and how its ids are
 * written for people.
 */

export {
  BATCH_STATE_NAMES,
  FLAG_STATE_NAMES,
  SHIPMENT_STATE_NAMES,
  batchStateName,
  flagStateName,
  shipmentStateName,
} from "../states.js";
export type { BatchStateName, FlagStateName, ShipmentStateName };

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

/** The names of `IDrugTrace.BatchState`, by value (`BATCH_STATE_NAMES` of `sdk/states.ts`). */
export const BATCH_STATES = BATCH_STATE_NAMES;

/** A batch's state. */
export type BatchState = BatchStateName;

/** The names of `IDrugTrace.ShipmentState`, by value (`SHIPMENT_STATE_NAMES`). */
export const SHIPMENT_STATES = SHIPMENT_STATE_NAMES;

/** A shipment's state. */
export type ShipmentState = ShipmentStateName;

/** The names of `IDrugTrace.Resolution`, by value. */
export const RESOLUTIONS = ["Cleared", "Quarantined", "Recalled"] as const;

/** A regulator's decision on a suspect flag. */
export type Resolution = (typeof RESOLUTIONS)[number];

/** The names of `IDrugTrace.FlagState`, by value (`FLAG_STATE_NAMES`). */
export const FLAG_STATES = FLAG_STATE_NAMES;

/** A suspect flag's state. */
export type FlagState = FlagStateName;

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

/** The name of a role id the contract uses (`DEFAULT_ADMIN_ROLE` for the zero id), if it is one. */
export function drugTraceRoleName(roleId: string): string | undefined {
  if (roleId === ZeroHash) return "DEFAULT_ADMIN_ROLE";
  const found = Object.entries(DRUG_TRACE_ROLES).find(([, hash]) => hash === roleId);
  return found === undefined ? undefined : `${found[0]}_ROLE`;
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
