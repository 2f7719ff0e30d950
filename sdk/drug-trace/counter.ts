import { keccak256, toUtf8Bytes, ZeroAddress } from "ethers";
import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError, ContractRevertError, describeError, InputError } from "../errors.js";
import { formatTimestamp } from "../terminal.js";
import { dispense, flagSuspect, readBatch, readHolders, verifyUnit } from "./client.js";
import type { BatchHolder, FlagReceipt, TraceReceipt, UnitStatus } from "./client.js";
import { batchIdOf, expiryToTimestamp, formatExpiry, parsePackCode } from "./gs1.js";
import type { PackCode } from "./gs1.js";
import type { SerialProof, SerialTree } from "./serial-tree.js";

/*
 * The pharmacy counter: what a scanned pack's code says (verify), and dispensing that verifies
 * first and turns every verdict but Active into an on-chain alert (`flagSuspect`), the way the
 * EU FMD raises an alert when a decommissioned code is scanned again. A refused `dispense` leaves
 * no trace on chain; a flag does.
 */

/** How a verdict reads for people: a word for its colour and what it means at the counter. */
export interface VerdictWords {
  /** good: dispense; warning: hold the pack (it may become usable again, or is out of date); bad: never dispense. */
  readonly tone: "good" | "warning" | "bad";
  /** One line, e.g. "already dispensed: possible copied code". */
  readonly meaning: string;
}

/** What each verdict means at the counter. */
export const VERDICT_WORDS: Readonly<Record<UnitStatus, VerdictWords>> = {
  Active: { tone: "good", meaning: "genuine, may be dispensed" },
  Unknown: { tone: "bad", meaning: "not genuine / counterfeit: no registered unit has this code" },
  Dispensed: { tone: "bad", meaning: "already dispensed: possible copied code" },
  Recalled: { tone: "bad", meaning: "batch recalled: do not dispense" },
  Quarantined: { tone: "warning", meaning: "batch quarantined: hold the pack, do not dispense" },
  Expired: { tone: "warning", meaning: "expired: do not dispense" },
};

/** What checking a pack's code found. */
export interface PackCheck {
  /** The parsed code (GTIN-14, lot, serial, printed expiry if any). */
  readonly code: PackCode;
  /** `batchIdOf(gtin, lot)` of the code. */
  readonly batchId: string;
  /** The unit's index and proof from the tree; `undefined` when the serial is not in the tree. */
  readonly unit: SerialProof | undefined;
  /** The chain's verdict (`verifyUnit`); Unknown without asking when the serial is not in the tree. */
  readonly status: UnitStatus;
  /** The batch's registered expiry (unix seconds); 0n when Unknown. */
  readonly expiry: bigint;
  /** The batch's manufacturer; the zero address when Unknown. */
  readonly manufacturer: string;
  /**
   * The expiry printed on the pack (AI 17) when it disagrees with the registered one: a genuine
   * code on a repackaged or forged pack. `undefined` when they agree or either is missing.
   */
  readonly expiryMismatch: { readonly printed: string; readonly registered: string } | undefined;
  /** Active and no expiry mismatch: the only case in which the pack may be dispensed. */
  readonly genuine: boolean;
  /** The batch's current holders, when asked for and the batch is registered. */
  readonly holders: BatchHolder[] | undefined;
}

/** The ISO date (`2027-12-31`) of a unix timestamp. */
function isoDate(seconds: bigint): string {
  return formatTimestamp(seconds).slice(0, 10);
}

/**
 * The printed expiry (`YYMMDD`) as an ISO date, day 00 read as the last day of the month.
 *
 * @example
 * printedExpiryDate("270200"); // "2027-02-28"
 */
export function printedExpiryDate(yymmdd: string): string {
  return isoDate(expiryToTimestamp(yymmdd));
}

/**
 * Checks a scanned code against its batch's serial tree and the chain: parses it (Digital Link,
 * element string or raw scanner string), makes sure the tree file belongs to the code's batch,
 * finds the unit's proof and asks `verifyUnit`. A serial missing from the tree is a normal answer
 * (Unknown: a counterfeit code), not an error. A printed expiry (AI 17) that disagrees with the
 * registered one makes the pack suspect (`genuine` false, `expiryMismatch` set).
 *
 * @throws InputError for a malformed code (bad check digit…) or a tree file of another batch.
 * @example
 * const tree = await loadSerialTree("serials.txt.tree.json");
 * const check = await checkPack(drugTrace, "(01)09506000134352(10)ABC123(21)SN0001", tree);
 * console.log(check.status, VERDICT_WORDS[check.status].meaning);
 */
