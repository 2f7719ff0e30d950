import { InputError } from "../../sdk/errors.js";
import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { claimStateName, quoteClaim, quoteService } from "../../sdk/insurance-claim/client.js";
import {
  encodeServiceCode,
  proveFee,
  readFeeScheduleTree,
} from "../../sdk/insurance-claim/fee-schedule.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { connectClaims, policyToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type QuoteArgs = SignedOptions<"claim" | "policy" | "code" | "billed" | "feeTree">;

/**
 * `claims quote`: the explanation of benefits of a claim (`--claim`), or an estimate for a
 * service not yet claimed (`--policy --code --billed`).
 */
export async function claimsQuote(
  args: QuoteArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const byClaim = isGiven(args.claim);
  if (byClaim === isGiven(args.policy)) {
    throw new InputError(
      "give --claim <id>, or --policy <id> --code <code> --billed <amount> for an estimate",
    );
  }
  if (byClaim) {
    const claimId = parseIdOption(args.claim, "--claim");
    const { claims } = await connectClaims(connection, args);
    const claim = await claims.claimOf(claimId);
    if (claim.policyId === 0n) throw new InputError(`there is no claim ${claimId}`);
    const token = await policyToken(claims, claim.policyId);
    const plan = await claims.planOf((await claims.policyOf(claim.policyId)).planId);
    const state = claimStateName(claim.state);
    io.print(
      `Claim ${claimId} (${state}${state === "Submitted" || state === "Appealed" ? ", if approved now" : ""}):`,
    );
    const denied = state === "Denied" || state === "FinalDenied" || state === "Voided";
    for (const line of formatBenefits(await quoteClaim(claims, claimId), token, {
      coinsuranceBps: plan.coinsuranceBps,
      denied,
    })) {
      io.print(`  ${line}`);
    }
    return EXIT_OK;
  }
  const policyId = parseIdOption(args.policy, "--policy");
  if (!isGiven(args.code) || !isGiven(args.billed)) {
    throw new InputError(
      "an estimate needs --code and --billed, e.g. --code 99213 --billed 150.00",
    );
  }
  const serviceCode = encodeServiceCode(args.code);
  const { claims } = await connectClaims(connection, args);
  const token = await policyToken(claims, policyId);
  const billed = parseTokenAmount(args.billed, token.decimals);
  const fee = !isGiven(args.feeTree)
    ? undefined
    : proveFee(readFeeScheduleTree(args.feeTree), serviceCode);
  const eob = await quoteService(claims, {
    policyId,
    serviceCode,
    billed,
    ...(fee === undefined ? {} : { fee }),
  });
  const plan = await claims.planOf((await claims.policyOf(policyId)).planId);
  io.print(
    `Estimate for ${args.code.trim().toUpperCase()} on policy ${policyId} (nothing submitted):`,
  );
  for (const line of formatBenefits(eob, token, { coinsuranceBps: plan.coinsuranceBps })) {
    io.print(`  ${line}`);
  }
  return EXIT_OK;
}

export default claimsTask(claimsQuote);
