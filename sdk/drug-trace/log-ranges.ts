import type { Filter, Log, Provider } from "ethers";

import { CareChainError } from "../errors.js";

/*
 * Event logs over long block ranges. Public RPC providers cap `eth_getLogs` (10,000 blocks is
 * common, some allow 2,000 or fewer, each words its refusal differently), and a batch registered a
 * million blocks ago has its journey spread over all of them. The reader walks the range in
 * windows: a configured maximum if the provider's cap is known, otherwise it starts with the whole
 * range and halves the window each time the provider refuses one, then keeps the size that worked.
 */

/** Where and how to read logs. */
export interface LogReadOptions {
  /** First block (the deployment block saves work); default 0. */
  readonly fromBlock?: number;
  /** Last block; default the head when the read starts (one consistent range). */
  readonly toBlock?: number;
  /** The provider's cap on blocks per `eth_getLogs`, when known (e.g. 10,000). */
  readonly maxRange?: number;
}

/** A `fromBlock` number or the full options, as the history readers accept them. */
export type LogRangeInput = number | LogReadOptions;

/** `LogReadOptions` from a number (the old `fromBlock` argument) or options. */
export function logReadOptionsOf(input: LogRangeInput | undefined): LogReadOptions {
  return typeof input === "number" ? { fromBlock: input } : (input ?? {});
}

/** Transport failures (node down, timeout) are not range refusals: halving would not help. */
const TRANSPORT_CODES = new Set(["NETWORK_ERROR", "TIMEOUT", "SERVER_ERROR", "CANCELLED"]);

/** Words providers use when a log query covers too many blocks or returns too many logs. */
const RANGE_WORDS =
  /block range|range (is )?too (large|wide|big)|exceed|too many|limit|more than|max(imum)? (block )?range|query returned/i;

function isRangeRefusal(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === "string" && TRANSPORT_CODES.has(code)) return false;
  const nested = (error as { error?: { message?: unknown } }).error;
  const words = [message, nested?.message].filter((m) => typeof m === "string").join(" ");
  return RANGE_WORDS.test(words);
}

/**
 * Reads the logs matching `filter` from `fromBlock` to `toBlock` (default: the head), in windows
 * that the provider accepts, oldest first. A refusal that is not about the range (node down, bad
 * filter) is thrown as it came.
 *
 * @example
 * const logs = await readLogsInRanges(provider, { address, topics }, { fromBlock: 0, maxRange: 10_000 });
 */
export async function readLogsInRanges(
  provider: Provider,
  filter: Omit<Filter, "fromBlock" | "toBlock">,
  options: LogReadOptions = {},
): Promise<Log[]> {
  const from = options.fromBlock ?? 0;
  const to = options.toBlock ?? (await provider.getBlockNumber());
  if (
    options.maxRange !== undefined &&
    !(Number.isSafeInteger(options.maxRange) && options.maxRange > 0)
  ) {
    throw new CareChainError(
      `the log range cap ${String(options.maxRange)} is not a positive block count`,
    );
  }
  const logs: Log[] = [];
  let window = options.maxRange ?? to - from + 1;
  let start = from;
  while (start <= to) {
    const end = Math.min(to, start + window - 1);
    try {
      logs.push(...(await provider.getLogs({ ...filter, fromBlock: start, toBlock: end })));
      start = end + 1;
    } catch (error) {
      if (end === start || !isRangeRefusal(error)) throw error;
      window = Math.max(1, Math.floor((end - start + 1) / 2));
    }
  }
  return logs;
}
