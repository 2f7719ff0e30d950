import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { getAddress, isAddress } from "ethers";

import { InputError } from "./errors.js";

/** The suite's contracts, named as in the `CareChain` Ignition module (`CareChain#<name>`). */
export type SuiteContract = "DrugTrace" | "PatientConsent" | "InsuranceClaim";

/** Where Ignition keeps the deployment for a chain, relative to the project root. */
export function deploymentDirectory(
  chainId: bigint | number,
  root: string = process.cwd(),
): string {
  return path.join(root, "ignition", "deployments", `chain-${chainId}`);
}

/**
 * Reads the addresses Ignition recorded for a chain (`deployed_addresses.json`), keyed by
 * future id, e.g. `CareChain#DrugTrace`.
 *
 * @example
 * const addresses = readDeployedAddresses(31337n);
 */
export function readDeployedAddresses(
  chainId: bigint | number,
  root: string = process.cwd(),
): Record<string, string> {
  const file = path.join(deploymentDirectory(chainId, root), "deployed_addresses.json");
  if (!existsSync(file)) return {};
  return JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
}

/**
 * The address of one of the suite's contracts on a chain: the `override` a person typed (an
 * `--address` option) or else the one the Ignition deployment for that chain recorded.
 *
 * @example
 * const address = resolveSuiteAddress("DrugTrace", 11155111n);
 */
export function resolveSuiteAddress(
  contract: SuiteContract,
  chainId: bigint | number,
  override?: string,
  root: string = process.cwd(),
): string {
  if (override !== undefined && override !== "") {
    if (!isAddress(override))
      throw new InputError(`--address ${String(override)} is not an address`);
    return getAddress(override);
  }
  const addresses = readDeployedAddresses(chainId, root);
  const found = Object.entries(addresses).find(
    ([id]) => id === `CareChain#${contract}` || id.endsWith(`#${contract}`),
  );
  if (found === undefined) {
    throw new InputError(
      `no ${contract} deployment for chain ${chainId}: deploy with 'npx hardhat ignition deploy ignition/modules/CareChain.ts --network <name>' or pass --address`,
    );
  }
  return getAddress(found[1]);
}
