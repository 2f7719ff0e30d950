import type { ContractRunner, ContractTransactionResponse } from "ethers";

import { CareChainError, InputError } from "../errors.js";
import { InsuranceClaim__factory } from "../../typechain-types/index.js";
import type { InsuranceClaim } from "../../typechain-types/index.js";
import type { TypedContractEvent, TypedEventLog } from "../../typechain-types/common.js";
import { CLAIM_STATE_NAMES, claimStateName } from "../states.js";
import type { ClaimStateName } from "../states.js";
import {
  attachContract,
  callDecoded,
  parseEventLogs,
  requireEvent,
  sendTransaction,
} from "../transactions.js";
import type { RevertDecoding, TransactionResult } from "../transactions.js";
import { adjudicate } from "./adjudication.js";
import { DEFAULT_APPEAL_WINDOW, checkAppealWindow, isDrugServiceCode } from "./claim-rules.js";
import type { ExplanationOfBenefits } from "./adjudication.js";
import type { FeeProof, FeeScheduleEntry } from "./fee-schedule.js";
import { ERC20_INTERFACE, ensureAllowance } from "./token.js";

/** A claim's lifecycle states, numbered as the contract's `ClaimState` enum (`CLAIM_STATE_NAMES`). */
export const CLAIM_STATES = CLAIM_STATE_NAMES;

export { CLAIM_STATE_NAMES, claimStateName };
export type { ClaimStateName };

/** The contract's `ClaimState` numbers by name. */
export const ClaimState: Readonly<Record<ClaimStateName, number>> = Object.fromEntries(
  CLAIM_STATES.map((name, index) => [name, index]),
) as Record<ClaimStateName, number>;

/** Most claim ids `payClaims` sends per transaction by default. */
export const DEFAULT_PAY_CHUNK = 100;

/** The most claim ids per `payClaims` transaction the SDK allows (gas stays well inside a block). */
export const MAX_PAY_CHUNK = 500;

/**
 * Connects to an InsuranceClaim deployment.
 *
 * @example
 * const claims = connectInsuranceClaim(address, signer);
 */
export function connectInsuranceClaim(address: string, runner: ContractRunner): InsuranceClaim {
  return InsuranceClaim__factory.connect(address, runner);
}

/**
 * The `InsuranceClaim` at `address`, connected to `runner`, after checking that code is deployed
 * there.
 *
 * @throws InputError when the address holds no contract on the runner's chain.
 * @example
 * const claims = await attachInsuranceClaim(signer, resolveSuiteAddress("InsuranceClaim", chainId, args.address));
 */
export async function attachInsuranceClaim(
  runner: ContractRunner,
  address: string,
): Promise<InsuranceClaim> {
  return attachContract(runner, address, (at, by) => InsuranceClaim__factory.connect(at, by));
}

/**
 * How InsuranceClaim reverts are decoded: the contract's JSON ABI (a state refusal reads "claim 7
 * is Paid; this needs it Approved") and the ERC-20's, whose errors a transfer may raise.
 */
export const INSURANCE_CLAIM_DECODING: RevertDecoding = {
  abis: [InsuranceClaim__factory.abi, ERC20_INTERFACE],
};

function decoded<T>(action: () => Promise<T>): Promise<T> {
  return callDecoded(INSURANCE_CLAIM_DECODING, action);
}

async function send(
  action: () => Promise<ContractTransactionResponse>,
): Promise<TransactionResult> {
  return sendTransaction(INSURANCE_CLAIM_DECODING, action);
}

function checkId(kind: string, id: bigint): bigint {
  if (id <= 0n) throw new InputError(`${kind} id must be a positive number, got ${id}`);
  return id;
}

/** The result of a transaction that created something with an id (and of every other action). */
export type Created = TransactionResult;

/**
 * Opens a pool in `token`; the signer (an INSURER_ROLE holder) becomes its insurer.
 *
 * @example
 * const { poolId } = await openPool(claims.connect(insurer), usdcAddress);
 */
export async function openPool(
  claims: InsuranceClaim,
  token: string,
): Promise<Created & { poolId: bigint }> {
  const sent = await send(() => claims.openPool(token));
  return { poolId: requireEvent(claims, sent.receipt, "PoolOpened").poolId, ...sent };
}

