import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import { denyClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode, parseReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { parseIdOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface DenyArgs extends CommonArgs {
  claim: string;
  reason: string;
}

/** `claims deny`: denies a claim with a reason code (a pool adjuster); an appeal's denial is final. */
export async function runDeny(args: DenyArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  if (args.reason === "") throw new InputError("--reason is required: a reason code, e.g. 50");
  const reasonCode = parseReasonCode(args.reason);
  const { claims } = await connectClaims(ethers, args);
  const decision = await denyClaim(claims, claimId, reasonCode);
  console.log(
    `${decision.outcome === "FinalDenied" ? "Denied the appeal of" : "Denied"} claim ${claimId}: reason ${reasonCode} (${describeReasonCode(reasonCode)}).`,
  );
  if (decision.outcome === "Denied") {
    console.log(
      `The provider or patient may appeal once: npx hardhat claims appeal --claim ${claimId} --evidence-file <file>`,
    );
  }
}

export default cliAction(async (args: RawArgs<DenyArgs>, hre: HardhatRuntimeEnvironment) => {
  await runDeny(withEmptyStrings(args), await hre.network.create());
});
