import { getBytes } from "ethers";

import { InputError } from "../errors.js";
import { describeGs1TextProblem, validateGtin } from "./gs1.js";

/*
 * The Merkle tree of a batch's serials, its proofs and its JSON tree file, with no Node APIs: the
 * tasks and tests (through `serial-tree.ts`, which adds the serial and tree files on disk) and the
 * verifier page in the browser share this one implementation.
 */

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                        Types
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Progress of reading a serial file (`phase` "reading": `done`/`total` in bytes) and of
 * hashing its tree (`phase` "hashing": `done`/`total` in leaves). A `(done) => void` callback
 * works too.
 */
export type SerialProgress = (done: number, total: number, phase: "reading" | "hashing") => void;

/** A unit's Merkle proof, ready for `dispense` and `verifyUnit`. */
export interface SerialProof {
  /** The unit's index: its line order in the serial file, from 0. */
  index: bigint;
  serial: string;
  /** Sibling hashes from the leaf up, as OpenZeppelin `MerkleProof.verify` expects. */
  proof: string[];
}

/**
 * The Merkle tree of a batch's serials. Leaf `i` is OpenZeppelin's standard leaf of
 * `(uint256 i, bytes32 serial)`: `keccak256(keccak256(abi.encode(i, encodeBytes32String(serial))))`,
 * so `root` equals `StandardMerkleTree.of(values, ["uint256", "bytes32"]).root`.
 */
export interface SerialTree {
  /** The Merkle root to register on chain. */
  root: string;
  /** Number of units (serials). */
  count: number;
  /** Where the tree is saved, when it is. */
  treeFile?: string;
  /** Optional metadata recorded in the tree file. */
  gtin?: string;
  lot?: string;
  /** The proof of a serial; throws `InputError` when the serial is not in the tree. */
  proofFor(serial: string): SerialProof;
  hasSerial(serial: string): boolean;
  /** The serial at `index` (line order), or `undefined` past the end. */
  serialAt(index: number): string | undefined;
}

/** The tree file's `format` value; the version changes whenever the layout does. */
export const SERIAL_TREE_FORMAT = "carechain-serial-tree-v1";

/** The OpenZeppelin `StandardMerkleTree` leaf encoding of a unit. */
export const SERIAL_LEAF_ENCODING = ["uint256", "bytes32"] as const;

/**
 * How often (in serials) tree building and serial reading report progress.
 *
 * @internal not re-exported by the SDK's index.
 */
export const PROGRESS_EVERY = 65_536;

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                 keccak256 for tree building
// ─────────────────────────────────────────────────────────────────────────────────────────────
//
// A million-leaf tree needs three million keccak256 calls (two per leaf, one per inner node).
// ethers' keccak256 takes ~7 µs per call here (it returns hex strings); this straight-line
// Keccak-f[1600] over 32-bit lane halves, working in place on byte buffers, is several times
// faster. Its output is checked against ethers' keccak256 in test/sdk/serial-tree.ts.

// prettier-ignore
const ROUND_CONSTANTS = Int32Array.from(
  [
    0x0000000000000001n, 0x0000000000008082n, 0x800000000000808an, 0x8000000080008000n,
    0x000000000000808bn, 0x0000000080000001n, 0x8000000080008081n, 0x8000000000008009n,
    0x000000000000008an, 0x0000000000000088n, 0x0000000080008009n, 0x000000008000000an,
    0x000000008000808bn, 0x800000000000008bn, 0x8000000000008089n, 0x8000000000008003n,
    0x8000000000008002n, 0x8000000000000080n, 0x000000000000800an, 0x800000008000000an,
    0x8000000080008081n, 0x8000000000008080n, 0x0000000080000001n, 0x8000000080008008n,
  ].flatMap((rc) => [Number(BigInt.asIntN(32, rc)), Number(BigInt.asIntN(32, rc >> 32n))]),
);