/** A pool as the contract reports it. */
export interface PoolView {
  poolId: bigint;
  token: string;
  insurer: string;
  balance: bigint;
  reserved: bigint;
  /** balance − reserved: what can be withdrawn or reserved by approvals. */
  available: bigint;
}

/**
 * Reads pool `poolId`; an unknown pool is an `InputError`.
 *
 * @example
 * const { balance, reserved, available } = await readPool(claims, 1n);
 */
export async function readPool(claims: InsuranceClaim, poolId: bigint): Promise<PoolView> {
  checkId("pool", poolId);
  const pool = await decoded(() => claims.poolOf(poolId));
  if (BigInt(pool.insurer) === 0n) throw new InputError(`there is no pool ${poolId}`);
  return {
    poolId,
    token: pool.token,
    insurer: pool.insurer,
    balance: pool.balance,
    reserved: pool.reserved,
    available: pool.balance - pool.reserved,
  };
}

function signerOf(claims: InsuranceClaim): ContractRunner & { getAddress(): Promise<string> } {
  const runner = claims.runner;
  if (runner === null || !("getAddress" in runner)) {
    throw new CareChainError("the InsuranceClaim contract is not connected to a signer");
  }
  return runner as ContractRunner & { getAddress(): Promise<string> };
}

/**
 * Funds pool `poolId` with `amount` base units of its token from the signer, approving the
 * contract first when the allowance is short. Returns what the pool was credited (less than
 * `amount` for a fee-on-transfer token).
 *
 * @example
 * const { credited } = await fundPool(claims.connect(insurer), 1n, 100_000_000000n);
 */
export async function fundPool(
  claims: InsuranceClaim,
  poolId: bigint,
  amount: bigint,
): Promise<Created & { credited: bigint }> {
  if (amount <= 0n) throw new InputError("the amount to fund must be above zero");
  const pool = await readPool(claims, poolId);
  await decoded(async () =>
    ensureAllowance(signerOf(claims), pool.token, await claims.getAddress(), amount),
  );
  const sent = await send(() => claims.fundPool(poolId, amount));
  return { credited: requireEvent(claims, sent.receipt, "PoolFunded").credited, ...sent };
}

/**
 * Withdraws `amount` of pool `poolId`'s unreserved funds to `to` (the pool's insurer only).
 *
 * @example
 * await withdrawFromPool(claims.connect(insurer), 1n, 5_000_000n, treasury);
 */
export async function withdrawFromPool(
  claims: InsuranceClaim,
  poolId: bigint,
  amount: bigint,
  to: string,
): Promise<TransactionResult> {
  return send(() => claims.withdrawFromPool(poolId, amount, to));
}

/**
 * Appoints (`allowed` true) or removes an adjuster of pool `poolId` (the pool's insurer only).
 *
 * @example
 * await setAdjuster(claims.connect(insurer), 1n, adjuster, true);
 */
export async function setAdjuster(
  claims: InsuranceClaim,
  poolId: bigint,
  adjuster: string,
  allowed: boolean,
): Promise<TransactionResult> {
  return send(() => claims.setAdjuster(poolId, adjuster, allowed));
}

/** A plan's benefit rules. */
export interface PlanTerms {
  poolId: bigint;
  coverageLimit: bigint;
  deductible: bigint;
  coinsuranceBps: bigint | number;
  /** The fee schedule's Merkle root; omit or zero for explicit fees only. */
  feeScheduleRoot?: string;
  /** How long after a denial its claim may be appealed, in seconds (30 to 365 days; default 180 days). */
  appealWindow?: bigint;
}

/**
 * Creates a plan on a pool (the pool's insurer only).
 *
 * @example
 * const { planId } = await createPlan(claims.connect(insurer), { poolId: 1n, coverageLimit, deductible, coinsuranceBps: 2000 });
 * // appeal window: 180 days unless `appealWindow` (seconds) says otherwise
 */
export async function createPlan(
  claims: InsuranceClaim,
  terms: PlanTerms,
): Promise<Created & { planId: bigint }> {
  const root = terms.feeScheduleRoot ?? `0x${"00".repeat(32)}`;
  const appealWindow = checkAppealWindow(terms.appealWindow ?? DEFAULT_APPEAL_WINDOW);
  const sent = await send(() =>
    claims.createPlan(
      terms.poolId,
      terms.coverageLimit,
      terms.deductible,
      terms.coinsuranceBps,
      root,
      appealWindow,
    ),
  );
  return { planId: requireEvent(claims, sent.receipt, "PlanCreated").planId, ...sent };
}

