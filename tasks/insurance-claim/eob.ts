import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readExplanationOfBenefits } from "../../sdk/insurance-claim/client.js";
import { formatExplanationOfBenefits } from "../../sdk/insurance-claim/statement.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { parseIdOption } from "../../sdk/options.js";
import { cliAction } from "../../sdk/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface EobArgs extends CommonArgs {
  claim: string;
}

/** `claims eob`: a claim's explanation of benefits as a readable statement. */
export async function runEob(args: EobArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  const { claims } = await connectClaims(ethers, args);
  const statement = await readExplanationOfBenefits(claims, claimId);
  const token = await readTokenInfo(ethers.provider, statement.token);
  console.log(formatExplanationOfBenefits(statement, token));
}

export default cliAction(async (args: RawArgs<EobArgs>, hre: HardhatRuntimeEnvironment) => {
  await runEob(withEmptyStrings(args), await hre.network.create());
});
