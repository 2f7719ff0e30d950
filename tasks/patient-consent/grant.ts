import { grantConsent, latestTimestamp } from "../../sdk/patient-consent/index.js";
import { parsePeriod } from "./period.js";
import { parseOptionalAddressOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import {
  consentTask,
  grantFields,
  openPatientConsent,
  parseGrantTerms,
  printDone,
} from "./connection.js";
import type { GrantTermsArgs } from "./connection.js";

/** `consent grant`: the patient (or a delegate) grants a purpose- and time-bound consent. */
export async function consentGrant(
  given: GrantTermsArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { args, grantee, purposes, categories } = await parseGrantTerms(given);
  const patientOption = parseOptionalAddressOption(args.patient, "--patient");

  const { contract: consent, signer } = await openPatientConsent(connection, args);
  const patient = patientOption ?? signer.address;
  const { start, end } = parsePeriod(args, await latestTimestamp(consent));
  const result = await grantConsent(consent, {
    patient,
    grantee,
    purposes,
    categories,
    start,
    end,
  });

  printDone(
    io,
    `granted consent ${result.consentId}`,
    [
      ["patient", patient],
      ["grantee", grantee],
      ["granted by", signer.address],
      ...grantFields({ purposes, categories, start, end }),
    ],
    result,
  );
  return EXIT_OK;
}

export default consentTask(consentGrant);