export async function checkPack(
  drugTrace: DrugTrace,
  code: string | PackCode,
  tree: SerialTree,
  options: {
    /** Also read the batch's current holders (from events). */
    readonly holders?: boolean;
    /** The block to read events from (default 0; set it where the node limits log ranges). */
    readonly fromBlock?: number;
  } = {},
): Promise<PackCheck> {
  const parsed = typeof code === "string" ? parsePackCode(code) : code;
  const treeName = tree.treeFile ?? "(the serial tree)";
  if (tree.gtin !== undefined && tree.gtin !== parsed.gtin) {
    throw new InputError(
      `the code's GTIN ${parsed.gtin} is not the GTIN ${tree.gtin} of tree file ${treeName}: use the tree file of the code's batch`,
    );
  }
  if (tree.lot !== undefined && tree.lot !== parsed.lot) {
    throw new InputError(
      `the code's lot ${parsed.lot} is not the lot ${tree.lot} of tree file ${treeName}: use the tree file of the code's batch`,
    );
  }
  const batchId = batchIdOf(BigInt(parsed.gtin), parsed.lot);
  const batch = await readBatch(drugTrace, batchId);
  if (batch.state !== "None" && batch.serialsRoot.toLowerCase() !== tree.root.toLowerCase()) {
    throw new InputError(
      `tree file ${treeName} (root ${tree.root}) is not the serial tree of batch ${parsed.gtin}/${parsed.lot} (registered root ${batch.serialsRoot})`,
    );
  }
  const unit = tree.hasSerial(parsed.serial) ? tree.proofFor(parsed.serial) : undefined;
  const verdict =
    unit === undefined
      ? { status: "Unknown" as const, expiry: 0n, manufacturer: ZeroAddress }
      : await verifyUnit(drugTrace, { gtin: BigInt(parsed.gtin), lot: parsed.lot, ...unit });
  let expiryMismatch: PackCheck["expiryMismatch"];
  if (parsed.expiry !== undefined && verdict.status !== "Unknown") {
    const printed = formatExpiry(expiryToTimestamp(parsed.expiry));
    if (printed !== formatExpiry(verdict.expiry)) {
      expiryMismatch = {
        printed: printedExpiryDate(parsed.expiry),
        registered: isoDate(verdict.expiry),
      };
    }
  }
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
    holders,
  };
}

/**
 * One line on why a pack may not be dispensed, e.g. "Dispensed (already dispensed: possible
 * copied code)" or "expiry mismatch (pack says 2027-11-30, registered 2027-12-31): suspect pack".
 *
 * @example
 * if (!check.genuine) console.log(`NOT dispensed: ${describeRefusal(check)}`);
 */
export function describeRefusal(check: Pick<PackCheck, "status" | "expiryMismatch">): string {
  if (check.status === "Active" && check.expiryMismatch !== undefined) {
    return `expiry mismatch (pack says ${check.expiryMismatch.printed}, registered ${check.expiryMismatch.registered}): suspect pack`;
  }
  return `${check.status} (${VERDICT_WORDS[check.status].meaning})`;
}

/** What happened at the counter. */
export type CounterOutcome =
  | {
      readonly dispensed: true;
      readonly check: PackCheck;
      readonly unit: SerialProof;
      readonly receipt: TraceReceipt;
    }
  | {
      readonly dispensed: false;
      readonly check: PackCheck;
      /** The verdict the alert carries. */
      readonly verdict: UnitStatus;
      /** Why the pack was not dispensed (`describeRefusal`). */
      readonly reason: string;
      /**
       * The on-chain alert; `undefined` when the code names a batch nobody registered: the
       * contract takes flags on registered batches only, so such a pack is reported off chain.
       */
      readonly flag: FlagReceipt | undefined;
    };

/**
 * Dispenses a scanned pack the EU FMD way, as the connected dispenser: verifies first
 * (`checkPack`); if the pack is genuine and Active, dispenses it; otherwise does NOT dispense and
 * raises an on-chain alert (`flagSuspect`) for that unit carrying the verdict — Active when the
 * cause is an expiry mismatch. A dispense refused because another counter dispensed the unit
 * meanwhile is turned into an alert too. The alert's evidence is `evidenceHash`, by default the
 * keccak256 of the scanned text, so the scan log can be matched to it.
 *
 * @throws InputError for a malformed code, a tree file of another batch, or a serial not in the
 *   tree (nothing to prove, nothing dispensed); `CareChainError` "NOT dispensed: … — alert NOT
 *   raised: …" when the alert itself fails; `ContractRevertError` when the dispense is refused
 *   for another reason (no stock, no DISPENSER role).
 * @example
 * const outcome = await dispensePack(drugTrace.connect(pharmacy), scannedText, tree);
 * if (!outcome.dispensed) console.error(`NOT dispensed — alert #${outcome.flag?.flagId ?? "none"}`);
 */
export async function dispensePack(
  drugTrace: DrugTrace,
  code: string,
  tree: SerialTree,
  options: { readonly evidenceHash?: BytesLike } = {},
): Promise<CounterOutcome> {
  let check = await checkPack(drugTrace, code, tree);
  const { unit } = check;
  if (unit === undefined) {
    throw new InputError(
      `NOT dispensed: serial ${check.code.serial} is not in tree file ${tree.treeFile ?? "(the serial tree)"} of batch ${check.code.gtin}/${check.code.lot} — a counterfeit code, or the wrong tree file`,
    );
  }
  let verdict: UnitStatus = check.status;
  let reason = describeRefusal(check);
  if (check.genuine) {
    try {
      return {
        dispensed: true,
        check,
        unit,
        receipt: await dispense(drugTrace, check.batchId, unit),
      };
    } catch (error) {
      if (
        !(error instanceof ContractRevertError) ||
        error.errorName !== "DrugTraceUnitAlreadyDispensed"
      ) {
        throw error;
      }
      // Another counter dispensed the unit between the check and this transaction.
      check = { ...check, status: "Dispensed", genuine: false };
      verdict = "Dispensed";
      reason = describeRefusal(check);
    }
  }
  if (check.status === "Unknown" && (await readBatch(drugTrace, check.batchId)).state === "None") {
    // The contract refuses flags on unregistered batches (they would only cost storage and a
    // regulator's time): the pack goes to the regulator off chain.
    return { dispensed: false, check, verdict, reason, flag: undefined };
  }
  try {
    const flag = await flagSuspect(drugTrace, {
      batchId: check.batchId,
      index: unit.index,
      serial: unit.serial,
      verdict,
      evidenceHash: options.evidenceHash ?? keccak256(toUtf8Bytes(code)),
    });
    return { dispensed: false, check, verdict, reason, flag };
  } catch (error) {
    throw new CareChainError(
      `NOT dispensed: ${reason} — alert NOT raised: ${describeError(error)}`,
    );
  }
}
