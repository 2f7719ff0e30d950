// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {DrugTrace} from "../../contracts/DrugTrace.sol";
import {InsuranceClaim} from "../../contracts/InsuranceClaim.sol";
import {PatientConsent} from "../../contracts/PatientConsent.sol";
import {IDrugTrace} from "../../contracts/interfaces/IDrugTrace.sol";
import {IPatientConsent} from "../../contracts/interfaces/IPatientConsent.sol";
import {MockERC20} from "../../contracts/mocks/MockERC20.sol";

/// @title Deployers
/// @notice The one deployers base of the Solidity tests (Uniswap v4's `test/utils/Deployers.sol` is the model): the
/// named accounts more than one suite uses, the deployments as the CareChain Ignition module makes them (no admin
/// delay, `admin` the default admin), and the set-up steps more than one suite needs. A suite sets its clock, deploys
/// what it tests and adds its own fixtures and the accounts only it uses.
/// @dev Accounts come from `makeAddr(label)`, so an account with the same label is the same address in every suite
/// (and gas snapshots do not move when a suite changes base).
abstract contract Deployers is Test {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev A valid GTIN-14 (GS1's example 09506000134352).
    uint64 internal constant GTIN = 9506000134352;
    /// @dev GTIN's company prefix: "9506000", seven digits after the indicator digit.
    uint64 internal constant PREFIX = 9506000;
    uint8 internal constant PREFIX_LENGTH = 7;
    /// @dev One US dollar in the test USDC's base units (6 decimals).
    uint96 internal constant USD = 1e6;
    /// @dev The break-glass window length of the suite deployment.
    uint48 internal constant SUITE_BREAK_GLASS = 1 days;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    DrugTrace internal drugTrace;
    PatientConsent internal consent;
    InsuranceClaim internal claims;
    MockERC20 internal usdc;

    address internal admin = makeAddr("admin");
    address internal manufacturer = makeAddr("manufacturer");
    address internal distributor = makeAddr("distributor");
    address internal pharmacy = makeAddr("pharmacy");
    address internal insurer = makeAddr("insurer");
    address internal adjuster = makeAddr("adjuster");
    address internal clinic = makeAddr("clinic");
    address internal patient = makeAddr("patient");
    address internal stranger = makeAddr("stranger");

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        DEPLOYMENTS                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Deploys the suite as the CareChain module does: DrugTrace, PatientConsent (`SUITE_BREAK_GLASS`),
    /// InsuranceClaim on both, and a test USDC; the manufacturer, distributor and pharmacy hold their trade roles and
    /// the manufacturer owns GTIN's company prefix; `insurer` and `clinic` are insurer and provider.
    function _deploySuite() internal {
        _deployDrugTrace();
        _deployPatientConsent(SUITE_BREAK_GLASS);
        _deployInsuranceClaim(consent, drugTrace);
        _deployUsdc();
        _grantRole(drugTrace, drugTrace.MANUFACTURER_ROLE(), manufacturer);
        _grantRole(drugTrace, drugTrace.DISTRIBUTOR_ROLE(), distributor);
        _grantRole(drugTrace, drugTrace.DISPENSER_ROLE(), pharmacy);
        _bindGtinPrefix();
        _grantRole(claims, claims.INSURER_ROLE(), insurer);
        _grantRole(claims, claims.PROVIDER_ROLE(), clinic);
    }

    /// @dev Deploys DrugTrace with `admin` as default admin.
    function _deployDrugTrace() internal {
        drugTrace = new DrugTrace(0, admin);
    }

    /// @dev Deploys PatientConsent with `admin` as default admin and break-glass windows of `maxBreakGlass`.
    function _deployPatientConsent(uint48 maxBreakGlass) internal {
        consent = new PatientConsent(0, admin, maxBreakGlass);
    }

    /// @dev Deploys InsuranceClaim on `patientConsent` and `trace` (the suite's or mocks) with `admin` as default
    /// admin.
    function _deployInsuranceClaim(IPatientConsent patientConsent, IDrugTrace trace) internal {
        claims = new InsuranceClaim(0, admin, patientConsent, trace);
    }

    /// @dev Deploys the test USDC (6 decimals, anyone mints).
    function _deployUsdc() internal {
        usdc = new MockERC20("USD Coin", "USDC", 6);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          SET-UP                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev `admin` grants `role` of `target` to `account`.
    function _grantRole(IAccessControl target, bytes32 role, address account) internal {
        vm.prank(admin);
        target.grantRole(role, account);
    }

    /// @dev `admin` binds GTIN's company prefix to the manufacturer, named "Acme Pharma GmbH".
    function _bindGtinPrefix() internal {
        vm.prank(admin);
        drugTrace.bindCompanyPrefix(PREFIX, PREFIX_LENGTH, manufacturer, "Acme Pharma GmbH");
    }

    /// @dev `owner` (an insurer) opens a pool in `token`, funds it with `funding` (minted to it first), appoints
    /// `adjuster` and creates a plan with an explicit fee `fee` for `code`; returns the pool and the plan.
    function _openPlan(
        address owner,
        IERC20 token,
        uint256 funding,
        uint96 limit,
        uint96 deductible,
        uint16 bps,
        uint48 appealWindow,
        bytes32 code,
        uint96 fee
    ) internal returns (uint256 poolId, uint256 planId) {
        MockERC20(address(token)).mint(owner, funding);
        vm.startPrank(owner);
        poolId = claims.openPool(token);
        token.approve(address(claims), funding);
        if (funding > 0) claims.fundPool(poolId, funding);
        claims.setAdjuster(poolId, adjuster, true);
        planId = claims.createPlan(poolId, limit, deductible, bps, bytes32(0), appealWindow);
        bytes32[] memory codes = new bytes32[](1);
        uint96[] memory fees = new uint96[](1);
        codes[0] = code;
        fees[0] = fee;
        claims.setFees(planId, codes, fees);
        vm.stopPrank();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          HELPERS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The expected-states bitmap of one state (`uint8(state)` of any of the three lifecycles), as the
    /// contracts' `<Contract>Unexpected<Thing>State` errors report it.
    function _stateBitmap(uint8 state) internal pure returns (bytes32) {
        return bytes32(uint256(1) << state);
    }

    /// @dev Asserts that `target` answers ERC-165 for `interfaceId`, for `IAccessControl` and for ERC-165 itself, and
    /// not for an unrelated id or the invalid id 0xffffffff.
    function _assertSupportsInterfaces(IERC165 target, bytes4 interfaceId) internal view {
        assertTrue(target.supportsInterface(interfaceId), "own interface");
        assertTrue(target.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        assertTrue(target.supportsInterface(type(IERC165).interfaceId), "ERC-165");
        assertFalse(target.supportsInterface(0x12345678), "a random id");
        assertFalse(target.supportsInterface(0xffffffff), "the invalid id");
    }
}
