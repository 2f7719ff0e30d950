import {
  formatCentiCelsius,
  parseBatchOption,
  parseCelsiusOption,
  readRegisteredBatch,
  reportExcursion,
} from "../../sdk/drug-trace/index.js";
import { hashEvidence } from "../../sdk/evidence.js";
import { requireOption } from "../../sdk/options.js";
import { formatFields, formatGas } from "../../sdk/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";

/** `trace excursion` options. */
export interface ExcursionArgs {
  readonly batch?: string | undefined;
  readonly gtin?: string | undefined;
  readonly lot?: string | undefined;
  readonly reading?: string | undefined;
  readonly extreme?: string | undefined;
  readonly from?: string | undefined;
  readonly address?: string | undefined;
}

/**
 * `trace excursion (--batch <id> | --gtin <GTIN> --lot <lot>) --reading <file|0xhash> --extreme <°C>`:
 * a cold-chain sensor reports a temperature excursion; the batch is quarantined.
 */
export async function traceExcursion(
  args: ExcursionArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { batchId } = parseBatchOption(args);
  const readingHash = await hashEvidence(
    requireOption(args.reading, "--reading", "the sensor reading file or its 0x… hash"),
    "--reading",
  );
  const extremeCentiCelsius = parseCelsiusOption(args.extreme);
  const { drugTrace } = await openDrugTrace(connection, args);
  await readRegisteredBatch(drugTrace, batchId);

  const reported = await reportExcursion(drugTrace, { batchId, readingHash, extremeCentiCelsius });
  io.print(
    formatFields([
      ["excursion", batchId],
      ["extreme", formatCentiCelsius(extremeCentiCelsius)],
      ["reading hash", readingHash],
      ["batch state", reported.batchQuarantined ? "Quarantined (now)" : "Quarantined (already)"],
      ["gas used", formatGas(reported.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceExcursion);
