import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { claimStateName, quoteClaim, quoteService } from "../../sdk/insurance-claim/client.js";
import {
  encodeServiceCode,
  proveFee,
  readFeeScheduleTree,
} from "../../sdk/insurance-claim/fee-schedule.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { parseIdOption } from "../../sdk/options.js";
import { cliAction } from "../../sdk/terminal.js";
import { connectClaims, policyToken, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface QuoteArgs extends CommonArgs {
  claim: string;
  policy: string;
  code: string;
  billed: string;
  feeTree: string;
}

/**
 * `claims quote`: the explanation of benefits of a claim (`--claim`), or an estimate for a
 * service not yet claimed (`--policy --code --billed`).
 */
export async function runQuote(args: QuoteArgs, { ethers }: ClaimsConnection): Promise<void> {
  const byClaim = args.claim !== "";
  if (byClaim === (args.policy !== "")) {
    throw new InputError(
      "give --claim <id>, or --policy <id> --code <code> --billed <amount> for an estimate",
    );
  }
  if (byClaim) {
    const claimId = parseIdOption(args.claim, "--claim");
    const { claims } = await connectClaims(ethers, args);
    const claim = await claims.claimOf(claimId);
    if (claim.policyId === 0n) throw new InputError(`there is no claim ${claimId}`);
    const token = await policyToken(claims, claim.policyId);
    const plan = await claims.planOf((await claims.policyOf(claim.policyId)).planId);
    const state = claimStateName(claim.state);
    console.log(
      `Claim ${claimId} (${state}${state === "Submitted" || state === "Appealed" ? ", if approved now" : ""}):`,
    );
    const denied = state === "Denied" || state === "FinalDenied" || state === "Voided";
    for (const line of formatBenefits(await quoteClaim(claims, claimId), token, {
      coinsuranceBps: plan.coinsuranceBps,
      denied,
    })) {
      console.log(`  ${line}`);
    }
    return;
  }
  const policyId = parseIdOption(args.policy, "--policy");
  if (args.code === "" || args.billed === "") {
    throw new InputError(
      "an estimate needs --code and --billed, e.g. --code 99213 --billed 150.00",
    );
  }
  const serviceCode = encodeServiceCode(args.code);
  const { claims } = await connectClaims(ethers, args);
  const token = await policyToken(claims, policyId);
  const billed = parseTokenAmount(args.billed, token.decimals);
  const fee =
    args.feeTree === "" ? undefined : proveFee(readFeeScheduleTree(args.feeTree), serviceCode);
  const eob = await quoteService(claims, {
    policyId,
    serviceCode,
    billed,
    ...(fee === undefined ? {} : { fee }),
  });
  const plan = await claims.planOf((await claims.policyOf(policyId)).planId);
  console.log(
    `Estimate for ${args.code.trim().toUpperCase()} on policy ${policyId} (nothing submitted):`,
  );
  for (const line of formatBenefits(eob, token, { coinsuranceBps: plan.coinsuranceBps })) {
    console.log(`  ${line}`);
  }
}

export default cliAction(async (args: RawArgs<QuoteArgs>, hre: HardhatRuntimeEnvironment) => {
  await runQuote(withEmptyStrings(args), await hre.network.create());
});
