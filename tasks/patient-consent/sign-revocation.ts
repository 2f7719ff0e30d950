import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  latestTimestamp,
  serializeSignedConsentAction,
  signConsentRevocation,
} from "../../sdk/patient-consent/index.js";
import { parseDays } from "./period.js";
import { parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";
import { writeSigned } from "./write-signed.js";

interface SignRevocationArgs {
  grantee?: string;
  deadlineDays: string;
  patient?: string;
  out?: string;
  from?: string;
  address?: string;
}

/**
 * `consent sign-revocation`: the patient signs the revocation of a grantee's consent off chain
 * (EIP-712, a random unordered nonce nobody can use up first); anyone submits it with
 * `consent submit`, also while the contract is paused.
 */
export default cliAction(async (args: SignRevocationArgs, hre: HardhatRuntimeEnvironment) => {
  const grantee = parseAddressOption(args.grantee, "--grantee");
  const deadlineIn = parseDays(args.deadlineDays, "--deadline-days");
  const patient = parseOptionalAddressOption(args.patient, "--patient");

  const { consent, signer, address } = await connectPatientConsent(hre, args);
  const now = await latestTimestamp(consent);
  const signed = await signConsentRevocation(signer, address, {
    patient,
    grantee,
    deadline: now + deadlineIn,
  });
  writeSigned(
    serializeSignedConsentAction(signed),
    args.out,
    `the revocation by patient ${signed.message.patient} of ${grantee}'s consent, signed by ${signer.address}`,
  );
});
