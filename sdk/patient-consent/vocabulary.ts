import { InputError } from "../errors.js";

/**
 * HL7 v3 PurposeOfUse codes (the FHIR Consent `provision.purpose` value set), numbered as the
 * `uint8 purpose` of `PatientConsent`. The contract allows at most 32 purposes (a `uint32` mask).
 */
export const PURPOSES = {
  TREAT: 0, // treatment
  ETREAT: 1, // emergency treatment (break-glass)
  HPAYMT: 2, // healthcare payment
  HOPERAT: 3, // healthcare operations
  HRESCH: 4, // healthcare research
  PUBHLTH: 5, // public health
  CAREMGT: 6, // care management
  COVERAGE: 7, // coverage under policy or program
  HSYSADMIN: 8, // health system administration
  PATRQT: 9, // patient requested
  FAMRQT: 10, // family requested
  HLEGAL: 11, // legal
  HMARKT: 12, // marketing
  CLINTRCH: 13, // clinical trial research
} as const;

export type PurposeCode = keyof typeof PURPOSES;

/** Human-readable names of the purposes, for tables and help text. */
export const PURPOSE_DISPLAY: Readonly<Record<PurposeCode, string>> = {
  TREAT: "treatment",
  ETREAT: "emergency treatment",
  HPAYMT: "healthcare payment",
  HOPERAT: "healthcare operations",
  HRESCH: "healthcare research",
  PUBHLTH: "public health",
  CAREMGT: "care management",
  COVERAGE: "coverage under policy or program",
  HSYSADMIN: "health system administration",
  PATRQT: "patient requested",
  FAMRQT: "family requested",
  HLEGAL: "legal",
  HMARKT: "marketing",
  CLINTRCH: "clinical trial research",
};

/**
 * Data categories, as bit positions in the `uint32 categories` mask of `PatientConsent`. The
 * last four are specially protected (mental health; substance use under 42 CFR Part 2;
 * genetics; sexual and reproductive health) and are never implied by other categories.
 */
export const CATEGORIES = {
  demographics: 0,
  conditions: 1,
  medications: 2,
  allergies: 3,
  labs: 4,
  imaging: 5,
  notes: 6,
  immunizations: 7,
  "mental-health": 8,
  "substance-use": 9,
  genetics: 10,
  "sexual-reproductive-health": 11,
} as const;

export type CategoryName = keyof typeof CATEGORIES;

/** The specially protected categories' mask. */
export const PROTECTED_CATEGORIES_MASK: number =
  (1 << CATEGORIES["mental-health"]) |
  (1 << CATEGORIES["substance-use"]) |
  (1 << CATEGORIES.genetics) |
  (1 << CATEGORIES["sexual-reproductive-health"]);

/** Every defined category's mask. */
export const ALL_CATEGORIES_MASK: number = fullMask(CATEGORIES);

/**
 * Parses a purpose code typed by a person (case-insensitive), e.g. `TREAT`.
 *
 * @example
 * parsePurpose("hpaymt"); // 2
 */
export function parsePurpose(word: string): number {
  const code = word.trim().toUpperCase();
  // Object.hasOwn, not `in`: `in` also finds Object.prototype members.
  if (!Object.hasOwn(PURPOSES, code)) {
    throw new InputError(
      `unknown purpose '${word}'; valid purposes: ${Object.keys(PURPOSES).join(", ")}`,
    );
  }
  return PURPOSES[code as PurposeCode];
}

/** The purpose code for a number, e.g. 2 → `HPAYMT`. */
export function purposeName(purpose: number | bigint): PurposeCode | `purpose#${string}` {
  const found = (Object.entries(PURPOSES) as [PurposeCode, number][]).find(
    ([, value]) => value === Number(purpose),
  );
  return found === undefined ? `purpose#${purpose}` : found[0];
}

/**
 * Parses a comma-separated list of category words into a mask, e.g. `labs,medications`.
 *
 * @example
 * parseCategories("labs,medications"); // (1 << 4) | (1 << 2) = 20
 */
export function parseCategories(words: string): number {
  return maskOfWords(words, (raw) => {
    const word = raw.trim().toLowerCase();
    // Object.hasOwn, not `in`: `in` would take `constructor` for a category.
    if (!Object.hasOwn(CATEGORIES, word)) {
      throw new InputError(
        `unknown category '${raw.trim()}'; valid categories: ${Object.keys(CATEGORIES).join(", ")}`,
      );
    }
    return CATEGORIES[word as CategoryName];
  });
}

/** The mask of a comma-separated list, each entry's bit read by `bitOf` (blank entries skipped). */
function maskOfWords(words: string, bitOf: (word: string) => number): number {
  let mask = 0;
  for (const raw of words.split(",")) if (raw.trim() !== "") mask |= 1 << bitOf(raw);
  return mask;
}

/** The names in `table` whose bit is set in `mask`, in the table's order. */
function namesInMask<N extends string>(
  table: Readonly<Record<N, number>>,
  mask: number | bigint,
): N[] {
  const value = Number(mask);
  return (Object.entries(table) as [N, number][])
    .filter(([, bit]) => (value & (1 << bit)) !== 0)
    .map(([name]) => name);
}

/** The mask with every bit of `table` set. */
function fullMask(table: Readonly<Record<string, number>>): number {
  return Object.values(table).reduce<number>((mask, bit) => mask | (1 << bit), 0);
}

/** The category words of a mask, e.g. 20 → `["medications", "labs"]`. */
export function categoryNames(mask: number | bigint): string[] {
  return namesInMask(CATEGORIES, mask);
}

/** Every defined purpose's mask (bit `code` set for each purpose code). */
export const ALL_PURPOSES_MASK: number = fullMask(PURPOSES);

/**
 * Parses a comma-separated list of purpose codes typed by a person into a mask, e.g.
 * `TREAT,HPAYMT`. An empty list is an error: a consent needs at least one purpose.
 *
 * @example
 * parsePurposes("TREAT,hpaymt"); // (1 << 0) | (1 << 2) = 5
 */
export function parsePurposes(words: string): number {
  const mask = maskOfWords(words, parsePurpose);
  if (mask === 0) {
    throw new InputError(`no purpose given; valid purposes: ${Object.keys(PURPOSES).join(", ")}`);
  }
  return mask;
}

/** The purpose codes of a mask, e.g. 5 → `["TREAT", "HPAYMT"]`. */
export function purposeNames(mask: number | bigint): PurposeCode[] {
  return namesInMask(PURPOSES, mask);
}
