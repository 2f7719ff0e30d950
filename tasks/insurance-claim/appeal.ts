import { InputError } from "../../sdk/errors.js";
import { ClaimState, appealClaim } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../lib/options.js";
import { formatTimestamp } from "../lib/terminal.js";
import { claimsAction, parseEvidence, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type AppealArgs = SignedOptions<"claim" | "evidence" | "evidenceFile">;

/**
 * `claims appeal`: appeals a denied claim once with new evidence (its provider or patient),
 * within the plan's appeal window: a closed window ends with one line naming the deadline.
 */
export const claimsAppeal = claimsAction(
  async (args: AppealArgs) => ({
    claimId: parseIdOption(args.claim, "--claim"),
    evidenceHash: await parseEvidence(args),
  }),
  async ({ claimId, evidenceHash }, { claims, connection }) => {
    const claim = await claims.claimOf(claimId);
    const latest = await connection.ethers.provider.getBlock("latest");
    if (
      Number(claim.state) === ClaimState.Denied &&
      latest !== null &&
      BigInt(latest.timestamp) >= claim.appealDeadline
    ) {
      // The next block is later than the latest one: the appeal would land after the deadline.
      throw new InputError(
        `claim ${claimId} could be appealed until ${formatTimestamp(claim.appealDeadline)}; the appeal window has closed and the denial is final`,
      );
    }
    return {
      title: `appealed claim ${claimId}: an adjuster makes the final decision`,
      fields: [["new evidence", evidenceHash]],
      mined: await appealClaim(claims, claimId, evidenceHash),
    };
  },
);

export default claimsTask(claimsAppeal);
