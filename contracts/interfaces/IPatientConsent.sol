// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPatientConsent
/// @notice Purpose- and time-bound consent to health data, following the HL7 FHIR Consent resource: a patient (any
/// address) permits a grantee to act for a set of purposes of use on a set of data categories over a period. Patients
/// grant directly, through an EIP-712 signature anyone may submit (ERC-1271 wallets included), or through a delegate
/// (guardian, proxy) they appointed with a scope. Every patient action also exists as a signed action (grant, revoke,
/// appoint and remove a delegate), so a patient never needs gas. Providers anchor record hashes in their own
/// namespace and log every access; an `EMERGENCY_ROLE` holder may open a time-boxed, audited break-glass window, at
/// most once per cooldown on the same patient.
/// @dev Purposes of use are HL7 v3 PurposeOfUse codes numbered as in `sdk/patient-consent/vocabulary.ts` and
/// `contracts/libraries/ConsentVocabulary.sol` (0 TREAT, 1 ETREAT, 2 HPAYMT, 3 HOPERAT, 4 HRESCH, 5 PUBHLTH,
/// 6 CAREMGT, 7 COVERAGE, 8 HSYSADMIN, 9 PATRQT, 10 FAMRQT, 11 HLEGAL, 12 HMARKT, 13 CLINTRCH). Data categories are
/// a bitmask: bit 0 demographics, 1 conditions, 2 medications, 3 allergies, 4 labs, 5 imaging, 6 notes,
/// 7 immunizations, and the protected 8 mental health, 9 substance use (42 CFR Part 2), 10 genetics, 11 sexual and
/// reproductive health. Nothing personal is ever stored or logged: records are hashes, reasons are hashes.
///
/// A consent is keyed by the pair (patient, grantee): a new grant for the pair replaces the previous one, so every
/// question about the pair reads one storage slot. Each grant for a pair takes the pair's next serial; the consent id
/// `keccak256(abi.encode(patient, grantee, serial))` ties a grant to its revocation and to the accesses it covered.
interface IPatientConsent {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Where the consent of a (patient, grantee) pair stands.
    /// @dev None: never granted. Pending: granted, period not started. Active: within its period. Expired: period
    /// over. Revoked: withdrawn by the patient or a delegate. A new grant starts the pair over.
    enum ConsentState {
        None,
        Pending,
        Active,
        Expired,
        Revoked
    }

    /// @notice The consent a patient gave a grantee (the latest grant for the pair).
    /// @dev The consent is live for `start <= block.timestamp < end` unless revoked.
    struct Consent {
        /// @dev Mask of purposes of use: bit `p` set permits purpose code `p`.
        uint32 purposes;
        /// @dev Mask of data categories covered; zero permits the purposes without any data category.
        uint32 categories;
        /// @dev First second the consent is in force (unix time).
        uint48 start;
        /// @dev First second the consent is no longer in force (unix time, exclusive).
        uint48 end;
        /// @dev The pair's grant counter: 1 for the first grant, then 2, ...; zero means never granted.
        uint64 serial;
        /// @dev True once revoked.
        bool revoked;
        /// @dev True after a revocation by transaction (patient or delegate): no signed grant for the pair is
        /// accepted until a grant by transaction replaces this consent, which also burns the patient's nonce, so a
        /// grant signed before the revocation can never bring it back. A signed revocation burns the nonce at once
        /// instead and leaves this false.
        bool signedGrantsBlocked;
    }

    /// @notice A grant signed off chain by the patient (EIP-712 primary type `ConsentGrant`), submitted by anyone.
    /// @dev Type string: `ConsentGrant(address patient,address grantee,uint32 purposes,uint32 categories,uint48 start,
    /// uint48 end,uint256 nonce,uint256 deadline)`; domain name "carechain PatientConsent", version "1".
    struct ConsentGrant {
        /// @dev The patient whose signature (EOA or ERC-1271 wallet) authorizes the grant.
        address patient;
        /// @dev The address permitted.
        address grantee;
        /// @dev Mask of purposes of use.
        uint32 purposes;
        /// @dev Mask of data categories.
        uint32 categories;
        /// @dev Start of the period (unix time).
        uint48 start;
        /// @dev End of the period (unix time, exclusive).
        uint48 end;
        /// @dev The patient's current nonce (`nonces(patient)`); each signature is usable once.
        uint256 nonce;
        /// @dev Last second (unix time) the signature may be submitted.
        uint256 deadline;
    }

