// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @title BlacklistERC20
/// @notice A hostile test token (like USDC's blacklist): transfers from or to a blacklisted address revert.
contract BlacklistERC20 is MockERC20 {
    /// @notice A transfer involved the blacklisted `account`.
    error BlacklistERC20Blocked(address account);

    mapping(address account => bool) public blacklisted;

    constructor() MockERC20("Blacklist Token", "BLK", 6) {}

    /// @notice Adds or removes `account` from the blacklist.
    function setBlacklisted(address account, bool value) external {
        blacklisted[account] = value;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (blacklisted[from]) revert BlacklistERC20Blocked(from);
        if (blacklisted[to]) revert BlacklistERC20Blocked(to);
        super._update(from, to, value);
    }
}
