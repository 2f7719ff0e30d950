/*
 * `npm run test:web`: the verifier page in a real browser against a real chain and a resolver.
 *
 * Starts `hardhat node` on a free port behind a proxy that caps `eth_getLogs` at 10,000 blocks
 * (as public providers do), deploys DrugTrace with its Ignition module, registers batches, moves
 * and dispenses packs, mines a million blocks between the registration and the latest steps,
 * starts a GS1 Digital Link verification service for the batches, builds and serves the page, and
 * drives Debian's chromium (playwright-core over CDP; no browser download) through every verdict
 * (genuine, dispensed, copied code, dispensed long ago, recalled, quarantined, expired, expiry
 * mismatch, unknown serial and lot, a dishonest resolver), the fake camera (a rendered GS1
 * DataMatrix, through the ZXing WebAssembly polyfill with BarcodeDetector removed), the photo
 * upload (DataMatrix and a Digital Link QR code), node down, resolver down, a phone-sized screen
 * and axe-core at phone and desktop sizes. It records every request the page makes: none may
 * leave the page's origin, the chain and the resolver, and no tree file is ever fetched; it prints
 * the bytes fetched per check. Every process it starts is stopped by its PID, whatever happens.
 * The last line is "N passed, N failed"; the exit code is non-zero on any failure.
 *
 * Needs: apt-get install chromium (or CHROMIUM=/path/to/chrome).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import path from "node:path";

import bwipjs from "bwip-js";
import type { Interface } from "ethers";
import { Contract, id } from "ethers";
import { network } from "hardhat";
import type { BrowserContext, Page } from "playwright-core";
import type { ContractTransactionResponse } from "ethers";

import {
  acceptShipment,
  bindSensor,
  buildSerialTree,
  dispense,
  flagSuspect,
  formatDigitalLink,
  formatElementString,
  formatExpiry,
  grantDrugTraceRole,
  recall,
  registerBatch,
  reportExcursion,
  ship,
  treeFileNameOf,
} from "../sdk/drug-trace/index.js";
import type { PackCode, SerialTree } from "../sdk/drug-trace/index.js";
import { startCappedRpc } from "../support/capped-rpc.js";
import type { CappedRpc } from "../support/capped-rpc.js";
import { stopChild } from "../support/child-process.js";
import { deployDrugTraceModule, setUpTrade } from "../support/fixtures/drug-trace.js";
import { findFreePort, startHardhatNode } from "../support/hardhat-node.js";
import type { RunningNode } from "../support/hardhat-node.js";
import { startVerificationStub } from "../support/verification-stub.js";
import type { VerificationStub } from "../support/verification-stub.js";
import { check, expectEqual, expectIncludes, failOutsideChecks, reportChecks } from "./checks.js";
import { startChromium } from "./chromium.js";
import type { RunningChromium } from "./chromium.js";
import { buildWebPage, startWebServer, WEB_ROOT } from "../support/web-page.js";
import type { WebServer } from "../support/web-page.js";

const GTIN = "09506000134352";
const LOT = "LOT-WEB1";
const RECALLED_LOT = "LOT-WEB2";
const QUARANTINED_LOT = "LOT-WEB3";
const EXPIRING_LOT = "LOT-WEB4";
const EXPIRY = "301231";
/** Serial `n` of the test lots: SN00001, SN00002, … */
const serialOf = (n: number): string => `SN${String(n).padStart(5, "0")}`;
const SERIALS = Array.from({ length: 40 }, (_, i) => serialOf(i + 1));
const GENUINE = serialOf(7);
const SCANNED = serialOf(8);
const MEASURED = serialOf(12);
const DISPENSED_LONG_AGO = serialOf(1);
const JUST_DISPENSED = serialOf(3);
const COPIED = serialOf(5);
const FLAGGED_NEIGHBOUR = serialOf(9);
const LOG_RANGE_CAP = 10_000;
const MINED_BLOCKS = 1_000_000;
const DAY = 86_400;
const DEPLOYMENT_ID = `web-test-${process.pid}`;
const require = createRequire(import.meta.url);

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                  Results, as a test runner
// ─────────────────────────────────────────────────────────────────────────────────────────────

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                           The resolver (npm run resolver), by its PID
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface RunningResolver {
  readonly url: string;
  stop(): Promise<void>;
}

