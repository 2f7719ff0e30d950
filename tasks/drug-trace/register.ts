import { registerBatchFromSerials } from "../../sdk/drug-trace/index.js";
import { parseExpiryOption } from "./options.js";
import { hashOptionalEvidence } from "../lib/evidence.js";
import { isGiven, requireOption } from "../lib/options.js";
import { formatFields, formatGas, formatTimestamp } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, serialTreeProgress, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace register` options. */
export type RegisterArgs = SignedOptions<
  "serials" | "gtin" | "lot" | "expiry" | "metadata" | "tree"
>;

/**
 * `trace register --serials <file> --gtin <GTIN> --lot <lot> --expiry <YYMMDD|ISO date> [--metadata <file|0xhash>] [--tree <file>]`:
 * builds the serial tree with a progress bar, registers the batch as the `--from` manufacturer
 * and saves the tree next to the serial file for trading partners.
 */
export async function traceRegister(
  args: RegisterArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const serialFile = requireOption(
    args.serials,
    "--serials",
    "a file of serials: one per line, or CSV with a serial column",
  );
  const gtin = requireOption(args.gtin, "--gtin", "the product's GTIN");
  const lot = requireOption(args.lot, "--lot", "the batch's lot number");
  const expiry = parseExpiryOption(args.expiry);
  const metadataHash = await hashOptionalEvidence(args.metadata, "--metadata");
  const { drugTrace } = await openDrugTrace(connection, args);

  const bars = serialTreeProgress(io);
  const registering = registerBatchFromSerials(drugTrace, {
    serialFile,
    gtin,
    lot,
    expiry,
    metadataHash,
    ...(isGiven(args.tree) ? { treeFile: args.tree.trim() } : {}),
    ...(bars.onProgress === undefined ? {} : { onProgress: bars.onProgress }),
  });
  const { tree, registered } = await registering.finally(bars.stop);
  io.print(
    formatFields([
      ["batch id", registered.batchId],
      ["GTIN", tree.gtin ?? gtin],
      ["lot", lot],
      ["expiry", formatTimestamp(expiry)],
      ["units", tree.count.toLocaleString("en-US")],
      ["serials root", tree.root],
      ["tree file", tree.treeFile ?? ""],
      ["metadata hash", metadataHash],
      ["transaction", registered.transactionHash],
      ["gas used", formatGas(registered.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceRegister);
