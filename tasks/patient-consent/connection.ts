import { getAddress, isAddress } from "ethers";
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { resolveSuiteAddress } from "../../sdk/deployments.js";
import { InputError } from "../../sdk/errors.js";
import type { PatientConsent } from "../../typechain-types/index.js";

/** What a `consent …` task works with once connected. */
export interface ConsentConnection {
  readonly ethers: HardhatEthers;
  readonly consent: PatientConsent;
  readonly signer: HardhatEthersSigner;
  readonly chainId: bigint;
  readonly address: string;
}

/**
 * Checks an address option a person typed, e.g. `--grantee 0x…`.
 *
 * @example
 * const grantee = parseAddressOption(args.grantee, "--grantee");
 */
export function parseAddressOption(value: string | undefined, option: string): string {
  const trimmed = (value ?? "").trim();
  if (trimmed === "") throw new InputError(`${option} is required (an 0x… address)`);
  // `isAddress` is a type guard; a plain boolean keeps `trimmed` a string on the refusing path.
  const valid = (text: string): boolean => isAddress(text);
  if (valid(trimmed)) return getAddress(trimmed);
  const lower = trimmed.toLowerCase();
  if (valid(lower)) {
    throw new InputError(
      `${option} ${trimmed} has a bad checksum: did you mean ${getAddress(lower)}?`,
    );
  }
  throw new InputError(`${option} ${trimmed} is not an address`);
}

/**
 * Checks an optional address option: `undefined` when not given.
 *
 * @example
 * const patient = parseOptionalAddressOption(args.patient, "--patient") ?? signer.address;
 */
export function parseOptionalAddressOption(
  value: string | undefined,
  option: string,
): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : parseAddressOption(value, option);
}

/**
 * The account `--from` names: an index into the configured accounts or one of their addresses.
 *
 * @example
 * const signer = await selectSigner(ethers, "1");
 */
export async function selectSigner(
  ethers: HardhatEthers,
  from: string,
): Promise<HardhatEthersSigner> {
  const signers = await ethers.getSigners();
  const wanted = from.trim() === "" ? "0" : from.trim();
  if (/^\d+$/.test(wanted)) {
    const signer = signers[Number(wanted)];
    if (signer === undefined) {
      throw new InputError(
        `--from ${wanted}: there are ${signers.length} configured accounts (0 to ${signers.length - 1})`,
      );
    }
    return signer;
  }
  if (!isAddress(wanted))
    throw new InputError(`--from ${from.trim()} is neither an account index nor an address`);
  const signer = signers.find((candidate) => candidate.address === getAddress(wanted));
  if (signer === undefined) {
    throw new InputError(`--from ${wanted} is not one of the configured accounts of this network`);
  }
  return signer;
}

/**
 * Connects to the network, picks the `--from` signer and attaches to `PatientConsent` at
 * `--address` or the Ignition deployment for the chain.
 *
 * @example
 * const { consent, signer } = await connectPatientConsent(hre, { address: args.address, from: args.from });
 */
export async function connectPatientConsent(
  hre: HardhatRuntimeEnvironment,
  options: { readonly address?: string | undefined; readonly from: string },
): Promise<ConsentConnection> {
  const { ethers } = await hre.network.create();
  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress("PatientConsent", chainId, options.address);
  if ((await ethers.provider.getCode(address)) === "0x") {
    throw new InputError(
      `no contract at ${address} on chain ${chainId}: check --address or --network`,
    );
  }
  const signer = await selectSigner(ethers, options.from);
  const consent = await ethers.getContractAt("PatientConsent", address, signer);
  return { ethers, consent, signer, chainId, address };
}

/** Formats gas for people: `54,372 gas`. */
export function formatGas(gas: bigint): string {
  return `${gas.toLocaleString("en-US")} gas`;
}
