import { toBeHex, ZeroAddress } from "ethers";
import type { Provider } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError, describeError, InputError } from "../errors.js";
import { readBatch, readHolders, verifyUnit } from "./client.js";
import type { BatchHolder, UnitStatus } from "./client.js";
import { batchIdOf, expiryToTimestamp, formatExpiry, parsePackCode } from "./gs1.js";
import type { PackCode } from "./gs1.js";
import { logReadOptionsOf, readLogsInRanges } from "./log-ranges.js";
import type { LogRangeInput } from "./log-ranges.js";
import { parseVerificationAnswer, VERIFICATION_LINK_TYPE } from "./resolver-answer.js";
import type { VerificationAnswer } from "./resolver-answer.js";
import { verifySerialProof } from "./serial-merkle.js";
import type { SerialProof, SerialTree } from "./serial-merkle.js";

/*
 * One pack check for every place that checks a pack: the verifier page, `trace verify` and
 * `trace dispense`. Where a unit's proof comes from differs (the batch's tree file at a counter,
 * the brand's GS1 Digital Link resolver on the page); what the chain says, and every rule applied
 * to it (the expiry comparison, the patient's dispensing warning), is decided here once. Pages
 * and tasks only render the result. No Node APIs: the page bundles this file.
 */

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                      Proof sources
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Where a proof source found a unit, with what it claims about it. */
export interface UnitLocation {
  readonly unit: SerialProof;
  /** The root the source holds the unit under. */
  readonly root: string;
  /** Resolver answers only: the deployment and pack the answer claims to be about. */
  readonly claims?: {
    readonly chainId: number;
    readonly contract: string;
    readonly gtin: string;
    readonly lot: string;
    readonly batchId: string;
  };
  /** Lookups of the pack since it was dispensed (resolver answers that count them), else null. */
  readonly lookupsSinceDispensed: number | null;
}

/** Finds a unit's index and proof: a tree file (`treeProofSource`) or a resolver (`resolverProofSource`). */
export interface ProofSource {
  /** For messages: "tree file x.tree.json", "resolver https://id.example.com". */
  readonly description: string;
  /**
   * A tree file the operator chose is trusted to be the batch's (a wrong one is their mistake, an
   * `InputError`); a resolver's answer is data the chain must confirm.
   */
  readonly kind: "tree" | "resolver";
  /** The root the source holds for the code's batch, when known without a lookup (a tree file). */
  readonly root?: string;
  /** The unit, or `undefined` when the source has no such serial (or lot). */
  locate(code: PackCode): Promise<UnitLocation | undefined>;
}

/**
 * A proof source over a batch's serial tree (the pharmacy counter's tree file).
 *
 * @throws InputError from `locate` when the tree file records another GTIN or lot than the code's.
 * @example
 * const check = await checkPack(drugTrace, scanned, treeProofSource(await loadSerialTree(file)));
 */
export function treeProofSource(tree: SerialTree): ProofSource {
  const description = `tree file ${tree.treeFile ?? "(the serial tree)"}`;
  return {
    description,
    kind: "tree",
    root: tree.root,
    locate(code) {
      if (tree.gtin !== undefined && tree.gtin !== code.gtin) {
        throw new InputError(
          `the code's GTIN ${code.gtin} is not the GTIN ${tree.gtin} of ${description}: use the tree file of the code's batch`,
        );
      }
      if (tree.lot !== undefined && tree.lot !== code.lot) {
        throw new InputError(
          `the code's lot ${code.lot} is not the lot ${tree.lot} of ${description}: use the tree file of the code's batch`,
        );
      }
      const unit = tree.hasSerial(code.serial) ? tree.proofFor(code.serial) : undefined;
      return Promise.resolve(
        unit === undefined ? undefined : { unit, root: tree.root, lookupsSinceDispensed: null },
      );
    },
  };
}

/**
 * The pack could not be checked now (resolver or node unreachable, a server error): not a
 * verdict. Pages say "try again later" and show `message` as the technical reason.
 */
export class CheckUnavailableError extends CareChainError {
  override readonly name = "CheckUnavailableError";
}

