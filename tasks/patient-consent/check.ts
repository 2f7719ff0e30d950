import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
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
import { cliAction, colour, formatTable, formatTimestamp } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface CheckArgs {
  patient?: string;
  grantee?: string;
  purpose?: string;
  categories?: string;
  address?: string;
}

/** `consent check`: asks `isAuthorized` and shows the consent (and break-glass window) behind the answer. */
export default cliAction(async (args: CheckArgs, hre: HardhatRuntimeEnvironment) => {
  const patient = parseAddressOption(args.patient, "--patient");
  const grantee = parseAddressOption(args.grantee, "--grantee");
  if (args.purpose === undefined || args.purpose.trim() === "") {
    throw new InputError(
      `--purpose is required; valid purposes: ${Object.keys(PURPOSES).join(", ")}`,
    );
  }
  const purpose = parsePurpose(args.purpose);
  const categories = parseCategories(args.categories ?? "");

  const { consent } = await connectPatientConsent(hre, { address: args.address });
  const now = await latestTimestamp(consent);
  const [authorized, view, window] = await Promise.all([
    checkAuthorization(consent, patient, grantee, purpose, categories),
    readConsent(consent, patient, grantee),
    readBreakGlass(consent, patient, grantee, now),
  ]);

  const asked = `${purposeName(purpose)} on ${categoryNames(categories).join(", ") || "(no category)"}`;
  console.log(
    authorized
      ? colour.green(`authorized: ${grantee} may act for ${asked} of ${patient}`)
      : colour.red(`not authorized: ${grantee} may not act for ${asked} of ${patient}`),
  );
  const rows: [string, string][] = [
    ["consent", view.state],
    ["consent id", view.consentId],
  ];
  if (view.state !== "None") {
    rows.push(
      ["purposes", view.purposeCodes.join(", ")],
      ["categories", view.categoryNames.join(", ") || "(none)"],
      ["from", formatTimestamp(view.start)],
      ["until", formatTimestamp(view.end)],
    );
  }
  if (purpose === PURPOSES.ETREAT && window.breakGlassId !== 0n) {
    rows.push([
      "break-glass",
      `${colour.yellow(`#${window.breakGlassId}`)} ${window.open ? "open" : "closed"} until ${formatTimestamp(window.end)}`,
    ]);
  }
  console.log(formatTable(["field", "value"], rows));
});
