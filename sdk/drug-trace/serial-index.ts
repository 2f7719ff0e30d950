import { createHash } from "node:crypto";
import { open, readFile, rename, unlink } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";

import { InputError } from "../errors.js";
import { batchIdOf, describeGs1TextProblem, validateGtin } from "./gs1.js";
import { SerialMerkleTree, hashLeafInto, serialTreeFileOf, serialTreeOf } from "./serial-merkle.js";

/*
 * The compact index a GS1 Digital Link resolver answers one pack's proof from, without keeping
 * the batch's serial list: per unit a 64-bit hash of its serial (sorted, for binary search) and
 * the position of its leaf, plus every node of the Merkle tree. A lookup finds the candidate unit
 * by the serial's hash and confirms it by recomputing the unit's leaf hash from (index, serial)
 * and comparing it with the stored leaf, so a hash collision can never return a wrong unit. A
 * million units take 16 bytes each plus 64 bytes of tree nodes: about 80 MB, built once beside
 * the tree file (`<tree file minus .json>.idx`) and read back in well under a second.
 */

/** The index file's format, recorded in its header; the version changes whenever the layout does. */
export const SERIAL_INDEX_FORMAT = "carechain-serial-index-v1";

const MAGIC = "CCSIDX1\n";

/** One unit's answer: its index in the batch and its Merkle proof. */
export interface IndexedUnit {
  index: number;
  /** Sibling hashes from the leaf up, as OpenZeppelin `MerkleProof.verify` expects. */
  proof: string[];
}

/** A batch's serial index: one pack's proof per lookup, never the list of serials. */
export interface SerialIndex {
  /** 14-digit GTIN. */
  readonly gtin: string;
  readonly lot: string;
  readonly batchId: string;
  readonly root: string;
  readonly count: number;
  /** Bytes the index holds in memory. */
  readonly bytes: number;
  /** The unit with `serial` and its proof, or `undefined` when the batch has no such serial. */
  lookup(serial: string): IndexedUnit | undefined;
}

