import { readBatch, readSuspectFlag, resolveSuspect } from "../../sdk/drug-trace/index.js";
import { parseFlagOption, parseResolutionOption } from "./options.js";
import { InputError } from "../../sdk/errors.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace resolve` options. */
export type ResolveArgs = SignedOptions<"flag" | "resolution">;

/**
 * `trace resolve --flag <id> --resolution cleared|quarantined|recalled`: a regulator decides an
 * open suspect flag; quarantined and recalled put the batch in that state.
 */
export async function traceResolve(
  args: ResolveArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const flagId = parseFlagOption(args.flag);
  const resolution = parseResolutionOption(args.resolution);
  const { drugTrace } = await openDrugTrace(connection, args);
  const flag = await readSuspectFlag(drugTrace, flagId);
  if (flag.state === "None")
    throw new InputError(`unknown flag #${flagId}: no suspect flag has that number`);

  const resolved = await resolveSuspect(drugTrace, flagId, resolution);
  const after = await readBatch(drugTrace, resolved.batchId);
  const change = resolved.batchRecalled
    ? "recalled now"
    : resolved.batchQuarantined
      ? "quarantined now"
      : "unchanged";
  io.print(
    formatFields([
      ["resolved", `flag #${flagId}: ${resolution}`],
      ["batch", resolved.batchId],
      ["batch state", `${after.state} (${change})`],
      ["gas used", formatGas(resolved.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceResolve);