/** The Keccak-f[1600] permutation; lane `i` is `s[2i]` (low half) and `s[2i + 1]` (high). */
function keccakF1600(s: Int32Array): void {
  let a0l = s[0] ?? 0,
    a0h = s[1] ?? 0;
  let a1l = s[2] ?? 0,
    a1h = s[3] ?? 0;
  let a2l = s[4] ?? 0,
    a2h = s[5] ?? 0;
  let a3l = s[6] ?? 0,
    a3h = s[7] ?? 0;
  let a4l = s[8] ?? 0,
    a4h = s[9] ?? 0;
  let a5l = s[10] ?? 0,
    a5h = s[11] ?? 0;
  let a6l = s[12] ?? 0,
    a6h = s[13] ?? 0;
  let a7l = s[14] ?? 0,
    a7h = s[15] ?? 0;
  let a8l = s[16] ?? 0,
    a8h = s[17] ?? 0;
  let a9l = s[18] ?? 0,
    a9h = s[19] ?? 0;
  let a10l = s[20] ?? 0,
    a10h = s[21] ?? 0;
  let a11l = s[22] ?? 0,
    a11h = s[23] ?? 0;
  let a12l = s[24] ?? 0,
    a12h = s[25] ?? 0;
  let a13l = s[26] ?? 0,
    a13h = s[27] ?? 0;
  let a14l = s[28] ?? 0,
    a14h = s[29] ?? 0;
  let a15l = s[30] ?? 0,
    a15h = s[31] ?? 0;
  let a16l = s[32] ?? 0,
    a16h = s[33] ?? 0;
  let a17l = s[34] ?? 0,
    a17h = s[35] ?? 0;
  let a18l = s[36] ?? 0,
    a18h = s[37] ?? 0;
  let a19l = s[38] ?? 0,
    a19h = s[39] ?? 0;
  let a20l = s[40] ?? 0,
    a20h = s[41] ?? 0;
  let a21l = s[42] ?? 0,
    a21h = s[43] ?? 0;
  let a22l = s[44] ?? 0,
    a22h = s[45] ?? 0;
  let a23l = s[46] ?? 0,
    a23h = s[47] ?? 0;
  let a24l = s[48] ?? 0,
    a24h = s[49] ?? 0;
  for (let round = 0; round < 48; round += 2) {
    const c0l = a0l ^ a5l ^ a10l ^ a15l ^ a20l;
    const c0h = a0h ^ a5h ^ a10h ^ a15h ^ a20h;
    const c1l = a1l ^ a6l ^ a11l ^ a16l ^ a21l;
    const c1h = a1h ^ a6h ^ a11h ^ a16h ^ a21h;
    const c2l = a2l ^ a7l ^ a12l ^ a17l ^ a22l;
    const c2h = a2h ^ a7h ^ a12h ^ a17h ^ a22h;
    const c3l = a3l ^ a8l ^ a13l ^ a18l ^ a23l;
    const c3h = a3h ^ a8h ^ a13h ^ a18h ^ a23h;
    const c4l = a4l ^ a9l ^ a14l ^ a19l ^ a24l;
    const c4h = a4h ^ a9h ^ a14h ^ a19h ^ a24h;
    const d0l = c4l ^ ((c1l << 1) | (c1h >>> 31));
    const d0h = c4h ^ ((c1h << 1) | (c1l >>> 31));
    const d1l = c0l ^ ((c2l << 1) | (c2h >>> 31));
    const d1h = c0h ^ ((c2h << 1) | (c2l >>> 31));
    const d2l = c1l ^ ((c3l << 1) | (c3h >>> 31));
    const d2h = c1h ^ ((c3h << 1) | (c3l >>> 31));
    const d3l = c2l ^ ((c4l << 1) | (c4h >>> 31));
    const d3h = c2h ^ ((c4h << 1) | (c4l >>> 31));
    const d4l = c3l ^ ((c0l << 1) | (c0h >>> 31));
    const d4h = c3h ^ ((c0h << 1) | (c0l >>> 31));
    a0l ^= d0l;
    a0h ^= d0h;
    a1l ^= d1l;
    a1h ^= d1h;
    a2l ^= d2l;
    a2h ^= d2h;
    a3l ^= d3l;
    a3h ^= d3h;
    a4l ^= d4l;
    a4h ^= d4h;
    a5l ^= d0l;
    a5h ^= d0h;
    a6l ^= d1l;
    a6h ^= d1h;
    a7l ^= d2l;
    a7h ^= d2h;
    a8l ^= d3l;
    a8h ^= d3h;
    a9l ^= d4l;
    a9h ^= d4h;
    a10l ^= d0l;
    a10h ^= d0h;
    a11l ^= d1l;
    a11h ^= d1h;
    a12l ^= d2l;
    a12h ^= d2h;
    a13l ^= d3l;
    a13h ^= d3h;
    a14l ^= d4l;
    a14h ^= d4h;
    a15l ^= d0l;
    a15h ^= d0h;
    a16l ^= d1l;
    a16h ^= d1h;
    a17l ^= d2l;
    a17h ^= d2h;
    a18l ^= d3l;
    a18h ^= d3h;
    a19l ^= d4l;
    a19h ^= d4h;
    a20l ^= d0l;
    a20h ^= d0h;
    a21l ^= d1l;
    a21h ^= d1h;
    a22l ^= d2l;
    a22h ^= d2h;
    a23l ^= d3l;
    a23h ^= d3h;
    a24l ^= d4l;
    a24h ^= d4h;
    const b0l = a0l;
    const b0h = a0h;
    const b10l = (a1l << 1) | (a1h >>> 31);
    const b10h = (a1h << 1) | (a1l >>> 31);
    const b20l = (a2h << 30) | (a2l >>> 2);
    const b20h = (a2l << 30) | (a2h >>> 2);
    const b5l = (a3l << 28) | (a3h >>> 4);
    const b5h = (a3h << 28) | (a3l >>> 4);
    const b15l = (a4l << 27) | (a4h >>> 5);
    const b15h = (a4h << 27) | (a4l >>> 5);
    const b16l = (a5h << 4) | (a5l >>> 28);
    const b16h = (a5l << 4) | (a5h >>> 28);
    const b1l = (a6h << 12) | (a6l >>> 20);
    const b1h = (a6l << 12) | (a6h >>> 20);
    const b11l = (a7l << 6) | (a7h >>> 26);
    const b11h = (a7h << 6) | (a7l >>> 26);
    const b21l = (a8h << 23) | (a8l >>> 9);
    const b21h = (a8l << 23) | (a8h >>> 9);
    const b6l = (a9l << 20) | (a9h >>> 12);
    const b6h = (a9h << 20) | (a9l >>> 12);
    const b7l = (a10l << 3) | (a10h >>> 29);
    const b7h = (a10h << 3) | (a10l >>> 29);
    const b17l = (a11l << 10) | (a11h >>> 22);
    const b17h = (a11h << 10) | (a11l >>> 22);
    const b2l = (a12h << 11) | (a12l >>> 21);
    const b2h = (a12l << 11) | (a12h >>> 21);
    const b12l = (a13l << 25) | (a13h >>> 7);
    const b12h = (a13h << 25) | (a13l >>> 7);
    const b22l = (a14h << 7) | (a14l >>> 25);
    const b22h = (a14l << 7) | (a14h >>> 25);
    const b23l = (a15h << 9) | (a15l >>> 23);
    const b23h = (a15l << 9) | (a15h >>> 23);
    const b8l = (a16h << 13) | (a16l >>> 19);
    const b8h = (a16l << 13) | (a16h >>> 19);
    const b18l = (a17l << 15) | (a17h >>> 17);
    const b18h = (a17h << 15) | (a17l >>> 17);
    const b3l = (a18l << 21) | (a18h >>> 11);
    const b3h = (a18h << 21) | (a18l >>> 11);
    const b13l = (a19l << 8) | (a19h >>> 24);
    const b13h = (a19h << 8) | (a19l >>> 24);
    const b14l = (a20l << 18) | (a20h >>> 14);
    const b14h = (a20h << 18) | (a20l >>> 14);
    const b24l = (a21l << 2) | (a21h >>> 30);
    const b24h = (a21h << 2) | (a21l >>> 30);
    const b9l = (a22h << 29) | (a22l >>> 3);
    const b9h = (a22l << 29) | (a22h >>> 3);
    const b19l = (a23h << 24) | (a23l >>> 8);
    const b19h = (a23l << 24) | (a23h >>> 8);
    const b4l = (a24l << 14) | (a24h >>> 18);
    const b4h = (a24h << 14) | (a24l >>> 18);
    a0l = b0l ^ (~b1l & b2l);
    a0h = b0h ^ (~b1h & b2h);
    a1l = b1l ^ (~b2l & b3l);
    a1h = b1h ^ (~b2h & b3h);
    a2l = b2l ^ (~b3l & b4l);
    a2h = b2h ^ (~b3h & b4h);
    a3l = b3l ^ (~b4l & b0l);
    a3h = b3h ^ (~b4h & b0h);
    a4l = b4l ^ (~b0l & b1l);
    a4h = b4h ^ (~b0h & b1h);
    a5l = b5l ^ (~b6l & b7l);
    a5h = b5h ^ (~b6h & b7h);
    a6l = b6l ^ (~b7l & b8l);
    a6h = b6h ^ (~b7h & b8h);
    a7l = b7l ^ (~b8l & b9l);
    a7h = b7h ^ (~b8h & b9h);
    a8l = b8l ^ (~b9l & b5l);
    a8h = b8h ^ (~b9h & b5h);
    a9l = b9l ^ (~b5l & b6l);
    a9h = b9h ^ (~b5h & b6h);
    a10l = b10l ^ (~b11l & b12l);
    a10h = b10h ^ (~b11h & b12h);
    a11l = b11l ^ (~b12l & b13l);
    a11h = b11h ^ (~b12h & b13h);
    a12l = b12l ^ (~b13l & b14l);
    a12h = b12h ^ (~b13h & b14h);
    a13l = b13l ^ (~b14l & b10l);
    a13h = b13h ^ (~b14h & b10h);
    a14l = b14l ^ (~b10l & b11l);
    a14h = b14h ^ (~b10h & b11h);
    a15l = b15l ^ (~b16l & b17l);
    a15h = b15h ^ (~b16h & b17h);
    a16l = b16l ^ (~b17l & b18l);
    a16h = b16h ^ (~b17h & b18h);
    a17l = b17l ^ (~b18l & b19l);
    a17h = b17h ^ (~b18h & b19h);
    a18l = b18l ^ (~b19l & b15l);
    a18h = b18h ^ (~b19h & b15h);
    a19l = b19l ^ (~b15l & b16l);
    a19h = b19h ^ (~b15h & b16h);
    a20l = b20l ^ (~b21l & b22l);
    a20h = b20h ^ (~b21h & b22h);
    a21l = b21l ^ (~b22l & b23l);
    a21h = b21h ^ (~b22h & b23h);
    a22l = b22l ^ (~b23l & b24l);
    a22h = b22h ^ (~b23h & b24h);
    a23l = b23l ^ (~b24l & b20l);
    a23h = b23h ^ (~b24h & b20h);
    a24l = b24l ^ (~b20l & b21l);
    a24h = b24h ^ (~b20h & b21h);
    a0l ^= ROUND_CONSTANTS[round] ?? 0;
    a0h ^= ROUND_CONSTANTS[round + 1] ?? 0;
  }
  s[0] = a0l;
  s[1] = a0h;
  s[2] = a1l;
  s[3] = a1h;
  s[4] = a2l;
  s[5] = a2h;
  s[6] = a3l;
  s[7] = a3h;
  s[8] = a4l;
  s[9] = a4h;
  s[10] = a5l;
  s[11] = a5h;
  s[12] = a6l;
  s[13] = a6h;
  s[14] = a7l;
  s[15] = a7h;
  s[16] = a8l;
  s[17] = a8h;
  s[18] = a9l;
  s[19] = a9h;
  s[20] = a10l;
  s[21] = a10h;
  s[22] = a11l;
  s[23] = a11h;
  s[24] = a12l;
  s[25] = a12h;
  s[26] = a13l;
  s[27] = a13h;
  s[28] = a14l;
  s[29] = a14h;
  s[30] = a15l;
  s[31] = a15h;
  s[32] = a16l;
  s[33] = a16h;
  s[34] = a17l;
  s[35] = a17h;
  s[36] = a18l;
  s[37] = a18h;
  s[38] = a19l;
  s[39] = a19h;
  s[40] = a20l;
  s[41] = a20h;
  s[42] = a21l;
  s[43] = a21h;
  s[44] = a22l;
  s[45] = a22h;
  s[46] = a23l;
  s[47] = a23h;
  s[48] = a24l;
  s[49] = a24h;
}