    /// @notice A signed revocation (EIP-712 primary type `ConsentRevocation`), submitted by anyone.
    /// @dev Type string: `ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)`.
    struct ConsentRevocation {
        /// @dev The patient whose signature (EOA or ERC-1271 wallet) authorizes the revocation.
        address patient;
        /// @dev The grantee losing access.
        address grantee;
        /// @dev An unordered nonce: any value the patient picks (at random), usable once (`isRevocationNonceUsed`).
        uint256 nonce;
        /// @dev Last second (unix time) the signature may be submitted.
        uint256 deadline;
    }

    /// @notice What a delegate may do for a patient, and until when.
    struct Delegation {
        /// @dev Mask of the purposes of use the delegate may grant.
        uint32 purposes;
        /// @dev Mask of the data categories the delegate may grant; protected categories only when set here.
        uint32 categories;
        /// @dev When the delegation ends (unix time, exclusive); zero when never appointed or removed.
        uint48 until;
    }

    /// @notice A delegate appointment signed by the patient (EIP-712 primary type `DelegateAppointment`).
    /// @dev Type string: `DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,
    /// uint48 until,uint256 nonce,uint256 deadline)`.
    struct DelegateAppointment {
        /// @dev The patient appointing.
        address patient;
        /// @dev The delegate appointed.
        address delegate;
        /// @dev Mask of the purposes the delegate may grant.
        uint32 purposes;
        /// @dev Mask of the categories the delegate may grant.
        uint32 categories;
        /// @dev When the delegation ends (unix time, exclusive).
        uint48 until;
        /// @dev The patient's current sequential nonce (`nonces(patient)`), shared with signed grants.
        uint256 nonce;
        /// @dev Last second (unix time) the signature may be submitted.
        uint256 deadline;
    }

    /// @notice A delegate removal signed by the patient (EIP-712 primary type `DelegateRemoval`).
    /// @dev Type string: `DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)`.
    struct DelegateRemoval {
        /// @dev The patient removing the delegate.
        address patient;
        /// @dev The delegate removed.
        address delegate;
        /// @dev An unordered nonce, from the same space as `ConsentRevocation.nonce`.
        uint256 nonce;
        /// @dev Last second (unix time) the signature may be submitted.
        uint256 deadline;
    }

    /// @notice A record anchored by a provider: the hash of an off-chain EHR document, never its content.
    /// @dev Keyed by (provider, record hash): each provider anchors in its own namespace, so nobody can occupy a
    /// hash for another provider.
    struct Record {
        /// @dev The patient the record is about.
        address patient;
        /// @dev The data categories the record contains (non-zero).
        uint32 categories;
        /// @dev When it was anchored (unix time); zero means not anchored.
        uint48 anchoredAt;
    }

    /// @notice The latest break-glass window a responder opened on a patient.
    /// @dev Open while
    /// `block.timestamp < end` and the responder still holds `EMERGENCY_ROLE`.
    struct BreakGlass {
        /// @dev Contract-wide sequence number of the window (1, 2, ...); zero means never opened.
        uint64 id;
        /// @dev When it was opened (unix time).
        uint48 openedAt;
        /// @dev When it closes (unix time, exclusive); set to the closing time when ended early.
        uint48 end;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `grantedBy` (the patient, or an active delegate) gave `grantee` the consent `consentId` of `patient`,
    /// replacing any earlier consent of the pair.
    /// @param consentId `keccak256(abi.encode(patient, grantee, serial))`.
    /// @param patient The patient.
    /// @param grantee The address permitted.
    /// @param purposes Mask of purposes of use.
    /// @param categories Mask of data categories.
    /// @param start Start of the period.
    /// @param end End of the period (exclusive).
    /// @param grantedBy The patient (also for signed grants) or the delegate that granted.
    event ConsentGranted(
        bytes32 indexed consentId,
        address indexed patient,
        address indexed grantee,
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 end,
        address grantedBy
    );

    /// @notice `revokedBy` (the patient or an active delegate) revoked consent `consentId` of `patient` to `grantee`.
    /// @param consentId The id emitted when it was granted.
    /// @param patient The patient.
    /// @param grantee The address that lost access.
    /// @param revokedBy The patient or the delegate that revoked.
    event ConsentRevoked(
        bytes32 indexed consentId,
        address indexed patient,
        address indexed grantee,
        address revokedBy
    );

    /// @notice `patient` appointed `delegate` (or replaced its scope and end) to grant `purposes` on `categories`
    /// and to revoke for them until `until`.
    /// @param patient The patient.
    /// @param delegate The guardian or proxy.
    /// @param purposes Mask of the purposes the delegate may grant.
    /// @param categories Mask of the categories the delegate may grant.
    /// @param until When the delegation ends (unix time, exclusive).
    event DelegateSet(
        address indexed patient,
        address indexed delegate,
        uint32 purposes,
        uint32 categories,
        uint48 until
    );

