// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IDrugTrace
/// @notice Serialized drug batches (GS1 GTIN, lot, serial), two-phase custody, dispensing, verification.
/// @dev A GTIN-14 is a `uint64`; lots and serials are GS1 alphanumeric strings of at most 20 characters,
/// carried as left-aligned, zero-padded `bytes32` (ethers `encodeBytes32String`).
///
/// A batch is (`gtin`, `lot`), identified by `batchIdOf(gtin, lot) = keccak256(abi.encode(gtin, lot))`. Its serials
/// are committed to by a Merkle root whose leaf for unit `index` is the OpenZeppelin `StandardMerkleTree` leaf of
/// types `["uint256", "bytes32"]`, values `[index, serial]`:
/// `keccak256(bytes.concat(keccak256(abi.encode(index, serial))))`, so a proof also proves the unit's index.
///
/// Custody is a quantity per holder per batch. Conservation holds for every batch at all times:
/// sum of `holdingOf` over all holders + units in pending shipments = `unitCount` − units dispensed.
///
/// `batchId` is the first indexed argument of every batch event, so one log filter on topic 1 returns the whole
/// journey of a batch.
///
/// Trust against dishonest participants: a GTIN belongs to the holder of its GS1 Company Prefix (bound by the
/// admin), so only that brand owner or a contract manufacturer it authorizes registers batches of it; a
/// regulator's quarantine is lifted only by a regulator; a sensor acts for the one custodian that bound it and only on
/// goods that custodian holds or ships or receives; a reporter has at most `MAX_OPEN_FLAGS` open flags, on registered
/// batches only. Participants have public display names (`nameOf`): company names, never personal data.
interface IDrugTrace {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice What `verifyUnit` says about one pack.
    /// @dev Unknown: no such batch, an index outside the batch or a proof that fails (a counterfeit code).
    enum UnitStatus {
        Unknown,
        Active,
        Dispensed,
        Recalled,
        Quarantined,
        Expired
    }

    /// @notice The lifecycle of a batch, as `batchStateOf` returns it.
    /// @dev Storage only ever holds None, Active, Quarantined or Recalled; Expired is derived from the clock for an
    /// Active batch whose expiry has passed.
    enum BatchState {
        None,
        Active,
        Quarantined,
        Recalled,
        Expired
    }

    /// @notice The lifecycle of a shipment: Pending until the recipient accepts or rejects it or the sender cancels.
    enum ShipmentState {
        None,
        Pending,
        Accepted,
        Rejected,
        Cancelled
    }

    /// @notice A regulator's decision on a suspect flag.
    /// @dev Cleared: unfounded, the batch is unaffected. Quarantined, Recalled: confirmed, the batch is put in that
    /// state (or stays in it).
    enum Resolution {
        Cleared,
        Quarantined,
        Recalled
    }

    /// @notice Why a batch is quarantined, which decides who may release it.
    /// @dev None: not quarantined. Excursion: a custodian's sensor reported a temperature excursion; the batch's
    /// manufacturer or a regulator may release it. Regulator: a regulator confirmed a suspect flag; only a regulator
    /// may release it. A regulator's decision on an excursion-quarantined batch turns its origin into Regulator.
    enum QuarantineOrigin {
        None,
        Excursion,
        Regulator
    }

    /// @notice The lifecycle of a suspect flag: Open until a regulator resolves it.
    enum FlagState {
        None,
        Open,
        Cleared,
        Quarantined,
        Recalled
    }

    /// @notice A registered batch.
    /// @dev The GTIN, lot and metadata hash are in `BatchRegistered` only.
    struct Batch {
        /// The manufacturer that registered the batch.
        address manufacturer;
        /// The last second (unix time) at which the units may be shipped onward or dispensed.
        uint48 expiry;
        /// The number of units (serials) in the batch; indexes run from 0 to `unitCount` − 1.
        uint32 unitCount;
        /// The batch's state. Stored: None, Active, Quarantined or Recalled; `batchOf` returns `batchStateOf`.
        BatchState state;
        /// Why the batch is quarantined; `batchOf` returns None unless the state is Quarantined.
        QuarantineOrigin quarantineOrigin;
        /// The Merkle root of the batch's (index, serial) leaves.
        bytes32 serialsRoot;
    }

    /// @notice A shipment, as `shipmentOf` returns it.
    struct Shipment {
        /// The holder that shipped (also bits 0..159 of the shipment id).
        address sender;
        /// The recipient the sender named; only it can accept or reject.
        address recipient;
        /// The batch shipped.
        bytes32 batchId;
        /// The number of units shipped.
        uint32 quantity;
        /// When the shipment was sent (unix time).
        uint48 shippedAt;
        /// The shipment's state.
        ShipmentState state;
    }

    /// @notice A GS1 Company Prefix binding, as `prefixBindingOf` returns it.
    struct CompanyPrefix {
        /// The brand owner the prefix is bound to; zero when never bound or revoked.
        address owner;
        /// Counts binds and transfers from 1; a contract manufacturer's authorization holds only for the epoch it was
        /// given in, so a transfer or a new binding voids every earlier one at once.
        uint32 epoch;
        /// How many bound prefixes are longer than this one and start with it (a bound prefix may not overlap
        /// another: GS1 never allocates one inside another).
        uint32 descendants;
    }

