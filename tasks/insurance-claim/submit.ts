import { encodeBytes32String } from "ethers";

import { InputError } from "../../sdk/errors.js";
import { parseTokenAmount } from "../../sdk/insurance-claim/amounts.js";
import { quoteClaim, submitClaim, submitDrugClaim } from "../../sdk/insurance-claim/client.js";
import type { Created } from "../../sdk/insurance-claim/client.js";
import {
  drugServiceCode,
  encodeServiceCode,
  proveFee,
  readFeeScheduleTree,
} from "../../sdk/insurance-claim/fee-schedule.js";
import type { FeeProof } from "../../sdk/insurance-claim/fee-schedule.js";
import { formatBenefits } from "../../sdk/insurance-claim/statement.js";
import { isGiven, parseAddressOption, parseDateOption, parseIdOption } from "../lib/options.js";
import type { InsuranceClaim } from "../../typechain-types/index.js";
import {
  claimsAction,
  claimsTask,
  parseEvidence,
  policyToken,
  tokenAmounts,
  withFhir,
} from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type SubmitArgs = SignedOptions<
  | "policy"
  | "patient"
  | "code"
  | "gtin"
  | "lot"
  | "unit"
  | "date"
  | "billed"
  | "evidence"
  | "evidenceFile"
  | "feeTree"
  | "fhir"
  | "participants"
  | "tree"
>;

const ZERO_ROOT = `0x${"00".repeat(32)}`;

/** The fee proof for a code: none for an explicit fee; from `--fee-tree` for a Merkle schedule. */
async function feeFor(
  claims: InsuranceClaim,
  policyId: bigint,
  serviceCode: string,
  treeFile: string,
): Promise<FeeProof | undefined> {
  const { planId } = await claims.policyOf(policyId);
  if ((await claims.feeOf(planId, serviceCode)) !== 0n) return undefined;
  const { feeScheduleRoot } = await claims.planOf(planId);
  if (feeScheduleRoot === ZERO_ROOT) return undefined;
  if (treeFile === "") {
    throw new InputError(
      `plan ${planId} uses a Merkle fee schedule: pass --fee-tree <file> (the tree 'claims plan' wrote)`,
    );
  }
  const tree = readFeeScheduleTree(treeFile);
  if (tree.root !== feeScheduleRoot) {
    throw new InputError(
      `--fee-tree ${treeFile} is not plan ${planId}'s fee schedule (root differs)`,
    );
  }
  return proveFee(tree, serviceCode);
}

/** `claims submit` of a typed service or drug claim (without `--fhir`). */
const submitTyped = claimsAction(
  async (args: SubmitArgs) => {
    const policyId = parseIdOption(args.policy, "--policy");
    const patient = parseAddressOption(args.patient, "--patient");
    if (isGiven(args.gtin) === isGiven(args.code)) {
      throw new InputError(
        "give --code for a service, or --gtin, --lot and --unit for a dispensed drug",
      );
    }
    const serviceDate = parseDateOption(args.date, "--date", { unixSeconds: true });
    return { policyId, patient, serviceDate, evidenceHash: await parseEvidence(args) };
  },
  async (terms, { claims, args }) => {
    const { policyId } = terms;
    const token = await policyToken(claims, policyId);
    if (!isGiven(args.billed))
      throw new InputError(`--billed is required, in ${token.symbol}, e.g. 150.00`);
    const billed = parseTokenAmount(args.billed, token.decimals);

    let result: Created & { claimId: bigint; allowed: bigint };
    if (isGiven(args.gtin)) {
      if (!/^\d{1,14}$/.test(args.gtin.trim()))
        throw new InputError("--gtin must be at most 14 digits");
      if (!isGiven(args.lot) || args.lot.length > 20)
        throw new InputError("--lot is required (at most 20 characters)");
      if (!/^\d+$/.test((args.unit ?? "").trim()))
        throw new InputError("--unit must be the unit's index in its batch, e.g. 17");
      const gtin = BigInt(args.gtin.trim());
      const fee = await feeFor(claims, policyId, drugServiceCode(gtin), args.feeTree ?? "");
      result = await submitDrugClaim(
        claims,
        {
          ...terms,
          gtin,
          lot: encodeBytes32String(args.lot),
          unitIndex: BigInt((args.unit ?? "").trim()),
          billed,
        },
        fee,
      );
    } else {
      const serviceCode = encodeServiceCode(args.code ?? "");
      const fee = await feeFor(claims, policyId, serviceCode, args.feeTree ?? "");
      result = await submitClaim(claims, { ...terms, serviceCode, billed }, fee);
    }
    const show = tokenAmounts(token);
    const quote = await quoteClaim(claims, result.claimId);
    return {
      title: `submitted claim ${result.claimId} on policy ${policyId}`,
      fields: [
        ["billed", show(billed)],
        ["allowed", show(result.allowed)],
      ],
      mined: result,
      notes: ["if approved now:", ...formatBenefits(quote, token).map((line) => `  ${line}`)],
    };
  },
);

/** `claims submit`: a provider's claim for a service, or (`--gtin`) a pharmacy's for a dispensed unit. */
export const claimsSubmit = withFhir<SubmitArgs>(
  async () => (await import("./submit-fhir.js")).claimsSubmitFhir,
  submitTyped,
);

export default claimsTask(claimsSubmit);
