import { expect } from "chai";
import { network } from "hardhat";

import { drugServiceCode } from "../../sdk/insurance-claim/fee-schedule.js";
import {
  APPEAL_WINDOW,
  DAY,
  FEES,
  HPAYMT,
  MEDICATIONS,
  claimRequest,
  code,
  deployClaimsSuite,
  evidence,
  usd,
} from "../fixtures/insurance-claim.js";
import type { ClaimsSuite } from "../fixtures/insurance-claim.js";
import { expectRevert, refuses } from "./expect.js";
import { ClaimState } from "./states.js";
import type { Watch } from "./expect.js";

// What every test file of the job uses, so that it imports this one module as a namespace.
export * from "./expect.js";
export { ClaimState, expectedStates } from "./states.js";

/*
 * What the InsuranceClaim tests (test/insurance-claim/) share: the fixtures every group builds on
 * (over test/fixtures/insurance-claim.ts, which the SDK and task tests use too) and the reader of
 * the state a refused call must leave as it was. It re-exports the fixture module, so that a test
 * file reaches both through one namespace (`import * as ic from "../helpers/insurance-claim.js"`).
 */

export * from "../fixtures/insurance-claim.js";

export const connection = await network.create();
export const { ethers, networkHelpers } = connection;
export const loadFixture = networkHelpers.loadFixture.bind(networkHelpers);

/** Every state but None, as `InsuranceClaimUnexpectedClaimState` reports "any existing claim". */
export const ALL_BUT_NONE = ethers.toBeHex((1n << 256n) - 2n, 32);

export const GTIN = 9506000134352n;
export const LOT = ethers.encodeBytes32String("ABC123");

/**
 * A reader of the state a failed call must leave untouched (for `expectNothingChanged`): the
 * counters, every pool and policy, the claims `claimIds`, the token balances and the pause flag.
 */
export function claimsState(
  s: ClaimsSuite,
  claimIds: readonly bigint[] = [],
): () => Promise<unknown> {
  return async () => {
    const claims = s.claims;
    const counts = await claims.counts();
    const pools = await Promise.all(
      Array.from({ length: Number(counts.pools) }, (_, i) => claims.poolOf(BigInt(i + 1))),
    );
    const policies = await Promise.all(
      Array.from({ length: Number(counts.policies) }, (_, i) => claims.policyOf(BigInt(i + 1))),
    );
    const claimRows = await Promise.all(claimIds.map((id) => claims.claimOf(id)));
    const balances = await Promise.all(
      [claims, s.insurer, s.provider, s.pharmacy].map((who) => s.usdc.balanceOf(who)),
    );
    return { counts, pools, policies, claimRows, balances, paused: await claims.paused() };
  };
}

/** `claimsState` with the InsuranceClaim contract, for `refuses`. */
export function watchClaims(s: ClaimsSuite, claimIds: readonly bigint[] = []): Watch {
  return { read: claimsState(s, claimIds), contract: s.claims };
}

/**
 * `s.otherInsurer`, who insures another pool, makes `call` on the claims contract: it reverts with
 * `InsuranceClaimNotPoolInsurer(s.poolId, otherInsurer)` and changes nothing (claims `claimIds`).
 */
export function refusesOtherInsurer(
  s: ClaimsSuite,
  call: (claims: ClaimsSuite["claims"]) => Promise<unknown>,
  claimIds: readonly bigint[] = [],
): Promise<void> {
  return refuses(
    watchClaims(s, claimIds),
    "InsuranceClaimNotPoolInsurer",
    [s.poolId, s.otherInsurer.address],
    () => call(s.claims.connect(s.otherInsurer)),
  );
}

/** `call` reverts with `InsuranceClaimUnexpectedClaimState(claimId, current, expected)` of `s.claims`. */
export function revertsInState(
  s: ClaimsSuite,
  call: Promise<unknown>,
  claimId: bigint,
  current: bigint,
  expected: string,
): Promise<void> {
  return expectRevert(
    call,
    s.claims,
    "InsuranceClaimUnexpectedClaimState",
    claimId,
    current,
    expected,
  );
}

/**
 * `tx`, the adjuster's decision on claim `claimId`, emits `ClaimAdjudicated` with the outcome
 * `state`, the amounts in dollars (billed, allowed, deductible, coinsurance, payout) and
 * `reasonCode`.
 */
export async function expectAdjudicated(
  s: ClaimsSuite,
  tx: Promise<unknown>,
  claimId: bigint,
  state: bigint,
  dollars: readonly [number, number, number, number, number],
  reasonCode = 0,
): Promise<void> {
  await expect(tx)
    .to.emit(s.claims, "ClaimAdjudicated")
    .withArgs(claimId, state, s.adjuster.address, ...dollars.map((d) => usd(d)), reasonCode);
}

