import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  parseAddressOption,
  parseFromBlockOption,
  requireOption,
  isGiven,
} from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { exportConsentBundle } from "../../sdk/patient-consent/fhir.js";
import { cliAction, formatTable } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface ExportArgs {
  fhir?: string;
  patient?: string;
  participants?: string;
  fromBlock?: string;
  address?: string;
}

/**
 * `consent export --fhir <file> --patient <address> [--participants <file>]`: the patient's
 * consents as a FHIR R4 Bundle of Consent resources (validated), and a table of what it holds.
 */
export default cliAction(async (args: ExportArgs, hre: HardhatRuntimeEnvironment) => {
  const file = requireOption(args.fhir, "--fhir", "the FHIR Bundle to write, e.g. consents.json");
  const patient = parseAddressOption(args.patient, "--patient");
  const participants = await loadParticipants(
    isGiven(args.participants) ? args.participants : undefined,
  );
  const { consent } = await connectPatientConsent(hre, args);
  const { bundle, records } = await exportConsentBundle(consent, patient, {
    participants,
    fromBlock: parseFromBlockOption(args.fromBlock),
  });
  try {
    await writeFile(file, `${JSON.stringify(bundle, null, 2)}\n`);
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${(error as Error).message}`);
  }
  console.log(
    `wrote ${records.length} Consent resource(s) of ${patient} to ${file}: a valid FHIR R4 Bundle (official StructureDefinitions)`,
  );
  if (records.length > 0) {
    console.log(
      formatTable(
        ["consent id", "grantee", "state"],
        records.map((record) => [record.consentId, record.grantee, record.state]),
      ),
    );
  }
});
