import { existsSync } from "node:fs";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { InputError } from "../../sdk/errors.js";
import {
  deploymentDirectory,
  readDeployedAddresses,
  readSuiteParameters,
} from "../lib/deployments.js";
import { isGiven } from "../lib/options.js";
import { EXIT_OK, scopeTask } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { colour, formatTable } from "../lib/terminal.js";
import type { StringOptions } from "../lib/task.js";

/** `suite deploy` options. */
export type DeployArgs = StringOptions<"parameters" | "deploymentId"> & {
  readonly verify: boolean;
};

/** What `suite deploy` acts through: the network, and Hardhat's tasks (Ignition's deploy). */
export interface SuiteConnection extends TaskConnection {
  readonly networkName: string;
  readonly tasks: HardhatRuntimeEnvironment["tasks"];
}

const MODULE = path.join("ignition", "modules", "CareChain.ts");

/**
 * `suite deploy [--parameters <file>] [--deployment-id <name>] [--verify]`: deploys the suite
 * with Ignition and prints the addresses the tasks then read by default.
 */
export async function suiteDeploy(
  args: DeployArgs,
  connection: SuiteConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const { chainId } = await connection.ethers.provider.getNetwork();
  const local = chainId === 31337n;
  const byNetwork = path.join("ignition", "parameters", `${connection.networkName}.json`);
  const file = isGiven(args.parameters)
    ? args.parameters.trim()
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
  const deploymentId = isGiven(args.deploymentId) ? args.deploymentId.trim() : undefined;
  if (deploymentId !== undefined) process.env.CARECHAIN_DEPLOYMENT_ID = deploymentId;
  io.print(
    `Deploying the carechain suite to ${connection.networkName} (chain ${chainId}) with ${file}`,
  );
  await connection.tasks.getTask(["ignition", "deploy"]).run({
    modulePath: MODULE,
    parameters: file,
    verify: args.verify,
    ...(deploymentId !== undefined ? { deploymentId } : {}),
  });
  const addresses = readDeployedAddresses(chainId);
  if (Object.keys(addresses).length === 0) return EXIT_OK;
  io.print(colour.bold("\nDeployed (the tasks read these addresses by default)"));
  io.print(formatTable(["contract", "address"], Object.entries(addresses)));
  io.print(`\nsaved in ${path.join(deploymentDirectory(chainId), "deployed_addresses.json")}`);
  return EXIT_OK;
}

export default scopeTask(suiteDeploy, async (hre) => {
  const { ethers, networkName } = await hre.network.create();
  return { ethers, networkName, tasks: hre.tasks };
});