/** The adjuster approves claim `claimId`; the EOB says `dollars` (as in `expectAdjudicated`). */
export async function expectApproved(
  s: ClaimsSuite,
  claimId: bigint,
  dollars: Parameters<typeof expectAdjudicated>[4],
): Promise<void> {
  const tx = s.claims.connect(s.adjuster).approveClaim(claimId);
  await expectAdjudicated(s, tx, claimId, ClaimState.Approved, dollars);
}

/**
 * The provider submits `request` (with the fee-schedule `amount` and `proof`), and the
 * `ClaimSubmitted` event numbers it `claimId` with `billed` and `allowed` dollars.
 */
export async function expectSubmitted(
  s: ClaimsSuite,
  request: ReturnType<typeof claimRequest>,
  claimId: bigint,
  [billed, allowed]: readonly [number, number] = [150, 120],
  amount = 0n,
  proof: readonly string[] = [],
): Promise<void> {
  const { serviceCode, serviceDate, evidenceHash } = request;
  await expect(s.claims.connect(s.provider).submitClaim(request, amount, [...proof]))
    .to.emit(s.claims, "ClaimSubmitted")
    .withArgs(
      claimId,
      s.policyId,
      s.provider.address,
      serviceCode,
      serviceDate,
      usd(billed),
      usd(allowed),
      evidenceHash,
    );
}

/** A refused call for `itRefuses`: the test's title, the error and its arguments, the call. */
export interface Refusal<F> {
  title: string;
  error: string;
  args?: (s: F) => unknown[];
  call: (s: F) => Promise<unknown>;
}

/**
 * One `it(title)` per case: from `fixture`, `call(s)` reverts with `error(…args(s))` of the claims
 * contract and changes nothing (`watchClaims`). For look-alike refusals that differ in values.
 */
export function itRefuses<F extends ClaimsSuite>(
  fixture: () => Promise<F>,
  cases: readonly Refusal<F>[],
): void {
  for (const c of cases) {
    it(c.title, async function () {
      const s = await loadFixture(fixture);
      await refuses(watchClaims(s), c.error, c.args?.(s) ?? [], () => c.call(s));
    });
  }
}

/**
 * `it("reverts when paused")` for one function: from `fixture`, the pauser pauses; `call(s)` then
 * reverts with `EnforcedPause` and changes nothing (`watchClaims`).
 */
export function itRevertsWhenPaused<F extends ClaimsSuite>(
  fixture: () => Promise<F>,
  call: (s: F) => Promise<unknown>,
): void {
  it("reverts when paused", async function () {
    const s = await loadFixture(fixture);
    await s.claims.connect(s.pauser).pause();
    await refuses(watchClaims(s, [1n]), "EnforcedPause", [], () => call(s));
  });
}

/** The id `s.claims` files the provider's claim for `request` under (its duplicate key). */
export function providerClaimIdOf(
  s: ClaimsSuite,
  request: { serviceCode: string; serviceDate: bigint },
): Promise<bigint> {
  return s.claims.claimIdOf(
    s.policyId,
    s.provider.address,
    request.serviceCode,
    request.serviceDate,
  );
}

export async function deployFixture() {
  return deployClaimsSuite(connection);
}

