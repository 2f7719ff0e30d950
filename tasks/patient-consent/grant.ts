import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import {
  categoryNames,
  grantConsent,
  latestTimestamp,
  parseCategories,
  parsePurposes,
  purposeNames,
} from "../../sdk/patient-consent/index.js";
import { parsePeriod } from "./period.js";
import { isGiven, parseAddressOption, parseOptionalAddressOption } from "../lib/options.js";
import { cliAction, colour, formatTable, formatTimestamp, formatGas } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface GrantArgs {
  /** A FHIR R4 Consent giving grantee, purposes, categories, period and patient. */
  fhir?: string;
  participants?: string;
  grantee?: string;
  purposes?: string;
  categories?: string;
  start?: string;
  until?: string;
  days?: string;
  patient?: string;
  from?: string;
  address?: string;
}

/** `consent grant`: the patient (or a delegate) grants a purpose- and time-bound consent. */
export default cliAction(async (given: GrantArgs, hre: HardhatRuntimeEnvironment) => {
  // the FHIR validator loads only when a Consent is given
  const args: GrantArgs = isGiven(given.fhir)
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
  const patientOption = parseOptionalAddressOption(args.patient, "--patient");

  const { consent, signer } = await connectPatientConsent(hre, args);
  const patient = patientOption ?? signer.address;
  const period = parsePeriod(args, await latestTimestamp(consent));
  const result = await grantConsent(consent, {
    patient,
    grantee,
    purposes,
    categories,
    start: period.start,
    end: period.end,
  });

  console.log(colour.green(`granted consent ${result.consentId}`));
  console.log(
    formatTable(
      ["field", "value"],
      [
        ["patient", patient],
        ["grantee", grantee],
        ["granted by", signer.address],
        ["purposes", purposeNames(purposes).join(", ")],
        ["categories", categoryNames(categories).join(", ") || "(none: the purposes alone)"],
        ["from", formatTimestamp(period.start)],
        ["until", formatTimestamp(period.end)],
        ["gas", formatGas(result.gasUsed)],
        ["transaction", result.transactionHash],
      ],
    ),
  );
});
