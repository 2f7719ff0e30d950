/*
 * The pack verifier page: a person types, scans or photographs a pack's code and sees whether it
 * is genuine, with the pack's journey. One small request to the brand's GS1 Digital Link resolver
 * gives the unit's index and Merkle proof; the free `verifyUnit` view on the DrugTrace deployment
 * the page is configured with decides (the resolver's answer is data to check, never trust). The
 * check itself is the SDK's `checkPack`, the same one `trace verify` and `trace dispense` use: this
 * file only reads settings, calls it and renders.
 *
 * Settings (URL query over `config.json` beside the page):
 *   rpc        JSON-RPC URL of the chain, e.g. http://127.0.0.1:8545
 *   address    the DrugTrace contract address
 *   resolver   the brand's GS1 Digital Link resolver, e.g. https://id.example-pharma.com
 *   fromBlock  first block to read the journey from (the deployment block), default 0
 *   logRange   the RPC provider's cap on blocks per log query (e.g. 10000), default: found out
 *   code       a pack code to check as soon as the page opens
 */
import { getAddress, isAddress, JsonRpcProvider, Network, ZeroAddress } from "ethers";

import { DrugTrace__factory } from "../typechain-types/index.js";
import type { DrugTrace } from "../typechain-types/index.js";
import { describeError, InputError } from "../sdk/errors.js";
import {
  describeHistoryDetails,
  readTradeRoles,
  readUnitJourney,
} from "../sdk/drug-trace/client.js";
import type {
  BatchEventName,
  BatchHistoryRow,
  TradeRole,
  UnitStatus,
} from "../sdk/drug-trace/client.js";
import { expiryToTimestamp, parsePackCode } from "../sdk/drug-trace/gs1.js";
import type { PackCode } from "../sdk/drug-trace/gs1.js";
import type { LogReadOptions } from "../sdk/drug-trace/log-ranges.js";
import {
  checkPack,
  CheckUnavailableError,
  DISPENSED_AGE_LIMIT_DAYS,
  DISPENSED_LOOKUP_LIMIT,
  resolverProofSource,
} from "../sdk/drug-trace/pack-check.js";
import type { PackCheck } from "../sdk/drug-trace/pack-check.js";
import {
  formatParticipant,
  readDisplayName,
  shortAddress,
} from "../sdk/drug-trace/participant-name.js";
import { formatDay, formatMoment, formatTimestamp } from "../sdk/format.js";

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                   Words for people
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** How a verdict looks: green, red, amber, or plain for messages that are not verdicts. */
type Tone = "ok" | "bad" | "warn" | "neutral";

interface Verdict {
  /** `data-status` of the verdict box: a contract status or a page state. */
  readonly status: UnitStatus | "Suspect" | "Invalid" | "Unavailable" | "Checking";
  readonly tone: Tone;
  readonly title: string;
  readonly text: string;
  /** A technical reason, shown behind a "Technical details" toggle. */
  readonly details?: string;
}

