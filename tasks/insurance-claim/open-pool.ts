import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { openPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { parseAddressOption } from "../lib/options.js";
import { cliAction, formatGas } from "../lib/terminal.js";
import { connectClaims, withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, CommonArgs, RawArgs } from "./arguments.js";

export interface OpenPoolArgs extends CommonArgs {
  token: string;
}

/** `claims open-pool`: opens a pool in an ERC-20; the signer becomes its insurer. */
export async function runOpenPool(args: OpenPoolArgs, { ethers }: ClaimsConnection): Promise<void> {
  const token = parseAddressOption(args.token, "--token");
  const { claims, signer } = await connectClaims(ethers, args);
  const info = await readTokenInfo(ethers.provider, token);
  const { poolId, receipt } = await openPool(claims, token);
  console.log(
    `Opened pool ${poolId} in ${info.symbol} (${token}, ${info.decimals} decimals) with insurer ${signer.address} (${formatGas(receipt.gasUsed)}).`,
  );
  console.log(`Next: npx hardhat claims fund --pool ${poolId} --amount <${info.symbol}>`);
}

export default cliAction(async (args: RawArgs<OpenPoolArgs>, hre: HardhatRuntimeEnvironment) => {
  await runOpenPool(withEmptyStrings(args), await hre.network.create());
});
