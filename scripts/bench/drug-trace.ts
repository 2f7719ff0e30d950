import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { once } from "node:events";

import { id } from "ethers";

import {
  acceptShipment,
  authorizeContractManufacturer,
  batchIdOf,
  bindCompanyPrefix,
  bindSensor,
  buildSerialTree,
  dispense,
  flagSuspect,
  grantTradeRole,
  leafHash,
  parseCompanyPrefix,
  recall,
  registerBatch,
  releaseQuarantine,
  reportExcursion,
  serialTreeOf,
  setParticipantName,
  ship,
} from "../../sdk/drug-trace/index.js";
import type { SerialProof, SerialTree } from "../../sdk/drug-trace/index.js";
import { entryOf, measureReceipt } from "./record.js";
import type { BenchEntry, Measured } from "./record.js";
import { BENCH_START, DAY } from "./suite.js";
import type { BenchSuite } from "./suite.js";
import { TARGETS } from "./targets.js";
import { WRITES } from "./writes.js";

/** The GTIN of every benchmark batch (a valid check digit). */
export const BENCH_GTIN = 9506000134352n;
export const BENCH_EXPIRY = BENCH_START + 730n * DAY;
/** Units the dispense series ships to the pharmacy per batch (enough for three dispenses). */
const STOCK = 10n;

/** What the DrugTrace part hands to the other parts of the benchmark. */
export interface DrugTraceBench {
  readonly entries: Record<string, BenchEntry>;
  /** The million-unit tree, built from a serial file by the SDK. */
  readonly millionTree: SerialTree;
  /** Seconds the SDK took to build it (printed, not recorded: it varies). */
  readonly millionTreeSeconds: number;
  /** The million-unit batch and two units of its bitmap word 0 the pharmacy dispensed. */
  readonly millionLot: string;
  readonly dispensedUnits: readonly SerialProof[];
}

/** Serial `i` of a benchmark batch: SN0000000, SN0000001, … */
export function serialOf(i: number): string {
  return `SN${String(i).padStart(7, "0")}`;
}

function serialsOf(count: number): string[] {
  return Array.from({ length: count }, (_, i) => serialOf(i));
}

/**
 * Writes a million-line serial file and builds its tree with the SDK's `buildSerialTree`, as
 * `trace register` does with a packaging line's file.
 */
