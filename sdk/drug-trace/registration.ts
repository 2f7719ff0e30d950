import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import type { BytesLike } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { InputError } from "../errors.js";
import { registerBatch } from "./client.js";
import type { RegisterReceipt } from "./client.js";
import { describeGs1TextProblem, validateGtin } from "./gs1.js";
import { formatSerialTreeFile, serialTreeOf, treeFileNameOf } from "./serial-merkle.js";
import { buildSerialTree } from "./serial-tree.js";
import type { SerialProgress, SerialTree, SerialTreeFile } from "./serial-tree.js";

/** The batch every registration from serials names (a serial file's or a list's). */
export interface SerialBatchFields {
  /** GTIN-8, -12, -13 or -14 (check digit validated). */
  readonly gtin: string;
  readonly lot: string;
  /** The last second (unix time) at which units may be shipped onward or dispensed. */
  readonly expiry: bigint;
  /** Hash of the off-chain batch metadata; the zero hash when omitted. */
  readonly metadataHash?: BytesLike;
}

/** What `registerBatchFromSerials` needs. */
export interface SerialFileRegistration extends SerialBatchFields {
  /** The serial file: one serial per line, or CSV with a `serial` column. */
  readonly serialFile: string;
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
 * and only then saves the tree file for trading partners (`<GTIN-14>-<lot>.tree.json` beside
 * the serial file by default), so a refused registration never replaces a good tree file. A tree file of another
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
  return registerTree(drugTrace, {
    ...registration,
    source: registration.serialFile,
    // Next to the serial list, under the name the verifier page fetches it by when published.
    directory: path.dirname(registration.serialFile),
    build: (gtin, draft) =>
      buildSerialTree(registration.serialFile, {
        gtin,
        lot: registration.lot,
        treeFile: draft,
        ...(registration.onProgress === undefined ? {} : { onProgress: registration.onProgress }),
      }),
  });
}

/** What `registerBatchFromSerialList` needs: a serial list already in memory (e.g. an EPCIS document's). */
export interface SerialListRegistration extends SerialBatchFields {
  /** The serials in unit-index order (GS1 AI 21, no duplicates). */
  readonly serials: readonly string[];
  /** Names the list in messages, e.g. the EPCIS file. */
  readonly source: string;
  /** Where to save the tree (default: `<GTIN-14>-<lot>.tree.json` in `directory`). */
  readonly treeFile?: string;
  /** Where the default tree file goes (default: the current directory). */
  readonly directory?: string;
}

/**
 * Registers a batch from a serial list in memory, exactly as `registerBatchFromSerials` does from
 * a file (same checks, same tree file, written only once the registration is mined).
 *
 * @throws InputError for a bad GTIN, lot or serial, or a tree file of another batch;
 *   `ContractRevertError` when the contract refuses.
 * @example
 * const { tree, registered } = await registerBatchFromSerialList(drugTrace.connect(manufacturer), {
 *   serials: ["SN0001", "SN0002"], source: "commissioning.jsonld", gtin: "09506000134352",
 *   lot: "A1", expiry: expiryToTimestamp("281231"), directory: "examples",
 * });
 */
export async function registerBatchFromSerialList(
  drugTrace: DrugTrace,
  registration: SerialListRegistration,
): Promise<SerialFileRegistrationResult> {
  return registerTree(drugTrace, {
    ...registration,
    directory: registration.directory ?? ".",
    build: async (gtin, draft) => {
      let tree: SerialTree;
      try {
        tree = serialTreeOf(registration.serials);
      } catch (error) {
        if (error instanceof InputError) {
          throw new InputError(`${registration.source}: ${error.message}`);
        }
        throw error;
      }
      tree.gtin = gtin;
      tree.lot = registration.lot;
      try {
        await writeFile(draft, formatSerialTreeFile(tree));
      } catch (error) {
        throw new InputError(`cannot write tree file ${draft}: ${(error as Error).message}`);
      }
      return tree;
    },
  });
}

/** The one registration path: check, build the tree into a draft, register, then keep the tree. */
async function registerTree(
  drugTrace: DrugTrace,
  registration: SerialBatchFields & {
    readonly source: string;
    readonly treeFile?: string;
    readonly directory: string;
    readonly build: (gtin: string, draft: string) => Promise<SerialTree>;
  },
): Promise<SerialFileRegistrationResult> {
  const gtin = validateGtin(registration.gtin);
  const lotProblem = describeGs1TextProblem(registration.lot, "lot");
  if (lotProblem !== undefined) throw new InputError(lotProblem);

  // Next to the serial list, under the name the brand's resolver loads it by.
  const treeFile =
    registration.treeFile ??
    path.join(registration.directory, treeFileNameOf(gtin, registration.lot));
  await checkTreeFileIsFree(treeFile, gtin, registration.lot);

  const draft = `${treeFile}.tmp`;
  const tree = await registration.build(gtin, draft);
  let registered: RegisterReceipt;
  try {
    if (tree.count > 0xffff_ffff) {
      throw new InputError(
        `${registration.source} has ${tree.count} serials; a batch holds at most 4,294,967,295`,
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
