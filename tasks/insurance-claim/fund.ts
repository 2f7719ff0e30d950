import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { formatTokenAmount, parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { fundPool, readPool } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectClaims, poolToken, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface FundArgs extends CommonArgs {
  pool: string;
  amount: string;
}

/** `claims fund`: moves tokens from the signer into a pool (approving first when needed). */
export async function runFund(args: FundArgs, { ethers }: ClaimsConnection): Promise<void> {
  const poolId = parseIdOption(args.pool, "--pool");
  const { claims } = await connectClaims(ethers, args);
  const token = await poolToken(claims, poolId);
  const amount = parseTokenAmount(args.amount, token.decimals);
  const { credited } = await fundPool(claims, poolId, amount);
  const show = (value: bigint) =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });
  const fee = amount - credited;
  console.log(
    `Funded pool ${poolId}: sent ${show(amount)}, credited ${show(credited)}${fee > 0n ? ` (the token kept ${show(fee)})` : ""}.`,
  );
  const pool = await readPool(claims, poolId);
  console.log(
    `Pool ${poolId}: balance ${show(pool.balance)}, reserved ${show(pool.reserved)}, available ${show(pool.available)}.`,
  );
}

export default cliAction(async (args: RawArgs<FundArgs>, hre: HardhatRuntimeEnvironment) => {
  await runFund(withEmptyStrings(args), await hre.network.create());
});