    /// @notice `patient` removed `delegate` (which also voids every action the patient signed with a sequential
    /// nonce before).
    /// @param patient The patient.
    /// @param delegate The former delegate.
    event DelegateRevoked(address indexed patient, address indexed delegate);

    /// @notice `patient` burned nonce `nonce`, so any grant they signed with it can no longer be submitted.
    /// @param patient The patient.
    /// @param nonce The nonce made unusable.
    event NonceInvalidated(address indexed patient, uint256 nonce);

    /// @notice `provider` anchored record `recordHash` about `patient`, containing `categories`.
    /// @param recordHash The (salted) hash of the off-chain document.
    /// @param patient The patient.
    /// @param provider The provider, authorized by the patient for TREAT on `categories`.
    /// @param categories The record's data categories.
    event RecordAnchored(
        bytes32 indexed recordHash,
        address indexed patient,
        address indexed provider,
        uint32 categories
    );

    /// @notice `accessor` accessed record `recordHash` anchored by `provider` of `patient` for `purpose`, covered by
    /// consent `consentId` or, when `breakGlassId` is non-zero, by break-glass window `breakGlassId` (flagged for
    /// audit).
    /// @param patient The patient.
    /// @param recordHash The record accessed.
    /// @param accessor Who accessed it.
    /// @param provider The provider in whose namespace the record is anchored.
    /// @param purpose The purpose-of-use code.
    /// @param consentId The covering consent, or zero when the access rests on break-glass.
    /// @param breakGlassId The covering break-glass window, or zero when a consent covered the access.
    event AccessLogged(
        address indexed patient,
        bytes32 indexed recordHash,
        address indexed accessor,
        address provider,
        uint8 purpose,
        bytes32 consentId,
        uint64 breakGlassId
    );

    /// @notice AUDIT: `responder` broke the glass on `patient`: emergency treatment access (ETREAT, every category)
    /// without consent until `end`.
    /// @param breakGlassId The window's sequence number.
    /// @param patient The patient.
    /// @param responder The `EMERGENCY_ROLE` holder.
    /// @param reasonHash Hash of the off-chain incident record justifying it (never a free-text reason).
    /// @param end When the window closes (unix time, exclusive).
    event BreakGlassOpened(
        uint64 indexed breakGlassId,
        address indexed patient,
        address indexed responder,
        bytes32 reasonHash,
        uint48 end
    );

    /// @notice AUDIT: `responder` closed break-glass window `breakGlassId` on `patient` before its end.
    /// @param breakGlassId The window's sequence number.
    /// @param patient The patient.
    /// @param responder The responder that opened it.
    event BreakGlassEnded(uint64 indexed breakGlassId, address indexed patient, address indexed responder);

    /// @notice The admin changed the length of future break-glass windows.
    /// @param previousDuration The former length in seconds.
    /// @param newDuration The new length in seconds.
    event MaxBreakGlassDurationSet(uint48 previousDuration, uint48 newDuration);

    /// @notice The admin changed the wait between a responder's break-glass windows on the same patient.
    /// @param previousCooldown The former wait in seconds.
    /// @param newCooldown The new wait in seconds.
    event BreakGlassCooldownSet(uint48 previousCooldown, uint48 newCooldown);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           ERRORS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `caller` is neither `patient` nor an active delegate of `patient`.
    /// @param caller The caller.
    /// @param patient The patient whose consent was to be changed.
    error PatientConsentUnauthorizedCaller(address caller, address patient);

    /// @notice `grantee` cannot receive a consent: it is the zero address or the patient.
    /// @param grantee The refused grantee.
    error PatientConsentInvalidGrantee(address grantee);

    /// @notice `purposes` is empty or has a bit no purpose code is defined for.
    /// @param purposes The refused mask.
    error PatientConsentInvalidPurposes(uint32 purposes);

    /// @notice `categories` has a bit no data category is defined for (or is empty where one is required).
    /// @param categories The refused mask.
    error PatientConsentInvalidCategories(uint32 categories);

    /// @notice The period [`start`, `end`) is empty or already over.
    /// @param start The start given.
    /// @param end The end given.
    error PatientConsentInvalidPeriod(uint48 start, uint48 end);

