import { createReadStream } from "node:fs";
import { stat, writeFile } from "node:fs/promises";
import { createInterface } from "node:readline";

import { InputError } from "../errors.js";
import { readJsonFile } from "../input-files.js";
import { describeGs1TextProblem, validateGtin } from "./gs1.js";
import {
  PROGRESS_EVERY,
  SerialMerkleTree,
  formatSerialTreeFile,
  serialTreeFromFile,
} from "./serial-merkle.js";
import type { SerialProgress, SerialTree } from "./serial-merkle.js";

/*
 * Serial files and tree files on disk (Node). The tree itself, its proofs and the tree-file format
 * live in `serial-merkle.ts`, which has no Node APIs so the verifier page can use it too; its
 * public names are re-exported here so that `serial-tree.js` stays the one import for the tree.
 */

export {
  SERIAL_LEAF_ENCODING,
  SERIAL_TREE_FORMAT,
  formatSerialTreeFile,
  leafHash,
  serialTreeFromFile,
  serialTreeOf,
  treeFileNameOf,
  verifySerialProof,
} from "./serial-merkle.js";
export type { SerialProgress, SerialProof, SerialTree, SerialTreeFile } from "./serial-merkle.js";

/** Options of `buildSerialTree`. */
export interface BuildSerialTreeOptions {
  onProgress?: SerialProgress;
  /** Where to save the tree (default: `<input>.tree.json` next to the input). */
  treeFile?: string;
  /** GTIN recorded in the tree file (validated, stored as 14 digits). */
  gtin?: string;
  /** Lot recorded in the tree file (validated). */
  lot?: string;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                      Serial files
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Splits one CSV line on `delimiter`, honouring double-quoted fields with `""` escapes. */
function splitCsvLine(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field.trim() === "") {
      quoted = true;
      field = "";
    } else if (c === delimiter) {
      fields.push(field.trim());
      field = "";
    } else field += c;
  }
  fields.push(quoted ? field : field.trim());
  return fields;
}

interface SerialList {
  serials: string[];
  indexOf: Map<string, number>;
}

async function readSerialList(file: string, onProgress?: SerialProgress): Promise<SerialList> {
  let total: number;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new InputError(`serial file ${file} is not a file`);
    total = info.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`serial file not found: ${file}`);
  }
  const stream = createReadStream(file, { encoding: "utf8", highWaterMark: 1 << 20 });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const serials: string[] = [];
  const indexOf = new Map<string, number>();
  // undefined until the first content line decides: plain list (-1) or CSV column number
  let column: number | undefined;
  let delimiter = ",";
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (column === undefined) {
      const found = [",", ";", "\t"].find((d) => line.includes(d));
      if (found !== undefined) {
        delimiter = found;
        const header = splitCsvLine(line, delimiter).map((h) => h.toLowerCase());
        column = header.indexOf("serial");
        if (column < 0) {
          throw new InputError(
            `${file} line ${lineNumber}: CSV header has no "serial" column (found ${header.join(", ")})`,
          );
        }
        continue;
      }
      column = -1;
      if (line.toLowerCase() === "serial") continue; // a one-column CSV header
    }
    const serial = column < 0 ? line : splitCsvLine(line, delimiter)[column];
    if (serial === undefined) {
      throw new InputError(`${file} line ${lineNumber}: no value in the serial column`);
    }
    const problem = describeGs1TextProblem(serial, "serial");
    if (problem !== undefined) throw new InputError(`${file} line ${lineNumber}: ${problem}`);
    if (indexOf.has(serial)) {
      throw new InputError(`${file} line ${lineNumber}: duplicate serial ${serial}`);
    }
    indexOf.set(serial, serials.length);
    serials.push(serial);
    if (onProgress !== undefined && serials.length % PROGRESS_EVERY === 0) {
      onProgress(stream.bytesRead, total, "reading");
    }
  }
  if (serials.length === 0) throw new InputError(`serial file ${file} has no serials`);
  onProgress?.(total, total, "reading");
  return { serials, indexOf };
}

/**
 * Reads a serial file, streaming: one serial per line, or CSV (`,` `;` or tab) whose header
 * has a `serial` column (case-insensitive; other columns ignored; double-quoted fields).
 * Blank lines and `#` comments are skipped. Every serial is checked (GS1 AI 82, 1 to 20
 * characters, no duplicates); errors name the line, e.g.
 * "serials.txt line 1042: duplicate serial SN001041". A plain list whose first serial contains
 * `,` or `;` needs a `serial` header line.
 *
 * @example
 * const serials = await readSerials("batch-ABC123.csv");
 */
export async function readSerials(file: string, onProgress?: SerialProgress): Promise<string[]> {
  return (await readSerialList(file, onProgress)).serials;
}

/**
 * Builds the Merkle tree of a serial file (see `readSerials`) and saves it as
 * `<input>.tree.json` (or `options.treeFile`) so trading partners can produce proofs with
 * `loadSerialTree`. A million serials take a few seconds.
 *
 * @example
 * const tree = await buildSerialTree("serials.txt", { gtin: "09506000134352", lot: "ABC123" });
 * // registerBatchFromSerials passes `treeFile`: `<GTIN-14>-<lot>.tree.json` beside the serials
 * console.log(tree.root, tree.treeFile); // "0x…", "serials.txt.tree.json" (no treeFile given)
 */
export async function buildSerialTree(
  file: string,
  options: BuildSerialTreeOptions = {},
): Promise<SerialTree> {
  const gtin = options.gtin === undefined ? undefined : validateGtin(options.gtin);
  if (options.lot !== undefined) {
    const problem = describeGs1TextProblem(options.lot, "lot");
    if (problem !== undefined) throw new InputError(problem);
  }
  const { serials, indexOf } = await readSerialList(file, options.onProgress);
  const tree = new SerialMerkleTree(serials, indexOf, options.onProgress);
  if (gtin !== undefined) tree.gtin = gtin;
  if (options.lot !== undefined) tree.lot = options.lot;
  const treeFile = options.treeFile ?? treeFileFor(file);
  try {
    await writeFile(treeFile, formatSerialTreeFile(tree));
  } catch (error) {
    throw new InputError(`cannot write tree file ${treeFile}: ${(error as Error).message}`);
  }
  tree.treeFile = treeFile;
  return tree;
}

/**
 * Loads a tree file written by `buildSerialTree`, rebuilds the tree and checks it against the
 * recorded root (see `serialTreeFromFile`).
 *
 * @throws InputError when the file is missing, is not a tree file, or its root does not match.
 * @example
 * const tree = await loadSerialTree("examples/09506000134352-A1.tree.json");
 * const { index, proof } = tree.proofFor("SN0001");
 */
export async function loadSerialTree(treeFile: string): Promise<SerialTree> {
  const parsed = await readJsonFile(
    treeFile,
    "tree file",
    () => "is not a valid serial tree: not JSON",
  );
  return serialTreeFromFile(parsed, treeFile);
}

/** The default tree file name for a serial file: `<input>.tree.json`. */
export function treeFileFor(serialFile: string): string {
  return `${serialFile}.tree.json`;
}
