import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { InputError } from "../../sdk/errors.js";
import { formatTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { hashEvidence } from "../lib/evidence.js";
import { connectInsuranceClaim, readPool } from "../../sdk/insurance-claim/client.js";
import { readTokenInfo } from "../../sdk/insurance-claim/token.js";
import type { TokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, parseIdOption, requireOption } from "../lib/options.js";
import { parseReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { contractAction, openSuiteContract, scopeTask } from "../lib/task.js";
import type { Acting, SignedOptions, TaskAction, TaskConnection } from "../lib/task.js";
import { printDone } from "../lib/terminal.js";
import type { Field, Mined } from "../lib/terminal.js";
import type { InsuranceClaim } from "../../typechain-types/index.js";

/*
 * The plumbing every `claims …` task shares, on top of the task shape of `tasks/lib/task.ts`:
 * each task file exports `claims<Verb>(args, connection, io)` returning the exit code, and
 * `export default claimsTask(claims<Verb>)`.
 */

/**
 * A `claims …` task file's default export (`scopeTask` of `tasks/lib/task.ts`).
 *
 * @example
 * export default claimsTask(claimsApprove);
 */
export const claimsTask = scopeTask;

/** What a `claims …` task did, as `printDone` prints it, and the lines that follow. */
export interface ClaimsDone {
  readonly title: string;
  readonly fields: readonly Field[];
  /** The transaction, whose gas and hash end the fields. */
  readonly mined?: Mined | undefined;
  /** Lines after the fields: a statement, or what to do next. */
  readonly notes?: readonly string[];
}

/** Where a `claims …` task acts: the connected contract, its signer, the arguments, connection and io. */
export type ClaimsActing<A> = Acting<{ claims: InsuranceClaim; signer: HardhatEthersSigner }, A>;

/**
 * A `claims …` task's action from its two parts: `parse` checks the arguments before anything is
 * sent, `act` works on the InsuranceClaim contract (`--address`, signed by `--from`) and says what
 * it did; the action prints that through `printDone` and exits 0.
 *
 * @example
 * export const claimsApprove = claimsAction(
 *   (args: ApproveArgs) => parseIdOption(args.claim, "--claim"),
 *   async (claimId, { claims }) => ({ title: `approved claim ${claimId}`, fields: [], mined: await approveClaim(claims, claimId) }),
 * );
 */
export function claimsAction<A extends SignedOptions, P>(
  parse: (args: A) => P | Promise<P>,
  act: (parsed: P, acting: ClaimsActing<A>) => Promise<ClaimsDone>,
): TaskAction<A> {
  return contractAction(connectClaims, parse, async (parsed, acting) => {
    const done = await act(parsed, acting);
    printDone(acting.io, done.title, done.fields, done.mined);
    for (const line of done.notes ?? []) acting.io.print(line);
  });
}

/**
 * `action`, or with `--fhir` the FHIR variant `load` brings (loaded only when `--fhir` is given).
 *
 * @example
 * export const claimsEob = withFhir(async () => (await import("./eob-fhir.js")).claimsEobFhir, readEob);
 */
export function withFhir<A extends { readonly fhir?: string | undefined }>(
  load: () => Promise<TaskAction<A & { readonly fhir: string }>>,
  action: TaskAction<A>,
): TaskAction<A> {
  return async (args, connection, io) => {
    if (!isGiven(args.fhir)) return action(args, connection, io);
    const fhirAction = await load();
    return fhirAction({ ...args, fhir: args.fhir }, connection, io);
  };
}

/**
 * Formats amounts of `token` for printing, with grouping and its symbol: `2,500.50 USDC`.
 *
 * @example
 * const show = tokenAmounts(token); show(usd(150)); // "150.00 USDC"
 */
export function tokenAmounts(token: TokenInfo): (value: bigint) => string {
  return (value) =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });
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
  readonly evidence?: string | undefined;
  readonly evidenceFile?: string | undefined;
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

/**
 * The `--claim` and `--reason` of a decision on a claim (`claims deny`, `claims void`); `example`
 * is a reason code to suggest when `--reason` is missing.
 *
 * @example
 * const { claimId, reasonCode } = parseClaimDecision(args, "50");
 */
export function parseClaimDecision(
  args: SignedOptions<"claim" | "reason">,
  example: string,
): { claimId: bigint; reasonCode: number } {
  const claimId = parseIdOption(args.claim, "--claim");
  const reason = requireOption(args.reason, "--reason", `a reason code, e.g. ${example}`);
  return { claimId, reasonCode: parseReasonCode(reason) };
}

/** The InsuranceClaim contract (`--address` or the deployment), connected to the `--from` signer. */
export async function connectClaims(
  connection: TaskConnection,
  args: SignedOptions,
): Promise<{ claims: InsuranceClaim; signer: HardhatEthersSigner }> {
  const { contract, signer } = await openSuiteContract(
    connection,
    "InsuranceClaim",
    args,
    connectInsuranceClaim,
  );
  return { claims: contract, signer };
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
