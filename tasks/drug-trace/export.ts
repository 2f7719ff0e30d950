import { exportEpcis } from "../../sdk/drug-trace/epcis.js";
import { loadSerialTree } from "../../sdk/drug-trace/index.js";
import { parseBatchOption } from "./options.js";
import { InputError } from "../../sdk/errors.js";
import { isGiven, parseDateOption, parseFromBlockOption, requireOption } from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { formatFields } from "../lib/terminal.js";
import { EXIT_OK, readDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { StringOptions } from "../lib/task.js";
import { writeJsonFile } from "../lib/files.js";

/** `trace export` options. */
export type ExportArgs = StringOptions<
  | "epcis"
  | "batch"
  | "gtin"
  | "lot"
  | "tree"
  | "participants"
  | "since"
  | "until"
  | "fromBlock"
  | "address"
>;

/**
 * `trace export --epcis <file> [--batch <id> | --gtin <GTIN> --lot <lot>] [--tree <file>]
 * [--participants <file>] [--since <date>] [--until <date>]`: a batch's (or every batch's)
 * on-chain history as a GS1 EPCIS 2.0 document, validated with GS1's schema before it is written.
 */
export async function traceExport(
  args: ExportArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const file = requireOption(
    args.epcis,
    "--epcis",
    "the EPCIS document to write, e.g. A1.epcis.jsonld",
  );
  const oneBatch = isGiven(args.batch) || isGiven(args.gtin) || isGiven(args.lot);
  const batchId = oneBatch ? parseBatchOption(args).batchId : undefined;
  if (isGiven(args.tree) && batchId === undefined) {
    throw new InputError("--tree names one batch's serials: give --batch or --gtin and --lot too");
  }
  const since = isGiven(args.since) ? parseDateOption(args.since, "--since") : undefined;
  const until = isGiven(args.until)
    ? parseDateOption(args.until, "--until", { endOfDay: true })
    : undefined;
  if (since !== undefined && until !== undefined && until < since) {
    throw new InputError("--until is before --since");
  }
  const participants = await loadParticipants(args.participants);
  const tree = isGiven(args.tree) ? await loadSerialTree(args.tree.trim()) : undefined;
  const drugTrace = await readDrugTrace(connection, args);
  const { document, batches, unmapped } = await exportEpcis(drugTrace, {
    ...(batchId === undefined ? {} : { batchId }),
    ...(tree === undefined ? {} : { tree }),
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    participants,
    fromBlock: parseFromBlockOption(args.fromBlock),
  });
  await writeJsonFile(file, document);
  io.print(
    formatFields([
      ["EPCIS document", file],
      ["batches", batches.length],
      ["events", document.epcisBody.eventList.length],
      [
        "commissioning",
        tree === undefined
          ? "by lot (quantity); give --tree to list every SGTIN"
          : `${tree.count.toLocaleString("en-US")} SGTINs`,
      ],
      ["validated", "GS1 EPCIS 2.0 JSON schema and epcis2.js: valid"],
    ]),
  );
  if (unmapped.length > 0) {
    io.print("");
    io.print(
      `no GS1 party identifier (PGLN) in ${isGiven(args.participants) ? args.participants : "a participants file (--participants)"} for ${unmapped.length} account(s); exported in carechain: fields only:`,
    );
    for (const account of unmapped) io.print(`  ${account}`);
  }
  return EXIT_OK;
}

export default traceTask(traceExport);
