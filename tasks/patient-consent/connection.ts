import { writeFileSync } from "node:fs";

import { InputError } from "../../sdk/errors.js";
import {
  categoryNames,
  parseCategories,
  parsePurposes,
  purposeNames,
} from "../../sdk/patient-consent/index.js";
import { isGiven, parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { openSuiteContract, scopeTask } from "../lib/task.js";
import type { ActingContract, TaskConnection, TaskIo } from "../lib/task.js";
import { formatTimestamp } from "../lib/terminal.js";
import type { Field } from "../lib/terminal.js";
import type { PatientConsent } from "../../typechain-types/index.js";
import type { StringOptions } from "../lib/task.js";

/*
 * The plumbing every `consent …` task shares, on top of the task shape of `tasks/lib/task.ts`:
 * each task file exports `consent<Verb>(args, connection, io)` returning the exit code, and
 * `export default consentTask(consent<Verb>)`.
 */

/**
 * A `consent …` task file's default export (`scopeTask` of `tasks/lib/task.ts`).
 *
 * @example
 * export default consentTask(consentGrant);
 */
export const consentTask = scopeTask;

/**
 * PatientConsent at `--address` (default: the Ignition deployment for the chain), connected to
 * the account `--from` picks.
 *
 * @example
 * const { contract: consent, signer } = await openPatientConsent(connection, args);
 */
export function openPatientConsent(
  connection: TaskConnection,
  options: { readonly address?: string | undefined; readonly from?: string | undefined },
): Promise<ActingContract<PatientConsent>> {
  return openSuiteContract(connection, "PatientConsent", options, (address, signer) =>
    connection.ethers.getContractAt("PatientConsent", address, signer),
  );
}

/**
 * PatientConsent as `openPatientConsent` opens it, and the patient the task acts for: `--patient`
 * (checked before connecting), by default the signer.
 *
 * @example
 * const { contract: consent, signer, patient } = await openForPatient(connection, args);
 */
export async function openForPatient(
  connection: TaskConnection,
  options: StringOptions<"patient" | "address" | "from">,
): Promise<ActingContract<PatientConsent> & { patient: string }> {
  const patient = parseOptionalAddressOption(options.patient, "--patient");
  const opened = await openPatientConsent(connection, options);
  return { ...opened, patient: patient ?? opened.signer.address };
}

/**
 * Whom a consent written on chain concerns, as fields: the patient, the grantee, and the account
 * that signed the write (`label`, e.g. "granted by").
 *
 * @example
 * consentParties({ patient, grantee }, "revoked by", signer.address);
 */
export function consentParties(
  consent: { readonly patient: string; readonly grantee: string },
  label: string,
  signer: string,
): Field[] {
  return [
    ["patient", consent.patient],
    ["grantee", consent.grantee],
    [label, signer],
  ];
}

/** The purposes and categories of a grant or a delegate's scope, as fields. */
export function scopeFields(
  purposes: number | bigint,
  categories: number | bigint,
  labels: { readonly purposes: string; readonly categories: string; readonly none: string },
): Field[] {
  return [
    [labels.purposes, purposeNames(purposes).join(", ")],
    [labels.categories, categoryNames(categories).join(", ") || labels.none],
  ];
}

/** A grant's terms as fields: purposes, categories and period. */
export function grantFields(grant: {
  readonly purposes: number | bigint;
  readonly categories: number | bigint;
  readonly start: bigint;
  readonly end: bigint;
}): Field[] {
  return [
    ...scopeFields(grant.purposes, grant.categories, {
      purposes: "purposes",
      categories: "categories",
      none: "(none: the purposes alone)",
    }),
    ["from", formatTimestamp(grant.start)],
    ["until", formatTimestamp(grant.end)],
  ];
}

/** The options of `consent grant` and `consent sign` that name the terms. */
export interface GrantTermsArgs {
  /** A FHIR R4 Consent giving grantee, purposes, categories, period and patient. */
  readonly fhir?: string | undefined;
  readonly participants?: string | undefined;
  readonly grantee?: string | undefined;
  readonly purposes?: string | undefined;
  readonly categories?: string | undefined;
  readonly start?: string | undefined;
  readonly until?: string | undefined;
  readonly days?: string | undefined;
  readonly patient?: string | undefined;
  readonly from?: string | undefined;
  readonly address?: string | undefined;
}

/**
 * The terms of `consent grant` / `consent sign`: typed options, or those of `--fhir` (the FHIR
 * validator loads only when a Consent is given), with grantee, purposes and categories checked.
 */
export async function parseGrantTerms<A extends GrantTermsArgs>(
  given: A,
): Promise<{ args: A; grantee: string; purposes: number; categories: number }> {
  const args: A = isGiven(given.fhir)
    ? {
        ...given,
        ...(await (
          await import("./fhir-arguments.js")
        ).consentOptionsFromFhir({ ...given, fhir: given.fhir })),
      }
    : given;
  return {
    args,
    grantee: parseAddressOption(args.grantee, "--grantee"),
    purposes: parsePurposes(args.purposes ?? ""),
    categories: parseCategories(args.categories ?? ""),
  };
}

/** The options of `consent delegate` and `consent sign-delegate` that set a delegate's scope. */
export type DelegateScopeArgs = StringOptions<
  "delegate" | "purposes" | "categories" | "until" | "days"
> & { readonly revoke: boolean };

/**
 * The delegate and its scope (none with `--revoke`, which refuses scope options: `refusal` says
 * what `--revoke` does).
 */
export function parseDelegateScope(
  args: DelegateScopeArgs,
  refusal: string,
): { delegate: string; purposes: number; categories: number } {
  const delegate = parseAddressOption(args.delegate, "--delegate");
  if (args.revoke && [args.until, args.days, args.purposes, args.categories].some(isGiven)) {
    throw new InputError(`--revoke ${refusal}: drop --purposes, --categories, --until and --days`);
  }
  return {
    delegate,
    purposes: args.revoke ? 0 : parsePurposes(args.purposes ?? ""),
    categories: args.revoke ? 0 : parseCategories(args.categories ?? ""),
  };
}

/** A delegate's scope as fields. */
export function delegateFields(purposes: number | bigint, categories: number | bigint): Field[] {
  return scopeFields(purposes, categories, {
    purposes: "may grant purposes",
    categories: "on categories",
    none: "(none: purposes alone)",
  });
}

/**
 * Prints a signed action's JSON, or writes it to `--out` and prints one line saying what was
 * written and how to submit it.
 */
export function writeSigned(
  io: TaskIo,
  json: string,
  out: string | undefined,
  written: string,
): void {
  if (!isGiven(out)) {
    io.print(json);
    return;
  }
  const path = out.trim();
  try {
    writeFileSync(path, `${json}\n`);
  } catch (error) {
    throw new InputError(`--out ${path}: ${(error as Error).message}`);
  }
  io.print(
    `wrote ${written} to ${path}: anyone may submit it with 'consent submit --grant ${path}'`,
  );
}
