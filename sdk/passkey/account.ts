import {
  Contract,
  ZeroHash,
  AbiCoder,
  concat,
  getAddress,
  getCreate2Address,
  isAddress,
  keccak256,
  toBeHex,
} from "ethers";
import type { ContractRunner, Provider } from "ethers";

import { InputError } from "../errors.js";
import { isValidP256PublicKey } from "./p256.js";
import type { PasskeyPublicKey } from "./webauthn.js";

/** The EIP-712 domain name of a `PatientAccount` (the ERC-7739 wrapping signs it). */
export const PATIENT_ACCOUNT_DOMAIN_NAME = "carechain PatientAccount";

/** The EIP-712 domain version of a `PatientAccount`. */
export const PATIENT_ACCOUNT_DOMAIN_VERSION = "1";

/** The factory's ABI as the SDK uses it (the page bundles no TypeChain factory). */
export const PATIENT_ACCOUNT_FACTORY_ABI = [
  "function createAccount(bytes32 qx, bytes32 qy) returns (address account)",
  "function accountOf(bytes32 qx, bytes32 qy) view returns (address)",
  "function implementation() view returns (address)",
  "event PatientAccountCreated(address indexed account, bytes32 qx, bytes32 qy)",
  "error PatientAccountFactoryInvalidPublicKey(bytes32 qx, bytes32 qy)",
] as const;

/**
 * The init code of an OpenZeppelin `Clones` clone of `implementation` with immutable arguments
 * `args` (`Clones._cloneCodeWithImmutableArgs`).
 */
function cloneInitCode(implementation: string, args: string): string {
  const argsLength = (args.length - 2) / 2;
  return concat([
    "0x61",
    toBeHex(argsLength + 0x2d, 2),
    "0x3d81600a3d39f3363d3d373d3d3d363d73",
    getAddress(implementation),
    "0x5af43d82803e903d91602b57fd5bf3",
    args,
  ]);
}

/**
 * The address of the passkey `key`'s account, from the factory's address and its
 * implementation's, without any call: the same CREATE2 address `PatientAccountFactory.accountOf`
 * returns, deployed or not.
 *
 * @example
 * const account = computePatientAccountAddress(factory, implementation, { qx, qy });
 */
export function computePatientAccountAddress(
  factory: string,
  implementation: string,
  key: PasskeyPublicKey,
): string {
  if (!isAddress(factory)) throw new InputError(`${String(factory)} is not a factory address`);
  if (!isAddress(implementation)) {
    throw new InputError(`${String(implementation)} is not an implementation address`);
  }
  if (!isValidP256PublicKey(key))
    throw new InputError("the passkey's public key is not a P-256 point");
  const args = AbiCoder.defaultAbiCoder().encode(["bytes32", "bytes32"], [key.qx, key.qy]);
  return getCreate2Address(
    getAddress(factory),
    ZeroHash,
    keccak256(cloneInitCode(implementation, args)),
  );
}

/**
 * The factory at `factory` as an ethers contract.
 *
 * @example
 * const factory = attachPatientAccountFactory(provider, deployment.accountFactory);
 */
export function attachPatientAccountFactory(runner: ContractRunner, factory: string): Contract {
  if (!isAddress(factory)) throw new InputError(`${String(factory)} is not a factory address`);
  return new Contract(getAddress(factory), PATIENT_ACCOUNT_FACTORY_ABI, runner);
}

/**
 * The passkey `key`'s account address, computed locally from the factory's implementation (one
 * call, cached by the caller if it likes).
 *
 * @example
 * const account = await readPatientAccountAddress(provider, factoryAddress, key);
 */
export async function readPatientAccountAddress(
  runner: ContractRunner,
  factory: string,
  key: PasskeyPublicKey,
): Promise<string> {
  const contract = attachPatientAccountFactory(runner, factory);
  const implementation = (await contract.getFunction("implementation").staticCall()) as string;
  return computePatientAccountAddress(factory, implementation, key);
}

/**
 * Whether the account at `account` is deployed (has code).
 *
 * @example
 * if (!(await isPatientAccountDeployed(provider, account))) await createPatientAccount(factory, key);
 */
export async function isPatientAccountDeployed(
  provider: Provider,
  account: string,
): Promise<boolean> {
  return (await provider.getCode(account)) !== "0x";
}