    /// @notice The consent of (`patient`, `grantee`) is in state `current`, not one of `expectedStates`.
    /// @param patient The patient.
    /// @param grantee The grantee.
    /// @param current The consent's state.
    /// @param expectedStates Bitmap of the accepted states: bit `uint8(state)` set for each.
    error PatientConsentUnexpectedConsentState(
        address patient,
        address grantee,
        ConsentState current,
        bytes32 expectedStates
    );

    /// @notice The signed action's `deadline` has passed.
    /// @param deadline The deadline signed.
    error PatientConsentSignatureExpired(uint256 deadline);

    /// @notice The signed grant's or appointment's `nonce` is not `patient`'s current sequential nonce (already used,
    /// voided by a revocation, or not yet reached).
    /// @param patient The patient.
    /// @param currentNonce The nonce the next signed grant must carry.
    /// @param nonce The nonce given.
    error PatientConsentInvalidNonce(address patient, uint256 currentNonce, uint256 nonce);

    /// @notice The signature is not `patient`'s signature of the action (for this chain and contract).
    /// @param patient The patient the action names.
    error PatientConsentInvalidSignature(address patient);

    /// @notice `patient` revoked `grantee` by transaction, which voids every signed grant for the pair, including
    /// this one, until the patient (or a delegate) grants `grantee` again by transaction.
    /// @param patient The patient.
    /// @param grantee The grantee.
    error PatientConsentSignedGrantsBlocked(address patient, address grantee);

    /// @notice `patient` already used the unordered nonce `nonce` (for a signed revocation or delegate removal).
    /// @param patient The patient.
    /// @param nonce The nonce given.
    error PatientConsentNonceAlreadyUsed(address patient, uint256 nonce);

    /// @notice Delegate `delegate` of `patient` tried to make itself a grantee; only the patient can.
    /// @param patient The patient.
    /// @param delegate The delegate.
    error PatientConsentDelegateSelfGrant(address patient, address delegate);

    /// @notice Delegate `delegate` of `patient` tried to grant protected categories `categories` its delegation does
    /// not name explicitly.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @param categories The protected categories outside the delegation's scope.
    error PatientConsentProtectedCategoryNotDelegated(address patient, address delegate, uint32 categories);

    /// @notice Delegate `delegate` of `patient` tried to grant `purposes` or `categories` outside its delegation.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @param purposes The purposes asked to grant.
    /// @param categories The categories asked to grant.
    error PatientConsentBeyondDelegation(address patient, address delegate, uint32 purposes, uint32 categories);

    /// @notice Delegate `delegate` of `patient` tried to grant a consent ending at `end`, after its delegation ends.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @param end The consent's end asked for.
    /// @param until The delegation's end.
    error PatientConsentGrantOutlivesDelegation(address patient, address delegate, uint48 end, uint48 until);

    /// @notice `delegate` cannot be appointed: it is the zero address or the patient.
    /// @param delegate The refused delegate.
    error PatientConsentInvalidDelegate(address delegate);

    /// @notice The delegation end `until` is not in the future.
    /// @param until The end given.
    error PatientConsentInvalidDelegationEnd(uint48 until);

    /// @notice `delegate` is not an active delegate of `patient`.
    /// @param patient The patient.
    /// @param delegate The address that is not (or no longer) a delegate.
    error PatientConsentDelegateNotActive(address patient, address delegate);

    /// @notice `recordHash` is zero.
    /// @param recordHash The refused hash.
    error PatientConsentInvalidRecordHash(bytes32 recordHash);

    /// @notice `provider` already anchored `recordHash`; anchors are never overwritten.
    /// @param provider The provider (the namespace).
    /// @param recordHash The record hash.
    error PatientConsentRecordAlreadyAnchored(address provider, bytes32 recordHash);

    /// @notice `provider` has anchored no record `recordHash`.
    /// @param provider The provider named.
    /// @param recordHash The record hash.
    error PatientConsentUnknownRecord(address provider, bytes32 recordHash);

    /// @notice Record `recordHash` of `provider` is not about `patient`.
    /// @param provider The provider named.
    /// @param recordHash The record hash.
    /// @param patient The patient named in the call.
    error PatientConsentRecordPatientMismatch(address provider, bytes32 recordHash, address patient);

    /// @notice `accessor` is not authorized by `patient` for `purpose` on `categories`.
    /// @param patient The patient.
    /// @param accessor The caller that asked.
    /// @param purpose The purpose-of-use code asked for.
    /// @param categories The data categories asked for.
    error PatientConsentNotAuthorized(address patient, address accessor, uint8 purpose, uint32 categories);

    /// @notice `patient` is the zero address or the caller itself.
    /// @param patient The refused patient.
    error PatientConsentInvalidPatient(address patient);

