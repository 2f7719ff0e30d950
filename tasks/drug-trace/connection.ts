import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { resolveSuiteAddress } from "../lib/deployments.js";
import { attachDrugTrace } from "../../sdk/drug-trace/index.js";
import type { SerialProgress } from "../../sdk/drug-trace/index.js";
import { selectSigner } from "../lib/options.js";
import { contractAction, scopeTask } from "../lib/task.js";
import type {
  Acting,
  SignedOptions,
  TaskAction,
  TaskConnection as TraceConnection,
  TaskIo as TraceIo,
} from "../lib/task.js";
import { colour, ProgressBar } from "../lib/terminal.js";
import type { DrugTrace } from "../../typechain-types/index.js";

/*
 * The plumbing every `trace …` task shares, on top of the task shape of `tasks/lib/task.ts`:
 * each task file exports `trace<Verb>(args, connection, io)` returning the exit code, and
 * `export default traceTask(trace<Verb>)`.
 */

export { CONSOLE_IO, EXIT_OK } from "../lib/task.js";
export type {
  TaskAction as TraceAction,
  TaskConnection as TraceConnection,
  TaskIo as TraceIo,
} from "../lib/task.js";

/**
 * The exit code of `trace verify` and `trace dispense` when the pack must not be dispensed
 * (any verdict but Active, or an expiry mismatch). Failures (bad input, refused transactions)
 * exit with 1.
 */
export const EXIT_NOT_DISPENSABLE = 2;

/**
 * A `trace …` task file's default export (`scopeTask` of `tasks/lib/task.ts`).
 *
 * @example
 * export default traceTask(traceVerify);
 */
export const traceTask = scopeTask;

/** DrugTrace, connected to the account that acts. */
export interface ActingDrugTrace {
  readonly drugTrace: DrugTrace;
  readonly signer: HardhatEthersSigner;
  readonly address: string;
}

async function resolveAddress(
  connection: TraceConnection,
  override: string | undefined,
): Promise<string> {
  const { chainId } = await connection.ethers.provider.getNetwork();
  return resolveSuiteAddress("DrugTrace", chainId, override);
}

/**
 * DrugTrace at `--address` (default: the Ignition deployment for the chain), connected to the
 * account `--from` picks (an index, default 0, or an address).
 *
 * @example
 * const { drugTrace, signer } = await openDrugTrace(connection, args);
 */
export async function openDrugTrace(
  connection: TraceConnection,
  options: { readonly address?: string | undefined; readonly from?: string | undefined },
): Promise<ActingDrugTrace> {
  const address = await resolveAddress(connection, options.address);
  const signer = selectSigner(await connection.ethers.getSigners(), options.from);
  return { drugTrace: await attachDrugTrace(signer, address), signer, address };
}

/**
 * A `trace …` task's action from its two parts: `parse` checks the arguments before anything is
 * sent, `act` works on DrugTrace (`--address`, signed by `--from`) and prints what it did; the
 * action then exits 0 (`contractAction` of `tasks/lib/task.ts`).
 *
 * @example
 * export const traceSensor = traceAction(
 *   (args: SensorArgs) => parseAddressOption(args.sensor, "--sensor"),
 *   async (sensor, { drugTrace, io }) => { … io.print(formatFields(…)); },
 * );
 */
export function traceAction<A extends SignedOptions, P>(
  parse: (args: A) => P | Promise<P>,
  act: (parsed: P, acting: Acting<ActingDrugTrace, A>) => Promise<void>,
): TaskAction<A> {
  return contractAction(openDrugTrace, parse, act);
}

/**
 * DrugTrace at `--address` (default: the Ignition deployment), for reading only: needs no
 * account, so anyone can verify a pack against any node.
 *
 * @example
 * const drugTrace = await readDrugTrace(connection, args);
 */
export async function readDrugTrace(
  connection: TraceConnection,
  options: { readonly address?: string | undefined },
): Promise<DrugTrace> {
  const address = await resolveAddress(connection, options.address);
  return attachDrugTrace(connection.ethers.provider, address);
}

/**
 * Progress bars for building a serial tree, one per phase (reading the file, hashing the tree),
 * on `io.progress`; none when `io` has no progress stream. The last bar ends when hashing
 * completes; `stop` ends a half-drawn bar when the work failed.
 *
 * @example
 * const bars = serialTreeProgress(io);
 * const tree = await buildSerialTree(file, { onProgress: bars.onProgress }).finally(bars.stop);
 */
export function serialTreeProgress(io: TraceIo): {
  readonly onProgress: SerialProgress | undefined;
  readonly stop: () => void;
} {
  const stream = io.progress;
  if (stream === undefined) return { onProgress: undefined, stop: () => undefined };
  let phase: string | undefined;
  let bar: ProgressBar | undefined;
  const labels = {
    reading: "reading serial file (bytes)",
    hashing: "hashing serial tree (leaves)",
  };
  return {
    onProgress: (done, total, current) => {
      if (current !== phase) {
        bar?.done();
        phase = current;
        bar = new ProgressBar(labels[current], total, stream);
      }
      bar?.update(done);
      if (current === "hashing" && done >= total) {
        bar?.done();
        bar = undefined;
      }
    },
    stop: () => {
      if (bar !== undefined && stream.isTTY) stream.write("\n"); // end the half-drawn bar
      bar = undefined;
    },
  };
}

/** Colours a line by a verdict's tone. */
export function toneColour(tone: "good" | "warning" | "bad"): (text: string) => string {
  return tone === "good" ? colour.green : tone === "warning" ? colour.yellow : colour.red;
}
