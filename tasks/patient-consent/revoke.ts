import { revokeConsent } from "../../sdk/patient-consent/index.js";
import { parseAddressOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { consentParties, consentTask, openForPatient } from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent revoke` options. */
export type RevokeArgs = SignedOptions<"grantee" | "patient">;

/** `consent revoke`: the patient (or a delegate) revokes a grantee's consent at once. */
export async function consentRevoke(
  args: RevokeArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const grantee = parseAddressOption(args.grantee, "--grantee");

  const { contract: consent, signer, patient } = await openForPatient(connection, args);
  const result = await revokeConsent(consent, patient, grantee);
  printDone(
    io,
    `revoked consent ${result.consentId}`,
    consentParties({ patient, grantee }, "revoked by", signer.address),
    result,
  );
  return EXIT_OK;
}

export default consentTask(consentRevoke);