/** Progress of a chunked operation. */
export interface Progress {
  done: number;
  total: number;
}

/**
 * Sets a plan's explicit fees, `chunkSize` codes per transaction (default 100).
 *
 * @example
 * await setFees(claims.connect(insurer), planId, readFeeSchedule("fees.csv", 6));
 */
export async function setFees(
  claims: InsuranceClaim,
  planId: bigint,
  entries: readonly Pick<FeeScheduleEntry, "serviceCode" | "allowedAmount">[],
  options: { chunkSize?: number; onProgress?: (progress: Progress) => void } = {},
): Promise<TransactionResult[]> {
  const chunkSize = options.chunkSize ?? 100;
  if (entries.length === 0) throw new InputError("no fees to set");
  const receipts: TransactionResult[] = [];
  for (let start = 0; start < entries.length; start += chunkSize) {
    const chunk = entries.slice(start, start + chunkSize);
    receipts.push(
      await send(() =>
        claims.setFees(
          planId,
          chunk.map((entry) => entry.serviceCode),
          chunk.map((entry) => entry.allowedAmount),
        ),
      ),
    );
    options.onProgress?.({ done: start + chunk.length, total: entries.length });
  }
  return receipts;
}

/** A policy's enrollment. */
export interface PolicyTerms {
  planId: bigint;
  patient: string;
  /** First covered second (unix). */
  start: bigint;
  /** Last covered second (unix). */
  end: bigint;
}

/**
 * Enrolls a patient in a plan (the pool's insurer only).
 *
 * @example
 * const { policyId } = await createPolicy(claims.connect(insurer), { planId, patient, start, end });
 */
export async function createPolicy(
  claims: InsuranceClaim,
  terms: PolicyTerms,
): Promise<Created & { policyId: bigint }> {
  const sent = await send(() =>
    claims.createPolicy(terms.planId, terms.patient, terms.start, terms.end),
  );
  return {
    policyId: requireEvent(claims, sent.receipt, "PolicyCreated").policyId,
    ...sent,
  };
}

/** A provider's claim (see the contract's `ClaimRequest`). */
export interface ClaimRequest {
  policyId: bigint;
  patient: string;
  /** The service code as `bytes32` (`encodeServiceCode`). */
  serviceCode: string;
  serviceDate: bigint;
  billed: bigint;
  evidenceHash: string;
}

/** A pharmacy's claim for a dispensed unit (see the contract's `DrugClaimRequest`). */
export interface DrugClaimRequest {
  policyId: bigint;
  patient: string;
  gtin: bigint;
  /** The lot as `bytes32` (ethers `encodeBytes32String`). */
  lot: string;
  unitIndex: bigint;
  serviceDate: bigint;
  billed: bigint;
  evidenceHash: string;
}

const NO_PROOF: FeeProof = { scheduleAmount: 0n, scheduleProof: [] };

/**
 * Submits a claim for a service that is not a drug (PROVIDER_ROLE). With a Merkle fee schedule,
 * pass the code's `proveFee` result. A drug's GTIN code is refused before anything is sent (bill
 * it with `submitDrugClaim`). The patient must authorize both the insurer and the signer for
 * HPAYMT, and the same service (policy, provider, code, date) has one live claim at a time.
 *
 * @example
 * const { claimId, allowed } = await submitClaim(claims.connect(provider), request);
 */
export async function submitClaim(
  claims: InsuranceClaim,
  request: ClaimRequest,
  fee: FeeProof = NO_PROOF,
): Promise<Created & { claimId: bigint; allowed: bigint }> {
  if (isDrugServiceCode(request.serviceCode)) {
    throw new InputError(
      `service code ${request.serviceCode} is a drug's GTIN: bill a dispensed unit with submitDrugClaim ('claims submit --gtin … --lot … --unit …')`,
    );
  }
  const sent = await send(() => claims.submitClaim(request, fee.scheduleAmount, fee.scheduleProof));
  const event = requireEvent(claims, sent.receipt, "ClaimSubmitted");
  return { claimId: event.claimId, allowed: event.allowed, ...sent };
}

/**
 * Submits a pharmacy claim for a unit it dispensed (PROVIDER_ROLE). The fee schedule code is the
 * GTIN (`drugServiceCode`).
 *
 * @example
 * const { claimId, batchId } = await submitDrugClaim(claims.connect(pharmacy), request);
 */
