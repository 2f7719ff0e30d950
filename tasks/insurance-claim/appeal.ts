import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { appealClaim } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../../sdk/options.js";
import { cliAction } from "../../sdk/terminal.js";
import { connectClaims, parseEvidence, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface AppealArgs extends CommonArgs {
  claim: string;
  evidence: string;
  evidenceFile: string;
}

/** `claims appeal`: appeals a denied claim once with new evidence (its provider or patient). */
export async function runAppeal(args: AppealArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  const evidenceHash = await parseEvidence(args);
  const { claims } = await connectClaims(ethers, args);
  await appealClaim(claims, claimId, evidenceHash);
  console.log(
    `Appealed claim ${claimId} with new evidence ${evidenceHash}; an adjuster makes the final decision.`,
  );
}

export default cliAction(async (args: RawArgs<AppealArgs>, hre: HardhatRuntimeEnvironment) => {
  await runAppeal(withEmptyStrings(args), await hre.network.create());
});
