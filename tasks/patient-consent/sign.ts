import {
  latestTimestamp,
  serializeSignedConsentGrant,
  signConsentGrant,
} from "../../sdk/patient-consent/index.js";
import { parseOffChainSigning, parsePeriod } from "./period.js";
import type { OffChainSigningArgs } from "./period.js";
import { isGiven, parseUintOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { consentTask, openPatientConsent, parseGrantTerms, writeSigned } from "./connection.js";
import type { GrantTermsArgs } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/** `consent sign` options. */
export type SignArgs = GrantTermsArgs & OffChainSigningArgs & StringOptions<"nonce">;

/**
 * `consent sign`: the patient signs a grant off chain (EIP-712) and gets JSON to hand over;
 * anyone can submit it with `consent submit`. Prints only the JSON (or writes `--out`).
 */
export async function consentSign(
  given: SignArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { args, grantee, purposes, categories } = await parseGrantTerms(given);
  const { deadlineIn, patient } = parseOffChainSigning(args);
  const nonce = isGiven(args.nonce) ? parseUintOption(args.nonce, "--nonce") : undefined;

  const { contract: consent, signer, address } = await openPatientConsent(connection, args);
  const now = await latestTimestamp(consent);
  const terms = { patient, grantee, purposes, categories, ...parsePeriod(args, now) };
  const signed = await signConsentGrant(signer, address, {
    ...terms,
    nonce,
    deadline: now + deadlineIn,
  });
  const { grant } = signed;
  writeSigned(
    io,
    serializeSignedConsentGrant(signed),
    args.out,
    `the grant of patient ${grant.patient} to ${grant.grantee}, signed by ${signer.address} (nonce ${grant.nonce}),`,
  );
  return EXIT_OK;
}

export default consentTask(consentSign);
