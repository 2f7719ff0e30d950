import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { setBreakGlassCooldown } from "../../sdk/patient-consent/index.js";
import { isGiven } from "../lib/options.js";
import { cliAction, colour, formatGas, formatTable } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface CooldownArgs {
  hours?: string;
  from?: string;
  address?: string;
}

/** Formats seconds as hours ("24 hours", "1.5 hours"). */
function formatHours(seconds: bigint): string {
  const hours = Number(seconds) / 3_600;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/**
 * `consent cooldown`: shows the break-glass cooldown (the wait between a responder's windows on
 * the same patient) and its bounds; with `--hours`, the admin sets it.
 */
export default cliAction(async (args: CooldownArgs, hre: HardhatRuntimeEnvironment) => {
  let seconds: bigint | undefined;
  if (isGiven(args.hours)) {
    const text = args.hours.trim();
    if (!/^\d+(\.\d+)?$/.test(text)) {
      throw new InputError(`--hours '${args.hours}' is not a number of hours`);
    }
    seconds = BigInt(Math.round(Number(text) * 3_600));
  }

  const { consent, signer } = await connectPatientConsent(hre, args);
  const [shortest, longest] = await Promise.all([
    consent.SHORTEST_BREAK_GLASS_COOLDOWN(),
    consent.LONGEST_BREAK_GLASS_COOLDOWN(),
  ]);
  if (seconds !== undefined && (seconds < shortest || seconds > longest)) {
    throw new InputError(
      `--hours ${args.hours}: the cooldown must be between ${formatHours(shortest)} and ${formatHours(longest)}`,
    );
  }
  const rows: (string | bigint)[][] = [];
  if (seconds !== undefined) {
    const result = await setBreakGlassCooldown(consent, seconds);
    console.log(
      colour.green(`break-glass cooldown set to ${formatHours(seconds)} by ${signer.address}`),
    );
    rows.push(["gas", formatGas(result.gasUsed)], ["transaction", result.transactionHash]);
  }
  const current = await consent.breakGlassCooldown();
  console.log(
    formatTable(
      ["field", "value"],
      [
        ["cooldown", formatHours(current)],
        ["allowed", `${formatHours(shortest)} to ${formatHours(longest)}`],
        ...rows,
      ],
    ),
  );
});
