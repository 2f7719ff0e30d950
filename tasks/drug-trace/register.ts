import { registerBatchFromSerials } from "../../sdk/drug-trace/index.js";
import { parseExpiryOption } from "./options.js";
import { hashOptionalEvidence } from "../lib/evidence.js";
import { isGiven, requireOption } from "../lib/options.js";
import { formatFields, formatGas, formatTimestamp } from "../lib/terminal.js";
import { serialTreeProgress, traceAction, traceTask } from "./connection.js";
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
export const traceRegister = traceAction(
  async (args: RegisterArgs) => ({
    serialFile: requireOption(
      args.serials,
      "--serials",
      "a file of serials: one per line, or CSV with a serial column",
    ),
    gtin: requireOption(args.gtin, "--gtin", "the product's GTIN"),
    lot: requireOption(args.lot, "--lot", "the batch's lot number"),
    expiry: parseExpiryOption(args.expiry),
    metadataHash: await hashOptionalEvidence(args.metadata, "--metadata"),
  }),
  async (batch, { drugTrace, args, io }) => {
    const bars = serialTreeProgress(io);
    const registering = registerBatchFromSerials(drugTrace, {
      ...batch,
      ...(isGiven(args.tree) ? { treeFile: args.tree.trim() } : {}),
      ...(bars.onProgress === undefined ? {} : { onProgress: bars.onProgress }),
    });
    const { tree, registered } = await registering.finally(bars.stop);
    io.print(
      formatFields([
        ["batch id", registered.batchId],
        ["GTIN", tree.gtin ?? batch.gtin],
        ["lot", batch.lot],
        ["expiry", formatTimestamp(batch.expiry)],
        ["units", tree.count.toLocaleString("en-US")],
        ["serials root", tree.root],
        ["tree file", tree.treeFile ?? ""],
        ["metadata hash", batch.metadataHash],
        ["transaction", registered.transactionHash],
        ["gas used", formatGas(registered.gasUsed)],
      ]),
    );
  },
);

export default traceTask(traceRegister);
