// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {DrugTrace} from "../contracts/DrugTrace.sol";
import {IDrugTrace} from "../contracts/interfaces/IDrugTrace.sol";
import {Deployers} from "./helpers/Deployers.sol";

/// @dev Small Merkle trees built in the test, hashed like OpenZeppelin's `MerkleProof` (sorted pairs), with leaves
/// like `StandardMerkleTree` (double-hashed `abi.encode(index, serial)`).
library TestTrees {
    /// @dev The leaf of unit (`index`, `serial`).
    function leaf(uint256 index, bytes32 serial) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, serial))));
    }

    /// @dev The root of a two-leaf tree; the proof of either leaf is the other one.
    function pairRoot(bytes32 a, bytes32 b) internal pure returns (bytes32) {
        return Hashes.commutativeKeccak256(a, b);
    }

    /// @dev The root of an eight-leaf tree.
    function root8(bytes32[8] memory leaves) internal pure returns (bytes32) {
        bytes32[4] memory level1;
        for (uint256 i; i < 4; ++i) level1[i] = Hashes.commutativeKeccak256(leaves[2 * i], leaves[2 * i + 1]);
        return
            Hashes.commutativeKeccak256(
                Hashes.commutativeKeccak256(level1[0], level1[1]),
                Hashes.commutativeKeccak256(level1[2], level1[3])
            );
    }

    /// @dev The proof of leaf `i` of an eight-leaf tree.
    function proof8(bytes32[8] memory leaves, uint256 i) internal pure returns (bytes32[] memory proof) {
        bytes32[4] memory level1;
        for (uint256 k; k < 4; ++k) level1[k] = Hashes.commutativeKeccak256(leaves[2 * k], leaves[2 * k + 1]);
        bytes32[2] memory level2 = [
            Hashes.commutativeKeccak256(level1[0], level1[1]),
            Hashes.commutativeKeccak256(level1[2], level1[3])
        ];
        proof = new bytes32[](3);
        proof[0] = leaves[i ^ 1];
        proof[1] = level1[(i / 2) ^ 1];
        proof[2] = level2[(i / 4) ^ 1];
    }

    /// @dev A one-element proof.
    function single(bytes32 sibling) internal pure returns (bytes32[] memory proof) {
        proof = new bytes32[](1);
        proof[0] = sibling;
    }
}

/// @dev Deployment, roles and helpers shared by the DrugTrace Solidity tests.
abstract contract DrugTraceTestBase is Deployers {
    bytes32 internal constant LOT = "LOT-A1";
    bytes32 internal constant SERIAL_A = "SN-A";
    bytes32 internal constant SERIAL_B = "SN-B";
    uint48 internal constant START = 1_900_000_000;
    uint48 internal constant EXPIRY = START + 365 days;

    address internal regulator = makeAddr("regulator");
    address internal sensor = makeAddr("sensor");
    address internal pharmacy2 = makeAddr("pharmacy2");
    address internal rival = makeAddr("rival");
    address internal contractManufacturer = makeAddr("contractManufacturer");

    function setUp() public virtual {
        vm.warp(START);
        _deployDrugTrace();
        vm.startPrank(admin);
        drugTrace.grantRole(drugTrace.MANUFACTURER_ROLE(), manufacturer);
        drugTrace.grantRole(drugTrace.DISTRIBUTOR_ROLE(), distributor);
        drugTrace.grantRole(drugTrace.DISPENSER_ROLE(), pharmacy);
        drugTrace.grantRole(drugTrace.DISPENSER_ROLE(), pharmacy2);
        drugTrace.grantRole(drugTrace.REGULATOR_ROLE(), regulator);
        drugTrace.grantRole(drugTrace.MANUFACTURER_ROLE(), rival);
        drugTrace.grantRole(drugTrace.MANUFACTURER_ROLE(), contractManufacturer);
        drugTrace.grantRole(drugTrace.SENSOR_ROLE(), sensor);
        vm.stopPrank();
        _bindGtinPrefix();
    }

    /// @dev Binds the seven-digit company prefix of `gtin` to the manufacturer, unless that prefix is already bound.
    function _bindPrefixOf(uint64 gtin) internal {
        uint64 prefix = (gtin / 1e6) % 1e7;
        if (drugTrace.prefixBindingOf(prefix, 7).owner != address(0)) return;
        vm.prank(admin);
        drugTrace.bindCompanyPrefix(prefix, 7, manufacturer, "");
    }

    /// @dev Expects the next call to revert because batch `batchId` is Expired where only Active is accepted.
    function _expectExpired(bytes32 batchId) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                IDrugTrace.DrugTraceUnexpectedBatchState.selector,
                batchId,
                IDrugTrace.BatchState.Expired,
                _stateBitmap(uint8(IDrugTrace.BatchState.Active))
            )
        );
    }

    function _register(uint32 unitCount, bytes32 root, uint48 expiry) internal returns (bytes32 batchId) {
        vm.prank(manufacturer);
        batchId = drugTrace.registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, unitCount, root, bytes32(0));
    }

    /// @dev Registers a batch whose tree holds units (`index`, SERIAL_A) and (`other`, SERIAL_B).
    function _registerPair(uint32 unitCount, uint256 index, uint256 other) internal returns (bytes32) {
        return
            _register(
                unitCount,
                TestTrees.pairRoot(TestTrees.leaf(index, SERIAL_A), TestTrees.leaf(other, SERIAL_B)),
                EXPIRY
            );
    }

    function _ship(address from, address to, bytes32 batchId, uint32 quantity) internal returns (uint256 id) {
        vm.prank(from);
        id = drugTrace.ship(batchId, to, quantity);
    }

    function _accept(address by, uint256 shipmentId) internal {
        vm.prank(by);
        drugTrace.acceptShipment(shipmentId);
    }

    /// @dev Moves `quantity` units manufacturer -> distributor -> `dispenser`, accepted at each step.
    function _stock(bytes32 batchId, address dispenser, uint32 quantity) internal {
        _accept(distributor, _ship(manufacturer, distributor, batchId, quantity));
        _accept(dispenser, _ship(distributor, dispenser, batchId, quantity));
    }

    /// @dev The GS1 mod-10 check digit of 13 data digits, written independently of the contract: weights 3 and 1
    /// alternate from the rightmost data digit.
    function _checkDigit(uint256 data) internal pure returns (uint256) {
        uint256 sum;
        for (uint256 position = 0; position < 13; ++position) {
            uint256 digit = (data / 10 ** position) % 10;
            sum += position % 2 == 0 ? 3 * digit : digit;
        }
        return (10 - (sum % 10)) % 10;
    }
}