interface IndexHeader {
  format: typeof SERIAL_INDEX_FORMAT;
  gtin: string;
  lot: string;
  root: string;
  count: number;
  /** sha256 of the tree file the index was built from: a changed tree file rebuilds the index. */
  treeFileSha256: string;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                      Serial hashing
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Two independent 32-bit FNV-1a hashes of an ASCII serial (a 64-bit key), with a final mix. */
function serialKey(serial: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < serial.length; i++) {
    const c = serial.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  b = Math.imul(b ^ (b >>> 16), 0x85ebca6b);
  b = Math.imul(b ^ (b >>> 13), 0xc2b2ae35);
  return [a >>> 0, (b ^ (b >>> 16)) >>> 0];
}

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

function nodeHex(nodes: Uint8Array, node: number): string {
  let hex = "0x";
  for (let i = 32 * node; i < 32 * node + 32; i++) hex += HEX_BYTES[nodes[i] ?? 0] ?? "";
  return hex;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                        The index
// ─────────────────────────────────────────────────────────────────────────────────────────────

class CompactSerialIndex implements SerialIndex {
  readonly batchId: string;
  readonly bytes: number;
  private readonly scratch = new Uint8Array(32);

  constructor(
    readonly gtin: string,
    readonly lot: string,
    readonly root: string,
    readonly count: number,
    /** Serial keys, sorted: high and low 32 bits. */
    private readonly keyHigh: Uint32Array,
    private readonly keyLow: Uint32Array,
    /** The unit of each sorted key. */
    private readonly unitOf: Uint32Array,
    /** The tree node of each unit's leaf. */
    private readonly leafNode: Uint32Array,
    /** All `2 * count - 1` tree nodes, 32 bytes each, root first. */
    private readonly nodes: Uint8Array,
  ) {
    this.batchId = batchIdOf(BigInt(gtin), lot);
    this.bytes = 16 * count + nodes.byteLength;
  }

  lookup(serial: string): IndexedUnit | undefined {
    const [high, low] = serialKey(serial);
    const { keyHigh, keyLow } = this;
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const h = keyHigh[mid] ?? 0;
      if (h < high || (h === high && (keyLow[mid] ?? 0) < low)) lo = mid + 1;
      else hi = mid;
    }
    let found: number | undefined;
    // A miss still hashes one leaf, so that unknown serials cost what known ones do.
    let checked = false;
    for (let k = lo; k < this.count && keyHigh[k] === high && keyLow[k] === low; k++) {
      const unit = this.unitOf[k] ?? 0;
      checked = true;
      if (this.leafMatches(unit, serial)) {
        found = unit;
        break;
      }
    }
    if (!checked) this.leafMatches(0, serial);
    if (found === undefined) return undefined;
    const proof: string[] = [];
    let node = this.leafNode[found] ?? 0;
    while (node > 0) {
      proof.push(nodeHex(this.nodes, node % 2 === 1 ? node + 1 : node - 1));
      node = (node - 1) >> 1;
    }
    return { index: found, proof };
  }

  /** The sections of the index file after its header, in file order. */
  parts(): (Uint32Array | Uint8Array)[] {
    return [this.keyHigh, this.keyLow, this.unitOf, this.leafNode, this.nodes];
  }

  private leafMatches(unit: number, serial: string): boolean {
    hashLeafInto(unit, serial, this.scratch, 0);
    const at = 32 * (this.leafNode[unit] ?? 0);
    for (let i = 0; i < 32; i++) if (this.scratch[i] !== this.nodes[at + i]) return false;
    return true;
  }
}

function fromTree(tree: SerialMerkleTree, gtin: string, lot: string): CompactSerialIndex {
  const n = tree.count;
  const { nodes, leafNode } = tree.layout();
  const high = new Uint32Array(n);
  const low = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const [h, l] = serialKey(tree.serialAt(i) ?? "");
    high[i] = h;
    low[i] = l;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => (high[a] ?? 0) - (high[b] ?? 0) || (low[a] ?? 0) - (low[b] ?? 0) || a - b);
  const keyHigh = new Uint32Array(n);
  const keyLow = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const unit = order[k] ?? 0;
    keyHigh[k] = high[unit] ?? 0;
    keyLow[k] = low[unit] ?? 0;
    // equal serials have equal keys, so they sit side by side after the sort
    if (k > 0 && keyHigh[k] === keyHigh[k - 1] && keyLow[k] === keyLow[k - 1]) {
      const serial = tree.serialAt(unit);
      if (serial === tree.serialAt(order[k - 1] ?? 0)) {
        throw new InputError(
          `duplicate serial ${serial ?? ""} (units ${order[k - 1] ?? 0} and ${unit})`,
        );
      }
    }
  }
  return new CompactSerialIndex(gtin, lot, tree.root, n, keyHigh, keyLow, order, leafNode, nodes);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       Index files
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** `<dir>/<GTIN>-<lot>.tree.json` → `<dir>/<GTIN>-<lot>.tree.idx`. */
export function serialIndexFileFor(treeFile: string): string {
  return treeFile.replace(/\.json$/, "") + ".idx";
}

/**
 * The GTIN and lot a tree file's name gives (`<GTIN-14>-<lot>.tree.json`, the lot
 * percent-encoded, as `treeFileNameOf` writes it), or `undefined` for other names.
 *
 * @example
 * batchOfTreeFileName("09506000134352-A%2F1.tree.json"); // { gtin: "09506000134352", lot: "A/1" }
 */
export function batchOfTreeFileName(name: string): { gtin: string; lot: string } | undefined {
  const match = /^(\d{14})-(.+)\.tree\.json$/.exec(path.basename(name));
  if (match === null) return undefined;
  try {
    const gtin = validateGtin(match[1] ?? "");
    const lot = decodeURIComponent(match[2] ?? "");
    if (describeGs1TextProblem(lot, "lot") !== undefined) return undefined;
    return { gtin, lot };
  } catch {
    return undefined;
  }
}