const keccakState = new Int32Array(50);

/** Absorbs `words` little-endian 32-bit words of `input` from `offset` into state word `at`. */
function absorb(input: Uint8Array, offset: number, at: number, words: number): void {
  for (let w = 0; w < words; w++, offset += 4) {
    keccakState[at + w] =
      (input[offset] ?? 0) |
      ((input[offset + 1] ?? 0) << 8) |
      ((input[offset + 2] ?? 0) << 16) |
      ((input[offset + 3] ?? 0) << 24);
  }
}

/** Pads a `length`-byte message (a multiple of 4, below 136), permutes, writes the hash. */
function squeeze(length: number, out: Uint8Array, outOffset: number): void {
  const s = keccakState;
  s[length >> 2] = 1; // the word after the message is zero before padding
  s[33] = (s[33] ?? 0) ^ (0x80 << 24);
  keccakF1600(s);
  for (let w = 0; w < 8; w++, outOffset += 4) {
    const v = s[w] ?? 0;
    out[outOffset] = v;
    out[outOffset + 1] = v >>> 8;
    out[outOffset + 2] = v >>> 16;
    out[outOffset + 3] = v >>> 24;
  }
}

/** keccak256 of the 32 bytes at `a` followed by the 32 bytes at `b`, into `out` at `outOffset`. */
function keccak64(
  buffer: Uint8Array,
  a: number,
  b: number,
  out: Uint8Array,
  outOffset: number,
): void {
  keccakState.fill(0);
  absorb(buffer, a, 0, 8);
  absorb(buffer, b, 8, 8);
  squeeze(64, out, outOffset);
}

