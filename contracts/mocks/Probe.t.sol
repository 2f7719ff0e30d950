// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

contract ProbeTest is Test {
    function testFuzz_add(uint64 a) public pure {
        assertEq(uint256(a) + 1, 1 + uint256(a));
    }
}
