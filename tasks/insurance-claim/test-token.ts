import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { parseAddressOption, requireOption } from "../lib/options.js";
import { formatGas } from "../lib/terminal.js";
import { claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, StringOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type TestTokenArgs = StringOptions<"to" | "amount">;

const DECIMALS = 6;

/**
 * `claims test-token`: deploys a mintable 6-decimal test stablecoin ("USDC (test)") and mints
 * `--amount` to each address of `--to`, for trying the claims tasks where no USDC is at hand.
 */
export async function claimsTestToken(
  args: TestTokenArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { ethers } = connection;
  const recipients = requireOption(args.to, "--to", "comma-separated addresses to mint to")
    .split(",")
    .map((text) => parseAddressOption(text, "--to"));
  const amount = parseTokenAmount(
    requireOption(args.amount, "--amount", "whole tokens, e.g. 100000"),
    DECIMALS,
  );
  const [deployer] = await ethers.getSigners();
  if (deployer === undefined) throw new Error("the network has no account to deploy from");
  const token = await ethers.deployContract(
    "MockERC20",
    ["USD Coin (test)", "USDC", DECIMALS],
    deployer,
  );
  await token.waitForDeployment();
  const deployed = await token.deploymentTransaction()?.wait();
  io.print(
    `Deployed test USDC at ${await token.getAddress()} (${formatGas(deployed?.gasUsed ?? 0n)})`,
  );
  for (const recipient of recipients) {
    await (await token.mint(recipient, amount)).wait();
    io.print(`Minted ${args.amount} USDC to ${recipient}`);
  }
  return EXIT_OK;
}

export default claimsTask(claimsTestToken);
