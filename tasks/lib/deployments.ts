import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import { getAddress, isAddress } from "ethers";

import { describeNameProblem } from "../../sdk/drug-trace/participants.js";
import { InputError } from "../../sdk/errors.js";

/** The suite's contracts, named as in the `CareChain` Ignition module (`CareChain#<name>`). */
export type SuiteContract = "DrugTrace" | "PatientConsent" | "InsuranceClaim";

/**
 * Where Ignition keeps the deployment for a chain: `ignition/deployments/chain-<id>`, or
 * `ignition/deployments/<CARECHAIN_DEPLOYMENT_ID>` when that variable names a deployment made
 * with `suite deploy --deployment-id`.
 */
export function deploymentDirectory(
  chainId: bigint | number,
  root: string = process.cwd(),
): string {
  const deploymentId = process.env.CARECHAIN_DEPLOYMENT_ID;
  const name =
    deploymentId !== undefined && deploymentId !== "" ? deploymentId : `chain-${chainId}`;
  return path.join(root, "ignition", "deployments", name);
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
      `no ${contract} deployment for chain ${chainId}: deploy with 'npx hardhat suite deploy --network <name>' or pass --address`,
    );
  }
  return getAddress(found[1]);
}

/** The `CareChain` module's role-holder parameters, and who each one is. */
export const SUITE_ROLE_PARAMETERS: Readonly<Record<string, string>> = {
  manufacturer: "the manufacturer (DrugTrace MANUFACTURER_ROLE)",
  distributor: "the distributor (DrugTrace DISTRIBUTOR_ROLE)",
  dispenser: "the pharmacy (DrugTrace DISPENSER_ROLE)",
  regulator: "the regulator (DrugTrace REGULATOR_ROLE)",
  sensor: "the cold-chain sensor oracle (DrugTrace SENSOR_ROLE)",
  insurer: "the insurer (InsuranceClaim INSURER_ROLE)",
  emergency: "the emergency responder (PatientConsent EMERGENCY_ROLE)",
  provider: "the claim-submitting provider (InsuranceClaim PROVIDER_ROLE)",
};

/**
 * Reads and checks an Ignition parameters file for the `CareChain` module before anything is
 * deployed: valid JSON, every address parameter a real address (a placeholder left in place
 * ends with one line naming it), every number a non-negative integer.
 *
 * @example
 * const parameters = readSuiteParameters("ignition/parameters/testnet.json");
 */
export function readSuiteParameters(file: string): Record<string, Record<string, unknown>> {
  if (!existsSync(file)) throw new InputError(`parameters file not found: ${file}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InputError(
      `${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new InputError(`${file} must hold an object of modules, e.g. { "CareChain": { ... } }`);
  }
  const modules = parsed as Record<string, unknown>;
  for (const [moduleId, values] of Object.entries(modules)) {
    if (values === null || typeof values !== "object" || Array.isArray(values)) {
      throw new InputError(`${file}: ${moduleId} must be an object of parameters`);
    }
    for (const [name, value] of Object.entries(values as Record<string, unknown>)) {
      const where = `${file}: ${moduleId}.${name}`;
      if (name === "admin" || name in SUITE_ROLE_PARAMETERS) {
        if (typeof value !== "string" || !isAddress(value)) {
          const who = SUITE_ROLE_PARAMETERS[name] ?? "the contract's default admin";
          throw new InputError(
            `${where} is ${JSON.stringify(value)}, not an address: put the address of ${who}`,
          );
        }
      } else if (name === "manufacturerName") {
        const problem =
          typeof value === "string" && value.trim() !== ""
            ? describeNameProblem(value)
            : "a name is required";
        if (problem !== undefined) {
          throw new InputError(
            `${where} is ${JSON.stringify(value)}: put the manufacturer's public company name (${problem})`,
          );
        }
      } else if (name === "manufacturerPrefixLength") {
        if (typeof value !== "number" || !Number.isInteger(value) || value < 6 || value > 12) {
          throw new InputError(
            `${where} is ${JSON.stringify(value)}: a GS1 Company Prefix has 6 to 12 digits`,
          );
        }
      } else if (name === "manufacturerPrefix") {
        const length = (values as Record<string, unknown>)["manufacturerPrefixLength"];
        if (
          typeof value !== "number" ||
          !Number.isSafeInteger(value) ||
          value < 0 ||
          (typeof length === "number" && value >= 10 ** length)
        ) {
          throw new InputError(
            `${where} is ${JSON.stringify(value)}: put the manufacturer's GS1 Company Prefix as a number with at most manufacturerPrefixLength digits ("0614141" is 614141 with length 7)`,
          );
        }
      } else if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
        throw new InputError(
          `${where} must be a whole number of seconds, not ${JSON.stringify(value)}`,
        );
      }
    }
  }
  return modules as Record<string, Record<string, unknown>>;
}