    /// @notice The break-glass reason hash is zero; an emergency must reference an incident record.
    /// @param reasonHash The refused hash.
    error PatientConsentInvalidReason(bytes32 reasonHash);

    /// @notice `responder` already has a break-glass window on `patient` open until `end`.
    /// @param patient The patient.
    /// @param responder The responder.
    /// @param end When the open window closes.
    error PatientConsentBreakGlassAlreadyOpen(address patient, address responder, uint48 end);

    /// @notice `responder` has no open break-glass window on `patient`.
    /// @param patient The patient.
    /// @param responder The responder.
    error PatientConsentBreakGlassNotOpen(address patient, address responder);

    /// @notice `duration` is outside [`shortest`, `longest`].
    /// @param duration The refused duration in seconds.
    /// @param shortest The shortest allowed.
    /// @param longest The longest allowed.
    error PatientConsentBreakGlassDurationOutOfBounds(uint48 duration, uint48 shortest, uint48 longest);

    /// @notice `responder`'s last window on `patient` closed less than the cooldown ago; it may open the next one at
    /// `availableAt`.
    /// @param patient The patient.
    /// @param responder The responder.
    /// @param availableAt The first second a new window is allowed (unix time).
    error PatientConsentBreakGlassCoolingDown(address patient, address responder, uint48 availableAt);

    /// @notice `cooldown` is outside [`shortest`, `longest`].
    /// @param cooldown The refused cooldown in seconds.
    /// @param shortest The shortest allowed.
    /// @param longest The longest allowed.
    error PatientConsentBreakGlassCooldownOutOfBounds(uint48 cooldown, uint48 shortest, uint48 longest);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The role allowed to break the glass.
    /// @return `keccak256("EMERGENCY_ROLE")`.
    function EMERGENCY_ROLE() external view returns (bytes32);

    /// @notice The shortest break-glass window the admin may set.
    /// @return 15 minutes.
    function SHORTEST_BREAK_GLASS() external view returns (uint48);

    /// @notice The longest break-glass window the admin may set.
    /// @return 72 hours.
    function LONGEST_BREAK_GLASS() external view returns (uint48);

    /// @notice The shortest break-glass cooldown the admin may set.
    /// @return 1 hour.
    function SHORTEST_BREAK_GLASS_COOLDOWN() external view returns (uint48);

    /// @notice The longest break-glass cooldown the admin may set.
    /// @return 30 days.
    function LONGEST_BREAK_GLASS_COOLDOWN() external view returns (uint48);

    /// @notice The cooldown a new deployment starts with.
    /// @return 24 hours.
    function DEFAULT_BREAK_GLASS_COOLDOWN() external view returns (uint48);

    /// @notice How many purpose-of-use codes are defined (`0 .. PURPOSE_COUNT() - 1`).
    /// @return 14.
    function PURPOSE_COUNT() external view returns (uint8);

    /// @notice How many data categories are defined (bits `0 .. CATEGORY_COUNT() - 1`).
    /// @return 12.
    function CATEGORY_COUNT() external view returns (uint8);

    /// @notice The mask of the specially protected categories (mental health, substance use, genetics, sexual and
    /// reproductive health).
    /// @return `0xF00`.
    function PROTECTED_CATEGORIES() external view returns (uint32);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     CONSENT FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Gives `grantee` consent to act for `purposes` on `categories` of `patient`'s data during
    /// [`start`, `end`), replacing any earlier consent of the pair.
    /// @dev Caller: `patient` or an active delegate of `patient`. Replacing a consent revoked by transaction burns
    /// the patient's sequential nonce (emits `NonceInvalidated`), so no grant signed before that revocation can be
    /// submitted afterwards. A delegate never grants to itself, grants only
    /// purposes and categories inside its delegation (protected categories only when the delegation names them) and
    /// only until the delegation's end; a consent it granted stays until its own end or a revocation. Refused while
    /// paused. Emits `ConsentGranted`.
    /// @param patient The patient.
    /// @param grantee The address permitted (not zero, not the patient).
    /// @param purposes Mask of purposes of use (non-empty, defined codes only).
    /// @param categories Mask of data categories (defined bits only; zero for the purposes alone).
    /// @param start Start of the period (may be in the past: in force at once).
    /// @param end End of the period, exclusive; after `start` and in the future.
    /// @return consentId The new consent's id.
    function grantConsent(
        address patient,
        address grantee,
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 end
    ) external returns (bytes32 consentId);

