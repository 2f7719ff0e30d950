import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { createPolicy } from "../../sdk/insurance-claim/client.js";
import { cliAction, formatTimestamp } from "../../sdk/terminal.js";
import { connectClaims, parseAddress, parseDate, parseId, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface EnrollArgs extends CommonArgs {
  plan: string;
  patient: string;
  start: string;
  end: string;
}

/** `claims enroll`: creates a policy enrolling a patient in a plan for a period. */
export async function runEnroll(args: EnrollArgs, { ethers }: ClaimsConnection): Promise<void> {
  const planId = parseId("plan", args.plan);
  if (args.patient === "") throw new InputError("--patient is required: the patient's address");
  const patient = parseAddress("patient", args.patient);
  if (args.start === "" || args.end === "") {
    throw new InputError(
      "--start and --end are required, e.g. --start 2025-01-01 --end 2025-12-31",
    );
  }
  const start = parseDate("start", args.start);
  const end = parseDate("end", args.end, true);
  if (end <= start) throw new InputError("--end must be after --start");
  const { claims } = await connectClaims(ethers, args);
  const { policyId, receipt } = await createPolicy(claims, { planId, patient, start, end });
  console.log(
    `Enrolled ${patient} in plan ${planId} as policy ${policyId}, covered ${formatTimestamp(start)} to ${formatTimestamp(end)} (gas ${receipt.gasUsed}).`,
  );
}

export default cliAction(async (args: RawArgs<EnrollArgs>, hre: HardhatRuntimeEnvironment) => {
  await runEnroll(withEmptyStrings(args), await hre.network.create());
});
