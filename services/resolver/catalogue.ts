import { readdir, stat } from "node:fs/promises";
import path from "node:path";

import { openSerialIndex } from "../../sdk/drug-trace/serial-index.js";
import type { SerialIndex } from "../../sdk/drug-trace/serial-index.js";
import type { Catalogue } from "./app.js";

/** Options of `TreeDirectoryCatalogue`. */
export interface TreeDirectoryOptions {
  /** Keep index files beside the tree files (default) or only in memory. */
  indexFiles?: boolean;
  /** Where warnings go (default stderr). */
  warn?: (line: string) => void;
}

/**
 * The lots of a directory of tree files (`<GTIN-14>-<lot>.tree.json`, as `trace register` writes
 * them), each opened as a compact serial index. `scan()` picks up new, changed and removed files;
 * a file that is not a valid tree is skipped with one warning line and does not stop the others.
 */
export class TreeDirectoryCatalogue implements Catalogue {
  private readonly lots = new Map<string, SerialIndex>();
  /** Tree file name → `size:mtime` and the lot key it gave, to reopen only changed files. */
  private readonly seen = new Map<string, { stamp: string; key?: string }>();

  constructor(
    readonly directory: string,
    private readonly options: TreeDirectoryOptions = {},
  ) {}

  get size(): number {
    return this.lots.size;
  }

  find(gtin: string, lot: string): SerialIndex | undefined {
    return this.lots.get(`${gtin}\n${lot}`);
  }

  /** Units served in all lots, and the bytes their indexes hold. */
  totals(): { units: number; bytes: number } {
    let units = 0;
    let bytes = 0;
    for (const index of this.lots.values()) {
      units += index.count;
      bytes += index.bytes;
    }
    return { units, bytes };
  }

  /** Reads the directory and (re)opens what changed; returns how many lots it opened. */
  async scan(): Promise<number> {
    const warn =
      this.options.warn ??
      ((line: string) => {
        console.error(line);
      });
    let names: string[];
    try {
      names = (await readdir(this.directory)).filter((name) => name.endsWith(".tree.json"));
    } catch {
      warn(`resolver: tree directory ${this.directory} cannot be read; serving no lots from it`);
      names = [];
    }
    const present = new Set(names);
    for (const [name, entry] of this.seen) {
      if (present.has(name)) continue;
      if (entry.key !== undefined) this.lots.delete(entry.key);
      this.seen.delete(name);
    }
    let opened = 0;
    for (const name of names.sort()) {
      const file = path.join(this.directory, name);
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || !info.isFile()) continue;
      const stamp = `${info.size}:${info.mtimeMs}`;
      const previous = this.seen.get(name);
      if (previous?.stamp === stamp) continue;
      try {
        const index = await openSerialIndex(file, {
          indexFile: this.options.indexFiles === false ? false : undefined,
        });
        const key = `${index.gtin}\n${index.lot}`;
        if (previous?.key !== undefined && previous.key !== key) this.lots.delete(previous.key);
        this.lots.set(key, index);
        this.seen.set(name, { stamp, key });
        opened++;
      } catch (error) {
        if (previous?.key !== undefined) this.lots.delete(previous.key);
        this.seen.set(name, { stamp });
        warn(`resolver: skipping ${file}: ${(error as Error).message}`);
      }
    }
    return opened;
  }
}
