import { InputError } from "../../sdk/errors.js";
import { ClaimState, appealClaim } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../lib/options.js";
import { formatTimestamp, printDone } from "../lib/terminal.js";
import { connectClaims, parseEvidence, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type AppealArgs = SignedOptions<"claim" | "evidence" | "evidenceFile">;

/**
 * `claims appeal`: appeals a denied claim once with new evidence (its provider or patient),
 * within the plan's appeal window: a closed window ends with one line naming the deadline.
 */
export async function claimsAppeal(
  args: AppealArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { ethers } = connection;
  const claimId = parseIdOption(args.claim, "--claim");
  const evidenceHash = await parseEvidence(args);
  const { claims } = await connectClaims(connection, args);
  const claim = await claims.claimOf(claimId);
  const latest = await ethers.provider.getBlock("latest");
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
  const result = await appealClaim(claims, claimId, evidenceHash);
  printDone(
    io,
    `appealed claim ${claimId}: an adjuster makes the final decision`,
    [["new evidence", evidenceHash]],
    result,
  );
  return EXIT_OK;
}

export default claimsTask(claimsAppeal);