export async function submitDrugClaim(
  claims: InsuranceClaim,
  request: DrugClaimRequest,
  fee: FeeProof = NO_PROOF,
): Promise<Created & { claimId: bigint; allowed: bigint; batchId: string }> {
  const sent = await send(() =>
    claims.submitDrugClaim(request, fee.scheduleAmount, fee.scheduleProof),
  );
  const event = requireEvent(claims, sent.receipt, "ClaimSubmitted");
  const unit = requireEvent(claims, sent.receipt, "DrugUnitClaimed");
  return { claimId: event.claimId, allowed: event.allowed, batchId: unit.batchId, ...sent };
}

/** An adjudication decision with its explanation of benefits. */
export interface Decision extends TransactionResult {
  outcome: ClaimStateName;
  eob: ExplanationOfBenefits;
  reasonCode: number;
}

function decisionOf(claims: InsuranceClaim, sent: TransactionResult): Decision {
  const event = requireEvent(claims, sent.receipt, "ClaimAdjudicated");
  return {
    ...sent,
    outcome: claimStateName(event.outcome),
    eob: {
      billed: event.billed,
      allowed: event.allowed,
      deductibleApplied: event.deductibleApplied,
      coinsurance: event.coinsurance,
      payout: event.payout,
    },
    reasonCode: Number(event.reasonCode),
  };
}

/**
 * Approves a claim (a pool adjuster): reserves the payout and returns the explanation of benefits.
 *
 * @example
 * const { eob } = await approveClaim(claims.connect(adjuster), claimId);
 */
export async function approveClaim(claims: InsuranceClaim, claimId: bigint): Promise<Decision> {
  return decisionOf(claims, await send(() => claims.approveClaim(claimId)));
}

/**
 * Denies a claim with a reason code (a pool adjuster); a denied appeal is final.
 *
 * @example
 * await denyClaim(claims.connect(adjuster), claimId, 50);
 */
export async function denyClaim(
  claims: InsuranceClaim,
  claimId: bigint,
  reasonCode: number,
): Promise<Decision> {
  return decisionOf(claims, await send(() => claims.denyClaim(claimId, reasonCode)));
}

/**
 * Appeals a denied claim once with new evidence (its provider or patient), until the claim's
 * `appealDeadline` (the denial plus the plan's appeal window); later the contract refuses with
 * `InsuranceClaimAppealWindowClosed`.
 *
 * @example
 * await appealClaim(claims.connect(provider), claimId, newEvidenceHash);
 */
export async function appealClaim(
  claims: InsuranceClaim,
  claimId: bigint,
  evidenceHash: string,
): Promise<TransactionResult> {
  return send(() => claims.appealClaim(claimId, evidenceHash));
}

/** A claim paid to its provider. */
export interface PaidClaim {
  claimId: bigint;
  poolId: bigint;
  payee: string;
  amount: bigint;
}

/** A claim whose payment the token refused; it stays Approved and reserved. */
export type FailedClaim = PaidClaim;

/**
 * Pays one approved claim (the pool's insurer). A token refusing the transfer reverts with
 * `InsuranceClaimPaymentFailed`.
 *
 * @example
 * const { amount } = await payClaim(claims.connect(insurer), claimId);
 */
export async function payClaim(
  claims: InsuranceClaim,
  claimId: bigint,
): Promise<Created & PaidClaim> {
  const sent = await send(() => claims.payClaim(claimId));
  return { ...sent, ...paymentOf(requireEvent(claims, sent.receipt, "ClaimPaid")) };
}

/** A payment as `ClaimPaid` and `ClaimPaymentFailed` carry it. */
function paymentOf(args: PaidClaim): PaidClaim {
  return { claimId: args.claimId, poolId: args.poolId, payee: args.payee, amount: args.amount };
}

/** An Approved claim voided by its pool's insurer. */
export interface VoidedClaim {
  claimId: bigint;
  poolId: bigint;
  insurer: string;
  reasonCode: number;
  /** The payout the void returned from the pool's reserve to its available funds. */
  released: bigint;
  /** The deductible the void gave back to the policy. */
  deductibleReleased: bigint;
}

/**
 * Voids an Approved claim that will not be paid (the pool's insurer), e.g. one whose payee the
 * token refuses: its reserved payout returns to the pool's available funds and the policy gets
 * back the coverage and deductible the approval counted. Nothing is paid. The provider may
 * submit the same service again (a new claim); a drug claim's unit stays claimed.
 *
 * @example
 * const { released } = await voidClaim(claims.connect(insurer), claimId, 16);
 */
