import {
  decodeGs1Text,
  describeHistoryDetails,
  formatGtin,
  formatParticipant,
  readBatch,
  readBatchHistory,
  readNamesOf,
} from "../../sdk/drug-trace/index.js";
import { parseBatchOption } from "./options.js";
import { InputError } from "../../sdk/errors.js";
import { parseFromBlockOption } from "../lib/options.js";
import { formatFields, formatTable, formatTimestamp } from "../lib/terminal.js";
import { EXIT_OK, readDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/** `trace history` options. */
export type HistoryArgs = StringOptions<"batch" | "gtin" | "lot" | "fromBlock" | "address">;

/**
 * `trace history (--batch <id> | --gtin <GTIN> --lot <lot>)`: the journey of a batch rebuilt from
 * the contract's events, oldest first, as a table (time, block, event, actor, details).
 */
export async function traceHistory(
  args: HistoryArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const reference = parseBatchOption(args);
  const { batchId } = reference;
  const fromBlock = parseFromBlockOption(args.fromBlock);
  const drugTrace = await readDrugTrace(connection, args);
  const [batch, history] = await Promise.all([
    readBatch(drugTrace, batchId),
    readBatchHistory(drugTrace, batchId, fromBlock),
  ]);
  const since = fromBlock > 0 ? ` from block ${fromBlock} on` : "";
  if (history.length === 0 && batch.state === "None") {
    throw new InputError(
      `unknown batch ${batchId}: no batch with that id is registered and no event names it${since}`,
    );
  }
  const names = await readNamesOf(drugTrace, [
    ...(batch.state === "None" ? [] : [batch.manufacturer]),
    ...history.map((row) => row.actor),
  ]);
  const who = (account: string): string => formatParticipant(names.get(account) ?? "", account);
  const registered = history.find((row) => row.event === "BatchRegistered");
  const gtin =
    registered?.event === "BatchRegistered" ? formatGtin(registered.details.gtin) : reference.gtin;
  const lot =
    registered?.event === "BatchRegistered" ? decodeGs1Text(registered.details.lot) : reference.lot;
  const header: [string, string][] = [["batch", batchId]];
  if (gtin !== undefined && lot !== undefined) header.push(["GTIN", gtin], ["lot", lot]);
  if (batch.state === "None") {
    header.push(["state", "not registered (alerts name it: a counterfeit code)"]);
  } else {
    header.push(
      ["manufacturer", who(batch.manufacturer)],
      ["expiry", formatTimestamp(batch.expiry)],
      ["units", batch.unitCount.toLocaleString("en-US")],
      [
        "state",
        batch.state === "Quarantined" ? `Quarantined (${batch.quarantineOrigin})` : batch.state,
      ],
    );
  }
  io.print(formatFields(header));
  io.print("");
  if (history.length === 0) {
    io.print(`no events${since}`);
    return EXIT_OK;
  }
  io.print(
    formatTable(
      ["time", "block", "event", "actor", "details"],
      history.map((row) => [
        formatTimestamp(row.timestamp),
        row.block,
        row.event,
        who(row.actor),
        describeHistoryDetails(row),
      ]),
    ),
  );
  return EXIT_OK;
}

export default traceTask(traceHistory);
