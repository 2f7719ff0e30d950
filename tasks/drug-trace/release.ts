import { readBatch, readRegisteredBatch, releaseQuarantine } from "../../sdk/drug-trace/index.js";
import { parseBatchOption } from "./options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace release` options. */
export type ReleaseArgs = SignedOptions<"batch" | "gtin" | "lot">;

/**
 * `trace release (--batch <id> | --gtin <GTIN> --lot <lot>)`: the manufacturer or a regulator
 * lifts a quarantine; the batch is Active again (or Expired).
 */
export async function traceRelease(
  args: ReleaseArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { batchId } = parseBatchOption(args);
  const { drugTrace } = await openDrugTrace(connection, args);
  await readRegisteredBatch(drugTrace, batchId);

  const released = await releaseQuarantine(drugTrace, batchId);
  const after = await readBatch(drugTrace, batchId);
  io.print(
    formatFields([
      ["released", batchId],
      ["batch state", after.state],
      ["gas used", formatGas(released.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceRelease);
