import { denyClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { connectClaims, parseClaimDecision, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type DenyArgs = SignedOptions<"claim" | "reason">;

/** `claims deny`: denies a claim with a reason code (a pool adjuster); an appeal's denial is final. */
export async function claimsDeny(
  args: DenyArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { claimId, reasonCode } = parseClaimDecision(args, "50");
  const { claims } = await connectClaims(connection, args);
  const decision = await denyClaim(claims, claimId, reasonCode);
  io.print(
    `${decision.outcome === "FinalDenied" ? "Denied the appeal of" : "Denied"} claim ${claimId}: reason ${reasonCode} (${describeReasonCode(reasonCode)}).`,
  );
  if (decision.outcome === "Denied") {
    io.print(
      `The provider or patient may appeal once: npx hardhat claims appeal --claim ${claimId} --evidence-file <file>`,
    );
  }
  return EXIT_OK;
}

export default claimsTask(claimsDeny);
