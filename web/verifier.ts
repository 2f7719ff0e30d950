/*
 * The pack verifier page: a person types or scans a pack's code and sees whether it is genuine,
 * with the batch's journey. Everything about codes, trees, proofs and the contract comes from the
 * SDK (the same code the tasks and tests use); this file only reads settings, fetches the batch's
 * tree file, calls the free `verifyUnit` view through a read-only JSON-RPC provider and renders.
 *
 * Settings (URL query over `config.json` beside the page):
 *   rpc        JSON-RPC URL of the chain, e.g. http://127.0.0.1:8545
 *   address    the DrugTrace contract address
 *   trees      where manufacturers publish tree files (`<trees>/<GTIN>-<lot>.tree.json`);
 *              relative to the page, default "trees/"
 *   fromBlock  first block to read the journey from (the deployment block), default 0
 *   code       a pack code to check as soon as the page opens
 */
import { getAddress, isAddress, JsonRpcProvider, Network, ZeroAddress } from "ethers";

import { DrugTrace__factory } from "../typechain-types/index.js";
import type { DrugTrace } from "../typechain-types/index.js";
import { describeError, InputError } from "../sdk/errors.js";
import {
  describeHistoryDetails,
  readBatch,
  readTradeRoles,
  readUnitJourney,
  verifyUnit,
} from "../sdk/drug-trace/client.js";
import type {
  BatchEventName,
  BatchHistoryRow,
  TradeRole,
  UnitStatus,
} from "../sdk/drug-trace/client.js";
import {
  batchIdOf,
  expiryToTimestamp,
  formatExpiry,
  gtinToUint,
  parsePackCode,
} from "../sdk/drug-trace/gs1.js";
import type { PackCode } from "../sdk/drug-trace/gs1.js";
import { serialTreeFromFile, treeFileNameOf } from "../sdk/drug-trace/serial-merkle.js";
import type { SerialTree } from "../sdk/drug-trace/serial-merkle.js";

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   Words for people
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** How a verdict looks: green, red, amber, or plain for messages that are not verdicts. */
type Tone = "ok" | "bad" | "warn" | "neutral";

interface Verdict {
  /** `data-status` of the verdict box: a contract status or a page state. */
  readonly status: UnitStatus | "Invalid" | "Unavailable" | "Checking";
  readonly tone: Tone;
  readonly title: string;
  readonly text: string;
}

/** One verdict per `verifyUnit` status, in words a patient at the counter understands. */
const VERDICTS: Readonly<Record<UnitStatus, Verdict>> = {
  Active: {
    status: "Active",
    tone: "ok",
    title: "Genuine",
    text: "The manufacturer registered this pack, and it has not been handed out before. It is safe to use as prescribed.",
  },
  Unknown: {
    status: "Unknown",
    tone: "bad",
    title: "Not genuine",
    text: "The manufacturer has no record of this code. Do not use this medicine: show the pack to your pharmacist.",
  },
  Dispensed: {
    status: "Dispensed",
    tone: "bad",
    title: "Already dispensed (possible copied code)",
    text: "A pharmacy has already handed out a pack with this code. If you did not just receive it from your pharmacy, the code may have been copied onto a fake pack: ask your pharmacist before using it.",
  },
  Recalled: {
    status: "Recalled",
    tone: "bad",
    title: "Recalled",
    text: "This batch has been recalled for safety reasons. Do not use it: take it back to your pharmacy.",
  },
  Quarantined: {
    status: "Quarantined",
    tone: "warn",
    title: "Quarantined",
    text: "This batch is on hold while a possible problem is checked. Do not use it until your pharmacist says it is safe.",
  },
  Expired: {
    status: "Expired",
    tone: "warn",
    title: "Expired",
    text: "This pack is past its expiry date. Do not use it: take it back to your pharmacy.",
  },
};

/** What each journey event means, for the "What happened" column. */
const EVENT_LABELS: Readonly<Record<BatchEventName, string>> = {
  BatchRegistered: "Registered by the manufacturer",
  ShipmentSent: "Shipped",
  ShipmentAccepted: "Received",
  ShipmentRejected: "Refused by the recipient",
  ShipmentCancelled: "Shipment cancelled",
  UnitDispensed: "This pack dispensed",
  BatchRecalled: "Batch recalled",
  SuspectFlagged: "Reported as suspect",
  SuspectResolved: "Suspect report resolved",
  ExcursionReported: "Temperature out of range in transit",
  BatchQuarantined: "Batch put on hold",
  QuarantineReleased: "Hold lifted",
};

