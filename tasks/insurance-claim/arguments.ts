import { readFileSync } from "node:fs";

import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress, isAddress, keccak256 } from "ethers";

import { resolveSuiteAddress } from "../../sdk/deployments.js";
import { InputError } from "../../sdk/errors.js";
import { connectInsuranceClaim, readPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import type { TokenInfo } from "../../sdk/insurance-claim/token.js";
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

/** Parses a positive whole id (`--claim 3`). */
export function parseId(option: string, text: string): bigint {
  const value = text.trim();
  if (!/^\d+$/.test(value) || BigInt(value) === 0n) {
    throw new InputError(`--${option} must be a positive whole number, got '${text}'`);
  }
  return BigInt(value);
}

/** Parses a list of ids, e.g. `1,2,3` or `4-7,9`. */
export function parseIdList(option: string, text: string): bigint[] {
  const ids: bigint[] = [];
  for (const part of text.split(",")) {
    const item = part.trim();
    if (item === "") continue;
    const range = /^(\d+)-(\d+)$/.exec(item);
    if (range !== null) {
      const first = parseId(option, range[1] ?? "");
      const last = parseId(option, range[2] ?? "");
      if (last < first || last - first > 10_000n) {
        throw new InputError(`--${option}: '${item}' is not a range of at most 10,000 ids`);
      }
      for (let id = first; id <= last; id++) ids.push(id);
    } else {
      ids.push(parseId(option, item));
    }
  }
  if (ids.length === 0) throw new InputError(`--${option} lists no ids, e.g. 1,2,3`);
  return ids;
}

/** Parses an address option. */
export function parseAddress(option: string, text: string): string {
  if (!isAddress(text.trim())) throw new InputError(`--${option} '${text}' is not an address`);
  return getAddress(text.trim());
}

/**
 * Parses a date: `YYYY-MM-DD` (UTC; the start of the day, or its last second when `endOfDay`), an
 * ISO date-time, or unix seconds.
 */
export function parseDate(option: string, text: string, endOfDay = false): bigint {
  const value = text.trim();
  if (/^\d+$/.test(value)) return BigInt(value);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const millis = Date.parse(dateOnly ? `${value}T00:00:00Z` : value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(millis)) {
    throw new InputError(
      `--${option} '${text}' is not a date: use YYYY-MM-DD, an ISO date-time or unix seconds`,
    );
  }
  const seconds = BigInt(Math.floor(millis / 1000));
  return dateOnly && endOfDay ? seconds + 86_399n : seconds;
}

/** Parses a coinsurance percentage (`20`, `20%`, `12.5`) into basis points. */
export function parseCoinsurance(option: string, text: string): number {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(text.trim());
  const bps =
    match === null ? NaN : Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  if (!Number.isInteger(bps) || bps > 10_000) {
    throw new InputError(
      `--${option} '${text}' must be a percentage from 0 to 100 with at most 2 decimals, e.g. 20`,
    );
  }
  return bps;
}

/** The evidence hash: `--evidence 0x…` (32 bytes) or the keccak-256 of `--evidence-file`. */
export function parseEvidence(args: { evidence: string; evidenceFile: string }): string {
  if (args.evidence !== "" && args.evidenceFile !== "") {
    throw new InputError("give either --evidence or --evidence-file, not both");
  }
  if (args.evidenceFile !== "") {
    try {
      return keccak256(readFileSync(args.evidenceFile));
    } catch {
      throw new InputError(`cannot read --evidence-file '${args.evidenceFile}'`);
    }
  }
  if (!/^0x[0-9a-fA-F]{64}$/.test(args.evidence.trim())) {
    throw new InputError(
      "--evidence must be the 32-byte hash (0x + 64 hex digits) of the off-chain FHIR Claim, or use --evidence-file",
    );
  }
  return args.evidence.trim().toLowerCase();
}

/** The signer `--from` names: an account index (default 0) or one of the node's addresses. */
export async function selectSigner(
  ethers: HardhatEthers,
  from: string,
): Promise<HardhatEthersSigner> {
  const signers = await ethers.getSigners();
  const value = from.trim();
  if (value === "") {
    const first = signers[0];
    if (first === undefined) throw new InputError("the network has no accounts to sign with");
    return first;
  }
  if (/^\d+$/.test(value)) {
    const signer = signers[Number(value)];
    if (signer === undefined) {
      throw new InputError(
        `--from ${value}: the network has ${signers.length} accounts (0-${signers.length - 1})`,
      );
    }
    return signer;
  }
  if (!isAddress(value))
    throw new InputError(`--from '${from}' is neither an account index nor an address`);
  const signer = signers.find((candidate) => candidate.address === getAddress(value));
  if (signer === undefined)
    throw new InputError(`--from ${value} is not one of the network's accounts`);
  return signer;
}

/** The InsuranceClaim contract (`--address` or the deployment), connected to the `--from` signer. */
export async function connectClaims(
  ethers: HardhatEthers,
  args: CommonArgs,
): Promise<{ claims: InsuranceClaim; signer: HardhatEthersSigner }> {
  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress("InsuranceClaim", chainId, args.address);
  if ((await ethers.provider.getCode(address)) === "0x") {
    throw new InputError(`there is no contract at ${address} on chain ${chainId}`);
  }
  const signer = await selectSigner(ethers, args.from);
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
  const policy = await claims.getPolicy(policyId);
  if (policy.planId === 0n) throw new InputError(`there is no policy ${policyId}`);
  return poolToken(claims, (await claims.getPlan(policy.planId)).poolId);
}
