import { denyClaim } from "../../sdk/insurance-claim/client.js";
import { describeReasonCode } from "../../sdk/insurance-claim/reason-codes.js";
import { claimsAction, parseClaimDecision, claimsTask } from "./arguments.js";
import type { SignedOptions } from "../lib/task.js";

export type DenyArgs = SignedOptions<"claim" | "reason">;

/** `claims deny`: denies a claim with a reason code (a pool adjuster); an appeal's denial is final. */
export const claimsDeny = claimsAction(
  (args: DenyArgs) => parseClaimDecision(args, "50"),
  async ({ claimId, reasonCode }, { claims }) => {
    const decision = await denyClaim(claims, claimId, reasonCode);
    const appealable = decision.outcome === "Denied";
    return {
      title: `${appealable ? "denied" : "denied the appeal of"} claim ${claimId}`,
      fields: [["reason", `${reasonCode} (${describeReasonCode(reasonCode)})`]],
      mined: decision,
      notes: appealable
        ? [
            `The provider or patient may appeal once: npx hardhat claims appeal --claim ${claimId} --evidence-file <file>`,
          ]
        : [],
    };
  },
);

export default claimsTask(claimsDeny);
