// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @title ReentrantERC20
/// @notice A hostile test token that, once armed, calls `reentryTarget` with `reentryData` in the middle of a transfer
/// (as an ERC-777 hook or a malicious token would) and records what happened. With `bubble` set, a failed
/// re-entry makes the transfer itself revert with the same data; otherwise the transfer goes on.
contract ReentrantERC20 is MockERC20 {
    address public reentryTarget;
    bytes public reentryData;
    bool public bubble;
    bool public armed;
    /// @notice Only a transfer to this address triggers the hook (zero: any transfer).
    address public trigger;
    /// @notice Whether the last re-entry attempt succeeded, and its return or revert data.
    bool public lastReentrySucceeded;
    bytes public lastReentryResult;
    uint256 public reentryAttempts;

    constructor() MockERC20("Reentrant Token", "REE", 6) {}

    /// @notice Arms the hook for the next transfer to `trigger_` (zero: the next transfer).
    function arm(address target_, bytes calldata data_, bool bubble_, address trigger_) external {
        reentryTarget = target_;
        reentryData = data_;
        bubble = bubble_;
        trigger = trigger_;
        armed = true;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (!armed || from == address(0) || (trigger != address(0) && to != trigger)) return;
        armed = false;
        ++reentryAttempts;
        (bool ok, bytes memory result) = reentryTarget.call(reentryData);
        lastReentrySucceeded = ok;
        lastReentryResult = result;
        if (!ok && bubble) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
