import { formatTimestamp } from "../format.js";
import { overCoverageLimit, patientResponsibility } from "./adjudication.js";
import { formatTokenAmount } from "./amounts.js";
import type { ExplanationOfBenefits } from "./adjudication.js";
import type { ExplanationOfBenefitsStatement } from "./client.js";
import { decodeServiceCode } from "./fee-schedule.js";
import { describeReasonCode } from "./reason-codes.js";
import type { TokenInfo } from "./token.js";

const HISTORY_LABELS: Readonly<Record<string, string>> = {
  submitted: "submitted by provider",
  approved: "approved by adjuster",
  denied: "denied by adjuster",
  "final-denied": "appeal denied (final) by adjuster",
  appealed: "appealed by",
  paid: "paid to",
  "payment-failed": "payment refused by the token for",
  voided: "voided by insurer",
};

/**
 * Formats the amounts of an explanation of benefits as aligned lines in the token's units:
 * billed, the part the fee schedule does not allow, allowed, deductible, coinsurance, the part
 * above the coverage limit, what the plan pays and what the patient may owe (a denial or a void
 * shows billed, allowed and a zero payout only).
 *
 * @example
 * console.log(formatBenefits(eob, { symbol: "USDC", decimals: 6 }, { coinsuranceBps: 2000n }).join("\n"));
 */
export function formatBenefits(
  eob: ExplanationOfBenefits,
  token: Pick<TokenInfo, "symbol" | "decimals">,
  options: { coinsuranceBps?: bigint | number; denied?: boolean } = {},
): string[] {
  const amount = (value: bigint): string =>
    formatTokenAmount(value, token.decimals, { grouping: true });
  const percent =
    options.coinsuranceBps === undefined
      ? ""
      : ` (${formatTokenAmount(BigInt(options.coinsuranceBps), 2, { minFractionDigits: 0 })}%)`;
  const rows: [string, bigint][] = [
    ["Billed", eob.billed],
    ["Not allowed by the fee schedule", eob.allowed - eob.billed],
    ["Allowed", eob.allowed],
  ];
  if (options.denied !== true) {
    rows.push(
      ["Deductible", -eob.deductibleApplied],
      [`Coinsurance${percent}`, -eob.coinsurance],
      ["Above the coverage limit", -overCoverageLimit(eob)],
    );
  }
  rows.push(["Plan pays", eob.payout]);
  if (options.denied !== true) rows.push(["Patient may owe", patientResponsibility(eob)]);
  const labelWidth = Math.max(...rows.map(([label]) => label.length));
  const numbers = rows.map(([, value]) => amount(value));
  const numberWidth = Math.max(token.symbol.length, ...numbers.map((text) => text.length));
  return [
    `${"".padEnd(labelWidth)}  ${token.symbol.padStart(numberWidth)}`,
    ...rows.map(
      ([label], index) =>
        `${label.padEnd(labelWidth)}  ${(numbers[index] ?? "").padStart(numberWidth)}`,
    ),
  ];
}

/**
 * Formats a claim's explanation of benefits as a readable statement: the amounts line by line
 * in the pool's token (with its decimals), the decision, and the claim's history.
 *
 * @example
 * const token = await readTokenInfo(provider, statement.token);
 * console.log(formatExplanationOfBenefits(statement, token));
 */
export function formatExplanationOfBenefits(
  statement: ExplanationOfBenefitsStatement,
  token: TokenInfo,
): string {
  const { eob } = statement;
  const amount = (value: bigint): string =>
    formatTokenAmount(value, token.decimals, { grouping: true });
  const pending = statement.state === "Submitted" || statement.state === "Appealed";
  const denied = statement.state === "Denied" || statement.state === "FinalDenied";
  const voided = statement.state === "Voided";
  const lines: string[] = [];
  lines.push(`Explanation of benefits: claim ${statement.claimId} (${statement.state})`);
  lines.push(
    `Policy ${statement.policyId} (plan ${statement.planId}, pool ${statement.poolId}), patient ${statement.patient}`,
  );
  lines.push(
    `Provider ${statement.provider}, service ${decodeServiceCode(statement.serviceCode)} on ${formatTimestamp(statement.serviceDate).slice(0, 10)}`,
  );
  lines.push(`Evidence ${statement.evidenceHash}`);
  if (statement.drugUnit !== undefined) {
    lines.push(
      `Drug unit ${statement.drugUnit.unitIndex} of DrugTrace batch ${statement.drugUnit.batchId}`,
    );
  }
  lines.push("");
  lines.push(
    ...formatBenefits(eob, token, {
      coinsuranceBps: statement.coinsuranceBps,
      denied: denied || voided,
    }),
  );
  lines.push("");
  if (pending) {
    lines.push(
      "Pending: these amounts are what an approval would give now (against the policy's current deductible and coverage).",
    );
  } else if (denied) {
    lines.push(
      `${statement.state === "FinalDenied" ? "Denied after appeal (final)" : "Denied"}: reason ${statement.reasonCode} (${describeReasonCode(statement.reasonCode)}).`,
    );
    if (statement.state === "Denied") {
      lines.push(
        `The provider or the patient may appeal once, with new evidence, until ${formatTimestamp(statement.appealDeadline)} (the plan's ${statement.appealWindow / 86_400n}-day appeal window); after that the denial is final and the service may be claimed again.`,
      );
    }
  } else if (voided) {
    const released = statement.history.find((step) => step.kind === "voided")?.amount;
    lines.push(
      `Voided by the insurer: reason ${statement.reasonCode} (${describeReasonCode(statement.reasonCode)}). Nothing was paid${released === undefined ? "" : `; ${amount(released)} ${token.symbol} is available to the pool again`}.`,
    );
  } else if (statement.state === "Approved") {
    lines.push(`Approved: ${amount(eob.payout)} ${token.symbol} reserved for the provider.`);
  } else {
    lines.push(`Paid: ${amount(eob.payout)} ${token.symbol} to the provider.`);
  }
  lines.push("");
  lines.push("History");
  for (const step of statement.history) {
    const detail =
      step.kind === "denied" || step.kind === "final-denied"
        ? ` (reason ${step.reasonCode ?? 0})`
        : step.kind === "voided"
          ? ` (reason ${step.reasonCode ?? 0}, ${amount(step.amount ?? 0n)} ${token.symbol} released)`
          : step.kind === "appealed"
            ? ` with new evidence ${step.evidenceHash ?? ""}`
            : step.amount !== undefined && step.kind !== "approved"
              ? ` (${amount(step.amount)} ${token.symbol})`
              : "";
    lines.push(
      `  ${formatTimestamp(step.timestamp)}  ${HISTORY_LABELS[step.kind] ?? step.kind} ${step.actor}${detail}`,
    );
  }
  return lines.join("\n");
}
