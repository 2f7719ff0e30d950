// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {P256} from "@openzeppelin/contracts/utils/cryptography/P256.sol";

import {IPatientAccountFactory} from "./interfaces/IPatientAccountFactory.sol";
import {PatientAccount} from "./PatientAccount.sol";

/// @title PatientAccountFactory
/// @notice Deploys patients' passkey accounts at addresses fixed by their public keys. See `IPatientAccountFactory`.
/// @dev Not upgradeable and without roles: it deploys its `PatientAccount` implementation once, in its constructor,
/// and clones it; nobody can change what a patient's address points to.
contract PatientAccountFactory is IPatientAccountFactory {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The implementation every account delegates to (`implementation()`).
    address private immutable IMPLEMENTATION;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Deploys the implementation every account delegates to.
    constructor() {
        IMPLEMENTATION = address(new PatientAccount());
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      UPDATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientAccountFactory
    function createAccount(bytes32 qx, bytes32 qy) external returns (address account) {
        if (!P256.isValidPublicKey(qx, qy)) revert PatientAccountFactoryInvalidPublicKey(qx, qy);
        bytes memory args = abi.encode(qx, qy);
        account = Clones.predictDeterministicAddressWithImmutableArgs(IMPLEMENTATION, args, bytes32(0));
        if (account.code.length == 0) {
            Clones.cloneDeterministicWithImmutableArgs(IMPLEMENTATION, args, bytes32(0));
            emit PatientAccountCreated(account, qx, qy);
        }
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientAccountFactory
    function implementation() external view returns (address) {
        return IMPLEMENTATION;
    }

    /// @inheritdoc IPatientAccountFactory
    function accountOf(bytes32 qx, bytes32 qy) external view returns (address) {
        return Clones.predictDeterministicAddressWithImmutableArgs(IMPLEMENTATION, abi.encode(qx, qy), bytes32(0));
    }
}
