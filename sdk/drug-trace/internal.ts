import type { ContractTransactionResponse, Provider } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError, InputError } from "../errors.js";
import { callDecoded, sendTransaction } from "../transactions.js";
import type { TransactionResult } from "../transactions.js";
import { DRUG_TRACE_DECODING } from "./contract.js";
import type { TraceReceipt } from "./contract.js";
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

/** Refuses a participant name the contract would refuse. */
export function checkName(name: string): void {
  const problem = describeNameProblem(name);
  if (problem !== undefined) throw new InputError(problem);
}
