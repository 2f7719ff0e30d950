import { existsSync, readFileSync } from "node:fs";

import { InputError } from "../../sdk/errors.js";
import {
  grantConsentBySig,
  parseSignedConsentAction,
  parseSignedConsentGrant,
  revokeConsentBySig,
  revokeDelegateBySig,
  setDelegateBySig,
} from "../../sdk/patient-consent/index.js";
import { requireOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { formatTimestamp } from "../lib/terminal.js";
import { consentTask, delegateFields, grantFields, openPatientConsent } from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent submit` options. */
export type SubmitArgs = SignedOptions<"grant">;

/** Reads `--grant`: inline JSON, or the path of a file `consent sign --out` wrote. */
function readGrantOption(value: string | undefined): string {
  const text = requireOption(
    value,
    "--grant",
    "a file written by 'consent sign --out' or its JSON",
  );
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
export async function consentSubmit(
  args: SubmitArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const text = readGrantOption(args.grant);
  const {
    contract: consent,
    signer,
    chainId,
    address,
  } = await openPatientConsent(connection, args);
  const by = (patient: string): [string, string][] => [
    ["patient", patient],
    ["submitted by", signer.address],
  ];
  if (!/"primaryType"\s*:/.test(text)) {
    const signed = parseSignedConsentGrant(text);
    checkDomain("grant", signed.domain, chainId, address);
    const result = await grantConsentBySig(consent, signed);
    const { grant } = signed;
    printDone(
      io,
      `granted consent ${result.consentId} (signed by the patient)`,
      [
        ...by(grant.patient),
        ["grantee", grant.grantee],
        ...grantFields(grant),
        ["nonce", grant.nonce],
      ],
      result,
    );
    return EXIT_OK;
  }
  const action = parseSignedConsentAction(text);
  const { message } = action;
  switch (action.primaryType) {
    case "ConsentRevocation": {
      checkDomain("revocation", action.domain, chainId, address);
      const result = await revokeConsentBySig(consent, action);
      printDone(
        io,
        `revoked consent ${result.consentId} (signed by the patient)`,
        [...by(message.patient), ["grantee", action.message.grantee]],
        result,
      );
      break;
    }
    case "DelegateAppointment": {
      checkDomain("appointment", action.domain, chainId, address);
      const result = await setDelegateBySig(consent, action);
      printDone(
        io,
        `appointed delegate ${action.message.delegate} (signed by the patient)`,
        [
          ...by(message.patient),
          ...delegateFields(action.message.purposes, action.message.categories),
          ["until", formatTimestamp(action.message.until)],
        ],
        result,
      );
      break;
    }
    case "DelegateRemoval": {
      checkDomain("removal", action.domain, chainId, address);
      const result = await revokeDelegateBySig(consent, action);
      printDone(
        io,
        `removed delegate ${action.message.delegate} (signed by the patient)`,
        by(message.patient),
        result,
      );
      break;
    }
  }
  return EXIT_OK;
}

export default consentTask(consentSubmit);