    /// @notice A suspect-product flag.
    /// @dev The unit's index and serial are in `SuspectFlagged`.
    struct SuspectFlag {
        /// The batch the suspect unit claims to belong to (registered: flags on unknown batches are refused).
        bytes32 batchId;
        /// The trade participant that raised the flag.
        address reporter;
        /// When the flag was raised (unix time).
        uint48 flaggedAt;
        /// What the reporter's verification said about the unit.
        UnitStatus verdict;
        /// Open, or how a regulator resolved it.
        FlagState state;
        /// Hash of the off-chain evidence (photos, scan logs), salted where it could be guessed.
        bytes32 evidenceHash;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A manufacturer registered a batch and holds all its units.
    /// @param batchId The batch id, `batchIdOf(gtin, lot)`.
    /// @param manufacturer The registering manufacturer.
    /// @param gtin The GTIN-14.
    /// @param lot The lot, left-aligned bytes32.
    /// @param expiry The last second at which the units may be shipped onward or dispensed.
    /// @param unitCount The number of units.
    /// @param serialsRoot The Merkle root of the (index, serial) leaves.
    /// @param metadataHash Hash of the off-chain batch metadata (product master data, certificate of analysis).
    event BatchRegistered(
        bytes32 indexed batchId,
        address indexed manufacturer,
        uint64 indexed gtin,
        bytes32 lot,
        uint48 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 metadataHash
    );

    /// @notice A holder shipped units to a named recipient; they are in transit until the recipient accepts or
    /// rejects them or the sender cancels.
    /// @param batchId The batch.
    /// @param shipmentId The new shipment's id.
    /// @param recipient The recipient the sender named.
    /// @param sender The shipping holder.
    /// @param quantity The number of units shipped.
    event ShipmentSent(
        bytes32 indexed batchId,
        uint256 indexed shipmentId,
        address indexed recipient,
        address sender,
        uint32 quantity
    );

    /// @notice The recipient accepted a shipment: the units moved into its holding.
    /// @param batchId The batch.
    /// @param shipmentId The shipment.
    /// @param recipient The accepting recipient.
    /// @param sender The shipment's sender.
    /// @param quantity The number of units received.
    event ShipmentAccepted(
        bytes32 indexed batchId,
        uint256 indexed shipmentId,
        address indexed recipient,
        address sender,
        uint32 quantity
    );

    /// @notice The recipient rejected a shipment: the units went back into the sender's holding.
    /// @param batchId The batch.
    /// @param shipmentId The shipment.
    /// @param recipient The rejecting recipient.
    /// @param sender The shipment's sender, credited again.
    /// @param quantity The number of units returned to the sender.
    event ShipmentRejected(
        bytes32 indexed batchId,
        uint256 indexed shipmentId,
        address indexed recipient,
        address sender,
        uint32 quantity
    );

    /// @notice The sender cancelled a shipment before acceptance: the units went back into its holding.
    /// @param batchId The batch.
    /// @param shipmentId The shipment.
    /// @param sender The cancelling sender, credited again.
    /// @param recipient The recipient the shipment was addressed to.
    /// @param quantity The number of units returned to the sender.
    event ShipmentCancelled(
        bytes32 indexed batchId,
        uint256 indexed shipmentId,
        address indexed sender,
        address recipient,
        uint32 quantity
    );

    /// @notice A dispenser decommissioned a unit (EU FMD): it left the supply chain for a patient.
    /// @param batchId The batch.
    /// @param index The unit's index.
    /// @param dispenser The pharmacy or hospital.
    /// @param serial The unit's serial.
    event UnitDispensed(bytes32 indexed batchId, uint256 indexed index, address indexed dispenser, bytes32 serial);

    /// @notice A batch was recalled. Final: a recalled batch is never dispensed or shipped again, except back to its
    /// manufacturer.
    /// @param batchId The batch.
    /// @param by The manufacturer or regulator that recalled it.
    /// @param reasonCode The recaller's reason code; `SUSPECT_CONFIRMED_REASON` when a regulator confirmed a
    /// suspect flag (see `SuspectResolved` in the same transaction).
    /// @param evidenceHash Hash of the off-chain evidence.
    event BatchRecalled(bytes32 indexed batchId, address indexed by, uint16 reasonCode, bytes32 evidenceHash);

    /// @notice A trade participant flagged a unit as suspect, e.g. a code that verified as anything but Active at a
    /// pharmacy counter (a duplicate-dispense alert when the verdict is Dispensed).
    /// @param batchId The batch the unit claims to belong to.
    /// @param flagId The new flag's id.
    /// @param reporter The participant that raised it.
    /// @param index The unit's index as scanned.
    /// @param serial The unit's serial as scanned.
    /// @param verdict What the reporter's verification said.
    /// @param evidenceHash Hash of the off-chain evidence.
    event SuspectFlagged(
        bytes32 indexed batchId,
        uint256 indexed flagId,
        address indexed reporter,
        uint256 index,
        bytes32 serial,
        UnitStatus verdict,
        bytes32 evidenceHash
    );

    /// @notice A regulator resolved a suspect flag; `BatchQuarantined` or `BatchRecalled` follows when the batch's
    /// state changed.
    /// @param batchId The flag's batch.
    /// @param flagId The flag.
    /// @param regulator The resolving regulator.
    /// @param resolution The decision.
    event SuspectResolved(
        bytes32 indexed batchId,
        uint256 indexed flagId,
        address indexed regulator,
        Resolution resolution
    );

    /// @notice A cold-chain sensor reported a temperature excursion; `BatchQuarantined` follows when the batch was
    /// not quarantined yet.
    /// @param batchId The batch.
    /// @param sensor The sensor oracle.
    /// @param custodian The trade partner the sensor acts for, which holds or ships or receives the goods.
    /// @param readingHash Hash of the off-chain sensor reading (device, time series, signature).
    /// @param extremeCentiCelsius The measured extreme temperature, in hundredths of a degree Celsius.
    event ExcursionReported(
        bytes32 indexed batchId,
        address indexed sensor,
        address indexed custodian,
        bytes32 readingHash,
        int16 extremeCentiCelsius
    );

