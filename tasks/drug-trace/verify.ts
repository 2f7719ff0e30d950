import { ZeroAddress } from "ethers";

import {
  checkPack,
  describeRefusal,
  formatParticipant,
  printedExpiryDate,
  readGtinCompanyPrefix,
  readNamesOf,
  treeProofSource,
  VERDICT_WORDS,
} from "../../sdk/drug-trace/index.js";
import { loadPack } from "./options.js";
import type { PackCheck } from "../../sdk/drug-trace/index.js";
import { parseFromBlockOption } from "../lib/options.js";
import { colour, formatFields, formatTimestamp } from "../lib/terminal.js";
import {
  EXIT_NOT_DISPENSABLE,
  EXIT_OK,
  readDrugTrace,
  toneColour,
  traceTask,
} from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/** `trace verify` options. */
export type VerifyArgs = StringOptions<"code" | "tree" | "fromBlock" | "address">;

/** The verdict line: the status in words, coloured by what it means at the counter. */
export function verdictLine(
  check: Pick<PackCheck, "status" | "expiryMismatch" | "genuine">,
): string {
  if (check.genuine) return colour.green(`${check.status} — ${VERDICT_WORDS.Active.meaning}`);
  if (check.status === "Active") return colour.red(`SUSPECT — ${describeRefusal(check)}`);
  const words = VERDICT_WORDS[check.status];
  return toneColour(words.tone)(`${check.status} — ${words.meaning}`);
}

/**
 * The fields `trace verify` and `trace dispense` print about a checked pack; participants by
 * name (from `names`, by checksummed address) with the short address beside it.
 */
export function packFields(
  check: PackCheck,
  treeFile: string,
  names: ReadonlyMap<string, string> = new Map(),
): [string, string][] {
  const registered = check.status !== "Unknown";
  const printed =
    check.code.expiry === undefined ? undefined : printedExpiryDate(check.code.expiry);
  let expiry: string;
  if (registered) {
    expiry = formatTimestamp(check.expiry).slice(0, 10);
    if (check.expiryMismatch !== undefined)
      expiry += colour.red(` (the pack says ${printed ?? "?"})`);
  } else {
    expiry = printed === undefined ? "—" : `${printed} (printed on the pack; not registered)`;
  }
  return [
    ["GTIN", check.code.gtin],
    ["lot", check.code.lot],
    ["serial", check.code.serial],
    [
      "unit",
      check.unit === undefined ? `not in tree file ${treeFile}` : `index ${check.unit.index}`,
    ],
    ["expiry", expiry],
    [
      "manufacturer",
      check.manufacturer === ZeroAddress
        ? "—"
        : formatParticipant(names.get(check.manufacturer) ?? "", check.manufacturer),
    ],
    ["batch", check.batchId],
  ];
}

/**
 * `trace verify --code <code> --tree <file>`: what the chain says about a pack, in words and
 * colour. Exit code 0 when it is genuine and Active, 2 for any other verdict (do not dispense),
 * 1 when it could not be checked (bad input, no node).
 */
export async function traceVerify(
  args: VerifyArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { code, treeFile, tree } = await loadPack(args);
  const drugTrace = await readDrugTrace(connection, args);
  const check = await checkPack(drugTrace, code, treeProofSource(tree), {
    holders: true,
    fromBlock: parseFromBlockOption(args.fromBlock),
  });

  const registered = check.status !== "Unknown";
  const brand = registered
    ? await readGtinCompanyPrefix(drugTrace, BigInt(check.code.gtin))
    : undefined;
  const names = await readNamesOf(drugTrace, [
    check.manufacturer,
    ...(brand === undefined ? [] : [brand.owner]),
    ...(check.holders ?? []).map(({ holder }) => holder),
  ]);
  const holders =
    check.holders === undefined
      ? "—"
      : check.holders.length === 0
        ? "none (all units dispensed or in transit)"
        : check.holders
            .map(
              ({ holder, quantity }) =>
                `${formatParticipant(names.get(holder) ?? "", holder)}: ${quantity}`,
            )
            .join(", ");
  const fields = packFields(check, treeFile, names);
  if (brand !== undefined && brand.owner !== check.manufacturer) {
    // A contract manufacturer made it: say whose brand it is.
    fields.push([
      "brand owner",
      `${formatParticipant(names.get(brand.owner) ?? "", brand.owner)}, prefix ${brand.prefix.digits}`,
    ]);
  }
  io.print(formatFields([["verdict", verdictLine(check)], ...fields, ["holders", holders]]));
  return check.genuine ? EXIT_OK : EXIT_NOT_DISPENSABLE;
}

export default traceTask(traceVerify);
