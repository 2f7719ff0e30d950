// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPatientAccountFactory
/// @notice Deploys each patient's passkey account (`PatientAccount`) at an address fixed by the passkey's P-256 public
/// key alone, so a patient has an address (and can sign for it) before anything is deployed. Anyone may deploy any
/// patient's account: the key is part of the account's code and of its CREATE2 address, so there is nothing to
/// initialize and nothing a front-runner could set.
/// @dev Each account is an OpenZeppelin `Clones` clone with immutable arguments (`abi.encode(qx, qy)`) of one
/// `PatientAccount` implementation, deployed with CREATE2 under salt zero by this factory.
interface IPatientAccountFactory {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The account of the passkey (`qx`, `qy`) was deployed at `account`.
    /// @param account The patient's account.
    /// @param qx The x coordinate of the passkey's P-256 public key.
    /// @param qy The y coordinate of the passkey's P-256 public key.
    event PatientAccountCreated(address indexed account, bytes32 qx, bytes32 qy);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           ERRORS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice (`qx`, `qy`) is not a point of the P-256 curve, so no passkey could sign for the account.
    /// @param qx The x coordinate given.
    /// @param qy The y coordinate given.
    error PatientAccountFactoryInvalidPublicKey(bytes32 qx, bytes32 qy);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      UPDATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Deploys the account of the passkey (`qx`, `qy`), or returns it when it is already deployed.
    /// @dev Idempotent, so a relay may call it before every first action without checking. Emits
    /// `PatientAccountCreated` only when it deploys.
    /// @param qx The x coordinate of the passkey's P-256 public key.
    /// @param qy The y coordinate of the passkey's P-256 public key.
    /// @return account The account (equal to `accountOf(qx, qy)`).
    function createAccount(bytes32 qx, bytes32 qy) external returns (address account);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The address of the passkey (`qx`, `qy`)'s account, deployed or not.
    /// @param qx The x coordinate of the passkey's P-256 public key.
    /// @param qy The y coordinate of the passkey's P-256 public key.
    /// @return The account's address.
    function accountOf(bytes32 qx, bytes32 qy) external view returns (address);

    /// @notice The `PatientAccount` implementation every account delegates to.
    /// @return The implementation's address.
    function implementation() external view returns (address);
}
