// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {IPatientConsent} from "../contracts/interfaces/IPatientConsent.sol";
import {DataCategory, PurposeOfUse} from "../contracts/libraries/ConsentVocabulary.sol";
import {PatientConsent} from "../contracts/PatientConsent.sol";
import {Deployers} from "./helpers/Deployers.sol";

/// @dev Shared set-up: a deployment with an admin and one emergency responder, clock at a fixed start.
abstract contract PatientConsentBase is Deployers {
    uint48 internal constant T0 = 1_700_000_000;
    uint48 internal constant BREAK_GLASS = 24 hours;

    address internal responder = makeAddr("responder");

    function setUp() public virtual {
        vm.warp(T0);
        _deployPatientConsent(BREAK_GLASS);
        _grantRole(consent, consent.EMERGENCY_ROLE(), responder);
    }

    /// @dev The admin sets the break-glass cooldown (`cooldown`) or the longest break-glass window to `value`: accepted
    /// exactly within the setting's bounds (cooldown 1 hour to 30 days, window 15 minutes to 72 hours); otherwise
    /// refused with the setting's out-of-bounds error `(value, shortest, longest)` and the setup's value kept.
    function _assertAdminSetsWithinBounds(bool cooldown, uint48 value) internal {
        uint48 shortest = cooldown ? 1 hours : 15 minutes;
        uint48 longest = cooldown ? 30 days : 72 hours;
        uint48 unchanged = cooldown ? consent.DEFAULT_BREAK_GLASS_COOLDOWN() : BREAK_GLASS;
        bool valid = value >= shortest && value <= longest;
        if (!valid) {
            bytes4 selector =
                cooldown
                    ? IPatientConsent.PatientConsentBreakGlassCooldownOutOfBounds.selector
                    : IPatientConsent.PatientConsentBreakGlassDurationOutOfBounds.selector;
            vm.expectRevert(abi.encodeWithSelector(selector, value, shortest, longest));
        }
        vm.prank(admin);
        if (cooldown) consent.setBreakGlassCooldown(value);
        else consent.setMaxBreakGlassDuration(value);
        assertEq(cooldown ? consent.breakGlassCooldown() : consent.maxBreakGlassDuration(), valid ? value : unchanged);
    }

    /// @dev A fuzzed purposes mask made non-empty and defined, and a fuzzed categories mask made defined.
    function _boundScope(uint32 purposes, uint32 categories) internal pure returns (uint32, uint32) {
        return (uint32(bound(purposes, 1, PurposeOfUse.ALL)), categories & DataCategory.ALL);
    }

    function _grant(uint32 purposes, uint32 categories, uint48 start, uint48 end) internal {
        vm.prank(patient);
        consent.grantConsent(patient, clinic, purposes, categories, start, end);
    }

    /// @dev The definition `isAuthorized` must meet for a consent (break-glass aside).
    function _covers(
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 end,
        bool revoked,
        uint8 purpose,
        uint32 asked,
        uint256 at
    ) internal pure returns (bool) {
        bool purposeSet = purpose < 32 && (purposes & (uint32(1) << purpose)) != 0;
        return !revoked && purposeSet && (asked & ~categories) == 0 && start <= at && at < end;
    }
}

