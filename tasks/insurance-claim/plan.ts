import { InputError } from "../../sdk/errors.js";
import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
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
import type { Field } from "../lib/terminal.js";
import {
  claimsAction,
  parseCoinsurance,
  poolToken,
  claimsTask,
  tokenAmounts,
} from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type PlanArgs = SignedOptions<
  "pool" | "coverageLimit" | "deductible" | "coinsurance" | "fees" | "treeOut" | "appealDays"
> & { readonly merkle: boolean };

/**
 * `claims plan`: creates a plan from benefit rules and a fee schedule file; small schedules are
 * set as explicit fees, large ones (or `--merkle`) as a Merkle root whose tree is written out.
 */
export const claimsPlan = claimsAction(
  (args: PlanArgs) => {
    const poolId = parseIdOption(args.pool, "--pool");
    if (!isGiven(args.fees)) {
      throw new InputError("--fees is required: a .csv (code,amount) or .json fee schedule");
    }
    if (!isGiven(args.coverageLimit)) {
      throw new InputError("--coverage-limit is required, e.g. 5000");
    }
    return {
      poolId,
      fees: args.fees,
      coverageLimitText: args.coverageLimit,
      coinsuranceBps: parseCoinsurance(args.coinsurance ?? "0", "--coinsurance"),
      appealWindow: !isGiven(args.appealDays)
        ? DEFAULT_APPEAL_WINDOW
        : parseAppealDays(args.appealDays, "--appeal-days"),
    };
  },
  async ({ poolId, fees, coverageLimitText, coinsuranceBps, appealWindow }, acting) => {
    const { claims, args, io } = acting;
    const token = await poolToken(claims, poolId);
    const coverageLimit = parseTokenAmount(coverageLimitText, token.decimals);
    const deductible = parseTokenAmount(args.deductible ?? "0", token.decimals);
    if (coverageLimit === 0n) throw new InputError("--coverage-limit must be above zero");
    const entries = readFeeSchedule(fees, token.decimals);
    const useMerkle = args.merkle || entries.length > EXPLICIT_FEE_LIMIT;
    const show = tokenAmounts(token);

    let schedule: Field[] = [["fee schedule", `${entries.length} explicit fees`]];
    let root: string | undefined;
    if (useMerkle) {
      const tree = buildFeeScheduleTree(entries);
      root = tree.root;
      const treeFile = isGiven(args.treeOut)
        ? args.treeOut
        : fees.replace(/\.(csv|json)$/i, ".tree.json");
      writeFeeScheduleTree(treeFile, tree);
      schedule = [
        ["fee schedule", `Merkle root ${root} of ${entries.length} codes`],
        ["tree file", `${treeFile} (providers pass it to 'claims submit --fee-tree')`],
      ];
    }
    const created = await createPlan(claims, {
      poolId,
      coverageLimit,
      deductible,
      coinsuranceBps,
      appealWindow,
      ...(root === undefined ? {} : { feeScheduleRoot: root }),
    });
    if (!useMerkle) {
      const bar = new ProgressBar("setting fees", entries.length, io.progress);
      await setFees(claims, created.planId, entries, {
        onProgress: ({ done }) => {
          bar.update(done);
        },
      });
      bar.done();
    }
    return {
      title: `created plan ${created.planId} on pool ${poolId}`,
      fields: [
        ["coverage limit", `${show(coverageLimit)} per policy`],
        ["deductible", show(deductible)],
        ["coinsurance", `${coinsuranceBps / 100}%`],
        ["appeal window", `${appealWindow / SECONDS_PER_DAY} days after a denial`],
        ...schedule,
      ],
      mined: created,
    };
  },
);

export default claimsTask(claimsPlan);
