import type {
  BaseContract,
  ContractRunner,
  ContractTransactionReceipt,
  ContractTransactionResponse,
  Interface,
  InterfaceAbi,
  Log,
} from "ethers";

import type { TypedContractEvent, TypedLogDescription } from "../typechain-types/common.js";
import { requireContractCode } from "./contract-code.js";
import { CareChainError, withDecodedReverts } from "./errors.js";
import type { RevertValueNamer } from "./errors.js";

/*
 * The one transaction and event layer of the SDK (viem's `waitForTransactionReceipt` and
 * `parseEventLogs` as the model): every action sends through `sendTransaction`, which waits for
 * the receipt and turns a revert into a decoded `ContractRevertError`; every event is read with
 * `parseEventLogs`, typed by the TypeChain contract, so a renamed event argument fails `tsc`.
 */

/** What every action returns (and every action's result extends): the mined receipt and its gas. */
export interface TransactionResult {
  readonly receipt: ContractTransactionReceipt;
  readonly gasUsed: bigint;
  /** The transaction's hash. */
  readonly hash: string;
}

/**
 * How to decode a contract's reverts: its ABIs (a JSON ABI, e.g. TypeChain's `Factory.abi`, also
 * names state-machine refusals) and optional names for argument values.
 */
export interface RevertDecoding {
  readonly abis: readonly (Interface | InterfaceAbi)[];
  readonly nameValue?: RevertValueNamer;
}

/**
 * Runs a read (a view call) and rethrows a revert as a decoded `ContractRevertError`.
 *
 * @example
 * const batch = await callDecoded(DRUG_TRACE_DECODING, () => drugTrace.batchOf(batchId));
 */
export async function callDecoded<T>(
  decoding: RevertDecoding,
  action: () => Promise<T>,
): Promise<T> {
  return withDecodedReverts(decoding.abis, action, decoding.nameValue);
}

/**
 * Sends a contract call, waits until it is mined, and returns `{ receipt, gasUsed, hash }`; a
 * revert (at estimation or on chain) surfaces as a decoded `ContractRevertError`.
 *
 * @example
 * const { gasUsed } = await sendTransaction(DRUG_TRACE_DECODING, () => drugTrace.recall(id, 1n, hash));
 */
export async function sendTransaction(
  decoding: RevertDecoding,
  action: () => Promise<ContractTransactionResponse>,
): Promise<TransactionResult> {
  return callDecoded(decoding, async () => {
    const response = await action();
    const receipt = await response.wait();
    if (receipt === null) {
      throw new CareChainError(`transaction ${response.hash} was dropped before it was mined`);
    }
    return { receipt, gasUsed: receipt.gasUsed, hash: receipt.hash };
  });
}

/** A TypeChain contract as far as its events go (its `filters` name and type each event). */
export type EventContract = BaseContract;

/** The names of `C`'s events (TypeChain's `filters` keys, without the full signatures). */
export type EventName<C extends EventContract> = {
  [K in keyof C["filters"]]: K extends `${string}(${string}`
    ? never
    : K extends string
      ? C["filters"][K] extends TypedContractEvent
        ? K
        : never
      : never;
}[keyof C["filters"]];

/** The typed event `name` of `C`. */
export type EventOf<
  C extends EventContract,
  K extends EventName<C>,
> = C["filters"][K] extends TypedContractEvent ? C["filters"][K] : never;

/** The decoded arguments of event `name` of `C`, by position and by name. */
export type EventArgs<C extends EventContract, K extends EventName<C>> = TypedLogDescription<
  EventOf<C, K>
>["args"];

/** One decoded event: its name, typed arguments and the log it came from. */
export type ParsedEvent<C extends EventContract, K extends EventName<C> = EventName<C>> = {
  [E in K]: { readonly name: E; readonly args: EventArgs<C, E>; readonly log: Log };
}[K];

/**
 * The events named `names` that `contract` emitted in `source` (a receipt or logs), decoded and
 * typed, in log order; logs of other contracts and other events are skipped. The contract's
 * address is its `target` (TypeChain's `connect(address, runner)` sets it).
 *
 * @example
 * for (const { args } of parseEventLogs(claims, receipt, ["ClaimPaid"])) console.log(args.amount);
 * const [{ args }] = parseEventLogs(drugTrace, logs, ["BatchRegistered"]); // args.batchId: string
 */
export function parseEventLogs<C extends EventContract, K extends EventName<C>>(
  contract: C,
  source: { readonly logs: readonly Log[] } | readonly Log[],
  names: readonly K[],
): ParsedEvent<C, K>[] {
  const logs: readonly Log[] = "logs" in source ? source.logs : source;
  const address = typeof contract.target === "string" ? contract.target.toLowerCase() : undefined;
  const wanted = new Set<string>(names);
  const parsed: ParsedEvent<C, K>[] = [];
  for (const log of logs) {
    if (address !== undefined && log.address.toLowerCase() !== address) continue;
    const description = contract.interface.parseLog(log);
    if (description === null || !wanted.has(description.name)) continue;
    parsed.push({ name: description.name, args: description.args, log } as ParsedEvent<C, K>);
  }
  return parsed;
}

/**
 * The topic hashes of events `names` of `contract`, for a log query's first topic.
 *
 * @example
 * await provider.getLogs({ address, topics: [eventTopics(drugTrace, ["ShipmentSent"])] });
 */
export function eventTopics<C extends EventContract>(
  contract: C,
  names: readonly EventName<C>[],
): string[] {
  return names.map((name) => (contract.filters[name] as TypedContractEvent).fragment.topicHash);
}

/**
 * The arguments of the first event `name` in `receipt`; its absence is a `CareChainError`.
 *
 * @example
 * const { batchId } = requireEvent(drugTrace, sent.receipt, "BatchRegistered");
 */
export function requireEvent<C extends EventContract, K extends EventName<C>>(
  contract: C,
  receipt: ContractTransactionReceipt,
  name: K,
): EventArgs<C, K> {
  const [found] = parseEventLogs(contract, receipt, [name]);
  if (found === undefined)
    throw new CareChainError(`transaction ${receipt.hash} emitted no ${name}`);
  return found.args;
}

/**
 * Connects a contract at `address` to `runner` after checking that code is deployed there, so a
 * wrong address or network ends with one clear line (`requireContractCode`).
 *
 * @throws InputError "no contract at 0x… on chain 31337: check --address or --network".
 * @example
 * const consent = await attachContract(signer, address, PatientConsent__factory.connect);
 */
export async function attachContract<C>(
  runner: ContractRunner,
  address: string,
  connect: (address: string, runner: ContractRunner) => C,
): Promise<C> {
  const provider = runner.provider ?? null;
  if (provider === null) throw new CareChainError("the runner has no provider to reach the chain");
  await requireContractCode(provider, address);
  return connect(address, runner);
}