    /// @notice A batch was quarantined (by a temperature excursion or a confirmed suspect flag): no shipping or
    /// dispensing until released or recalled. Also emitted when a regulator confirms a suspect flag on a batch an
    /// excursion had quarantined: the origin becomes Regulator.
    /// @param batchId The batch.
    /// @param by The sensor or regulator whose call quarantined it.
    /// @param origin Excursion or Regulator: who may release it.
    event BatchQuarantined(bytes32 indexed batchId, address indexed by, QuarantineOrigin origin);

    /// @notice A quarantine was lifted: the batch is Active again (or Expired, if its expiry passed meanwhile).
    /// @param batchId The batch.
    /// @param by The manufacturer or regulator that released it.
    /// @param origin The origin of the quarantine that was lifted.
    event QuarantineReleased(bytes32 indexed batchId, address indexed by, QuarantineOrigin origin);

    /// @notice The admin bound a GS1 Company Prefix to a brand owner.
    /// @param prefix The prefix's digits as a number (leading zeros implied by `prefixLength`).
    /// @param prefixLength The prefix's number of digits, 6 to 12.
    /// @param owner The brand owner.
    /// @param admin The admin that bound it.
    /// @param epoch The binding's epoch.
    event CompanyPrefixBound(
        uint64 indexed prefix,
        uint8 prefixLength,
        address indexed owner,
        address indexed admin,
        uint32 epoch
    );

    /// @notice The admin moved a company prefix to another brand owner; every contract-manufacturer authorization
    /// of the prefix lapsed.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param from The previous owner.
    /// @param to The new owner.
    /// @param admin The admin that moved it.
    /// @param epoch The new epoch.
    event CompanyPrefixTransferred(
        uint64 indexed prefix,
        uint8 prefixLength,
        address indexed from,
        address indexed to,
        address admin,
        uint32 epoch
    );

    /// @notice The admin revoked a company prefix: nobody registers its GTINs until it is bound again. Batches
    /// registered before stay as they are.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param owner The owner it was bound to.
    /// @param admin The admin that revoked it.
    event CompanyPrefixRevoked(uint64 indexed prefix, uint8 prefixLength, address indexed owner, address indexed admin);

    /// @notice A brand owner authorized a contract manufacturer to register GTINs of its prefix.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The contract manufacturer.
    /// @param owner The authorizing brand owner.
    event ContractManufacturerAuthorized(
        uint64 indexed prefix,
        uint8 prefixLength,
        address indexed manufacturer,
        address indexed owner
    );

    /// @notice A brand owner withdrew a contract manufacturer's authorization for its prefix.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The contract manufacturer.
    /// @param owner The brand owner.
    event ContractManufacturerDeauthorized(
        uint64 indexed prefix,
        uint8 prefixLength,
        address indexed manufacturer,
        address indexed owner
    );

    /// @notice A participant's public display name was set (empty: cleared).
    /// @param account The participant.
    /// @param name Its public company name.
    /// @param by The admin (binding a prefix) or regulator that set it.
    event ParticipantNamed(address indexed account, string name, address indexed by);

    /// @notice A trade partner bound a cold-chain sensor: the sensor reports for it alone.
    /// @param sensor The sensor oracle.
    /// @param custodian The trade partner it acts for.
    event SensorBound(address indexed sensor, address indexed custodian);

    /// @notice A sensor was unbound from its custodian; it reports nothing until bound again.
    /// @param sensor The sensor oracle.
    /// @param custodian The trade partner it acted for.
    /// @param by The custodian or a regulator.
    event SensorUnbound(address indexed sensor, address indexed custodian, address indexed by);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           ERRORS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `gtin` is not a GTIN-14: zero, 15 digits or more, or a wrong GS1 mod-10 check digit.
    /// @param gtin The refused GTIN.
    error DrugTraceInvalidGtin(uint64 gtin);

    /// @notice The lot is empty (zero).
    error DrugTraceEmptyLot();

    /// @notice A batch must have at least one unit.
    error DrugTraceZeroUnitCount();

    /// @notice The serials root is zero, which no proof can match.
    error DrugTraceZeroSerialsRoot();

    /// @notice The expiry is before the current block's time.
    /// @param expiry The refused expiry.
    /// @param currentTime The block's timestamp.
    error DrugTraceExpiryInPast(uint48 expiry, uint48 currentTime);

    /// @notice A batch with this (GTIN, lot) is already registered.
    /// @param batchId The existing batch.
    error DrugTraceBatchAlreadyRegistered(bytes32 batchId);

    /// @notice The batch is not in a state that allows the call.
    /// @param batchId The batch.
    /// @param current Its current state (`batchStateOf`).
    /// @param expectedStates The allowed states, as a bitmap with bit `uint8(state)` set for each.
    error DrugTraceUnexpectedBatchState(bytes32 batchId, BatchState current, bytes32 expectedStates);

    /// @notice Only the batch's manufacturer (holding `MANUFACTURER_ROLE`) or a `REGULATOR_ROLE` holder may do this.
    /// @param batchId The batch.
    /// @param account The refused caller.
    error DrugTraceNotManufacturerOrRegulator(bytes32 batchId, address account);

    /// @notice The account holds no trade role (`MANUFACTURER_ROLE`, `DISTRIBUTOR_ROLE` or `DISPENSER_ROLE`).
    /// @param account The refused recipient or reporter.
    error DrugTraceNotTradePartner(address account);

    /// @notice A holder cannot ship to itself.
    /// @param account The sender and named recipient.
    error DrugTraceShipmentToSelf(address account);

    /// @notice A shipment must carry at least one unit.
    error DrugTraceZeroQuantity();

    /// @notice The holder holds fewer units of the batch than the call needs.
    /// @param batchId The batch.
    /// @param holder The holder.
    /// @param holding Its holding.
    /// @param needed The units the call needs.
    error DrugTraceInsufficientHolding(bytes32 batchId, address holder, uint256 holding, uint256 needed);