export async function voidClaim(
  claims: InsuranceClaim,
  claimId: bigint,
  reasonCode: number,
): Promise<Created & VoidedClaim> {
  checkId("claim", claimId);
  if (!Number.isInteger(reasonCode) || reasonCode < 1 || reasonCode > 65_535) {
    throw new InputError(`reason code must be from 1 to 65535, got ${reasonCode}`);
  }
  const sent = await send(() => claims.voidClaim(claimId, reasonCode));
  const event = requireEvent(claims, sent.receipt, "ClaimVoided");
  return {
    ...sent,
    claimId: event.claimId,
    poolId: event.poolId,
    insurer: event.insurer,
    reasonCode: Number(event.reasonCode),
    released: event.released,
    deductibleReleased: event.deductibleReleased,
  };
}

/** What `payClaims` did. */
export interface PayoutSummary {
  paid: PaidClaim[];
  failed: FailedClaim[];
  amountPaid: bigint;
  gasUsed: bigint;
  transactions: string[];
}

/**
 * Pays approved claims in transactions of `chunkSize` ids (default 100, at most 500), calling
 * `onProgress` after each. Every id is checked to be Approved first (an `InputError` lists the
 * others, before anything is sent). A payee the token refuses does not stop the others: it is
 * reported in `failed` and its claim stays Approved.
 *
 * @example
 * const { paid, failed } = await payClaims(claims.connect(insurer), [1n, 2n, 3n], {
 *   onProgress: ({ done, total }) => bar.update(done),
 * });
 */
export async function payClaims(
  claims: InsuranceClaim,
  claimIds: readonly bigint[],
  options: {
    chunkSize?: number;
    onProgress?: (progress: Progress & { paid: number; failed: number }) => void;
  } = {},
): Promise<PayoutSummary> {
  const chunkSize = options.chunkSize ?? DEFAULT_PAY_CHUNK;
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_PAY_CHUNK) {
    throw new InputError(`chunk size must be from 1 to ${MAX_PAY_CHUNK}, got ${chunkSize}`);
  }
  if (claimIds.length === 0) throw new InputError("no claims to pay");
  const unique = new Set(claimIds);
  if (unique.size !== claimIds.length) throw new InputError("a claim id appears twice");
  const states = await Promise.all(
    claimIds.map(async (id) => [id, await claims.claimStateOf(checkId("claim", id))] as const),
  );
  const wrong = states.filter(([, state]) => Number(state) !== ClaimState.Approved);
  if (wrong.length > 0) {
    throw new InputError(
      `only Approved claims can be paid: ${wrong
        .map(([id, state]) => `claim ${id} is ${claimStateName(state)}`)
        .join(", ")}`,
    );
  }
  const summary: PayoutSummary = {
    paid: [],
    failed: [],
    amountPaid: 0n,
    gasUsed: 0n,
    transactions: [],
  };
  for (let start = 0; start < claimIds.length; start += chunkSize) {
    const chunk = claimIds.slice(start, start + chunkSize);
    const sent = await send(() => claims.payClaims(chunk));
    summary.gasUsed += sent.gasUsed;
    summary.transactions.push(sent.hash);
    for (const { name, args } of parseEventLogs(claims, sent.receipt, [
      "ClaimPaid",
      "ClaimPaymentFailed",
    ])) {
      const payment = paymentOf(args);
      if (name === "ClaimPaid") {
        summary.paid.push(payment);
        summary.amountPaid += payment.amount;
      } else {
        summary.failed.push(payment);
      }
    }
    options.onProgress?.({
      done: start + chunk.length,
      total: claimIds.length,
      paid: summary.paid.length,
      failed: summary.failed.length,
    });
  }
  return summary;
}

/**
 * The claims of pool `poolId` that are Approved now (approved and not yet paid), from the
 * contract's ClaimAdjudicated events, in id order.
 *
 * @example
 * const ids = await findApprovedClaims(claims, 1n);
 */