/** Who an actor is, for the "Who" column, from the trade role it holds. */
const ROLE_LABELS: Readonly<Record<TradeRole, string>> = {
  MANUFACTURER: "Manufacturer",
  DISTRIBUTOR: "Distributor",
  DISPENSER: "Pharmacy",
};

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       Settings
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface Settings {
  readonly rpc: string;
  readonly address: string;
  /** Absolute base URL of the tree files, ending in `/`. */
  readonly trees: string;
  readonly fromBlock: number;
}

type RawSettings = Partial<Record<"rpc" | "address" | "trees" | "fromBlock", unknown>>;

/** Reads `config.json` beside the page (optional) and lets the URL query override it. */
async function loadSettings(page: URL): Promise<Settings> {
  let file: RawSettings = {};
  try {
    const response = await fetch(new URL("config.json", page), { cache: "no-store" });
    if (response.ok) file = (await response.json()) as RawSettings;
  } catch {
    // no config.json (or not JSON): the query must carry the settings
  }
  const pick = (key: keyof RawSettings): string => {
    const fromQuery = page.searchParams.get(key);
    if (fromQuery !== null && fromQuery !== "") return fromQuery;
    const value = file[key];
    return typeof value === "string" || typeof value === "number" ? String(value) : "";
  };
  const rpc = pick("rpc");
  if (!/^https?:\/\/./.test(rpc)) {
    throw new InputError(
      `the page has no valid chain URL (rpc): ${JSON.stringify(rpc)}; add ?rpc=http://… to the address or set it in config.json`,
    );
  }
  const address = pick("address");
  if (!isAddress(address)) {
    throw new InputError(
      `the page has no valid DrugTrace address: ${JSON.stringify(address)}; add ?address=0x… to the address or set it in config.json`,
    );
  }
  const treesText = pick("trees") || "trees/";
  const trees = new URL(treesText.endsWith("/") ? treesText : `${treesText}/`, page).href;
  const fromText = pick("fromBlock") || "0";
  if (!/^\d+$/.test(fromText))
    throw new InputError(`fromBlock "${fromText}" is not a block number`);
  return { rpc, address: getAddress(address), trees, fromBlock: Number(fromText) };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   Chain and tree files
// ─────────────────────────────────────────────────────────────────────────────────────────────

/**
 * A read-only DrugTrace over JSON-RPC. The chain id is asked once with a timeout, so an RPC that
 * is down gives one clear message instead of ethers retrying network detection forever.
 */
async function connectDrugTrace(settings: Settings): Promise<DrugTrace> {
  let chainId: bigint;
  try {
    const response = await fetch(settings.rpc, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(10_000),
    });
    const answer = (await response.json()) as { result?: unknown };
    if (typeof answer.result !== "string") throw new Error("no chain id in the answer");
    chainId = BigInt(answer.result);
  } catch (error) {
    throw new InputError(`cannot reach the ledger at ${settings.rpc}: ${describeError(error)}`);
  }
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(settings.rpc, network, { staticNetwork: network });
  if ((await provider.getCode(settings.address)) === "0x") {
    throw new InputError(
      `there is no DrugTrace contract at ${settings.address} on chain ${chainId}`,
    );
  }
  return DrugTrace__factory.connect(settings.address, provider);
}

/**
 * A role word for each actor in a journey: its trade role (`readTradeRoles`), else what its event
 * says it is (only sensors report excursions, only regulators resolve suspect flags).
 */
async function rolesOf(
  contract: DrugTrace,
  rows: readonly BatchHistoryRow[],
): Promise<Map<string, string>> {
  const actors = [...new Set(rows.map((row) => row.actor))];
  const held = await Promise.all(actors.map((actor) => readTradeRoles(contract, actor)));
  const roles = new Map<string, string>();
  actors.forEach((actor, i) => {
    const role = held[i]?.[0];
    if (role !== undefined) roles.set(actor, ROLE_LABELS[role]);
  });
  for (const row of rows) {
    if (roles.has(row.actor)) continue;
    if (row.event === "ExcursionReported") roles.set(row.actor, "Temperature sensor");
    if (row.event === "SuspectResolved") roles.set(row.actor, "Regulator");
  }
  return roles;
}

