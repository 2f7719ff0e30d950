import { approveClaim } from "../../sdk/insurance-claim/client.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { parseIdOption } from "../lib/options.js";
import { connectClaims, poolToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type ApproveArgs = SignedOptions<"claim">;

/** `claims approve`: approves a claim (a pool adjuster), reserving its payout. */
export async function claimsApprove(
  args: ApproveArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const claimId = parseIdOption(args.claim, "--claim");
  const { claims } = await connectClaims(connection, args);
  const decision = await approveClaim(claims, claimId);
  const claim = await claims.claimOf(claimId);
  const token = await poolToken(claims, claim.poolId);
  io.print(`Approved claim ${claimId}; explanation of benefits:`);
  for (const line of formatBenefits(decision.eob, token)) io.print(`  ${line}`);
  return EXIT_OK;
}

export default claimsTask(claimsApprove);
