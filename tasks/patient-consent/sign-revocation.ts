import {
  latestTimestamp,
  serializeSignedConsentAction,
  signConsentRevocation,
} from "../../sdk/patient-consent/index.js";
import { parseOffChainSigning } from "./period.js";
import type { OffChainSigningArgs } from "./period.js";
import { parseAddressOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { consentTask, openPatientConsent, writeSigned } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/** `consent sign-revocation` options. */
export type SignRevocationArgs = OffChainSigningArgs & StringOptions<"grantee">;

/**
 * `consent sign-revocation`: the patient signs the revocation of a grantee's consent off chain
 * (EIP-712, a random unordered nonce nobody can use up first); anyone submits it with
 * `consent submit`, also while the contract is paused.
 */
export async function consentSignRevocation(
  args: SignRevocationArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const grantee = parseAddressOption(args.grantee, "--grantee");
  const { deadlineIn, patient } = parseOffChainSigning(args);

  const { contract: consent, signer, address } = await openPatientConsent(connection, args);
  const deadline = (await latestTimestamp(consent)) + deadlineIn;
  const signed = await signConsentRevocation(signer, address, { patient, grantee, deadline });
  writeSigned(
    io,
    serializeSignedConsentAction(signed),
    args.out,
    `the revocation by patient ${signed.message.patient} of ${grantee}'s consent, signed by ${signer.address}`,
  );
  return EXIT_OK;
}

export default consentTask(consentSignRevocation);
