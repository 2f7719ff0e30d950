// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ERC7739} from "@openzeppelin/contracts/utils/cryptography/signers/draft-ERC7739.sol";
import {SignerP256} from "@openzeppelin/contracts/utils/cryptography/signers/SignerP256.sol";
import {SignerWebAuthn} from "@openzeppelin/contracts/utils/cryptography/signers/SignerWebAuthn.sol";

import {IPatientAccount} from "./interfaces/IPatientAccount.sol";

/// @title PatientAccount
/// @notice A patient's passkey account: an ERC-1271 signer (and ERC-4337 account) whose only key is a WebAuthn P-256
/// passkey. See `IPatientAccount`.
/// @dev Built from OpenZeppelin only: `Account` (ERC-4337 validation), `ERC7739` (ERC-1271 with the nested typed-data
/// and personal-sign defences, so one passkey's signature for this account can never be replayed for another account
/// or application) and `SignerWebAuthn` (WebAuthn assertion checks, user verification required, P-256 through the
/// RIP-7212/EIP-7951 precompile at 0x100 when the chain has it, else OpenZeppelin's Solidity verifier).
///
/// Every account is a clone with immutable arguments `abi.encode(qx, qy)` made by `PatientAccountFactory`: the key is
/// read from the clone's own code, never from storage, so an account has no storage, no initializer and nothing to
/// front-run. The implementation itself answers with the key (0, 0), which is not on the curve, so it accepts no
/// signature at all. The account has no function that calls other contracts: it only signs.
contract PatientAccount is IPatientAccount, Account, EIP712, ERC7739, SignerWebAuthn {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The P-256 generator, a valid public key that `SignerP256`'s constructor requires for the implementation's
    /// (never read) storage. `signer()` ignores storage, so this key controls nothing.
    bytes32 private constant _GENERATOR_X = 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296;
    bytes32 private constant _GENERATOR_Y = 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5;

    /// @dev The implementation's own address: code running at this address is not a patient's clone.
    address private immutable SELF = address(this);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Deploys the implementation the factory clones; it signs nothing itself (see `signer`).
    constructor() EIP712("carechain PatientAccount", "1") SignerP256(_GENERATOR_X, _GENERATOR_Y) {}

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientAccount
    /// @dev Read from the clone's immutable arguments; (0, 0), which no signature verifies against, on the
    /// implementation.
    function signer() public view override(IPatientAccount, SignerP256) returns (bytes32 qx, bytes32 qy) {
        if (address(this) == SELF) return (0, 0);
        return abi.decode(Clones.fetchCloneArgs(address(this)), (bytes32, bytes32));
    }
}
