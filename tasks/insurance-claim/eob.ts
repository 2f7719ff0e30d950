import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readExplanationOfBenefits } from "../../sdk/insurance-claim/client.js";
import { formatExplanationOfBenefits } from "../../sdk/insurance-claim/statement.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { cliAction } from "../lib/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface EobArgs extends CommonArgs {
  claim: string;
  /** Write a FHIR ExplanationOfBenefit to this file instead (`eob-fhir.ts`). */
  fhir?: string;
  participants?: string;
}

/** `claims eob`: a claim's explanation of benefits as a readable statement. */
export async function runEob(args: EobArgs, { ethers }: ClaimsConnection): Promise<void> {
  const claimId = parseIdOption(args.claim, "--claim");
  const { claims } = await connectClaims(ethers, args);
  const statement = await readExplanationOfBenefits(claims, claimId);
  const token = await readTokenInfo(ethers.provider, statement.token);
  console.log(formatExplanationOfBenefits(statement, token));
}

export default cliAction(async (args: RawArgs<EobArgs>, hre: HardhatRuntimeEnvironment) => {
  const eob = withEmptyStrings(args);
  if (isGiven(eob.fhir)) {
    const { runEobFhir } = await import("./eob-fhir.js");
    await runEobFhir({ ...eob, fhir: eob.fhir }, await hre.network.create());
    return;
  }
  await runEob(eob, await hre.network.create());
});
