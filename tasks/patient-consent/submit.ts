import { existsSync, readFileSync } from "node:fs";

import { InputError } from "../../sdk/errors.js";
import {
  grantConsentBySig,
  parseSignedConsentAction,
  parseSignedConsentGrant,
  type SignedConsentGrant,
  revokeConsentBySig,
  revokeDelegateBySig,
  setDelegateBySig,
} from "../../sdk/patient-consent/index.js";
import { requireOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { formatTimestamp } from "../lib/terminal.js";
import type { Field, Mined } from "../lib/terminal.js";
import { consentTask, delegateFields, grantFields, openPatientConsent } from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { SignedOptions } from "../lib/task.js";

/** The EIP-712 domain a signed action names. */
type SignedDomain = SignedConsentGrant["domain"];

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
  const by = (patient: string): Field[] => [
    ["patient", patient],
    ["submitted by", signer.address],
  ];
  /** Checks `signed`'s domain, sends it with `send`, prints what `describe` says of the result. */
  const submitSigned = async <S extends { readonly domain: SignedDomain }, R extends Mined>(
    what: string,
    signed: S,
    send: (contract: typeof consent, signed: S) => Promise<R>,
    describe: (result: R) => readonly [title: string, fields: readonly Field[]],
  ): Promise<ExitCode> => {
    checkDomain(what, signed.domain, chainId, address);
    const result = await send(consent, signed);
    const [title, fields] = describe(result);
    printDone(io, `${title} (signed by the patient)`, fields, result);
    return EXIT_OK;
  };
  if (!/"primaryType"\s*:/.test(text)) {
    const signed = parseSignedConsentGrant(text);
    const { grant } = signed;
    return submitSigned("grant", signed, grantConsentBySig, (result) => [
      `granted consent ${result.consentId}`,
      [
        ...by(grant.patient),
        ["grantee", grant.grantee],
        ...grantFields(grant),
        ["nonce", grant.nonce],
      ],
    ]);
  }
  const action = parseSignedConsentAction(text);
  const { message } = action;
  switch (action.primaryType) {
    case "ConsentRevocation":
      return submitSigned("revocation", action, revokeConsentBySig, (result) => [
        `revoked consent ${result.consentId}`,
        [...by(message.patient), ["grantee", action.message.grantee]],
      ]);
    case "DelegateAppointment":
      return submitSigned("appointment", action, setDelegateBySig, () => [
        `appointed delegate ${action.message.delegate}`,
        [
          ...by(message.patient),
          ...delegateFields(action.message.purposes, action.message.categories),
          ["until", formatTimestamp(action.message.until)],
        ],
      ]);
    case "DelegateRemoval":
      return submitSigned("removal", action, revokeDelegateBySig, () => [
        `removed delegate ${action.message.delegate}`,
        by(message.patient),
      ]);
  }
}

export default consentTask(consentSubmit);
