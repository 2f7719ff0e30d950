import type { DrugTrace } from "../../typechain-types/index.js";
import { changeRole, readHeldRoles } from "../roles.js";
import { DRUG_TRACE_DECODING } from "./contract.js";
import type { TraceReceipt } from "./contract.js";
import { traceAction, traceReceiptOf } from "./internal.js";
import { DRUG_TRACE_ROLES, TRADE_ROLES } from "./vocabulary.js";
import type { DrugTraceRole, TradeRole } from "./vocabulary.js";

/*
 * DrugTrace's roles and pause switch, as thin uses of the SDK's one roles module (`sdk/roles.ts`).
 */

/**
 * Pauses every DrugTrace state change, as the connected `PAUSER` role holder.
 *
 * @example
 * await pauseDrugTrace(drugTrace.connect(pauser));
 */
export const pauseDrugTrace = traceAction((drugTrace) => drugTrace.pause());

/**
 * Resumes DrugTrace state changes, as the connected `PAUSER` role holder.
 *
 * @example
 * await unpauseDrugTrace(drugTrace.connect(pauser));
 */
export const unpauseDrugTrace = traceAction((drugTrace) => drugTrace.unpause());

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
  return traceReceiptOf(await changeRole(drugTrace, "grant", role, account, DRUG_TRACE_DECODING));
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
  const held = await readHeldRoles(drugTrace, TRADE_ROLES, account, DRUG_TRACE_DECODING);
  return TRADE_ROLES.filter((role) => held.includes(role));
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
  return traceReceiptOf(await changeRole(drugTrace, "revoke", role, account, DRUG_TRACE_DECODING));
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
  const names = Object.keys(DRUG_TRACE_ROLES) as DrugTraceRole[];
  return readHeldRoles(drugTrace, names, account, DRUG_TRACE_DECODING);
}
