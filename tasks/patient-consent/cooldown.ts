import { InputError } from "../../sdk/errors.js";
import { setBreakGlassCooldown } from "../../sdk/patient-consent/index.js";
import { isGiven } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { formatFields } from "../lib/terminal.js";
import { consentTask, openPatientConsent } from "./connection.js";
import { printDone } from "../lib/terminal.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent cooldown` options. */
export type CooldownArgs = SignedOptions<"hours">;

/** Formats seconds as hours ("24 hours", "1.5 hours"). */
function formatHours(seconds: bigint): string {
  const hours = Number(seconds) / 3_600;
  return `${hours} hour${hours === 1 ? "" : "s"}`;
}

/**
 * `consent cooldown`: shows the break-glass cooldown (the wait between a responder's windows on
 * the same patient) and its bounds; with `--hours`, the admin sets it.
 */
export async function consentCooldown(
  args: CooldownArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  let seconds: bigint | undefined;
  if (isGiven(args.hours)) {
    const text = args.hours.trim();
    if (!/^\d+(\.\d+)?$/.test(text)) {
      throw new InputError(`--hours '${args.hours}' is not a number of hours`);
    }
    seconds = BigInt(Math.round(Number(text) * 3_600));
  }

  const { contract: consent, signer } = await openPatientConsent(connection, args);
  const [shortest, longest] = await Promise.all([
    consent.SHORTEST_BREAK_GLASS_COOLDOWN(),
    consent.LONGEST_BREAK_GLASS_COOLDOWN(),
  ]);
  if (seconds !== undefined && (seconds < shortest || seconds > longest)) {
    throw new InputError(
      `--hours ${args.hours}: the cooldown must be between ${formatHours(shortest)} and ${formatHours(longest)}`,
    );
  }
  const current = async (): Promise<[string, string][]> => [
    ["cooldown", formatHours(await consent.breakGlassCooldown())],
    ["allowed", `${formatHours(shortest)} to ${formatHours(longest)}`],
  ];
  if (seconds === undefined) {
    io.print(formatFields(await current()));
    return EXIT_OK;
  }
  const result = await setBreakGlassCooldown(consent, seconds);
  printDone(
    io,
    `break-glass cooldown set to ${formatHours(seconds)} by ${signer.address}`,
    await current(),
    result,
  );
  return EXIT_OK;
}

export default consentTask(consentCooldown);
