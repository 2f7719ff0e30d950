import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  latestTimestamp,
  parseCategories,
  parsePurposes,
  serializeSignedConsentAction,
  signDelegateAppointment,
  signDelegateRemoval,
} from "../../sdk/patient-consent/index.js";
import { parseDays, parsePeriod } from "./period.js";
import { parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";
import { writeSigned } from "./write-signed.js";

interface SignDelegateArgs {
  delegate?: string;
  purposes?: string;
  categories?: string;
  until?: string;
  days?: string;
  revoke: boolean;
  deadlineDays: string;
  patient?: string;
  out?: string;
  from?: string;
  address?: string;
}

/**
 * `consent sign-delegate`: the patient signs off chain the appointment of a delegate with a
 * scope, or (`--revoke`) its removal; anyone submits it with `consent submit`.
 */
export default cliAction(async (args: SignDelegateArgs, hre: HardhatRuntimeEnvironment) => {
  const delegate = parseAddressOption(args.delegate, "--delegate");
  const deadlineIn = parseDays(args.deadlineDays, "--deadline-days");
  const patient = parseOptionalAddressOption(args.patient, "--patient");
  if (
    args.revoke &&
    [args.until, args.days, args.purposes, args.categories].some((value) => (value ?? "") !== "")
  ) {
    throw new InputError(
      "--revoke signs the delegate's removal: drop --purposes, --categories, --until and --days",
    );
  }
  const purposes = args.revoke ? 0 : parsePurposes(args.purposes ?? "");
  const categories = args.revoke ? 0 : parseCategories(args.categories ?? "");

  const { consent, signer, address } = await connectPatientConsent(hre, args);
  const now = await latestTimestamp(consent);
  const deadline = now + deadlineIn;
  if (args.revoke) {
    const signed = await signDelegateRemoval(signer, address, { patient, delegate, deadline });
    writeSigned(
      serializeSignedConsentAction(signed),
      args.out,
      `the removal by patient ${signed.message.patient} of delegate ${delegate}, signed by ${signer.address}`,
    );
    return;
  }
  const { end } = parsePeriod({ until: args.until, days: args.days }, now);
  const signed = await signDelegateAppointment(signer, address, {
    patient,
    delegate,
    purposes,
    categories,
    until: end,
    deadline,
  });
  writeSigned(
    serializeSignedConsentAction(signed),
    args.out,
    `the appointment by patient ${signed.message.patient} of delegate ${delegate} (nonce ${signed.message.nonce}), signed by ${signer.address}`,
  );
});