async function buildMillionTree(): Promise<{ tree: SerialTree; seconds: number }> {
  const dir = mkdtempSync(path.join(tmpdir(), "carechain-bench-"));
  try {
    const file = path.join(dir, "serials-1m.txt");
    const out = createWriteStream(file);
    const chunk = 10_000;
    for (let start = 0; start < 1_000_000; start += chunk) {
      const lines = Array.from({ length: chunk }, (_, k) => serialOf(start + k)).join("\n") + "\n";
      if (!out.write(lines)) await once(out, "drain");
    }
    out.end();
    await once(out, "finish");
    const started = performance.now();
    const tree = await buildSerialTree(file, { treeFile: path.join(dir, "serials-1m.tree.json") });
    return { tree, seconds: (performance.now() - started) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Word of the 256-unit bitmap a unit index falls in. */
function wordOf(index: bigint): bigint {
  return index >> 8n;
}

/**
 * The two units of an `n`-leaf tree, `2^(d-1) < n <= 2^d`, whose proofs have `d` levels: the
 * tree keeps leaves sorted by hash at the end of its node array, so the deepest are the smallest.
 */
function deepestUnits(tree: SerialTree, serials: readonly string[], depth: number): SerialProof[] {
  const ranked = serials
    .map((serial, i) => ({ serial, hash: leafHash(BigInt(i), serial) }))
    .sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0))
    .slice(0, 2);
  const units = ranked.map(({ serial }) => tree.proofFor(serial));
  for (const unit of units) {
    if (unit.proof.length !== depth) {
      throw new Error(
        `unit ${unit.index} of a ${serials.length}-unit tree has a ${unit.proof.length}-level proof, not ${depth}`,
      );
    }
  }
  return units;
}

/**
 * Registers a batch, ships `stock` units from the manufacturer to the pharmacy and accepts them.
 *
 * @example
 * const batchId = await stockPharmacy(suite, "LOT-7", tree, 10n);
 */
export async function stockPharmacy(
  suite: BenchSuite,
  lot: string,
  tree: Pick<SerialTree, "root" | "count">,
  stock: bigint,
): Promise<string> {
  const { drugTrace, manufacturer, pharmacy } = suite;
  const { batchId } = await registerBatch(drugTrace.connect(manufacturer), {
    gtin: BENCH_GTIN,
    lot,
    expiry: BENCH_EXPIRY,
    unitCount: BigInt(tree.count),
    serialsRoot: tree.root,
  });
  const { shipmentId } = await ship(drugTrace.connect(manufacturer), {
    batchId,
    to: await pharmacy.getAddress(),
    quantity: stock,
  });
  await acceptShipment(drugTrace.connect(pharmacy), shipmentId);
  return batchId;
}

/**
 * Dispenses `first` as the first unit of its bitmap word, then `second` sharing a word with a
 * unit already dispensed (opening `second`'s word with another unit when the two differ), and
 * returns both measurements. The pharmacy must hold enough stock to stay above zero.
 */
export async function dispensePair(
  suite: BenchSuite,
  batchId: string,
  units: readonly [SerialProof, SerialProof],
  openerFor: (word: bigint) => SerialProof | undefined,
): Promise<{ first: Measured; shared: Measured | undefined }> {
  const { connection, drugTrace, pharmacy } = suite;
  const asPharmacy = drugTrace.connect(pharmacy);
  const [a, b] = units;
  const first = await measureReceipt(
    connection,
    (await dispense(asPharmacy, batchId, a)).receipt,
    WRITES.dispenseFirstOfWord,
  );
  if (wordOf(b.index) !== wordOf(a.index)) {
    const opener = openerFor(wordOf(b.index));
    if (opener === undefined) return { first, shared: undefined };
    await dispense(asPharmacy, batchId, opener);
  }
  const shared = await measureReceipt(
    connection,
    (await dispense(asPharmacy, batchId, b)).receipt,
    WRITES.dispenseSharedWord,
  );
  return { first, shared };
}

/** The million-unit batch's lot. */
export const MILLION_LOT = "BENCH-1M";

/**
 * The DrugTrace part: registerBatch at 1, 1,000 and 1,000,000 units, the custody hand-off,
 * dispense at proof depths 1 to 20, recall.
 */
export async function benchDrugTrace(
  suite: BenchSuite,
  print: (line: string) => void,
): Promise<DrugTraceBench> {
  const { connection, drugTrace, manufacturer, distributor, pharmacy } = suite;
  const entries: Record<string, BenchEntry> = {};
  const asManufacturer = drugTrace.connect(manufacturer);

  // registerBatch: 1, 1,000 and 1,000,000 units; only calldata may differ.
  print("building the serial tree of a million units with the SDK (buildSerialTree)…");
  const { tree: millionTree, seconds: millionTreeSeconds } = await buildMillionTree();
  print(`  built in ${millionTreeSeconds.toFixed(1)} s, root ${millionTree.root}`);
  const sizes = [
    { key: "registerBatch:1", lot: "BENCH-1", tree: serialTreeOf(serialsOf(1)) },
    { key: "registerBatch:1000", lot: "BENCH-1K", tree: serialTreeOf(serialsOf(1000)) },
    { key: "registerBatch:1000000", lot: MILLION_LOT, tree: millionTree },
  ];
  const batchIds = new Map<string, string>();
  for (const { key, lot, tree } of sizes) {
    const registered = await registerBatch(asManufacturer, {
      gtin: BENCH_GTIN,
      lot,
      expiry: BENCH_EXPIRY,
      unitCount: BigInt(tree.count),
      serialsRoot: tree.root,
      metadataHash: id(`bench metadata ${lot}`),
    });
    batchIds.set(lot, registered.batchId);
    const measured = await measureReceipt(connection, registered.receipt, WRITES.registerBatch);
    entries[key] = {
      ...entryOf(measured, { target: TARGETS.registerBatch }),
      unitCount: tree.count,
    };
  }
  const millionBatch = batchIdOf(BENCH_GTIN, MILLION_LOT);

  // Custody: the contract's first shipment ever also starts its shipment counter; keep it out.
  const [distributorAddress, pharmacyAddress] = await Promise.all([
    distributor.getAddress(),
    pharmacy.getAddress(),
  ]);
  await ship(asManufacturer, {
    batchId: batchIds.get("BENCH-1") ?? "",
    to: distributorAddress,
    quantity: 1n,
  });
  const release = await ship(asManufacturer, {
    batchId: millionBatch,
    to: distributorAddress,
    quantity: 1000n,
  });
  entries["ship:first-release"] = entryOf(
    await measureReceipt(connection, release.receipt, WRITES.shipFirstRelease),
    {
      target: TARGETS.ship,
      notes:
        "The manufacturer's first shipment of a batch: registration writes no holding, so the first release sets the manufacturer's released count.",
    },
  );
  const shipped = await ship(asManufacturer, {
    batchId: millionBatch,
    to: distributorAddress,
    quantity: 1000n,
  });
  entries.ship = entryOf(await measureReceipt(connection, shipped.receipt, WRITES.ship), {
    target: TARGETS.ship,
    notes: "A holder that has shipped this batch before ships again (steady state).",
  });
  const asDistributor = drugTrace.connect(distributor);
  const firstAccept = await acceptShipment(asDistributor, release.shipmentId);
  entries["acceptShipment:first-of-batch"] = entryOf(
    await measureReceipt(connection, firstAccept.receipt, WRITES.acceptShipmentFirst),
    {
      target: TARGETS.acceptShipment,
      notes: "The recipient's first units of this batch: its holding goes from zero to non-zero.",
    },
  );
  const accepted = await acceptShipment(asDistributor, shipped.shipmentId);
  entries.acceptShipment = entryOf(
    await measureReceipt(connection, accepted.receipt, WRITES.acceptShipment),
    {
      target: TARGETS.acceptShipment,
      notes: "A recipient that already holds units of the batch (steady state).",
    },
  );
  const onward = await ship(asDistributor, {
    batchId: millionBatch,
    to: pharmacyAddress,
    quantity: 100n,
  });
  await acceptShipment(drugTrace.connect(pharmacy), onward.shipmentId);

  // dispense at proof depths 1 to 20: trees of 2^(d-1)+1 units (depth 20: the million-unit one).
  print("dispensing at proof depths 1 to 20…");
  let dispensedUnits: SerialProof[] = [];
  for (let depth = 1; depth <= 20; depth++) {
    let batchId: string;
    let units: SerialProof[];
    let tree: SerialTree;
    if (depth === 20) {
      batchId = millionBatch;
      tree = millionTree;
      units = [];
      for (let i = 0; units.length < 2; i++) {
        const unit = millionTree.proofFor(serialOf(i));
        if (unit.proof.length === 20) units.push(unit);
      }
      dispensedUnits = units;
    } else {
      const serials = serialsOf(2 ** (depth - 1) + 1);
      tree = serialTreeOf(serials);
      units = deepestUnits(tree, serials, depth);
      // A unit alone in the batch's last, partial word cannot share it: measure it first.
      const last = BigInt(serials.length - 1);
      if (units[1]?.index === last && wordOf(last) !== wordOf(last - 1n)) units.reverse();
      const stock = BigInt(serials.length) < STOCK ? BigInt(serials.length) : STOCK;
      batchId = await stockPharmacy(suite, `BENCH-D${depth}`, tree, stock);
    }
    const [a, b] = units as [SerialProof, SerialProof];
    const openerFor = (word: bigint): SerialProof | undefined => {
      for (let i = Number(word) * 256; i < Math.min(tree.count, Number(word + 1n) * 256); i++) {
        if (BigInt(i) !== a.index && BigInt(i) !== b.index) return tree.proofFor(serialOf(i));
      }
      return undefined;
    };
    // Depth 1 is a two-unit batch: its second dispense would empty the pharmacy's holding
    // (a refunded write), so only the first unit is measured.
    const measured =
      depth === 1
        ? {
            first: await measureReceipt(
              connection,
              (await dispense(drugTrace.connect(pharmacy), batchId, a)).receipt,
              WRITES.dispenseFirstOfWord,
            ),
            shared: undefined,
          }
        : await dispensePair(suite, batchId, [a, b], openerFor);
    const entry = entryOf(measured.first, { target: TARGETS.dispense });
    entries[`dispense:depth${depth}`] = {
      ...entry,
      firstUnitOfBitmapWord: true,
      treeLeaves: tree.count,
      proofLength: depth,
      ...(measured.shared === undefined
        ? {
            sharedWord: null,
            notes:
              "A two-unit batch: a second dispense would empty the pharmacy's holding, so only the first unit of the word is measured.",
          }
        : {
            sharedWord: {
              ...entryOf(measured.shared, { target: TARGETS.dispense }),
              firstUnitOfBitmapWord: false,
            },
          }),
    };
  }

  // recall by the batch's manufacturer.
  const recalled = await recall(asManufacturer, {
    batchId: batchIds.get("BENCH-1K") ?? "",
    reasonCode: 3n,
    evidenceHash: id("bench recall evidence"),
  });
  entries.recall = entryOf(await measureReceipt(connection, recalled.receipt, WRITES.recall), {
    target: TARGETS.recall,
  });

  // Trust against dishonest participants (issue 10): the prefix registry, names, bound sensors,
  // bounded flags. The CareChain module bound 9506000 to the manufacturer at deployment.
  print("measuring the prefix registry, names, sensors and flags…");
  const { admin, regulator } = suite;
  const contractManufacturer = suite.account(10);
  const contractManufacturerAddress = await contractManufacturer.getAddress();
  await grantTradeRole(drugTrace.connect(admin), "MANUFACTURER", contractManufacturerAddress);
  const authorized = await authorizeContractManufacturer(asManufacturer, {
    prefix: parseCompanyPrefix("9506000"),
    manufacturer: contractManufacturerAddress,
  });
  entries.authorizeContractManufacturer = entryOf(
    await measureReceipt(connection, authorized.receipt, WRITES.authorizeContractManufacturer),
  );
  const byContractManufacturer = await registerBatch(drugTrace.connect(contractManufacturer), {
    gtin: BENCH_GTIN,
    prefixLength: 7,
    lot: "BENCH-CMO",
    expiry: BENCH_EXPIRY,
    unitCount: BigInt(millionTree.count),
    serialsRoot: millionTree.root,
    metadataHash: id("bench metadata BENCH-CMO"),
  });
  entries["registerBatch:contract-manufacturer"] = {
    ...entryOf(
      await measureReceipt(connection, byContractManufacturer.receipt, WRITES.registerBatch),
      {
        target: TARGETS.registerBatch,
        notes:
          "A million units registered by a contract manufacturer the brand owner authorized: the ownership check reads the prefix record and, for a contract manufacturer, its authorization (two cold reads).",
      },
    ),
    unitCount: millionTree.count,
  };
  const bound = await bindCompanyPrefix(drugTrace.connect(admin), {
    prefix: parseCompanyPrefix("4006381"),
    owner: await suite.account(11).getAddress(),
    name: "Rival Generics Ltd",
  });
  entries.bindCompanyPrefix = entryOf(
    await measureReceipt(connection, bound.receipt, WRITES.bindCompanyPrefix),
    {
      notes:
        "A 7-digit prefix with its owner's name. Not counted in the floor: the overlap counter of its one shorter (6-digit) prefix, which lets a later binding refuse an overlap in constant time.",
    },
  );
  const named = await setParticipantName(
    drugTrace.connect(regulator),
    distributorAddress,
    "Northwind Pharma Logistics",
  );
  entries.setParticipantName = entryOf(
    await measureReceipt(connection, named.receipt, WRITES.setParticipantName),
  );
  const sensor = suite.account(5);
  const sensorBound = await bindSensor(drugTrace.connect(pharmacy), await sensor.getAddress());
  entries.bindSensor = entryOf(
    await measureReceipt(connection, sensorBound.receipt, WRITES.bindSensor),
  );
  const watched = await stockPharmacy(suite, "BENCH-EXC", serialTreeOf(serialsOf(16)), 10n);
  const excursion = await reportExcursion(drugTrace.connect(sensor), {
    batchId: watched,
    readingHash: id("bench logger export"),
    extremeCentiCelsius: 1250n,
  });
  entries.reportExcursion = entryOf(
    await measureReceipt(connection, excursion.receipt, WRITES.reportExcursion),
    {
      notes:
        "The sensor's custodian (the pharmacy) holds units of the batch: the binding, the batch record and the custodian's holding are read before the batch is quarantined.",
    },
  );
  const released = await releaseQuarantine(asManufacturer, watched);
  entries.releaseQuarantine = entryOf(
    await measureReceipt(connection, released.receipt, WRITES.releaseQuarantine),
  );
  const flagged = await flagSuspect(drugTrace.connect(pharmacy), {
    batchId: watched,
    index: 3n,
    serial: serialOf(3),
    verdict: "Active",
    evidenceHash: id("bench scan log"),
  });
  entries.flagSuspect = entryOf(
    await measureReceipt(connection, flagged.receipt, WRITES.flagSuspect),
    {
      notes:
        "The reporter's first open flag (its open-flag count goes from zero). Not counted in the floor: the flag counter, which shares a slot with the shipment counter.",
    },
  );

  return {
    entries,
    millionTree,
    millionTreeSeconds,
    millionLot: MILLION_LOT,
    dispensedUnits,
  };
}
