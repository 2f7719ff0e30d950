import type { ContractRunner } from "ethers";

import { DrugTrace__factory } from "../../typechain-types/index.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import type { RevertValueNamer } from "../errors.js";
import { STATE_ENUMS, namesInBitmap } from "../states.js";
import { attachContract } from "../transactions.js";
import type { RevertDecoding, TransactionResult } from "../transactions.js";
import { decodeGs1Text } from "./gs1.js";
import { drugTraceRoleName, formatShipmentId } from "./vocabulary.js";

/*
 * The `DrugTrace` contract as the SDK reaches it: its ABI, how its reverts are decoded, and
 * `attachDrugTrace`. Every action of `sdk/drug-trace` is a typed wrapper over a TypeChain
 * instance connected to the signer that acts, sent through `sdk/transactions.ts`, so a refusal
 * surfaces as a `ContractRevertError` named after the contract's custom error.
 */

/** The contract's ABI as an ethers `Interface`, for decoding reverts and logs. */
export const DRUG_TRACE_INTERFACE = DrugTrace__factory.createInterface();

/** What every DrugTrace action returns: the mined receipt, its gas and hash. */
export interface TraceReceipt extends TransactionResult {
  /** The transaction's hash (the same as `hash`). */
  readonly transactionHash: string;
}

/** Each DrugTrace state-revert's name, with the enum its `current` argument counts in. */
const STATE_ERRORS: Readonly<Record<string, readonly string[]>> = {
  DrugTraceUnexpectedBatchState: STATE_ENUMS.BatchState.names,
  DrugTraceUnexpectedShipmentState: STATE_ENUMS.ShipmentState.names,
  DrugTraceUnexpectedFlagState: STATE_ENUMS.FlagState.names,
};

/**
 * Names role ids, lifecycle states and serials, and shows shipment ids in hex, in DrugTrace revert
 * messages, e.g.
 * `AccessControlUnauthorizedAccount(account=0x…, neededRole=DISPENSER_ROLE)` and
 * `DrugTraceUnexpectedBatchState(batchId=0x…, current=Recalled, expectedStates=Active)`.
 */
export const nameDrugTraceRevertValue: RevertValueNamer = (errorName, argName, value) => {
  if (argName === "neededRole" && typeof value === "string") return drugTraceRoleName(value);
  if (argName === "shipmentId" && typeof value === "bigint") return formatShipmentId(value);
  if (argName === "current" && typeof value === "bigint") {
    return STATE_ERRORS[errorName]?.[Number(value)];
  }
  if (argName === "expectedStates" && typeof value === "string") {
    return namesInBitmap(STATE_ENUMS.BatchState.names, value).join("|");
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

/**
 * How DrugTrace reverts are decoded: its JSON ABI (so state refusals read as sentences, e.g.
 * "batch 0x… is Recalled; this needs it Active") and `nameDrugTraceRevertValue`.
 */
export const DRUG_TRACE_DECODING: RevertDecoding = {
  abis: [DrugTrace__factory.abi],
  nameValue: nameDrugTraceRevertValue,
};

/**
 * The `DrugTrace` at `address`, connected to `runner` (a signer that acts, or a provider for
 * reads), after checking that code is deployed there.
 *
 * @throws InputError when the address holds no contract on the runner's chain.
 * @example
 * const drugTrace = await attachDrugTrace(signer, resolveSuiteAddress("DrugTrace", chainId, args.address));
 */
export async function attachDrugTrace(runner: ContractRunner, address: string): Promise<DrugTrace> {
  return attachContract(runner, address, (at, by) => DrugTrace__factory.connect(at, by));
}