/** Starts services/resolver on a free port; its first stdout line names the URL. */
async function startResolver(port: number, args: readonly string[]): Promise<RunningResolver> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "services/resolver/main.ts",
      "--port",
      String(port),
      "--rescan",
      "0",
      ...args,
    ],
    { cwd: path.join(WEB_ROOT, ".."), stdio: ["ignore", "pipe", "pipe"] },
  );
  const pid = child.pid;
  const stdout = child.stdout;
  if (pid === undefined || stdout === null) throw new Error("the resolver did not start");
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  const stop = (): Promise<void> => stopChild(child);
  try {
    const first = await new Promise<string>((resolve, reject) => {
      createInterface({ input: stdout }).once("line", resolve);
      child.once("exit", (code) => {
        reject(new Error(`the resolver exited with ${String(code)}: ${log}`));
      });
    });
    const found = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
    if (found?.[1] === undefined) throw new Error(`the resolver said ${JSON.stringify(first)}`);
    return { url: found[1], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                 Pack codes as pictures
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The GS1 element string bwip-js encodes (it adds the FNC1s), e.g. `(01)…(17)…(10)…(21)…`. */
function gs1Text(code: PackCode): string {
  return `(01)${code.gtin}(17)${code.expiry ?? EXPIRY}(10)${code.lot}(21)${code.serial}`;
}

/**
 * A .y4m video (YUV 4:2:0, one frame that chromium loops) of a GS1 DataMatrix on white, as a fake
 * camera plays it: 640×480, the symbol 10 pixels per module in the middle.
 */
function dataMatrixVideo(code: PackCode): Buffer {
  const [symbol] = bwipjs.raw("gs1datamatrix", gs1Text(code), {}) as {
    pixs: number[];
    pixx: number;
    pixy: number;
  }[];
  if (symbol === undefined) throw new Error("bwip-js drew no symbol");
  const width = 640;
  const height = 480;
  const scale = 10;
  const left = Math.floor((width - symbol.pixx * scale) / 2);
  const top = Math.floor((height - symbol.pixy * scale) / 2);
  const luma = Buffer.alloc(width * height, 235);
  for (let y = 0; y < symbol.pixy * scale; y++) {
    for (let x = 0; x < symbol.pixx * scale; x++) {
      const dark = symbol.pixs[Math.floor(y / scale) * symbol.pixx + Math.floor(x / scale)] === 1;
      if (dark) luma[(top + y) * width + left + x] = 16;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  return Buffer.concat([
    Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\nFRAME\n`),
    luma,
    chroma,
  ]);
}

/** A PNG "photo" of a GS1 DataMatrix, or of a QR code holding a Digital Link. */
async function photo(kind: "gs1datamatrix" | "qrcode", text: string): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: kind,
    text,
    scale: 6,
    paddingwidth: 12,
    paddingheight: 12,
    backgroundcolor: "FFFFFF",
  });
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                      The page's answers
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface Shown {
  status: string;
  tone: string;
  title: string;
  text: string;
  details: string;
  events: string[];
  product: {
    gtin: string;
    lot: string;
    serial: string;
    expiry: string;
    manufacturer: string;
    dispensed: string;
  };
}

/** Statuses after which the page reads and shows the journey. */
const WITH_JOURNEY = ["Active", "Dispensed", "Recalled", "Quarantined", "Expired", "Suspect"];

/** What the page shows once it has decided (only playwright locators: no DOM types here). */
async function readShown(page: Page): Promise<Shown> {
  await page.locator('#verdict:not([data-status="idle"]):not([data-status="Checking"])').waitFor();
  const status = (await page.getAttribute("#verdict", "data-status")) ?? "";
  if (WITH_JOURNEY.includes(status)) await page.locator("#journey:not([hidden])").waitFor();
  const text = async (selector: string): Promise<string> =>
    (await page.locator(selector).count()) === 0
      ? ""
      : ((await page.locator(selector).first().textContent()) ?? "").trim();
  const events: string[] = [];
  for (const row of await page.locator("#journey-rows tr").all()) {
    events.push((await row.getAttribute("data-event")) ?? "");
  }
  return {
    status,
    tone: (await page.getAttribute("#verdict", "data-tone")) ?? "",
    title: await text("#verdict .verdict-title"),
    text: await text("#verdict .verdict-text"),
    details: await text("#verdict .verdict-details"),
    events,
    product: {
      gtin: await text("#product-gtin"),
      lot: await text("#product-lot"),
      serial: await text("#product-serial"),
      expiry: await text("#product-expiry"),
      manufacturer: await text("#product-manufacturer"),
      dispensed: await text("#product-dispensed"),
    },
  };
}

/** Types `code` into the page, submits, and reads what the page shows. */
async function verifyOnPage(page: Page, code: string): Promise<Shown> {
  await page.fill("#code", code);
  await page.click("#verify");
  return readShown(page);
}

/** axe-core's violations on the page as it is now, as "rule: nodes" lines. */
async function axeViolations(page: Page): Promise<string[]> {
  const axe = require("axe-core") as { source: string };
  await page.addScriptTag({ content: axe.source });
  const found = await page.evaluate<string>(
    "axe.run(document, { resultTypes: ['violations'] }).then((r) => JSON.stringify(r.violations.map((v) => v.id + ': ' + v.nodes.map((n) => n.target.join(' ')).join(', '))))",
  );
  return JSON.parse(found) as string[];
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                          Run
// ─────────────────────────────────────────────────────────────────────────────────────────────

let node: RunningNode | undefined;
let rpc: CappedRpc | undefined;
let resolver: RunningResolver | undefined;
/** A second resolver the test controls: it counts lookups and can lie. */
let stub: VerificationStub | undefined;
let server: WebServer | undefined;
let browser: RunningChromium | undefined;
/** What one check fetched up to its verdict (printed at the end, for the benchmark). */
let perCheck: { resolver: number; chain: number; requests: number } | undefined;
const workDirectory = await mkdtemp(path.join(tmpdir(), "carechain-web-test-"));

try {
  console.log("verifier page in chromium");
  node = await startHardhatNode();
  const { ethers, ignition, provider } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const [admin, manufacturer, distributor, pharmacy, sensor] = await ethers.getSigners();
  if (
    admin === undefined ||
    manufacturer === undefined ||
    distributor === undefined ||
    pharmacy === undefined ||
    sensor === undefined
  ) {
    throw new Error("the node has fewer than five accounts");
  }
  const drugTrace = await deployDrugTraceModule({ ethers, ignition }, admin.address, DEPLOYMENT_ID);
  const address = await drugTrace.getAddress();
  // DrugTrace registers a GTIN only for the owner of its GS1 Company Prefix (9506000).
  const parties = {
    MANUFACTURER: manufacturer.address,
    DISTRIBUTOR: distributor.address,
    DISPENSER: pharmacy.address,
  };
  await setUpTrade(drugTrace, admin, parties, GTIN);

  await grantDrugTraceRole(drugTrace.connect(admin), "SENSOR", sensor.address);
  await grantDrugTraceRole(drugTrace.connect(admin), "REGULATOR", admin.address);

  // participant names, where the deployment has them (nameOf, set by a regulator)
  const PHARMACY_NAME = "Apotheke am Markt";
  const namesSupported =
    (drugTrace.interface as Interface).getFunction("setParticipantName") !== null;
  if (namesSupported) {
    const names = new Contract(address, ["function setParticipantName(address,string)"], admin);
    const sent = (await names.getFunction("setParticipantName")(
      pharmacy.address,
      PHARMACY_NAME,
    )) as ContractTransactionResponse;
    await sent.wait();
  }

  const now = async (): Promise<bigint> =>
    BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  const trees = new Map<string, SerialTree>();
  const treeDirectory = path.join(workDirectory, "trees");
  await mkdir(treeDirectory);
  const register = async (lot: string, expiry: bigint): Promise<string> => {
    // the manufacturer's tree file, as trace register writes it, for the resolver
    const serialFile = path.join(workDirectory, `${lot}.txt`);
    await writeFile(serialFile, (lot === LOT ? SERIALS : SERIALS.slice(0, 12)).join("\n") + "\n");
    const tree = await buildSerialTree(serialFile, {
      gtin: GTIN,
      lot,
      treeFile: path.join(treeDirectory, treeFileNameOf(GTIN, lot)),
    });
    trees.set(`${GTIN}/${lot}`, tree);
    const { batchId } = await registerBatch(drugTrace.connect(manufacturer), {
      gtin: BigInt(GTIN),
      lot,
      expiry,
      unitCount: BigInt(tree.count),
      serialsRoot: tree.root,
    });
    return batchId;
  };
  const proofOf = (lot: string, serial: string) => {
    const tree = trees.get(`${GTIN}/${lot}`);
    if (tree === undefined) throw new Error(`no tree for ${lot}`);
    return tree.proofFor(serial);
  };

  // the batch, moved to a pharmacy; a batch that expires in ten days
  const { timestamp: expiryOf } = { timestamp: BigInt(Date.UTC(2030, 11, 31, 23, 59, 59) / 1000) };
  const batchId = await register(LOT, expiryOf);
  const expiringAt = (await now()) + 10n * BigInt(DAY);
  await register(EXPIRING_LOT, expiringAt);
  // manufacturer → distributor (30 packs) → pharmacy (10), each hand-off accepted
  for (const [from, to, quantity] of [
    [manufacturer, distributor, 30n],
    [distributor, pharmacy, 10n],
  ] as const) {
    const { shipmentId } = await ship(drugTrace.connect(from), {
      batchId,
      to: to.address,
      quantity,
    });
    await acceptShipment(drugTrace.connect(to), shipmentId);
  }
  await dispense(drugTrace.connect(pharmacy), batchId, proofOf(LOT, DISPENSED_LONG_AGO));

  // a hundred days and a million blocks later…
  await provider.request({ method: "evm_increaseTime", params: [100 * DAY] });
  await provider.request({ method: "hardhat_mine", params: [`0x${MINED_BLOCKS.toString(16)}`] });

  await dispense(drugTrace.connect(pharmacy), batchId, proofOf(LOT, JUST_DISPENSED));
  await dispense(drugTrace.connect(pharmacy), batchId, proofOf(LOT, COPIED));
  // a suspect report about another pack of the batch: not this pack's journey
  await flagSuspect(drugTrace.connect(pharmacy), {
    batchId,
    ...proofOf(LOT, FLAGGED_NEIGHBOUR),
    verdict: "Active",
    evidenceHash: id("damaged seal"),
  });
  const recalledBatch = await register(RECALLED_LOT, expiryOf);
  await recall(drugTrace.connect(manufacturer), {
    batchId: recalledBatch,
    reasonCode: 1n,
    evidenceHash: id("recall notice"),
  });
  const quarantinedBatch = await register(QUARANTINED_LOT, expiryOf);
  // the manufacturer's warehouse sensor, bound to it: it reports only on stock its custodian holds
  await bindSensor(drugTrace.connect(manufacturer), sensor.address);
  await reportExcursion(drugTrace.connect(sensor), {
    batchId: quarantinedBatch,
    readingHash: id("sensor log"),
    extremeCentiCelsius: 1250n,
  });

  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  rpc = await startCappedRpc(node.url, LOG_RANGE_CAP);
  await buildWebPage();
  server = await startWebServer();
  stub = await startVerificationStub(trees, chainId, address);
  stub.lookups.set(COPIED, 12);
  stub.lookups.set(JUST_DISPENSED, 1);
  const pageUrl = (overrides: Record<string, string> = {}): string =>
    `${server?.url ?? ""}?${new URLSearchParams({
      rpc: rpc?.url ?? "",
      address,
      resolver: resolver?.url ?? "",
      ...overrides,
    }).toString()}`;
  const resolverPort = await findFreePort();
  resolver = await startResolver(resolverPort, [
    "--trees",
    treeDirectory,
    "--chain-id",
    String(chainId),
    "--contract",
    address,
    "--verifier",
    // the page with its settings: the resolver's 307 adds &code=<the Digital Link>
    `${server.url}?${new URLSearchParams({
      rpc: rpc.url,
      address,
      resolver: `http://127.0.0.1:${resolverPort}`,
    }).toString()}`,
  ]);
  console.log(
    `  chain ${node.url} (behind a ${LOG_RANGE_CAP}-block log cap at ${rpc.url}), DrugTrace ${address}, resolver ${resolver.url} (counting stand-in ${stub.url}), page ${server.url}`,
  );

  const fakeCamera = path.join(workDirectory, "pack.y4m");
  await writeFile(
    fakeCamera,
    dataMatrixVideo({ gtin: GTIN, lot: LOT, serial: SCANNED, expiry: EXPIRY }),
  );
  const profile = path.join(workDirectory, "profile");
  // a camera that films the rendered pack code, granted without a prompt
  browser = await startChromium(profile, [
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
    `--use-file-for-fake-video-capture=${fakeCamera}`,
  ]);
  const context: BrowserContext =
    browser.browser.contexts()[0] ?? (await browser.browser.newContext());
  await context.grantPermissions(["camera"]);

  const pageErrors: string[] = [];
  const requests: string[] = [];
  const bytes = { resolver: 0, rpc: 0, other: 0 };
  const fetched: { origin: string; startedAt: number; bytes: number }[] = [];
  const watch = (page: Page): void => {
    page.on("pageerror", (error) => pageErrors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
        pageErrors.push(message.text());
      }
    });
    page.on("request", (request) => requests.push(request.url()));
    page.on("requestfinished", (request) => {
      void request.sizes().then((sizes) => {
        const total = sizes.responseBodySize + sizes.responseHeadersSize;
        const origin = new URL(request.url()).origin;
        if (origin === resolver?.url || origin === stub?.url) bytes.resolver += total;
        else if (origin === rpc?.url) bytes.rpc += total;
        else bytes.other += total;
        if (request.method() !== "OPTIONS") {
          fetched.push({ origin, startedAt: request.timing().startTime, bytes: total });
        }
      });
    });
  };
  /** Bytes fetched by requests that started between `from` and a later time, by origin. */
  const measureFrom =
    (from: number) =>
    (until: number): { resolver: number; rpc: number; requests: number } => {
      const within = fetched.filter((entry) => entry.startedAt >= from && entry.startedAt <= until);
      const sum = (origin: string | undefined): number =>
        within
          .filter((entry) => entry.origin === origin)
          .reduce((total, entry) => total + entry.bytes, 0);
      return { resolver: sum(resolver?.url), rpc: sum(rpc?.url), requests: within.length };
    };
  /** Loads the page at `url` in `tab` and waits until it says it is ready. */
  const load = async (tab: Page, url: string): Promise<void> => {
    await tab.goto(url);
    await tab.locator('html[data-ready="true"]').waitFor({ state: "attached" });
  };
  const page = await context.newPage();
  watch(page);
  await page.setViewportSize({ width: 1000, height: 1100 });
  await load(page, pageUrl());
  /** Runs `use` in a new, watched tab, then closes it and brings the main page to the front. */
  const inNewTab = async (use: (tab: Page) => Promise<void>): Promise<void> => {
    const tab = await context.newPage();
    watch(tab);
    try {
      await use(tab);
    } finally {
      await tab.close();
      await page.bringToFront();
    }
  };

  const pack = (serial: string, lot = LOT, expiry = EXPIRY): PackCode => ({
    gtin: GTIN,
    lot,
    serial,
    expiry,
  });
  const link = (serial: string, lot = LOT): string =>
    formatDigitalLink(pack(serial, lot), "https://id.gs1.org");
  const elements = (serial: string, lot = LOT, expiry = EXPIRY): string =>
    formatElementString(pack(serial, lot, expiry));
  const pharmacyWords = namesSupported ? PHARMACY_NAME : pharmacy.address.slice(0, 6);

  await check(
    "a genuine pack is Genuine; its journey crosses a million blocks through a 10,000-block log cap",
    async () => {
      await verifyOnPage(page, link(SCANNED)); // warm-up: connection, settings
      const before = { ...bytes };
      const shown = await verifyOnPage(page, link(GENUINE));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expectEqual([shown.status, shown.title], ["Active", "Genuine"], "verdict");
      expectEqual(
        [shown.product.gtin, shown.product.lot, shown.product.serial],
        [GTIN, LOT, GENUINE],
        "product",
      );
      expectIncludes(shown.product.expiry, "2030", "expiry");
      expectIncludes(shown.product.manufacturer, manufacturer.address.slice(0, 6), "manufacturer");
      expectEqual(
        shown.events,
        ["BatchRegistered", "ShipmentSent", "ShipmentAccepted", "ShipmentSent", "ShipmentAccepted"],
        "journey rows (no other pack's dispensing or suspect report)",
      );
      expectEqual(
        (rpc?.logQueries.refused ?? 0) > 0,
        true,
        "the capped node refused wide log queries",
      );
      expectEqual(
        (rpc?.logQueries.answered ?? 0) >= MINED_BLOCKS / LOG_RANGE_CAP,
        true,
        "log windows read",
      );
      console.log(
        `      bytes fetched for this check and its journey: resolver ${bytes.resolver - before.resolver} B, chain ${bytes.rpc - before.rpc} B`,
      );
      await page.screenshot({ path: path.join(WEB_ROOT, "dist", "verifier.png"), fullPage: true });
    },
  );

  await check(
    "a phone's browser opening the pack's Digital Link lands on the page, checked (307)",
    () =>
      inNewTab(async (opened) => {
        await opened.goto(`${resolver?.url ?? ""}/01/${GTIN}/10/${LOT}/21/${GENUINE}?17=${EXPIRY}`);
        const shown = await readShown(opened);
        expectEqual([shown.status, shown.product.serial], ["Active", GENUINE], "verdict");
        expectEqual(
          new URL(opened.url()).origin,
          new URL(server?.url ?? "").origin,
          "landed on the page",
        );
      }),
  );

  await check("the verdict costs at most 5 KB fetched: one resolver answer plus chain calls", () =>
    inNewTab(async (fresh) => {
      await load(fresh, pageUrl());
      await verifyOnPage(fresh, link(SCANNED)); // the connection is set up once per visit
      await fresh.evaluate("performance.clearMarks()");
      const from = Date.now();
      const measured = measureFrom(from);
      // a pack this browser has not looked up: the resolver's answer is cacheable (max-age)
      await verifyOnPage(fresh, link(MEASURED));
      const verdictAt = await fresh.evaluate<number>(
        "performance.timeOrigin + performance.getEntriesByName('carechain:verdict').at(-1).startTime",
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      const { resolver: resolverBytes, rpc: chainBytes, requests: count } = measured(verdictAt);
      perCheck = { resolver: resolverBytes, chain: chainBytes, requests: count };
      console.log(
        `      verdict: ${count} requests, resolver ${resolverBytes} B + chain ${chainBytes} B = ${resolverBytes + chainBytes} B fetched (bodies and headers)`,
      );
      expectEqual(resolverBytes > 0, true, "one resolver answer");
      expectEqual(
        resolverBytes + chainBytes <= 5 * 1024,
        true,
        `${resolverBytes + chainBytes} B fetched`,
      );
    }),
  );

  await check(
    "a just-dispensed pack reads 'Dispensed by <pharmacy> on <date>', no warning",
    async () => {
      const shown = await verifyOnPage(page, elements(JUST_DISPENSED));
      expectEqual([shown.status, shown.tone], ["Dispensed", "ok"], "verdict");
      expectIncludes(shown.title, `Dispensed by ${pharmacyWords}`, "title");
      expectIncludes(shown.product.dispensed, pharmacyWords, "dispensed by");
      expectEqual(
        shown.events.filter((event) => event === "UnitDispensed").length,
        1,
        "only this pack's dispensing",
      );
      expectEqual(shown.events.at(-1), "UnitDispensed", "last journey row");
      await page.bringToFront();
      await page.screenshot({ path: path.join(WEB_ROOT, "dist", "verifier-dispensed.png") });
    },
  );

  const counting = await context.newPage();
  watch(counting);
  await load(counting, pageUrl({ resolver: stub.url }));

  await check(
    "a dispensed pack looked up 12 times since warns (copied code; a resolver that counts)",
    async () => {
      const shown = await verifyOnPage(counting, elements(COPIED));
      expectEqual([shown.status, shown.tone], ["Dispensed", "warn"], "verdict");
      expectIncludes(shown.text, "looked up 12 times since it was dispensed", "reason");
      expectIncludes(shown.text, pharmacyWords, "pharmacy");
    },
  );

  await check("a pack dispensed over 90 days ago warns", async () => {
    const shown = await verifyOnPage(page, elements(DISPENSED_LONG_AGO));
    expectEqual([shown.status, shown.tone], ["Dispensed", "warn"], "verdict");
    expectIncludes(shown.text, "days ago", "reason");
  });

  await check("a pack of a recalled batch is Recalled, the recall in the journey", async () => {
    const shown = await verifyOnPage(page, elements(GENUINE, RECALLED_LOT));
    expectEqual([shown.status, shown.title], ["Recalled", "Recalled"], "verdict");
    expectEqual(shown.events, ["BatchRegistered", "BatchRecalled"], "journey rows");
  });

  await check("a pack of a quarantined batch is Quarantined", async () => {
    const shown = await verifyOnPage(page, elements(GENUINE, QUARANTINED_LOT));
    expectEqual([shown.status, shown.title], ["Quarantined", "Quarantined"], "verdict");
    expectEqual(shown.events.includes("BatchQuarantined"), true, "quarantine in the journey");
  });

  await check("a pack past its expiry is Expired", async () => {
    const printed = formatExpiry(expiringAt);
    const shown = await verifyOnPage(page, elements(GENUINE, EXPIRING_LOT, printed));
    expectEqual([shown.status, shown.title], ["Expired", "Expired"], "verdict");
  });

  await check("a printed expiry that differs from the registered one is suspect", async () => {
    const shown = await verifyOnPage(page, elements(GENUINE, LOT, "301130"));
    expectEqual([shown.status, shown.tone], ["Suspect", "bad"], "verdict");
    expectIncludes(shown.text, "2030-11-30", "printed date");
  });

  await check(
    "an unknown serial and an unknown lot are Not genuine, without a journey",
    async () => {
      for (const code of [elements("SN99999"), `(01)${GTIN}(10)NOSUCHLOT(21)${GENUINE}`]) {
        const shown = await verifyOnPage(page, code);
        expectEqual([shown.status, shown.title], ["Unknown", "Not genuine"], code);
        expectEqual(await page.isHidden("#journey"), true, "journey hidden");
      }
    },
  );

  await check(
    "a dishonest resolver's proof of another pack cannot make a pack genuine",
    async () => {
      const other = proofOf(LOT, SERIALS[20] ?? "");
      if (stub !== undefined) {
        stub.tamper = (answer) => ({
          ...answer,
          index: other.index.toString(),
          proof: other.proof,
        });
      }
      try {
        const shown = await verifyOnPage(counting, elements("SN00011"));
        expectEqual([shown.status, shown.title], ["Unknown", "Not genuine"], "verdict");
        expectIncludes(shown.details, "proof does not verify", "details");
      } finally {
        if (stub !== undefined) stub.tamper = undefined;
      }
    },
  );

  await check("a mistyped GTIN shows the SDK's check-digit message", async () => {
    const shown = await verifyOnPage(page, `(01)09506000134353(10)${LOT}(21)${GENUINE}`);
    expectEqual(shown.status, "Invalid", "verdict status");
    expectIncludes(
      shown.text,
      "GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      "message",
    );
  });

  await check("the photo of a GS1 DataMatrix is read and checked", async () => {
    await page.setInputFiles("#photo", {
      name: "pack.png",
      mimeType: "image/png",
      buffer: await photo("gs1datamatrix", gs1Text(pack(JUST_DISPENSED))),
    });
    const shown = await readShown(page);
    expectEqual([shown.status, shown.product.serial], ["Dispensed", JUST_DISPENSED], "verdict");
  });

  await check("the photo of a GS1 Digital Link QR code is read and checked", async () => {
    await page.setInputFiles("#photo", {
      name: "pack-qr.png",
      mimeType: "image/png",
      buffer: await photo("qrcode", link(GENUINE)),
    });
    const shown = await readShown(page);
    expectEqual([shown.status, shown.product.serial], ["Active", GENUINE], "verdict");
  });

  await check(
    "the camera reads a GS1 DataMatrix through the ZXing polyfill (BarcodeDetector removed)",
    () =>
      inNewTab(async (scanning) => {
        await scanning.addInitScript(
          "delete globalThis.BarcodeDetector; delete window.BarcodeDetector;",
        );
        await load(scanning, pageUrl());
        await scanning.click("#scan");
        const shown = await readShown(scanning);
        expectEqual([shown.status, shown.product.serial], ["Active", SCANNED], "verdict");
        expectEqual(await scanning.getAttribute("html", "data-scanner"), "polyfill", "decoder");
        expectEqual(await scanning.isHidden("#scanner"), true, "camera closed after the scan");
        expectEqual(
          requests.includes(`${server?.url ?? ""}dist/zxing_reader.wasm`),
          true,
          "the .wasm came from the page's own origin",
        );
      }),
  );

  for (const [title, down, named] of [
    [
      "node down: 'We cannot check this pack right now; try again later', reason in details",
      "rpc",
      "the ledger",
    ],
    ["resolver down: the same words, the resolver named in details", "resolver", "the resolver"],
  ] as const) {
    await check(title, () =>
      inNewTab(async (downPage) => {
        const closed = `http://127.0.0.1:${await findFreePort()}`;
        await load(downPage, pageUrl({ [down]: closed }));
        const shown = await verifyOnPage(downPage, link(GENUINE));
        expectEqual(
          [shown.status, shown.title],
          ["Unavailable", "We cannot check this pack right now; try again later"],
          "verdict",
        );
        expectIncludes(shown.details, `cannot reach ${named}`, "details");
      }),
    );
  }

  await check(
    "axe-core finds no violations at desktop size (verdict, details, journey shown)",
    async () => {
      await page.setViewportSize({ width: 1280, height: 900 });
      await verifyOnPage(page, elements(JUST_DISPENSED));
      expectEqual(await axeViolations(page), [], "violations");
      await counting.setViewportSize({ width: 1280, height: 900 });
      await verifyOnPage(counting, elements(COPIED));
      await counting.locator("#verdict details summary").click();
      expectEqual(await axeViolations(counting), [], "violations (a warning, details open)");
    },
  );

  await check(
    "on a phone: the verdict scrolled into view, no horizontal scrolling, axe clean",
    () =>
      inNewTab(async (phone) => {
        await phone.setViewportSize({ width: 390, height: 844 });
        await load(phone, pageUrl());
        await phone.evaluate("window.scrollTo(0, 0)");
        // the keyboard-sized hint pushes the verdict below the fold on a small screen
        await phone.setViewportSize({ width: 390, height: 480 });
        await verifyOnPage(phone, link(GENUINE));
        await new Promise((resolve) => setTimeout(resolve, 800));
        const top = await phone.evaluate<number>(
          "document.getElementById('verdict').getBoundingClientRect().top",
        );
        expectEqual(top >= -1 && top < 480, true, `verdict top at ${top} px`);
        await phone.setViewportSize({ width: 390, height: 844 });
        const overflow = await phone.evaluate<number>(
          "document.documentElement.scrollWidth - window.innerWidth",
        );
        expectEqual(overflow <= 0, true, `page wider than the screen by ${overflow} px`);
        expectEqual(await axeViolations(phone), [], "violations");
        await phone.screenshot({
          path: path.join(WEB_ROOT, "dist", "verifier-phone.png"),
          fullPage: true,
        });
      }),
  );

  await check(
    "no request leaves the page's origin, the chain and the resolver; no tree file",
    () => {
      const allowed = new Set([
        new URL(server?.url ?? "").origin,
        rpc?.url,
        resolver?.url,
        stub?.url,
      ]);
      const foreign = requests.filter((url) => {
        const origin = new URL(url).origin;
        // the node-down and resolver-down pages point at closed local ports on purpose
        return !allowed.has(origin) && !/^http:\/\/127\.0\.0\.1:\d+$/.test(origin);
      });
      expectEqual(foreign, [], "requests to other origins");
      expectEqual(
        requests.filter((url) => url.includes(".tree.json")),
        [],
        "tree files fetched",
      );
    },
  );

  await check("logs no errors in the page", () => {
    expectEqual(pageErrors, [], "console errors");
  });
} catch (error) {
  failOutsideChecks("setting up the chain, the page or the browser", error);
} finally {
  await browser?.stop().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await resolver?.stop().catch(() => undefined);
  await stub?.close().catch(() => undefined);
  await rpc?.close().catch(() => undefined);
  await node?.stop().catch(() => undefined);
  await rm(workDirectory, { recursive: true, force: true });
  await rm(path.join(process.cwd(), "ignition", "deployments", DEPLOYMENT_ID), {
    recursive: true,
    force: true,
  });
}

if (perCheck !== undefined) {
  console.log(
    `  measured: ${perCheck.resolver + perCheck.chain} B fetched per check up to the verdict (${perCheck.requests} requests: resolver ${perCheck.resolver} B, chain ${perCheck.chain} B)`,
  );
}
reportChecks();
