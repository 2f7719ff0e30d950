import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { approveClaim } from "../../sdk/insurance-claim/client.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { parseIdOption } from "../../sdk/options.js";
import { cliAction } from "../../sdk/terminal.js";
import { connectClaims, poolToken, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface ApproveArgs extends CommonArgs {
  claim: string;
}

/** `claims approve`: approves a claim (a pool adjuster), reserving its payout. */
export async function runApprove(args: ApproveArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  const { claims } = await connectClaims(ethers, args);
  const decision = await approveClaim(claims, claimId);
  const claim = await claims.claimOf(claimId);
  const token = await poolToken(claims, claim.poolId);
  console.log(`Approved claim ${claimId}; explanation of benefits:`);
  for (const line of formatBenefits(decision.eob, token)) console.log(`  ${line}`);
}

export default cliAction(async (args: RawArgs<ApproveArgs>, hre: HardhatRuntimeEnvironment) => {
  await runApprove(withEmptyStrings(args), await hre.network.create());
});
