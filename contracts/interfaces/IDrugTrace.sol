// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDrugTrace
/// @notice Serialized drug batches (GS1 GTIN, lot, serial), two-phase custody, dispensing, verification.
/// @dev A GTIN-14 is a `uint64`; lots and serials are GS1 alphanumeric strings of at most 20 characters,
/// carried as left-aligned, zero-padded `bytes32` (ethers `encodeBytes32String`).
interface IDrugTrace {
    /// @notice The id of the batch (`gtin`, `lot`): `keccak256(abi.encode(gtin, lot))`.
    /// @param gtin The GTIN-14 as a number.
    /// @param lot The lot (GS1 AI 10) as left-aligned bytes32.
    /// @return The batch id.
    function batchIdOf(uint64 gtin, bytes32 lot) external pure returns (bytes32);

    /// @notice Whether unit `index` of batch `batchId` was dispensed by `dispenser`.
    /// @dev True implies the unit's Merkle proof was checked when it was dispensed, so the unit is genuine.
    /// @param batchId The batch id.
    /// @param index The unit's index in the batch's serial list.
    /// @param dispenser The pharmacy or hospital asked about.
    /// @return True when `dispenser` decommissioned that unit.
    function isDispensedBy(bytes32 batchId, uint256 index, address dispenser) external view returns (bool);
}
