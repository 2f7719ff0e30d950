import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  categoryNames,
  latestTimestamp,
  parseCategories,
  parsePurposes,
  purposeNames,
  revokeDelegate,
  setDelegate,
} from "../../sdk/patient-consent/index.js";
import { parsePeriod } from "./period.js";
import { parseAddressOption } from "../lib/options.js";
import { cliAction, colour, formatTable, formatTimestamp, formatGas } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface DelegateArgs {
  delegate?: string;
  purposes?: string;
  categories?: string;
  until?: string;
  days?: string;
  revoke: boolean;
  from?: string;
  address?: string;
}

/**
 * `consent delegate`: the patient appoints a delegate (guardian, proxy) with a scope (the purposes
 * and categories it may grant) until a date, or removes one.
 */
export default cliAction(async (args: DelegateArgs, hre: HardhatRuntimeEnvironment) => {
  const delegate = parseAddressOption(args.delegate, "--delegate");
  if (
    args.revoke &&
    [args.until, args.days, args.purposes, args.categories].some((value) => (value ?? "") !== "")
  ) {
    throw new InputError(
      "--revoke removes the delegate at once: drop --purposes, --categories, --until and --days",
    );
  }
  const purposes = args.revoke ? 0 : parsePurposes(args.purposes ?? "");
  const categories = args.revoke ? 0 : parseCategories(args.categories ?? "");

  const { consent, signer } = await connectPatientConsent(hre, args);
  if (args.revoke) {
    const result = await revokeDelegate(consent, delegate);
    console.log(colour.green(`removed delegate ${delegate} of ${signer.address}`));
    console.log(formatTable(["field", "value"], [["gas", formatGas(result.gasUsed)]]));
    return;
  }
  const { end } = parsePeriod(
    { until: args.until, days: args.days },
    await latestTimestamp(consent),
  );
  const result = await setDelegate(consent, { delegate, purposes, categories, until: end });
  console.log(
    colour.green(
      `${delegate} may grant and revoke for ${signer.address} until ${formatTimestamp(end)}`,
    ),
  );
  console.log(
    formatTable(
      ["field", "value"],
      [
        ["may grant purposes", purposeNames(purposes).join(", ")],
        ["on categories", categoryNames(categories).join(", ") || "(none: purposes alone)"],
        ["gas", formatGas(result.gasUsed)],
        ["transaction", result.transactionHash],
      ],
    ),
  );
});
