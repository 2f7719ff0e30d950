import { latestTimestamp, revokeDelegate, setDelegate } from "../../sdk/patient-consent/index.js";
import { parsePeriod } from "./period.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { formatTimestamp } from "../lib/terminal.js";
import {
  consentTask,
  delegateFields,
  openPatientConsent,
  parseDelegateScope,
} from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { DelegateScopeArgs } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent delegate` options. */
export type DelegateArgs = DelegateScopeArgs & SignedOptions;

/**
 * `consent delegate`: the patient appoints a delegate (guardian, proxy) with a scope (the purposes
 * and categories it may grant) until a date, or removes one.
 */
export async function consentDelegate(
  args: DelegateArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { delegate, purposes, categories } = parseDelegateScope(
    args,
    "removes the delegate at once",
  );
  const { contract: consent, signer } = await openPatientConsent(connection, args);
  if (args.revoke) {
    const result = await revokeDelegate(consent, delegate);
    printDone(io, `removed delegate ${delegate} of ${signer.address}`, [], result);
    return EXIT_OK;
  }
  const { end } = parsePeriod(
    { until: args.until, days: args.days },
    await latestTimestamp(consent),
  );
  const result = await setDelegate(consent, { delegate, purposes, categories, until: end });
  printDone(
    io,
    `${delegate} may grant and revoke for ${signer.address} until ${formatTimestamp(end)}`,
    delegateFields(purposes, categories),
    result,
  );
  return EXIT_OK;
}

export default consentTask(consentDelegate);
