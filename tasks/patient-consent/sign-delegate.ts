import {
  latestTimestamp,
  serializeSignedConsentAction,
  signDelegateAppointment,
  signDelegateRemoval,
} from "../../sdk/patient-consent/index.js";
import { parseOffChainSigning, parsePeriod } from "./period.js";
import type { OffChainSigningArgs } from "./period.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { consentTask, openPatientConsent, parseDelegateScope, writeSigned } from "./connection.js";
import type { DelegateScopeArgs } from "./connection.js";

/** `consent sign-delegate` options. */
export type SignDelegateArgs = DelegateScopeArgs & OffChainSigningArgs;

/**
 * `consent sign-delegate`: the patient signs off chain the appointment of a delegate with a
 * scope, or (`--revoke`) its removal; anyone submits it with `consent submit`.
 */
export async function consentSignDelegate(
  args: SignDelegateArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { deadlineIn, patient } = parseOffChainSigning(args);
  const { delegate, purposes, categories } = parseDelegateScope(
    args,
    "signs the delegate's removal",
  );

  const { contract: consent, signer, address } = await openPatientConsent(connection, args);
  const now = await latestTimestamp(consent);
  const deadline = now + deadlineIn;
  const signed = args.revoke
    ? await signDelegateRemoval(signer, address, { patient, delegate, deadline })
    : await signDelegateAppointment(signer, address, {
        patient,
        delegate,
        purposes,
        categories,
        until: parsePeriod({ until: args.until, days: args.days }, now).end,
        deadline,
      });
  const what = args.revoke
    ? `the removal by patient ${signed.message.patient} of delegate ${delegate}`
    : `the appointment by patient ${signed.message.patient} of delegate ${delegate} (nonce ${signed.message.nonce})`;
  writeSigned(
    io,
    serializeSignedConsentAction(signed),
    args.out,
    `${what}, signed by ${signer.address}`,
  );
  return EXIT_OK;
}

export default consentTask(consentSignDelegate);
