import { readFile, rename, rm } from "node:fs/promises";
import path from "node:path";

import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { InputError } from "../errors.js";
import { registerBatch } from "./client.js";
import type { RegisterReceipt } from "./client.js";
import { describeGs1TextProblem, validateGtin } from "./gs1.js";
import { treeFileNameOf } from "./serial-merkle.js";
import { buildSerialTree } from "./serial-tree.js";
import type { SerialProgress, SerialTree, SerialTreeFile } from "./serial-tree.js";

/** What `registerBatchFromSerials` needs. */
export interface SerialFileRegistration {
  /** The serial file: one serial per line, or CSV with a `serial` column. */
  readonly serialFile: string;
  /** GTIN-8, -12, -13 or -14 (check digit validated). */
  readonly gtin: string;
  readonly lot: string;
  /** The last second (unix time) at which units may be shipped onward or dispensed. */
  readonly expiry: bigint;
  /** Hash of the off-chain batch metadata; the zero hash when omitted. */
  readonly metadataHash?: BytesLike;
  /** Where to save the tree (default: `<GTIN-14>-<lot>.tree.json` beside the serial file, the name the brand's resolver loads it by). */
  readonly treeFile?: string;
  readonly onProgress?: SerialProgress;
}

/** A batch registered from its serial file. */
export interface SerialFileRegistrationResult {
  /** The serial tree, saved at `tree.treeFile`. */
  readonly tree: SerialTree;
  readonly registered: RegisterReceipt;
}

/**
 * Refuses to overwrite a tree file that belongs to another batch (its recorded GTIN or lot
 * differs) or that is not a tree file at all.
 */
async function checkTreeFileIsFree(treeFile: string, gtin: string, lot: string): Promise<void> {
  let text: string;
  try {
    text = await readFile(treeFile, "utf8");
  } catch {
    return; // nothing there yet
  }
  let recorded: Partial<SerialTreeFile> | undefined;
  try {
    recorded = JSON.parse(text) as Partial<SerialTreeFile>;
  } catch {
    recorded = undefined;
  }
  if (recorded?.format === undefined) {
    throw new InputError(
      `${treeFile} exists and is not a serial tree file: give another tree file (--tree)`,
    );
  }
  if (
    (recorded.gtin !== undefined && recorded.gtin !== gtin) ||
    (recorded.lot !== undefined && recorded.lot !== lot)
  ) {
    throw new InputError(
      `tree file ${treeFile} already holds batch ${recorded.gtin ?? "?"}/${recorded.lot ?? "?"}: give another tree file (--tree) for ${gtin}/${lot}`,
    );
  }
}

/**
 * Registers a batch from its serial file as the connected manufacturer: builds the serial tree
 * (streaming; a million serials take seconds), registers GTIN, lot, expiry, unit count and root,
 * and only then saves the tree file for trading partners (`<serial file>.tree.json` by
 * default), so a refused registration never replaces a good tree file. A tree file of another
 * batch (its recorded GTIN or lot differs) is never overwritten.
 *
 * @throws InputError for a bad GTIN, lot or serial file, or a tree file of another batch;
 *   `ContractRevertError` when the contract refuses (e.g. `DrugTraceBatchAlreadyRegistered`).
 * @example
 * const { tree, registered } = await registerBatchFromSerials(drugTrace.connect(manufacturer), {
 *   serialFile: "serials-ABC123.txt", gtin: "09506000134352", lot: "ABC123",
 *   expiry: expiryToTimestamp("271231"),
 * });
 * console.log(registered.batchId, tree.root, tree.treeFile);
 */
export async function registerBatchFromSerials(
  drugTrace: DrugTrace,
  registration: SerialFileRegistration,
): Promise<SerialFileRegistrationResult> {
  const gtin = validateGtin(registration.gtin);
  const lotProblem = describeGs1TextProblem(registration.lot, "lot");
  if (lotProblem !== undefined) throw new InputError(lotProblem);
  // Next to the serial list, under the name the brand's resolver loads it by.
  const treeFile =
    registration.treeFile ??
    path.join(path.dirname(registration.serialFile), treeFileNameOf(gtin, registration.lot));
  await checkTreeFileIsFree(treeFile, gtin, registration.lot);

  const draft = `${treeFile}.tmp`;
  const tree = await buildSerialTree(registration.serialFile, {
    gtin,
    lot: registration.lot,
    treeFile: draft,
    ...(registration.onProgress === undefined ? {} : { onProgress: registration.onProgress }),
  });
  let registered: RegisterReceipt;
  try {
    if (tree.count > 0xffff_ffff) {
      throw new InputError(
        `${registration.serialFile} has ${tree.count} serials; a batch holds at most 4,294,967,295`,
      );
    }
    registered = await registerBatch(drugTrace, {
      gtin: BigInt(gtin),
      lot: registration.lot,
      expiry: registration.expiry,
      unitCount: BigInt(tree.count),
      serialsRoot: tree.root,
      ...(registration.metadataHash === undefined
        ? {}
        : { metadataHash: registration.metadataHash }),
    });
  } catch (error) {
    await rm(draft, { force: true });
    throw error;
  }
  await rename(draft, treeFile);
  tree.treeFile = treeFile;
  return { tree, registered };
}