/** Plan 2 (no deductible, 20% coinsurance, $1,000 limit) and policy 2 on it for the patient. */
export async function withSecondPlan(s: ClaimsSuite) {
  await s.claims
    .connect(s.insurer)
    .createPlan(s.poolId, usd(1_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
  await s.claims.connect(s.insurer).setFees(2n, Object.keys(FEES).map(code), Object.values(FEES));
  await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
  return { planId: 2n, policyId: 2n };
}

/** Claim 1 on policy 2 (no deductible): billed $150 for 99213 ($120 allowed), approved: $96 reserved. */
export async function approvedClaimFixture() {
  const s = await deployClaimsSuite(connection);
  const { policyId } = await withSecondPlan(s);
  await s.claims.connect(s.provider).submitClaim(claimRequest(s, { policyId }), 0n, []);
  await s.claims.connect(s.adjuster).approveClaim(1n);
  return { ...s, policyId, claimId: 1n, payout: usd(96) };
}

/** Claim 1 on the default policy, denied with reason 50. */
export async function deniedClaimFixture() {
  const s = await deployClaimsSuite(connection);
  await s.claims.connect(s.provider).submitClaim(claimRequest(s), 0n, []);
  await s.claims.connect(s.adjuster).denyClaim(1n, 50);
  return { ...s, claimId: 1n };
}

/**
 * The pharmacy dispensed unit 17 of (GTIN, LOT); the patient lets the insurer see medications; the
 * default plan prices the GTIN's drug code at $30; `request` is the pharmacy's $42 claim for it.
 */
export async function drugClaimFixture() {
  const s = await deployClaimsSuite(connection);
  await s.trace.setDispensed(GTIN, LOT, 17n, s.pharmacy.address);
  await s.consent.setAuthorization(s.patient.address, s.insurer.address, HPAYMT, true, MEDICATIONS);
  await s.claims.connect(s.insurer).setFees(s.planId, [drugServiceCode(GTIN)], [usd(30)]);
  const batchId = await s.trace.batchIdOf(GTIN, LOT);
  const request = {
    policyId: s.policyId,
    patient: s.patient.address,
    gtin: GTIN,
    lot: LOT,
    unitIndex: 17n,
    serviceDate: s.now - DAY,
    billed: usd(42),
    evidenceHash: evidence("rx"),
  };
  return { ...s, batchId, request };
}

/**
 * Opens a second pool in `token` (funded with $10,000 of it), a plan without deductible on it and
 * a policy for the patient; returns their ids.
 */
export async function openTokenPool(
  s: ClaimsSuite,
  token: { getAddress(): Promise<string>; mint(to: string, amount: bigint): Promise<unknown> },
  approve: (amount: bigint) => Promise<unknown>,
) {
  await s.claims.connect(s.insurer).openPool(await token.getAddress());
  const poolId = (await s.claims.counts()).pools;
  await token.mint(s.insurer.address, usd(10_000));
  await approve(usd(10_000));
  await s.claims.connect(s.insurer).fundPool(poolId, usd(10_000));
  await s.claims.connect(s.insurer).setAdjuster(poolId, s.adjuster.address, true);
  await s.claims
    .connect(s.insurer)
    .createPlan(poolId, usd(5_000), 0n, 2_000, ethers.ZeroHash, APPEAL_WINDOW);
  const planId = (await s.claims.counts()).plans;
  await s.claims.connect(s.insurer).setFees(planId, [code("99213")], [usd(120)]);
  await s.claims.connect(s.insurer).createPolicy(planId, s.patient.address, s.start, s.end);
  const policyId = (await s.claims.counts()).policies;
  return { poolId, planId, policyId };
}

/** Submits and approves a claim on `policyId` by `provider` (default: the suite's provider). */
export async function approvedClaim(
  s: ClaimsSuite,
  policyId: bigint,
  label: string,
  provider = s.provider,
): Promise<bigint> {
  await s.claims
    .connect(provider)
    .submitClaim(claimRequest(s, { policyId, evidenceHash: evidence(label) }), 0n, []);
  const claimId = (await s.claims.counts()).claims;
  await s.claims.connect(s.adjuster).approveClaim(claimId);
  return claimId;
}

/**
 * The provider submits `count` claims billed $150 for 99214 ($180 fee, so $150 allowed) on the
 * default policy, with evidence `${label}0`, `${label}1`…; `then(claimId)` runs after each.
 */
export async function submitClaims99214(
  s: ClaimsSuite,
  count: number,
  label: string,
  then: (claimId: bigint) => Promise<unknown> = async () => {},
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const request = claimRequest(s, {
      serviceCode: code("99214"),
      evidenceHash: evidence(`${label}${i}`),
    });
    await s.claims.connect(s.provider).submitClaim(request, 0n, []);
    await then((await s.claims.counts()).claims);
  }
}

export async function sumOfPoolBalances(s: ClaimsSuite, token: string): Promise<bigint> {
  const { pools } = await s.claims.counts();
  let total = 0n;
  for (let id = 1n; id <= pools; id++) {
    const pool = await s.claims.poolOf(id);
    if (pool.token === token) total += pool.balance;
    expect(pool.reserved).to.be.lte(pool.balance);
  }
  return total;
}

/** A small deterministic PRNG (mulberry32) for the agreement fuzz. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    /** An integer in [0, n). */
    int: (n: number): number => Math.floor(next() * n),
    /** A bigint in [0, n). */
    bigint: (n: bigint): bigint => {
      let value = 0n;
      for (let i = 0; i < 4; i++)
        value = (value << 32n) | BigInt(Math.floor(next() * 4_294_967_296));
      return n === 0n ? 0n : value % n;
    },
  };
}
