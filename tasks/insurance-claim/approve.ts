import { approveClaim } from "../../sdk/insurance-claim/client.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { parseIdOption } from "../lib/options.js";
import { claimsAction, poolToken, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type ApproveArgs = SignedOptions<"claim">;

/** `claims approve`: approves a claim (a pool adjuster), reserving its payout. */
export const claimsApprove = claimsAction(
  (args: ApproveArgs) => parseIdOption(args.claim, "--claim"),
  async (claimId, { claims }) => {
    const decision = await approveClaim(claims, claimId);
    const { poolId } = await claims.claimOf(claimId);
    const token = await poolToken(claims, poolId);
    return {
      title: `approved claim ${claimId}`,
      fields: [["pool", poolId]],
      mined: decision,
      notes: [
        "explanation of benefits:",
        ...formatBenefits(decision.eob, token).map((line) => `  ${line}`),
      ],
    };
  },
);

export default claimsTask(claimsApprove);
