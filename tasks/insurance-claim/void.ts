import { formatTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { readPool, voidClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { connectClaims, parseClaimDecision, poolToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type VoidArgs = SignedOptions<"claim" | "reason">;

/**
 * `claims void`: voids an Approved claim that will not be paid (the pool's insurer), e.g. after
 * the token refused its payee; its reserve becomes available to the pool again.
 */
export async function claimsVoid(
  args: VoidArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { claimId, reasonCode } = parseClaimDecision(args, "16");
  const { claims } = await connectClaims(connection, args);
  const voided = await voidClaim(claims, claimId, reasonCode);
  const token = await poolToken(claims, voided.poolId);
  const pool = await readPool(claims, voided.poolId);
  const amount = (value: bigint): string =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });
  io.print(
    `Voided claim ${claimId}: reason ${reasonCode} (${describeReasonCode(reasonCode)}). Nothing was paid.`,
  );
  io.print(
    `Released ${amount(voided.released)} to pool ${voided.poolId}: available ${amount(pool.available)}, reserved ${amount(pool.reserved)}.`,
  );
  io.print(
    "The provider may submit the service again with new evidence (a drug unit stays claimed).",
  );
  return EXIT_OK;
}

export default claimsTask(claimsVoid);
