import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import {
  formatSerialTreeFile,
  serialTreeOf,
  treeFileNameOf,
} from "../../sdk/drug-trace/serial-tree.js";
import type { SerialTree } from "../../sdk/drug-trace/serial-tree.js";

/** The GTIN every resolver test uses (the GS1 example GTIN). */
export const GTIN = "09506000134352";
/** A contract address for answers (the first Hardhat deployment address). */
export const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const VERIFIER = "https://verify.example/";

/** `count` serials `SN000000`, `SN000001`, … */
export function serialList(count: number, prefix = "SN"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, "0")}`);
}

/**
 * Writes tree files as `trace register` does (`<GTIN-14>-<lot>.tree.json`) into a new temporary
 * directory and returns it with the trees.
 */
export async function writeTreeDirectory(
  lots: Readonly<Record<string, readonly string[]>>,
): Promise<{ directory: string; trees: Map<string, SerialTree> }> {
  const directory = await mkdtemp(path.join(tmpdir(), "carechain-resolver-"));
  const trees = new Map<string, SerialTree>();
  for (const [lot, serials] of Object.entries(lots)) {
    const tree = serialTreeOf(serials);
    tree.gtin = GTIN;
    tree.lot = lot;
    await writeFile(path.join(directory, treeFileNameOf(GTIN, lot)), formatSerialTreeFile(tree));
    trees.set(lot, tree);
  }
  return { directory, trees };
}
