import { existsSync, readFileSync } from "node:fs";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  categoryNames,
  grantConsentBySig,
  parseSignedConsentGrant,
  purposeNames,
} from "../../sdk/patient-consent/index.js";
import { cliAction, colour, formatTable, formatTimestamp, formatGas } from "../../sdk/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface SubmitArgs {
  grant?: string;
  from?: string;
  address?: string;
}

/** Reads `--grant`: inline JSON, or the path of a file `consent sign --out` wrote. */
function readGrantOption(value: string | undefined): string {
  const text = (value ?? "").trim();
  if (text === "") {
    throw new InputError("--grant is required: a file written by 'consent sign --out' or its JSON");
  }
  if (text.startsWith("{")) return text;
  if (!existsSync(text)) throw new InputError(`--grant ${text}: no such file`);
  return readFileSync(text, "utf8");
}

/** `consent submit`: anyone submits a grant a patient signed, paying the gas. */
export default cliAction(async (args: SubmitArgs, hre: HardhatRuntimeEnvironment) => {
  const signed = parseSignedConsentGrant(readGrantOption(args.grant));

  const { consent, signer, chainId, address } = await connectPatientConsent(hre, args);
  if (signed.domain.chainId !== chainId) {
    throw new InputError(
      `the grant was signed for chain ${signed.domain.chainId}, but this network is chain ${chainId}`,
    );
  }
  if (signed.domain.verifyingContract !== address) {
    throw new InputError(
      `the grant was signed for PatientConsent at ${signed.domain.verifyingContract}, not ${address}`,
    );
  }
  const result = await grantConsentBySig(consent, signed);

  const { grant } = signed;
  console.log(colour.green(`granted consent ${result.consentId} (signed by the patient)`));
  console.log(
    formatTable(
      ["field", "value"],
      [
        ["patient", grant.patient],
        ["grantee", grant.grantee],
        ["submitted by", signer.address],
        ["purposes", purposeNames(grant.purposes).join(", ")],
        ["categories", categoryNames(grant.categories).join(", ") || "(none: the purposes alone)"],
        ["from", formatTimestamp(grant.start)],
        ["until", formatTimestamp(grant.end)],
        ["nonce", grant.nonce],
        ["gas", formatGas(result.gasUsed)],
        ["transaction", result.transactionHash],
      ],
    ),
  );
});
