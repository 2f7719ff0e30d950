import { InputError } from "../../sdk/errors.js";
import { formatTokenAmount, parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import {
  DEFAULT_APPEAL_WINDOW,
  SECONDS_PER_DAY,
  parseAppealDays,
} from "../../sdk/insurance-claim/claim-rules.js";
import { createPlan, setFees } from "../../sdk/insurance-claim/client.js";
import {
  EXPLICIT_FEE_LIMIT,
  buildFeeScheduleTree,
  readFeeSchedule,
  writeFeeScheduleTree,
} from "../../sdk/insurance-claim/fee-schedule.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { ProgressBar } from "../lib/terminal.js";
import { connectClaims, parseCoinsurance, poolToken, claimsTask } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, SignedOptions, TaskConnection, TaskIo } from "../lib/task.js";

export type PlanArgs = SignedOptions<
  "pool" | "coverageLimit" | "deductible" | "coinsurance" | "fees" | "treeOut" | "appealDays"
> & { readonly merkle: boolean };

/**
 * `claims plan`: creates a plan from benefit rules and a fee schedule file; small schedules are
 * set as explicit fees, large ones (or `--merkle`) as a Merkle root whose tree is written out.
 */
export async function claimsPlan(
  args: PlanArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const poolId = parseIdOption(args.pool, "--pool");
  if (!isGiven(args.fees)) {
    throw new InputError("--fees is required: a .csv (code,amount) or .json fee schedule");
  }
  if (!isGiven(args.coverageLimit)) throw new InputError("--coverage-limit is required, e.g. 5000");
  const coinsuranceBps = parseCoinsurance(args.coinsurance ?? "0", "--coinsurance");
  const appealWindow = !isGiven(args.appealDays)
    ? DEFAULT_APPEAL_WINDOW
    : parseAppealDays(args.appealDays, "--appeal-days");
  const { claims } = await connectClaims(connection, args);
  const token = await poolToken(claims, poolId);
  const coverageLimit = parseTokenAmount(args.coverageLimit, token.decimals);
  const deductible = parseTokenAmount(args.deductible ?? "0", token.decimals);
  if (coverageLimit === 0n) throw new InputError("--coverage-limit must be above zero");
  const entries = readFeeSchedule(args.fees, token.decimals);
  const useMerkle = args.merkle || entries.length > EXPLICIT_FEE_LIMIT;
  const show = (value: bigint) =>
    formatTokenAmount(value, token.decimals, { grouping: true, symbol: token.symbol });

  let root: string | undefined;
  let treeFile = "";
  if (useMerkle) {
    const tree = buildFeeScheduleTree(entries);
    root = tree.root;
    treeFile = isGiven(args.treeOut)
      ? args.treeOut
      : args.fees.replace(/\.(csv|json)$/i, ".tree.json");
    writeFeeScheduleTree(treeFile, tree);
  }
  const { planId } = await createPlan(claims, {
    poolId,
    coverageLimit,
    deductible,
    coinsuranceBps,
    appealWindow,
    ...(root === undefined ? {} : { feeScheduleRoot: root }),
  });
  if (!useMerkle) {
    const bar = new ProgressBar("setting fees", entries.length, io.progress);
    await setFees(claims, planId, entries, {
      onProgress: ({ done }) => {
        bar.update(done);
      },
    });
    bar.done();
  }
  io.print(
    `Created plan ${planId} on pool ${poolId}: coverage limit ${show(coverageLimit)} per policy, deductible ${show(deductible)}, coinsurance ${coinsuranceBps / 100}%, appeal window ${appealWindow / SECONDS_PER_DAY} days after a denial.`,
  );
  io.print(
    useMerkle
      ? `Fee schedule: Merkle root ${root ?? ""} of ${entries.length} codes; tree written to ${treeFile} (providers pass it to 'claims submit --fee-tree').`
      : `Fee schedule: ${entries.length} explicit fees.`,
  );
  return EXIT_OK;
}

export default claimsTask(claimsPlan);
