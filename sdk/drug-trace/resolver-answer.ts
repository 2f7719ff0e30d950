import { getAddress, isAddress } from "ethers";

import { InputError } from "../errors.js";
import { batchIdOf, describeGs1TextProblem, validateGtin } from "./gs1.js";

/*
 * The GS1 Digital Link resolver's verification answer: what one pack needs to be checked on chain,
 * and nothing else. The resolver (services/resolver) writes it, the verifier page reads it; both
 * use this one type and parser. No Node APIs: the page bundles it.
 */

/** The GS1 link type of the verification answer (GS1 Web Vocabulary `gs1:verificationService`). */
export const VERIFICATION_LINK_TYPE = "gs1:verificationService";

/** The media type of the verification answer. */
export const VERIFICATION_MEDIA_TYPE = "application/json";

/**
 * The resolver's answer for one pack:
 * `GET /01/{gtin}/10/{lot}/21/{serial}?linkType=gs1:verificationService` (or
 * `Accept: application/json`) → `200 application/json`.
 */
export interface VerificationAnswer {
  /** 14-digit GTIN. */
  gtin: string;
  lot: string;
  serial: string;
  /** The contract's batch id: `keccak256(abi.encode(uint64 gtin, bytes32 lot))`. */
  batchId: string;
  /** The unit's index in the batch's serial tree, as a decimal string. */
  index: string;
  /** Sibling hashes from the leaf up (OpenZeppelin `MerkleProof`). */
  proof: string[];
  /** The batch's Merkle root, as registered on chain. */
  root: string;
  chainId: number;
  /** The DrugTrace contract address (checksummed). */
  contract: string;
  /** How often this pack was looked up since it was dispensed; `null` when the resolver does not count. */
  lookups: { sinceDispensed: number } | null;
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/;

/**
 * Checks a parsed JSON value as a verification answer and returns it typed: every field present
 * with the right shape, the GTIN's check digit, the lot and serial as GS1 AI 82 text, and the
 * batch id equal to the one GTIN and lot give (a resolver answer that disagrees with itself is
 * refused rather than shown). The proof itself is checked on chain by `verifyUnit`.
 *
 * @throws InputError "resolver answer is not valid: <field> …".
 * @example
 * const response = await fetch(link, { headers: { accept: "application/json" } });
 * const answer = parseVerificationAnswer(await response.json());
 * answer.index; // "17"
 */
export function parseVerificationAnswer(data: unknown): VerificationAnswer {
  const bad = (why: string): InputError => new InputError(`resolver answer is not valid: ${why}`);
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw bad("not a JSON object");
  }
  const value = data as Record<string, unknown>;
  const text = (field: string): string => {
    const v = value[field];
    if (typeof v !== "string") throw bad(`${field} is not a string`);
    return v;
  };
  const gtinText = text("gtin");
  if (!/^\d{14}$/.test(gtinText)) throw bad(`gtin "${gtinText}" is not 14 digits`);
  let gtin: string;
  try {
    gtin = validateGtin(gtinText);
  } catch (error) {
    throw bad((error as Error).message);
  }
  const lot = text("lot");
  const serial = text("serial");
  for (const [field, v] of [
    ["lot", lot],
    ["serial", serial],
  ] as const) {
    const problem = describeGs1TextProblem(v, field);
    if (problem !== undefined) throw bad(problem);
  }
  const batchId = text("batchId").toLowerCase();
  if (!BYTES32.test(batchId)) throw bad("batchId is not a bytes32 hex string");
  if (batchId !== batchIdOf(BigInt(gtin), lot)) {
    throw bad(`batchId ${batchId} is not the batch id of GTIN ${gtin} lot ${lot}`);
  }
  const index = text("index");
  if (!/^(0|[1-9]\d{0,15})$/.test(index) || BigInt(index) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw bad(`index "${index}" is not a decimal unit index`);
  }
  const proof = value.proof;
  if (
    !Array.isArray(proof) ||
    proof.length > 64 ||
    !proof.every((p): p is string => typeof p === "string" && BYTES32.test(p))
  ) {
    throw bad("proof is not a list of at most 64 bytes32 hex strings");
  }
  const root = text("root").toLowerCase();
  if (!BYTES32.test(root)) throw bad("root is not a bytes32 hex string");
  const chainId = value.chainId;
  if (typeof chainId !== "number" || !Number.isSafeInteger(chainId) || chainId <= 0) {
    throw bad("chainId is not a positive integer");
  }
  const contract = text("contract");
  if (!isAddress(contract)) throw bad(`contract ${JSON.stringify(contract)} is not an address`);
  const lookups: unknown = value.lookups;
  let counted: VerificationAnswer["lookups"] = null;
  if (lookups !== null) {
    const since: unknown =
      typeof lookups === "object" ? (lookups as Record<string, unknown>).sinceDispensed : undefined;
    if (typeof since !== "number" || !Number.isSafeInteger(since) || since < 0) {
      throw bad("lookups is neither null nor { sinceDispensed: <count> }");
    }
    counted = { sinceDispensed: since };
  }
  return {
    gtin,
    lot,
    serial,
    batchId,
    index,
    proof: proof.map((p) => p.toLowerCase()),
    root,
    chainId,
    contract: getAddress(contract),
    lookups: counted,
  };
}
