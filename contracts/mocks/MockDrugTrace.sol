// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockDrugTrace
/// @notice Test double of DrugTrace's `batchIdOf` and `isDispensedBy`, with a settable dispenser per unit.
/// @dev Does not inherit IDrugTrace on purpose: that interface grows with DrugTrace.
contract MockDrugTrace {
    mapping(bytes32 batchId => mapping(uint256 index => address dispenser)) private _dispensers;

    /// @notice Same as `IDrugTrace.batchIdOf`: `keccak256(abi.encode(gtin, lot))`.
    function batchIdOf(uint64 gtin, bytes32 lot) public pure returns (bytes32) {
        return keccak256(abi.encode(gtin, lot));
    }

    /// @notice Records that `dispenser` dispensed unit `index` of batch (`gtin`, `lot`) (zero address: undo).
    function setDispensed(uint64 gtin, bytes32 lot, uint256 index, address dispenser) external {
        _dispensers[batchIdOf(gtin, lot)][index] = dispenser;
    }

    /// @notice Same signature and meaning as `IDrugTrace.isDispensedBy`.
    function isDispensedBy(bytes32 batchId, uint256 index, address dispenser) external view returns (bool) {
        return dispenser != address(0) && _dispensers[batchId][index] == dispenser;
    }
}
