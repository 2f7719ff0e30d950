import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { formatTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { readPool, voidClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode, parseReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { parseIdOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectClaims, poolToken, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface VoidArgs extends CommonArgs {
  claim: string;
  reason: string;
}

/**
 * `claims void`: voids an Approved claim that will not be paid (the pool's insurer), e.g. after
 * the token refused its payee; its reserve becomes available to the pool again.
 */
export async function runVoid(args: VoidArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  if (args.reason === "") throw new InputError("--reason is required: a reason code, e.g. 16");
  const reasonCode = parseReasonCode(args.reason);
  const { claims } = await connectClaims(ethers, args);
  const voided = await voidClaim(claims, claimId, reasonCode);
  const token = await poolToken(claims, voided.poolId);
  const pool = await readPool(claims, voided.poolId);
  const amount = (value: bigint): string =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });
  console.log(
    `Voided claim ${claimId}: reason ${reasonCode} (${describeReasonCode(reasonCode)}). Nothing was paid.`,
  );
  console.log(
    `Released ${amount(voided.released)} to pool ${voided.poolId}: available ${amount(pool.available)}, reserved ${amount(pool.reserved)}.`,
  );
  console.log(
    "The provider may submit the service again with new evidence (a drug unit stays claimed).",
  );
}

export default cliAction(async (args: RawArgs<VoidArgs>, hre: HardhatRuntimeEnvironment) => {
  await runVoid(withEmptyStrings(args), await hre.network.create());
});
