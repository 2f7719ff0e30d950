import { readBatch, readRegisteredBatch, recall } from "../../sdk/drug-trace/index.js";
import { parseBatchOption, parseReasonCodeOption } from "./options.js";
import { hashOptionalEvidence } from "../lib/evidence.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace recall` options. */
export type RecallArgs = SignedOptions<"batch" | "gtin" | "lot" | "reason" | "evidence">;

/**
 * `trace recall (--batch <id> | --gtin <GTIN> --lot <lot>) --reason <code> [--evidence <file|0xhash>]`:
 * recalls a batch as its manufacturer or a regulator; final.
 */
export async function traceRecall(
  args: RecallArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { batchId } = parseBatchOption(args);
  const reasonCode = parseReasonCodeOption(args.reason);
  const evidenceHash = await hashOptionalEvidence(args.evidence, "--evidence");
  const { drugTrace } = await openDrugTrace(connection, args);
  await readRegisteredBatch(drugTrace, batchId);

  const recalled = await recall(drugTrace, { batchId, reasonCode, evidenceHash });
  const after = await readBatch(drugTrace, batchId);
  io.print(
    formatFields([
      ["recalled", batchId],
      ["reason code", reasonCode],
      ["evidence hash", evidenceHash],
      ["batch state", after.state],
      ["gas used", formatGas(recalled.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceRecall);