contract DrugTraceTest is DrugTraceTestBase {
    function test_supportsInterface_answersForIDrugTraceAndAccessControl() public view {
        _assertSupportsInterfaces(drugTrace, type(IDrugTrace).interfaceId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       REGISTER BATCH                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_registerBatch_acceptsKnownGtins() public {
        uint64[4] memory gtins = [uint64(9506000134352), 4006381333931, 36000291452, 95012346];
        for (uint256 i; i < gtins.length; ++i) {
            _bindPrefixOf(gtins[i]);
            vm.prank(manufacturer);
            bytes32 batchId = drugTrace.registerBatch(gtins[i], 7, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
            assertEq(batchId, keccak256(abi.encode(gtins[i], LOT)));
        }
    }

    function testFuzz_registerBatch_acceptsEveryValidGtin(uint64 data) public {
        data = uint64(bound(data, 1, 1e13 - 1));
        uint64 gtin = uint64(data * 10 + _checkDigit(data));
        _bindPrefixOf(gtin);
        vm.prank(manufacturer);
        bytes32 batchId = drugTrace.registerBatch(gtin, 7, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
        assertEq(uint8(drugTrace.batchStateOf(batchId)), uint8(IDrugTrace.BatchState.Active));
    }

    function test_registerBatch_revertsOnWrongCheckDigit() public {
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceInvalidGtin.selector, uint64(9506000134353)));
        vm.prank(manufacturer);
        drugTrace.registerBatch(9506000134353, 7, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
    }

    function testFuzz_registerBatch_revertsOnEveryWrongCheckDigit(uint64 data, uint8 offset) public {
        data = uint64(bound(data, 1, 1e13 - 1));
        offset = uint8(bound(offset, 1, 9));
        uint64 gtin = uint64(data * 10 + ((_checkDigit(data) + offset) % 10));
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceInvalidGtin.selector, gtin));
        vm.prank(manufacturer);
        drugTrace.registerBatch(gtin, 7, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
    }

    function testFuzz_registerBatch_revertsAtFifteenDigits(uint64 gtin) public {
        gtin = uint64(bound(gtin, 1e14, type(uint64).max));
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceInvalidGtin.selector, gtin));
        vm.prank(manufacturer);
        drugTrace.registerBatch(gtin, 7, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
    }

    function test_registerBatch_acceptsExpiryEqualToNow() public {
        bytes32 batchId = _register(1, bytes32(uint256(1)), START);
        assertEq(uint8(drugTrace.batchStateOf(batchId)), uint8(IDrugTrace.BatchState.Active));
    }

    function test_registerBatch_revertsOnExpiryOneSecondAgo() public {
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceExpiryInPast.selector, START - 1, START));
        _register(1, bytes32(uint256(1)), START - 1);
    }

    function testFuzz_registerBatch_expiryBoundary(uint48 expiry) public {
        if (expiry < START) {
            vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceExpiryInPast.selector, expiry, START));
            _register(1, bytes32(uint256(1)), expiry);
        } else {
            bytes32 batchId = _register(1, bytes32(uint256(1)), expiry);
            assertEq(drugTrace.batchOf(batchId).expiry, expiry);
        }
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                   COMPANY PREFIX REGISTRY                  */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Whatever its length, a prefix bound to the manufacturer lets it (and nobody else) register every valid
    /// GTIN under it; `companyPrefixOf` finds it; a wrong stated length is refused.
    function testFuzz_registerBatch_onlyThePrefixOwnerRegisters(uint64 data, uint8 length, uint8 wrong) public {
        length = uint8(bound(length, 6, 12));
        data = uint64(bound(data, 1, 1e13 - 1));
        uint64 gtin = uint64(data * 10 + _checkDigit(data));
        uint64 prefix = (gtin / uint64(10) ** (13 - length)) % uint64(10) ** length;
        _deployDrugTrace();
        vm.startPrank(admin);
        drugTrace.grantRole(drugTrace.MANUFACTURER_ROLE(), manufacturer);
        drugTrace.grantRole(drugTrace.MANUFACTURER_ROLE(), rival);
        drugTrace.grantRole(drugTrace.REGULATOR_ROLE(), regulator);
        vm.stopPrank();
        vm.prank(admin);
        drugTrace.bindCompanyPrefix(prefix, length, manufacturer, "Acme Pharma GmbH");

        (uint64 found, uint8 foundLength, address owner) = drugTrace.companyPrefixOf(gtin);
        assertEq(found, prefix);
        assertEq(foundLength, length);
        assertEq(owner, manufacturer);

        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceGtinNotAuthorized.selector, gtin, length, rival));
        vm.prank(rival);
        drugTrace.registerBatch(gtin, length, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);

        wrong = uint8(bound(wrong, 6, 12));
        if (wrong != length) {
            vm.expectRevert(
                abi.encodeWithSelector(IDrugTrace.DrugTraceGtinNotAuthorized.selector, gtin, wrong, manufacturer)
            );
            vm.prank(manufacturer);
            drugTrace.registerBatch(gtin, wrong, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
        }

        vm.prank(manufacturer);
        bytes32 batchId = drugTrace.registerBatch(gtin, length, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
        assertEq(drugTrace.batchOf(batchId).manufacturer, manufacturer);
    }

    function testFuzz_registerBatch_revertsOnPrefixLengthOutside6To12(uint8 length) public {
        vm.assume(length < 6 || length > 12);
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceInvalidPrefixLength.selector, length));
        vm.prank(manufacturer);
        drugTrace.registerBatch(GTIN, length, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
    }

    /// @dev A prefix with more digits than its length says is refused; one with exactly that many is accepted.
    function testFuzz_bindCompanyPrefix_digitsBoundary(uint64 prefix, uint8 length) public {
        length = uint8(bound(length, 6, 12));
        prefix = uint64(bound(prefix, 0, 2 * uint64(10) ** length));
        // Keep clear of the prefix bound in setUp.
        vm.assume(prefix / uint64(10) ** (length > 7 ? length - 7 : 0) != PREFIX);
        vm.assume(length > 7 || PREFIX / uint64(10) ** (7 - length) != prefix);
        vm.prank(admin);
        if (prefix >= uint64(10) ** length) {
            vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceInvalidCompanyPrefix.selector, prefix, length));
            drugTrace.bindCompanyPrefix(prefix, length, rival, "Rival Generics Ltd");
        } else {
            drugTrace.bindCompanyPrefix(prefix, length, rival, "Rival Generics Ltd");
            assertEq(drugTrace.prefixBindingOf(prefix, length).owner, rival);
        }
    }

    /// @dev Bound prefixes never overlap: binding a longer or shorter prefix that shares the leading digits of a
    /// bound one is refused, and allowed again once the bound one is revoked.
    function testFuzz_bindCompanyPrefix_refusesOverlaps(uint8 length, uint64 tail) public {
        length = uint8(bound(length, 6, 12));
        vm.assume(length != PREFIX_LENGTH);
        uint64 prefix;
        if (length > PREFIX_LENGTH) {
            uint64 scale = uint64(10) ** (length - PREFIX_LENGTH);
            prefix = PREFIX * scale + (tail % scale);
        } else {
            prefix = PREFIX / uint64(10) ** (PREFIX_LENGTH - length);
        }
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceCompanyPrefixOverlaps.selector, prefix, length));
        vm.prank(admin);
        drugTrace.bindCompanyPrefix(prefix, length, rival, "Rival Generics Ltd");

        vm.prank(admin);
        drugTrace.revokeCompanyPrefix(PREFIX, PREFIX_LENGTH);
        vm.prank(admin);
        drugTrace.bindCompanyPrefix(prefix, length, rival, "Rival Generics Ltd");
        assertEq(drugTrace.prefixBindingOf(prefix, length).owner, rival);
    }

    /// @dev A transfer voids every contract-manufacturer authorization; the new owner registers.
    function test_transferCompanyPrefix_voidsContractManufacturers() public {
        vm.prank(manufacturer);
        drugTrace.authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, contractManufacturer);
        assertTrue(drugTrace.isContractManufacturer(PREFIX, PREFIX_LENGTH, contractManufacturer));
        vm.prank(admin);
        drugTrace.transferCompanyPrefix(PREFIX, PREFIX_LENGTH, rival, "Rival Generics Ltd");
        assertFalse(drugTrace.isContractManufacturer(PREFIX, PREFIX_LENGTH, contractManufacturer));
        vm.expectRevert(
            abi.encodeWithSelector(
                IDrugTrace.DrugTraceGtinNotAuthorized.selector,
                GTIN,
                PREFIX_LENGTH,
                contractManufacturer
            )
        );
        vm.prank(contractManufacturer);
        drugTrace.registerBatch(GTIN, PREFIX_LENGTH, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
        vm.prank(rival);
        drugTrace.registerBatch(GTIN, PREFIX_LENGTH, LOT, EXPIRY, 1, bytes32(uint256(1)), 0);
        assertEq(drugTrace.nameOf(rival), "Rival Generics Ltd");
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                    FLAGS AND QUARANTINE                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Any sequence of flags and resolutions keeps the reporter's open count equal to its unresolved flags and
    /// never above the maximum.
    function testFuzz_flagSuspect_openFlagsBounded(uint256 seed) public {
        bytes32 batchId = _register(1, bytes32(uint256(1)), EXPIRY);
        uint256 max = drugTrace.MAX_OPEN_FLAGS();
        uint256[] memory open = new uint256[](max);
        uint256 count;
        for (uint256 step; step < 80; ++step) {
            uint256 r = uint256(keccak256(abi.encode(seed, step)));
            if (r % 3 != 0 || count == 0) {
                vm.prank(distributor);
                if (count == max) {
                    vm.expectRevert(
                        abi.encodeWithSelector(IDrugTrace.DrugTraceTooManyOpenFlags.selector, distributor, max)
                    );
                    drugTrace.flagSuspect(batchId, 0, SERIAL_A, IDrugTrace.UnitStatus.Active, bytes32(r));
                } else {
                    open[count++] = drugTrace.flagSuspect(batchId, 0, SERIAL_A, IDrugTrace.UnitStatus.Active, 0);
                }
            } else {
                uint256 pick = (r >> 8) % count;
                vm.prank(regulator);
                drugTrace.resolveSuspect(open[pick], IDrugTrace.Resolution.Cleared);
                open[pick] = open[--count];
            }
            assertEq(drugTrace.openFlagsOf(distributor), count);
        }
    }

    /// @dev A regulator's quarantine outranks an excursion: after a regulator confirms a flag, the manufacturer can
    /// no longer release the batch, however many excursions are reported after.
    function test_releaseQuarantine_regulatorOriginOutranksExcursion() public {
        bytes32 batchId = _register(4, bytes32(uint256(1)), EXPIRY);
        vm.prank(manufacturer);
        drugTrace.bindSensor(sensor);
        vm.prank(sensor);
        drugTrace.reportExcursion(batchId, keccak256("reading"), 1250);
        assertEq(uint8(drugTrace.batchOf(batchId).quarantineOrigin), uint8(IDrugTrace.QuarantineOrigin.Excursion));
        vm.prank(distributor);
        uint256 flagId = drugTrace.flagSuspect(batchId, 0, SERIAL_A, IDrugTrace.UnitStatus.Quarantined, 0);
        vm.prank(regulator);
        drugTrace.resolveSuspect(flagId, IDrugTrace.Resolution.Quarantined);
        vm.prank(sensor);
        drugTrace.reportExcursion(batchId, keccak256("reading 2"), 1300);
        assertEq(uint8(drugTrace.batchOf(batchId).quarantineOrigin), uint8(IDrugTrace.QuarantineOrigin.Regulator));

        vm.expectRevert(
            abi.encodeWithSelector(IDrugTrace.DrugTraceQuarantinedByRegulator.selector, batchId, manufacturer)
        );
        vm.prank(manufacturer);
        drugTrace.releaseQuarantine(batchId);
        vm.prank(regulator);
        drugTrace.releaseQuarantine(batchId);
        assertEq(uint8(drugTrace.batchStateOf(batchId)), uint8(IDrugTrace.BatchState.Active));
        assertEq(uint8(drugTrace.batchOf(batchId).quarantineOrigin), uint8(IDrugTrace.QuarantineOrigin.None));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                 SHIP, ACCEPT, REJECT, CANCEL               */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_ship_thenAccept() public {
        (bytes32 batchId, uint256 id) = _shipFortyToDistributor();
        assertEq(id, (uint256(1) << 160) | uint160(manufacturer));
        assertEq(drugTrace.holdingOf(batchId, manufacturer), 60);
        _accept(distributor, id);
        assertEq(drugTrace.holdingOf(batchId, distributor), 40);
        assertEq(uint8(drugTrace.shipmentStateOf(id)), uint8(IDrugTrace.ShipmentState.Accepted));
    }

    function test_ship_thenReject() public {
        (bytes32 batchId, uint256 id) = _shipFortyToDistributor();
        vm.prank(distributor);
        drugTrace.rejectShipment(id);
        _assertUnitsBackWithManufacturer(batchId, id, IDrugTrace.ShipmentState.Rejected);
    }

    function test_ship_thenCancel() public {
        (bytes32 batchId, uint256 id) = _shipFortyToDistributor();
        vm.prank(manufacturer);
        drugTrace.cancelShipment(id);
        _assertUnitsBackWithManufacturer(batchId, id, IDrugTrace.ShipmentState.Cancelled);
    }

    /// @dev Shipment `id` of `_shipFortyToDistributor` ended in `state` and its 40 units are back with the
    /// manufacturer: it holds all 100 again, the distributor none.
    function _assertUnitsBackWithManufacturer(
        bytes32 batchId,
        uint256 id,
        IDrugTrace.ShipmentState state
    ) private view {
        assertEq(drugTrace.holdingOf(batchId, manufacturer), 100);
        assertEq(drugTrace.holdingOf(batchId, distributor), 0);
        assertEq(uint8(drugTrace.shipmentStateOf(id)), uint8(state));
    }

    /// @dev A 100-unit batch of which the manufacturer shipped 40 units to the distributor (pending).
    function _shipFortyToDistributor() private returns (bytes32 batchId, uint256 id) {
        batchId = _register(100, bytes32(uint256(1)), EXPIRY);
        id = _ship(manufacturer, distributor, batchId, 40);
    }

    function testFuzz_ship_settlementsConserveUnits(uint32 unitCount, uint32 quantity, uint8 outcome) public {
        unitCount = uint32(bound(unitCount, 1, type(uint32).max));
        quantity = uint32(bound(quantity, 1, unitCount));
        bytes32 batchId = _register(unitCount, bytes32(uint256(1)), EXPIRY);
        uint256 id = _ship(manufacturer, distributor, batchId, quantity);
        assertEq(drugTrace.holdingOf(batchId, manufacturer), unitCount - quantity);
        assertEq(drugTrace.shipmentOf(id).quantity, quantity);

        outcome = outcome % 3;
        if (outcome == 0) {
            _accept(distributor, id);
            assertEq(drugTrace.holdingOf(batchId, distributor), quantity);
            assertEq(drugTrace.holdingOf(batchId, manufacturer), unitCount - quantity);
        } else {
            vm.prank(outcome == 1 ? distributor : manufacturer);
            if (outcome == 1) drugTrace.rejectShipment(id);
            else drugTrace.cancelShipment(id);
            assertEq(drugTrace.holdingOf(batchId, distributor), 0);
            assertEq(drugTrace.holdingOf(batchId, manufacturer), unitCount);
        }
        assertFalse(drugTrace.shipmentStateOf(id) == IDrugTrace.ShipmentState.Pending);
    }

    function test_ship_revertsWhenHoldingTooSmall() public {
        bytes32 batchId = _register(10, bytes32(uint256(1)), EXPIRY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDrugTrace.DrugTraceInsufficientHolding.selector,
                batchId,
                manufacturer,
                uint256(10),
                uint256(11)
            )
        );
        _ship(manufacturer, distributor, batchId, 11);
    }

    function testFuzz_ship_revertsBeyondHolding(uint32 unitCount, uint32 quantity) public {
        unitCount = uint32(bound(unitCount, 1, type(uint32).max - 1));
        quantity = uint32(bound(quantity, uint256(unitCount) + 1, type(uint32).max));
        bytes32 batchId = _register(unitCount, bytes32(uint256(1)), EXPIRY);
        vm.expectRevert(
            abi.encodeWithSelector(
                IDrugTrace.DrugTraceInsufficientHolding.selector,
                batchId,
                manufacturer,
                uint256(unitCount),
                uint256(quantity)
            )
        );
        _ship(manufacturer, distributor, batchId, quantity);
    }

    function test_ship_returnToManufacturerAfterRecall() public {
        bytes32 batchId = _register(10, bytes32(uint256(1)), EXPIRY);
        _accept(distributor, _ship(manufacturer, distributor, batchId, 10));
        vm.prank(regulator);
        drugTrace.recall(batchId, 1, bytes32(0));
        _accept(manufacturer, _ship(distributor, manufacturer, batchId, 10));
        assertEq(drugTrace.holdingOf(batchId, manufacturer), 10);
        assertEq(drugTrace.holdingOf(batchId, distributor), 0);
    }

    function testFuzz_ship_sequenceConservesUnits(uint256 seed) public {
        bytes32 batchId = _register(1000, bytes32(uint256(1)), EXPIRY);
        address[3] memory parties = [manufacturer, distributor, pharmacy];
        uint256[] memory pending = new uint256[](12);
        uint256 pendingCount;
        uint256 inTransit;
        for (uint256 step; step < 12; ++step) {
            uint256 roll = uint256(keccak256(abi.encode(seed, step)));
            if (roll % 2 == 0 || pendingCount == 0) {
                address from = parties[roll % 3];
                address to = parties[(roll / 3 + 1 + (roll % 3)) % 3];
                if (to == from) to = parties[((roll % 3) + 1) % 3];
                uint256 holding = drugTrace.holdingOf(batchId, from);
                if (holding == 0) continue;
                uint32 quantity = uint32(bound(roll >> 8, 1, holding));
                pending[pendingCount++] = _ship(from, to, batchId, quantity);
                inTransit += quantity;
            } else {
                uint256 id = pending[--pendingCount];
                IDrugTrace.Shipment memory sent = drugTrace.shipmentOf(id);
                uint256 outcome = (roll >> 16) % 3;
                vm.prank(outcome == 2 ? sent.sender : sent.recipient);
                if (outcome == 0) drugTrace.acceptShipment(id);
                else if (outcome == 1) drugTrace.rejectShipment(id);
                else drugTrace.cancelShipment(id);
                inTransit -= sent.quantity;
            }
            uint256 held =
                drugTrace.holdingOf(batchId, manufacturer) +
                    drugTrace.holdingOf(batchId, distributor) +
                    drugTrace.holdingOf(batchId, pharmacy);
            assertEq(held + inTransit, 1000);
        }
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          DISPENSE                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_dispense_singleLeafTree() public {
        bytes32 batchId = _register(1, TestTrees.leaf(0, SERIAL_A), EXPIRY);
        _stock(batchId, pharmacy, 1);
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 0, SERIAL_A, new bytes32[](0));
        assertTrue(drugTrace.isDispensedBy(batchId, 0, pharmacy));
        assertEq(drugTrace.holdingOf(batchId, pharmacy), 0);
    }

    function test_dispense_wordBoundary255And256() public {
        bytes32 batchId = _registerPair(1000, 255, 256);
        _stock(batchId, pharmacy, 2);
        vm.startPrank(pharmacy);
        drugTrace.dispense(batchId, 255, SERIAL_A, TestTrees.single(TestTrees.leaf(256, SERIAL_B)));
        assertTrue(drugTrace.isDispensed(batchId, 255));
        assertFalse(drugTrace.isDispensed(batchId, 256));
        drugTrace.dispense(batchId, 256, SERIAL_B, TestTrees.single(TestTrees.leaf(255, SERIAL_A)));
        vm.stopPrank();
        assertTrue(drugTrace.isDispensed(batchId, 256));
        assertFalse(drugTrace.isDispensed(batchId, 254));
        assertFalse(drugTrace.isDispensed(batchId, 257));
        assertTrue(drugTrace.isDispensedBy(batchId, 256, pharmacy));
        assertFalse(drugTrace.isDispensedBy(batchId, 256, pharmacy2));
    }

    function testFuzz_dispense_anyIndexMarksOnlyThatUnit(uint256 index) public {
        uint32 unitCount = 1024;
        index = bound(index, 0, unitCount - 1);
        uint256 other = index ^ 1;
        bytes32 batchId = _registerPair(unitCount, index, other);
        _stock(batchId, pharmacy, 2);

        vm.prank(pharmacy);
        drugTrace.dispense(batchId, index, SERIAL_A, TestTrees.single(TestTrees.leaf(other, SERIAL_B)));
        assertTrue(drugTrace.isDispensed(batchId, index));
        assertTrue(drugTrace.isDispensedBy(batchId, index, pharmacy));
        assertFalse(drugTrace.isDispensedBy(batchId, index, pharmacy2));
        assertFalse(drugTrace.isDispensed(batchId, other));
        if (index + 256 < unitCount) assertFalse(drugTrace.isDispensed(batchId, index + 256));

        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceUnitAlreadyDispensed.selector, batchId, index));
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, index, SERIAL_A, TestTrees.single(TestTrees.leaf(other, SERIAL_B)));
    }

    function testFuzz_dispense_revertsOutsideTheBatch(uint256 index) public {
        index = bound(index, 2, type(uint256).max);
        // A tree that (wrongly) contains an index at or beyond unitCount still cannot be used past the count.
        bytes32 batchId = _registerPair(2, index, 0);
        _stock(batchId, pharmacy, 1);
        vm.expectRevert(abi.encodeWithSelector(IDrugTrace.DrugTraceUnitNotInBatch.selector, batchId, index, SERIAL_A));
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, index, SERIAL_A, TestTrees.single(TestTrees.leaf(0, SERIAL_B)));
    }

    function test_dispense_atExpiry() public {
        bytes32 batchId = _registerPair(2, 0, 1);
        _stock(batchId, pharmacy, 1);
        vm.warp(EXPIRY);
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 0, SERIAL_A, TestTrees.single(TestTrees.leaf(1, SERIAL_B)));
        assertTrue(drugTrace.isDispensed(batchId, 0));
    }

    function test_dispense_revertsOneSecondAfterExpiry() public {
        bytes32 batchId = _registerPair(2, 0, 1);
        _stock(batchId, pharmacy, 1);
        vm.warp(uint256(EXPIRY) + 1);
        _expectExpired(batchId);
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 0, SERIAL_A, TestTrees.single(TestTrees.leaf(1, SERIAL_B)));
    }

    function testFuzz_dispense_expiryBoundary(uint48 elapsed) public {
        bytes32 batchId = _registerPair(2, 0, 1);
        _stock(batchId, pharmacy, 1);
        uint256 when = uint256(START) + bound(elapsed, 0, 2 * 365 days);
        vm.warp(when);
        bytes32[] memory proof = TestTrees.single(TestTrees.leaf(1, SERIAL_B));
        if (when > EXPIRY) {
            _expectExpired(batchId);
        }
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 0, SERIAL_A, proof);
        (IDrugTrace.UnitStatus status, , ) = drugTrace.verifyUnit(GTIN, LOT, SERIAL_A, 0, proof);
        assertEq(uint8(status), uint8(when > EXPIRY ? IDrugTrace.UnitStatus.Expired : IDrugTrace.UnitStatus.Dispensed));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        VERIFY UNIT                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_verifyUnit_dispensedOutranksRecall() public {
        bytes32 batchId = _registerPair(2, 0, 1);
        _stock(batchId, pharmacy, 1);
        bytes32[] memory proof = TestTrees.single(TestTrees.leaf(1, SERIAL_B));
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 0, SERIAL_A, proof);
        vm.prank(regulator);
        drugTrace.recall(batchId, 1, bytes32(0));
        (IDrugTrace.UnitStatus status, uint48 expiry, address maker) = drugTrace.verifyUnit(
            GTIN,
            LOT,
            SERIAL_A,
            0,
            proof
        );
        assertEq(uint8(status), uint8(IDrugTrace.UnitStatus.Dispensed));
        assertEq(expiry, EXPIRY);
        assertEq(maker, manufacturer);
    }

    function testFuzz_verifyUnit_forgedSerialIsUnknown(bytes32 serial) public {
        vm.assume(serial != SERIAL_A);
        _registerPair(2, 0, 1);
        (IDrugTrace.UnitStatus status, uint48 expiry, address maker) = drugTrace.verifyUnit(
            GTIN,
            LOT,
            serial,
            0,
            TestTrees.single(TestTrees.leaf(1, SERIAL_B))
        );
        assertEq(uint8(status), uint8(IDrugTrace.UnitStatus.Unknown));
        assertEq(expiry, 0);
        assertEq(maker, address(0));
    }
}