    /// @notice Records a grant `grant.patient` signed off chain (EIP-712), submitted by anyone.
    /// @dev Checks the deadline, consumes the patient's nonce, then checks the signature with OpenZeppelin's
    /// `SignatureChecker` (ECDSA for accounts without code, ERC-1271 for wallets). Refused after a revocation by
    /// transaction of the pair (`signedGrantsBlocked`) and while paused. Emits
    /// `ConsentGranted` with `grantedBy = grant.patient`.
    /// @param grant The signed grant.
    /// @param signature The patient's signature of `consentGrantDigest(grant)`.
    /// @return consentId The new consent's id.
    function grantConsentBySig(
        ConsentGrant calldata grant,
        bytes calldata signature
    ) external returns (bytes32 consentId);

    /// @notice Revokes the pending or active consent `patient` gave `grantee`, at once, and blocks every signed grant
    /// for the pair (so a grant signed before and handed over cannot bring the consent back) until the patient or a
    /// delegate grants `grantee` again by transaction.
    /// @dev Caller: `patient` or an active delegate. Constant cost however many consents the patient has: it writes
    /// only the pair's slot (`signedGrantsBlocked`). Works while paused: withdrawing consent is never blocked. Emits
    /// `ConsentRevoked`.
    /// @param patient The patient.
    /// @param grantee The grantee losing access.
    function revokeConsent(address patient, address grantee) external;

    /// @notice Records a revocation `revocation.patient` signed off chain (EIP-712), submitted by anyone; the same
    /// effect as the patient calling `revokeConsent`.
    /// @dev Checks the deadline, marks the unordered nonce used, then checks the signature with `SignatureChecker`.
    /// Consumes `nonces(patient)`, so every grant or appointment the patient signed before is void while later ones
    /// work (signed re-grants after a signed revocation stay possible). The nonce is not the sequential one, so nobody (a grantee submitting a stale grant first included) can make
    /// the revocation's nonce stale. Works while paused. Emits `ConsentRevoked` with `revokedBy = patient`.
    /// @param revocation The signed revocation.
    /// @param signature The patient's signature of `consentRevocationDigest(revocation)`.
    function revokeConsentBySig(ConsentRevocation calldata revocation, bytes calldata signature) external;

    /// @notice Burns the caller's current nonce, so a grant they signed with it and handed over can no longer be
    /// submitted.
    /// @dev Works while paused. Emits `NonceInvalidated`.
    function invalidateNonce() external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     DELEGATE FUNCTIONS                     */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Appoints `delegate` (guardian, proxy) to grant `purposes` on `categories` and to revoke consents for
    /// the caller until `until`, or replaces an existing delegate's scope and end.
    /// @dev Only the patient appoints, for themselves: a delegate calling this appoints for its own account, never
    /// for the patient. Protected categories are grantable by the delegate only when `categories` names them.
    /// Refused while paused. Emits `DelegateSet`.
    /// @param delegate The delegate (not zero, not the caller).
    /// @param purposes Mask of the purposes the delegate may grant (non-empty, defined codes only).
    /// @param categories Mask of the categories the delegate may grant (defined bits only).
    /// @param until When the delegation ends (unix time, exclusive; in the future).
    function setDelegate(address delegate, uint32 purposes, uint32 categories, uint48 until) external;

    /// @notice Records a delegate appointment `appointment.patient` signed off chain (EIP-712), submitted by
    /// anyone; the same effect as the patient calling `setDelegate`.
    /// @dev Checks the deadline, consumes the patient's sequential nonce, then checks the signature with
    /// `SignatureChecker`. Refused while paused. Emits `DelegateSet`.
    /// @param appointment The signed appointment.
    /// @param signature The patient's signature of `delegateAppointmentDigest(appointment)`.
    function setDelegateBySig(DelegateAppointment calldata appointment, bytes calldata signature) external;

    /// @notice Removes the caller's active delegate `delegate` at once; only the patient can appoint it again. Also
    /// voids every action the caller signed with a sequential nonce and has not had submitted yet.
    /// @dev Consumes `nonces(msg.sender)`. Works while paused. Emits `DelegateRevoked`.
    /// @param delegate The delegate to remove.
    function revokeDelegate(address delegate) external;