contract PatientConsentTest is PatientConsentBase {
    function test_supportsInterface_answersForIPatientConsentAndAccessControl() public view {
        _assertSupportsInterfaces(consent, type(IPatientConsent).interfaceId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                  PERIODS AND BITMASKS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_isAuthorized_exactlyWithinPurposeScopeAndPeriod() public {
        uint32 purposes = (uint32(1) << PurposeOfUse.TREAT) | (uint32(1) << PurposeOfUse.HPAYMT);
        uint32 categories = DataCategory.LABS | DataCategory.MEDICATIONS;
        _grant(purposes, categories, T0 + 100, T0 + 200);

        assertFalse(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, 0), "before start");
        vm.warp(T0 + 100);
        assertTrue(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, 0), "at start");
        assertTrue(consent.isAuthorized(patient, clinic, PurposeOfUse.HPAYMT, categories), "all categories");
        assertTrue(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, DataCategory.LABS), "subset");
        assertFalse(
            consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, DataCategory.LABS | DataCategory.GENETICS),
            "not a subset"
        );
        assertFalse(consent.isAuthorized(patient, clinic, PurposeOfUse.HRESCH, 0), "purpose not granted");
        assertFalse(consent.isAuthorized(patient, clinic, 200, 0), "undefined purpose");
        vm.warp(T0 + 199);
        assertTrue(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, 0), "last second");
        vm.warp(T0 + 200);
        assertFalse(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, 0), "end is exclusive");
    }

    function testFuzz_isAuthorized_exactlyWithinPurposeScopeAndPeriod(
        uint32 purposes,
        uint32 categories,
        uint48 start,
        uint48 length,
        bool revoke,
        uint8 purpose,
        uint32 asked,
        bool askSubset,
        uint48 at
    ) public {
        (purposes, categories) = _boundScope(purposes, categories);
        start = uint48(bound(start, 0, T0 + 400 days));
        uint48 floor = start > T0 ? start : T0;
        uint48 end = uint48(bound(length, 1, 800 days)) + floor;
        purpose = uint8(bound(purpose, 0, 40));
        if (askSubset) asked &= categories;
        at = uint48(bound(at, T0, uint256(end) + 400 days));

        _grant(purposes, categories, start, end);
        if (revoke) {
            vm.prank(patient);
            consent.revokeConsent(patient, clinic);
        }
        vm.warp(at);

        assertEq(
            consent.isAuthorized(patient, clinic, purpose, asked),
            _covers(purposes, categories, start, end, revoke, purpose, asked, at)
        );
        uint8 expectedState =
            revoke
                ? uint8(IPatientConsent.ConsentState.Revoked)
                : at >= end
                    ? uint8(IPatientConsent.ConsentState.Expired)
                    : at < start
                        ? uint8(IPatientConsent.ConsentState.Pending)
                        : uint8(IPatientConsent.ConsentState.Active);
        assertEq(uint8(consent.consentStateOf(patient, clinic)), expectedState);
    }

    function test_grantConsent_refusesUndefinedBits() public {
        vm.startPrank(patient);
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPurposes.selector, uint32(0)));
        consent.grantConsent(patient, clinic, 0, 0, T0, T0 + 1);
        uint32 nextPurpose = uint32(1) << PurposeOfUse.COUNT;
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPurposes.selector, nextPurpose));
        consent.grantConsent(patient, clinic, nextPurpose, 0, T0, T0 + 1);
        uint32 nextCategory = uint32(1) << DataCategory.COUNT;
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidCategories.selector, nextCategory));
        consent.grantConsent(patient, clinic, 1, nextCategory, T0, T0 + 1);
        vm.stopPrank();
        assertEq(uint8(consent.consentStateOf(patient, clinic)), uint8(IPatientConsent.ConsentState.None));
    }

    function testFuzz_grantConsent_refusesUndefinedBits(uint32 purposes, uint32 categories) public {
        bool validPurposes = purposes != 0 && purposes & ~PurposeOfUse.ALL == 0;
        bool validCategories = categories & ~DataCategory.ALL == 0;
        if (!validPurposes) {
            vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPurposes.selector, purposes));
        } else if (!validCategories) {
            vm.expectRevert(
                abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidCategories.selector, categories)
            );
        }
        _grant(purposes, categories, T0, T0 + 1 days);
        assertEq(
            uint8(consent.consentStateOf(patient, clinic)),
            validPurposes && validCategories
                ? uint8(IPatientConsent.ConsentState.Active)
                : uint8(IPatientConsent.ConsentState.None)
        );
    }

    function test_grantConsent_refusesAnEmptyOrPastPeriod() public {
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPeriod.selector, T0, T0));
        _grant(1, 0, T0, T0);
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPeriod.selector, T0 - 10, T0));
        _grant(1, 0, T0 - 10, T0);
    }

    function testFuzz_grantConsent_refusesAnEmptyOrPastPeriod(uint48 start, uint48 end) public {
        bool valid = start < end && end > T0;
        if (!valid) {
            vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentInvalidPeriod.selector, start, end));
        }
        _grant(1, 0, start, end);
        assertEq(consent.consentOf(patient, clinic).serial, valid ? 1 : 0);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       REVOCATION                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_revokeConsent_endsEveryAuthorization() public {
        _grant(PurposeOfUse.ALL, DataCategory.ALL, T0, T0 + 1 days);
        vm.prank(patient);
        consent.revokeConsent(patient, clinic);
        assertFalse(consent.isAuthorized(patient, clinic, PurposeOfUse.TREAT, 0));
        assertFalse(consent.isAuthorized(patient, clinic, PurposeOfUse.ETREAT, DataCategory.ALL));
    }

    function testFuzz_revokeConsent_endsEveryAuthorization(uint32 purposes, uint8 purpose, uint32 asked) public {
        purposes = uint32(bound(purposes, 1, PurposeOfUse.ALL));
        _grant(purposes, DataCategory.ALL, T0, T0 + 1 days);
        vm.prank(patient);
        consent.revokeConsent(patient, clinic);
        assertFalse(consent.isAuthorized(patient, clinic, purpose, asked));
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        DELEGATES                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_setDelegate_grantsOnlyWhileActive() public {
        address guardian = makeAddr("guardian");
        vm.prank(patient);
        consent.setDelegate(guardian, PurposeOfUse.ALL, 0, T0 + 10);
        vm.warp(T0 + 10);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IPatientConsent.PatientConsentUnauthorizedCaller.selector, guardian, patient)
        );
        consent.grantConsent(patient, clinic, 1, 0, T0, T0 + 1 days);
    }

    function testFuzz_setDelegate_grantsOnlyWhileActive(uint48 until, uint48 at) public {
        address guardian = makeAddr("guardian");
        until = uint48(bound(until, T0 + 1, T0 + 800 days));
        at = uint48(bound(at, T0, T0 + 900 days));
        vm.prank(patient);
        consent.setDelegate(guardian, PurposeOfUse.ALL, 0, until);
        vm.warp(at);
        if (at >= until) {
            vm.expectRevert(
                abi.encodeWithSelector(IPatientConsent.PatientConsentUnauthorizedCaller.selector, guardian, patient)
            );
        }
        vm.prank(guardian);
        consent.grantConsent(patient, clinic, 1, 0, at, at + 1);
        assertEq(consent.isDelegate(patient, guardian), at < until);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       BREAK-GLASS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_breakGlass_expiresAtItsEnd() public {
        vm.prank(responder);
        uint64 id = consent.breakGlass(patient, keccak256("incident-1"));
        assertEq(id, 1);
        assertTrue(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, type(uint32).max));
        assertFalse(consent.isAuthorized(patient, responder, PurposeOfUse.TREAT, 0));
        vm.warp(T0 + BREAK_GLASS - 1);
        assertTrue(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, DataCategory.ALL));
        vm.warp(T0 + BREAK_GLASS);
        assertFalse(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, 0));
    }

    function testFuzz_breakGlass_neverOutlivesItsWindow(
        uint48 duration,
        uint48 elapsed,
        uint8 purpose,
        uint32 asked
    ) public {
        duration = uint48(bound(duration, consent.SHORTEST_BREAK_GLASS(), consent.LONGEST_BREAK_GLASS()));
        elapsed = uint48(bound(elapsed, 0, 200 hours));
        vm.prank(admin);
        consent.setMaxBreakGlassDuration(duration);
        vm.prank(responder);
        consent.breakGlass(patient, keccak256("incident"));
        vm.warp(T0 + elapsed);
        assertEq(
            consent.isAuthorized(patient, responder, purpose, asked),
            purpose == PurposeOfUse.ETREAT && elapsed < duration
        );
    }

    function test_breakGlass_closesWhenTheRoleIsRevoked() public {
        vm.prank(responder);
        consent.breakGlass(patient, keccak256("incident"));
        bytes32 emergencyRole = consent.EMERGENCY_ROLE();
        vm.prank(admin);
        consent.revokeRole(emergencyRole, responder);
        assertFalse(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, 0));
    }

    function test_breakGlass_endedEarlyStaysClosed() public {
        vm.prank(responder);
        uint64 id = consent.breakGlass(patient, keccak256("incident"));
        vm.warp(T0 + 1 hours);
        vm.expectEmit(address(consent));
        emit IPatientConsent.BreakGlassEnded(id, patient, responder);
        vm.prank(responder);
        consent.endBreakGlass(patient);
        vm.warp(T0 + 2 hours);
        assertFalse(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, 0));
        assertEq(consent.breakGlassOf(patient, responder).end, T0 + 1 hours);
    }

    function testFuzz_breakGlass_endedEarlyStaysClosed(uint48 openFor, uint48 later) public {
        openFor = uint48(bound(openFor, 0, BREAK_GLASS - 1));
        later = uint48(bound(later, 0, 100 hours));
        vm.prank(responder);
        consent.breakGlass(patient, keccak256("incident"));
        vm.warp(T0 + openFor);
        vm.prank(responder);
        consent.endBreakGlass(patient);
        vm.warp(T0 + openFor + later);
        assertFalse(consent.isAuthorized(patient, responder, PurposeOfUse.ETREAT, 0));
        assertEq(consent.breakGlassOf(patient, responder).end, T0 + openFor);
    }

    function test_setMaxBreakGlassDuration_refusesOutOfBounds() public {
        vm.prank(admin);
        vm.expectRevert(
            abi.encodeWithSelector(
                IPatientConsent.PatientConsentBreakGlassDurationOutOfBounds.selector,
                uint48(72 hours + 1),
                uint48(15 minutes),
                uint48(72 hours)
            )
        );
        consent.setMaxBreakGlassDuration(72 hours + 1);
    }

    function testFuzz_setMaxBreakGlassDuration_acceptsExactlyTheBounds(uint48 duration) public {
        _assertAdminSetsWithinBounds(false, duration);
    }
}

