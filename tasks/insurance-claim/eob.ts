import { readExplanationOfBenefits } from "../../sdk/insurance-claim/client.js";
import { formatExplanationOfBenefits } from "../../sdk/insurance-claim/statement.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { parseIdOption } from "../lib/options.js";
import { connectClaims, claimsTask, withFhir } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { SignedOptions } from "../lib/task.js";

export type EobArgs = SignedOptions<"claim" | "fhir" | "participants">;

/** `claims eob`: a claim's explanation of benefits as a readable statement (`--fhir`: as FHIR). */
export const claimsEob = withFhir<EobArgs>(
  async () => (await import("./eob-fhir.js")).claimsEobFhir,
  async (args, connection, io) => {
    const claimId = parseIdOption(args.claim, "--claim");
    const { claims } = await connectClaims(connection, args);
    const statement = await readExplanationOfBenefits(claims, claimId);
    const token = await readTokenInfo(connection.ethers.provider, statement.token);
    io.print(formatExplanationOfBenefits(statement, token));
    return EXIT_OK;
  },
);

export default claimsTask(claimsEob);
