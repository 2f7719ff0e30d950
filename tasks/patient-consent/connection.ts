import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireContractCode } from "../../sdk/contract-code.js";
import { resolveSuiteAddress } from "../lib/deployments.js";
import { selectSigner } from "../lib/options.js";
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
 * Connects to the network, picks the `--from` signer and attaches to `PatientConsent` at
 * `--address` or the Ignition deployment for the chain.
 *
 * @example
 * const { consent, signer } = await connectPatientConsent(hre, { address: args.address, from: args.from });
 */
export async function connectPatientConsent(
  hre: HardhatRuntimeEnvironment,
  options: { readonly address?: string | undefined; readonly from?: string | undefined },
): Promise<ConsentConnection> {
  const { ethers } = await hre.network.create();
  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress("PatientConsent", chainId, options.address);
  await requireContractCode(ethers.provider, address);
  const signer = selectSigner(await ethers.getSigners(), options.from);
  const consent = await ethers.getContractAt("PatientConsent", address, signer);
  return { ethers, consent, signer, chainId, address };
}
