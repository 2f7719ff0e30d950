import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { requireContractCode } from "../../sdk/contract-code.js";
import { resolveSuiteAddress } from "../../sdk/deployments.js";
import { InputError } from "../../sdk/errors.js";
import { hashEvidence } from "../../sdk/evidence.js";
import { connectInsuranceClaim, readPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import type { TokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, requireOption, selectSigner } from "../../sdk/options.js";
import type { InsuranceClaim } from "../../typechain-types/index.js";

/** What every `claims` action gets from the network connection. */
export interface ClaimsConnection {
  ethers: HardhatEthers;
}

/** Options every `claims` task has. */
export interface CommonArgs {
  /** InsuranceClaim address; empty: the Ignition deployment for the chain. */
  address: string;
  /** The signer: an account index or an address of the node's accounts; empty: account 0. */
  from: string;
}

/** Task arguments as Hardhat hands them over: options without a default are `undefined` when absent. */
export type RawArgs<T> = { [K in keyof T]: T[K] extends string ? string | undefined : T[K] };

/** Replaces absent options by empty strings, so actions test `=== ""` only. */
export function withEmptyStrings<T extends object>(args: RawArgs<T>): T {
  return Object.fromEntries(Object.entries(args).map(([key, value]) => [key, value ?? ""])) as T;
}

/** Parses a coinsurance percentage (`20`, `20%`, `12.5`) into basis points. */
export function parseCoinsurance(text: string, option: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  const bps =
    match === null ? NaN : Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (!Number.isInteger(bps) || bps > 10_000) {
    throw new InputError(
      `${option} '${text}' must be a percentage from 0 to 100 with at most 2 decimals, e.g. 20`,
    );
  }
  return bps;
}

/**
 * The evidence hash of a claim or appeal: `--evidence` or `--evidence-file` (one of the two), each
 * a file or a 0x… 32-byte hash, as `hashEvidence` reads it.
 */
export async function parseEvidence(args: {
  readonly evidence: string;
  readonly evidenceFile: string;
}): Promise<string> {
  if (isGiven(args.evidence) && isGiven(args.evidenceFile)) {
    throw new InputError("give either --evidence or --evidence-file, not both");
  }
  if (isGiven(args.evidenceFile)) return hashEvidence(args.evidenceFile, "--evidence-file");
  const evidence = requireOption(
    args.evidence,
    "--evidence",
    "the off-chain FHIR Claim or appeal document, or its 0x… 32-byte hash",
  );
  return hashEvidence(evidence, "--evidence");
}

/** The InsuranceClaim contract (`--address` or the deployment), connected to the `--from` signer. */
export async function connectClaims(
  ethers: HardhatEthers,
  args: CommonArgs,
): Promise<{ claims: InsuranceClaim; signer: HardhatEthersSigner }> {
  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress("InsuranceClaim", chainId, args.address);
  await requireContractCode(ethers.provider, address);
  const signer = selectSigner(await ethers.getSigners(), args.from);
  return { claims: connectInsuranceClaim(address, signer), signer };
}

/** The token of pool `poolId`, for reading and printing amounts. */
export async function poolToken(claims: InsuranceClaim, poolId: bigint): Promise<TokenInfo> {
  const pool = await readPool(claims, poolId);
  if (claims.runner === null) throw new InputError("no provider");
  return readTokenInfo(claims.runner, pool.token);
}

/** The token of the pool paying policy `policyId`. */
export async function policyToken(claims: InsuranceClaim, policyId: bigint): Promise<TokenInfo> {
  const policy = await claims.policyOf(policyId);
  if (policy.planId === 0n) throw new InputError(`there is no policy ${policyId}`);
  return poolToken(claims, (await claims.planOf(policy.planId)).poolId);
}