/// @dev Scoped delegation, the break-glass cooldown and unordered nonces, fuzzed against their definitions.
contract PatientConsentScopeTest is PatientConsentBase {
    address internal guardian = makeAddr("guardian");

    /// @dev A delegate's grant succeeds exactly when it is not to itself, inside the scope (protected categories
    /// only when named) and ends no later than the delegation; otherwise the named error, nothing stored.
    function testFuzz_delegateGrant_succeedsExactlyInsideItsScope(
        uint32 scopePurposes,
        uint32 scopeCategories,
        uint32 purposes,
        uint32 categories,
        uint48 until,
        uint48 end
    ) public {
        (scopePurposes, scopeCategories) = _boundScope(scopePurposes, scopeCategories);
        (purposes, categories) = _boundScope(purposes, categories);
        until = uint48(bound(until, T0 + 1, T0 + 400 days));
        end = uint48(bound(end, T0 + 1, T0 + 500 days));
        vm.prank(patient);
        consent.setDelegate(guardian, scopePurposes, scopeCategories, until);

        uint32 protectedOutside = categories & DataCategory.PROTECTED & ~scopeCategories;
        bool beyond = purposes & ~scopePurposes != 0 || categories & ~scopeCategories != 0;
        if (protectedOutside != 0) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IPatientConsent.PatientConsentProtectedCategoryNotDelegated.selector,
                    patient,
                    guardian,
                    protectedOutside
                )
            );
        } else if (beyond) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IPatientConsent.PatientConsentBeyondDelegation.selector,
                    patient,
                    guardian,
                    purposes,
                    categories
                )
            );
        } else if (end > until) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IPatientConsent.PatientConsentGrantOutlivesDelegation.selector,
                    patient,
                    guardian,
                    end,
                    until
                )
            );
        }
        vm.prank(guardian);
        consent.grantConsent(patient, clinic, purposes, categories, T0, end);

        IPatientConsent.Consent memory stored = consent.consentOf(patient, clinic);
        if (protectedOutside != 0 || beyond || end > until) {
            assertEq(stored.serial, 0, "nothing stored");
        } else {
            assertEq(stored.purposes & ~scopePurposes, 0, "purposes inside the scope");
            assertEq(stored.categories & ~scopeCategories, 0, "categories inside the scope");
            assertLe(stored.end, until, "ends with the delegation");
        }
    }

    /// @dev A delegate can never make itself a grantee, whatever its scope.
    function testFuzz_delegateGrant_neverToItself(uint32 purposes, uint32 categories) public {
        (purposes, categories) = _boundScope(purposes, categories);
        vm.prank(patient);
        consent.setDelegate(guardian, PurposeOfUse.ALL, DataCategory.ALL, T0 + 30 days);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IPatientConsent.PatientConsentDelegateSelfGrant.selector, patient, guardian)
        );
        consent.grantConsent(patient, guardian, purposes, categories, T0, T0 + 1 days);
    }

    /// @dev A responder may open a window on a patient exactly when the previous one closed at least the cooldown
    /// ago (its end, or the moment it was ended early).
    function testFuzz_breakGlass_reopensExactlyAfterTheCooldown(uint48 cooldown, uint48 openFor, uint48 wait) public {
        cooldown = uint48(
            bound(cooldown, consent.SHORTEST_BREAK_GLASS_COOLDOWN(), consent.LONGEST_BREAK_GLASS_COOLDOWN())
        );
        openFor = uint48(bound(openFor, 0, BREAK_GLASS));
        wait = uint48(bound(wait, 0, 40 days));
        vm.prank(admin);
        consent.setBreakGlassCooldown(cooldown);
        vm.prank(responder);
        consent.breakGlass(patient, keccak256("incident-1"));
        uint48 closedAt = T0 + BREAK_GLASS;
        if (openFor < BREAK_GLASS) {
            vm.warp(T0 + openFor);
            vm.prank(responder);
            consent.endBreakGlass(patient);
            closedAt = T0 + openFor;
        }
        vm.warp(closedAt + wait);
        if (wait < cooldown) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IPatientConsent.PatientConsentBreakGlassCoolingDown.selector,
                    patient,
                    responder,
                    closedAt + cooldown
                )
            );
        }
        vm.prank(responder);
        consent.breakGlass(patient, keccak256("incident-2"));
        assertEq(consent.breakGlassOf(patient, responder).id, wait < cooldown ? 1 : 2);
    }

    /// @dev The admin's cooldown is accepted exactly within the bounds.
    function testFuzz_setBreakGlassCooldown_acceptsExactlyTheBounds(uint48 cooldown) public {
        _assertAdminSetsWithinBounds(true, cooldown);
    }

    /// @dev An unordered nonce is usable once, and using it marks that nonce alone (its bitmap neighbours stay free).
    function testFuzz_revokeConsentBySig_unorderedNonceUsableOnce(uint256 nonce, uint256 other) public {
        vm.assume(other != nonce);
        (address signer, uint256 key) = makeAddrAndKey("signed patient");
        vm.prank(signer);
        consent.grantConsent(signer, clinic, 1, 0, T0, T0 + 1 days);
        IPatientConsent.ConsentRevocation memory revocation = IPatientConsent.ConsentRevocation({
            patient: signer,
            grantee: clinic,
            nonce: nonce,
            deadline: T0 + 1 hours
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, consent.consentRevocationDigest(revocation));
        bytes memory signature = abi.encodePacked(r, s, v);
        consent.revokeConsentBySig(revocation, signature);
        assertTrue(consent.isRevocationNonceUsed(signer, nonce));
        assertFalse(consent.isRevocationNonceUsed(signer, other));
        assertEq(consent.nonces(signer), 1, "a signed revocation burns the sequential nonce");
        vm.expectRevert(abi.encodeWithSelector(IPatientConsent.PatientConsentNonceAlreadyUsed.selector, signer, nonce));
        consent.revokeConsentBySig(revocation, signature);
    }
}

