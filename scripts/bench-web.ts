/**
 * `npm run bench:web`: what the verifier page costs a phone. Prints
 *  - the page's files and their sizes (raw and gzip): what a first visit loads, and what the
 *    first scan adds (the barcode polyfill chunk and ZXing's .wasm, loaded only then);
 *  - the bytes fetched per check, for lots of 40, 1,000 and 1,000,000 units: one `checkPack`
 *    exactly as the page runs it (resolver answer + chain calls, through a node behind a
 *    10,000-block log cap), counted as response bodies on the wire. The in-browser count with
 *    headers is printed by `npm run test:web` ("measured: … B fetched per check").
 * Every process it starts is stopped by its PID.
 */
import { rm } from "node:fs/promises";
import path from "node:path";

import { JsonRpcProvider, Network } from "ethers";
import { network } from "hardhat";

import {
  checkPack,
  formatElementString,
  registerBatch,
  resolverProofSource,
  serialTreeOf,
} from "../sdk/drug-trace/index.js";
import type { SerialTree } from "../sdk/drug-trace/index.js";
import { formatNumber, formatTable } from "../tasks/lib/terminal.js";
import { startCappedRpc } from "../support/capped-rpc.js";
import { deployDrugTraceModule, setUpTrade } from "../support/fixtures/drug-trace.js";
import { startHardhatNode } from "../support/hardhat-node.js";
import { startVerificationStub } from "../support/verification-stub.js";
import { buildWebPage } from "../support/web-page.js";

const GTIN = "09506000134352";
const LOT_SIZES = [40, 1_000, 1_000_000];
const DEPLOYMENT_ID = `bench-web-${process.pid}`;
const EXPIRY = BigInt(Date.UTC(2030, 11, 31, 23, 59, 59) / 1000);

const build = await buildWebPage();
const firstVisit = build.assets.filter(
  (asset) => !asset.file.includes("chunks/ponyfill") && !asset.file.endsWith(".wasm"),
);
const sum = (key: "bytes" | "gzipBytes", assets: typeof build.assets): number =>
  assets.reduce((total, asset) => total + asset[key], 0);
console.log("verifier page files (npm run build:web)");
console.log(
  formatTable(
    ["file", "bytes", "gzip"],
    [
      ...build.assets.map((asset) => [
        asset.file,
        formatNumber(asset.bytes),
        formatNumber(asset.gzipBytes),
      ]),
      [
        "first visit (html, css, js)",
        formatNumber(sum("bytes", firstVisit)),
        formatNumber(sum("gzipBytes", firstVisit)),
      ],
      [
        "all, after the first scan",
        formatNumber(sum("bytes", build.assets)),
        formatNumber(sum("gzipBytes", build.assets)),
      ],
    ],
  ),
);

// the trees first: hashing a million serials keeps the event loop busy for a while
const trees = new Map<string, SerialTree>();
for (const size of LOT_SIZES) {
  const started = performance.now();
  trees.set(`${GTIN}/BENCH-${size}`, serialTreeOf(Array.from({ length: size }, (_, i) => `S${i}`)));
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`lot of ${formatNumber(size)} units: tree built in ${seconds} s`);
}

const node = await startHardhatNode();
const rpc = await startCappedRpc(node.url, 10_000);
let resolver: Awaited<ReturnType<typeof startVerificationStub>> | undefined;
try {
  const { ethers, ignition } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const [admin, manufacturer] = await ethers.getSigners();
  if (admin === undefined || manufacturer === undefined) throw new Error("too few accounts");
  const drugTrace = await deployDrugTraceModule({ ethers, ignition }, admin.address, DEPLOYMENT_ID);
  const address = await drugTrace.getAddress();
  // DrugTrace registers a GTIN only for the owner of its GS1 Company Prefix (9506000).
  await setUpTrade(drugTrace, admin, { MANUFACTURER: manufacturer.address }, GTIN);
  for (const size of LOT_SIZES) {
    const tree = trees.get(`${GTIN}/BENCH-${size}`);
    if (tree === undefined) throw new Error(`no tree for ${size}`);
    await registerBatch(drugTrace.connect(manufacturer), {
      gtin: BigInt(GTIN),
      lot: `BENCH-${size}`,
      expiry: EXPIRY,
      unitCount: BigInt(size),
      serialsRoot: tree.root,
    });
  }
  resolver = await startVerificationStub(trees, 31337, address);
  const chain = Network.from(31337n);
  const reader = new JsonRpcProvider(rpc.url, chain, { staticNetwork: chain, batchMaxCount: 1 });
  const page = drugTrace.connect(reader);
  const source = resolverProofSource(resolver.url);
  const rows: string[][] = [];
  for (const size of LOT_SIZES) {
    const serial = `S${Math.floor(size / 2)}`;
    const code = formatElementString({ gtin: GTIN, lot: `BENCH-${size}`, serial });
    const before = { resolver: resolver.bytesOut.total, chain: rpc.bytesOut.total };
    const check = await checkPack(page, code, source, { dispensing: true });
    const resolverBytes = resolver.bytesOut.total - before.resolver;
    const chainBytes = rpc.bytesOut.total - before.chain;
    rows.push([
      formatNumber(size),
      check.status,
      String(check.unit?.proof.length ?? 0),
      formatNumber(resolverBytes),
      formatNumber(chainBytes),
      formatNumber(resolverBytes + chainBytes),
    ]);
  }
  reader.destroy();
  console.log("\nbytes fetched per check (response bodies; goal ≤ 5,120)");
  console.log(formatTable(["lot size", "verdict", "proof", "resolver", "chain", "total"], rows));
} finally {
  await resolver?.close();
  await rpc.close();
  await node.stop();
  await rm(path.join("ignition", "deployments", DEPLOYMENT_ID), { recursive: true, force: true });
}
