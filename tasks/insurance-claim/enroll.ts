import { InputError } from "../../sdk/errors.js";
import { createPolicy } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseDateOption, parseIdOption } from "../lib/options.js";
import { formatTimestamp, printDone } from "../lib/terminal.js";
import { connectClaims, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type EnrollArgs = SignedOptions<"plan" | "patient" | "start" | "end">;

/** `claims enroll`: creates a policy enrolling a patient in a plan for a period. */
export async function claimsEnroll(
  args: EnrollArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const planId = parseIdOption(args.plan, "--plan");
  const patient = parseAddressOption(args.patient, "--patient");
  const start = parseDateOption(args.start, "--start", { unixSeconds: true });
  const end = parseDateOption(args.end, "--end", { endOfDay: true, unixSeconds: true });
  if (end <= start) throw new InputError("--end must be after --start");
  const { claims } = await connectClaims(connection, args);
  const result = await createPolicy(claims, { planId, patient, start, end });
  printDone(
    io,
    `enrolled policy ${result.policyId}`,
    [
      ["patient", patient],
      ["plan", planId],
      ["covered from", formatTimestamp(start)],
      ["covered until", formatTimestamp(end)],
    ],
    result,
  );
  return EXIT_OK;
}

export default claimsTask(claimsEnroll);