/** The GS1 Digital Link path of a pack on a resolver, e.g. `/01/09506000134352/10/A1/21/SN0001`. */
export function verificationPathOf(code: Pick<PackCode, "gtin" | "lot" | "serial">): string {
  const segment = (value: string): string =>
    // GS1 Digital Link: every character outside the unreserved set percent-encoded, "." and ".." too
    encodeURIComponent(value).replace(
      /[!'()*.]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  return `/01/${code.gtin}/10/${segment(code.lot)}/21/${segment(code.serial)}`;
}

/** Options of `resolverProofSource`. */
export interface ResolverOptions {
  /** The fetch to use (tests, workers); default `globalThis.fetch`. */
  readonly fetch?: typeof fetch;
  /** Give up after this long (default 10 s). */
  readonly timeoutMs?: number;
}

/**
 * A proof source over a GS1 Digital Link resolver's verification service: one GET per pack
 * (`/01/{gtin}/10/{lot}/21/{serial}?linkType=gs1:verificationService`), a few hundred bytes plus
 * 33 per proof level. 404 means the resolver knows no such pack.
 *
 * @throws CheckUnavailableError from `locate` when the resolver cannot be reached, fails, or
 *   answers something that is not a verification answer.
 * @example
 * const source = resolverProofSource("https://id.example-pharma.com");
 * const check = await checkPack(drugTrace, scanned, source, { dispensing: true });
 */
export function resolverProofSource(baseUrl: string, options: ResolverOptions = {}): ProofSource {
  const base = baseUrl.replace(/\/+$/, "");
  const fetcher = options.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    description: `resolver ${base}`,
    kind: "resolver",
    async locate(code) {
      const url = `${base}${verificationPathOf(code)}?linkType=${encodeURIComponent(VERIFICATION_LINK_TYPE)}`;
      let response: Response;
      try {
        response = await fetcher(url, {
          headers: { accept: "application/json" },
          signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
        });
      } catch (error) {
        throw new CheckUnavailableError(
          `cannot reach the resolver at ${base}: ${describeError(error)}`,
        );
      }
      if (response.status === 404) return undefined;
      if (!response.ok) {
        let detail = "";
        try {
          const problem = (await response.json()) as { title?: unknown; detail?: unknown };
          detail = [problem.title, problem.detail].filter((t) => typeof t === "string").join(": ");
        } catch {
          // not problem JSON
        }
        throw new CheckUnavailableError(
          `the resolver at ${base} answered HTTP ${response.status}${detail === "" ? "" : ` (${detail})`}`,
        );
      }
      let data: unknown;
      try {
        data = await response.json();
      } catch {
        throw new CheckUnavailableError(`the resolver at ${base} did not answer JSON`);
      }
      let answer: VerificationAnswer;
      try {
        answer = parseVerificationAnswer(data);
      } catch (error) {
        throw new CheckUnavailableError(
          `the resolver at ${base} gave an unusable answer: ${describeError(error)}`,
        );
      }
      return {
        unit: { index: BigInt(answer.index), serial: answer.serial, proof: [...answer.proof] },
        root: answer.root,
        claims: {
          chainId: answer.chainId,
          contract: answer.contract,
          gtin: answer.gtin,
          lot: answer.lot,
          batchId: answer.batchId,
        },
        lookupsSinceDispensed: answer.lookups?.sinceDispensed ?? null,
      };
    },
  };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                         Rules
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The ISO date (`2027-12-31`) of a unix timestamp (UTC). */
export function isoDateOf(seconds: bigint): string {
  return new Date(Number(seconds) * 1000).toISOString().slice(0, 10);
}

/**
 * The printed expiry (`YYMMDD`) as an ISO date, day 00 read as the last day of the month.
 *
 * @example
 * printedExpiryDate("270200"); // "2027-02-28"
 */
export function printedExpiryDate(yymmdd: string): string {
  return isoDateOf(expiryToTimestamp(yymmdd));
}

/** A printed expiry that disagrees with the registered one. */
export interface ExpiryMismatch {
  /** ISO date printed on the pack (AI 17). */
  readonly printed: string;
  /** ISO date registered on chain. */
  readonly registered: string;
}

/**
 * THE expiry rule: the printed expiry (AI 17, `YYMMDD`, day 00 = last day of the month) and the
 * registered one (a timestamp) agree when they fall on the same UTC calendar day. The time of day
 * of the registered timestamp never matters.
 *
 * @example
 * expiryMismatchOf("271231", 1830297599n); // undefined (2027-12-31 23:59:59 UTC)
 * expiryMismatchOf("271130", 1830297599n); // { printed: "2027-11-30", registered: "2027-12-31" }
 */
export function expiryMismatchOf(
  printed: string | undefined,
  registered: bigint,
): ExpiryMismatch | undefined {
  if (printed === undefined || registered === 0n) return undefined;
  if (formatExpiry(expiryToTimestamp(printed)) === formatExpiry(registered)) return undefined;
  return { printed: printedExpiryDate(printed), registered: isoDateOf(registered) };
}

/** More lookups than this since a pack was dispensed is evidence of a copied code. */
export const DISPENSED_LOOKUP_LIMIT = 5;
/** A pack dispensed more than this many days ago and checked again is suspicious. */
export const DISPENSED_AGE_LIMIT_DAYS = 90;

/**
 * THE patient's dispensing rule. A pack that was just dispensed is the normal case ("Dispensed by
 * <pharmacy> on <date>"); it becomes a warning only on evidence: the resolver counted more than
 * `DISPENSED_LOOKUP_LIMIT` lookups since the dispensing (many people scanning one code: a copied
 * code), or the dispensing was more than `DISPENSED_AGE_LIMIT_DAYS` days ago (a code off an old
 * pack, re-used). Returns the reason, or `undefined` for no warning.
 *
 * @example
 * dispensedWarningOf({ dispensedAt: now - 3600n, lookupsSinceDispensed: 1, now }); // undefined
 * dispensedWarningOf({ dispensedAt: now - 3600n, lookupsSinceDispensed: 40, now }); // "its code was looked up 40 times since it was dispensed"
 */
export function dispensedWarningOf(facts: {
  readonly dispensedAt: bigint | undefined;
  readonly lookupsSinceDispensed: number | null;
  readonly now: bigint;
}): string | undefined {
  const { dispensedAt, lookupsSinceDispensed, now } = facts;
  if (lookupsSinceDispensed !== null && lookupsSinceDispensed > DISPENSED_LOOKUP_LIMIT) {
    return `its code was looked up ${lookupsSinceDispensed} times since it was dispensed`;
  }
  if (dispensedAt !== undefined && now - dispensedAt > BigInt(DISPENSED_AGE_LIMIT_DAYS) * 86_400n) {
    return `it was dispensed ${(now - dispensedAt) / 86_400n} days ago`;
  }
  return undefined;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       The check
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** This pack's own dispensing, from its `UnitDispensed` event. */
export interface PackDispensing {
  readonly dispenser: string;
  /** Block timestamp (unix seconds). */
  readonly at: bigint;
  readonly block: number;
}

/** What checking a pack's code found. */
export interface PackCheck {
  /** The parsed code (GTIN-14, lot, serial, printed expiry if any). */
  readonly code: PackCode;
  /** `batchIdOf(gtin, lot)` of the code. */
  readonly batchId: string;
  /** The unit's index and proof from the source; `undefined` when the source has no such serial. */
  readonly unit: SerialProof | undefined;
  /** The chain's verdict (`verifyUnit`); Unknown without asking when the source has no such serial. */
  readonly status: UnitStatus;
  /** The batch's registered expiry (unix seconds); 0n when Unknown. */
  readonly expiry: bigint;
  /** The batch's manufacturer; the zero address when Unknown. */
  readonly manufacturer: string;
  /** The printed expiry when it disagrees with the registered one (`expiryMismatchOf`). */
  readonly expiryMismatch: ExpiryMismatch | undefined;
  /** Active and no expiry mismatch: the only case in which the pack may be dispensed. */
  readonly genuine: boolean;
  /**
   * Where a resolver's claims disagree with the chain or the code (another deployment, another
   * root, another pack, a proof that does not verify). The verdict is the chain's anyway.
   */
  readonly answerProblem: string | undefined;
  /** Dispensed packs, when asked for (`dispensing: true`): who dispensed this pack, and when. */
  readonly dispensing: PackDispensing | undefined;
  /** Lookups since dispensing, when the resolver counts them. */
  readonly lookupsSinceDispensed: number | null;
  /** Dispensed packs: the reason for a warning by `dispensedWarningOf`, `undefined` for none. */
  readonly dispensedWarning: string | undefined;
  /** The batch's current holders, when asked for and the batch is registered. */
  readonly holders: BatchHolder[] | undefined;
}

/** Options of `checkPack`. */
export interface CheckPackOptions {
  /** Also read the batch's current holders (from events). */
  readonly holders?: boolean;
  /** Read a Dispensed pack's own dispensing (who, when) and apply `dispensedWarningOf`. */
  readonly dispensing?: boolean;
  /** Where to read events: the first block, or `{ fromBlock, maxRange }` for capped providers. */
  readonly fromBlock?: LogRangeInput;
  /** "Now" for the dispensing rule (unix seconds); default the clock. */
  readonly now?: bigint;
}

function providerOf(drugTrace: DrugTrace): Provider {
  const provider = drugTrace.runner?.provider ?? null;
  if (provider === null) throw new CareChainError("the DrugTrace contract has no provider");
  return provider;
}

/** The disagreements between a resolver's claims and the chain or the code, in one line. */
async function answerProblemOf(
  drugTrace: DrugTrace,
  location: UnitLocation,
  code: PackCode,
  batchId: string,
  registeredRoot: string | undefined,
): Promise<string | undefined> {
  const problems: string[] = [];
  const { claims, unit } = location;
  if (claims !== undefined) {
    const chainId = (await providerOf(drugTrace).getNetwork()).chainId;
    if (BigInt(claims.chainId) !== chainId) {
      problems.push(`it answers for chain ${claims.chainId}, this check reads chain ${chainId}`);
    }
    const contract = await drugTrace.getAddress();
    if (claims.contract.toLowerCase() !== contract.toLowerCase()) {
      problems.push(`it answers for contract ${claims.contract}, this check reads ${contract}`);
    }
    if (
      claims.gtin !== code.gtin ||
      claims.lot !== code.lot ||
      unit.serial !== code.serial ||
      claims.batchId.toLowerCase() !== batchId.toLowerCase()
    ) {
      problems.push(
        `it answers for ${claims.gtin}/${claims.lot}/${unit.serial}, not ${code.gtin}/${code.lot}/${code.serial}`,
      );
    }
  }
  if (registeredRoot !== undefined) {
    if (location.root.toLowerCase() !== registeredRoot.toLowerCase()) {
      problems.push(`its root ${location.root} is not the registered ${registeredRoot}`);
    } else if (!verifySerialProof(registeredRoot, unit.index, code.serial, unit.proof)) {
      problems.push("its proof does not verify against the registered root");
    }
  }
  return problems.length === 0
    ? undefined
    : `the resolver's answer does not check: ${problems.join("; ")}`;
}

/** The later of the clock and the chain's latest block time (a test chain may run ahead). */
async function nowOf(drugTrace: DrugTrace): Promise<bigint> {
  const clock = BigInt(Math.floor(Date.now() / 1000));
  const latest = await providerOf(drugTrace).getBlock("latest");
  const chain = latest === null ? 0n : BigInt(latest.timestamp);
  return chain > clock ? chain : clock;
}

/** This unit's `UnitDispensed` event (batchId and index are indexed), if any. */
async function readDispensing(
  drugTrace: DrugTrace,
  batchId: string,
  index: bigint,
  range: LogRangeInput | undefined,
): Promise<PackDispensing | undefined> {
  const provider = providerOf(drugTrace);
  const event = drugTrace.interface.getEvent("UnitDispensed");
  const logs = await readLogsInRanges(
    provider,
    {
      address: await drugTrace.getAddress(),
      topics: [event.topicHash, batchId, toBeHex(index, 32)],
    },
    logReadOptionsOf(range),
  );
  const log = logs.at(-1);
  if (log === undefined) return undefined;
  const parsed = drugTrace.interface.parseLog(log);
  const block = await provider.getBlock(log.blockNumber);
  if (parsed === null || block === null) return undefined;
  return {
    dispenser: parsed.args.getValue("dispenser") as string,
    at: BigInt(block.timestamp),
    block: log.blockNumber,
  };
}

/**
 * Checks a pack's code against the chain, with the unit's proof from `source`: parses the code
 * (Digital Link, element string or raw scanner string), locates the unit, asks `verifyUnit` (the
 * chain verifies the proof against the registered root: a resolver cannot make a pack genuine),
 * then applies the expiry rule (`expiryMismatchOf`) and, for a Dispensed pack when asked, the
 * dispensing rule (`dispensedWarningOf`). A serial the source does not know is a normal answer
 * (Unknown: a counterfeit code), not an error.
 *
 * @throws InputError for a malformed code, or a tree file of another batch;
 *   CheckUnavailableError when a resolver cannot answer now; provider errors when the node is down.
 * @example
 * const check = await checkPack(drugTrace, "(01)09506000134352(10)ABC123(21)SN0001", treeProofSource(tree));
 * console.log(check.status, check.genuine);
 */
export async function checkPack(
  drugTrace: DrugTrace,
  code: string | PackCode,
  source: ProofSource,
  options: CheckPackOptions = {},
): Promise<PackCheck> {
  const parsed = typeof code === "string" ? parsePackCode(code) : code;
  const batchId = batchIdOf(BigInt(parsed.gtin), parsed.lot);
  const [location, batch] = await Promise.all([
    source.locate(parsed),
    readBatch(drugTrace, batchId),
  ]);
  const registeredRoot = batch.state === "None" ? undefined : batch.serialsRoot;
  const sourceRoot = location?.root ?? source.root;
  if (
    source.kind === "tree" &&
    sourceRoot !== undefined &&
    registeredRoot !== undefined &&
    sourceRoot.toLowerCase() !== registeredRoot.toLowerCase()
  ) {
    throw new InputError(
      `${source.description} (root ${sourceRoot}) is not the serial tree of batch ${parsed.gtin}/${parsed.lot} (registered root ${registeredRoot})`,
    );
  }
  const answerProblem =
    source.kind === "resolver" && location !== undefined
      ? await answerProblemOf(drugTrace, location, parsed, batchId, registeredRoot)
      : undefined;
  const unit = location?.unit;
  const verdict =
    unit === undefined
      ? { status: "Unknown" as const, expiry: 0n, manufacturer: ZeroAddress }
      : await verifyUnit(drugTrace, {
          gtin: BigInt(parsed.gtin),
          lot: parsed.lot,
          // the code's serial, never the answer's: the chain proves this pack or none
          ...unit,
          serial: parsed.serial,
        });
  const expiryMismatch =
    verdict.status === "Unknown" ? undefined : expiryMismatchOf(parsed.expiry, verdict.expiry);
  const lookupsSinceDispensed = location?.lookupsSinceDispensed ?? null;
  const dispensing =
    options.dispensing === true && verdict.status === "Dispensed" && unit !== undefined
      ? await readDispensing(drugTrace, batchId, unit.index, options.fromBlock)
      : undefined;
  const dispensedWarning =
    verdict.status === "Dispensed" && options.dispensing === true
      ? dispensedWarningOf({
          dispensedAt: dispensing?.at,
          lookupsSinceDispensed,
          now: options.now ?? (await nowOf(drugTrace)),
        })
      : undefined;
  const holders =
    options.holders === true && batch.state !== "None"
      ? await readHolders(drugTrace, batchId, options.fromBlock ?? 0)
      : undefined;
  return {
    code: parsed,
    batchId,
    unit,
    status: verdict.status,
    expiry: verdict.expiry,
    manufacturer: verdict.manufacturer,
    expiryMismatch,
    genuine: verdict.status === "Active" && expiryMismatch === undefined,
    answerProblem,
    dispensing,
    lookupsSinceDispensed,
    dispensedWarning,
    holders,
  };
}
