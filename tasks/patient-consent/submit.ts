import { existsSync, readFileSync } from "node:fs";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  categoryNames,
  grantConsentBySig,
  parseSignedConsentAction,
  parseSignedConsentGrant,
  purposeNames,
  revokeConsentBySig,
  revokeDelegateBySig,
  setDelegateBySig,
} from "../../sdk/patient-consent/index.js";
import { cliAction, colour, formatTable, formatTimestamp, formatGas } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface SubmitArgs {
  grant?: string;
  from?: string;
  address?: string;
}

function printRows(rows: (string | bigint)[][]): void {
  console.log(formatTable(["field", "value"], rows));
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

/** Refuses an action signed for another chain or another PatientConsent, before any transaction. */
function checkDomain(
  what: string,
  domain: { readonly chainId: bigint; readonly verifyingContract: string },
  chainId: bigint,
  address: string,
): void {
  if (domain.chainId !== chainId) {
    throw new InputError(
      `the ${what} was signed for chain ${domain.chainId}, but this network is chain ${chainId}`,
    );
  }
  if (domain.verifyingContract !== address) {
    throw new InputError(
      `the ${what} was signed for PatientConsent at ${domain.verifyingContract}, not ${address}`,
    );
  }
}

/** `consent submit`: anyone submits an action a patient signed, paying the gas. */
export default cliAction(async (args: SubmitArgs, hre: HardhatRuntimeEnvironment) => {
  const text = readGrantOption(args.grant);
  if (/"primaryType"\s*:/.test(text)) {
    const action = parseSignedConsentAction(text);
    const { consent, signer, chainId, address } = await connectPatientConsent(hre, args);
    const { patient } = action.message;
    switch (action.primaryType) {
      case "ConsentRevocation": {
        checkDomain("revocation", action.domain, chainId, address);
        const result = await revokeConsentBySig(consent, action);
        console.log(colour.green(`revoked consent ${result.consentId} (signed by the patient)`));
        printRows([
          ["patient", patient],
          ["grantee", action.message.grantee],
          ["submitted by", signer.address],
          ["gas", formatGas(result.gasUsed)],
          ["transaction", result.transactionHash],
        ]);
        return;
      }
      case "DelegateAppointment": {
        checkDomain("appointment", action.domain, chainId, address);
        const result = await setDelegateBySig(consent, action);
        console.log(
          colour.green(`appointed delegate ${action.message.delegate} (signed by the patient)`),
        );
        printRows([
          ["patient", patient],
          ["may grant purposes", purposeNames(action.message.purposes).join(", ")],
          ["on categories", categoryNames(action.message.categories).join(", ") || "(none)"],
          ["until", formatTimestamp(action.message.until)],
          ["submitted by", signer.address],
          ["gas", formatGas(result.gasUsed)],
          ["transaction", result.transactionHash],
        ]);
        return;
      }
      case "DelegateRemoval": {
        checkDomain("removal", action.domain, chainId, address);
        const result = await revokeDelegateBySig(consent, action);
        console.log(
          colour.green(`removed delegate ${action.message.delegate} (signed by the patient)`),
        );
        printRows([
          ["patient", patient],
          ["submitted by", signer.address],
          ["gas", formatGas(result.gasUsed)],
          ["transaction", result.transactionHash],
        ]);
        return;
      }
    }
  }
  const signed = parseSignedConsentGrant(text);

  const { consent, signer, chainId, address } = await connectPatientConsent(hre, args);
  checkDomain("grant", signed.domain, chainId, address);
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
