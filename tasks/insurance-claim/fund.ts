import { formatTokenAmount, parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { fundPool, readPool } from "../../sdk/insurance-claim/client.js";
import { parseIdOption } from "../lib/options.js";
import { connectClaims, poolToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type FundArgs = SignedOptions<"pool" | "amount">;

/** `claims fund`: moves tokens from the signer into a pool (approving first when needed). */
export async function claimsFund(
  args: FundArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const poolId = parseIdOption(args.pool, "--pool");
  const { claims } = await connectClaims(connection, args);
  const token = await poolToken(claims, poolId);
  const amount = parseTokenAmount(args.amount ?? "", token.decimals);
  const { credited } = await fundPool(claims, poolId, amount);
  const show = (value: bigint) =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });
  const fee = amount - credited;
  io.print(
    `Funded pool ${poolId}: sent ${show(amount)}, credited ${show(credited)}${fee > 0n ? ` (the token kept ${show(fee)})` : ""}.`,
  );
  const pool = await readPool(claims, poolId);
  io.print(
    `Pool ${poolId}: balance ${show(pool.balance)}, reserved ${show(pool.reserved)}, available ${show(pool.available)}.`,
  );
  return EXIT_OK;
}

export default claimsTask(claimsFund);
