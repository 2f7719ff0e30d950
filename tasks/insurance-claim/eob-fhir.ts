import { readExplanationOfBenefits } from "../../sdk/insurance-claim/client.js";
import { explanationOfBenefitOf } from "../../sdk/insurance-claim/fhir.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { connectClaims } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import type { EobArgs } from "./eob.js";
import { writeJsonFile } from "../lib/files.js";

/**
 * `claims eob --claim <id> --fhir <file> [--participants <file>]`: writes the claim's explanation
 * of benefits as a FHIR R4 ExplanationOfBenefit (validated), shaped after CARIN Blue Button.
 */
export async function claimsEobFhir(
  args: EobArgs & { readonly fhir: string },
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { ethers } = connection;
  const claimId = parseIdOption(args.claim, "--claim");
  const participants = await loadParticipants(
    isGiven(args.participants) ? args.participants : undefined,
  );
  const { claims } = await connectClaims(connection, args);
  const statement = await readExplanationOfBenefits(claims, claimId);
  const token = await readTokenInfo(ethers.provider, statement.token);
  const { insurer } = await claims.poolOf(statement.poolId);
  const { chainId } = await ethers.provider.getNetwork();
  const resource = explanationOfBenefitOf(statement, { token, insurer, chainId, participants });
  await writeJsonFile(args.fhir, resource);
  io.print(
    `Wrote claim ${claimId}'s ExplanationOfBenefit (${statement.state}, outcome ${resource.outcome}) to ${args.fhir}: valid FHIR R4 (official StructureDefinitions).`,
  );
  return EXIT_OK;
}