/// @dev Drives grants, revocations and the clock over a few patients and grantees, mirroring each consent in ghost
/// state so an invariant can compare `isAuthorized` with the definition.
contract ConsentHandler is Test {
    struct Ghost {
        uint32 purposes;
        uint32 categories;
        uint48 start;
        uint48 end;
        bool revoked;
    }

    PatientConsent public immutable consent;
    address[3] public patients = [vm.addr(0xA11CE), vm.addr(0xB0B), vm.addr(0xCA401)];
    address public guardian = address(0x6A4D);
    address[3] public grantees = [address(0xC11), address(0xD0C), address(0xE4E)];
    mapping(address patient => mapping(address grantee => Ghost)) internal ghosts;

    constructor(PatientConsent consent_) {
        consent = consent_;
        keys[patients[0]] = 0xA11CE;
        keys[patients[1]] = 0xB0B;
        keys[patients[2]] = 0xCA401;
    }

    function grant(uint8 p, uint8 g, uint32 purposes, uint32 categories, uint48 startIn, uint48 length) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        purposes = uint32(bound(purposes, 1, PurposeOfUse.ALL));
        categories &= DataCategory.ALL;
        uint48 start = uint48(block.timestamp) + uint48(bound(startIn, 0, 30 days)) - 10 days;
        uint48 end = start + uint48(bound(length, 10 days + 1, 60 days));
        vm.prank(patient);
        consent.grantConsent(patient, grantee, purposes, categories, start, end);
        ghosts[patient][grantee] = Ghost(purposes, categories, start, end, false);
    }

    function revoke(uint8 p, uint8 g) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        Ghost storage ghost = ghosts[patient][grantee];
        if (ghost.end == 0 || ghost.revoked || block.timestamp >= ghost.end) return;
        vm.prank(patient);
        consent.revokeConsent(patient, grantee);
        ghost.revoked = true;
        ++pairRevocations[patient][grantee];
    }

    /// @dev A grant the patient signed and handed to the grantee, not yet submitted, and how many times the pair
    /// had been revoked when it was signed.
    struct HeldGrant {
        IPatientConsent.ConsentGrant grant;
        bytes signature;
        uint256 pairRevocationsAtSigning;
    }

    mapping(address patient => mapping(address grantee => HeldGrant)) internal held;
    mapping(address patient => mapping(address grantee => uint256)) internal pairRevocations;
    mapping(address patient => uint256 key) internal keys;

    /// @notice Signed grants accepted although the patient revoked the pair after signing them (must stay 0).
    uint256 public staleAccepted;

    /// @notice Delegate grants stored outside the delegation's scope or end (must stay 0).
    uint256 public delegateOverreach;

    function sign(uint8 p, uint8 g, uint32 purposes, uint32 categories, uint48 length) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        IPatientConsent.ConsentGrant memory signedGrant = IPatientConsent.ConsentGrant({
            patient: patient,
            grantee: grantee,
            purposes: uint32(bound(purposes, 1, PurposeOfUse.ALL)),
            categories: categories & DataCategory.ALL,
            start: uint48(block.timestamp),
            end: uint48(block.timestamp) + uint48(bound(length, 1 days, 60 days)),
            nonce: consent.nonces(patient),
            deadline: block.timestamp + 90 days
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[patient], consent.consentGrantDigest(signedGrant));
        HeldGrant storage slot = held[patient][grantee];
        slot.grant = signedGrant;
        slot.signature = abi.encodePacked(r, s, v);
        slot.pairRevocationsAtSigning = pairRevocations[patient][grantee];
    }

    function submitHeld(uint8 p, uint8 g) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        HeldGrant memory slot = held[patient][grantee];
        if (slot.signature.length == 0) return;
        try consent.grantConsentBySig(slot.grant, slot.signature) {
            if (pairRevocations[patient][grantee] != slot.pairRevocationsAtSigning) ++staleAccepted;
            ghosts[patient][grantee] = Ghost(
                slot.grant.purposes,
                slot.grant.categories,
                slot.grant.start,
                slot.grant.end,
                false
            );
        } catch {}
    }

    /// @dev The attack in one step: the patient grants, signs a grant and hands it over, revokes (by transaction or
    /// by signature), and the grantee submits the held grant at once; later steps may submit it again.
    function signThenRevoke(uint8 p, uint8 g, bool bySig, uint256 nonce) external {
        this.grant(p, g, 1, 0, 10 days, 30 days);
        this.sign(p, g, 1, 0, 1 days);
        if (bySig) this.revokeBySig(p, g, nonce);
        else this.revoke(p, g);
        this.submitHeld(p, g);
    }

    function revokeBySig(uint8 p, uint8 g, uint256 nonce) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        Ghost storage ghost = ghosts[patient][grantee];
        if (ghost.end == 0 || ghost.revoked || block.timestamp >= ghost.end) return;
        IPatientConsent.ConsentRevocation memory revocation = IPatientConsent.ConsentRevocation({
            patient: patient,
            grantee: grantee,
            nonce: nonce,
            deadline: block.timestamp
        });
        if (consent.isRevocationNonceUsed(patient, nonce)) return;
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(keys[patient], consent.consentRevocationDigest(revocation));
        consent.revokeConsentBySig(revocation, abi.encodePacked(r, s, v));
        ghost.revoked = true;
        ++pairRevocations[patient][grantee];
    }

    function appoint(uint8 p, uint32 purposes, uint32 categories, uint48 length) external {
        address patient = patients[p % 3];
        vm.prank(patient);
        consent.setDelegate(
            guardian,
            uint32(bound(purposes, 1, PurposeOfUse.ALL)),
            categories & DataCategory.ALL,
            uint48(block.timestamp) + uint48(bound(length, 1, 90 days))
        );
    }

    function delegateGrant(uint8 p, uint8 g, uint32 purposes, uint32 categories, uint48 length) external {
        address patient = patients[p % 3];
        address grantee = grantees[g % 3];
        purposes = uint32(bound(purposes, 1, PurposeOfUse.ALL));
        categories &= DataCategory.ALL;
        uint48 start = uint48(block.timestamp);
        uint48 end = start + uint48(bound(length, 1, 120 days));
        vm.prank(guardian);
        try consent.grantConsent(patient, grantee, purposes, categories, start, end) {
            IPatientConsent.Delegation memory delegation = consent.delegationOf(patient, guardian);
            if (
                purposes & ~delegation.purposes != 0 ||
                categories & ~delegation.categories != 0 ||
                end > delegation.until ||
                block.timestamp >= delegation.until
            ) ++delegateOverreach;
            ghosts[patient][grantee] = Ghost(purposes, categories, start, end, false);
        } catch {}
    }

    function ghostOf(address patient, address grantee) external view returns (Ghost memory) {
        return ghosts[patient][grantee];
    }

    function warp(uint32 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 0, 20 days));
    }
}