export async function findApprovedClaims(
  claims: InsuranceClaim,
  poolId: bigint,
  options: { fromBlock?: number } = {},
): Promise<bigint[]> {
  await readPool(claims, poolId);
  const approvals = await claims.queryFilter(
    claims.filters.ClaimAdjudicated(undefined, ClaimState.Approved),
    options.fromBlock ?? 0,
  );
  const ids = [...new Set(approvals.map((log) => log.args.claimId))].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  const found: bigint[] = [];
  for (const id of ids) {
    const claim = await claims.claimOf(id);
    if (claim.poolId === poolId && Number(claim.state) === ClaimState.Approved) found.push(id);
  }
  return found;
}

/**
 * The contract's explanation of benefits for a claim (`quote`): recorded once decided, or what an
 * approval would give now while pending.
 *
 * @example
 * const eob = await quoteClaim(claims, claimId);
 */
export async function quoteClaim(
  claims: InsuranceClaim,
  claimId: bigint,
): Promise<ExplanationOfBenefits> {
  const eob = await decoded(() => claims.quote(checkId("claim", claimId)));
  return {
    billed: eob.billed,
    allowed: eob.allowed,
    deductibleApplied: eob.deductibleApplied,
    coinsurance: eob.coinsurance,
    payout: eob.payout,
  };
}

/**
 * Estimates a service before it is claimed: the SDK's `adjudicate` against the policy's current
 * deductible and coverage and the plan's explicit fee (or the `fee` proven from its Merkle
 * schedule). Throws an `InputError` when the plan lists no fee for the code.
 *
 * @example
 * const eob = await quoteService(claims, { policyId: 1n, serviceCode: encodeServiceCode("99213"), billed: 150_000000n });
 */
export async function quoteService(
  claims: InsuranceClaim,
  service: { policyId: bigint; serviceCode: string; billed: bigint; fee?: FeeProof },
): Promise<ExplanationOfBenefits> {
  const policy = await claims.policyOf(checkId("policy", service.policyId));
  if (policy.planId === 0n) throw new InputError(`there is no policy ${service.policyId}`);
  const plan = await claims.planOf(policy.planId);
  const listed = await claims.feeOf(policy.planId, service.serviceCode);
  const scheduleAmount = listed !== 0n ? listed : (service.fee?.scheduleAmount ?? 0n);
  if (scheduleAmount === 0n) {
    throw new InputError(
      `plan ${policy.planId} lists no fee for this service code${plan.feeScheduleRoot === `0x${"00".repeat(32)}` ? "" : " (pass its fee schedule tree)"}`,
    );
  }
  return adjudicate({
    billed: service.billed,
    scheduleAmount,
    deductibleRemaining: plan.deductible - policy.deductibleMet,
    coinsuranceBps: plan.coinsuranceBps,
    coverageRemaining: plan.coverageLimit - policy.coverageUsed,
  });
}

/** One step of a claim's history, from the contract's events. */
export interface ClaimHistoryEntry {
  kind:
    | "submitted"
    | "approved"
    | "denied"
    | "final-denied"
    | "appealed"
    | "paid"
    | "payment-failed"
    | "voided";
  /** Who acted: provider, adjuster, appellant, insurer (a void), or the payee for payments. */
  actor: string;
  blockNumber: number;
  /** The log's index in its block (orders steps within a block). */
  logIndex: number;
  timestamp: bigint;
  transactionHash: string;
  reasonCode?: number;
  evidenceHash?: string;
  amount?: bigint;
}

/** Everything an explanation-of-benefits statement shows about a claim. */
export interface ExplanationOfBenefitsStatement {
  claimId: bigint;
  state: ClaimStateName;
  policyId: bigint;
  planId: bigint;
  poolId: bigint;
  patient: string;
  provider: string;
  serviceCode: string;
  serviceDate: bigint;
  evidenceHash: string;
  drugUnit?: { batchId: string; unitIndex: bigint };
  coinsuranceBps: bigint;
  reasonCode: number;
  /** The plan's appeal window (seconds). */
  appealWindow: bigint;
  /** Set on the first denial: the last second an appeal is accepted; 0 for a claim never denied. */
  appealDeadline: bigint;
  token: string;
  eob: ExplanationOfBenefits;
  history: ClaimHistoryEntry[];
}

/**
 * Reads a claim's explanation of benefits with its history (submission, decisions, appeal,
 * payment, void) from the contract's state and events.
 *
 * @example
 * const statement = await readExplanationOfBenefits(claims, 3n);
 * console.log(formatExplanationOfBenefits(statement, token));
 */
