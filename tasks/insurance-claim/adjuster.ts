import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { setAdjuster } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseIdOption } from "../lib/options.js";
import { cliAction, formatGas } from "../lib/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface AdjusterArgs extends CommonArgs {
  pool: string;
  account: string;
  remove: boolean;
}

/** `claims adjuster`: the pool's insurer appoints (or removes) an adjuster of that pool. */
export async function runAdjuster(args: AdjusterArgs, { ethers }: ClaimsConnection): Promise<void> {
  const poolId = parseIdOption(args.pool, "--pool");
  const account = parseAddressOption(args.account, "--account");
  const { claims } = await connectClaims(ethers, args);
  const receipt = await setAdjuster(claims, poolId, account, !args.remove);
  console.log(
    `${args.remove ? "Removed" : "Appointed"} ${account} as adjuster of pool ${poolId} (${formatGas(receipt.gasUsed)})`,
  );
}

export default cliAction(async (args: RawArgs<AdjusterArgs>, hre: HardhatRuntimeEnvironment) => {
  await runAdjuster(withEmptyStrings(args), await hre.network.create());
});
