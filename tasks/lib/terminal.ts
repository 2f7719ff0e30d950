import type { ContractTransactionReceipt } from "ethers";

import { formatGas } from "../../sdk/format.js";
import type { TaskIo } from "./task.js";

export { formatGas, formatNumber, formatTimestamp } from "../../sdk/format.js";

/** Read when a colour is applied, not at import, so importing this module has no side effects. */
function useColour(): boolean {
  return process.stdout.isTTY && process.env.NO_COLOR === undefined;
}

/** ANSI colours for verdicts; plain text when stdout is not a terminal or `NO_COLOR` is set. */
export const colour = {
  green: (text: string): string => (useColour() ? `\u001b[32m${text}\u001b[0m` : text),
  red: (text: string): string => (useColour() ? `\u001b[31m${text}\u001b[0m` : text),
  yellow: (text: string): string => (useColour() ? `\u001b[33m${text}\u001b[0m` : text),
  bold: (text: string): string => (useColour() ? `\u001b[1m${text}\u001b[0m` : text),
};

/**
 * Formats rows as an aligned text table with a header line. Numbers and bigints are
 * right-aligned, everything else left-aligned.
 *
 * @example
 * console.log(formatTable(["step", "gas"], [["registerBatch", 91234n]]));
 */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly (string | number | bigint)[])[],
): string {
  const cells = [header, ...rows.map((row) => row.map((cell) => String(cell)))];
  const numeric = header.map(
    (_, column) =>
      rows.length > 0 &&
      rows.every((row) => typeof row[column] === "number" || typeof row[column] === "bigint"),
  );
  const widths = header.map((_, column) =>
    Math.max(...cells.map((row) => (row[column] ?? "").length)),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, column) =>
        numeric[column] === true
          ? cell.padStart(widths[column] ?? 0)
          : cell.padEnd(widths[column] ?? 0),
      )
      .join("  ")
      .trimEnd();
  const rule = widths.map((width) => "-".repeat(width)).join("  ");
  return [line(cells[0] ?? []), rule, ...cells.slice(1).map(line)].join("\n");
}

/**
 * Formats key/value pairs as aligned lines, keys padded to the longest one.
 *
 * @example
 * console.log(formatFields([["batch id", batchId], ["gas used", formatGas(gasUsed)]]));
 * // batch id  0x…
 * // gas used  91,234 gas
 */
export function formatFields(
  fields: readonly (readonly [string, string | number | bigint])[],
): string {
  const width = Math.max(0, ...fields.map(([key]) => key.length));
  return fields
    .map(([key, value]) => `${key.padEnd(width)}  ${String(value)}`.trimEnd())
    .join("\n");
}

/** A mined write, as the SDK returns it. */
export interface Mined {
  readonly gasUsed: bigint;
  readonly receipt: ContractTransactionReceipt;
}

/** A field of `formatFields`: a label and its value. */
export type Field = readonly [string, string | number | bigint];

/**
 * Prints what a task did: one green line, then the fields, and the gas and transaction of `mined`.
 *
 * @example
 * printDone(io, `revoked consent ${id}`, [["grantee", grantee]], result);
 */
export function printDone(
  io: TaskIo,
  title: string,
  fields: readonly Field[],
  mined?: Mined,
): void {
  io.print(colour.green(title));
  const tx: Field[] =
    mined === undefined
      ? []
      : [
          ["gas", formatGas(mined.gasUsed)],
          ["transaction", mined.receipt.hash],
        ];
  io.print(formatFields([...fields, ...tx]));
}

/**
 * A progress bar on a stream (a task's `io.progress`, stderr) for work that takes more than a
 * few seconds; silent when the stream is not a terminal except for a final line, and without a
 * stream.
 *
 * @example
 * const bar = new ProgressBar("hashing serials", 1_000_000, io.progress);
 * bar.update(500_000); bar.done();
 */
export class ProgressBar {
  private lastDraw = 0;
  constructor(
    private readonly label: string,
    private readonly total: number,
    /** Where to draw; nothing is drawn without one (a task's `io.progress`). */
    private readonly stream: NodeJS.WriteStream | undefined,
  ) {}

  update(current: number): void {
    if (this.stream?.isTTY !== true) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && current < this.total) return;
    this.lastDraw = now;
    const ratio = this.total === 0 ? 1 : Math.min(current / this.total, 1);
    const width = 30;
    const filled = Math.round(ratio * width);
    this.stream.write(
      `\r${this.label} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${current}/${this.total}`,
    );
  }

  done(): void {
    if (this.stream === undefined) return;
    if (this.stream.isTTY) this.stream.write("\n");
    else this.stream.write(`${this.label}: ${this.total}/${this.total}\n`);
  }
}
