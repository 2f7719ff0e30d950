import {
  PURPOSES,
  categoryNames,
  checkAuthorization,
  latestTimestamp,
  parseCategories,
  parsePurpose,
  purposeName,
  readBreakGlass,
  readConsent,
} from "../../sdk/patient-consent/index.js";
import { parseAddressOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { colour, formatFields, formatTimestamp } from "../lib/terminal.js";
import { consentTask, openPatientConsent } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/** `consent check` options. */
export type CheckArgs = StringOptions<"patient" | "grantee" | "purpose" | "categories" | "address">;

/** `consent check`: asks `isAuthorized` and shows the consent (and break-glass window) behind the answer. */
export async function consentCheck(
  args: CheckArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const patient = parseAddressOption(args.patient, "--patient");
  const grantee = parseAddressOption(args.grantee, "--grantee");
  const purpose = parsePurpose(args.purpose ?? "");
  const categories = parseCategories(args.categories ?? "");

  const { contract: consent } = await openPatientConsent(connection, { address: args.address });
  const now = await latestTimestamp(consent);
  const [authorized, view, window] = await Promise.all([
    checkAuthorization(consent, patient, grantee, purpose, categories),
    readConsent(consent, patient, grantee),
    readBreakGlass(consent, patient, grantee, now),
  ]);

  const asked = `${purposeName(purpose)} on ${categoryNames(categories).join(", ") || "(no category)"}`;
  io.print(
    authorized
      ? colour.green(`authorized: ${grantee} may act for ${asked} of ${patient}`)
      : colour.red(`not authorized: ${grantee} may not act for ${asked} of ${patient}`),
  );
  const fields: [string, string][] = [
    ["consent", view.state],
    ["consent id", view.consentId],
  ];
  if (view.state !== "None") {
    fields.push(
      ["purposes", view.purposeCodes.join(", ")],
      ["categories", view.categoryNames.join(", ") || "(none)"],
      ["from", formatTimestamp(view.start)],
      ["until", formatTimestamp(view.end)],
    );
  }
  if (purpose === PURPOSES.ETREAT && window.breakGlassId !== 0n) {
    fields.push([
      "break-glass",
      `${colour.yellow(`#${window.breakGlassId}`)} ${window.open ? "open" : "closed"} until ${formatTimestamp(window.end)}`,
    ]);
  }
  io.print(formatFields(fields));
  return EXIT_OK;
}

export default consentTask(consentCheck);