/** Writes an index file section by section (no second copy of the index in memory). */
async function writeIndexFile(
  file: string,
  index: CompactSerialIndex,
  header: IndexHeader,
): Promise<void> {
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((MAGIC.length + 4 + headerBytes.length) / 8) * 8;
  const head = new Uint8Array(start);
  head.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(head.buffer).setUint32(MAGIC.length, headerBytes.length, true);
  head.set(headerBytes, MAGIC.length + 4);
  const handle = await open(file, "w");
  try {
    await handle.write(head);
    for (const part of index.parts()) {
      await handle.write(new Uint8Array(part.buffer, part.byteOffset, part.byteLength));
    }
  } finally {
    await handle.close();
  }
}

/**
 * The tree of a parsed tree file, checked like `serialTreeFromFile` (format, count, GS1 AI 82
 * serials, recorded root) but without its serial-to-index map, which a million-unit lot would
 * hold in memory for nothing: the index finds serials by hash, and duplicates by sorting.
 */
function treeOfFileData(data: unknown, source: string): SerialMerkleTree {
  const { file, corrupt } = serialTreeFileOf(data, `tree file ${source}`);
  const { serials, root, count } = file;
  if (!Array.isArray(serials) || serials.length === 0 || count !== serials.length) {
    throw corrupt("root or count is missing or does not match the serials");
  }
  for (const [i, serial] of serials.entries()) {
    const problem =
      typeof serial === "string" ? describeGs1TextProblem(serial, "serial") : "not a string";
    if (problem !== undefined) throw corrupt(`serials[${i}]: ${problem}`);
  }
  if (typeof root !== "string") throw corrupt("root is missing");
  const tree = new SerialMerkleTree(serials, new Map());
  if (tree.root !== root.toLowerCase()) {
    throw corrupt(`its serials give root ${tree.root}, not the recorded ${root}`);
  }
  if (typeof file.gtin === "string") tree.gtin = file.gtin;
  if (typeof file.lot === "string") tree.lot = file.lot;
  return tree;
}

/**
 * Reads an index file straight into one aligned buffer (no second copy of a large file), or
 * returns `undefined` when there is none.
 */
async function readIndexFile(
  indexFile: string,
): Promise<{ index: CompactSerialIndex; header: IndexHeader } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(indexFile, "r");
  } catch {
    return undefined;
  }
  const bad = (why: string): InputError =>
    new InputError(`index file ${indexFile} is not valid: ${why}`);
  try {
    const size = (await handle.stat()).size;
    const head = new Uint8Array(Math.min(size, 4096));
    await handle.read(head, 0, head.length, 0);
    if (new TextDecoder().decode(head.subarray(0, MAGIC.length)) !== MAGIC) throw bad("bad magic");
    const headerLength = new DataView(head.buffer).getUint32(MAGIC.length, true);
    if (MAGIC.length + 4 + headerLength > head.length) throw bad("bad header length");
    let header: IndexHeader;
    try {
      header = JSON.parse(
        new TextDecoder().decode(head.subarray(MAGIC.length + 4, MAGIC.length + 4 + headerLength)),
      ) as IndexHeader;
    } catch {
      throw bad("bad header");
    }
    const format = (header as { format?: unknown }).format;
    if (format !== SERIAL_INDEX_FORMAT) throw bad(`format ${JSON.stringify(format)}`);
    const n = header.count;
    const start = Math.ceil((MAGIC.length + 4 + headerLength) / 8) * 8;
    if (!Number.isSafeInteger(n) || n <= 0 || size !== start + 16 * n + 32 * (2 * n - 1)) {
      throw bad("bad length");
    }
    const body = new Uint8Array(size - start);
    const { bytesRead } = await handle.read(body, 0, body.length, start);
    if (bytesRead !== body.length) throw bad("short read");
    const words = new Uint32Array(body.buffer, 0, 4 * n);
    const nodes = new Uint8Array(body.buffer, 16 * n, 32 * (2 * n - 1));
    const index = new CompactSerialIndex(
      header.gtin,
      header.lot,
      header.root,
      n,
      words.subarray(0, n),
      words.subarray(n, 2 * n),
      words.subarray(2 * n, 3 * n),
      words.subarray(3 * n, 4 * n),
      nodes,
    );
    if (nodeHex(nodes, 0) !== header.root) throw bad("its nodes do not give its root");
    return { index, header };
  } finally {
    await handle.close();
  }
}