/** The tree file URL of a batch: `<trees>/<GTIN>-<lot>.tree.json` (the name percent-encoded once more for the path). */
function treeUrlOf(settings: Settings, code: PackCode): string {
  return new URL(encodeURIComponent(treeFileNameOf(code.gtin, code.lot)), settings.trees).href;
}

/** Fetches and rebuilds a batch's tree; `undefined` when the manufacturer has not published one. */
async function fetchTree(url: string, code: PackCode): Promise<SerialTree | undefined> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new InputError(`cannot download the batch's serial list ${url}: ${describeError(error)}`);
  }
  if (response.status === 404) return undefined;
  if (!response.ok) {
    throw new InputError(`cannot download the batch's serial list ${url}: HTTP ${response.status}`);
  }
  let data: unknown;
  try {
    data = await response.json();
  } catch {
    throw new InputError(`tree file ${url} is not a valid serial tree: not JSON`);
  }
  const tree = serialTreeFromFile(data, url);
  if (
    (tree.gtin !== undefined && tree.gtin !== code.gtin) ||
    (tree.lot !== undefined && tree.lot !== code.lot)
  ) {
    throw new InputError(
      `tree file ${url} is for GTIN ${tree.gtin ?? "?"} lot ${tree.lot ?? "?"}, not this pack's batch`,
    );
  }
  return tree;
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                        Rendering
// ─────────────────────────────────────────────────────────────────────────────────────────────

function element(id: string): HTMLElement;
function element<T extends HTMLElement>(id: string, type: new () => T): T;
function element(id: string, type: new () => HTMLElement = HTMLElement): HTMLElement {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`the page lacks #${id} (${type.name})`);
  return found;
}

function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/** An address shown short, the full one in its tooltip; with its role above it when known. */
function addressNode(address: string, role?: string): Node {
  const abbr = document.createElement("abbr");
  abbr.title = address;
  abbr.textContent = shortAddress(address);
  if (role === undefined) return abbr;
  const wrapper = document.createElement("span");
  const label = document.createElement("span");
  label.className = "role";
  label.textContent = role;
  wrapper.append(label, abbr);
  return wrapper;
}

/** A date (the end of a UTC day, as expiries are) written for people, e.g. "31 December 2027". */
function dateNode(seconds: bigint): HTMLElement {
  const date = new Date(Number(seconds) * 1000);
  const node = document.createElement("time");
  node.dateTime = date.toISOString().slice(0, 10);
  node.textContent = date.toLocaleDateString(undefined, { dateStyle: "long", timeZone: "UTC" });
  return node;
}

function timeNode(seconds: bigint): HTMLElement {
  const date = new Date(Number(seconds) * 1000);
  const node = document.createElement("time");
  node.dateTime = date.toISOString();
  node.textContent = date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return node;
}

function showVerdict(verdict: Verdict | undefined): void {
  const box = element("verdict");
  box.replaceChildren();
  box.dataset.status = verdict?.status ?? "idle";
  box.setAttribute("aria-busy", String(verdict?.status === "Checking"));
  if (verdict === undefined) {
    delete box.dataset.tone;
    return;
  }
  box.dataset.tone = verdict.tone;
  const title = document.createElement("p");
  title.className = "verdict-title";
  title.textContent = verdict.title;
  const text = document.createElement("p");
  text.className = "verdict-text";
  text.textContent = verdict.text;
  box.append(title, text);
}

interface ProductView {
  readonly code: PackCode;
  /** On-chain expiry; 0n when unknown (the code's own AI 17 is shown then, if any). */
  readonly expiry: bigint;
  readonly manufacturer: string;
}

