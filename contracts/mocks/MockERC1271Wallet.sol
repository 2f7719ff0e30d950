// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/// @title MockERC1271Wallet
/// @notice A minimal smart-contract wallet for tests: it accepts a digest signed by its owner key (ERC-1271) and
/// forwards calls from its owner, so a patient can be a contract account.
contract MockERC1271Wallet is IERC1271 {
    /// @notice The call came from someone other than the owner.
    error MockERC1271WalletNotOwner(address caller);

    /// @notice The EOA whose signatures the wallet accepts.
    address public immutable owner;

    /// @notice When true the wallet refuses every signature (a wallet that revoked its key).
    bool public refuseAll;

    /// @param owner_ The owner key.
    constructor(address owner_) {
        owner = owner_;
    }

    /// @notice Makes the wallet refuse (or accept again) every signature.
    /// @param refuse True to refuse.
    function setRefuseAll(bool refuse) external {
        if (msg.sender != owner) revert MockERC1271WalletNotOwner(msg.sender);
        refuseAll = refuse;
    }

    /// @notice Calls `target` with `data` as the wallet.
    /// @param target The contract called.
    /// @param data The calldata.
    /// @return The call's return data.
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        if (msg.sender != owner) revert MockERC1271WalletNotOwner(msg.sender);
        return Address.functionCall(target, data);
    }

    /// @inheritdoc IERC1271
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        (address recovered, ECDSA.RecoverError error, ) = ECDSA.tryRecoverCalldata(hash, signature);
        if (!refuseAll && error == ECDSA.RecoverError.NoError && recovered == owner) {
            return IERC1271.isValidSignature.selector;
        }
        return 0xffffffff;
    }
}
