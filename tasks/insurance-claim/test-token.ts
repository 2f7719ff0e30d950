import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { parseAddressOption, requireOption } from "../lib/options.js";
import { cliAction, formatGas } from "../lib/terminal.js";
import { withEmptyStrings } from "./arguments.js";
import type { ClaimsConnection, RawArgs } from "./arguments.js";

export interface TestTokenArgs {
  to: string;
  amount: string;
}

const DECIMALS = 6;

/**
 * `claims test-token`: deploys a mintable 6-decimal test stablecoin ("USDC (test)") and mints
 * `--amount` to each address of `--to`, for trying the claims tasks where no USDC is at hand.
 */
export async function runTestToken(
  args: TestTokenArgs,
  { ethers }: ClaimsConnection,
): Promise<void> {
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
  console.log(
    `Deployed test USDC at ${await token.getAddress()} (${formatGas(deployed?.gasUsed ?? 0n)})`,
  );
  for (const recipient of recipients) {
    await (await token.mint(recipient, amount)).wait();
    console.log(`Minted ${args.amount} USDC to ${recipient}`);
  }
}

export default cliAction(async (args: RawArgs<TestTokenArgs>, hre: HardhatRuntimeEnvironment) => {
  await runTestToken(withEmptyStrings(args), await hre.network.create());
});
