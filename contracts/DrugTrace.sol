// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {BitMaps} from "@openzeppelin/contracts/utils/structs/BitMaps.sol";

import {IDrugTrace} from "./interfaces/IDrugTrace.sol";
import {Gtin} from "./libraries/Gtin.sol";

/// @title DrugTrace
/// @notice Serialized drug batches, two-phase custody, dispensing, public verification, recall and quarantine.
/// See `IDrugTrace`.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` (one holder, transferred with a delay through `AccessControlDefaultAdminRules`)
/// grants every other role and binds, transfers and revokes GS1 Company Prefixes: who owns a GTIN decides which
/// batches are genuine, so it sits with the most guarded key, not with the regulator's key in daily use. `MANUFACTURER_ROLE`, `DISTRIBUTOR_ROLE` and `DISPENSER_ROLE` are the trade roles;
/// `REGULATOR_ROLE` recalls, resolves flags, releases quarantines, names trade partners and unbinds leaked sensors;
/// `SENSOR_ROLE` reports excursions (once a trade partner has bound the sensor); `PAUSER_ROLE` pauses and unpauses.
/// Not upgradeable.
contract DrugTrace is IDrugTrace, AccessControlDefaultAdminRules, Pausable {
    using BitMaps for BitMaps.BitMap;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev What storage keeps of a batch (returned as `IDrugTrace.Batch`); `state` is never Expired here.
    /// slot 0: `manufacturer` (bits 0..159) | `expiry` (160..207) | `unitCount` (208..239) | `state` (240..247) |
    /// `quarantineOrigin` (248..255); slot 1: `serialsRoot`. The GTIN, lot and metadata hash are in
    /// `BatchRegistered` only.
    struct BatchRecord {
        address manufacturer;
        uint48 expiry;
        uint32 unitCount;
        BatchState state;
        QuarantineOrigin quarantineOrigin;
        bytes32 serialsRoot;
    }

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

    /// @dev What storage keeps of a suspect flag (returned as `IDrugTrace.SuspectFlag`).
    /// slot 0: `batchId`; slot 1: `reporter` (bits 0..159) | `flaggedAt` (160..207) | `verdict` (208..215) |
    /// `state` (216..223); slot 2: `evidenceHash`. The unit's index and serial are in `SuspectFlagged` only.
    struct SuspectFlagRecord {
        bytes32 batchId;
        address reporter;
        uint48 flaggedAt;
        UnitStatus verdict;
        FlagState state;
        bytes32 evidenceHash;
    }

    /// @dev What storage keeps of a company prefix binding (returned as `IDrugTrace.CompanyPrefix`).
    /// slot 0: `owner` (bits 0..159) | `epoch` (160..191) | `descendants` (192..223).
    struct CompanyPrefixRecord {
        address owner;
        uint32 epoch;
        uint32 descendants;
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

    /// @inheritdoc IDrugTrace
    uint256 public constant MAX_OPEN_FLAGS = 32;

    /// @inheritdoc IDrugTrace
    uint256 public constant MAX_NAME_LENGTH = 64;

    /// @dev GS1 Company Prefixes have 6 to 12 digits (GS1 General Specifications, for GTINs of regulated healthcare
    /// items as the issue fixes it).
    uint8 private constant _MIN_PREFIX_LENGTH = 6;
    uint8 private constant _MAX_PREFIX_LENGTH = 12;

    /// @dev Expected-states bitmaps (bit `uint8(state)` set for each allowed state) for the batch lifecycle guard.
    bytes32 private constant _ACTIVE_STATES = bytes32(1 << uint8(BatchState.Active));
    bytes32 private constant _QUARANTINED_STATES = bytes32(1 << uint8(BatchState.Quarantined));
    /// @dev A recalled or expired batch may still travel back to its manufacturer.
    bytes32 private constant _RETURNABLE_STATES = bytes32(
        (1 << uint8(BatchState.Active)) | (1 << uint8(BatchState.Recalled)) | (1 << uint8(BatchState.Expired))
    );
    /// @dev States a recall or a quarantine may start from.
    bytes32 private constant _LIVE_STATES = bytes32(
        (1 << uint8(BatchState.Active)) | (1 << uint8(BatchState.Quarantined)) | (1 << uint8(BatchState.Expired))
    );
    bytes32 private constant _REGISTERED_STATES = _LIVE_STATES | bytes32(1 << uint8(BatchState.Recalled));
    bytes32 private constant _ANY_STATES = _REGISTERED_STATES | bytes32(1 << uint8(BatchState.None));
    /// @dev Expected-states bitmap of the shipment guard: only a Pending shipment is settled or reported on.
    bytes32 private constant _PENDING_SHIPMENT_STATES = bytes32(1 << uint8(ShipmentState.Pending));
    /// @dev Expected-states bitmap of the flag guard: only an Open flag is resolved.
    bytes32 private constant _OPEN_FLAG_STATES = bytes32(1 << uint8(FlagState.Open));

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Shipments sent so far (the last sequence number). Declared first so that it shares a slot with
    /// `Pausable._paused`, which every `ship` reads anyway: the counter's read is then warm.
    uint64 private _shipmentSequence;

    /// @dev Suspect flags raised so far (the last id); same slot as `_shipmentSequence`.
    uint64 private _flagCount;

    /// @dev Registered batches (layout in `BatchRecord`); `state` is never Expired here.
    mapping(bytes32 batchId => BatchRecord) private _batches;

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

    /// @dev Suspect flags by id (layout in `SuspectFlagRecord`).
    mapping(uint256 flagId => SuspectFlagRecord) private _flags;

    /// @dev Open flags per reporter, at most `MAX_OPEN_FLAGS`.
    mapping(address reporter => uint256 open) private _openFlags;

    /// @dev Company prefixes by key `10^length + prefix` (a leading 1 keeps the prefix's leading zeros apart:
    /// "0614141" is 10614141, "614141" 1614141); layout in `CompanyPrefixRecord`.
    mapping(uint64 prefixKey => CompanyPrefixRecord) private _companyPrefixes;

    /// @dev The prefix epoch in which the brand owner authorized each contract manufacturer; valid while it equals
    /// the prefix's current epoch (epochs start at 1, so zero is never valid).
    mapping(uint64 prefixKey => mapping(address manufacturer => uint32 epoch)) private _contractManufacturers;

    /// @dev Public display names of participants (company names).
    mapping(address account => string name) private _names;

    /// @dev The trade partner each sensor reports for.
    mapping(address sensor => address custodian) private _custodians;

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
        uint8 prefixLength,
        bytes32 lot,
        uint48 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 metadataHash
    ) external whenNotPaused onlyRole(MANUFACTURER_ROLE) returns (bytes32 batchId) {
        if (!Gtin.isValid(gtin)) revert DrugTraceInvalidGtin(gtin);
        _checkMayRegister(gtin, prefixLength);
        if (lot == bytes32(0)) revert DrugTraceEmptyLot();
        if (unitCount == 0) revert DrugTraceZeroUnitCount();
        if (serialsRoot == bytes32(0)) revert DrugTraceZeroSerialsRoot();
        if (expiry < block.timestamp) revert DrugTraceExpiryInPast(expiry, uint48(block.timestamp));
        batchId = batchIdOf(gtin, lot);
        if (_batches[batchId].state != BatchState.None) revert DrugTraceBatchAlreadyRegistered(batchId);

        _batches[batchId] = BatchRecord({
            manufacturer: msg.sender,
            expiry: expiry,
            unitCount: unitCount,
            state: BatchState.Active,
            quarantineOrigin: QuarantineOrigin.None,
            serialsRoot: serialsRoot
        });
        emit BatchRegistered(batchId, msg.sender, gtin, lot, expiry, unitCount, serialsRoot, metadataHash);
    }

    /// @inheritdoc IDrugTrace
    function ship(bytes32 batchId, address to, uint32 quantity) external whenNotPaused returns (uint256 shipmentId) {
        if (quantity == 0) revert DrugTraceZeroQuantity();
        if (to == msg.sender) revert DrugTraceShipmentToSelf(to);
        if (!_isTradePartner(to)) revert DrugTraceNotTradePartner(to);
        BatchRecord storage record = _batches[batchId];
        address manufacturer = record.manufacturer;
        _validateBatchStateBitmap(batchId, to == manufacturer ? _RETURNABLE_STATES : _ACTIVE_STATES);
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
        BatchRecord storage record = _batches[batchId];
        _validateBatchStateBitmap(batchId, _ACTIVE_STATES);
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
        BatchRecord storage record = _batches[batchId];
        _validateBatchStateBitmap(batchId, _LIVE_STATES);
        _checkManufacturerOrRegulator(batchId, record.manufacturer);

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
        _validateBatchStateBitmap(batchId, _REGISTERED_STATES);
        uint256 open = _openFlags[msg.sender];
        if (open >= MAX_OPEN_FLAGS) revert DrugTraceTooManyOpenFlags(msg.sender, MAX_OPEN_FLAGS);

        // Cannot overflow: open < MAX_OPEN_FLAGS.
        unchecked {
            _openFlags[msg.sender] = open + 1;
        }
        flagId = ++_flagCount;
        _flags[flagId] = SuspectFlagRecord({
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
        _validateFlagStateBitmap(flagId, _OPEN_FLAG_STATES);
        SuspectFlagRecord storage flag = _flags[flagId];
        bytes32 batchId = flag.batchId;
        BatchRecord storage record = _batches[batchId];
        BatchState state = _validateBatchStateBitmap(batchId, _statesResolvableAs(resolution));

        flag.state = _flagStateOf(resolution);
        // Cannot underflow: an Open flag counts once in its reporter's open flags.
        unchecked {
            --_openFlags[flag.reporter];
        }
        emit SuspectResolved(batchId, flagId, msg.sender, resolution);
        if (resolution == Resolution.Quarantined) {
            // A regulator's decision outranks an excursion quarantine: from now on only a regulator releases it.
            if (state != BatchState.Quarantined || record.quarantineOrigin != QuarantineOrigin.Regulator) {
                _quarantine(batchId, record, QuarantineOrigin.Regulator);
            }
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
        address custodian = _custodianOfCaller();
        BatchRecord storage record = _batches[batchId];
        BatchState state = _validateBatchStateBitmap(batchId, _LIVE_STATES);
        if (_holding(batchId, record.manufacturer, record.unitCount, custodian) == 0) {
            revert DrugTraceBatchNotInCustody(batchId, custodian, msg.sender);
        }

        _recordExcursion(batchId, record, state, custodian, readingHash, extremeCentiCelsius);
    }

    /// @inheritdoc IDrugTrace
    function reportShipmentExcursion(
        uint256 shipmentId,
        bytes32 readingHash,
        int16 extremeCentiCelsius
    ) external whenNotPaused onlyRole(SENSOR_ROLE) {
        address custodian = _custodianOfCaller();
        _validateShipmentStateBitmap(shipmentId, _PENDING_SHIPMENT_STATES);
        ShipmentRecord storage sent = _shipments[shipmentId];
        bytes32 batchId = sent.batchId;
        if (custodian != sent.recipient && custodian != _senderOf(shipmentId)) {
            revert DrugTraceBatchNotInCustody(batchId, custodian, msg.sender);
        }
        BatchRecord storage record = _batches[batchId];
        BatchState state = _validateBatchStateBitmap(batchId, _LIVE_STATES);

        _recordExcursion(batchId, record, state, custodian, readingHash, extremeCentiCelsius);
    }

    /// @inheritdoc IDrugTrace
    function releaseQuarantine(bytes32 batchId) external whenNotPaused {
        BatchRecord storage record = _batches[batchId];
        _validateBatchStateBitmap(batchId, _QUARANTINED_STATES);
        QuarantineOrigin origin = record.quarantineOrigin;
        if (origin == QuarantineOrigin.Regulator) {
            if (!hasRole(REGULATOR_ROLE, msg.sender)) revert DrugTraceQuarantinedByRegulator(batchId, msg.sender);
        } else {
            _checkManufacturerOrRegulator(batchId, record.manufacturer);
        }

        record.state = BatchState.Active;
        record.quarantineOrigin = QuarantineOrigin.None;
        emit QuarantineReleased(batchId, msg.sender, origin);
    }

    /// @inheritdoc IDrugTrace
    function bindCompanyPrefix(
        uint64 prefix,
        uint8 prefixLength,
        address owner,
        string calldata name
    ) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) {
        CompanyPrefixRecord storage record = _prefixRecordFor(prefix, prefixLength, owner);
        address current = record.owner;
        if (current != address(0)) revert DrugTraceCompanyPrefixAlreadyBound(prefix, prefixLength, current);
        if (record.descendants != 0) revert DrugTraceCompanyPrefixOverlaps(prefix, prefixLength);
        // At most six shorter prefixes: a constant bound, not a loop over user input.
        for (uint8 shorter = _MIN_PREFIX_LENGTH; shorter < prefixLength; ++shorter) {
            if (_companyPrefixes[_ancestorKey(prefix, prefixLength, shorter)].owner != address(0)) {
                revert DrugTraceCompanyPrefixOverlaps(prefix, prefixLength);
            }
        }
        _checkNameFor(owner, name);

        for (uint8 shorter = _MIN_PREFIX_LENGTH; shorter < prefixLength; ++shorter) {
            ++_companyPrefixes[_ancestorKey(prefix, prefixLength, shorter)].descendants;
        }
        uint32 epoch = _assignCompanyPrefix(record, owner);
        emit CompanyPrefixBound(prefix, prefixLength, owner, msg.sender, epoch);
        if (bytes(name).length != 0) _setName(owner, name);
    }

    /// @inheritdoc IDrugTrace
    function transferCompanyPrefix(
        uint64 prefix,
        uint8 prefixLength,
        address newOwner,
        string calldata name
    ) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) {
        CompanyPrefixRecord storage record = _prefixRecordFor(prefix, prefixLength, newOwner);
        address previous = record.owner;
        if (previous == address(0)) revert DrugTraceCompanyPrefixNotBound(prefix, prefixLength);
        _checkNameFor(newOwner, name);

        uint32 epoch = _assignCompanyPrefix(record, newOwner);
        emit CompanyPrefixTransferred(prefix, prefixLength, previous, newOwner, msg.sender, epoch);
        if (bytes(name).length != 0) _setName(newOwner, name);
    }

    /// @inheritdoc IDrugTrace
    function revokeCompanyPrefix(
        uint64 prefix,
        uint8 prefixLength
    ) external whenNotPaused onlyRole(DEFAULT_ADMIN_ROLE) {
        uint64 key = _prefixKey(prefix, prefixLength);
        CompanyPrefixRecord storage record = _companyPrefixes[key];
        address owner = record.owner;
        if (owner == address(0)) revert DrugTraceCompanyPrefixNotBound(prefix, prefixLength);

        // Each counter was raised when this prefix was bound, so it is at least one: checked arithmetic only guards.
        for (uint8 shorter = _MIN_PREFIX_LENGTH; shorter < prefixLength; ++shorter) {
            --_companyPrefixes[_ancestorKey(prefix, prefixLength, shorter)].descendants;
        }
        record.owner = address(0);
        emit CompanyPrefixRevoked(prefix, prefixLength, owner, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function authorizeContractManufacturer(
        uint64 prefix,
        uint8 prefixLength,
        address manufacturer
    ) external whenNotPaused {
        (uint64 key, uint32 epoch) = _checkPrefixOwner(prefix, prefixLength);
        if (manufacturer == address(0)) revert DrugTraceZeroAccount();
        mapping(address => uint32) storage authorized = _contractManufacturers[key];
        if (authorized[manufacturer] == epoch) {
            revert DrugTraceContractManufacturerAlreadyAuthorized(prefix, prefixLength, manufacturer);
        }

        authorized[manufacturer] = epoch;
        emit ContractManufacturerAuthorized(prefix, prefixLength, manufacturer, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function deauthorizeContractManufacturer(
        uint64 prefix,
        uint8 prefixLength,
        address manufacturer
    ) external whenNotPaused {
        (uint64 key, uint32 epoch) = _checkPrefixOwner(prefix, prefixLength);
        mapping(address => uint32) storage authorized = _contractManufacturers[key];
        if (authorized[manufacturer] != epoch) {
            revert DrugTraceNotContractManufacturer(prefix, prefixLength, manufacturer);
        }

        delete authorized[manufacturer];
        emit ContractManufacturerDeauthorized(prefix, prefixLength, manufacturer, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function setParticipantName(address account, string calldata name) external whenNotPaused onlyRole(REGULATOR_ROLE) {
        if (account == address(0)) revert DrugTraceZeroAccount();
        _checkValidName(name);

        _setName(account, name);
    }

    /// @inheritdoc IDrugTrace
    function bindSensor(address sensor) external whenNotPaused {
        if (!_isTradePartner(msg.sender)) revert DrugTraceNotTradePartner(msg.sender);
        if (sensor == address(0)) revert DrugTraceZeroAccount();
        address current = _custodians[sensor];
        if (current != address(0)) revert DrugTraceSensorAlreadyBound(sensor, current);

        _custodians[sensor] = msg.sender;
        emit SensorBound(sensor, msg.sender);
    }

    /// @inheritdoc IDrugTrace
    function unbindSensor(address sensor) external whenNotPaused {
        address custodian = _custodians[sensor];
        if (custodian == address(0)) revert DrugTraceSensorNotBound(sensor);
        if (msg.sender != custodian && !hasRole(REGULATOR_ROLE, msg.sender)) {
            revert DrugTraceNotSensorCustodian(sensor, msg.sender);
        }

        delete _custodians[sensor];
        emit SensorUnbound(sensor, custodian, msg.sender);
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
        BatchRecord storage record = _batches[batchId];
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
    function batchOf(bytes32 batchId) external view returns (Batch memory) {
        BatchRecord storage record = _batches[batchId];
        BatchState state = _stateOf(record);
        return
            Batch({
                manufacturer: record.manufacturer,
                expiry: record.expiry,
                unitCount: record.unitCount,
                state: state,
                quarantineOrigin: state == BatchState.Quarantined ? record.quarantineOrigin : QuarantineOrigin.None,
                serialsRoot: record.serialsRoot
            });
    }

    /// @inheritdoc IDrugTrace
    function batchStateOf(bytes32 batchId) external view returns (BatchState) {
        return _stateOf(_batches[batchId]);
    }

    /// @inheritdoc IDrugTrace
    function holdingOf(bytes32 batchId, address holder) external view returns (uint256) {
        BatchRecord storage record = _batches[batchId];
        return _holding(batchId, record.manufacturer, record.unitCount, holder);
    }

    /// @inheritdoc IDrugTrace
    function shipmentOf(uint256 shipmentId) external view returns (Shipment memory) {
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
    function shipmentStateOf(uint256 shipmentId) external view returns (ShipmentState) {
        return _shipments[shipmentId].state;
    }

    /// @inheritdoc IDrugTrace
    function suspectFlagOf(uint256 flagId) external view returns (SuspectFlag memory) {
        SuspectFlagRecord storage record = _flags[flagId];
        return
            SuspectFlag({
                batchId: record.batchId,
                reporter: record.reporter,
                flaggedAt: record.flaggedAt,
                verdict: record.verdict,
                state: record.state,
                evidenceHash: record.evidenceHash
            });
    }

    /// @inheritdoc IDrugTrace
    function isDispensed(bytes32 batchId, uint256 index) external view returns (bool) {
        return _dispensed[batchId].get(index);
    }

    /// @inheritdoc IDrugTrace
    function isDispensedBy(bytes32 batchId, uint256 index, address dispenser) external view returns (bool) {
        return _dispensedBy[batchId][dispenser].get(index);
    }

    /// @inheritdoc IDrugTrace
    function nameOf(address account) external view returns (string memory) {
        return _names[account];
    }

    /// @inheritdoc IDrugTrace
    function prefixBindingOf(uint64 prefix, uint8 prefixLength) external view returns (CompanyPrefix memory) {
        CompanyPrefixRecord storage record = _companyPrefixes[_prefixKey(prefix, prefixLength)];
        return CompanyPrefix({owner: record.owner, epoch: record.epoch, descendants: record.descendants});
    }

    /// @inheritdoc IDrugTrace
    function companyPrefixOf(uint64 gtin) external view returns (uint64 prefix, uint8 prefixLength, address owner) {
        if (!Gtin.isValid(gtin)) return (0, 0, address(0));
        // Seven lengths, a constant bound; bound prefixes never overlap, so at most one matches.
        for (uint8 tried = _MIN_PREFIX_LENGTH; tried <= _MAX_PREFIX_LENGTH; ++tried) {
            uint64 key = _gtinPrefixKey(gtin, tried);
            address bound = _companyPrefixes[key].owner;
            if (bound != address(0)) return (key - uint64(10) ** tried, tried, bound);
        }
    }

    /// @inheritdoc IDrugTrace
    function isContractManufacturer(uint64 prefix, uint8 prefixLength, address account) external view returns (bool) {
        uint64 key = _prefixKey(prefix, prefixLength);
        CompanyPrefixRecord storage record = _companyPrefixes[key];
        return record.owner != address(0) && _contractManufacturers[key][account] == record.epoch;
    }

    /// @inheritdoc IDrugTrace
    function custodianOf(address sensor) external view returns (address) {
        return _custodians[sensor];
    }

    /// @inheritdoc IDrugTrace
    function openFlagsOf(address reporter) external view returns (uint256) {
        return _openFlags[reporter];
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
        _validateShipmentStateBitmap(shipmentId, _PENDING_SHIPMENT_STATES);
        ShipmentRecord storage record = _shipments[shipmentId];
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

    /// @dev Quarantines batch `batchId` (Active, Expired or Quarantined) with `origin`.
    function _quarantine(bytes32 batchId, BatchRecord storage record, QuarantineOrigin origin) private {
        record.state = BatchState.Quarantined;
        record.quarantineOrigin = origin;
        emit BatchQuarantined(batchId, msg.sender, origin);
    }

    /// @dev Records an excursion reported by the calling sensor for `custodian`, quarantining the batch (origin
    /// Excursion) unless it already is quarantined, whatever the origin.
    function _recordExcursion(
        bytes32 batchId,
        BatchRecord storage record,
        BatchState state,
        address custodian,
        bytes32 readingHash,
        int16 extremeCentiCelsius
    ) private {
        emit ExcursionReported(batchId, msg.sender, custodian, readingHash, extremeCentiCelsius);
        if (state != BatchState.Quarantined) _quarantine(batchId, record, QuarantineOrigin.Excursion);
    }

    /// @dev The record of company prefix (`prefix`, `prefixLength`) that `owner` is to own, or reverts with
    /// `DrugTraceInvalidPrefixLength`, `DrugTraceInvalidCompanyPrefix` or `DrugTraceZeroAccount`.
    function _prefixRecordFor(
        uint64 prefix,
        uint8 prefixLength,
        address owner
    ) private view returns (CompanyPrefixRecord storage) {
        uint64 key = _prefixKey(prefix, prefixLength);
        if (owner == address(0)) revert DrugTraceZeroAccount();
        return _companyPrefixes[key];
    }

    /// @dev Binds the prefix of `record` to `owner` in a new epoch (voiding every earlier contract-manufacturer
    /// authorization); returns the epoch.
    function _assignCompanyPrefix(CompanyPrefixRecord storage record, address owner) private returns (uint32 epoch) {
        epoch = record.epoch + 1;
        record.owner = owner;
        record.epoch = epoch;
    }

    /// @dev Sets `account`'s display name and emits `ParticipantNamed`.
    function _setName(address account, string calldata name) private {
        _names[account] = name;
        emit ParticipantNamed(account, name, msg.sender);
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

    /// @dev The one lifecycle guard of the batch state machine (OpenZeppelin Governor's pattern): returns batch
    /// `batchId`'s state, or reverts with `DrugTraceUnexpectedBatchState` unless its bit is in `allowedStates`.
    function _validateBatchStateBitmap(
        bytes32 batchId,
        bytes32 allowedStates
    ) private view returns (BatchState current) {
        current = _stateOf(_batches[batchId]);
        if (_encodeStateBitmap(current) & allowedStates == 0) {
            revert DrugTraceUnexpectedBatchState(batchId, current, allowedStates);
        }
    }

    /// @dev The guard of the shipment state machine: returns shipment `shipmentId`'s state, or reverts with
    /// `DrugTraceUnexpectedShipmentState` unless its bit is in `allowedStates`.
    function _validateShipmentStateBitmap(
        uint256 shipmentId,
        bytes32 allowedStates
    ) private view returns (ShipmentState current) {
        current = _shipments[shipmentId].state;
        if (_encodeStateBitmap(current) & allowedStates == 0) {
            revert DrugTraceUnexpectedShipmentState(shipmentId, current, allowedStates);
        }
    }

    /// @dev The guard of the suspect-flag state machine: returns flag `flagId`'s state, or reverts with
    /// `DrugTraceUnexpectedFlagState` unless its bit is in `allowedStates`.
    function _validateFlagStateBitmap(uint256 flagId, bytes32 allowedStates) private view returns (FlagState current) {
        current = _flags[flagId].state;
        if (_encodeStateBitmap(current) & allowedStates == 0) {
            revert DrugTraceUnexpectedFlagState(flagId, current, allowedStates);
        }
    }

    /// @dev Reverts with `DrugTraceGtinNotAuthorized` unless the caller owns the company prefix of `gtin` that is
    /// `prefixLength` digits long, or is a contract manufacturer its owner authorized in the prefix's current epoch.
    /// One storage read for the owner (owner and epoch share a slot), one more for a contract manufacturer.
    function _checkMayRegister(uint64 gtin, uint8 prefixLength) private view {
        if (prefixLength < _MIN_PREFIX_LENGTH || prefixLength > _MAX_PREFIX_LENGTH) {
            revert DrugTraceInvalidPrefixLength(prefixLength);
        }
        uint64 key = _gtinPrefixKey(gtin, prefixLength);
        CompanyPrefixRecord storage record = _companyPrefixes[key];
        address owner = record.owner;
        if (owner == msg.sender) return; // msg.sender is never zero, so an unbound prefix never passes here.
        if (owner == address(0) || _contractManufacturers[key][msg.sender] != record.epoch) {
            revert DrugTraceGtinNotAuthorized(gtin, prefixLength, msg.sender);
        }
    }

    /// @dev Reverts with `DrugTraceNotCompanyPrefixOwner` unless the caller owns bound prefix (`prefix`, `prefixLength`);
    /// returns its key and epoch.
    function _checkPrefixOwner(uint64 prefix, uint8 prefixLength) private view returns (uint64 key, uint32 epoch) {
        key = _prefixKey(prefix, prefixLength);
        CompanyPrefixRecord storage record = _companyPrefixes[key];
        if (record.owner != msg.sender) revert DrugTraceNotCompanyPrefixOwner(prefix, prefixLength, msg.sender);
        epoch = record.epoch;
    }

    /// @dev The custodian the calling sensor reports for, or reverts with `DrugTraceSensorNotBound`.
    function _custodianOfCaller() private view returns (address custodian) {
        custodian = _custodians[msg.sender];
        if (custodian == address(0)) revert DrugTraceSensorNotBound(msg.sender);
    }

    /// @dev Reverts with `DrugTraceInvalidName` unless `owner` ends up named: `name` is valid and not empty, or empty
    /// while `owner` already has a name.
    function _checkNameFor(address owner, string calldata name) private view {
        if (bytes(name).length == 0) {
            if (bytes(_names[owner]).length == 0) revert DrugTraceInvalidName(name);
        } else {
            _checkValidName(name);
        }
    }

    /// @dev Reverts with `DrugTraceNotManufacturerOrRegulator` unless the caller is `manufacturer` holding
    /// `MANUFACTURER_ROLE` or holds `REGULATOR_ROLE`.
    function _checkManufacturerOrRegulator(bytes32 batchId, address manufacturer) private view {
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
    function _stateOf(BatchRecord storage record) private view returns (BatchState) {
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
        if (resolution == Resolution.Quarantined) return _LIVE_STATES;
        if (resolution == Resolution.Recalled) return _REGISTERED_STATES;
        return _ANY_STATES;
    }

    /// @dev The flag state a resolution leaves.
    function _flagStateOf(Resolution resolution) private pure returns (FlagState) {
        if (resolution == Resolution.Quarantined) return FlagState.Quarantined;
        if (resolution == Resolution.Recalled) return FlagState.Recalled;
        return FlagState.Cleared;
    }

    /// @dev The expected-states bitmap with only `state`'s bit (bit `uint8(state)`) set.
    function _encodeStateBitmap(BatchState state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /// @dev The expected-states bitmap with only `state`'s bit set.
    function _encodeStateBitmap(ShipmentState state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /// @dev The expected-states bitmap with only `state`'s bit set.
    function _encodeStateBitmap(FlagState state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /// @dev The sender of shipment `shipmentId`: its low 160 bits.
    function _senderOf(uint256 shipmentId) private pure returns (address) {
        return address(uint160(shipmentId));
    }

    /// @dev The OpenZeppelin `StandardMerkleTree` leaf of (`index`, `serial`), types ["uint256", "bytes32"].
    function _leaf(uint256 index, bytes32 serial) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, serial))));
    }

    /// @dev Reverts with `DrugTraceInvalidName` when `name` is longer than `MAX_NAME_LENGTH` bytes or holds an ASCII
    /// control character (a name is printed in terminals and pages; it must not move the cursor or fake a line).
    function _checkValidName(string calldata name) private pure {
        bytes calldata raw = bytes(name);
        if (raw.length > MAX_NAME_LENGTH) revert DrugTraceInvalidName(name);
        // At most MAX_NAME_LENGTH bytes: a constant bound.
        for (uint256 i; i < raw.length; ++i) {
            bytes1 char = raw[i];
            if (char < 0x20 || char == 0x7f) revert DrugTraceInvalidName(name);
        }
    }

    /// @dev The storage key of company prefix (`prefix`, `prefixLength`), `10^prefixLength + prefix`, or reverts with
    /// `DrugTraceInvalidPrefixLength` or `DrugTraceInvalidCompanyPrefix`.
    function _prefixKey(uint64 prefix, uint8 prefixLength) private pure returns (uint64) {
        if (prefixLength < _MIN_PREFIX_LENGTH || prefixLength > _MAX_PREFIX_LENGTH) {
            revert DrugTraceInvalidPrefixLength(prefixLength);
        }
        uint64 scale = uint64(10) ** prefixLength;
        if (prefix >= scale) revert DrugTraceInvalidCompanyPrefix(prefix, prefixLength);
        return scale + prefix;
    }

    /// @dev The key of the `shorter`-digit prefix that the `prefixLength`-digit `prefix` starts with.
    function _ancestorKey(uint64 prefix, uint8 prefixLength, uint8 shorter) private pure returns (uint64) {
        return uint64(10) ** shorter + prefix / uint64(10) ** (prefixLength - shorter);
    }

    /// @dev The key of the `prefixLength`-digit company prefix of GTIN-14 `gtin` (6 <= `prefixLength` <= 12): the digits after
    /// the indicator digit (GTIN-14 digit 1), i.e. digits 2 to `prefixLength` + 1.
    function _gtinPrefixKey(uint64 gtin, uint8 prefixLength) private pure returns (uint64) {
        uint64 scale = uint64(10) ** prefixLength;
        return scale + ((gtin / uint64(10) ** (13 - prefixLength)) % scale);
    }
}