    /// @notice The shipment is not Pending (unknown id, or already accepted, rejected or cancelled).
    /// @param shipmentId The shipment.
    /// @param current Its state.
    /// @param expectedStates The states the call accepts, bit `uint8(state)` set for each (Pending).
    error DrugTraceUnexpectedShipmentState(uint256 shipmentId, ShipmentState current, bytes32 expectedStates);

    /// @notice Only the recipient the sender named may accept or reject the shipment.
    /// @param shipmentId The shipment.
    /// @param account The refused caller.
    error DrugTraceNotShipmentRecipient(uint256 shipmentId, address account);

    /// @notice Only the sender may cancel the shipment.
    /// @param shipmentId The shipment.
    /// @param account The refused caller.
    error DrugTraceNotShipmentSender(uint256 shipmentId, address account);

    /// @notice (`index`, `serial`) is not a unit of the batch: the index is outside it or the proof fails.
    /// @param batchId The batch.
    /// @param index The claimed index.
    /// @param serial The claimed serial.
    error DrugTraceUnitNotInBatch(bytes32 batchId, uint256 index, bytes32 serial);

    /// @notice The unit was already dispensed: a second pack with this code is a copy.
    /// @param batchId The batch.
    /// @param index The unit's index.
    error DrugTraceUnitAlreadyDispensed(bytes32 batchId, uint256 index);

    /// @notice The flag is not Open (unknown id or already resolved).
    /// @param flagId The flag.
    /// @param current Its state.
    /// @param expectedStates The states the call accepts, bit `uint8(state)` set for each (Open).
    error DrugTraceUnexpectedFlagState(uint256 flagId, FlagState current, bytes32 expectedStates);

    /// @notice A GS1 Company Prefix has 6 to 12 digits.
    /// @param prefixLength The refused number of digits.
    error DrugTraceInvalidPrefixLength(uint8 prefixLength);

    /// @notice The prefix has more digits than its stated length (it is not below 10^`prefixLength`).
    /// @param prefix The refused prefix.
    /// @param prefixLength The stated number of digits.
    error DrugTraceInvalidCompanyPrefix(uint64 prefix, uint8 prefixLength);

    /// @notice The prefix is already bound (transfer it instead).
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param owner Its owner.
    error DrugTraceCompanyPrefixAlreadyBound(uint64 prefix, uint8 prefixLength, address owner);

    /// @notice A bound prefix starts with this one, or this one starts with a bound prefix: a GTIN would then have two
    /// owners.
    /// @param prefix The refused prefix.
    /// @param prefixLength Its number of digits.
    error DrugTraceCompanyPrefixOverlaps(uint64 prefix, uint8 prefixLength);

    /// @notice The prefix is not bound (never, or revoked).
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    error DrugTraceCompanyPrefixNotBound(uint64 prefix, uint8 prefixLength);

    /// @notice Only the prefix's owner may do this.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param account The refused caller.
    error DrugTraceNotCompanyPrefixOwner(uint64 prefix, uint8 prefixLength, address account);

    /// @notice The account is already an authorized contract manufacturer of the prefix.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The account.
    error DrugTraceContractManufacturerAlreadyAuthorized(uint64 prefix, uint8 prefixLength, address manufacturer);

    /// @notice The account is not an authorized contract manufacturer of the prefix.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The account.
    error DrugTraceNotContractManufacturer(uint64 prefix, uint8 prefixLength, address manufacturer);

    /// @notice The caller neither owns the GTIN's company prefix (its first `prefixLength` digits after the indicator
    /// digit) nor is an authorized contract manufacturer of it.
    /// @param gtin The GTIN.
    /// @param prefixLength The prefix length the caller stated.
    /// @param account The refused caller.
    error DrugTraceGtinNotAuthorized(uint64 gtin, uint8 prefixLength, address account);

    /// @notice The zero address cannot own a prefix, be a contract manufacturer or a sensor.
    error DrugTraceZeroAccount();

    /// @notice A display name has at most `MAX_NAME_LENGTH` bytes and no control characters; a prefix binding needs
    /// one unless the owner already has one.
    /// @param name The refused name.
    error DrugTraceInvalidName(string name);

    /// @notice A regulator imposed this quarantine: only a regulator may release it.
    /// @param batchId The batch.
    /// @param account The refused caller.
    error DrugTraceQuarantinedByRegulator(bytes32 batchId, address account);

    /// @notice The sensor is already bound to a custodian (which must unbind it first).
    /// @param sensor The sensor.
    /// @param custodian Its custodian.
    error DrugTraceSensorAlreadyBound(address sensor, address custodian);

    /// @notice The sensor is bound to no custodian, so it reports for nobody.
    /// @param sensor The sensor.
    error DrugTraceSensorNotBound(address sensor);

    /// @notice Only the sensor's custodian or a regulator may unbind it.
    /// @param sensor The sensor.
    /// @param account The refused caller.
    error DrugTraceNotSensorCustodian(address sensor, address account);

    /// @notice The sensor's custodian neither holds units of the batch nor is the sender or recipient of the pending
    /// shipment reported on: a sensor reports only on goods in its custodian's care.
    /// @param batchId The batch.
    /// @param custodian The sensor's custodian.
    /// @param sensor The refused sensor.
    error DrugTraceBatchNotInCustody(bytes32 batchId, address custodian, address sensor);

    /// @notice The reporter already has `maximum` open flags; a regulator's resolution frees a slot.
    /// @param reporter The reporter.
    /// @param maximum `MAX_OPEN_FLAGS`.
    error DrugTraceTooManyOpenFlags(address reporter, uint256 maximum);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Registers batches (and trades them: a trade role).
    /// @return The role id, `keccak256("MANUFACTURER_ROLE")`.
    function MANUFACTURER_ROLE() external view returns (bytes32);

    /// @notice Receives and ships batches (a trade role).
    /// @return The role id, `keccak256("DISTRIBUTOR_ROLE")`.
    function DISTRIBUTOR_ROLE() external view returns (bytes32);

