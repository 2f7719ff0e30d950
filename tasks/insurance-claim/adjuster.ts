import { setAdjuster } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseIdOption } from "../lib/options.js";
import { printDone } from "../lib/terminal.js";
import { connectClaims, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type AdjusterArgs = SignedOptions<"pool" | "account"> & { readonly remove: boolean };

/** `claims adjuster`: the pool's insurer appoints (or removes) an adjuster of that pool. */
export async function claimsAdjuster(
  args: AdjusterArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const poolId = parseIdOption(args.pool, "--pool");
  const account = parseAddressOption(args.account, "--account");
  const { claims } = await connectClaims(connection, args);
  const result = await setAdjuster(claims, poolId, account, !args.remove);
  printDone(
    io,
    `${args.remove ? "removed" : "appointed"} an adjuster of pool ${poolId}`,
    [
      ["pool", poolId],
      ["adjuster", account],
    ],
    result,
  );
  return EXIT_OK;
}

export default claimsTask(claimsAdjuster);
