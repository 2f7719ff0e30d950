// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @title ReentrantERC20
/// @notice A hostile test token that, once armed, calls `target` with `data` in the middle of its next transfer
/// (as an ERC-777 hook or a malicious token would) and records what happened. With `bubble` set, a failed
/// re-entry makes the transfer itself revert with the same data; otherwise the transfer goes on.
contract ReentrantERC20 is MockERC20 {
    address public target;
    bytes public data;
    bool public bubble;
    bool public armed;
    /// @notice Whether the last re-entry attempt succeeded, and its return or revert data.
    bool public lastReentrySucceeded;
    bytes public lastReentryResult;
    uint256 public reentryAttempts;

    constructor() MockERC20("Reentrant Token", "REE", 6) {}

    /// @notice Arms the hook for the next transfer.
    function arm(address target_, bytes calldata data_, bool bubble_) external {
        target = target_;
        data = data_;
        bubble = bubble_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (!armed || from == address(0)) return;
        armed = false;
        ++reentryAttempts;
        (bool ok, bytes memory result) = target.call(data);
        lastReentrySucceeded = ok;
        lastReentryResult = result;
        if (!ok && bubble) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
