import { InputError } from "../../sdk/errors.js";
import {
  anchorRecord,
  logAccess,
  parseCategories,
  parsePurpose,
  purposeName,
  readRecord,
} from "../../sdk/patient-consent/index.js";
import { hashEvidence } from "../lib/evidence.js";
import { isGiven, parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { consentTask, openPatientConsent } from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent access` options. */
export type AccessArgs = SignedOptions<"provider" | "categories"> & {
  readonly patient: string;
  readonly record: string;
  readonly purpose: string;
};

/**
 * `consent access --patient <address> --record <file|0xhash> --purpose <code> [--provider <address>] [--categories <words>]`:
 * logs the signer's access to a patient's record on chain, covered by a consent (or, for ETREAT,
 * an open break-glass window); it shows in `consent log`. A provider's own record not yet
 * anchored is anchored first with `--categories` (only its keccak256 goes on chain).
 */
export async function consentAccess(
  args: AccessArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const patient = parseAddressOption(args.patient, "--patient");
  const purpose = parsePurpose(args.purpose);
  const recordHash = await hashEvidence(args.record, "--record");
  const providerOption = parseOptionalAddressOption(args.provider, "--provider");

  const { contract: consent, signer } = await openPatientConsent(connection, args);
  const provider = providerOption ?? signer.address;
  const fields: [string, string][] = [
    ["patient", patient],
    ["record", `${recordHash} of ${provider}`],
  ];
  if (!(await readRecord(consent, provider, recordHash)).anchored) {
    if (provider !== signer.address) {
      throw new InputError(
        `${provider} has not anchored record ${recordHash}: only the provider anchors its records`,
      );
    }
    if (!isGiven(args.categories)) {
      throw new InputError(
        "--categories is required to anchor a new record (the data categories it holds, e.g. labs)",
      );
    }
    const anchored = await anchorRecord(
      consent,
      patient,
      recordHash,
      parseCategories(args.categories),
    );
    fields.push(["anchored", `${args.categories.trim()} (${anchored.receipt.hash})`]);
  }
  const logged = await logAccess(consent, patient, provider, recordHash, purpose);
  printDone(
    io,
    `logged access by ${signer.address} for ${purposeName(purpose)}`,
    [
      ...fields,
      [
        "covered by",
        logged.breakGlassId === 0n
          ? `consent ${logged.consentId}`
          : `break-glass #${logged.breakGlassId}`,
      ],
    ],
    logged,
  );
  return EXIT_OK;
}

export default consentTask(consentAccess);
