import { dispensePack, formatElementString, readNamesOf } from "../../sdk/drug-trace/index.js";
import { loadPack } from "./options.js";
import { hashOptionalEvidence } from "../lib/evidence.js";
import { isGiven } from "../lib/options.js";
import { colour, formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_NOT_DISPENSABLE, EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import { packFields, verdictLine } from "./verify.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace dispense` options. */
export type DispenseArgs = SignedOptions<"code" | "tree" | "evidence">;

/**
 * `trace dispense --code <code> --tree <file>`: verifies the pack first; dispenses it when it is
 * genuine and Active (exit 0); otherwise does not dispense, raises an on-chain alert
 * (`flagSuspect`) carrying the verdict and ends with one red line (exit 2).
 */
export async function traceDispense(
  args: DispenseArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { code, treeFile, tree } = await loadPack(args);
  const evidence = isGiven(args.evidence)
    ? { evidenceHash: await hashOptionalEvidence(args.evidence, "--evidence") }
    : {};
  const { drugTrace } = await openDrugTrace(connection, args);

  const outcome = await dispensePack(drugTrace, code, tree, evidence);
  if (outcome.dispensed) {
    io.print(
      formatFields([
        ["dispensed", colour.green(formatElementString(outcome.check.code))],
        ["unit", `index ${outcome.unit.index} of batch ${outcome.check.batchId}`],
        ["gas used", formatGas(outcome.receipt.gasUsed)],
      ]),
    );
    return EXIT_OK;
  }
  const flag = outcome.flag;
  io.print(
    formatFields([
      ["verdict", verdictLine(outcome.check)],
      ...packFields(
        outcome.check,
        treeFile,
        await readNamesOf(drugTrace, [outcome.check.manufacturer]),
      ),
      [
        "alert",
        flag === undefined
          ? "none on chain: no batch with this GTIN and lot is registered"
          : `flag #${flag.flagId} (verdict ${outcome.verdict}), ${formatGas(flag.gasUsed)}`,
      ],
    ]),
  );
  io.print(
    colour.red(
      flag === undefined
        ? `NOT dispensed: ${outcome.reason} — batch not registered: report the pack to the regulator`
        : `NOT dispensed: ${outcome.reason} — alert raised as flag #${flag.flagId}`,
    ),
  );
  return EXIT_NOT_DISPENSABLE;
}

export default traceTask(traceDispense);