/// @dev Drives custody with bounded, mostly valid calls, and tries custody attacks that must fail.
contract CustodyHandler is Test {
    uint256 internal constant UNIT_COUNT = 8;

    DrugTrace internal immutable _drugTrace;
    bytes32 internal immutable _batchId;
    address[] internal _actors;
    address[2] internal _dispensers;
    address internal immutable _stranger;
    bytes32[8] internal _leaves;
    uint256[] internal _pending;

    address internal _regulator;
    address internal _sensor;
    uint256[] internal _openFlagIds;
    mapping(address reporter => uint256 open) internal _openFlagsByReporter;

    /// @dev Units dispensed through this handler.
    uint256 public dispensed;
    /// @dev Set when an attack that must fail succeeded.
    bool public breached;

    constructor(
        DrugTrace drugTrace,
        bytes32 batchId,
        address[] memory actors,
        address[2] memory dispensers,
        address stranger,
        bytes32[8] memory leaves
    ) {
        _drugTrace = drugTrace;
        _batchId = batchId;
        _actors = actors;
        _dispensers = dispensers;
        _stranger = stranger;
        _leaves = leaves;
    }

    /// @dev The regulator that resolves flags and lifts quarantines, and the one sensor the actors bind in turn; set
    /// once (the fuzzer calls it too).
    function setOversight(address regulator, address sensor) external {
        if (_regulator != address(0)) return;
        _regulator = regulator;
        _sensor = sensor;
    }

    /// @dev The sensor is bound to a random actor and reports an excursion: it must succeed exactly when that actor
    /// holds units (the batch is never recalled or expired here).
    function reportExcursion(uint256 custodianSeed, int16 extremeCentiCelsius) external {
        address custodian = _actors[custodianSeed % _actors.length];
        address current = _drugTrace.custodianOf(_sensor);
        if (current != custodian) {
            if (current != address(0)) {
                vm.prank(current);
                _drugTrace.unbindSensor(_sensor);
            }
            vm.prank(custodian);
            _drugTrace.bindSensor(_sensor);
        }
        bool holds = _drugTrace.holdingOf(_batchId, custodian) != 0;
        vm.prank(_sensor);
        try _drugTrace.reportExcursion(_batchId, keccak256("reading"), extremeCentiCelsius) {
            if (!holds) breached = true;
        } catch {
            if (holds) breached = true;
        }
    }

    /// @dev The manufacturer (its actor 0) or the regulator tries to lift a quarantine: the manufacturer must fail on
    /// a regulator's quarantine and succeed on an excursion's; the regulator always succeeds.
    function release(bool asRegulator) external {
        if (_drugTrace.batchStateOf(_batchId) != IDrugTrace.BatchState.Quarantined) return;
        IDrugTrace.QuarantineOrigin origin = _drugTrace.batchOf(_batchId).quarantineOrigin;
        bool allowed = asRegulator || origin == IDrugTrace.QuarantineOrigin.Excursion;
        vm.prank(asRegulator ? _regulator : _actors[0]);
        try _drugTrace.releaseQuarantine(_batchId) {
            if (!allowed) breached = true;
        } catch {
            if (allowed) breached = true;
        }
    }

    /// @dev A random actor flags a unit: refused exactly when it already has the maximum of open flags.
    function flag(uint256 reporterSeed) external {
        address reporter = _actors[reporterSeed % _actors.length];
        bool full = _openFlagsByReporter[reporter] >= _drugTrace.MAX_OPEN_FLAGS();
        vm.prank(reporter);
        try
            _drugTrace.flagSuspect(_batchId, 0, _serial(0), IDrugTrace.UnitStatus.Active, keccak256("evidence"))
        returns (uint256 flagId) {
            if (full) breached = true;
            _openFlagIds.push(flagId);
            ++_openFlagsByReporter[reporter];
        } catch {
            if (!full) breached = true;
        }
    }

    /// @dev The regulator resolves an open flag, as Cleared or as Quarantined.
    function resolve(uint256 seed, bool quarantine) external {
        if (_openFlagIds.length == 0) return;
        uint256 i = seed % _openFlagIds.length;
        uint256 flagId = _openFlagIds[i];
        address reporter = _drugTrace.suspectFlagOf(flagId).reporter;
        vm.prank(_regulator);
        _drugTrace.resolveSuspect(
            flagId,
            quarantine ? IDrugTrace.Resolution.Quarantined : IDrugTrace.Resolution.Cleared
        );
        --_openFlagsByReporter[reporter];
        _openFlagIds[i] = _openFlagIds[_openFlagIds.length - 1];
        _openFlagIds.pop();
    }

    /// @dev The open flags this handler counts for `reporter`.
    function openFlagsOf(address reporter) external view returns (uint256) {
        return _openFlagsByReporter[reporter];
    }

    function ship(uint256 fromSeed, uint256 toSeed, uint256 quantity) external {
        address from = _actors[fromSeed % _actors.length];
        uint256 holding = _drugTrace.holdingOf(_batchId, from);
        if (holding == 0) return;
        address to = _actors[toSeed % _actors.length];
        if (to == from) to = _actors[(toSeed + 1) % _actors.length];
        quantity = bound(quantity, 1, holding);
        vm.prank(from);
        _pending.push(_drugTrace.ship(_batchId, to, uint32(quantity)));
    }

    function accept(uint256 seed) external {
        _settle(seed, IDrugTrace.ShipmentState.Accepted);
    }

    function reject(uint256 seed) external {
        _settle(seed, IDrugTrace.ShipmentState.Rejected);
    }

    function cancel(uint256 seed) external {
        _settle(seed, IDrugTrace.ShipmentState.Cancelled);
    }

    function dispense(uint256 dispenserSeed, uint256 indexSeed) external {
        address dispenser = _dispensers[dispenserSeed % 2];
        if (_drugTrace.holdingOf(_batchId, dispenser) == 0) return;
        for (uint256 k; k < UNIT_COUNT; ++k) {
            uint256 index = (indexSeed + k) % UNIT_COUNT;
            if (_drugTrace.isDispensed(_batchId, index)) continue;
            vm.prank(dispenser);
            _drugTrace.dispense(_batchId, index, _serial(index), TestTrees.proof8(_leaves, index));
            ++dispensed;
            return;
        }
    }

    /// @dev Custody claimed by someone the sender did not name, or cancelled by someone who did not send: refused.
    function claimAsStranger(uint256 seed) external {
        if (_pending.length == 0) return;
        uint256 shipmentId = _pending[seed % _pending.length];
        vm.prank(_stranger);
        try _drugTrace.acceptShipment(shipmentId) {
            breached = true;
        } catch {}
        vm.prank(_drugTrace.shipmentOf(shipmentId).recipient);
        try _drugTrace.cancelShipment(shipmentId) {
            breached = true;
        } catch {}
    }

    /// @dev A unit already dispensed dispensed again (a copied code): refused.
    function dispenseCopy(uint256 dispenserSeed, uint256 indexSeed) external {
        uint256 index = indexSeed % UNIT_COUNT;
        if (!_drugTrace.isDispensed(_batchId, index)) return;
        vm.prank(_dispensers[dispenserSeed % 2]);
        try _drugTrace.dispense(_batchId, index, _serial(index), TestTrees.proof8(_leaves, index)) {
            breached = true;
        } catch {}
    }

    function pendingCount() external view returns (uint256) {
        return _pending.length;
    }

    function pendingAt(uint256 i) external view returns (uint256) {
        return _pending[i];
    }

    function actorCount() external view returns (uint256) {
        return _actors.length;
    }

    function actorAt(uint256 i) external view returns (address) {
        return _actors[i];
    }

    function _settle(uint256 seed, IDrugTrace.ShipmentState outcome) private {
        if (_pending.length == 0) return;
        uint256 i = seed % _pending.length;
        uint256 shipmentId = _pending[i];
        IDrugTrace.Shipment memory sent = _drugTrace.shipmentOf(shipmentId);
        vm.prank(outcome == IDrugTrace.ShipmentState.Cancelled ? sent.sender : sent.recipient);
        if (outcome == IDrugTrace.ShipmentState.Accepted) _drugTrace.acceptShipment(shipmentId);
        else if (outcome == IDrugTrace.ShipmentState.Rejected) _drugTrace.rejectShipment(shipmentId);
        else _drugTrace.cancelShipment(shipmentId);
        _pending[i] = _pending[_pending.length - 1];
        _pending.pop();
    }

    function _serial(uint256 index) private pure returns (bytes32) {
        return bytes32(uint256(keccak256(abi.encode("serial", index))));
    }
}

