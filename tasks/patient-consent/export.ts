import {
  parseAddressOption,
  parseFromBlockOption,
  requireOption,
  isGiven,
} from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { exportConsentBundle } from "../../sdk/patient-consent/fhir.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { formatTable } from "../lib/terminal.js";
import { consentTask, openPatientConsent } from "./connection.js";
import type { StringOptions } from "../lib/task.js";
import { writeJsonFile } from "../lib/files.js";

/** `consent export` options. */
export type ExportArgs = StringOptions<
  "fhir" | "patient" | "participants" | "fromBlock" | "address"
>;

/**
 * `consent export --fhir <file> --patient <address> [--participants <file>]`: the patient's
 * consents as a FHIR R4 Bundle of Consent resources (validated), and a table of what it holds.
 */
export async function consentExport(
  args: ExportArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const file = requireOption(args.fhir, "--fhir", "the FHIR Bundle to write, e.g. consents.json");
  const patient = parseAddressOption(args.patient, "--patient");
  const participants = await loadParticipants(
    isGiven(args.participants) ? args.participants : undefined,
  );
  const { contract: consent } = await openPatientConsent(connection, args);
  const { bundle, records } = await exportConsentBundle(consent, patient, {
    participants,
    fromBlock: parseFromBlockOption(args.fromBlock),
  });
  await writeJsonFile(file, bundle);
  io.print(
    `wrote ${records.length} Consent resource(s) of ${patient} to ${file}: a valid FHIR R4 Bundle (official StructureDefinitions)`,
  );
  if (records.length > 0) {
    io.print(
      formatTable(
        ["consent id", "grantee", "state"],
        records.map((record) => [record.consentId, record.grantee, record.state]),
      ),
    );
  }
  return EXIT_OK;
}

export default consentTask(consentExport);
