import { openPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import { parseAddressOption } from "../lib/options.js";
import { formatGas } from "../lib/terminal.js";
import { connectClaims, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type OpenPoolArgs = SignedOptions<"token">;

/** `claims open-pool`: opens a pool in an ERC-20; the signer becomes its insurer. */
export async function claimsOpenPool(
  args: OpenPoolArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { ethers } = connection;
  const token = parseAddressOption(args.token, "--token");
  const { claims, signer } = await connectClaims(connection, args);
  const info = await readTokenInfo(ethers.provider, token);
  const { poolId, receipt } = await openPool(claims, token);
  io.print(
    `Opened pool ${poolId} in ${info.symbol} (${token}, ${info.decimals} decimals) with insurer ${signer.address} (${formatGas(receipt.gasUsed)}).`,
  );
  io.print(`Next: npx hardhat claims fund --pool ${poolId} --amount <${info.symbol}>`);
  return EXIT_OK;
}

export default claimsTask(claimsOpenPool);
