/*
 * `npm run test:web`: the verifier page in a real browser against a real chain.
 *
 * Starts `hardhat node` on a free port, deploys DrugTrace with its Ignition module, registers a
 * small batch from a serial file (the tree file saved where a manufacturer publishes it), ships
 * it to a pharmacy and dispenses one pack, builds and serves the page, then drives Debian's
 * chromium (playwright-core over CDP; no browser download) through a genuine, a forged, a
 * dispensed, an unregistered and a mistyped code. Saves web/dist/verifier.png (and a phone-sized
 * web/dist/verifier-phone.png). Every process it starts is stopped by its PID, whatever happens.
 * The last line is "N passed, N failed"; the exit code is non-zero on any failure.
 *
 * Needs: apt-get install chromium (or CHROMIUM=/path/to/chrome).
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { id } from "ethers";
import { network } from "hardhat";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";

import DrugTraceModule from "../ignition/modules/DrugTrace.js";
import {
  acceptShipment,
  bindCompanyPrefix,
  buildSerialTree,
  dispense,
  expiryToTimestamp,
  formatDigitalLink,
  formatElementString,
  grantTradeRole,
  gtinCompanyPrefix,
  recall,
  registerBatch,
  ship,
  treeFileNameOf,
} from "../sdk/drug-trace/index.js";
import { describeError } from "../sdk/errors.js";
import { startHardhatNode } from "../test/integration/hardhat-node.js";
import type { RunningNode } from "../test/integration/hardhat-node.js";
import { buildWebPage, startWebServer, WEB_ROOT } from "./web-page.js";
import type { WebServer } from "./web-page.js";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const GTIN = "09506000134352";
const LOT = "LOT-WEB1";
const RECALLED_LOT = "LOT-WEB2";
const UNPUBLISHED_LOT = "LOT-WEB3";
const EXPIRY = "301231";
const SERIALS = Array.from({ length: 40 }, (_, i) => `SN${String(i + 1).padStart(5, "0")}`);
const GENUINE = "SN00007";
const DISPENSED = "SN00003";
const DEPLOYMENT_ID = `web-test-${process.pid}`;

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                  Results, as a test runner
// ─────────────────────────────────────────────────────────────────────────────────────────────

let passed = 0;
let failed = 0;

async function check(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
    passed++;
    console.log(`  ✔ ${name}`);
  } catch (error) {
    failed++;
    console.log(`  ✖ ${name}\n      ${describeError(error)}`);
  }
}

function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function expectIncludes(text: string, part: string, what: string): void {
  if (!text.includes(part))
    throw new Error(
      `${what}: expected it to include ${JSON.stringify(part)}, got ${JSON.stringify(text)}`,
    );
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                    Chromium, by its PID
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface RunningChromium {
  readonly browser: Browser;
  stop(): Promise<void>;
}

/** Starts chromium headless with its own profile and a DevTools port, and connects playwright to it. */
async function startChromium(profile: string): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/chrome)`,
    );
  }
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      "about:blank",
    ],
    // its own process group, so its renderers and helpers can be ended with it
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${CHROMIUM} did not start`);
  let log = "";
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => {
      child.once("exit", () => {
        resolve();
      });
    });
    process.kill(pid, "SIGTERM");
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`chromium gave no DevTools endpoint:\n${log}`));
      }, 30_000);
      child.stderr?.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        if (found?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited with ${String(code)}:\n${log}`));
      });
    });
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                      The page's answers
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface Shown {
  status: string;
  title: string;
  text: string;
  events: string[];
  product: { gtin: string; lot: string; serial: string; expiry: string; manufacturer: string };
}

/** Statuses after which the page reads and shows the journey. */
const WITH_JOURNEY = ["Active", "Dispensed", "Recalled", "Quarantined", "Expired"];

/**
 * Types `code` into the page, submits, and reads what the page shows once it has decided. Only
 * playwright locators, no functions evaluated in the page: this file is type-checked without the
 * DOM library, and tsx would wrap named helpers inside such functions.
 */
async function verifyOnPage(page: Page, code: string): Promise<Shown> {
  await page.fill("#code", code);
  await page.click("#verify");
  await page.locator('#verdict:not([data-status="idle"]):not([data-status="Checking"])').waitFor();
  const status = (await page.getAttribute("#verdict", "data-status")) ?? "";
  if (WITH_JOURNEY.includes(status)) await page.locator("#journey:not([hidden])").waitFor();
  const text = async (selector: string): Promise<string> =>
    ((await page.locator(selector).textContent()) ?? "").trim();
  const events: string[] = [];
  for (const row of await page.locator("#journey-rows tr").all()) {
    events.push((await row.getAttribute("data-event")) ?? "");
  }
  return {
    status,
    title: await text("#verdict .verdict-title"),
    text: await text("#verdict .verdict-text"),
    events,
    product: {
      gtin: await text("#product-gtin"),
      lot: await text("#product-lot"),
      serial: await text("#product-serial"),
      expiry: await text("#product-expiry"),
      manufacturer: await text("#product-manufacturer"),
    },
  };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                          Run
// ─────────────────────────────────────────────────────────────────────────────────────────────

let node: RunningNode | undefined;
let server: WebServer | undefined;
let browser: RunningChromium | undefined;
const workDirectory = await mkdtemp(path.join(tmpdir(), "carechain-web-test-"));

try {
  console.log("verifier page in chromium");
  node = await startHardhatNode();
  const { ethers, ignition } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const [admin, manufacturer, distributor, pharmacy] = await ethers.getSigners();
  if (
    admin === undefined ||
    manufacturer === undefined ||
    distributor === undefined ||
    pharmacy === undefined
  ) {
    throw new Error("the node has fewer than four accounts");
  }
  const { drugTrace: deployed } = await ignition.deploy(DrugTraceModule, {
    parameters: { DrugTrace: { admin: admin.address } },
    deploymentId: DEPLOYMENT_ID,
  });
  const address = await deployed.getAddress();
  const drugTrace = await ethers.getContractAt("DrugTrace", address);
  await grantTradeRole(drugTrace.connect(admin), "MANUFACTURER", manufacturer.address);
  await grantTradeRole(drugTrace.connect(admin), "DISTRIBUTOR", distributor.address);
  await grantTradeRole(drugTrace.connect(admin), "DISPENSER", pharmacy.address);
  // DrugTrace registers a GTIN only for the owner of its GS1 Company Prefix (9506000).
  await bindCompanyPrefix(drugTrace.connect(admin), {
    prefix: gtinCompanyPrefix(BigInt(GTIN), 7),
    owner: manufacturer.address,
    name: "Acme Pharma GmbH",
  });

  // the manufacturer builds the tree from its serial list and publishes the tree file
  const trees = path.join(workDirectory, "trees");
  await mkdir(trees);
  const serialFile = path.join(workDirectory, "serials.txt");
  await writeFile(serialFile, SERIALS.join("\n") + "\n");
  const tree = await buildSerialTree(serialFile, {
    gtin: GTIN,
    lot: LOT,
    treeFile: path.join(trees, treeFileNameOf(GTIN, LOT)),
  });
  const { batchId } = await registerBatch(drugTrace.connect(manufacturer), {
    gtin: BigInt(GTIN),
    lot: LOT,
    expiry: expiryToTimestamp(EXPIRY),
    unitCount: BigInt(tree.count),
    serialsRoot: tree.root,
  });
  const toDistributor = await ship(drugTrace.connect(manufacturer), {
    batchId,
    to: distributor.address,
    quantity: 30n,
  });
  await acceptShipment(drugTrace.connect(distributor), toDistributor.shipmentId);
  const toPharmacy = await ship(drugTrace.connect(distributor), {
    batchId,
    to: pharmacy.address,
    quantity: 10n,
  });
  await acceptShipment(drugTrace.connect(pharmacy), toPharmacy.shipmentId);
  await dispense(drugTrace.connect(pharmacy), batchId, tree.proofFor(DISPENSED));

  // a second lot, published and then recalled; a third, registered but never published
  const recalledTree = await buildSerialTree(serialFile, {
    gtin: GTIN,
    lot: RECALLED_LOT,
    treeFile: path.join(trees, treeFileNameOf(GTIN, RECALLED_LOT)),
  });
  for (const [lot, root] of [
    [RECALLED_LOT, recalledTree.root],
    [UNPUBLISHED_LOT, tree.root],
  ] as const) {
    const registered = await registerBatch(drugTrace.connect(manufacturer), {
      gtin: BigInt(GTIN),
      lot,
      expiry: expiryToTimestamp(EXPIRY),
      unitCount: BigInt(tree.count),
      serialsRoot: root,
    });
    if (lot === RECALLED_LOT) {
      await recall(drugTrace.connect(manufacturer), {
        batchId: registered.batchId,
        reasonCode: 1n,
        evidenceHash: id("recall notice"),
      });
    }
  }

  await buildWebPage();
  server = await startWebServer({ treesDirectory: trees });
  const query = new URLSearchParams({ rpc: node.url, address, trees: "/trees/" });
  const pageUrl = `${server.url}?${query.toString()}`;
  console.log(`  chain ${node.url}, DrugTrace ${address}, page ${server.url}`);

  const profile = path.join(workDirectory, "profile");
  browser = await startChromium(profile);
  const context = browser.browser.contexts()[0] ?? (await browser.browser.newContext());
  const page = await context.newPage();
  await page.setViewportSize({ width: 1000, height: 1100 });
  const pageErrors: string[] = [];
  const failedRequests = new Set<string>();
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    // a failed request is logged too; those are checked below by URL
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) {
      pageErrors.push(message.text());
    }
  });
  page.on("response", (response) => {
    if (response.status() >= 400) failedRequests.add(new URL(response.url()).pathname);
  });
  await page.goto(pageUrl);
  await page.locator('html[data-ready="true"]').waitFor({ state: "attached" });

  const link = (serial: string): string =>
    formatDigitalLink({ gtin: GTIN, lot: LOT, serial, expiry: EXPIRY }, "https://id.gs1.org");
  const elements = (serial: string): string =>
    formatElementString({ gtin: GTIN, lot: LOT, serial, expiry: EXPIRY });

  await check("hides the Scan button where the browser has no BarcodeDetector", async () => {
    expectEqual(await page.isHidden("#scan"), true, "scan button hidden");
  });

  await check(
    "a genuine pack (Digital Link) is Genuine, with its product and journey",
    async () => {
      const shown = await verifyOnPage(page, link(GENUINE));
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
        "journey rows",
      );
      const verdictBox = [
        await page.getAttribute("#verdict", "aria-live"),
        await page.getAttribute("#verdict", "role"),
      ];
      expectEqual(verdictBox, ["polite", "status"], "verdict announced to screen readers");
    },
  );

  await check("saves a screenshot of the Genuine verdict to web/dist/verifier.png", async () => {
    await page.screenshot({ path: path.join(WEB_ROOT, "dist", "verifier.png"), fullPage: true });
  });

  await check("a serial that is not in the batch is Not genuine, without a journey", async () => {
    const shown = await verifyOnPage(page, elements("SN99999"));
    expectEqual([shown.status, shown.title], ["Unknown", "Not genuine"], "verdict");
    expectEqual(shown.events, [], "journey rows");
    expectEqual(await page.isHidden("#journey"), true, "journey hidden");
  });

  await check(
    "the dispensed pack (element string) is Already dispensed, its dispensing in the journey",
    async () => {
      const shown = await verifyOnPage(page, elements(DISPENSED));
      expectEqual(
        [shown.status, shown.title],
        ["Dispensed", "Already dispensed (possible copied code)"],
        "verdict",
      );
      expectEqual(shown.events.at(-1), "UnitDispensed", "last journey row");
      expectEqual(shown.events.length, 6, "journey rows");
      const who = await page.locator("#journey-rows tr").last().locator("td.actor").textContent();
      expectIncludes(who ?? "", `Pharmacy${pharmacy.address.slice(0, 6)}`, "who dispensed");
      await page.screenshot({ path: path.join(WEB_ROOT, "dist", "verifier-dispensed.png") });
    },
  );

  await check("a code of a batch nobody registered is Not genuine", async () => {
    const shown = await verifyOnPage(page, `(01)${GTIN}(10)NOSUCHLOT(21)${GENUINE}`);
    expectEqual([shown.status, shown.title], ["Unknown", "Not genuine"], "verdict");
  });

  await check("a pack of a recalled batch is Recalled, the recall in the journey", async () => {
    const shown = await verifyOnPage(page, `(01)${GTIN}(10)${RECALLED_LOT}(21)${GENUINE}`);
    expectEqual([shown.status, shown.title], ["Recalled", "Recalled"], "verdict");
    expectEqual(shown.events, ["BatchRegistered", "BatchRecalled"], "journey rows");
  });

  await check("a registered batch without a published tree cannot be checked here", async () => {
    const shown = await verifyOnPage(page, `(01)${GTIN}(10)${UNPUBLISHED_LOT}(21)${GENUINE}`);
    expectEqual(
      [shown.status, shown.title],
      ["Unavailable", "Cannot check this pack here"],
      "verdict",
    );
    expectIncludes(shown.product.manufacturer, manufacturer.address.slice(0, 6), "manufacturer");
  });

  await check("a mistyped GTIN shows the SDK's check-digit message", async () => {
    const shown = await verifyOnPage(page, `(01)09506000134353(10)${LOT}(21)${GENUINE}`);
    expectEqual(shown.status, "Invalid", "verdict status");
    expectIncludes(
      shown.text,
      "GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      "message",
    );
    expectEqual(await page.isHidden("#product"), true, "product hidden");
  });

  await check(
    "opens with ?code= and checks it at once (a raw scanner string with GS separators)",
    async () => {
      const raw = `]d201${GTIN}17${EXPIRY}10${LOT}\x1d21${GENUINE}`;
      await page.goto(`${pageUrl}&code=${encodeURIComponent(raw)}`);
      await page.locator('#verdict[data-status="Active"]').waitFor();
      expectEqual(await page.inputValue("#code"), raw, "code field");
    },
  );

  await check("reads well on a phone (no horizontal scrolling at 390 px)", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await verifyOnPage(page, link(GENUINE));
    const overflow = await page.evaluate<number>(
      "document.documentElement.scrollWidth - window.innerWidth",
    );
    expectEqual(overflow <= 0, true, `page wider than the screen by ${overflow} px`);
    await page.screenshot({
      path: path.join(WEB_ROOT, "dist", "verifier-phone.png"),
      fullPage: true,
    });
  });

  await check("says what is missing when the page has no contract address", async () => {
    await page.goto(`${server?.url ?? ""}?rpc=${encodeURIComponent(node?.url ?? "")}`);
    await page.locator('html[data-ready="true"]').waitFor({ state: "attached" });
    const shown = await verifyOnPage(page, link(GENUINE));
    expectEqual(shown.status, "Unavailable", "verdict status");
    expectIncludes(shown.text, "the page has no valid DrugTrace address", "message");
    const summary = (await page.locator("#settings-summary").textContent()) ?? "";
    expectIncludes(summary, "This page is not set up yet", "footer");
  });

  await check(
    "logs no errors, and asks only for an optional config.json and the missing trees",
    () => {
      expectEqual(pageErrors, [], "console errors");
      expectEqual(
        [...failedRequests].sort(),
        [
          "/config.json",
          `/trees/${treeFileNameOf(GTIN, "NOSUCHLOT")}`,
          `/trees/${treeFileNameOf(GTIN, UNPUBLISHED_LOT)}`,
        ].sort(),
        "requests that failed",
      );
    },
  );
} catch (error) {
  failed++;
  console.log(`  ✖ setting up the chain, the page or the browser\n      ${describeError(error)}`);
  if (process.env.CARECHAIN_DEBUG === "1") console.error(error);
} finally {
  await browser?.stop().catch(() => undefined);
  await server?.close().catch(() => undefined);
  await node?.stop().catch(() => undefined);
  await rm(workDirectory, { recursive: true, force: true });
  await rm(path.join(process.cwd(), "ignition", "deployments", DEPLOYMENT_ID), {
    recursive: true,
    force: true,
  });
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