    /// @notice Pharmacies and hospitals: receive, ship and dispense (a trade role).
    /// @return The role id, `keccak256("DISPENSER_ROLE")`.
    function DISPENSER_ROLE() external view returns (bytes32);

    /// @notice Recalls any batch, resolves suspect flags, releases quarantines.
    /// @return The role id, `keccak256("REGULATOR_ROLE")`.
    function REGULATOR_ROLE() external view returns (bytes32);

    /// @notice Cold-chain oracles: report temperature excursions.
    /// @return The role id, `keccak256("SENSOR_ROLE")`.
    function SENSOR_ROLE() external view returns (bytes32);

    /// @notice Pauses and unpauses every state change.
    /// @return The role id, `keccak256("PAUSER_ROLE")`.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice The recall reason code used when a regulator recalls a batch by confirming a suspect flag.
    /// @return `type(uint16).max`.
    function SUSPECT_CONFIRMED_REASON() external view returns (uint16);

    /// @notice How many open suspect flags one reporter may have at a time.
    /// @return 32.
    function MAX_OPEN_FLAGS() external view returns (uint256);

    /// @notice The longest display name, in bytes (UTF-8).
    /// @return 64.
    function MAX_NAME_LENGTH() external view returns (uint256);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      UPDATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Registers batch (`gtin`, `lot`); the caller, a `MANUFACTURER_ROLE` holder that owns the GTIN's company
    /// prefix or is an authorized contract manufacturer of it, holds all its units.
    /// @dev Constant cost whatever `unitCount`: the serials are committed to by `serialsRoot`, never stored. Writes
    /// two slots and no holding (the manufacturer's holding is derived, see `holdingOf`). The caller states the
    /// prefix length, so the ownership check is one read (two for a contract manufacturer), never a loop over lengths;
    /// `companyPrefixOf` tells tooling the length. Emits `BatchRegistered`. Reverts with `DrugTraceInvalidGtin`,
    /// `DrugTraceInvalidPrefixLength`, `DrugTraceGtinNotAuthorized`, `DrugTraceEmptyLot`, `DrugTraceZeroUnitCount`,
    /// `DrugTraceZeroSerialsRoot`, `DrugTraceExpiryInPast` or `DrugTraceBatchAlreadyRegistered`, in that order.
    /// @param gtin The GTIN-14 (check digit validated).
    /// @param prefixLength The number of digits of the GTIN's company prefix (6 to 12), which follows the indicator
    /// digit.
    /// @param lot The lot (GS1 AI 10), left-aligned bytes32, not zero.
    /// @param expiry The last second (unix time) at which the units may be shipped onward or dispensed; not before
    /// the current block's time. A GS1 YYMMDD expiry is the end of that day, 23:59:59 UTC.
    /// @param unitCount The number of units, at least one.
    /// @param serialsRoot The Merkle root of the (index, serial) leaves, indexes 0 to `unitCount` − 1.
    /// @param metadataHash Hash of the off-chain batch metadata (emitted, not stored).
    /// @return batchId `batchIdOf(gtin, lot)`.
    function registerBatch(
        uint64 gtin,
        uint8 prefixLength,
        bytes32 lot,
        uint48 expiry,
        uint32 unitCount,
        bytes32 serialsRoot,
        bytes32 metadataHash
    ) external returns (bytes32 batchId);

    /// @notice Ships `quantity` units of batch `batchId` from the caller's holding to recipient `to`, who must accept
    /// them before they count as its holding (custody never lands on someone who did not accept it).
    /// @dev `to` must hold a trade role. The batch must be Active; a Recalled or Expired batch may only be shipped back
    /// to its manufacturer (returns), and a Quarantined batch not at all (goods stay where they are until the
    /// quarantine is released or turned into a recall). The sender needs no role, only the holding: a participant
    /// whose role was revoked can still send its stock back. Emits `ShipmentSent`. Reverts with
    /// `DrugTraceZeroQuantity`, `DrugTraceShipmentToSelf`, `DrugTraceNotTradePartner`,
    /// `DrugTraceUnexpectedBatchState` or `DrugTraceInsufficientHolding`.
    /// @param batchId The batch.
    /// @param to The recipient.
    /// @param quantity The number of units, at least one.
    /// @return shipmentId `(sequence << 160) | uint160(sender)`, `sequence` counting shipments from 1: the sender is
    /// part of the id, which keeps a shipment in two storage slots.
    function ship(bytes32 batchId, address to, uint32 quantity) external returns (uint256 shipmentId);

    /// @notice The named recipient accepts a Pending shipment: the units move into its holding.
    /// @dev Allowed whatever the batch's state: the goods have physically arrived, and custody must say where they
    /// are (a recalled batch is then shipped back). Emits `ShipmentAccepted`. Reverts with
    /// `DrugTraceUnexpectedShipmentState` or `DrugTraceNotShipmentRecipient`.
    /// @param shipmentId The shipment.
    function acceptShipment(uint256 shipmentId) external;

    /// @notice The named recipient rejects a Pending shipment: the units go back into the sender's holding.
    /// @dev Allowed whatever the batch's state. Emits `ShipmentRejected`. Reverts with
    /// `DrugTraceUnexpectedShipmentState` or `DrugTraceNotShipmentRecipient`.
    /// @param shipmentId The shipment.
    function rejectShipment(uint256 shipmentId) external;

    /// @notice The sender cancels a Pending shipment: the units go back into its holding.
    /// @dev Allowed whatever the batch's state. Emits `ShipmentCancelled`. Reverts with
    /// `DrugTraceUnexpectedShipmentState` or `DrugTraceNotShipmentSender`.
    /// @param shipmentId The shipment.
    function cancelShipment(uint256 shipmentId) external;

