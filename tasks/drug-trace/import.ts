import path from "node:path";

import { importEpcis, readEpcisDocument } from "../../sdk/drug-trace/epcis.js";
import { hashEvidence } from "../lib/evidence.js";
import { isGiven, requireOption } from "../lib/options.js";
import { formatFields, formatGas, formatTimestamp } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace import` options. */
export type ImportArgs = SignedOptions<"epcis" | "tree" | "metadata">;

/**
 * `trace import --epcis <file> [--tree <file>] [--metadata <file|0xhash>]`: validates an EPCIS 2.0
 * document with GS1's tooling and registers the batch of each commissioning event as the `--from`
 * manufacturer, as `trace register` does (same tree file beside the document, same output); every
 * other event is listed as not importable, with the reason.
 */
export async function traceImport(
  args: ImportArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const file = requireOption(args.epcis, "--epcis", "an EPCIS 2.0 document (JSON-LD)");
  const metadataHash = isGiven(args.metadata)
    ? await hashEvidence(args.metadata, "--metadata")
    : undefined;
  const document = await readEpcisDocument(file);
  const { drugTrace } = await openDrugTrace(connection, args);
  const { registered, skipped } = await importEpcis(drugTrace, document, {
    source: file,
    directory: path.dirname(file),
    ...(isGiven(args.tree) ? { treeFile: args.tree.trim() } : {}),
    ...(metadataHash === undefined ? {} : { metadataHash }),
  });
  registered.forEach(({ tree, registered: receipt, batch }, i) => {
    if (i > 0) io.print("");
    io.print(
      formatFields([
        ["batch id", receipt.batchId],
        ["GTIN", batch.gtin],
        ["lot", batch.lot],
        ["expiry", formatTimestamp(batch.expiry)],
        ["units", tree.count.toLocaleString("en-US")],
        ["serials root", tree.root],
        ["tree file", tree.treeFile ?? ""],
        ["metadata hash", metadataHash ?? batch.metadataHash ?? "0x" + "0".repeat(64)],
        ["transaction", receipt.transactionHash],
        ["gas used", formatGas(receipt.gasUsed)],
        ["from events", batch.events.join(", ")],
      ]),
    );
  });
  if (skipped.length > 0) {
    io.print("");
    io.print(`not importable (${skipped.length} event${skipped.length === 1 ? "" : "s"}):`);
    for (const skip of skipped) io.print(`  event ${skip.index} (${skip.event}): ${skip.reason}`);
  }
  return EXIT_OK;
}

export default traceTask(traceImport);