/** keccak256 of the 32 bytes at `offset`, into `out` at `outOffset`. */
function keccak32(buffer: Uint8Array, offset: number, out: Uint8Array, outOffset: number): void {
  keccakState.fill(0);
  absorb(buffer, offset, 0, 8);
  squeeze(32, out, outOffset);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                         Leaves
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Writes `abi.encode(uint256 index, bytes32 serial)` (64 bytes) into `out` at `offset`. */
function encodeLeaf(index: number, serial: string, out: Uint8Array, offset: number): void {
  out.fill(0, offset, offset + 64);
  // index < 2^53: the high word goes to bytes 24..27, the low word to bytes 28..31 (big endian)
  const high = Math.floor(index / 0x1_0000_0000);
  const low = index >>> 0;
  out[offset + 24] = high >>> 24;
  out[offset + 25] = high >>> 16;
  out[offset + 26] = high >>> 8;
  out[offset + 27] = high;
  out[offset + 28] = low >>> 24;
  out[offset + 29] = low >>> 16;
  out[offset + 30] = low >>> 8;
  out[offset + 31] = low;
  // serials are GS1 AI 82 (ASCII), so one byte per character, as encodeBytes32String does
  for (let c = 0; c < serial.length; c++) out[offset + 32 + c] = serial.charCodeAt(c);
}

const leafScratch = new Uint8Array(96);

/**
 * Writes the standard leaf hash of `(index, serial)` into `out` at `offset` (serial unchecked).
 *
 * @internal used by the tree and the resolver's index; not re-exported by the SDK's index.
 */
export function hashLeafInto(index: number, serial: string, out: Uint8Array, offset: number): void {
  encodeLeaf(index, serial, leafScratch, 0);
  keccak64(leafScratch, 0, 32, leafScratch, 64);
  keccak32(leafScratch, 64, out, offset);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                     Bytes and hex
// ─────────────────────────────────────────────────────────────────────────────────────────────
//
// Plain Uint8Array code (no Node Buffer), so the tree works in browsers as it does in Node.

const HEX_BYTES = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** The 32 bytes at `offset` as a `0x` hex string. */
function toHex(buffer: Uint8Array, offset: number): string {
  let hex = "0x";
  for (let i = offset; i < offset + 32; i++) hex += HEX_BYTES[buffer[i] ?? 0] ?? "";
  return hex;
}

/** Byte order of the 32-byte nodes at `a` in `x` and `b` in `y` (OpenZeppelin compares them as big integers). */
function compareNodes(x: Uint8Array, a: number, y: Uint8Array, b: number): number {
  for (let i = 0; i < 32; i++) {
    const diff = (x[a + i] ?? 0) - (y[b + i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

function checkSerial(serial: string, where: string): void {
  const problem = describeGs1TextProblem(serial, "serial");
  if (problem !== undefined) throw new InputError(`${where}: ${problem}`);
}

/**
 * The on-chain Merkle leaf of unit `index` with `serial`: OpenZeppelin's standard
 * double-hashed leaf `keccak256(keccak256(abi.encode(uint256 index, bytes32 serial)))`.
 *
 * @example
 * leafHash(0n, "SN0001"); // equals StandardMerkleTree's leaf hash of [0n, encodeBytes32String("SN0001")]
 */
export function leafHash(index: bigint, serial: string): string {
  checkSerial(serial, `leaf ${index.toString()}`);
  if (index < 0n || index > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InputError(`unit index ${index.toString()} is out of range`);
  }
  const out = new Uint8Array(32);
  hashLeafInto(Number(index), serial, out, 0);
  return toHex(out, 0);
}

/**
 * Whether `proof` proves unit `(index, serial)` under `root`, as the contract's
 * `MerkleProof.verify` would decide.
 *
 * @example
 * const { index, serial, proof } = tree.proofFor("SN0001");
 * verifySerialProof(tree.root, index, serial, proof); // true
 */
export function verifySerialProof(
  root: string,
  index: bigint,
  serial: string,
  proof: readonly string[],
): boolean {
  // buffer holds the sorted pair: the current node and the sibling, in byte order
  const buffer = getBytes(leafHash(index, serial));
  const pair = new Uint8Array(64);
  for (const sibling of proof) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(sibling)) return false;
    const other = getBytes(sibling);
    const currentFirst = compareNodes(buffer, 0, other, 0) <= 0;
    pair.set(currentFirst ? buffer : other, 0);
    pair.set(currentFirst ? other : buffer, 32);
    keccak64(pair, 0, 32, buffer, 0);
  }
  return toHex(buffer, 0) === root.toLowerCase();
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                          Tree
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The same tree as OpenZeppelin's `StandardMerkleTree.of(values, ["uint256", "bytes32"])`
 * (leaves sorted by hash, stored from the end of a flat array, node `i` the sorted-pair
 * hash of nodes `2i + 1` and `2i + 2`), built over byte buffers instead of hex strings.
 *
 * @internal `serialTreeOf`, `serialTreeFromFile` and `buildSerialTree` build it; not re-exported
 *   by the SDK's index.
 */
export class SerialMerkleTree implements SerialTree {
  readonly root: string;
  readonly count: number;
  treeFile?: string;
  gtin?: string;
  lot?: string;
  /** Node `k` is `nodes[32k .. 32k + 32)`; there are `2 * count - 1` nodes. */
  private readonly nodes: Uint8Array;
  /** Node index of the leaf of each unit, by unit index. */
  private readonly leafNode: Uint32Array;

  constructor(
    private readonly serials: readonly string[],
    private readonly indexOf: ReadonlyMap<string, number>,
    onProgress?: SerialProgress,
  ) {
    const n = serials.length;
    const size = 2 * n - 1;
    this.count = n;
    const leaves = new Uint8Array(32 * n);
    const keyHigh = new Uint32Array(n);
    const keyLow = new Uint32Array(n);
    const view = new DataView(leaves.buffer);
    for (let i = 0; i < n; i++) {
      hashLeafInto(i, serials[i] ?? "", leaves, 32 * i);
      keyHigh[i] = view.getUint32(32 * i);
      keyLow[i] = view.getUint32(32 * i + 4);
      if (onProgress !== undefined && i % PROGRESS_EVERY === 0) onProgress(i, n, "hashing");
    }
    // Sort units by leaf hash; distinct (index, serial) pairs make ties impossible.
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort(
      (a, b) =>
        (keyHigh[a] ?? 0) - (keyHigh[b] ?? 0) ||
        (keyLow[a] ?? 0) - (keyLow[b] ?? 0) ||
        compareNodes(leaves, 32 * a, leaves, 32 * b),
    );
    this.nodes = new Uint8Array(32 * size);
    this.leafNode = new Uint32Array(n);
    for (let k = 0; k < n; k++) {
      const unit = order[k] ?? 0;
      const node = size - 1 - k;
      this.nodes.set(leaves.subarray(32 * unit, 32 * unit + 32), 32 * node);
      this.leafNode[unit] = node;
    }
    const nodes = this.nodes;
    for (let i = size - 1 - n; i >= 0; i--) {
      const left = 32 * (2 * i + 1);
      const right = left + 32;
      if (compareNodes(nodes, left, nodes, right) <= 0) keccak64(nodes, left, right, nodes, 32 * i);
      else keccak64(nodes, right, left, nodes, 32 * i);
    }
    onProgress?.(n, n, "hashing");
    this.root = toHex(nodes, 0);
  }

  hasSerial(serial: string): boolean {
    return this.indexOf.has(serial);
  }

  /**
   * The flat node array (node `k` at bytes `32k`) and each unit's leaf node, which the resolver's
   * compact index (`serial-index.ts`) stores so it can answer proofs without the serial list.
   *
   * @internal
   */
  layout(): { nodes: Uint8Array; leafNode: Uint32Array } {
    return { nodes: this.nodes, leafNode: this.leafNode };
  }

  serialAt(index: number): string | undefined {
    return this.serials[index];
  }

  proofFor(serial: string): SerialProof {
    const index = this.indexOf.get(serial);
    if (index === undefined) {
      throw new InputError(`serial ${serial} is not in the tree ${this.treeFile ?? "(not saved)"}`);
    }
    const proof: string[] = [];
    let node = this.leafNode[index] ?? 0;
    while (node > 0) {
      const sibling = node % 2 === 1 ? node + 1 : node - 1;
      proof.push(toHex(this.nodes, 32 * sibling));
      node = (node - 1) >> 1;
    }
    return { index: BigInt(index), serial, proof };
  }
}

/**
 * Checks a serial list (GS1 AI 82, no duplicates) and maps each serial to its unit index.
 *
 * @internal shared by the tree builders; not re-exported by the SDK's index.
 */
export function indexSerials(
  serials: readonly string[],
  where: (i: number) => string,
): Map<string, number> {
  const indexOf = new Map<string, number>();
  serials.forEach((serial, i) => {
    checkSerial(serial, where(i));
    if (indexOf.has(serial)) throw new InputError(`${where(i)}: duplicate serial ${serial}`);
    indexOf.set(serial, i);
  });
  return indexOf;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   Tree files (JSON)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The JSON tree file `buildSerialTree` writes and `loadSerialTree` and the resolver read (never the page). */
export interface SerialTreeFile {
  format: typeof SERIAL_TREE_FORMAT;
  leafEncoding: readonly string[];
  root: string;
  count: number;
  gtin?: string;
  lot?: string;
  /** The serials in unit-index order; the tree is rebuilt from them on load. */
  serials: string[];
}

/**
 * The tree file of a tree: its root, count, GTIN and lot, and the serials one per line in unit
 * order (so a million-serial file stays line-oriented).
 *
 * @example
 * const text = formatSerialTreeFile(serialTreeOf(["SN0001", "SN0002"]));
 * serialTreeFromFile(JSON.parse(text)).root; // the same root
 */
export function formatSerialTreeFile(tree: SerialTree): string {
  const header: Omit<SerialTreeFile, "serials"> = {
    format: SERIAL_TREE_FORMAT,
    leafEncoding: SERIAL_LEAF_ENCODING,
    root: tree.root,
    count: tree.count,
  };
  if (tree.gtin !== undefined) header.gtin = tree.gtin;
  if (tree.lot !== undefined) header.lot = tree.lot;
  const head = JSON.stringify(header, null, 2).slice(0, -2);
  const lines: string[] = [];
  for (let i = 0; i < tree.count; i++) lines.push(`    ${JSON.stringify(tree.serialAt(i) ?? "")}`);
  return `${head},\n  "serials": [\n${lines.join(",\n")}\n  ]\n}\n`;
}

/**
 * Builds the tree of serials already in memory (index = array order), without saving it.
 *
 * @example
 * const tree = serialTreeOf(["SN0001", "SN0002"]);
 */
export function serialTreeOf(serials: readonly string[]): SerialTree {
  if (serials.length === 0) throw new InputError("a serial tree needs at least one serial");
  const indexOf = indexSerials(serials, (i) => `serial ${i}`);
  return new SerialMerkleTree([...serials], indexOf);
}

/**
 * A tree file's content checked as far as every reader needs (a JSON object of this format), with
 * the error maker for what else is wrong with it.
 *
 * @throws InputError "<name> is not a valid serial tree: …".
 * @example
 * const { file, corrupt } = serialTreeFileOf(JSON.parse(text), "tree file batch.tree.json");
 */
export function serialTreeFileOf(
  data: unknown,
  name: string,
): { readonly file: Partial<SerialTreeFile>; readonly corrupt: (why: string) => InputError } {
  const corrupt = (why: string): InputError =>
    new InputError(`${name} is not a valid serial tree: ${why}`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw corrupt("not a JSON object");
  }
  const file = data as Partial<SerialTreeFile>;
  if (file.format !== SERIAL_TREE_FORMAT) {
    throw corrupt(`format is ${JSON.stringify(file.format)}, expected "${SERIAL_TREE_FORMAT}"`);
  }
  return { file, corrupt };
}

/**
 * Rebuilds a tree from a parsed tree file (see `formatSerialTreeFile`) and checks it against the
 * recorded root. Pure: the caller reads the file (`loadSerialTree` from disk, a resolver from its
 * storage). `source` (a path or URL) names the file in messages and becomes the tree's
 * `treeFile`.
 *
 * @throws InputError "tree file <source> is not a valid serial tree: <why>".
 * @example
 * const response = await fetch(`${treeBase}/${treeFileNameOf(code.gtin, code.lot)}`);
 * const tree = serialTreeFromFile(await response.json(), response.url);
 */
export function serialTreeFromFile(data: unknown, source?: string): SerialTree {
  const { file, corrupt } = serialTreeFileOf(
    data,
    source === undefined ? "tree file" : `tree file ${source}`,
  );
  const { serials, root, count } = file;
  if (!Array.isArray(serials) || !serials.every((s) => typeof s === "string")) {
    throw corrupt("serials is not a list of strings");
  }
  if (typeof root !== "string" || count !== serials.length || serials.length === 0) {
    throw corrupt("root or count is missing or does not match the serials");
  }
  let indexOf: Map<string, number>;
  try {
    indexOf = indexSerials(serials, (i) => `serials[${i}]`);
  } catch (error) {
    throw corrupt((error as Error).message);
  }
  const tree = new SerialMerkleTree(serials, indexOf);
  if (tree.root !== root.toLowerCase()) {
    throw corrupt(`its serials give root ${tree.root}, not the recorded ${root}`);
  }
  if (typeof file.gtin === "string") tree.gtin = file.gtin;
  if (typeof file.lot === "string") tree.lot = file.lot;
  if (source !== undefined) tree.treeFile = source;
  return tree;
}

/**
 * The name under which a manufacturer publishes a batch's tree file, and under which the verifier
 * page fetches it: `<GTIN-14>-<lot>.tree.json`, the lot percent-encoded (GS1 lots may contain
 * `/`, `%`, `?`…; plain letters and digits stay as they are).
 *
 * @example
 * treeFileNameOf("09506000134352", "ABC123"); // "09506000134352-ABC123.tree.json"
 */
export function treeFileNameOf(gtin: string, lot: string): string {
  const problem = describeGs1TextProblem(lot, "lot");
  if (problem !== undefined) throw new InputError(problem);
  return `${validateGtin(gtin)}-${encodeURIComponent(lot)}.tree.json`;
}
