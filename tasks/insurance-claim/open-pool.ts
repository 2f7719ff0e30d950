import { openPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { parseAddressOption } from "../lib/options.js";
import { claimsAction, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type OpenPoolArgs = SignedOptions<"token">;

/** `claims open-pool`: opens a pool in an ERC-20; the signer becomes its insurer. */
export const claimsOpenPool = claimsAction(
  (args: OpenPoolArgs) => parseAddressOption(args.token, "--token"),
  async (token, { claims, signer, connection }) => {
    const info = await readTokenInfo(connection.ethers.provider, token);
    const opened = await openPool(claims, token);
    return {
      title: `opened pool ${opened.poolId}`,
      fields: [
        ["token", `${info.symbol} (${token}, ${info.decimals} decimals)`],
        ["insurer", signer.address],
      ],
      mined: opened,
      notes: [`Next: npx hardhat claims fund --pool ${opened.poolId} --amount <${info.symbol}>`],
    };
  },
);

export default claimsTask(claimsOpenPool);