    /// @notice Records a delegate removal `removal.patient` signed off chain (EIP-712), submitted by anyone; the
    /// same effect as the patient calling `revokeDelegate`.
    /// @dev Checks the deadline, marks the unordered nonce used (shared with signed revocations), then checks the
    /// signature with `SignatureChecker`. Works while paused. Emits `DelegateRevoked`.
    /// @param removal The signed removal.
    /// @param signature The patient's signature of `delegateRemovalDigest(removal)`.
    function revokeDelegateBySig(DelegateRemoval calldata removal, bytes calldata signature) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                RECORD AND ACCESS FUNCTIONS                 */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Anchors `recordHash`, the (salted) hash of an off-chain EHR document about `patient` containing
    /// `categories`.
    /// @dev Caller: a provider that `patient` authorized for TREAT on every category in `categories` (through a
    /// consent; break-glass grants ETREAT only). The record is anchored in the caller's namespace: a hash is anchored
    /// once per provider and never overwritten, and another provider's anchor of the same hash never blocks it.
    /// Refused while paused. Emits `RecordAnchored`.
    /// @param patient The patient.
    /// @param recordHash The record's hash (non-zero).
    /// @param categories The record's data categories (non-empty, defined bits only).
    function anchorRecord(address patient, bytes32 recordHash, uint32 categories) external;

    /// @notice Logs that the caller accessed record `recordHash` that `provider` anchored about `patient`, for
    /// `purpose`.
    /// @dev Refused unless the caller is authorized by `patient` for `purpose` on all the record's categories at
    /// this moment (a consent, or for ETREAT an open break-glass window, which the event flags). Refused while
    /// paused. Emits `AccessLogged`.
    /// @param patient The patient.
    /// @param provider The provider that anchored the record (its namespace).
    /// @param recordHash The anchored record accessed.
    /// @param purpose The purpose-of-use code.
    function logAccess(address patient, address provider, bytes32 recordHash, uint8 purpose) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                   BREAK-GLASS FUNCTIONS                    */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Opens emergency access for the caller on `patient`: ETREAT on every category, without consent, for
    /// `maxBreakGlassDuration()` seconds.
    /// @dev Caller: an `EMERGENCY_ROLE` holder without an open window on `patient` whose previous window there (if
    /// any) closed at least `breakGlassCooldown()` ago. Every window gets its own id and event. The window closes at its end, when
    /// the responder ends it, or when the responder loses `EMERGENCY_ROLE`. Refused while paused. Emits
    /// `BreakGlassOpened` (flagged for audit).
    /// @param patient The patient (not zero, not the caller).
    /// @param reasonHash Hash of the off-chain incident record (non-zero; never a free-text reason).
    /// @return breakGlassId The window's sequence number.
    function breakGlass(address patient, bytes32 reasonHash) external returns (uint64 breakGlassId);

    /// @notice Closes the caller's open break-glass window on `patient` now.
    /// @dev Works while paused. Emits `BreakGlassEnded`.
    /// @param patient The patient.
    function endBreakGlass(address patient) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      ADMIN FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Sets the length of break-glass windows opened from now on; open windows keep their end.
    /// @dev Caller: `DEFAULT_ADMIN_ROLE`. Emits `MaxBreakGlassDurationSet`.
    /// @param duration Seconds, within [`SHORTEST_BREAK_GLASS()`, `LONGEST_BREAK_GLASS()`].
    function setMaxBreakGlassDuration(uint48 duration) external;

    /// @notice Sets the wait between a responder's break-glass window on a patient closing and its next one there,
    /// so windows cannot be chained; applies to every window opened from now on.
    /// @dev Caller: `DEFAULT_ADMIN_ROLE`. Emits `BreakGlassCooldownSet`.
    /// @param cooldown Seconds, within [`SHORTEST_BREAK_GLASS_COOLDOWN()`, `LONGEST_BREAK_GLASS_COOLDOWN()`].
    function setBreakGlassCooldown(uint48 cooldown) external;

    /// @notice Stops new grants, delegations, anchors, access logs and break-glass windows.
    /// @dev Caller: `DEFAULT_ADMIN_ROLE`. Revocations (`revokeConsent`, `revokeConsentBySig`, `revokeDelegate`,
    /// `revokeDelegateBySig`, `invalidateNonce`, `endBreakGlass`) keep working. Emits `Paused`.
    function pause() external;

    /// @notice Resumes after `pause`.
    /// @dev Caller: `DEFAULT_ADMIN_ROLE`. Emits `Unpaused`.
    function unpause() external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Whether `grantee` may act for `purpose` on every data category in `categories` of
    /// `patient`'s data right now, through a consent or an open break-glass window.
    /// @dev Constant time: no loop over the patient's consents. The one check other contracts call. True when the
    /// pair's consent is not revoked, has bit `purpose` set, covers `categories` and `start <= now < end`; or, for
    /// ETREAT, when `grantee` holds `EMERGENCY_ROLE` and has an open break-glass window on `patient`.
    /// @param patient The patient's address.
    /// @param grantee The address asking for access.
    /// @param purpose The purpose-of-use code.
    /// @param categories The data categories asked for (bitmask); zero asks for the purpose alone.
    /// @return True when a live consent (or break-glass window) covers the purpose and every category.
    function isAuthorized(
        address patient,
        address grantee,
        uint8 purpose,
        uint32 categories
    ) external view returns (bool);