/**
 * The index of serials in memory (index = array order), e.g. for tests and small lots.
 *
 * @example
 * serialIndexOf(["SN0001", "SN0002"], "09506000134352", "ABC123").lookup("SN0002")?.index; // 1
 */
export function serialIndexOf(serials: readonly string[], gtin: string, lot: string): SerialIndex {
  const tree = serialTreeOf(serials);
  if (!(tree instanceof SerialMerkleTree)) throw new InputError("unexpected tree");
  const problem = describeGs1TextProblem(lot, "lot");
  if (problem !== undefined) throw new InputError(problem);
  return fromTree(tree, validateGtin(gtin), lot);
}

/** Options of `openSerialIndex`. */
export interface OpenSerialIndexOptions {
  /** Where to keep the index file (default: beside the tree file); `false` keeps it in memory only. */
  indexFile?: string | false;
}

/**
 * Opens the index of a tree file written by `trace register` (`<GTIN-14>-<lot>.tree.json`): reads
 * its index file when one exists for exactly this tree file (same sha256), or else builds the
 * index from the tree (checked against its recorded root) and saves it atomically for the next
 * start (a read-only directory just means no saved index). GTIN and lot come from the tree file,
 * or from its name when the file does not record them; when both exist they must agree.
 *
 * @throws InputError when the tree file is missing, not a valid tree, or names another batch.
 * @example
 * const index = await openSerialIndex("trees/09506000134352-ABC123.tree.json");
 * index.lookup("SN0001"); // { index: 0, proof: ["0x…", …] }
 */
export async function openSerialIndex(
  treeFile: string,
  options: OpenSerialIndexOptions = {},
): Promise<SerialIndex> {
  let text: Buffer;
  try {
    text = await readFile(treeFile);
  } catch {
    throw new InputError(`tree file not found: ${treeFile}`);
  }
  const sha256 = createHash("sha256").update(text).digest("hex");
  const indexFile = options.indexFile ?? serialIndexFileFor(treeFile);
  if (indexFile !== false) {
    try {
      const cached = await readIndexFile(indexFile);
      if (cached?.header.treeFileSha256 === sha256) return cached.index;
    } catch {
      // a stale or damaged index is rebuilt below
    }
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString("utf8"));
  } catch {
    throw new InputError(`tree file ${treeFile} is not a valid serial tree: not JSON`);
  }
  const tree = treeOfFileData(parsed, treeFile);
  const named = batchOfTreeFileName(treeFile);
  const gtin = tree.gtin === undefined ? named?.gtin : validateGtin(tree.gtin);
  const lot = tree.lot ?? named?.lot;
  if (gtin === undefined || lot === undefined) {
    throw new InputError(
      `tree file ${treeFile} records no GTIN and lot and its name is not <GTIN-14>-<lot>.tree.json`,
    );
  }
  if (named !== undefined && (named.gtin !== gtin || named.lot !== lot)) {
    throw new InputError(
      `tree file ${treeFile} records GTIN ${gtin} lot ${lot}, but its name says GTIN ${named.gtin} lot ${named.lot}`,
    );
  }
  let index: CompactSerialIndex;
  try {
    index = fromTree(tree, gtin, lot);
  } catch (error) {
    throw new InputError(
      `tree file ${treeFile} is not a valid serial tree: ${(error as Error).message}`,
    );
  }
  if (indexFile !== false) {
    const header: IndexHeader = {
      format: SERIAL_INDEX_FORMAT,
      gtin,
      lot,
      root: index.root,
      count: index.count,
      treeFileSha256: sha256,
    };
    const temporary = `${indexFile}.${process.pid}.tmp`;
    try {
      await writeIndexFile(temporary, index, header);
      await rename(temporary, indexFile);
    } catch {
      await unlink(temporary).catch(() => undefined);
    }
  }
  return index;
}
