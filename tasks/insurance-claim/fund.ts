import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { fundPool, readPool } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../lib/options.js";
import { claimsAction, poolToken, claimsTask, tokenAmounts } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";
import type { Field } from "../lib/terminal.js";

export type FundArgs = SignedOptions<"pool" | "amount">;

/** `claims fund`: moves tokens from the signer into a pool (approving first when needed). */
export const claimsFund = claimsAction(
  (args: FundArgs) => parseIdOption(args.pool, "--pool"),
  async (poolId, { claims, args }) => {
    const token = await poolToken(claims, poolId);
    const amount = parseTokenAmount(args.amount ?? "", token.decimals);
    const funded = await fundPool(claims, poolId, amount);
    const pool = await readPool(claims, poolId);
    const show = tokenAmounts(token);
    const fee = amount - funded.credited;
    const kept: Field[] = fee > 0n ? [["kept by the token", show(fee)]] : [];
    return {
      title: `funded pool ${poolId}`,
      fields: [
        ["sent", show(amount)],
        ["credited", show(funded.credited)],
        ...kept,
        ["balance", show(pool.balance)],
        ["reserved", show(pool.reserved)],
        ["available", show(pool.available)],
      ],
      mined: funded,
    };
  },
);

export default claimsTask(claimsFund);
