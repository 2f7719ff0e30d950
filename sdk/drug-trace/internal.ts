import type { ContractTransactionResponse, Provider, Result } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError, InputError } from "../errors.js";
import { callDecoded, requireEvent, sendTransaction } from "../transactions.js";
import type { EventArgs, EventName, TransactionResult } from "../transactions.js";
import { DRUG_TRACE_DECODING } from "./contract.js";
import type { TraceReceipt } from "./contract.js";
import type { CompanyPrefix } from "./gs1.js";
import { describeNameProblem } from "./participants.js";

/*
 * Helpers the DrugTrace modules share; not exported from `sdk/drug-trace/index.ts`.
 */

/** Runs a view call and rethrows a revert as a `ContractRevertError` with named values. */
export async function decoded<T>(action: () => Promise<T>): Promise<T> {
  return callDecoded(DRUG_TRACE_DECODING, action);
}

/** Sends a DrugTrace call and waits for it (`sendTransaction`). */
export async function sendDrugTrace(
  action: () => Promise<ContractTransactionResponse>,
): Promise<TraceReceipt> {
  return traceReceiptOf(await sendTransaction(DRUG_TRACE_DECODING, action));
}

/**
 * A DrugTrace action that sends one call and returns its receipt: `traceAction(call)` is
 * `(drugTrace, ...args) => sendDrugTrace(() => call(drugTrace, ...args))`.
 *
 * @example
 * export const bindSensor = traceAction((drugTrace, sensor: string) => drugTrace.bindSensor(sensor));
 */
export function traceAction<A extends unknown[]>(
  call: (drugTrace: DrugTrace, ...args: A) => Promise<ContractTransactionResponse>,
): (drugTrace: DrugTrace, ...args: A) => Promise<TraceReceipt> {
  return async (drugTrace, ...args) => sendDrugTrace(() => call(drugTrace, ...args));
}

/** Sends a DrugTrace call and returns its receipt with the arguments of the event `name` it emitted. */
export async function sendDrugTraceFor<K extends EventName<DrugTrace>>(
  drugTrace: DrugTrace,
  name: K,
  action: () => Promise<ContractTransactionResponse>,
): Promise<{ readonly sent: TraceReceipt; readonly event: EventArgs<DrugTrace, K> }> {
  const sent = await sendDrugTrace(action);
  return { sent, event: requireEvent(drugTrace, sent.receipt, name) };
}

/** A company prefix as the contract's prefix arguments take it: its value and its length. */
export function prefixArgs(prefix: CompanyPrefix): [bigint, number] {
  return [prefix.value, prefix.length];
}

/** A transaction's result as DrugTrace actions return it (with the older `transactionHash`). */
export function traceReceiptOf(sent: TransactionResult): TraceReceipt {
  return { ...sent, transactionHash: sent.hash };
}

/** The name of value `value` of enum `names`, or a `CareChainError` naming what it is. */
export function nameOf<T extends string>(names: readonly T[], value: bigint, what: string): T {
  const name = names[Number(value)];
  if (name === undefined) throw new CareChainError(`unknown ${what} ${value} from DrugTrace`);
  return name;
}

/** The named fields of a TypeChain struct output (its tuple positions and array members left out). */
type NamedFields<R> = {
  [K in keyof R as K extends `${number}` | number | symbol | keyof unknown[] ? never : K]: R[K];
};

/** What `viewOf` makes of struct `R` with fields `D` laid over it. */
type View<R, D> = Omit<NamedFields<R>, keyof D> & D;

/**
 * A struct the contract returns as a plain object of its named fields, with `decoded` laid over
 * it (the id it was read by, its enum fields by name).
 *
 * @example
 * return viewOf(record, { shipmentId, state: shipmentStateName(record.state) }); // a ShipmentView
 */
export function viewOf<R extends object, D extends object>(record: R, decoded: D): View<R, D> {
  return { ...(record as unknown as Result).toObject(), ...decoded } as View<R, D>;
}

/** The value of enum name `name` in `names`. */
export function valueOf<T extends string>(names: readonly T[], name: T): number {
  return names.indexOf(name);
}

/** The provider a DrugTrace instance reads logs and blocks through. */
export function providerOf(drugTrace: DrugTrace): Provider {
  const provider = drugTrace.runner?.provider ?? null;
  if (provider === null)
    throw new CareChainError("the DrugTrace contract has no provider to read logs");
  return provider;
}

/** `name`, once checked: a participant name the contract would refuse is an `InputError`. */
export function checkedName(name: string): string {
  const problem = describeNameProblem(name);
  if (problem !== undefined) throw new InputError(problem);
  return name;
}
