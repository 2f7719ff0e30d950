import { getAddress, isAddress } from "ethers";

import { InputError } from "../errors.js";
import { parseJsonObject } from "../json.js";
import {
  PROTECTED_CATEGORIES_MASK,
  PURPOSES,
  PURPOSE_DISPLAY,
  categoryNames,
  parseCategories,
  parsePurposes,
  purposeNames,
} from "../patient-consent/vocabulary.js";
import type { CategoryName } from "../patient-consent/vocabulary.js";

/*
 * What the consent page says to a patient: requests, consents and accesses in plain words, and
 * the provider's request a link or QR code carries. Only codes, names and addresses: never any
 * health data.
 */

/** Each data category as a patient reads it. */
export const CATEGORY_WORDS: Readonly<Record<CategoryName, string>> = {
  demographics: "contact and personal details",
  conditions: "conditions and diagnoses",
  medications: "medications",
  allergies: "allergies",
  labs: "lab results",
  imaging: "scans and X-rays",
  notes: "doctors' notes",
  immunizations: "vaccinations",
  "mental-health": "mental health records",
  "substance-use": "substance use treatment records",
  genetics: "genetic test results",
  "sexual-reproductive-health": "sexual and reproductive health records",
};

/** "a", "a and b", "a, b and c". */
export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words[0] ?? "";
  return `${words.slice(0, -1).join(", ")} and ${words[words.length - 1] ?? ""}`;
}

/** The categories of `mask` in plain words ("lab results and medications"); "no records" for 0. */
export function describeCategories(mask: number | bigint): string {
  const names = categoryNames(mask) as CategoryName[];
  if (names.length === 0) return "no records";
  return joinWords(names.map((name) => CATEGORY_WORDS[name]));
}

/** The purposes of `mask` in plain words ("treatment and healthcare payment"). */
export function describePurposes(mask: number | bigint): string {
  return joinWords(purposeNames(mask).map((code) => PURPOSE_DISPLAY[code]));
}

/** A label file: display names of providers, insurers and guardians by address. */
export type Labels = ReadonlyMap<string, string>;

/**
 * Parses a label file `{ "0x…": "Dr Ada Lovelace, City Clinic", … }` (addresses checksummed
 * or not). Names are what the page shows; an address without a label is shown short.
 *
 * @example
 * const labels = parseLabels(await (await fetch("labels.json")).text());
 */
export function parseLabels(json: string): Labels {
  const parsed = parseJsonObject(json, "the label file", "a JSON object of address: name");
  const labels = new Map<string, string>();
  for (const [address, name] of Object.entries(parsed)) {
    if (!isAddress(address))
      throw new InputError(`label file: ${JSON.stringify(address)} is not an address`);
    if (typeof name !== "string" || name.trim() === "") {
      throw new InputError(`label file: the name of ${address} is not a text`);
    }
    labels.set(getAddress(address), name.trim());
  }
  return labels;
}

/** `0x7099…79C8`. */
export function shortAddress(address: string): string {
  const checksummed = getAddress(address);
  return `${checksummed.slice(0, 6)}…${checksummed.slice(-4)}`;
}

/** "Dr Ada Lovelace (0x7099…79C8)", or "an unlabelled account 0x7099…79C8". */
export function nameOf(labels: Labels, address: string): string {
  const name = labels.get(getAddress(address));
  return name === undefined
    ? `an unlabelled account ${shortAddress(address)}`
    : `${name} (${shortAddress(address)})`;
}

/** What a provider asks for: carried by a link or QR code, shown to the patient before approval. */
export interface ConsentRequest {
  readonly grantee: string;
  readonly purposes: number;
  readonly categories: number;
  readonly days: number;
}

/** The longest consent a link may ask for: ten years. */
export const LONGEST_REQUEST_DAYS = 3_650;

/**
 * Reads a provider's request from a link's query (`?grantee=0x…&purposes=TREAT&categories=labs,medications&days=30`).
 *
 * @example
 * const request = parseConsentRequest(new URL(location.href).searchParams);
 */
export function parseConsentRequest(query: URLSearchParams): ConsentRequest {
  const grantee = query.get("grantee") ?? "";
  if (!isAddress(grantee)) throw new InputError("the request's grantee is not an address");
  const purposes = parsePurposes(query.get("purposes") ?? "");
  const categories = parseCategories(query.get("categories") ?? "");
  if (purposes & (1 << PURPOSES.ETREAT)) {
    throw new InputError("emergency access is not asked for by link: it is break-glass");
  }
  const daysText = query.get("days") ?? "";
  const days = /^\d{1,5}$/.test(daysText) ? Number(daysText) : 0;
  if (days < 1 || days > LONGEST_REQUEST_DAYS) {
    throw new InputError(
      `the request's days must be a whole number from 1 to ${LONGEST_REQUEST_DAYS}`,
    );
  }
  return { grantee: getAddress(grantee), purposes, categories, days };
}

/**
 * The link a provider shows (as a QR code) to ask for consent on the page at `pageUrl`.
 *
 * @example
 * formatConsentRequestLink("http://localhost:8790/", { grantee, purposes: 1, categories: 20, days: 30 });
 */
export function formatConsentRequestLink(pageUrl: string, request: ConsentRequest): string {
  const url = new URL(pageUrl);
  url.search = "";
  url.searchParams.set("grantee", getAddress(request.grantee));
  url.searchParams.set("purposes", purposeNames(request.purposes).join(","));
  url.searchParams.set("categories", categoryNames(request.categories).join(","));
  url.searchParams.set("days", String(request.days));
  return url.toString();
}

/**
 * The request in words: "Dr Ada Lovelace (0x7099…79C8) asks to see your lab results and
 * medications for treatment, for 30 days".
 *
 * @example
 * describeConsentRequest(labels, request);
 */
export function describeConsentRequest(labels: Labels, request: ConsentRequest): string {
  const what =
    request.categories === 0
      ? "to act for you"
      : `to see your ${describeCategories(request.categories)}`;
  const days = request.days === 1 ? "1 day" : `${request.days} days`;
  return `${nameOf(labels, request.grantee)} asks ${what} for ${describePurposes(request.purposes)}, for ${days}`;
}

/** Whether `mask` includes a specially protected category (the page warns). */
export function includesProtected(mask: number | bigint): boolean {
  return (Number(mask) & PROTECTED_CATEGORIES_MASK) !== 0;
}
