// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {SignatureChecker} from "@openzeppelin/contracts/utils/cryptography/SignatureChecker.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {Time} from "@openzeppelin/contracts/utils/types/Time.sol";

import {IPatientConsent} from "./interfaces/IPatientConsent.sol";
import {DataCategory, PurposeOfUse} from "./libraries/ConsentVocabulary.sol";

/// @title PatientConsent
/// @notice Purpose- and time-bound patient consent with signed grants, delegates, record anchoring, audited access
/// and break-glass emergency access. See `IPatientConsent`.
/// @dev Roles: `DEFAULT_ADMIN_ROLE` (one holder, transferred with a delay through `AccessControlDefaultAdminRules`)
/// pauses, unpauses, sets the break-glass duration and cooldown and grants `EMERGENCY_ROLE`. There is no provider role: a
/// provider is whoever the patient consented to for TREAT, so the patient, not the admin, decides who anchors their
/// records. Not upgradeable.
contract PatientConsent is IPatientConsent, AccessControlDefaultAdminRules, Pausable, EIP712, Nonces {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev What storage keeps of a (patient, grantee) pair's latest consent (returned as `IPatientConsent.Consent`).
    /// One slot: `purposes` bits 0..31 | `categories` 32..63 | `start` 64..111 | `end` 112..159 | `serial`
    /// 160..223 | `revoked` 224..231 | `signedGrantsBlocked` 232..239.
    struct ConsentRecord {
        uint32 purposes;
        uint32 categories;
        uint48 start;
        uint48 end;
        uint64 serial;
        bool revoked;
        bool signedGrantsBlocked;
    }

    /// @dev What storage keeps of a delegation (returned as `IPatientConsent.Delegation`). One slot: `purposes` bits
    /// 0..31 | `categories` 32..63 | `until` 64..111.
    struct DelegationRecord {
        uint32 purposes;
        uint32 categories;
        uint48 until;
    }

    /// @dev What storage keeps of an anchored record (returned as `IPatientConsent.Record`). One slot: `patient` bits
    /// 0..159 | `categories` 160..191 | `anchoredAt` 192..239.
    struct AnchorRecord {
        address patient;
        uint32 categories;
        uint48 anchoredAt;
    }

    /// @dev What storage keeps of a break-glass window (returned as `IPatientConsent.BreakGlass`). One slot: `id` bits
    /// 0..63 | `openedAt` 64..111 | `end` 112..159.
    struct BreakGlassRecord {
        uint64 id;
        uint48 openedAt;
        uint48 end;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    bytes32 public constant EMERGENCY_ROLE = keccak256("EMERGENCY_ROLE");

    /// @inheritdoc IPatientConsent
    uint48 public constant SHORTEST_BREAK_GLASS = 15 minutes;

    /// @inheritdoc IPatientConsent
    uint48 public constant LONGEST_BREAK_GLASS = 72 hours;

    /// @inheritdoc IPatientConsent
    uint48 public constant SHORTEST_BREAK_GLASS_COOLDOWN = 1 hours;

    /// @inheritdoc IPatientConsent
    uint48 public constant LONGEST_BREAK_GLASS_COOLDOWN = 30 days;

    /// @inheritdoc IPatientConsent
    uint48 public constant DEFAULT_BREAK_GLASS_COOLDOWN = 24 hours;

    /// @inheritdoc IPatientConsent
    uint8 public constant PURPOSE_COUNT = PurposeOfUse.COUNT;

    /// @inheritdoc IPatientConsent
    uint8 public constant CATEGORY_COUNT = DataCategory.COUNT;

    /// @inheritdoc IPatientConsent
    uint32 public constant PROTECTED_CATEGORIES = DataCategory.PROTECTED;

    /// @dev EIP-712 type hash of `ConsentGrant`.
    bytes32 private constant _CONSENT_GRANT_TYPEHASH = keccak256(
        "ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,uint48 end,uint256 nonce,uint256 deadline)"
    );

    /// @dev EIP-712 type hash of `ConsentRevocation`.
    bytes32 private constant _CONSENT_REVOCATION_TYPEHASH = keccak256(
        "ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)"
    );

    /// @dev EIP-712 type hash of `DelegateAppointment`.
    bytes32 private constant _DELEGATE_APPOINTMENT_TYPEHASH = keccak256(
        "DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)"
    );

    /// @dev EIP-712 type hash of `DelegateRemoval`.
    bytes32 private constant _DELEGATE_REMOVAL_TYPEHASH = keccak256(
        "DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)"
    );

    /// @dev The states a consent can be revoked in (Pending, Active), as an expected-states bitmap.
    bytes32 private constant _REVOCABLE_STATES = bytes32(
        (1 << uint8(ConsentState.Pending)) | (1 << uint8(ConsentState.Active))
    );

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev The latest consent of each pair; one slot each (layout in `ConsentRecord`).
    mapping(address patient => mapping(address grantee => ConsentRecord)) private _consents;

    /// @dev Each delegation's scope and end; one slot each (layout in `DelegationRecord`); zero when never
    /// appointed or removed.
    mapping(address patient => mapping(address delegate => DelegationRecord)) private _delegations;

    /// @dev Anchored records, namespaced by the anchoring provider (layout in `AnchorRecord`): a hash taken
    /// by one provider never blocks another.
    mapping(address provider => mapping(bytes32 recordHash => AnchorRecord)) private _records;

    /// @dev The latest break-glass window of each (patient, responder); one slot each.
    mapping(address patient => mapping(address responder => BreakGlassRecord)) private _breakGlass;

    /// @dev Length of new break-glass windows. Shares a slot with `_breakGlassCount`: bits 0..47.
    uint48 private _maxBreakGlassDuration;

    /// @dev Break-glass windows opened so far (the last id); bits 48..111 of the slot above, read together.
    uint64 private _breakGlassCount;

    /// @dev Wait between a responder's window on a patient closing and its next one there; bits 112..159 of the
    /// slot above, read together by `breakGlass`.
    uint48 private _breakGlassCooldown;

    /// @dev Unordered nonces used by signed revocations and delegate removals: bit `nonce & 255` of word
    /// `nonce >> 8` is set once used.
    mapping(address patient => mapping(uint256 word => uint256 bits)) private _usedRevocationNonces;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param initialDelay Delay before a default-admin transfer takes effect (`AccessControlDefaultAdminRules`).
    /// @param initialAdmin The default admin.
    /// @param maxBreakGlassDuration_ Length of break-glass windows, within [`SHORTEST_BREAK_GLASS`,
    /// `LONGEST_BREAK_GLASS`].
    constructor(
        uint48 initialDelay,
        address initialAdmin,
        uint48 maxBreakGlassDuration_
    ) AccessControlDefaultAdminRules(initialDelay, initialAdmin) EIP712("carechain PatientConsent", "1") {
        _setMaxBreakGlassDuration(maxBreakGlassDuration_);
        _setBreakGlassCooldown(DEFAULT_BREAK_GLASS_COOLDOWN);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     CONSENT FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function grantConsent(
        address patient,
        address grantee,
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 end
    ) external whenNotPaused returns (bytes32 consentId) {
        if (msg.sender != patient) _checkDelegateGrant(patient, grantee, purposes, categories, end);
        return _grantConsent(patient, grantee, purposes, categories, start, end, msg.sender);
    }

    /// @inheritdoc IPatientConsent
    function grantConsentBySig(
        ConsentGrant calldata grant,
        bytes calldata signature
    ) external whenNotPaused returns (bytes32 consentId) {
        if (block.timestamp > grant.deadline) revert PatientConsentSignatureExpired(grant.deadline);
        // The nonce is consumed before the signature check: the ERC-1271 call is a staticcall, but effects still
        // come before interactions.
        uint256 currentNonce = _useNonce(grant.patient);
        if (grant.nonce != currentNonce) revert PatientConsentInvalidNonce(grant.patient, currentNonce, grant.nonce);
        if (!SignatureChecker.isValidSignatureNowCalldata(grant.patient, _consentGrantDigest(grant), signature)) {
            revert PatientConsentInvalidSignature(grant.patient);
        }
        if (_consents[grant.patient][grant.grantee].signedGrantsBlocked) {
            revert PatientConsentSignedGrantsBlocked(grant.patient, grant.grantee);
        }
        return
            _grantConsent(
                grant.patient,
                grant.grantee,
                grant.purposes,
                grant.categories,
                grant.start,
                grant.end,
                grant.patient
            );
    }

    /// @inheritdoc IPatientConsent
    function revokeConsent(address patient, address grantee) external {
        _checkPatientOrDelegate(patient);
        _revokeConsent(patient, grantee, msg.sender, false);
    }

    /// @inheritdoc IPatientConsent
    function revokeConsentBySig(ConsentRevocation calldata revocation, bytes calldata signature) external {
        address patient = revocation.patient;
        _checkUnorderedSignature(
            patient,
            revocation.nonce,
            revocation.deadline,
            _consentRevocationDigest(revocation),
            signature
        );
        _revokeConsent(patient, revocation.grantee, patient, true);
    }

    /// @inheritdoc IPatientConsent
    function invalidateNonce() external {
        uint256 nonce = _useNonce(msg.sender);
        emit NonceInvalidated(msg.sender, nonce);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     DELEGATE FUNCTIONS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function setDelegate(address delegate, uint32 purposes, uint32 categories, uint48 until) external whenNotPaused {
        _setDelegate(msg.sender, delegate, purposes, categories, until);
    }

    /// @inheritdoc IPatientConsent
    function setDelegateBySig(
        DelegateAppointment calldata appointment,
        bytes calldata signature
    ) external whenNotPaused {
        address patient = appointment.patient;
        if (block.timestamp > appointment.deadline) revert PatientConsentSignatureExpired(appointment.deadline);
        uint256 currentNonce = _useNonce(patient);
        if (appointment.nonce != currentNonce)
            revert PatientConsentInvalidNonce(patient, currentNonce, appointment.nonce);
        if (
            !SignatureChecker.isValidSignatureNowCalldata(patient, _delegateAppointmentDigest(appointment), signature)
        ) {
            revert PatientConsentInvalidSignature(patient);
        }
        _setDelegate(patient, appointment.delegate, appointment.purposes, appointment.categories, appointment.until);
    }

    /// @inheritdoc IPatientConsent
    function revokeDelegate(address delegate) external {
        _revokeDelegate(msg.sender, delegate);
    }

    /// @inheritdoc IPatientConsent
    function revokeDelegateBySig(DelegateRemoval calldata removal, bytes calldata signature) external {
        address patient = removal.patient;
        _checkUnorderedSignature(patient, removal.nonce, removal.deadline, _delegateRemovalDigest(removal), signature);
        _revokeDelegate(patient, removal.delegate);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                RECORD AND ACCESS FUNCTIONS                 */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function anchorRecord(address patient, bytes32 recordHash, uint32 categories) external whenNotPaused {
        if (recordHash == bytes32(0)) revert PatientConsentInvalidRecordHash(recordHash);
        if (categories == 0 || categories & ~DataCategory.ALL != 0) revert PatientConsentInvalidCategories(categories);
        if (_records[msg.sender][recordHash].anchoredAt != 0) {
            revert PatientConsentRecordAlreadyAnchored(msg.sender, recordHash);
        }
        if (!_consentCovers(_consents[patient][msg.sender], PurposeOfUse.TREAT, categories)) {
            revert PatientConsentNotAuthorized(patient, msg.sender, PurposeOfUse.TREAT, categories);
        }
        _records[msg.sender][recordHash] = AnchorRecord({
            patient: patient,
            categories: categories,
            anchoredAt: Time.timestamp()
        });
        emit RecordAnchored(recordHash, patient, msg.sender, categories);
    }

    /// @inheritdoc IPatientConsent
    function logAccess(address patient, address provider, bytes32 recordHash, uint8 purpose) external whenNotPaused {
        AnchorRecord storage record = _records[provider][recordHash];
        if (record.anchoredAt == 0) revert PatientConsentUnknownRecord(provider, recordHash);
        if (record.patient != patient) revert PatientConsentRecordPatientMismatch(provider, recordHash, patient);
        uint32 categories = record.categories;

        bytes32 consentId;
        uint64 breakGlassId;
        ConsentRecord memory consent = _consents[patient][msg.sender];
        if (_consentCovers(consent, purpose, categories)) {
            consentId = _consentId(patient, msg.sender, consent.serial);
        } else if (purpose == PurposeOfUse.ETREAT && _breakGlassOpen(patient, msg.sender)) {
            breakGlassId = _breakGlass[patient][msg.sender].id;
        } else {
            revert PatientConsentNotAuthorized(patient, msg.sender, purpose, categories);
        }
        emit AccessLogged(patient, recordHash, msg.sender, provider, purpose, consentId, breakGlassId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                   BREAK-GLASS FUNCTIONS                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function breakGlass(
        address patient,
        bytes32 reasonHash
    ) external whenNotPaused onlyRole(EMERGENCY_ROLE) returns (uint64 breakGlassId) {
        if (patient == address(0) || patient == msg.sender) revert PatientConsentInvalidPatient(patient);
        if (reasonHash == bytes32(0)) revert PatientConsentInvalidReason(reasonHash);
        BreakGlassRecord memory previous = _breakGlass[patient][msg.sender];
        if (block.timestamp < previous.end)
            revert PatientConsentBreakGlassAlreadyOpen(patient, msg.sender, previous.end);
        if (previous.id != 0) {
            // Both are uint48: the sum fits in uint256 arithmetic without overflow.
            uint256 availableAt = uint256(previous.end) + _breakGlassCooldown;
            if (block.timestamp < availableAt) {
                revert PatientConsentBreakGlassCoolingDown(patient, msg.sender, uint48(availableAt));
            }
        }

        breakGlassId = ++_breakGlassCount;
        uint48 openedAt = Time.timestamp();
        uint48 end = openedAt + _maxBreakGlassDuration;
        _breakGlass[patient][msg.sender] = BreakGlassRecord({id: breakGlassId, openedAt: openedAt, end: end});
        emit BreakGlassOpened(breakGlassId, patient, msg.sender, reasonHash, end);
    }

    /// @inheritdoc IPatientConsent
    function endBreakGlass(address patient) external {
        BreakGlassRecord storage window = _breakGlass[patient][msg.sender];
        if (block.timestamp >= window.end) revert PatientConsentBreakGlassNotOpen(patient, msg.sender);
        window.end = Time.timestamp();
        emit BreakGlassEnded(window.id, patient, msg.sender);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      ADMIN FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function setMaxBreakGlassDuration(uint48 duration) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxBreakGlassDuration(duration);
    }

    /// @inheritdoc IPatientConsent
    function setBreakGlassCooldown(uint48 cooldown) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setBreakGlassCooldown(cooldown);
    }

    /// @inheritdoc IPatientConsent
    function pause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pause();
    }

    /// @inheritdoc IPatientConsent
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IPatientConsent
    function isAuthorized(
        address patient,
        address grantee,
        uint8 purpose,
        uint32 categories
    ) external view returns (bool) {
        return
            _consentCovers(_consents[patient][grantee], purpose, categories) ||
            (purpose == PurposeOfUse.ETREAT && _breakGlassOpen(patient, grantee));
    }

    /// @inheritdoc IPatientConsent
    function consentOf(address patient, address grantee) external view returns (Consent memory) {
        ConsentRecord storage record = _consents[patient][grantee];
        return
            Consent({
                purposes: record.purposes,
                categories: record.categories,
                start: record.start,
                end: record.end,
                serial: record.serial,
                revoked: record.revoked,
                signedGrantsBlocked: record.signedGrantsBlocked
            });
    }

    /// @inheritdoc IPatientConsent
    function consentStateOf(address patient, address grantee) external view returns (ConsentState) {
        return _consentState(_consents[patient][grantee]);
    }

    /// @inheritdoc IPatientConsent
    function consentIdOf(address patient, address grantee) external view returns (bytes32) {
        uint64 serial = _consents[patient][grantee].serial;
        return serial == 0 ? bytes32(0) : _consentId(patient, grantee, serial);
    }

    /// @inheritdoc IPatientConsent
    function computeConsentId(address patient, address grantee, uint64 serial) external pure returns (bytes32) {
        return _consentId(patient, grantee, serial);
    }

    /// @inheritdoc IPatientConsent
    function delegationOf(address patient, address delegate) external view returns (Delegation memory) {
        DelegationRecord storage record = _delegations[patient][delegate];
        return Delegation({purposes: record.purposes, categories: record.categories, until: record.until});
    }

    /// @inheritdoc IPatientConsent
    function delegationEndOf(address patient, address delegate) external view returns (uint48) {
        return _delegations[patient][delegate].until;
    }

    /// @inheritdoc IPatientConsent
    function isDelegate(address patient, address delegate) external view returns (bool) {
        return block.timestamp < _delegations[patient][delegate].until;
    }

    /// @inheritdoc IPatientConsent
    function recordOf(address provider, bytes32 recordHash) external view returns (Record memory) {
        AnchorRecord storage record = _records[provider][recordHash];
        return Record({patient: record.patient, categories: record.categories, anchoredAt: record.anchoredAt});
    }

    /// @inheritdoc IPatientConsent
    function breakGlassOf(address patient, address responder) external view returns (BreakGlass memory) {
        BreakGlassRecord storage record = _breakGlass[patient][responder];
        return BreakGlass({id: record.id, openedAt: record.openedAt, end: record.end});
    }

    /// @inheritdoc IPatientConsent
    function maxBreakGlassDuration() external view returns (uint48) {
        return _maxBreakGlassDuration;
    }

    /// @inheritdoc IPatientConsent
    function breakGlassCooldown() external view returns (uint48) {
        return _breakGlassCooldown;
    }

    /// @inheritdoc IPatientConsent
    function consentGrantDigest(ConsentGrant calldata grant) external view returns (bytes32) {
        return _consentGrantDigest(grant);
    }

    /// @inheritdoc IPatientConsent
    function consentRevocationDigest(ConsentRevocation calldata revocation) external view returns (bytes32) {
        return _consentRevocationDigest(revocation);
    }

    /// @inheritdoc IPatientConsent
    function delegateAppointmentDigest(DelegateAppointment calldata appointment) external view returns (bytes32) {
        return _delegateAppointmentDigest(appointment);
    }

    /// @inheritdoc IPatientConsent
    function delegateRemovalDigest(DelegateRemoval calldata removal) external view returns (bytes32) {
        return _delegateRemovalDigest(removal);
    }

    /// @inheritdoc IPatientConsent
    function isRevocationNonceUsed(address patient, uint256 nonce) external view returns (bool) {
        return (_usedRevocationNonces[patient][nonce >> 8] >> (nonce & 0xff)) & 1 == 1;
    }

    /// @inheritdoc IPatientConsent
    function nonces(address patient) public view override(IPatientConsent, Nonces) returns (uint256) {
        return super.nonces(patient);
    }

    /// @notice ERC-165: `IPatientConsent` and the access-control interfaces.
    /// @param interfaceId The interface asked about.
    /// @return True when supported.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IPatientConsent).interfaceId || super.supportsInterface(interfaceId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     PRIVATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Validates and stores a consent of `patient` to `grantee` as the pair's next serial, then emits. Replacing
    /// a consent revoked by transaction burns the patient's sequential nonce (see `_revokeConsent`).
    function _grantConsent(
        address patient,
        address grantee,
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 end,
        address grantedBy
    ) private returns (bytes32 consentId) {
        if (grantee == address(0) || grantee == patient) revert PatientConsentInvalidGrantee(grantee);
        if (purposes == 0 || purposes & ~PurposeOfUse.ALL != 0) revert PatientConsentInvalidPurposes(purposes);
        if (categories & ~DataCategory.ALL != 0) revert PatientConsentInvalidCategories(categories);
        if (end <= start || end <= block.timestamp) revert PatientConsentInvalidPeriod(start, end);

        ConsentRecord memory previous = _consents[patient][grantee];
        if (previous.signedGrantsBlocked) {
            // Only a grant by transaction gets here (signed ones are refused above): it lifts the block the pair's
            // revocation set, and burns the nonce that revocation deferred, so a grant signed before the revocation
            // stays void.
            emit NonceInvalidated(patient, _useNonce(patient));
        }
        uint64 serial = previous.serial + 1;
        _consents[patient][grantee] = ConsentRecord({
            purposes: purposes,
            categories: categories,
            start: start,
            end: end,
            serial: serial,
            revoked: false,
            signedGrantsBlocked: false
        });
        consentId = _consentId(patient, grantee, serial);
        emit ConsentGranted(consentId, patient, grantee, purposes, categories, start, end, grantedBy);
    }

    /// @dev Revokes the pending or active consent of (`patient`, `grantee`) so that no grant the patient signed
    /// before can bring it back, without the patient knowing about nonces. A signed revocation (`bySig`) burns the
    /// patient's sequential nonce: every earlier signed grant is void, later ones work. A revocation by transaction
    /// (patient or delegate) instead blocks signed grants for the pair, and the grant by transaction that later
    /// replaces the consent burns the nonce: the revocation costs nothing beyond the slot it already writes (a nonce
    /// write would add 5,000-22,100 gas to every revocation), and the deferred burn is paid only by a re-grant.
    function _revokeConsent(address patient, address grantee, address revokedBy, bool bySig) private {
        ConsentRecord memory consent = _consents[patient][grantee];
        _validateConsentStateBitmap(patient, grantee, consent, _REVOCABLE_STATES);
        consent.revoked = true;
        if (bySig) _useNonce(patient);
        else consent.signedGrantsBlocked = true;
        _consents[patient][grantee] = consent;
        emit ConsentRevoked(_consentId(patient, grantee, consent.serial), patient, grantee, revokedBy);
    }

    /// @dev Validates and stores `patient`'s delegation to `delegate`, then emits.
    function _setDelegate(address patient, address delegate, uint32 purposes, uint32 categories, uint48 until) private {
        if (delegate == address(0) || delegate == patient) revert PatientConsentInvalidDelegate(delegate);
        if (purposes == 0 || purposes & ~PurposeOfUse.ALL != 0) revert PatientConsentInvalidPurposes(purposes);
        if (categories & ~DataCategory.ALL != 0) revert PatientConsentInvalidCategories(categories);
        if (until <= block.timestamp) revert PatientConsentInvalidDelegationEnd(until);
        _delegations[patient][delegate] = DelegationRecord({purposes: purposes, categories: categories, until: until});
        emit DelegateSet(patient, delegate, purposes, categories, until);
    }

    /// @dev Removes `patient`'s active delegation to `delegate` and burns `patient`'s sequential nonce, so no
    /// appointment (or grant) signed before the removal can be submitted afterwards.
    function _revokeDelegate(address patient, address delegate) private {
        if (_delegations[patient][delegate].until <= block.timestamp) {
            revert PatientConsentDelegateNotActive(patient, delegate);
        }
        delete _delegations[patient][delegate];
        _useNonce(patient);
        emit DelegateRevoked(patient, delegate);
    }

    /// @dev Checks a signed action carrying an unordered nonce: the deadline, then marks `nonce` used for `patient`
    /// (effects before the ERC-1271 staticcall), then the signature of `digest`.
    function _checkUnorderedSignature(
        address patient,
        uint256 nonce,
        uint256 deadline,
        bytes32 digest,
        bytes calldata signature
    ) private {
        if (block.timestamp > deadline) revert PatientConsentSignatureExpired(deadline);
        uint256 bit = uint256(1) << (nonce & 0xff);
        mapping(uint256 word => uint256 bits) storage used = _usedRevocationNonces[patient];
        uint256 bits = used[nonce >> 8];
        if (bits & bit != 0) revert PatientConsentNonceAlreadyUsed(patient, nonce);
        used[nonce >> 8] = bits | bit;
        if (!SignatureChecker.isValidSignatureNowCalldata(patient, digest, signature)) {
            revert PatientConsentInvalidSignature(patient);
        }
    }

    /// @dev Reverts unless the caller, an active delegate of `patient`, may give `grantee` this grant: never to
    /// itself, only purposes and categories inside its scope (protected categories only when the scope names them),
    /// and ending no later than the delegation.
    function _checkDelegateGrant(
        address patient,
        address grantee,
        uint32 purposes,
        uint32 categories,
        uint48 end
    ) private view {
        DelegationRecord memory delegation = _delegations[patient][msg.sender];
        if (delegation.until <= block.timestamp) revert PatientConsentUnauthorizedCaller(msg.sender, patient);
        if (grantee == msg.sender) revert PatientConsentDelegateSelfGrant(patient, msg.sender);
        uint32 protectedOutside = categories & DataCategory.PROTECTED & ~delegation.categories;
        if (protectedOutside != 0) {
            revert PatientConsentProtectedCategoryNotDelegated(patient, msg.sender, protectedOutside);
        }
        if (purposes & ~delegation.purposes != 0 || categories & ~delegation.categories != 0) {
            revert PatientConsentBeyondDelegation(patient, msg.sender, purposes, categories);
        }
        if (end > delegation.until) {
            revert PatientConsentGrantOutlivesDelegation(patient, msg.sender, end, delegation.until);
        }
    }

    /// @dev Sets the wait between a responder's break-glass windows on one patient after checking its bounds.
    function _setBreakGlassCooldown(uint48 cooldown) private {
        if (cooldown < SHORTEST_BREAK_GLASS_COOLDOWN || cooldown > LONGEST_BREAK_GLASS_COOLDOWN) {
            revert PatientConsentBreakGlassCooldownOutOfBounds(
                cooldown,
                SHORTEST_BREAK_GLASS_COOLDOWN,
                LONGEST_BREAK_GLASS_COOLDOWN
            );
        }
        uint48 previous = _breakGlassCooldown;
        _breakGlassCooldown = cooldown;
        emit BreakGlassCooldownSet(previous, cooldown);
    }

    /// @dev Sets the break-glass window length after checking its bounds.
    function _setMaxBreakGlassDuration(uint48 duration) private {
        if (duration < SHORTEST_BREAK_GLASS || duration > LONGEST_BREAK_GLASS) {
            revert PatientConsentBreakGlassDurationOutOfBounds(duration, SHORTEST_BREAK_GLASS, LONGEST_BREAK_GLASS);
        }
        uint48 previous = _maxBreakGlassDuration;
        _maxBreakGlassDuration = duration;
        emit MaxBreakGlassDurationSet(previous, duration);
    }

    /// @dev Reverts unless the caller is `patient` or one of `patient`'s active delegates.
    function _checkPatientOrDelegate(address patient) private view {
        if (msg.sender != patient && _delegations[patient][msg.sender].until <= block.timestamp) {
            revert PatientConsentUnauthorizedCaller(msg.sender, patient);
        }
    }

    /// @dev The one lifecycle guard of the consent state machine (OpenZeppelin Governor's pattern): returns the state
    /// of `consent`, the pair (`patient`, `grantee`)'s consent already read, or reverts with
    /// `PatientConsentUnexpectedConsentState` unless its bit is in `allowedStates`.
    function _validateConsentStateBitmap(
        address patient,
        address grantee,
        ConsentRecord memory consent,
        bytes32 allowedStates
    ) private view returns (ConsentState current) {
        current = _consentState(consent);
        if (_encodeStateBitmap(current) & allowedStates == 0) {
            revert PatientConsentUnexpectedConsentState(patient, grantee, current, allowedStates);
        }
    }

    /// @dev The expected-states bitmap with only `state`'s bit (bit `uint8(state)`) set.
    function _encodeStateBitmap(ConsentState state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /// @dev Whether `consent` permits `purpose` on every category in `categories` now. A never-granted consent has
    /// no purpose bit, and a shift by 32 or more yields zero, so unknown purposes are never covered.
    function _consentCovers(
        ConsentRecord memory consent,
        uint8 purpose,
        uint32 categories
    ) private view returns (bool) {
        return
            !consent.revoked &&
            (consent.purposes >> purpose) & 1 == 1 &&
            categories & ~consent.categories == 0 &&
            consent.start <= block.timestamp &&
            block.timestamp < consent.end;
    }

    /// @dev Whether `responder` has an open break-glass window on `patient` and still holds `EMERGENCY_ROLE`.
    function _breakGlassOpen(address patient, address responder) private view returns (bool) {
        return block.timestamp < _breakGlass[patient][responder].end && hasRole(EMERGENCY_ROLE, responder);
    }

    /// @dev The state of `consent` now.
    function _consentState(ConsentRecord memory consent) private view returns (ConsentState) {
        if (consent.serial == 0) return ConsentState.None;
        if (consent.revoked) return ConsentState.Revoked;
        if (block.timestamp >= consent.end) return ConsentState.Expired;
        if (block.timestamp < consent.start) return ConsentState.Pending;
        return ConsentState.Active;
    }

    /// @dev The EIP-712 digest of `grant` for this chain and contract.
    function _consentGrantDigest(ConsentGrant calldata grant) private view returns (bytes32) {
        return _typedDataDigest(_CONSENT_GRANT_TYPEHASH, abi.encode(grant));
    }

    /// @dev The EIP-712 digest of `revocation` for this chain and contract.
    function _consentRevocationDigest(ConsentRevocation calldata revocation) private view returns (bytes32) {
        return _typedDataDigest(_CONSENT_REVOCATION_TYPEHASH, abi.encode(revocation));
    }

    /// @dev The EIP-712 digest of `appointment` for this chain and contract.
    function _delegateAppointmentDigest(DelegateAppointment calldata appointment) private view returns (bytes32) {
        return _typedDataDigest(_DELEGATE_APPOINTMENT_TYPEHASH, abi.encode(appointment));
    }

    /// @dev The EIP-712 digest of `removal` for this chain and contract.
    function _delegateRemovalDigest(DelegateRemoval calldata removal) private view returns (bytes32) {
        return _typedDataDigest(_DELEGATE_REMOVAL_TYPEHASH, abi.encode(removal));
    }

    /// @dev The EIP-712 digest of a message of type `typeHash` whose fields are all static, `encodedFields` being
    /// `abi.encode(message)`: the struct's ABI encoding is then exactly its fields' 32-byte words in order, which is
    /// what EIP-712's `hashStruct` encodes after the type hash.
    function _typedDataDigest(bytes32 typeHash, bytes memory encodedFields) private view returns (bytes32) {
        return _hashTypedDataV4(keccak256(bytes.concat(typeHash, encodedFields)));
    }

    /// @dev `keccak256(abi.encode(patient, grantee, serial))`.
    function _consentId(address patient, address grantee, uint64 serial) private pure returns (bytes32) {
        return keccak256(abi.encode(patient, grantee, serial));
    }
}
