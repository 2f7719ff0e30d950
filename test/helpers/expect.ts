import { expect } from "chai";
import { id } from "ethers";
import type { Interface } from "ethers";

/** A contract, or its factory: anything whose ABI declares the expected error. */
export interface ErrorSource {
  interface: Interface;
}

/** JSON of contract results (bigints as decimal strings), so that two reads compare with `equal`. */
export function json(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "bigint" ? item.toString() : item,
  );
}

/**
 * Reads the state with `read`, runs `action` (which asserts a revert) and asserts that a second
 * read equals the first: the refused call changed nothing observable.
 *
 * @example
 * await expectNothingChanged(traceState(fixture, [batchId]), () =>
 *   expectRevert(drugTrace.connect(stranger).recall(batchId, 1n, EVIDENCE), drugTrace, "…"),
 * );
 */
export async function expectNothingChanged(
  read: () => Promise<unknown>,
  action: () => Promise<unknown>,
): Promise<void> {
  const before = json(await read());
  await action();
  expect(json(await read())).to.equal(before);
}

/**
 * Asserts that `call` reverts with the custom error `error` declared by `contract`, with exactly
 * `args` when any are given (`revertedWithCustomError(…).withArgs(…)` in one line).
 */
export async function expectRevert(
  call: Promise<unknown>,
  contract: ErrorSource,
  error: string,
  ...args: unknown[]
): Promise<void> {
  const reverted = expect(call).to.be.revertedWithCustomError(contract, error);
  await (args.length === 0 ? reverted : reverted.withArgs(...args));
}

/**
 * Asserts that `call` reverts with OpenZeppelin's `AccessControlUnauthorizedAccount(account, role)`,
 * the role given by name (`"PAUSER_ROLE"`, hashed here as the contracts do).
 */
export async function expectUnauthorized(
  call: Promise<unknown>,
  contract: ErrorSource,
  account: string,
  role: string,
): Promise<void> {
  await expectRevert(call, contract, "AccessControlUnauthorizedAccount", account, id(role));
}

/**
 * Both at once: `call()` reverts with `error(…args)` of `contract` and changes nothing `read` sees.
 * `call` is a function so that the state is read before the transaction is sent.
 */
export async function expectRefused(
  read: () => Promise<unknown>,
  call: () => Promise<unknown>,
  contract: ErrorSource,
  error: string,
  ...args: unknown[]
): Promise<void> {
  await expectNothingChanged(read, () => expectRevert(call(), contract, error, ...args));
}

/** A state reader and the contract whose errors a refused call reverts with. */
export interface Watch {
  read: () => Promise<unknown>;
  contract: ErrorSource;
}

/**
 * `expectRefused` with the reader and contract bound in `watch` (one per job: `watchTrace`,
 * `watchConsent`, `watchClaims`): `call()` reverts with `error(…args)` and changes nothing.
 *
 * @example
 * await refuses(watchClaims(s, [s.claimId]), "InsuranceClaimNotPoolInsurer", [s.poolId, who], () =>
 *   s.claims.connect(s.otherInsurer).payClaim(s.claimId),
 * );
 */
export async function refuses(
  watch: Watch,
  error: string,
  args: readonly unknown[],
  call: () => Promise<unknown>,
): Promise<void> {
  await expectRefused(watch.read, call, watch.contract, error, ...args);
}
