// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPatientAccount
/// @notice A patient's account controlled by a WebAuthn passkey (a P-256 key held by the patient's phone or security
/// key, used with a fingerprint, face or PIN). It signs for the patient through ERC-1271: `PatientConsent` (or any
/// contract using OpenZeppelin's `SignatureChecker`) asks it whether a signature of an EIP-712 digest is the patient's.
/// @dev The signature is an ERC-7739 nested typed-data signature whose inner signature is an ABI-encoded
/// `WebAuthn.WebAuthnAuth` assertion over the ERC-7739 `TypedDataSign` hash, with user verification required. The
/// account's own EIP-712 domain is name "carechain PatientAccount", version "1".
interface IPatientAccount {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The passkey's P-256 public key.
    /// @return qx The x coordinate.
    /// @return qy The y coordinate.
    function signer() external view returns (bytes32 qx, bytes32 qy);
}
