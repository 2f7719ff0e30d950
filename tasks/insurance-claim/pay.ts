import { InputError } from "../../sdk/errors.js";
import { formatTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import {
  DEFAULT_PAY_CHUNK,
  MAX_PAY_CHUNK,
  findApprovedClaims,
  payClaim,
  payClaims,
} from "../../sdk/insurance-claim/client.js";
import type { PaidClaim, PayoutSummary } from "../../sdk/insurance-claim/client.js";
import type { TokenInfo } from "../../sdk/insurance-claim/token.js";
import { isGiven, parseIdListOption, parseIdOption, parseUintOption } from "../lib/options.js";
import { ProgressBar, colour, formatTable, formatGas, printDone } from "../lib/terminal.js";
import { connectClaims, poolToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type PayArgs = SignedOptions<"claim" | "ids" | "pool" | "chunk"> & {
  readonly allApproved: boolean;
};

/**
 * `claims pay`: pays one claim (`--claim`), a list (`--ids 1,2,3`) or every approved claim of a
 * pool (`--pool N --all-approved`), with a progress bar and a table of paid and failed claims.
 */
export async function claimsPay(
  args: PayArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const modes = [isGiven(args.claim), isGiven(args.ids), isGiven(args.pool) || args.allApproved];
  if (modes.filter(Boolean).length !== 1) {
    throw new InputError("give one of --claim <id>, --ids 1,2,3, or --pool <id> --all-approved");
  }
  if (isGiven(args.pool) !== args.allApproved) {
    throw new InputError("--pool and --all-approved go together: --pool <id> --all-approved");
  }
  const chunkSize = isGiven(args.chunk)
    ? Number(parseUintOption(args.chunk, "--chunk", { min: 1n, max: BigInt(MAX_PAY_CHUNK) }))
    : DEFAULT_PAY_CHUNK;
  const { claims } = await connectClaims(connection, args);

  let summary: PayoutSummary;
  if (isGiven(args.claim)) {
    const paid = await payClaim(claims, parseIdOption(args.claim, "--claim"));
    summary = {
      paid: [paid],
      failed: [],
      amountPaid: paid.amount,
      gasUsed: paid.receipt.gasUsed,
      transactions: [paid.receipt.hash],
    };
  } else {
    const ids = isGiven(args.ids)
      ? parseIdListOption(args.ids, "--ids")
      : await findApprovedClaims(claims, parseIdOption(args.pool, "--pool"));
    if (ids.length === 0) {
      io.print(`Pool ${args.pool} has no approved claims to pay.`);
      return EXIT_OK;
    }
    const bar = new ProgressBar("paying claims", ids.length, io.progress);
    summary = await payClaims(claims, ids, {
      chunkSize,
      onProgress: ({ done }) => {
        bar.update(done);
      },
    });
    bar.done();
  }

  const tokens = new Map<bigint, TokenInfo>();
  for (const row of [...summary.paid, ...summary.failed]) {
    if (!tokens.has(row.poolId)) tokens.set(row.poolId, await poolToken(claims, row.poolId));
  }
  const show = (row: PaidClaim): string => {
    const token = tokens.get(row.poolId);
    return token === undefined
      ? row.amount.toString()
      : formatTokenAmount(row.amount, token.decimals, { grouping: true, symbol: token.symbol });
  };
  const all = [...summary.paid, ...summary.failed];
  const width = Math.max(...all.map((row) => show(row).length));
  const failed = new Set(summary.failed);
  const rows = all
    .sort((a, b) => (a.claimId < b.claimId ? -1 : 1))
    .map((row) => [
      row.claimId,
      row.poolId,
      row.payee,
      show(row).padStart(width),
      failed.has(row) ? colour.red("refused by the token") : colour.green("paid"),
    ]);
  io.print(formatTable(["claim", "pool", "payee", "amount", "result"], rows));
  const totals = [...new Set(summary.paid.map((row) => row.poolId))].map((poolId) => {
    const token = tokens.get(poolId);
    const amount = summary.paid
      .filter((row) => row.poolId === poolId)
      .reduce((sum, row) => sum + row.amount, 0n);
    return token === undefined
      ? amount.toString()
      : formatTokenAmount(amount, token.decimals, { grouping: true, symbol: token.symbol });
  });
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? "" : "s"}`;
  printDone(io, `paid ${count(summary.paid.length, "claim")}`, [
    ["amount", totals.length > 0 ? totals.join(", ") : "nothing"],
    ["transactions", count(summary.transactions.length, "transaction")],
    ["gas", formatGas(summary.gasUsed)],
  ]);
  if (summary.failed.length > 0) {
    io.print(
      colour.yellow(
        `${summary.failed.length} failed: the token refused the payee (e.g. a blacklist); those claims stay approved and reserved. Retry with: npx hardhat claims pay --ids ${summary.failed.map((row) => row.claimId).join(",")}`,
      ),
    );
  }
  return EXIT_OK;
}

export default claimsTask(claimsPay);