    /// @notice Decommissions unit `index` of batch `batchId` at dispensing; the caller, a `DISPENSER_ROLE` holder
    /// holding stock of the batch, proves the unit with its serial and Merkle proof.
    /// @dev The batch must be Active (not recalled, quarantined or expired). Marks the unit in the batch's bitmap and
    /// in the dispenser's own bitmap (one word per 256 units each, so `isDispensedBy` is exact per unit) and takes
    /// one unit from the caller's holding. Emits `UnitDispensed`. Reverts with `DrugTraceUnexpectedBatchState`,
    /// `DrugTraceUnitNotInBatch`, `DrugTraceUnitAlreadyDispensed` or `DrugTraceInsufficientHolding`, in that order of
    /// checks. A refused dispense leaves no trace: the dispensing tooling raises `flagSuspect` for it.
    /// @param batchId The batch.
    /// @param index The unit's index.
    /// @param serial The unit's serial.
    /// @param proof The Merkle proof of the (index, serial) leaf.
    function dispense(bytes32 batchId, uint256 index, bytes32 serial, bytes32[] calldata proof) external;

    /// @notice Recalls a batch: no more dispensing, and shipping only back to its manufacturer.
    /// @dev By the batch's manufacturer (while it holds `MANUFACTURER_ROLE`) or a `REGULATOR_ROLE` holder. Allowed
    /// from Active, Quarantined and Expired. Emits `BatchRecalled`. Reverts with `DrugTraceUnexpectedBatchState` or
    /// `DrugTraceNotManufacturerOrRegulator`.
    /// @param batchId The batch.
    /// @param reasonCode The recaller's reason code (no free text on chain).
    /// @param evidenceHash Hash of the off-chain evidence.
    function recall(bytes32 batchId, uint16 reasonCode, bytes32 evidenceHash) external;

    /// @notice Raises an alert about one unit; any trade participant may call it. The dispensing tooling calls it
    /// for every verdict but Active at the counter, since a refused `dispense` leaves no trace.
    /// @dev The batch must be registered (a code naming no batch is reported off chain: on chain it would only cost
    /// storage and a regulator's time); the unit need not verify: the flag records what was scanned. A reporter has
    /// at most `MAX_OPEN_FLAGS` open flags; a resolution frees one. Emits `SuspectFlagged`. Reverts with
    /// `DrugTraceNotTradePartner`, `DrugTraceUnexpectedBatchState` or `DrugTraceTooManyOpenFlags`.
    /// @param batchId The batch the unit claims to belong to, `batchIdOf(gtin, lot)` of the scanned code.
    /// @param index The unit's index as scanned.
    /// @param serial The unit's serial as scanned.
    /// @param verdict What the reporter's `verifyUnit` said (Active when the suspicion has another cause, such as
    /// damaged packaging).
    /// @param evidenceHash Hash of the off-chain evidence.
    /// @return flagId The new flag's id, counting from 1.
    function flagSuspect(
        bytes32 batchId,
        uint256 index,
        bytes32 serial,
        UnitStatus verdict,
        bytes32 evidenceHash
    ) external returns (uint256 flagId);

    /// @notice A `REGULATOR_ROLE` holder resolves an Open suspect flag.
    /// @dev Frees a slot of the reporter's open flags. Cleared leaves the batch alone. Quarantined needs the batch
    /// Active, Expired or Quarantined and quarantines it with origin Regulator (`BatchQuarantined`) unless a
    /// regulator's quarantine is already in force; only a regulator can lift it. Recalled needs the batch registered and recalls it unless it
    /// already is (`BatchRecalled` with `SUSPECT_CONFIRMED_REASON` and the flag's evidence hash). Emits
    /// `SuspectResolved`. Reverts with `DrugTraceUnexpectedFlagState` or `DrugTraceUnexpectedBatchState`.
    /// @param flagId The flag.
    /// @param resolution The decision.
    function resolveSuspect(uint256 flagId, Resolution resolution) external;

    /// @notice A `SENSOR_ROLE` oracle bound to a custodian reports a temperature excursion of stock its custodian
    /// holds: the batch is quarantined (origin Excursion) until its manufacturer or a regulator releases it or
    /// recalls it.
    /// @dev Allowed from Active, Expired and Quarantined (a further reading is recorded; the batch stays
    /// quarantined, a regulator's quarantine keeps its origin). A report on goods outside the custodian's care is
    /// refused, not turned into a flag: a leaked sensor key then costs nobody anything. Emits `ExcursionReported`,
    /// then `BatchQuarantined` if the batch was not quarantined yet. Reverts with `DrugTraceSensorNotBound`,
    /// `DrugTraceUnexpectedBatchState` or `DrugTraceBatchNotInCustody`.
    /// @param batchId The batch.
    /// @param readingHash Hash of the off-chain sensor reading.
    /// @param extremeCentiCelsius The measured extreme, in hundredths of a degree Celsius.
    function reportExcursion(bytes32 batchId, bytes32 readingHash, int16 extremeCentiCelsius) external;

    /// @notice Like `reportExcursion`, for goods in transit: a pending shipment sent or to be received by the
    /// sensor's custodian.
    /// @dev Emits `ExcursionReported` for the shipment's batch, then `BatchQuarantined` if it was not quarantined yet.
    /// Reverts with `DrugTraceSensorNotBound`, `DrugTraceUnexpectedShipmentState`, `DrugTraceBatchNotInCustody` or
    /// `DrugTraceUnexpectedBatchState`.
    /// @param shipmentId The pending shipment.
    /// @param readingHash Hash of the off-chain sensor reading.
    /// @param extremeCentiCelsius The measured extreme, in hundredths of a degree Celsius.
    function reportShipmentExcursion(uint256 shipmentId, bytes32 readingHash, int16 extremeCentiCelsius) external;