    /// @notice The latest consent `patient` gave `grantee` (live or not).
    /// @param patient The patient.
    /// @param grantee The grantee.
    /// @return The stored consent; all zero when never granted.
    function consentOf(address patient, address grantee) external view returns (Consent memory);

    /// @notice Where the consent of (`patient`, `grantee`) stands now.
    /// @param patient The patient.
    /// @param grantee The grantee.
    /// @return The state.
    function consentStateOf(address patient, address grantee) external view returns (ConsentState);

    /// @notice The id of the latest consent `patient` gave `grantee`.
    /// @param patient The patient.
    /// @param grantee The grantee.
    /// @return The id, or zero when never granted.
    function consentIdOf(address patient, address grantee) external view returns (bytes32);

    /// @notice The consent id of the `serial`-th grant from `patient` to `grantee`.
    /// @param patient The patient.
    /// @param grantee The grantee.
    /// @param serial The grant's serial (1 for the pair's first).
    /// @return `keccak256(abi.encode(patient, grantee, serial))`.
    function computeConsentId(address patient, address grantee, uint64 serial) external pure returns (bytes32);

    /// @notice The scope and end of `patient`'s delegation to `delegate`.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @return The delegation; all zero when never appointed or removed.
    function delegationOf(address patient, address delegate) external view returns (Delegation memory);

    /// @notice Until when `delegate` may act for `patient`.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @return The end of the delegation (exclusive); zero when never appointed or removed.
    function delegationEndOf(address patient, address delegate) external view returns (uint48);

    /// @notice Whether `delegate` may act for `patient` now.
    /// @param patient The patient.
    /// @param delegate The delegate.
    /// @return True while the delegation runs.
    function isDelegate(address patient, address delegate) external view returns (bool);

    /// @notice The record `provider` anchored under `recordHash`.
    /// @param provider The provider (the namespace).
    /// @param recordHash The record hash.
    /// @return The record; all zero when not anchored.
    function recordOf(address provider, bytes32 recordHash) external view returns (Record memory);

    /// @notice The latest break-glass window `responder` opened on `patient`.
    /// @param patient The patient.
    /// @param responder The responder.
    /// @return The window; all zero when never opened.
    function breakGlassOf(address patient, address responder) external view returns (BreakGlass memory);

    /// @notice Length in seconds of the break-glass windows opened from now on.
    /// @return The duration.
    function maxBreakGlassDuration() external view returns (uint48);

    /// @notice The wait in seconds between a responder's break-glass window on a patient closing and its next one.
    /// @return The cooldown.
    function breakGlassCooldown() external view returns (uint48);

    /// @notice Whether `patient` already used the unordered nonce `nonce` (signed revocations and removals).
    /// @param patient The patient.
    /// @param nonce The nonce.
    /// @return True once used.
    function isRevocationNonceUsed(address patient, uint256 nonce) external view returns (bool);

    /// @notice The sequential nonce `patient`'s next signed grant or delegate appointment must carry.
    /// @param patient The patient.
    /// @return The nonce.
    function nonces(address patient) external view returns (uint256);

    /// @notice The EIP-712 digest the patient signs for `grant` on this chain and contract.
    /// @param grant The grant.
    /// @return The digest (`\x19\x01 ‖ domainSeparator ‖ hashStruct(grant)`).
    function consentGrantDigest(ConsentGrant calldata grant) external view returns (bytes32);

    /// @notice The EIP-712 digest the patient signs for `revocation` on this chain and contract.
    /// @param revocation The revocation.
    /// @return The digest.
    function consentRevocationDigest(ConsentRevocation calldata revocation) external view returns (bytes32);

    /// @notice The EIP-712 digest the patient signs for `appointment` on this chain and contract.
    /// @param appointment The appointment.
    /// @return The digest.
    function delegateAppointmentDigest(DelegateAppointment calldata appointment) external view returns (bytes32);

    /// @notice The EIP-712 digest the patient signs for `removal` on this chain and contract.
    /// @param removal The removal.
    /// @return The digest.
    function delegateRemovalDigest(DelegateRemoval calldata removal) external view returns (bytes32);
}