/** One verdict per `verifyUnit` status, in words a patient at the counter understands. */
const VERDICTS: Readonly<Record<Exclude<UnitStatus, "Dispensed">, Verdict>> = {
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

const UNAVAILABLE_TITLE = "We cannot check this pack right now; try again later";

/** What each journey event means, for the "What happened" column. */
const EVENT_LABELS: Readonly<Record<BatchEventName, string>> = {
  BatchRegistered: "Registered by the manufacturer",
  ShipmentSent: "Shipped",
  ShipmentAccepted: "Received",
  ShipmentRejected: "Refused by the recipient",
  ShipmentCancelled: "Shipment cancelled",
  UnitDispensed: "This pack dispensed",
  BatchRecalled: "Batch recalled",
  SuspectFlagged: "This pack reported as suspect",
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

/** A participant's words (`formatParticipant`): its name and short address, or the short address alone. */
function participantWords(names: ReadonlyMap<string, string>, address: string): string {
  return formatParticipant(names.get(address) ?? "", address);
}

/** The verdict for a checked pack: only `checkPack`'s result decides it. */
function verdictOf(check: PackCheck, names: ReadonlyMap<string, string>): Verdict {
  const details = check.answerProblem;
  if (check.status === "Active" && check.expiryMismatch !== undefined) {
    return {
      status: "Suspect",
      tone: "bad",
      title: "Do not use: the expiry date does not match",
      text: `The pack says it expires on ${check.expiryMismatch.printed}, but the manufacturer registered ${check.expiryMismatch.registered}. Show the pack to your pharmacist.`,
    };
  }
  if (check.status !== "Dispensed") {
    return { ...VERDICTS[check.status], ...(details === undefined ? {} : { details }) };
  }
  const pharmacy =
    check.dispensing === undefined
      ? "a pharmacy"
      : participantWords(names, check.dispensing.dispenser);
  const when = check.dispensing === undefined ? "" : ` on ${formatDay(check.dispensing.at)}`;
  if (check.dispensedWarning === undefined) {
    return {
      status: "Dispensed",
      tone: "ok",
      title: `Dispensed by ${pharmacy}${when}`,
      text: "This genuine pack was handed out by a pharmacy. If that is where you got it, all is well: use it as prescribed.",
    };
  }
  return {
    status: "Dispensed",
    tone: "warn",
    title: "Ask your pharmacist before using this pack",
    text: `A pack with this code was dispensed by ${pharmacy}${when}, but ${check.dispensedWarning}. The code may have been copied onto a fake pack: show it to your pharmacist before using it.`,
    details: `Warning rule: more than ${DISPENSED_LOOKUP_LIMIT} lookups since dispensing, or dispensed more than ${DISPENSED_AGE_LIMIT_DAYS} days ago. This pack: ${check.dispensedWarning}.`,
  };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       Settings
// ─────────────────────────────────────────────────────────────────────────────────────────────

interface Settings {
  readonly rpc: string;
  readonly address: string;
  /** The resolver's base URL, without a trailing `/`. */
  readonly resolver: string;
  readonly logs: LogReadOptions;
}

type SettingKey = "rpc" | "address" | "resolver" | "fromBlock" | "logRange";
type RawSettings = Partial<Record<SettingKey, unknown>>;

/** Reads `config.json` beside the page (optional) and lets the URL query override it. */
async function loadSettings(page: URL): Promise<Settings> {
  let file: RawSettings = {};
  try {
    const response = await fetch(new URL("config.json", page), { cache: "no-store" });
    if (response.ok) file = (await response.json()) as RawSettings;
  } catch {
    // no config.json (or not JSON): the query must carry the settings
  }
  const pick = (key: SettingKey): string => {
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
  const resolver = pick("resolver");
  if (!/^https?:\/\/./.test(resolver)) {
    throw new InputError(
      `the page has no valid resolver URL: ${JSON.stringify(resolver)}; add ?resolver=https://… to the address or set it in config.json`,
    );
  }
  const fromText = pick("fromBlock") || "0";
  if (!/^\d+$/.test(fromText))
    throw new InputError(`fromBlock "${fromText}" is not a block number`);
  const rangeText = pick("logRange");
  if (rangeText !== "" && !/^[1-9]\d*$/.test(rangeText))
    throw new InputError(`logRange "${rangeText}" is not a positive block count`);
  return {
    rpc,
    address: getAddress(address),
    resolver: resolver.replace(/\/+$/, ""),
    logs: {
      fromBlock: Number(fromText),
      ...(rangeText === "" ? {} : { maxRange: Number(rangeText) }),
    },
  };
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                         Chain
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
    throw new CheckUnavailableError(
      `cannot reach the ledger at ${settings.rpc}: ${describeError(error)}`,
    );
  }
  const network = Network.from(chainId);
  const provider = new JsonRpcProvider(settings.rpc, network, {
    staticNetwork: network,
    batchMaxCount: 1,
  });
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

/** Display names (`nameOf`) of the given addresses; "" where none or where the contract has no names. */
async function namesOf(
  contract: DrugTrace,
  addresses: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(addresses.filter((address) => address !== ZeroAddress))];
  const names = await Promise.all(
    unique.map((address) => readDisplayName(contract, address).catch(() => "")),
  );
  return new Map(unique.map((address, i) => [address, names[i] ?? ""]));
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

/** A participant: its name when it has one, the short address beside it (full one in the tooltip). */
function participantNode(address: string, name = "", role?: string): Node {
  const wrapper = document.createElement("span");
  if (role !== undefined) {
    const label = document.createElement("span");
    label.className = "role";
    label.textContent = role;
    wrapper.append(label);
  }
  if (name !== "") {
    const named = document.createElement("span");
    named.className = "name";
    named.textContent = `${name} `;
    wrapper.append(named);
  }
  const abbr = document.createElement("abbr");
  abbr.title = address;
  abbr.textContent = name === "" ? shortAddress(address) : `(${shortAddress(address)})`;
  wrapper.append(abbr);
  return wrapper;
}

/** A date (the end of a UTC day, as expiries are) written for people, e.g. "31 December 2027". */
function dateNode(seconds: bigint): HTMLElement {
  const node = document.createElement("time");
  node.dateTime = formatTimestamp(seconds).slice(0, 10);
  node.textContent = formatDay(seconds);
  return node;
}

/** A moment written for people in UTC, e.g. "31 Dec 2027, 14:05 UTC". */
function timeNode(seconds: bigint): HTMLElement {
  const node = document.createElement("time");
  node.dateTime = formatTimestamp(seconds);
  node.textContent = formatMoment(seconds);
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
  if (verdict.details !== undefined) {
    const details = document.createElement("details");
    const summary = document.createElement("summary");
    summary.textContent = "Technical details";
    const reason = document.createElement("p");
    reason.className = "verdict-details";
    reason.textContent = verdict.details;
    details.append(summary, reason);
    box.append(details);
  }
  if (verdict.status !== "Checking") {
    // a User Timing mark: what the check cost up to the verdict is measurable (npm run bench:web)
    performance.mark("carechain:verdict");
    // on a phone the verdict may be below the keyboard or the camera: bring it into view
    const rect = box.getBoundingClientRect();
    if (rect.top < 0 || rect.bottom > window.innerHeight) {
      const reduce = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
      box.scrollIntoView({ block: "start", behavior: reduce ? "auto" : "smooth" });
    }
  }
}

function unavailable(error: unknown): Verdict {
  return {
    status: "Unavailable",
    tone: "warn",
    title: UNAVAILABLE_TITLE,
    text: "The ledger or the manufacturer's lookup service did not answer. Nothing is wrong with your pack because of this; check it again in a few minutes.",
    details: `${describeError(error)}.`,
  };
}

function showProduct(
  check: Pick<PackCheck, "code" | "expiry" | "manufacturer" | "dispensing"> | undefined,
  names: ReadonlyMap<string, string> = new Map(),
): void {
  const section = element("product");
  section.hidden = check === undefined;
  if (check === undefined) return;
  const { code, expiry, manufacturer, dispensing } = check;
  element("product-gtin").textContent = code.gtin;
  element("product-lot").textContent = code.lot;
  element("product-serial").textContent = code.serial;
  const printed = code.expiry === undefined ? undefined : expiryToTimestamp(code.expiry);
  const shown = expiry > 0n ? expiry : printed;
  element("product-expiry").replaceChildren(shown === undefined ? "not known" : dateNode(shown));
  element("product-manufacturer").replaceChildren(
    manufacturer === ZeroAddress
      ? "not known"
      : participantNode(manufacturer, names.get(manufacturer)),
  );
  element("product-dispensed-row").hidden = dispensing === undefined;
  element("product-dispensed").replaceChildren(
    ...(dispensing === undefined
      ? []
      : [
          participantNode(dispensing.dispenser, names.get(dispensing.dispenser)),
          " on ",
          dateNode(dispensing.at),
        ]),
  );
  element("product-note").hidden = true;
}

function showJourney(
  rows: readonly BatchHistoryRow[] | undefined,
  roles: ReadonlyMap<string, string> = new Map(),
  names: ReadonlyMap<string, string> = new Map(),
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
    cell("Who", "actor", participantNode(row.actor, names.get(row.actor), roles.get(row.actor)));
    cell(
      "Details",
      "details",
      describeHistoryDetails(row).replace(/0x[0-9a-fA-F]{40}/g, (address) =>
        participantWords(names, getAddress(address)),
      ),
    );
    body.append(tr);
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                       Verifying
// ─────────────────────────────────────────────────────────────────────────────────────────────

let settings: Promise<Settings> | undefined;
let drugTrace: Promise<DrugTrace> | undefined;
/** Each check gets a number; a slower earlier check never overwrites a later one. */
let latestCheck = 0;

function connected(page: Settings): Promise<DrugTrace> {
  drugTrace ??= connectDrugTrace(page).catch((error: unknown) => {
    drugTrace = undefined; // try again on the next check
    throw error;
  });
  return drugTrace;
}

/** The addresses a journey names: its actors and the shipments' senders and recipients. */
function addressesOf(rows: readonly BatchHistoryRow[]): string[] {
  const found = rows.map((row) => row.actor);
  for (const row of rows) {
    if ("recipient" in row.details) found.push(row.details.sender, row.details.recipient);
  }
  return found;
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
    const result = await checkPack(contract, code, resolverProofSource(page.resolver), {
      dispensing: true,
      fromBlock: page.logs,
    });
    if (!current()) return;
    const names = await namesOf(contract, [
      result.manufacturer,
      ...(result.dispensing === undefined ? [] : [result.dispensing.dispenser]),
    ]);
    if (!current()) return;
    showVerdict(verdictOf(result, names));
    showProduct(result, names);
    if (result.status === "Unknown" || result.unit === undefined) return;
    const journey = await readUnitJourney(contract, result.batchId, result.unit.index, page.logs);
    if (!current()) return;
    const [roles, journeyNames] = await Promise.all([
      rolesOf(contract, journey),
      namesOf(contract, addressesOf(journey)),
    ]);
    if (!current()) return;
    showJourney(journey, roles, journeyNames);
  } catch (error) {
    if (!current()) return;
    if (error instanceof InputError && !(error instanceof CheckUnavailableError)) {
      showVerdict({
        status: "Unavailable",
        tone: "warn",
        title: "This page cannot check packs yet",
        text: "The page is not set up correctly. Tell the organisation that runs it.",
        details: `${describeError(error)}.`,
      });
    } else {
      showVerdict(unavailable(error));
    }
  } finally {
    if (current()) form.removeAttribute("aria-busy");
  }
}

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                          Scanning: camera and photo (BarcodeDetector)
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** The part of the Shape Detection API's `BarcodeDetector` this page uses. */
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<{ rawValue: string }[]>;
}

interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}

/** GS1 DataMatrix is what pharma packs carry; Digital Link is often a QR code. */
const PACK_FORMATS = ["data_matrix", "qr_code"];

let detector: Promise<BarcodeDetectorLike> | undefined;

/**
 * The browser's own `BarcodeDetector` when it reads both pack formats, else the `barcode-detector`
 * polyfill (ZXing's C++ decoder compiled to WebAssembly), loaded on first use with its .wasm from
 * this page's own origin (dist/zxing_reader.wasm): never from a CDN.
 */
function barcodeDetector(): Promise<BarcodeDetectorLike> {
  detector ??= (async () => {
    const native = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
    if (native !== undefined) {
      const formats = await native.getSupportedFormats().catch((): string[] => []);
      if (PACK_FORMATS.every((format) => formats.includes(format))) {
        document.documentElement.dataset.scanner = "native";
        return new native({ formats: PACK_FORMATS });
      }
    }
    const { BarcodeDetector, prepareZXingModule } = await import("barcode-detector/ponyfill");
    const wasmBase = new URL("dist/", document.baseURI).href;
    prepareZXingModule({
      overrides: {
        locateFile: (file: string, prefix: string) =>
          file.endsWith(".wasm") ? new URL(file, wasmBase).href : prefix + file,
      },
    });
    document.documentElement.dataset.scanner = "polyfill";
    return new BarcodeDetector({ formats: ["data_matrix", "qr_code"] });
  })();
  detector.catch(() => {
    detector = undefined;
  });
  return detector;
}

function setUpCamera(onCode: (text: string) => void): void {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition -- absent on plain HTTP and old browsers
  if (navigator.mediaDevices?.getUserMedia === undefined) return;
  const scanButton = element("scan", HTMLButtonElement);
  const panel = element("scanner");
  const video = element("camera", HTMLVideoElement);
  const status = element("scanner-status");
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
      let reader: BarcodeDetectorLike;
      try {
        reader = await barcodeDetector();
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
        });
      } catch (error) {
        showVerdict({
          status: "Unavailable",
          tone: "warn",
          title: "The camera is not available",
          text: "Take a photo of the code instead, or type the code.",
          details: `${describeError(error)}.`,
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
        if (busy || video.readyState < 2) return;
        busy = true;
        reader
          .detect(video)
          .then((found) => {
            const text = found[0]?.rawValue;
            if (text !== undefined && text !== "" && stream !== undefined) {
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

function setUpPhoto(onCode: (text: string) => void): void {
  const input = element("photo", HTMLInputElement);
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    input.value = "";
    if (file === undefined) return;
    void (async () => {
      showVerdict({
        status: "Checking",
        tone: "neutral",
        title: "Reading the photo…",
        text: "Looking for the pack's code in the photo.",
      });
      try {
        const reader = await barcodeDetector();
        const bitmap = await createImageBitmap(file);
        const found = await reader.detect(bitmap);
        bitmap.close();
        const text = found[0]?.rawValue;
        if (text === undefined || text === "") {
          showVerdict({
            status: "Invalid",
            tone: "warn",
            title: "No code found in this photo",
            text: "Take the photo again closer to the square code, in good light, or type the code.",
          });
          return;
        }
        onCode(text);
      } catch (error) {
        showVerdict({
          status: "Invalid",
          tone: "warn",
          title: "This photo cannot be read",
          text: "Try another photo, or type the code.",
          details: `${describeError(error)}.`,
        });
      }
    })();
  });
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
  const onScanned = (text: string): void => {
    // a scanned GS separator (FNC1) is kept: parsePackCode needs it to split variable fields
    input.value = text;
    void check(text);
  };
  setUpCamera(onScanned);
  setUpPhoto(onScanned);
  element("rule-lookups").textContent = String(DISPENSED_LOOKUP_LIMIT);
  element("rule-days").textContent = String(DISPENSED_AGE_LIMIT_DAYS);

  settings = loadSettings(new URL(window.location.href));
  settings.then(
    (page) => {
      element("settings-summary").textContent =
        `Ledger ${page.rpc}, DrugTrace contract ${page.address}, pack lookups from ${page.resolver}.`;
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
