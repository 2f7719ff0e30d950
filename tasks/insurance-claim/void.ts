import { readPool, voidClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import {
  claimsAction,
  parseClaimDecision,
  poolToken,
  claimsTask,
  tokenAmounts,
} from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type VoidArgs = SignedOptions<"claim" | "reason">;

/**
 * `claims void`: voids an Approved claim that will not be paid (the pool's insurer), e.g. after
 * the token refused its payee; its reserve becomes available to the pool again.
 */
export const claimsVoid = claimsAction(
  (args: VoidArgs) => parseClaimDecision(args, "16"),
  async ({ claimId, reasonCode }, { claims }) => {
    const voided = await voidClaim(claims, claimId, reasonCode);
    const show = tokenAmounts(await poolToken(claims, voided.poolId));
    const pool = await readPool(claims, voided.poolId);
    return {
      title: `voided claim ${claimId}: nothing was paid`,
      fields: [
        ["reason", `${reasonCode} (${describeReasonCode(reasonCode)})`],
        ["released", `${show(voided.released)} to pool ${voided.poolId}`],
        ["pool available", show(pool.available)],
        ["pool reserved", show(pool.reserved)],
      ],
      mined: voided,
      notes: [
        "The provider may submit the service again with new evidence (a drug unit stays claimed).",
      ],
    };
  },
);

export default claimsTask(claimsVoid);
