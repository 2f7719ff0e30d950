import { setAdjuster } from "../../sdk/insurance-claim/client.js";
import { parseAddressOption, parseIdOption } from "../lib/options.js";
import { claimsAction, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type AdjusterArgs = SignedOptions<"pool" | "account"> & { readonly remove: boolean };

/** `claims adjuster`: the pool's insurer appoints (or removes) an adjuster of that pool. */
export const claimsAdjuster = claimsAction(
  (args: AdjusterArgs) => ({
    poolId: parseIdOption(args.pool, "--pool"),
    account: parseAddressOption(args.account, "--account"),
  }),
  async ({ poolId, account }, { claims, args }) => ({
    title: `${args.remove ? "removed" : "appointed"} an adjuster of pool ${poolId}`,
    fields: [
      ["pool", poolId],
      ["adjuster", account],
    ],
    mined: await setAdjuster(claims, poolId, account, !args.remove),
  }),
);

export default claimsTask(claimsAdjuster);
