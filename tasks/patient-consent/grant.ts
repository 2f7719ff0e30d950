import { grantConsent, latestTimestamp } from "../../sdk/patient-consent/index.js";
import { parsePeriod } from "./period.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import {
  consentParties,
  consentTask,
  grantFields,
  openForPatient,
  parseGrantTerms,
} from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { GrantTermsArgs } from "./connection.js";

/** `consent grant`: the patient (or a delegate) grants a purpose- and time-bound consent. */
export async function consentGrant(
  given: GrantTermsArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { args, grantee, purposes, categories } = await parseGrantTerms(given);

  const { contract: consent, signer, patient } = await openForPatient(connection, args);
  const period = parsePeriod(args, await latestTimestamp(consent));
  const grant = { patient, grantee, purposes, categories, ...period };
  const result = await grantConsent(consent, grant);

  printDone(
    io,
    `granted consent ${result.consentId}`,
    [...consentParties(grant, "granted by", signer.address), ...grantFields(grant)],
    result,
  );
  return EXIT_OK;
}

export default consentTask(consentGrant);
