import { InputError } from "../../sdk/errors.js";
import { createPolicy } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseDateOption, parseIdOption } from "../lib/options.js";
import { formatTimestamp } from "../lib/terminal.js";
import { claimsAction, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type EnrollArgs = SignedOptions<"plan" | "patient" | "start" | "end">;

/** `claims enroll`: creates a policy enrolling a patient in a plan for a period. */
export const claimsEnroll = claimsAction(
  (args: EnrollArgs) => {
    const planId = parseIdOption(args.plan, "--plan");
    const patient = parseAddressOption(args.patient, "--patient");
    const start = parseDateOption(args.start, "--start", { unixSeconds: true });
    const end = parseDateOption(args.end, "--end", { endOfDay: true, unixSeconds: true });
    if (end <= start) throw new InputError("--end must be after --start");
    return { planId, patient, start, end };
  },
  async (terms, { claims }) => {
    const result = await createPolicy(claims, terms);
    return {
      title: `enrolled policy ${result.policyId}`,
      fields: [
        ["patient", terms.patient],
        ["plan", terms.planId],
        ["covered from", formatTimestamp(terms.start)],
        ["covered until", formatTimestamp(terms.end)],
      ],
      mined: result,
    };
  },
);

export default claimsTask(claimsEnroll);
