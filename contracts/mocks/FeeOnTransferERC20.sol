// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {MockERC20} from "./MockERC20.sol";

/// @title FeeOnTransferERC20
/// @notice A hostile test token that burns `feeBps` of every transfer: the sender is debited the full amount, the
/// recipient receives the rest.
contract FeeOnTransferERC20 is MockERC20 {
    /// @notice The fee in basis points (10,000 takes everything).
    uint256 public feeBps;

    constructor(uint256 feeBps_) MockERC20("Fee Token", "FEE", 6) {
        feeBps = feeBps_;
    }

    /// @notice Changes the fee.
    function setFeeBps(uint256 feeBps_) external {
        feeBps = feeBps_;
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from == address(0) || to == address(0)) {
            super._update(from, to, value);
            return;
        }
        uint256 fee = (value * feeBps) / 10_000;
        super._update(from, to, value - fee);
        super._update(from, address(0), fee);
    }
}
