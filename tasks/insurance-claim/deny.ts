import { InputError } from "../../sdk/errors.js";
import { denyClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode, parseReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { connectClaims, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type {
  ExitCode,
  SignedOptions,
  StringOptions,
  TaskConnection,
  TaskIo,
} from "../lib/task.js";

export type DenyArgs = StringOptions<"claim" | "reason"> & SignedOptions;

/** `claims deny`: denies a claim with a reason code (a pool adjuster); an appeal's denial is final. */
export async function claimsDeny(
  args: DenyArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const claimId = parseIdOption(args.claim, "--claim");
  if (!isGiven(args.reason)) throw new InputError("--reason is required: a reason code, e.g. 50");
  const reasonCode = parseReasonCode(args.reason);
  const { claims } = await connectClaims(connection, args);
  const decision = await denyClaim(claims, claimId, reasonCode);
  io.print(
    `${decision.outcome === "FinalDenied" ? "Denied the appeal of" : "Denied"} claim ${claimId}: reason ${reasonCode} (${describeReasonCode(reasonCode)}).`,
  );
  if (decision.outcome === "Denied") {
    io.print(
      `The provider or patient may appeal once: npx hardhat claims appeal --claim ${claimId} --evidence-file <file>`,
    );
  }
  return EXIT_OK;
}

export default claimsTask(claimsDeny);
