import { expect } from "chai";
import { Interface, toBeHex, zeroPadValue } from "ethers";
import type { JsonFragment } from "ethers";

import { ContractRevertError, decodeRevert, describeStateRevert } from "../../sdk/errors.js";
import { CLAIM_STATE_NAMES, stateBitmap } from "../../sdk/states.js";

/** A state error as a JSON ABI declares it, under any name, with its enum's `internalType`. */
function stateError(name: string, enumType: string, withBitmap = true): JsonFragment {
  return {
    type: "error",
    name,
    inputs: [
      { name: "claimId", type: "uint256", internalType: "uint256" },
      { name: "current", type: "uint8", internalType: enumType },
      ...(withBitmap ? [{ name: "expectedStates", type: "bytes32", internalType: "bytes32" }] : []),
    ],
  };
}

/** An ethers-style error carrying the revert data of `name(args)` in `abi`. */
function revertOf(abi: JsonFragment[], name: string, args: unknown[]): unknown {
  return { code: "CALL_EXCEPTION", data: new Interface(abi).encodeErrorResult(name, args) };
}

const APPROVED = zeroPadValue(toBeHex(stateBitmap(CLAIM_STATE_NAMES, ["Approved"])), 32);

describe("sdk/errors: state refusals read as names", function () {
  it("names the current state and the expected ones, whatever the error is called", function () {
    for (const name of [
      "InsuranceClaimUnexpectedClaimState",
      "InsuranceClaimUnexpectedClaimState",
    ]) {
      const abi = [stateError(name, "enum IInsuranceClaim.ClaimState")];
      const revert = decodeRevert(revertOf(abi, name, [7n, 5n, APPROVED]), [abi]);
      expect(revert).to.be.instanceOf(ContractRevertError);
      expect(revert?.message).to.equal(`claim 7 is Paid; this needs it Approved (${name})`);
      expect(revert?.args).to.deep.equal({ claimId: 7n, current: 5n, expectedStates: APPROVED });
    }
  });

  it("joins several expected states and reads an error without a bitmap", function () {
    const inputs = stateError("XUnexpectedClaimState", "enum IInsuranceClaim.ClaimState").inputs;
    const expected = toBeHex(stateBitmap(CLAIM_STATE_NAMES, ["Submitted", "Appealed"]), 32);
    expect(describeStateRevert("XUnexpectedClaimState", inputs!, [3n, 2n, expected])).to.equal(
      "claim 3 is Approved; this needs it Submitted or Appealed",
    );
    const noBitmap = stateError("XUnexpectedClaimState", "enum IInsuranceClaim.ClaimState", false);
    expect(describeStateRevert(noBitmap.name!, noBitmap.inputs!, [3n, 5n])).to.equal(
      "claim 3 is Paid, which this does not allow",
    );
  });

  it("keeps the argument list for other shapes, unknown enums and ABIs without internalType", function () {
    const other = [stateError("XUnexpectedWidgetState", "enum IX.WidgetState")];
    expect(
      decodeRevert(revertOf(other, "XUnexpectedWidgetState", [1n, 1n, APPROVED]), [other])?.message,
    ).to.equal(
      `reverted with XUnexpectedWidgetState(claimId=1, current=1, expectedStates=${APPROVED})`,
    );
    const abi = [
      stateError("InsuranceClaimUnexpectedClaimState", "enum IInsuranceClaim.ClaimState"),
    ];
    const data = revertOf(abi, "InsuranceClaimUnexpectedClaimState", [7n, 5n, APPROVED]);
    expect(decodeRevert(data, [new Interface(abi)])?.message).to.match(/^reverted with /);
    expect(describeStateRevert("InsuranceClaimUnexpectedClaimState", [], [])).to.equal(undefined);
  });
});
