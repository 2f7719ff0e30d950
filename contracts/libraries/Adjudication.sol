// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IInsuranceClaim} from "../interfaces/IInsuranceClaim.sol";

/// @title Adjudication
/// @notice The benefit arithmetic of an InsuranceClaim claim, shared by approvals, `quote` and `adjudicate`; its SDK
/// twin `sdk/insurance-claim/adjudication.ts` is the same function and a test (`test/InsuranceClaim.ts`, "agrees with
/// the SDK's adjudicate") proves they agree.
/// @dev Rounding: coinsurance is rounded down (floor), in the patient's favour; the payout may be up to one base
/// unit higher than exact arithmetic would give, never lower.
library Adjudication {
    /// @dev Basis points in 100%.
    uint256 internal constant BPS = 10_000;

    /// @dev The allowed amount: the billed amount, at most the fee schedule's amount.
    function allowedAmount(uint96 billed, uint96 scheduleAmount) internal pure returns (uint96) {
        return billed < scheduleAmount ? billed : scheduleAmount;
    }

    /// @dev The patient's coinsurance on `afterDeductible` at `coinsuranceBps` (<= 10,000), rounded down.
    function coinsuranceOf(uint96 afterDeductible, uint16 coinsuranceBps) internal pure returns (uint96) {
        // (2^96 - 1) * 10_000 < 2^110: no overflow in uint256; the quotient is <= afterDeductible as bps <= BPS.
        return uint96((uint256(afterDeductible) * coinsuranceBps) / BPS);
    }

    /// @dev The explanation of benefits of an `allowed` amount against the policy's remaining deductible and
    /// coverage: the deductible first, then coinsurance on the rest, the payout capped by remaining coverage.
    /// `coinsuranceBps` must be at most 10,000 (plans and `adjudicate` check it).
    function explain(
        uint96 billed,
        uint96 allowed,
        uint96 deductibleRemaining,
        uint16 coinsuranceBps,
        uint96 coverageRemaining
    ) internal pure returns (IInsuranceClaim.ExplanationOfBenefits memory eob) {
        uint96 deductibleApplied = allowed < deductibleRemaining ? allowed : deductibleRemaining;
        uint96 afterDeductible;
        uint96 share;
        uint96 coinsurance;
        unchecked {
            // deductibleApplied <= allowed (it is the smaller of the two).
            afterDeductible = allowed - deductibleApplied;
            coinsurance = coinsuranceOf(afterDeductible, coinsuranceBps);
            // coinsurance <= afterDeductible because coinsuranceBps <= BPS.
            share = afterDeductible - coinsurance;
        }
        eob = IInsuranceClaim.ExplanationOfBenefits({
            billed: billed,
            allowed: allowed,
            deductibleApplied: deductibleApplied,
            coinsurance: coinsurance,
            payout: share < coverageRemaining ? share : coverageRemaining
        });
    }
}
