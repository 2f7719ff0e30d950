import { readExplanationOfBenefits } from "../../sdk/insurance-claim/client.js";
import { formatExplanationOfBenefits } from "../../sdk/insurance-claim/statement.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { connectClaims, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type EobArgs = SignedOptions<"claim" | "fhir" | "participants">;

/** `claims eob`: a claim's explanation of benefits as a readable statement. */
export async function claimsEob(
  args: EobArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  if (isGiven(args.fhir)) {
    const { claimsEobFhir } = await import("./eob-fhir.js");
    return claimsEobFhir({ ...args, fhir: args.fhir }, connection, io);
  }
  const { ethers } = connection;
  const claimId = parseIdOption(args.claim, "--claim");
  const { claims } = await connectClaims(connection, args);
  const statement = await readExplanationOfBenefits(claims, claimId);
  const token = await readTokenInfo(ethers.provider, statement.token);
  io.print(formatExplanationOfBenefits(statement, token));
  return EXIT_OK;
}

export default claimsTask(claimsEob);