contract PatientConsentInvariantTest is PatientConsentBase {
    ConsentHandler internal handler;

    function setUp() public override {
        super.setUp();
        handler = new ConsentHandler(consent);
        targetContract(address(handler));
    }

    /// @dev No grant signed before a revocation of its pair is ever accepted after it.
    function invariant_noStaleSignedGrantRevivesARevokedConsent() public view {
        assertEq(handler.staleAccepted(), 0);
    }

    /// @dev No delegate ever stores a consent outside its scope or beyond its delegation.
    function invariant_delegatesStayInsideTheirScope() public view {
        assertEq(handler.delegateOverreach(), 0);
    }

    /// @dev For every pair and every purpose, `isAuthorized` answers exactly what the ghost consent says.
    function invariant_isAuthorizedMatchesTheConsentDefinition() public view {
        for (uint256 p = 0; p < 3; ++p) {
            for (uint256 g = 0; g < 3; ++g) {
                _checkPair(handler.patients(p), handler.grantees(g));
            }
        }
    }

    function _checkPair(address patient_, address grantee) private view {
        ConsentHandler.Ghost memory ghost = handler.ghostOf(patient_, grantee);
        uint32[3] memory asks = [uint32(0), DataCategory.LABS | DataCategory.MEDICATIONS, DataCategory.GENETICS];
        for (uint8 purpose = 0; purpose < PurposeOfUse.COUNT; ++purpose) {
            for (uint256 a = 0; a < asks.length; ++a) {
                bool expected = _covers(
                    ghost.purposes,
                    ghost.categories,
                    ghost.start,
                    ghost.end,
                    ghost.revoked,
                    purpose,
                    asks[a],
                    block.timestamp
                );
                assertEq(consent.isAuthorized(patient_, grantee, purpose, asks[a]), expected);
            }
        }
    }
}