    /// @notice Lifts a quarantine: the batch is Active again (Expired if its expiry has passed).
    /// @dev An excursion quarantine: by the batch's manufacturer (while it holds `MANUFACTURER_ROLE`) or a
    /// `REGULATOR_ROLE` holder. A regulator's quarantine: by a `REGULATOR_ROLE` holder only. Emits
    /// `QuarantineReleased`. Reverts with `DrugTraceUnexpectedBatchState`, `DrugTraceQuarantinedByRegulator` or
    /// `DrugTraceNotManufacturerOrRegulator`.
    /// @param batchId The batch.
    function releaseQuarantine(bytes32 batchId) external;

    /// @notice The default admin binds GS1 Company Prefix (`prefix`, `prefixLength`) to brand owner `owner`, whose
    /// public display name becomes `name` (empty: keep the name it has).
    /// @dev The prefix may not overlap a bound one (checked over its at most six shorter prefixes, and a counter of
    /// longer ones). Emits `CompanyPrefixBound` (and `ParticipantNamed` when `name` is not empty). Reverts with
    /// `DrugTraceInvalidPrefixLength`, `DrugTraceInvalidCompanyPrefix`, `DrugTraceZeroAccount`,
    /// `DrugTraceCompanyPrefixAlreadyBound`, `DrugTraceCompanyPrefixOverlaps` or `DrugTraceInvalidName`.
    /// @param prefix The prefix's digits as a number, e.g. 614141 for "0614141" with `prefixLength` 7.
    /// @param prefixLength The number of digits, 6 to 12.
    /// @param owner The brand owner.
    /// @param name The brand owner's public company name, at most `MAX_NAME_LENGTH` bytes.
    function bindCompanyPrefix(uint64 prefix, uint8 prefixLength, address owner, string calldata name) external;

    /// @notice The default admin moves a bound prefix to `newOwner` (a licence transfer, an acquisition);
    /// every contract-manufacturer authorization of the prefix lapses.
    /// @dev Emits `CompanyPrefixTransferred` (and `ParticipantNamed` when `name` is not empty). Reverts with
    /// `DrugTraceInvalidPrefixLength`, `DrugTraceInvalidCompanyPrefix`, `DrugTraceZeroAccount`,
    /// `DrugTraceCompanyPrefixNotBound` or `DrugTraceInvalidName`.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param newOwner The new brand owner.
    /// @param name The new owner's public company name (empty: keep the name it has).
    function transferCompanyPrefix(uint64 prefix, uint8 prefixLength, address newOwner, string calldata name) external;

    /// @notice The default admin revokes a bound prefix: nobody registers its GTINs until it is bound again.
    /// Batches registered before stay as they are (recall them to stop them).
    /// @dev Emits `CompanyPrefixRevoked`. Reverts with `DrugTraceInvalidPrefixLength`, `DrugTraceInvalidCompanyPrefix`
    /// or `DrugTraceCompanyPrefixNotBound`.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    function revokeCompanyPrefix(uint64 prefix, uint8 prefixLength) external;

    /// @notice The prefix's owner authorizes `manufacturer` to register GTINs of the prefix (a contract manufacturer,
    /// as DSCSA allows). It still needs `MANUFACTURER_ROLE` to register.
    /// @dev Holds until deauthorized or the prefix is transferred, revoked or bound again. Emits
    /// `ContractManufacturerAuthorized`. Reverts with `DrugTraceInvalidPrefixLength`, `DrugTraceInvalidCompanyPrefix`,
    /// `DrugTraceNotCompanyPrefixOwner`, `DrugTraceZeroAccount` or `DrugTraceContractManufacturerAlreadyAuthorized`.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The contract manufacturer.
    function authorizeContractManufacturer(uint64 prefix, uint8 prefixLength, address manufacturer) external;

    /// @notice The prefix's owner withdraws `manufacturer`'s authorization. Its batches registered before stay.
    /// @dev Emits `ContractManufacturerDeauthorized`. Reverts with `DrugTraceInvalidPrefixLength`,
    /// `DrugTraceInvalidCompanyPrefix`, `DrugTraceNotCompanyPrefixOwner` or `DrugTraceNotContractManufacturer`.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param manufacturer The contract manufacturer.
    function deauthorizeContractManufacturer(uint64 prefix, uint8 prefixLength, address manufacturer) external;

    /// @notice A `REGULATOR_ROLE` holder sets the public display name of a trade partner such as a distributor or a
    /// pharmacy ("Dispensed by <name>"), or renames or clears (empty) any participant's name.
    /// @dev Company names only, never a person's name. Emits `ParticipantNamed`. Reverts with `DrugTraceZeroAccount`
    /// or `DrugTraceInvalidName`.
    /// @param account The participant.
    /// @param name Its public company name, at most `MAX_NAME_LENGTH` bytes; empty clears it.
    function setParticipantName(address account, string calldata name) external;

    /// @notice A trade partner binds a cold-chain sensor to itself: the sensor then reports only on goods the
    /// caller holds or ships or receives.
    /// @dev The sensor also needs `SENSOR_ROLE` (granted by the admin) to report. Emits `SensorBound`. Reverts with
    /// `DrugTraceNotTradePartner`, `DrugTraceZeroAccount` or `DrugTraceSensorAlreadyBound`.
    /// @param sensor The sensor oracle.
    function bindSensor(address sensor) external;

    /// @notice The sensor's custodian, or a regulator answering a leaked key, unbinds it.
    /// @dev Emits `SensorUnbound`. Reverts with `DrugTraceSensorNotBound` or `DrugTraceNotSensorCustodian`.
    /// @param sensor The sensor oracle.
    function unbindSensor(address sensor) external;

    /// @notice Stops every state change of this contract (views keep working). By a `PAUSER_ROLE` holder.
    /// @dev Role administration stays available so an incident can be answered. Emits `Paused`.
    function pause() external;

