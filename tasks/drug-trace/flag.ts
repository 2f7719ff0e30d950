import {
  batchIdOf,
  checkPack,
  describeGs1TextProblem,
  flagSuspect,
  loadSerialTree,
  parsePackCode,
  treeProofSource,
} from "../../sdk/drug-trace/index.js";
import { parseBatchOption, parseVerdictOption } from "./options.js";
import type { UnitStatus } from "../../sdk/drug-trace/index.js";
import { InputError } from "../../sdk/errors.js";
import { hashOptionalEvidence } from "../lib/evidence.js";
import { isGiven, parseUintOption, requireOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace flag` options. */
export type FlagArgs = SignedOptions<
  "code" | "tree" | "batch" | "gtin" | "lot" | "index" | "serial" | "verdict" | "evidence"
>;

const MAX_INDEX = 2n ** 32n - 1n;

interface Target {
  readonly batchId: string;
  readonly index: bigint;
  readonly serial: string;
  /** The verdict when `--verdict` is not given. */
  readonly verdict: UnitStatus;
}

/**
 * `trace flag (--code <code> [--tree <file>] | --batch <id> | --gtin <GTIN> --lot <lot>, with --serial and --index)
 * [--verdict <word>] [--evidence <file|0xhash>]`: raises a suspect-product alert about one unit,
 * as a trade participant; a regulator resolves it with `trace resolve`.
 */
export async function traceFlag(
  args: FlagArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const byCode = isGiven(args.code);
  if (
    byCode &&
    (isGiven(args.batch) || isGiven(args.gtin) || isGiven(args.lot) || isGiven(args.serial))
  ) {
    throw new InputError(
      "name the unit either by --code or by --batch/--gtin/--lot with --serial, not both",
    );
  }
  const index = isGiven(args.index)
    ? parseUintOption(args.index, "--index", { max: MAX_INDEX })
    : undefined;
  const evidenceHash = await hashOptionalEvidence(args.evidence, "--evidence");
  const { drugTrace } = await openDrugTrace(connection, args);

  let target: Target;
  if (byCode) {
    const code = parsePackCode(args.code);
    const batchId = batchIdOf(BigInt(code.gtin), code.lot);
    if (isGiven(args.tree)) {
      const check = await checkPack(
        drugTrace,
        code,
        treeProofSource(await loadSerialTree(args.tree.trim())),
      );
      const found = check.unit?.index ?? index;
      if (found === undefined) {
        throw new InputError(
          `serial ${code.serial} is not in tree file ${args.tree.trim()}: give --index <the index as scanned>`,
        );
      }
      target = { batchId, index: found, serial: code.serial, verdict: check.status };
    } else {
      if (index === undefined) {
        throw new InputError(
          "--tree <file> or --index <n> is required with --code (the unit's index)",
        );
      }
      target = { batchId, index, serial: code.serial, verdict: "Active" };
    }
  } else {
    const { batchId } = parseBatchOption(args);
    const serial = requireOption(args.serial, "--serial", "the unit's serial as scanned");
    const problem = describeGs1TextProblem(serial, "--serial");
    if (problem !== undefined) throw new InputError(problem);
    if (index === undefined)
      throw new InputError("--index is required (the unit's index in its batch)");
    target = { batchId, index, serial, verdict: "Active" };
  }
  const verdict = isGiven(args.verdict) ? parseVerdictOption(args.verdict) : target.verdict;

  const flagged = await flagSuspect(drugTrace, { ...target, verdict, evidenceHash });
  io.print(
    formatFields([
      ["flag", `#${flagged.flagId}`],
      ["batch", target.batchId],
      ["unit", `index ${target.index}, serial ${target.serial}`],
      ["verdict", verdict],
      ["evidence hash", evidenceHash],
      ["gas used", formatGas(flagged.gasUsed)],
      [
        "next",
        `a regulator runs: npx hardhat trace resolve --flag ${flagged.flagId} --resolution cleared|quarantined|recalled`,
      ],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceFlag);
