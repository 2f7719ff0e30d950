import { existsSync } from "node:fs";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  deploymentDirectory,
  readDeployedAddresses,
  readSuiteParameters,
} from "../lib/deployments.js";
import { cliAction, colour, formatTable } from "../lib/terminal.js";

interface DeployArguments {
  parameters: string;
  deploymentId: string;
  verify: boolean;
}

const MODULE = path.join("ignition", "modules", "CareChain.ts");

export default cliAction(async (args: DeployArguments, hre: HardhatRuntimeEnvironment) => {
  const connection = await hre.network.create();
  const { chainId } = await connection.ethers.provider.getNetwork();
  const local = chainId === 31337n;
  const byNetwork = path.join("ignition", "parameters", `${connection.networkName}.json`);
  const file =
    args.parameters !== ""
      ? args.parameters
      : existsSync(byNetwork)
        ? byNetwork
        : local
          ? path.join("ignition", "parameters", "localhost.json")
          : "";
  if (file === "") {
    throw new InputError(
      `no parameters for network ${connection.networkName}: copy ignition/parameters/testnet.example.json to ${byNetwork}, fill in the role holders' addresses, and run again`,
    );
  }
  readSuiteParameters(file);
  if (args.deploymentId !== "") process.env.CARECHAIN_DEPLOYMENT_ID = args.deploymentId;
  console.log(
    `Deploying the carechain suite to ${connection.networkName} (chain ${chainId}) with ${file}`,
  );
  await hre.tasks.getTask(["ignition", "deploy"]).run({
    modulePath: MODULE,
    parameters: file,
    verify: args.verify,
    ...(args.deploymentId !== "" ? { deploymentId: args.deploymentId } : {}),
  });
  const addresses = readDeployedAddresses(chainId);
  if (Object.keys(addresses).length === 0) return;
  console.log(colour.bold("\nDeployed (the tasks read these addresses by default)"));
  console.log(formatTable(["contract", "address"], Object.entries(addresses)));
  console.log(`\nsaved in ${path.join(deploymentDirectory(chainId), "deployed_addresses.json")}`);
});