    /// @notice Resumes state changes. By a `PAUSER_ROLE` holder. Emits `Unpaused`.
    function unpause() external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The id of the batch (`gtin`, `lot`): `keccak256(abi.encode(gtin, lot))`.
    /// @param gtin The GTIN-14 as a number.
    /// @param lot The lot (GS1 AI 10) as left-aligned bytes32.
    /// @return The batch id.
    function batchIdOf(uint64 gtin, bytes32 lot) external pure returns (bytes32);

    /// @notice What a pack's code says: exactly one status, plus what a verifier page shows. Free to call.
    /// @dev Precedence when several apply: Unknown > Dispensed > Recalled > Quarantined > Expired > Active.
    /// Unknown first: nothing can be vouched for about a code that is not proven part of a registered batch, so
    /// `expiry` and `manufacturer` are then zero. Dispensed next: a decommissioned code scanned again is the mark of a
    /// copied code on a counterfeit pack, and the counter must see that whatever happened to the batch later (a
    /// recall stays readable through `batchStateOf`). Recalled before Quarantined: a recall is final, a quarantine
    /// provisional. Quarantined before Expired: a safety hold says more than a date.
    /// @param gtin The GTIN-14.
    /// @param lot The lot.
    /// @param serial The serial.
    /// @param index The unit's index in the batch's serial list.
    /// @param proof The Merkle proof of the (index, serial) leaf.
    /// @return status The unit's status.
    /// @return expiry The batch's expiry, zero when Unknown.
    /// @return manufacturer The batch's manufacturer, zero when Unknown.
    function verifyUnit(
        uint64 gtin,
        bytes32 lot,
        bytes32 serial,
        uint256 index,
        bytes32[] calldata proof
    ) external view returns (UnitStatus status, uint48 expiry, address manufacturer);

    /// @notice The batch record; all zero when not registered.
    /// @param batchId The batch.
    /// @return The record, with `state` as `batchStateOf` returns it (Expired derived from the clock).
    function batchOf(bytes32 batchId) external view returns (Batch memory);

    /// @notice The batch's current state: None, Active, Quarantined, Recalled, or Expired (an Active batch past its
    /// expiry).
    /// @param batchId The batch.
    /// @return The state.
    function batchStateOf(bytes32 batchId) external view returns (BatchState);

    /// @notice How many units of batch `batchId` `holder` holds (units it shipped and that are still in transit
    /// are not counted).
    /// @param batchId The batch.
    /// @param holder The holder.
    /// @return The holding.
    function holdingOf(bytes32 batchId, address holder) external view returns (uint256);

    /// @notice A shipment; all zero when unknown.
    /// @param shipmentId The shipment.
    /// @return The shipment.
    function shipmentOf(uint256 shipmentId) external view returns (Shipment memory);

    /// @notice A shipment's state; None when unknown.
    /// @param shipmentId The shipment.
    /// @return The state.
    function shipmentStateOf(uint256 shipmentId) external view returns (ShipmentState);

    /// @notice A suspect flag; all zero when unknown.
    /// @param flagId The flag.
    /// @return The flag.
    function suspectFlagOf(uint256 flagId) external view returns (SuspectFlag memory);

    /// @notice Whether unit `index` of batch `batchId` was dispensed (by anyone).
    /// @param batchId The batch id.
    /// @param index The unit's index.
    /// @return True when the unit was decommissioned.
    function isDispensed(bytes32 batchId, uint256 index) external view returns (bool);

    /// @notice The public display name of a participant ("Acme Pharma GmbH"): a brand owner's as its prefix was
    /// bound, another trade partner's as a regulator set it; empty when none.
    /// @param account The participant.
    /// @return The name.
    function nameOf(address account) external view returns (string memory);

    /// @notice The binding of company prefix (`prefix`, `prefixLength`); all zero when never bound.
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits, 6 to 12.
    /// @return The binding (`owner` zero when revoked).
    function prefixBindingOf(uint64 prefix, uint8 prefixLength) external view returns (CompanyPrefix memory);

    /// @notice The bound company prefix a GTIN falls under, for tooling that must state `prefixLength`.
    /// @dev A view that tries the seven lengths; `registerBatch` never does. Zeros when no bound prefix matches.
    /// @param gtin The GTIN-14.
    /// @return prefix The prefix's digits as a number.
    /// @return prefixLength Its number of digits.
    /// @return owner Its owner.
    function companyPrefixOf(uint64 gtin) external view returns (uint64 prefix, uint8 prefixLength, address owner);

    /// @notice Whether `account` is an authorized contract manufacturer of the bound prefix (`prefix`, `prefixLength`).
    /// @param prefix The prefix.
    /// @param prefixLength Its number of digits.
    /// @param account The account.
    /// @return True while the authorization holds.
    function isContractManufacturer(uint64 prefix, uint8 prefixLength, address account) external view returns (bool);

    /// @notice The trade partner a sensor reports for; zero when unbound.
    /// @param sensor The sensor oracle.
    /// @return The custodian.
    function custodianOf(address sensor) external view returns (address);

    /// @notice How many of `reporter`'s suspect flags are open.
    /// @param reporter The reporter.
    /// @return The number of open flags, at most `MAX_OPEN_FLAGS`.
    function openFlagsOf(address reporter) external view returns (uint256);

    /// @notice Whether unit `index` of batch `batchId` was dispensed by `dispenser`.
    /// @dev True implies the unit's Merkle proof was checked when it was dispensed, so the unit is genuine.
    /// @param batchId The batch id.
    /// @param index The unit's index in the batch's serial list.
    /// @param dispenser The pharmacy or hospital asked about.
    /// @return True when `dispenser` decommissioned that unit.
    function isDispensedBy(bytes32 batchId, uint256 index, address dispenser) external view returns (bool);
}
