import { keccak256, toUtf8Bytes } from "ethers";
import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { CareChainError, ContractRevertError, describeError, InputError } from "../errors.js";
import { dispense, flagSuspect, readBatch } from "./client.js";
import type { FlagReceipt, TraceReceipt, UnitStatus } from "./client.js";
import { checkPack, treeProofSource } from "./pack-check.js";
import type { PackCheck } from "./pack-check.js";
import type { SerialProof, SerialTree } from "./serial-merkle.js";

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
  let check = await checkPack(drugTrace, code, treeProofSource(tree));
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
