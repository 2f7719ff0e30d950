// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title Gtin
/// @notice GS1 Global Trade Item Numbers as `uint64`: the GTIN-14 bound and the mod-10 check digit, the rules
/// DrugTrace registers batches by and InsuranceClaim bounds drug service codes by.
/// @dev The SDK computes the same check digit in `sdk/drug-trace/gs1.ts` (`gtinCheckDigit`).
library Gtin {
    /// @dev GTIN-14s are below 10^14 (at most 14 digits).
    uint64 internal constant LIMIT = 1e14;

    /// @dev Whether `gtin` is a GTIN-14: not zero, below `LIMIT`, and a GS1 mod-10 check digit that matches. From
    /// the right, the 13 data digits weigh 3, 1, 3, 1, ...; the check digit is (10 − sum mod 10) mod 10.
    function isValid(uint64 gtin) internal pure returns (bool) {
        if (gtin == 0 || gtin >= LIMIT) return false;
        uint256 rest = gtin / 10;
        uint256 sum;
        // Cannot overflow: at most 13 digits, sum <= 13 * 27. Seven pairs cover the 13 data digits (the last pair's
        // second digit is zero). A constant bound, not a loop over user input.
        unchecked {
            for (uint256 pair; pair < 7; ++pair) {
                sum += (rest % 10) * 3;
                rest /= 10;
                sum += rest % 10;
                rest /= 10;
            }
        }
        return (10 - (sum % 10)) % 10 == gtin % 10;
    }
}