function showProduct(view: ProductView | undefined): void {
  const section = element("product");
  section.hidden = view === undefined;
  if (view === undefined) return;
  const { code, expiry, manufacturer } = view;
  element("product-gtin").textContent = code.gtin;
  element("product-lot").textContent = code.lot;
  element("product-serial").textContent = code.serial;
  const expiryCell = element("product-expiry");
  const printed = code.expiry === undefined ? undefined : expiryToTimestamp(code.expiry);
  const shown = expiry > 0n ? expiry : printed;
  expiryCell.replaceChildren(shown === undefined ? "not known" : dateNode(shown));
  const manufacturerCell = element("product-manufacturer");
  manufacturerCell.replaceChildren(
    manufacturer === ZeroAddress ? "not known" : addressNode(manufacturer),
  );
  const note = element("product-note");
  const mismatch = expiry > 0n && printed !== undefined && printed !== expiry;
  note.hidden = !mismatch;
  note.textContent = mismatch
    ? `The expiry printed on the pack (${code.expiry ?? ""}) differs from the registered one (${formatExpiry(expiry)}): show the pack to your pharmacist.`
    : "";
}

function showJourney(
  rows: readonly BatchHistoryRow[] | undefined,
  roles: ReadonlyMap<string, string> = new Map(),
): void {
  const section = element("journey");
  section.hidden = rows === undefined || rows.length === 0;
  const body = element("journey-rows");
  body.replaceChildren();
  for (const row of rows ?? []) {
    const tr = document.createElement("tr");
    tr.dataset.event = row.event;
    const cell = (label: string, className: string, ...content: (Node | string)[]): void => {
      const td = document.createElement("td");
      td.className = className;
      td.dataset.label = label;
      td.append(...content);
      tr.append(td);
    };
    cell("When", "when", timeNode(row.timestamp));
    cell("What happened", "event", EVENT_LABELS[row.event]);
    cell("Who", "actor", addressNode(row.actor, roles.get(row.actor)));
    cell(
      "Details",
      "details",
      describeHistoryDetails(row).replace(/0x[0-9a-fA-F]{40}/g, (address) => shortAddress(address)),
    );
    body.append(tr);
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       Verifying
// ─────────────────────────────────────────────────────────────────────────────────────────────

let settings: Promise<Settings> | undefined;
let drugTrace: Promise<DrugTrace> | undefined;
const trees = new Map<string, Promise<SerialTree | undefined>>();
/** Each check gets a number; a slower earlier check never overwrites a later one. */
let latestCheck = 0;

function connected(page: Settings): Promise<DrugTrace> {
  drugTrace ??= connectDrugTrace(page).catch((error: unknown) => {
    drugTrace = undefined; // try again on the next check
    throw error;
  });
  return drugTrace;
}

function treeOf(page: Settings, code: PackCode): Promise<SerialTree | undefined> {
  const url = treeUrlOf(page, code);
  let tree = trees.get(url);
  if (tree === undefined) {
    tree = fetchTree(url, code);
    trees.set(url, tree);
    tree.catch(() => trees.delete(url));
  }
  return tree;
}

async function check(text: string): Promise<void> {
  const run = ++latestCheck;
  const current = (): boolean => run === latestCheck;
  showProduct(undefined);
  showJourney(undefined);

  let code: PackCode;
  try {
    code = parsePackCode(text);
  } catch (error) {
    showVerdict({
      status: "Invalid",
      tone: "warn",
      title: "This code cannot be read",
      text: `${describeError(error)}. Check that you typed it exactly as printed on the pack.`,
    });
    return;
  }

  showVerdict({
    status: "Checking",
    tone: "neutral",
    title: "Checking…",
    text: "Asking the ledger about this pack.",
  });
  const form = element("verify-form", HTMLFormElement);
  form.setAttribute("aria-busy", "true");
  try {
    settings ??= loadSettings(new URL(window.location.href));
    const page = await settings;
    const contract = await connected(page);
    const gtin = gtinToUint(code.gtin);
    const batchId = batchIdOf(gtin, code.lot);
    const tree = await treeOf(page, code);
    if (!current()) return;

    if (tree === undefined) {
      const batch = await readBatch(contract, batchId);
      if (!current()) return;
      if (batch.state === "None") {
        showVerdict(VERDICTS.Unknown);
        showProduct({ code, expiry: 0n, manufacturer: ZeroAddress });
      } else {
        showVerdict({
          status: "Unavailable",
          tone: "warn",
          title: "Cannot check this pack here",
          text: "The batch is registered, but its manufacturer has not published the list of its pack codes, so this pack cannot be checked. Ask your pharmacist to scan it.",
        });
        showProduct({ code, expiry: batch.expiry, manufacturer: batch.manufacturer });
      }
      return;
    }

    if (!tree.hasSerial(code.serial)) {
      showVerdict(VERDICTS.Unknown);
      showProduct({ code, expiry: 0n, manufacturer: ZeroAddress });
      return;
    }
    const unit = tree.proofFor(code.serial);
    const verdict = await verifyUnit(contract, { gtin, lot: code.lot, ...unit });
    if (!current()) return;
    showVerdict(VERDICTS[verdict.status]);
    showProduct({ code, expiry: verdict.expiry, manufacturer: verdict.manufacturer });
    if (verdict.status === "Unknown") return;
    const journey = await readUnitJourney(contract, batchId, unit.index, page.fromBlock);
    if (!current()) return;
    const roles = await rolesOf(contract, journey);
    if (!current()) return;
    showJourney(journey, roles);
  } catch (error) {
    if (!current()) return;
    showVerdict({
      status: "Unavailable",
      tone: "warn",
      title: "Cannot check this pack right now",
      text: `${describeError(error)}.`,
    });
  } finally {
    if (current()) form.removeAttribute("aria-busy");
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                               Camera scanning (BarcodeDetector)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The part of the Shape Detection API's `BarcodeDetector` this page uses (not in lib.dom yet). */
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** GS1 DataMatrix is what pharma packs carry; Digital Link is often a QR code. */
const PACK_FORMATS = ["data_matrix", "qr_code"];

function barcodeDetectorClass(): BarcodeDetectorClass | undefined {
  return (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
}

async function setUpScanner(onCode: (text: string) => void): Promise<void> {
  const Detector = barcodeDetectorClass();
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent on plain HTTP and old browsers
  if (Detector === undefined || navigator.mediaDevices?.getUserMedia === undefined) return;
  const formats = (await Detector.getSupportedFormats()).filter((f) => PACK_FORMATS.includes(f));
  if (formats.length === 0) return;

  const scanButton = element("scan", HTMLButtonElement);
  const panel = element("scanner");
  const video = element("camera", HTMLVideoElement);
  const status = element("scanner-status");
  const detector = new Detector({ formats });
  let stream: MediaStream | undefined;
  let timer: number | undefined;

  const stop = (): void => {
    if (timer !== undefined) window.clearInterval(timer);
    timer = undefined;
    stream?.getTracks().forEach((track) => {
      track.stop();
    });
    stream = undefined;
    video.srcObject = null;
    panel.hidden = true;
    scanButton.hidden = false;
  };

  scanButton.hidden = false;
  scanButton.addEventListener("click", () => {
    void (async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
        });
      } catch (error) {
        showVerdict({
          status: "Unavailable",
          tone: "warn",
          title: "The camera is not available",
          text: `${describeError(error)}. Type the code instead.`,
        });
        return;
      }
      video.srcObject = stream;
      panel.hidden = false;
      scanButton.hidden = true;
      status.textContent = "Point the camera at the square code on the pack.";
      await video.play();
      let busy = false;
      timer = window.setInterval(() => {
        if (busy) return;
        busy = true;
        detector
          .detect(video)
          .then((found) => {
            const text = found[0]?.rawValue;
            if (text !== undefined && text !== "") {
              stop();
              onCode(text);
            }
          })
          .catch(() => undefined)
          .finally(() => {
            busy = false;
          });
      }, 250);
    })();
  });
  element("stop-scan").addEventListener("click", stop);
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                         Start
// ─────────────────────────────────────────────────────────────────────────────────────────────

function start(): void {
  const form = element("verify-form", HTMLFormElement);
  const input = element("code", HTMLInputElement);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void check(input.value);
  });
  void setUpScanner((text) => {
    // a scanned GS separator (FNC1) is kept: parsePackCode needs it to split variable fields
    input.value = text;
    void check(text);
  });

  settings = loadSettings(new URL(window.location.href));
  settings.then(
    (page) => {
      element("settings-summary").textContent =
        `Ledger ${page.rpc}, DrugTrace contract ${page.address}, serial lists from ${page.trees}.`;
    },
    (error: unknown) => {
      settings = undefined;
      element("settings-summary").textContent =
        `This page is not set up yet: ${describeError(error)}.`;
    },
  );

  const initial = new URL(window.location.href).searchParams.get("code");
  if (initial !== null && initial !== "") {
    input.value = initial;
    void check(initial);
  }
  document.documentElement.dataset.ready = "true";
}

start();
