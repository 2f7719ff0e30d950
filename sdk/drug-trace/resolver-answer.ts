import { InputError } from "../errors.js";

/*
 * The answer of a GS1 Digital Link resolver's verification service (link type
 * `gs1:verificationService`) for one pack: what one check needs, nothing more (design rule 8).
 * The resolver writes it and the verifier page reads it; the page treats it as data to check
 * against the chain, never as a source of trust.
 */

/** The GS1 link type of the verification service. */
export const VERIFICATION_LINK_TYPE = "gs1:verificationService";

/**
 * `GET /01/{gtin}/10/{lot}/21/{serial}?linkType=gs1:verificationService` → `200 application/json`.
 *
 * @example
 * {
 *   "gtin": "09506000134352", "lot": "A1", "serial": "SN0001",
 *   "batchId": "0x…", "index": "17", "proof": ["0x…"], "root": "0x…",
 *   "chainId": 31337, "contract": "0x…", "lookups": { "sinceDispensed": 3 }
 * }
 */
export interface VerificationAnswer {
  /** GTIN-14. */
  readonly gtin: string;
  readonly lot: string;
  readonly serial: string;
  /** `batchIdOf(gtin, lot)`. */
  readonly batchId: string;
  /** The unit's index in the batch's serial tree (a decimal string on the wire). */
  readonly index: bigint;
  /** Sibling hashes from the leaf up, as `verifyUnit` and `dispense` take them. */
  readonly proof: readonly string[];
  /** The serial tree's root the resolver holds. */
  readonly root: string;
  readonly chainId: number;
  /** The DrugTrace contract the batch is registered with. */
  readonly contract: string;
  /** How often this pack was looked up since it was dispensed; null when the resolver does not count. */
  readonly lookups: { readonly sinceDispensed: number } | null;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
/** Enough for a tree of 2^64 units; a longer proof is not an answer to trust. */
const MAX_PROOF_LENGTH = 64;

function field(data: Record<string, unknown>, key: string): unknown {
  if (!(key in data)) throw new InputError(`the resolver's answer lacks "${key}"`);
  return data[key];
}

function text(data: Record<string, unknown>, key: string, pattern?: RegExp): string {
  const value = field(data, key);
  if (typeof value !== "string" || (pattern !== undefined && !pattern.test(value))) {
    throw new InputError(
      `the resolver's answer has a malformed "${key}": ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/**
 * Validates a resolver's verification answer (parsed JSON) and types it: every field present and
 * well formed, `index` a decimal string, at most 64 proof hashes. It does not decide whether the
 * answer is true: the chain does (`checkPack`).
 *
 * @throws InputError naming the first missing or malformed field.
 * @example
 * const answer = parseVerificationAnswer(await response.json());
 * console.log(answer.index, answer.proof.length);
 */
export function parseVerificationAnswer(data: unknown): VerificationAnswer {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new InputError("the resolver's answer is not a JSON object");
  }
  const record = data as Record<string, unknown>;
  const proof = field(record, "proof");
  if (
    !Array.isArray(proof) ||
    proof.length > MAX_PROOF_LENGTH ||
    !proof.every((hash): hash is string => typeof hash === "string" && BYTES32.test(hash))
  ) {
    throw new InputError(`the resolver's answer has a malformed "proof"`);
  }
  const chainId = field(record, "chainId");
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    throw new InputError(
      `the resolver's answer has a malformed "chainId": ${JSON.stringify(chainId)}`,
    );
  }
  const lookups = field(record, "lookups");
  let parsedLookups: VerificationAnswer["lookups"] = null;
  if (lookups !== null) {
    const since =
      typeof lookups === "object" && !Array.isArray(lookups)
        ? (lookups as Record<string, unknown>).sinceDispensed
        : undefined;
    if (typeof since !== "number" || !Number.isSafeInteger(since) || since < 0) {
      throw new InputError(`the resolver's answer has a malformed "lookups"`);
    }
    parsedLookups = { sinceDispensed: since };
  }
  return {
    gtin: text(record, "gtin", /^\d{14}$/),
    lot: text(record, "lot"),
    serial: text(record, "serial"),
    batchId: text(record, "batchId", BYTES32),
    index: BigInt(text(record, "index", /^(0|[1-9]\d{0,19})$/)),
    proof,
    root: text(record, "root", BYTES32),
    chainId,
    contract: text(record, "contract", ADDRESS),
    lookups: parsedLookups,
  };
}
