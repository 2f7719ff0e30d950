import { HDNodeWallet, JsonRpcProvider, NonceManager, Wallet, getAddress, isAddress } from "ethers";

import { InputError } from "../../sdk/errors.js";
import { readDeployedAddresses, resolveSuiteAddress } from "../../tasks/lib/deployments.js";
import type { RelayConfig } from "./app.js";

/** Hardhat's well-known test mnemonic: the local default key comes from it, on chain 31337 only. */
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

/**
 * The local default relay key: Hardhat's test account #19 (funded on `hardhat node`), not the
 * deployer's #0, so the relay never races the deployer's nonces.
 */
export const LOCAL_RELAY_PATH = "m/44'/60'/0'/0/19";

/** The environment the relay reads (all optional on a local node). */
export interface RelayEnvironment {
  readonly RELAY_RPC_URL?: string;
  readonly RELAY_PRIVATE_KEY?: string;
  readonly RELAY_CONSENT_ADDRESS?: string;
  readonly RELAY_FACTORY_ADDRESS?: string;
  readonly RELAY_LIMIT_PER_MINUTE?: string;
  readonly RELAY_ALLOWED_ORIGINS?: string;
}

/**
 * The relay's configuration from the environment: `RELAY_RPC_URL` (default
 * http://127.0.0.1:8545), `RELAY_PRIVATE_KEY` (required except on chain 31337, where Hardhat's
 * test account #19 is the default), `RELAY_CONSENT_ADDRESS` and `RELAY_FACTORY_ADDRESS` (default:
 * the Ignition deployment for the chain), `RELAY_LIMIT_PER_MINUTE` (default 10) and
 * `RELAY_ALLOWED_ORIGINS` (comma-separated; default any).
 *
 * @example
 * const config = await readRelayConfig(process.env);
 */
export async function readRelayConfig(env: RelayEnvironment): Promise<RelayConfig> {
  const url = env.RELAY_RPC_URL ?? "http://127.0.0.1:8545";
  if (!/^https?:\/\/\S+$/.test(url))
    throw new InputError(`RELAY_RPC_URL ${url} is not an http(s) URL`);
  const provider = new JsonRpcProvider(url, undefined, { staticNetwork: true, batchMaxCount: 1 });
  let chainId: bigint;
  try {
    chainId = (await provider.getNetwork()).chainId;
  } catch {
    provider.destroy();
    throw new InputError(
      `no chain answers at ${url}: start one (npm run node) or set RELAY_RPC_URL`,
    );
  }
  const key = env.RELAY_PRIVATE_KEY;
  let wallet: Wallet | HDNodeWallet;
  if (key !== undefined && key !== "") {
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(key))
      throw new InputError("RELAY_PRIVATE_KEY is not a 32-byte hex key");
    wallet = new Wallet(key.startsWith("0x") ? key : `0x${key}`, provider);
  } else if (chainId === 31337n) {
    wallet = HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC, undefined, LOCAL_RELAY_PATH).connect(
      provider,
    );
  } else {
    throw new InputError(
      `RELAY_PRIVATE_KEY is required on chain ${chainId} (the funded key that pays)`,
    );
  }
  const consentAddress = resolveSuiteAddress("PatientConsent", chainId, env.RELAY_CONSENT_ADDRESS);
  let factoryAddress = env.RELAY_FACTORY_ADDRESS;
  if (factoryAddress === undefined || factoryAddress === "") {
    factoryAddress = Object.entries(readDeployedAddresses(chainId)).find(([id]) =>
      id.endsWith("#PatientAccountFactory"),
    )?.[1];
  }
  if (factoryAddress === undefined || !isAddress(factoryAddress)) {
    throw new InputError(
      `no PatientAccountFactory for chain ${chainId}: deploy the suite or set RELAY_FACTORY_ADDRESS`,
    );
  }
  const limit = Number(env.RELAY_LIMIT_PER_MINUTE ?? "10");
  if (!Number.isSafeInteger(limit) || limit < 1) {
    throw new InputError("RELAY_LIMIT_PER_MINUTE is not a positive whole number");
  }
  const origins = env.RELAY_ALLOWED_ORIGINS?.split(",")
    .map((origin) => origin.trim())
    .filter(Boolean);
  return {
    signer: new NonceManager(wallet),
    provider,
    chainId,
    consentAddress,
    factoryAddress: getAddress(factoryAddress),
    limitPerPatient: limit,
    windowMs: 60_000,
    ...(origins === undefined || origins.length === 0 ? {} : { allowedOrigins: origins }),
  };
}