contract DrugTraceInvariantTest is DrugTraceTestBase {
    CustodyHandler internal handler;
    bytes32 internal batchId;

    function setUp() public override {
        super.setUp();
        bytes32[8] memory leaves;
        for (uint256 i; i < 8; ++i) {
            leaves[i] = TestTrees.leaf(i, bytes32(uint256(keccak256(abi.encode("serial", i)))));
        }
        batchId = _register(8, TestTrees.root8(leaves), EXPIRY);
        address[] memory actors = new address[](4);
        actors[0] = manufacturer;
        actors[1] = distributor;
        actors[2] = pharmacy;
        actors[3] = pharmacy2;
        handler = new CustodyHandler(drugTrace, batchId, actors, [pharmacy, pharmacy2], stranger, leaves);
        handler.setOversight(regulator, sensor);
        targetContract(address(handler));
    }

    /// @dev Each reporter's open flags are exactly those not resolved yet, never more than the maximum.
    function invariant_openFlagsCountedAndBounded() public view {
        for (uint256 i; i < handler.actorCount(); ++i) {
            address reporter = handler.actorAt(i);
            assertEq(drugTrace.openFlagsOf(reporter), handler.openFlagsOf(reporter));
            assertLe(drugTrace.openFlagsOf(reporter), drugTrace.MAX_OPEN_FLAGS());
        }
    }

    /// @dev A quarantined batch always says why; any other batch has no origin.
    function invariant_quarantineHasAnOrigin() public view {
        IDrugTrace.Batch memory record = drugTrace.batchOf(batchId);
        assertEq(
            record.state == IDrugTrace.BatchState.Quarantined,
            record.quarantineOrigin != IDrugTrace.QuarantineOrigin.None
        );
    }

    /// @dev Sum of holdings + units in pending shipments = registered − dispensed.
    function invariant_conservation() public view {
        uint256 held;
        for (uint256 i; i < handler.actorCount(); ++i) held += drugTrace.holdingOf(batchId, handler.actorAt(i));
        uint256 inTransit;
        for (uint256 i; i < handler.pendingCount(); ++i) {
            IDrugTrace.Shipment memory sent = drugTrace.shipmentOf(handler.pendingAt(i));
            assertEq(uint8(sent.state), uint8(IDrugTrace.ShipmentState.Pending));
            inTransit += sent.quantity;
        }
        assertEq(held + inTransit, 8 - handler.dispensed());
    }

    /// @dev The bitmap marks exactly the dispensed units, each attributed to exactly one dispenser.
    function invariant_dispensedUnitsMatchTheBitmaps() public view {
        uint256 marked;
        for (uint256 i; i < 8; ++i) {
            bool byFirst = drugTrace.isDispensedBy(batchId, i, pharmacy);
            bool bySecond = drugTrace.isDispensedBy(batchId, i, pharmacy2);
            assertFalse(byFirst && bySecond);
            assertEq(drugTrace.isDispensed(batchId, i), byFirst || bySecond);
            if (drugTrace.isDispensed(batchId, i)) ++marked;
        }
        assertEq(marked, handler.dispensed());
    }

    /// @dev Custody never lands on someone the sender did not name, no unit is dispensed twice, a sensor reports only
    /// on stock its custodian holds, only a regulator lifts a regulator's quarantine, and flags stay bounded.
    function invariant_attacksAreRefused() public view {
        assertFalse(handler.breached());
    }
}
