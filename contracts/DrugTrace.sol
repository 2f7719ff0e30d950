// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IDrugTrace} from "./interfaces/IDrugTrace.sol";

/// @title DrugTrace
/// @notice Serialized drug batches, two-phase custody, dispensing, public verification, recall and quarantine.
/// See `IDrugTrace`.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` (one holder, transferred with a delay through `AccessControlDefaultAdminRules`)
/// grants every other role. `MANUFACTURER_ROLE`, `DISTRIBUTOR_ROLE` and `DISPENSER_ROLE` are the trade roles;
/// `REGULATOR_ROLE` recalls, resolves flags and releases quarantines; `SENSOR_ROLE` reports excursions;
/// `PAUSER_ROLE` pauses and unpauses. Not upgradeable.
contract DrugTrace is IDrugTrace, AccessControlDefaultAdminRules, Pausable {
    using BitMaps for BitMaps.BitMap;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev What storage keeps of a shipment; the sender is the low 160 bits of the shipment id.
    /// slot 0: `recipient` (bits 0..159) | `quantity` (160..191) | `shippedAt` (192..239) | `state` (240..247);
    /// slot 1: `batchId`.
    struct ShipmentRecord {
        address recipient;
        uint32 quantity;
        uint48 shippedAt;
        ShipmentState state;
        bytes32 batchId;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IDrugTrace
    bytes32 public constant MANUFACTURER_ROLE = keccak256("MANUFACTURER_ROLE");

    /// @inheritdoc IDrugTrace
    bytes32 public constant DISTRIBUTOR_ROLE = keccak256("DISTRIBUTOR_ROLE");

    /// @inheritdoc IDrugTrace
    bytes32 public constant DISPENSER_ROLE = keccak256("DISPENSER_ROLE");

    /// @inheritdoc IDrugTrace
    bytes32 public constant REGULATOR_ROLE = keccak256("REGULATOR_ROLE");

    /// @inheritdoc IDrugTrace
    bytes32 public constant SENSOR_ROLE = keccak256("SENSOR_ROLE");

    /// @inheritdoc IDrugTrace
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @inheritdoc IDrugTrace
    uint16 public constant SUSPECT_CONFIRMED_REASON = type(uint16).max;

    /// @dev GTIN-14s are below 10^14.
    uint64 private constant _GTIN_LIMIT = 1e14;

    /// @dev Expected-states bitmaps (bit `uint8(state)` set for each allowed state) for the batch lifecycle guard.
    bytes32 private constant _ACTIVE = bytes32(1 << uint8(BatchState.Active));
    bytes32 private constant _QUARANTINED = bytes32(1 << uint8(BatchState.Quarantined));
    /// @dev A recalled or expired batch may still travel back to its manufacturer.
    bytes32 private constant _RETURNABLE = bytes32(
        (1 << uint8(BatchState.Active)) | (1 << uint8(BatchState.Recalled)) | (1 << uint8(BatchState.Expired))
    );
    /// @dev States a recall or a quarantine may start from.
    bytes32 private constant _LIVE = bytes32(
        (1 << uint8(BatchState.Active)) | (1 << uint8(BatchState.Quarantined)) | (1 << uint8(BatchState.Expired))
    );
    bytes32 private constant _REGISTERED = _LIVE | bytes32(1 << uint8(BatchState.Recalled));
    bytes32 private constant _ANY = _REGISTERED | bytes32(1 << uint8(BatchState.None));

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Shipments sent so far (the last sequence number). Declared first so that it shares a slot with
    /// `Pausable._paused`, which every `ship` reads anyway: the counter's read is then warm.
    uint64 private _shipmentSequence;

    /// @dev Suspect flags raised so far (the last id); same slot as `_shipmentSequence`.
    uint64 private _flagCount;

    /// @dev Registered batches (layout in `IDrugTrace.Batch`); `state` is never Expired here.
    mapping(bytes32 batchId => Batch) private _batches;

    /// @dev Custody entries. For every holder but the batch's manufacturer the entry is its holding. For the
    /// manufacturer it counts the units it has released (`unitCount` − holding), which starts at zero: registering a
    /// batch therefore writes no holding, one 22.1k-gas slot fewer. `_holding` reads both kinds.
    mapping(bytes32 batchId => mapping(address holder => uint256 entry)) private _custody;

    /// @dev Shipments by id (layout in `ShipmentRecord`).
    mapping(uint256 shipmentId => ShipmentRecord) private _shipments;

    /// @dev Dispensed units per batch: one word per 256 units.
    mapping(bytes32 batchId => BitMaps.BitMap) private _dispensed;

    /// @dev Dispensed units per batch and dispenser, for `isDispensedBy`: cheaper than an address per unit (a second
    /// write to an already used word costs 5k gas, a fresh word 22.1k).
    mapping(bytes32 batchId => mapping(address dispenser => BitMaps.BitMap)) private _dispensedBy;

    /// @dev Suspect flags by id (layout in `IDrugTrace.SuspectFlag`).
    mapping(uint256 flagId => SuspectFlag) private _flags;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param initialDelay Delay before a default-admin transfer takes effect (`AccessControlDefaultAdminRules`).
    /// @param initialAdmin The default admin, who grants every other role.
    constructor(uint48 initialDelay, address initialAdmin) AccessControlDefaultAdminRules(initialDelay, initialAdmin) {}

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      UPDATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IDrugTrace
    function registerBatch(
        uint64 gtin,
        bytes32 lot,
        uint48 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 metadataHash
    ) external whenNotPaused onlyRole(MANUFACTURER_ROLE) returns (bytes32 batchId) {
        if (!_isValidGtin(gtin)) revert DrugTraceInvalidGtin(gtin);
        if (lot == bytes32(0)) revert DrugTraceEmptyLot();
        if (unitCount == 0) revert DrugTraceZeroUnitCount();
        if (serialsRoot == bytes32(0)) revert DrugTraceZeroSerialsRoot();
        if (expiry < block.timestamp) revert DrugTraceExpiryInPast(expiry, uint48(block.timestamp));
        batchId = batchIdOf(gtin, lot);
        if (_batches[batchId].state != BatchState.None) revert DrugTraceBatchAlreadyRegistered(batchId);

        _batches[batchId] = Batch({
            manufacturer: msg.sender,
            expiry: expiry,
            unitCount: unitCount,
            state: BatchState.Active,
            serialsRoot: serialsRoot
        });
        emit BatchRegistered(batchId, msg.sender, gtin, lot, expiry, unitCount, serialsRoot, metadataHash);
    }

    /// @inheritdoc IDrugTrace
    function ship(bytes32 batchId, address to, uint32 quantity) external whenNotPaused returns (uint256 shipmentId) {
        if (quantity == 0) revert DrugTraceZeroQuantity();
        if (to == msg.sender) revert DrugTraceShipmentToSelf(to);
        if (!_isTradePartner(to)) revert DrugTraceNotTradePartner(to);
        Batch storage record = _batches[batchId];
        address manufacturer = record.manufacturer;
        _requireBatchState(batchId, _stateOf(record), to == manufacturer ? _RETURNABLE : _ACTIVE);
        _takeHolding(batchId, manufacturer, record.unitCount, msg.sender, quantity);

        shipmentId = (uint256(++_shipmentSequence) << 160) | uint160(msg.sender);
        _shipments[shipmentId] = ShipmentRecord({
            recipient: to,
            quantity: quantity,
            shippedAt: uint48(block.timestamp),
            state: ShipmentState.Pending,
            batchId: batchId
        });
        emit ShipmentSent(batchId, shipmentId, to, msg.sender, quantity);
    }

    /// @inheritdoc IDrugTrace
    function acceptShipment(uint256 shipmentId) external whenNotPaused {
        (bytes32 batchId, address sender, address recipient, uint32 quantity) = _settleShipment(
            shipmentId,
            ShipmentState.Accepted
        );
        emit ShipmentAccepted(batchId, shipmentId, recipient, sender, quantity);
    }

    /// @inheritdoc IDrugTrace
    function rejectShipment(uint256 shipmentId) external whenNotPaused {
        (bytes32 batchId, address sender, address recipient, uint32 quantity) = _settleShipment(
            shipmentId,
            ShipmentState.Rejected
        );
        emit ShipmentRejected(batchId, shipmentId, recipient, sender, quantity);
    }

    /// @inheritdoc IDrugTrace
    function cancelShipment(uint256 shipmentId) external whenNotPaused {
        (bytes32 batchId, address sender, address recipient, uint32 quantity) = _settleShipment(
            shipmentId,
            ShipmentState.Cancelled
        );
        emit ShipmentCancelled(batchId, shipmentId, sender, recipient, quantity);
    }

    /// @inheritdoc IDrugTrace
    function dispense(
        bytes32 batchId,
        uint256 index,
        bytes32 serial,
        bytes32[] calldata proof
    ) external whenNotPaused onlyRole(DISPENSER_ROLE) {
        Batch storage record = _batches[batchId];
        _requireBatchState(batchId, _stateOf(record), _ACTIVE);
        uint32 unitCount = record.unitCount;
        // The proof is checked before the bitmap: "already dispensed" is only said of a unit proven genuine.
        if (index >= unitCount || !MerkleProof.verifyCalldata(proof, record.serialsRoot, _leaf(index, serial))) {
            revert DrugTraceUnitNotInBatch(batchId, index, serial);
        }
        if (_dispensed[batchId].get(index)) revert DrugTraceUnitAlreadyDispensed(batchId, index);
        _takeHolding(batchId, record.manufacturer, unitCount, msg.sender, 1);

        _dispensed[batchId].set(index);
        _dispensedBy[batchId][msg.sender].set(index);
        emit UnitDispensed(batchId, index, msg.sender, serial);
    }

    /// @inheritdoc IDrugTrace
    function recall(bytes32 batchId, uint16 reasonCode, bytes32 evidenceHash) external whenNotPaused {
        Batch storage record = _batches[batchId];
        _requireBatchState(batchId, _stateOf(record), _LIVE);
        _requireManufacturerOrRegulator(batchId, record.manufacturer);

        record.state = BatchState.Recalled;
        emit BatchRecalled(batchId, msg.sender, reasonCode, evidenceHash);
    }

    /// @inheritdoc IDrugTrace
    function flagSuspect(
        bytes32 batchId,
        uint256 index,
        bytes32 serial,
        UnitStatus verdict,
        bytes32 evidenceHash
    ) external whenNotPaused returns (uint256 flagId) {
        if (!_isTradePartner(msg.sender)) revert DrugTraceNotTradePartner(msg.sender);

        flagId = ++_flagCount;
        _flags[flagId] = SuspectFlag({
            batchId: batchId,
            reporter: msg.sender,
            flaggedAt: uint48(block.timestamp),
            verdict: verdict,
            state: FlagState.Open,
            evidenceHash: evidenceHash
        });
        emit SuspectFlagged(batchId, flagId, msg.sender, index, serial, verdict, evidenceHash);
    }

    /// @inheritdoc IDrugTrace
    function resolveSuspect(uint256 flagId, Resolution resolution) external whenNotPaused onlyRole(REGULATOR_ROLE) {
        SuspectFlag storage flag = _flags[flagId];
        FlagState current = flag.state;
        if (current != FlagState.Open) revert DrugTraceUnexpectedFlagState(flagId, current);
        bytes32 batchId = flag.batchId;
        Batch storage record = _batches[batchId];
        BatchState state = _stateOf(record);
        _requireBatchState(batchId, state, _statesResolvableAs(resolution));

        flag.state = _flagStateOf(resolution);
        emit SuspectResolved(batchId, flagId, msg.sender, resolution);
        if (resolution == Resolution.Quarantined && state != BatchState.Quarantined) {
            record.state = BatchState.Quarantined;
            emit BatchQuarantined(batchId, msg.sender);
        } else if (resolution == Resolution.Recalled && state != BatchState.Recalled) {
            record.state = BatchState.Recalled;
            emit BatchRecalled(batchId, msg.sender, SUSPECT_CONFIRMED_REASON, flag.evidenceHash);
        }
    }

    /// @inheritdoc IDrugTrace
    function reportExcursion(
        bytes32 batchId,
        bytes32 readingHash,
        int16 extremeCentiCelsius
    ) external whenNotPaused onlyRole(SENSOR_ROLE) {
        Batch storage record = _batches[batchId];
        BatchState state = _stateOf(record);
        _requireBatchState(batchId, state, _LIVE);

        bool quarantines = state != BatchState.Quarantined;
        if (quarantines) record.state = BatchState.Quarantined;
        emit ExcursionReported(batchId, msg.sender, readingHash, extremeCentiCelsius);
        if (quarantines) emit BatchQuarantined(batchId, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function releaseQuarantine(bytes32 batchId) external whenNotPaused {
        Batch storage record = _batches[batchId];
        _requireBatchState(batchId, _stateOf(record), _QUARANTINED);
        _requireManufacturerOrRegulator(batchId, record.manufacturer);

        record.state = BatchState.Active;
        emit QuarantineReleased(batchId, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IDrugTrace
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IDrugTrace
    function verifyUnit(
        uint64 gtin,
        bytes32 lot,
        bytes32 serial,
        uint256 index,
        bytes32[] calldata proof
    ) external view returns (UnitStatus status, uint48 expiry, address manufacturer) {
        bytes32 batchId = batchIdOf(gtin, lot);
        Batch storage record = _batches[batchId];
        BatchState stored = record.state;
        if (
            stored == BatchState.None ||
            index >= record.unitCount ||
            !MerkleProof.verifyCalldata(proof, record.serialsRoot, _leaf(index, serial))
        ) {
            return (UnitStatus.Unknown, 0, address(0));
        }
        expiry = record.expiry;
        manufacturer = record.manufacturer;
        if (_dispensed[batchId].get(index)) status = UnitStatus.Dispensed;
        else if (stored == BatchState.Recalled) status = UnitStatus.Recalled;
        else if (stored == BatchState.Quarantined) status = UnitStatus.Quarantined;
        else if (block.timestamp > expiry) status = UnitStatus.Expired;
        else status = UnitStatus.Active;
    }

    /// @inheritdoc IDrugTrace
    function batch(bytes32 batchId) external view returns (Batch memory record) {
        record = _batches[batchId];
        record.state = _stateOf(_batches[batchId]);
    }

    /// @inheritdoc IDrugTrace
    function batchState(bytes32 batchId) external view returns (BatchState) {
        return _stateOf(_batches[batchId]);
    }

    /// @inheritdoc IDrugTrace
    function holdingOf(bytes32 batchId, address holder) external view returns (uint256) {
        Batch storage record = _batches[batchId];
        return _holding(batchId, record.manufacturer, record.unitCount, holder);
    }

    /// @inheritdoc IDrugTrace
    function shipment(uint256 shipmentId) external view returns (Shipment memory) {
        ShipmentRecord storage record = _shipments[shipmentId];
        Shipment memory unknown;
        if (record.state == ShipmentState.None) return unknown;
        return
            Shipment({
                sender: _senderOf(shipmentId),
                recipient: record.recipient,
                batchId: record.batchId,
                quantity: record.quantity,
                shippedAt: record.shippedAt,
                state: record.state
            });
    }

    /// @inheritdoc IDrugTrace
    function shipmentState(uint256 shipmentId) external view returns (ShipmentState) {
        return _shipments[shipmentId].state;
    }

    /// @inheritdoc IDrugTrace
    function suspectFlag(uint256 flagId) external view returns (SuspectFlag memory) {
        return _flags[flagId];
    }

    /// @inheritdoc IDrugTrace
    function isDispensed(bytes32 batchId, uint256 index) external view returns (bool) {
        return _dispensed[batchId].get(index);
    }

    /// @inheritdoc IDrugTrace
    function isDispensedBy(bytes32 batchId, uint256 index, address dispenser) external view returns (bool) {
        return _dispensedBy[batchId][dispenser].get(index);
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    /// @dev Also answers for `IDrugTrace`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IDrugTrace).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @inheritdoc IDrugTrace
    function batchIdOf(uint64 gtin, bytes32 lot) public pure returns (bytes32) {
        return keccak256(abi.encode(gtin, lot));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     PRIVATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Settles Pending shipment `shipmentId` as `outcome` (Accepted, Rejected or Cancelled) for its recipient
    /// (accept, reject) or sender (cancel), crediting the recipient (accept) or the sender back (reject, cancel).
    function _settleShipment(
        uint256 shipmentId,
        ShipmentState outcome
    ) private returns (bytes32 batchId, address sender, address recipient, uint32 quantity) {
        ShipmentRecord storage record = _shipments[shipmentId];
        ShipmentState current = record.state;
        if (current != ShipmentState.Pending) revert DrugTraceUnexpectedShipmentState(shipmentId, current);
        sender = _senderOf(shipmentId);
        recipient = record.recipient;
        if (outcome == ShipmentState.Cancelled) {
            if (msg.sender != sender) revert DrugTraceNotShipmentSender(shipmentId, msg.sender);
        } else if (msg.sender != recipient) {
            revert DrugTraceNotShipmentRecipient(shipmentId, msg.sender);
        }
        batchId = record.batchId;
        quantity = record.quantity;

        record.state = outcome;
        _giveHolding(batchId, outcome == ShipmentState.Accepted ? recipient : sender, quantity);
    }

    /// @dev Takes `quantity` units of batch `batchId` from `holder`'s holding, or reverts with
    /// `DrugTraceInsufficientHolding`.
    function _takeHolding(
        bytes32 batchId,
        address manufacturer,
        uint32 unitCount,
        address holder,
        uint256 quantity
    ) private {
        uint256 entry = _custody[batchId][holder];
        bool isManufacturer = holder == manufacturer;
        uint256 holding = isManufacturer ? unitCount - entry : entry;
        if (holding < quantity) revert DrugTraceInsufficientHolding(batchId, holder, holding, quantity);
        // Cannot wrap: for the manufacturer entry + quantity <= entry + holding = unitCount < 2^32; for anyone else
        // quantity <= holding = entry.
        unchecked {
            _custody[batchId][holder] = isManufacturer ? entry + quantity : entry - quantity;
        }
    }

    /// @dev Adds `quantity` units of batch `batchId` to `holder`'s holding. For the manufacturer the units released
    /// shrink; conservation keeps them >= `quantity` (the units came from it), and checked arithmetic guards it.
    function _giveHolding(bytes32 batchId, address holder, uint256 quantity) private {
        if (holder == _batches[batchId].manufacturer) _custody[batchId][holder] -= quantity;
        else _custody[batchId][holder] += quantity;
    }

    /// @dev Reverts with `DrugTraceUnexpectedBatchState` unless `current` is one of `expectedStates`: the one
    /// lifecycle guard of the batch state machine.
    function _requireBatchState(bytes32 batchId, BatchState current, bytes32 expectedStates) private pure {
        if (bytes32(uint256(1) << uint8(current)) & expectedStates == bytes32(0)) {
            revert DrugTraceUnexpectedBatchState(batchId, current, expectedStates);
        }
    }

    /// @dev Reverts with `DrugTraceNotManufacturerOrRegulator` unless the caller is `manufacturer` holding
    /// `MANUFACTURER_ROLE` or holds `REGULATOR_ROLE`.
    function _requireManufacturerOrRegulator(bytes32 batchId, address manufacturer) private view {
        bool allowed =
            (msg.sender == manufacturer && hasRole(MANUFACTURER_ROLE, msg.sender)) ||
                hasRole(REGULATOR_ROLE, msg.sender);
        if (!allowed) revert DrugTraceNotManufacturerOrRegulator(batchId, msg.sender);
    }

    /// @dev `holder`'s holding of batch `batchId` (see `_custody`).
    function _holding(
        bytes32 batchId,
        address manufacturer,
        uint32 unitCount,
        address holder
    ) private view returns (uint256) {
        uint256 entry = _custody[batchId][holder];
        return holder == manufacturer ? unitCount - entry : entry;
    }

    /// @dev The batch's state, Expired derived for an Active batch past its expiry.
    function _stateOf(Batch storage record) private view returns (BatchState) {
        BatchState stored = record.state;
        if (stored == BatchState.Active && block.timestamp > record.expiry) return BatchState.Expired;
        return stored;
    }

    /// @dev Whether `account` holds a trade role; checked in the order shipments most often need.
    function _isTradePartner(address account) private view returns (bool) {
        return
            hasRole(DISTRIBUTOR_ROLE, account) ||
            hasRole(DISPENSER_ROLE, account) ||
            hasRole(MANUFACTURER_ROLE, account);
    }

    /// @dev The batch states a suspect flag may be resolved as `resolution` in.
    function _statesResolvableAs(Resolution resolution) private pure returns (bytes32) {
        if (resolution == Resolution.Quarantined) return _LIVE;
        if (resolution == Resolution.Recalled) return _REGISTERED;
        return _ANY;
    }

    /// @dev The flag state a resolution leaves.
    function _flagStateOf(Resolution resolution) private pure returns (FlagState) {
        if (resolution == Resolution.Quarantined) return FlagState.Quarantined;
        if (resolution == Resolution.Recalled) return FlagState.Recalled;
        return FlagState.Cleared;
    }

    /// @dev The sender of shipment `shipmentId`: its low 160 bits.
    function _senderOf(uint256 shipmentId) private pure returns (address) {
        return address(uint160(shipmentId));
    }

    /// @dev The OpenZeppelin `StandardMerkleTree` leaf of (`index`, `serial`), types ["uint256", "bytes32"].
    function _leaf(uint256 index, bytes32 serial) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, serial))));
    }

    /// @dev Whether `gtin` is a GTIN-14: not zero, below 10^14, and a GS1 mod-10 check digit that matches. From the
    /// right, the 13 data digits weigh 3, 1, 3, 1, ...; the check digit is (10 − sum mod 10) mod 10.
    function _isValidGtin(uint64 gtin) private pure returns (bool) {
        if (gtin == 0 || gtin >= _GTIN_LIMIT) return false;
        uint256 rest = gtin / 10;
        uint256 sum;
        // Cannot overflow: at most 13 digits, sum <= 13 * 27. Seven pairs cover the 13 data digits (the last pair's
        // second digit is zero). A constant bound, not a loop over user input.
        unchecked {
            for (uint256 pair; pair < 7; ++pair) {
                sum += (rest % 10) * 3;
                rest /= 10;
                sum += rest % 10;
                rest /= 10;
            }
        }
        return (10 - (sum % 10)) % 10 == gtin % 10;
    }
}
