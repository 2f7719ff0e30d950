import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { createPolicy } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseDateOption, parseIdOption } from "../lib/options.js";
import { cliAction, formatTimestamp, formatGas } from "../lib/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface EnrollArgs extends CommonArgs {
  plan: string;
  patient: string;
  start: string;
  end: string;
}

/** `claims enroll`: creates a policy enrolling a patient in a plan for a period. */
export async function runEnroll(args: EnrollArgs, { ethers }: ClaimsConnection): Promise<void> {
  const planId = parseIdOption(args.plan, "--plan");
  const patient = parseAddressOption(args.patient, "--patient");
  const start = parseDateOption(args.start, "--start", { unixSeconds: true });
  const end = parseDateOption(args.end, "--end", { endOfDay: true, unixSeconds: true });
  if (end <= start) throw new InputError("--end must be after --start");
  const { claims } = await connectClaims(ethers, args);
  const { policyId, receipt } = await createPolicy(claims, { planId, patient, start, end });
  console.log(
    `Enrolled ${patient} in plan ${planId} as policy ${policyId}, covered ${formatTimestamp(start)} to ${formatTimestamp(end)} (${formatGas(receipt.gasUsed)}).`,
  );
}

export default cliAction(async (args: RawArgs<EnrollArgs>, hre: HardhatRuntimeEnvironment) => {
  await runEnroll(withEmptyStrings(args), await hre.network.create());
});