export async function readExplanationOfBenefits(
  claims: InsuranceClaim,
  claimId: bigint,
  options: { fromBlock?: number } = {},
): Promise<ExplanationOfBenefitsStatement> {
  const claim = await claims.claimOf(checkId("claim", claimId));
  if (Number(claim.state) === ClaimState.None) throw new InputError(`there is no claim ${claimId}`);
  const [policy, eob] = await Promise.all([
    claims.policyOf(claim.policyId),
    quoteClaim(claims, claimId),
  ]);
  const [plan, pool] = await Promise.all([
    claims.planOf(policy.planId),
    claims.poolOf(claim.poolId),
  ]);
  const from = options.fromBlock ?? 0;
  const [submitted, decided, appealed, paid, failed, voided, units] = await Promise.all([
    claims.queryFilter(claims.filters.ClaimSubmitted(claimId), from),
    claims.queryFilter(claims.filters.ClaimAdjudicated(claimId), from),
    claims.queryFilter(claims.filters.ClaimAppealed(claimId), from),
    claims.queryFilter(claims.filters.ClaimPaid(claimId), from),
    claims.queryFilter(claims.filters.ClaimPaymentFailed(claimId), from),
    claims.queryFilter(claims.filters.ClaimVoided(claimId), from),
    claims.queryFilter(claims.filters.DrugUnitClaimed(claimId), from),
  ]);
  const submission = submitted[0];
  if (submission === undefined) {
    throw new CareChainError(`no ClaimSubmitted event for claim ${claimId} from block ${from}`);
  }
  type Step = Omit<ClaimHistoryEntry, "timestamp">;
  /** A step of `kind` by `actor`, with what it carries (`details`) and where its log is. */
  const step = (
    log: TypedEventLog<TypedContractEvent>,
    kind: Step["kind"],
    actor: string,
    details: Pick<Step, "reasonCode" | "amount" | "evidenceHash"> = {},
  ): Step => ({
    kind,
    actor,
    ...details,
    blockNumber: log.blockNumber,
    transactionHash: log.transactionHash,
    logIndex: log.index,
  });
  const kinds: Partial<Record<ClaimStateName, ClaimHistoryEntry["kind"]>> = {
    Approved: "approved",
    Denied: "denied",
    FinalDenied: "final-denied",
  };
  const steps: Step[] = [
    step(submission, "submitted", submission.args.provider),
    ...decided.map((log) =>
      step(log, kinds[claimStateName(log.args.outcome)] ?? "approved", log.args.adjuster, {
        reasonCode: Number(log.args.reasonCode),
        amount: log.args.payout,
      }),
    ),
    ...appealed.map((log) =>
      step(log, "appealed", log.args.appellant, { evidenceHash: log.args.evidenceHash }),
    ),
    ...paid.map((log) => step(log, "paid", log.args.payee, { amount: log.args.amount })),
    ...failed.map((log) =>
      step(log, "payment-failed", log.args.payee, { amount: log.args.amount }),
    ),
    ...voided.map((log) =>
      step(log, "voided", log.args.insurer, {
        reasonCode: Number(log.args.reasonCode),
        amount: log.args.released,
      }),
    ),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.logIndex - b.logIndex);
  const provider = claims.runner?.provider;
  const timestamps = new Map<number, bigint>();
  for (const step of steps) {
    if (timestamps.has(step.blockNumber) || provider === undefined || provider === null) continue;
    const block = await provider.getBlock(step.blockNumber);
    timestamps.set(step.blockNumber, BigInt(block?.timestamp ?? 0));
  }
  const unit = units[0];
  return {
    claimId,
    state: claimStateName(claim.state),
    policyId: claim.policyId,
    planId: policy.planId,
    poolId: claim.poolId,
    patient: policy.patient,
    provider: claim.provider,
    serviceCode: submission.args.serviceCode,
    serviceDate: submission.args.serviceDate,
    evidenceHash: submission.args.evidenceHash,
    ...(unit === undefined
      ? {}
      : { drugUnit: { batchId: unit.args.batchId, unitIndex: unit.args.unitIndex } }),
    coinsuranceBps: plan.coinsuranceBps,
    reasonCode: Number(claim.reasonCode),
    appealWindow: plan.appealWindow,
    appealDeadline: claim.appealDeadline,
    token: pool.token,
    eob,
    history: steps.map((step) => ({
      ...step,
      timestamp: timestamps.get(step.blockNumber) ?? 0n,
    })),
  };
}
