import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { ClaimState, appealClaim } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../../sdk/options.js";
import { cliAction, formatTimestamp } from "../../sdk/terminal.js";
import { connectClaims, parseEvidence, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface AppealArgs extends CommonArgs {
  claim: string;
  evidence: string;
  evidenceFile: string;
}

/**
 * `claims appeal`: appeals a denied claim once with new evidence (its provider or patient),
 * within the plan's appeal window: a closed window ends with one line naming the deadline.
 */
export async function runAppeal(args: AppealArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  const evidenceHash = await parseEvidence(args);
  const { claims } = await connectClaims(ethers, args);
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
  await appealClaim(claims, claimId, evidenceHash);
  console.log(
    `Appealed claim ${claimId} with new evidence ${evidenceHash}; an adjuster makes the final decision.`,
  );
}

export default cliAction(async (args: RawArgs<AppealArgs>, hre: HardhatRuntimeEnvironment) => {
  await runAppeal(withEmptyStrings(args), await hre.network.create());
});
