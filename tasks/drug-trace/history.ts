import {
  decodeGs1Text,
  describeHistoryDetails,
  formatGtin,
  parseBatchOption,
  readBatch,
  readBatchHistory,
} from "../../sdk/drug-trace/index.js";
import { InputError } from "../../sdk/errors.js";
import { formatFields, formatTable, formatTimestamp } from "../../sdk/terminal.js";
import { EXIT_OK, readDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";

/** `trace history` options. */
export interface HistoryArgs {
  readonly batch?: string | undefined;
  readonly gtin?: string | undefined;
  readonly lot?: string | undefined;
  readonly address?: string | undefined;
}

/**
 * `trace history (--batch <id> | --gtin <GTIN> --lot <lot>)`: the journey of a batch rebuilt from
 * the contract's events, oldest first, as a table (time, block, event, actor, details).
 */
export async function traceHistory(
  args: HistoryArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { batchId } = parseBatchOption(args);
  const drugTrace = await readDrugTrace(connection, args);
  const [batch, history] = await Promise.all([
    readBatch(drugTrace, batchId),
    readBatchHistory(drugTrace, batchId),
  ]);
  if (history.length === 0) {
    throw new InputError(
      `unknown batch ${batchId}: no batch with that id is registered and no event names it`,
    );
  }
  const registered = history.find((row) => row.event === "BatchRegistered");
  const header: [string, string][] = [["batch", batchId]];
  if (registered?.event === "BatchRegistered") {
    header.push(
      ["GTIN", formatGtin(registered.details.gtin)],
      ["lot", decodeGs1Text(registered.details.lot)],
      ["expiry", formatTimestamp(registered.details.expiry)],
      ["units", registered.details.unitCount.toLocaleString("en-US")],
    );
  }
  header.push([
    "state",
    batch.state === "None" ? "not registered (alerts name it: a counterfeit code)" : batch.state,
  ]);
  io.print(formatFields(header));
  io.print("");
  io.print(
    formatTable(
      ["time", "block", "event", "actor", "details"],
      history.map((row) => [
        formatTimestamp(row.timestamp),
        row.block,
        row.event,
        row.actor,
        describeHistoryDetails(row),
      ]),
    ),
  );
  return EXIT_OK;
}

export default traceTask(traceHistory);
