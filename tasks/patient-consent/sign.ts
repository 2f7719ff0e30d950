import { writeFileSync } from "node:fs";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  latestTimestamp,
  parseCategories,
  parsePurposes,
  serializeSignedConsentGrant,
  signConsentGrant,
} from "../../sdk/patient-consent/index.js";
import { parseDays, parsePeriod } from "./period.js";
import {
  isGiven,
  parseAddressOption,
  parseOptionalAddressOption,
  parseUintOption,
} from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface SignArgs {
  /** A FHIR R4 Consent giving grantee, purposes, categories, period and patient. */
  fhir?: string;
  participants?: string;
  grantee?: string;
  purposes?: string;
  categories?: string;
  start?: string;
  until?: string;
  days?: string;
  deadlineDays: string;
  nonce?: string;
  patient?: string;
  out?: string;
  from?: string;
  address?: string;
}

/**
 * `consent sign`: the patient signs a grant off chain (EIP-712) and gets JSON to hand over;
 * anyone can submit it with `consent submit`. Prints only the JSON on stdout (or writes `--out`).
 */
export default cliAction(async (given: SignArgs, hre: HardhatRuntimeEnvironment) => {
  // the FHIR validator loads only when a Consent is given
  const args: SignArgs = isGiven(given.fhir)
    ? {
        ...given,
        ...(await (
          await import("./fhir-arguments.js")
        ).consentOptionsFromFhir({ ...given, fhir: given.fhir })),
      }
    : given;
  const grantee = parseAddressOption(args.grantee, "--grantee");
  const purposes = parsePurposes(args.purposes ?? "");
  const categories = parseCategories(args.categories ?? "");
  const deadlineIn = parseDays(args.deadlineDays, "--deadline-days");
  const patient = parseOptionalAddressOption(args.patient, "--patient");
  const nonce = isGiven(args.nonce) ? parseUintOption(args.nonce, "--nonce") : undefined;

  const { consent, signer, address } = await connectPatientConsent(hre, args);
  const now = await latestTimestamp(consent);
  const period = parsePeriod(args, now);
  const signed = await signConsentGrant(signer, address, {
    patient,
    grantee,
    purposes,
    categories,
    start: period.start,
    end: period.end,
    nonce,
    deadline: now + deadlineIn,
  });
  const json = serializeSignedConsentGrant(signed);
  const out = (args.out ?? "").trim();
  if (out === "") {
    console.log(json);
    return;
  }
  try {
    writeFileSync(out, `${json}\n`);
  } catch (error) {
    throw new InputError(`--out ${out}: ${(error as Error).message}`);
  }
  console.log(
    `wrote the grant of patient ${signed.grant.patient} to ${signed.grant.grantee}, signed by ${signer.address} (nonce ${signed.grant.nonce}), to ${out}: anyone may submit it with 'consent submit --grant ${out}'`,
  );
});
