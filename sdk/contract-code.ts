import type { Provider } from "ethers";

import { InputError } from "./errors.js";

/**
 * Checks that `address` holds a contract on the provider's chain before anything is read from or
 * sent to it, so a wrong `--address` or `--network` ends with one clear line instead of an
 * undecodable empty result. Browser-safe (the verifier page uses the SDK clients too).
 *
 * @throws InputError "no contract at 0x… on chain 31337: check --address or --network".
 * @example
 * await requireContractCode(ethers.provider, resolveSuiteAddress("PatientConsent", chainId, args.address));
 */
export async function requireContractCode(provider: Provider, address: string): Promise<void> {
  if ((await provider.getCode(address)) !== "0x") return;
  const { chainId } = await provider.getNetwork();
  throw new InputError(
    `no contract at ${address} on chain ${chainId}: check --address or --network`,
  );
}
