// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {InsuranceClaim} from "../contracts/InsuranceClaim.sol";
import {IDrugTrace} from "../contracts/interfaces/IDrugTrace.sol";
import {IInsuranceClaim} from "../contracts/interfaces/IInsuranceClaim.sol";
import {IPatientConsent} from "../contracts/interfaces/IPatientConsent.sol";
import {Adjudication} from "../contracts/libraries/Adjudication.sol";
import {BlacklistERC20} from "../contracts/mocks/BlacklistERC20.sol";
import {FeeOnTransferERC20} from "../contracts/mocks/FeeOnTransferERC20.sol";
import {MockDrugTrace} from "../contracts/mocks/MockDrugTrace.sol";
import {MockERC20} from "../contracts/mocks/MockERC20.sol";
import {MockPatientConsent} from "../contracts/mocks/MockPatientConsent.sol";
import {Deployers} from "./helpers/Deployers.sol";

/// @dev Deploys InsuranceClaim with mocks and one USDC pool, plan (deductible $200, 20% coinsurance, $1,000 limit,
/// fee $120 for "99213", 180-day appeal window) and policy, the patient's HPAYMT consent to the insurer and to the
/// provider; shared by the unit tests and the invariant handler.
abstract contract ClaimsSetup is Deployers {
    uint48 internal constant NOW = 1_750_000_000;
    bytes32 internal constant CODE = "99213";
    uint8 internal constant HPAYMT = 2;
    uint48 internal constant APPEAL_WINDOW = 180 days;

    MockPatientConsent internal consentMock;
    MockDrugTrace internal traceMock;

    address internal provider = makeAddr("provider");

    function _deploy() internal {
        vm.warp(NOW);
        consentMock = new MockPatientConsent();
        traceMock = new MockDrugTrace();
        _deployUsdc();
        _deployInsuranceClaim(IPatientConsent(address(consentMock)), IDrugTrace(address(traceMock)));
        _grantRole(claims, claims.INSURER_ROLE(), insurer);
        _grantRole(claims, claims.PROVIDER_ROLE(), provider);
    }

    /// @dev Opens a pool in `token` for `owner`, funds it, appoints `adjuster`, creates a plan with fee $120 for
    /// CODE and a policy for `patient`; returns (poolId, planId, policyId).
    function _openPool(
        address owner,
        IERC20 token,
        uint256 funding,
        uint96 limit,
        uint96 deductible,
        uint16 bps
    ) internal returns (uint256 poolId, uint256 planId, uint256 policyId) {
        (poolId, planId) = _openPlan(owner, token, funding, limit, deductible, bps, APPEAL_WINDOW, CODE, 120 * USD);
        vm.prank(owner);
        policyId = claims.createPolicy(planId, patient, NOW - 30 days, NOW + 335 days);
        consentMock.setAuthorization(patient, owner, HPAYMT, true, 0);
        consentMock.setAuthorization(patient, provider, HPAYMT, true, 0);
    }

    /// @dev A request for CODE; the service date (within the 25 days before NOW) follows from the evidence, so
    /// claims with distinct evidence in these tests are distinct services.
    function _request(
        uint256 policyId,
        uint96 billed,
        bytes32 evidence
    ) internal pure returns (IInsuranceClaim.ClaimRequest memory) {
        return
            IInsuranceClaim.ClaimRequest({
                policyId: policyId,
                patient: address(0),
                serviceCode: CODE,
                serviceDate: NOW - 1 days - uint48(uint256(keccak256(abi.encode(evidence))) % 25 days),
                billed: billed,
                evidenceHash: evidence
            });
    }

    /// @dev The adjuster denies claim `claimId` for `reason`, `appellant` appeals, the adjuster denies it for good for
    /// `finalReason`.
    function _denyAppealDeny(uint256 claimId, address appellant, uint16 reason, uint16 finalReason) internal {
        vm.prank(adjuster);
        claims.denyClaim(claimId, reason);
        vm.prank(appellant);
        claims.appealClaim(claimId, "new evidence");
        vm.prank(adjuster);
        claims.denyClaim(claimId, finalReason);
    }

    function _submit(address from, uint256 policyId, uint96 billed, bytes32 evidence) internal returns (uint256) {
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, billed, evidence);
        request.patient = patient;
        vm.prank(from);
        return claims.submitClaim(request, 0, new bytes32[](0));
    }
}

contract InsuranceClaimTest is ClaimsSetup {
    uint256 internal poolId;
    uint256 internal planId;
    uint256 internal policyId;

    function setUp() public {
        _deploy();
        (poolId, planId, policyId) = _openPool(insurer, usdc, 10_000 * USD, 1_000 * USD, 200 * USD, 2_000);
    }

    function test_supportsInterface_answersForIInsuranceClaimAndAccessControl() public view {
        _assertSupportsInterfaces(claims, type(IInsuranceClaim).interfaceId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        ADJUDICATION                        */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_adjudicate_deductibleThenCoinsurance() public view {
        IInsuranceClaim.ExplanationOfBenefits memory eob = claims.adjudicate(
            150 * USD,
            120 * USD,
            50 * USD,
            2_000,
            1_000 * USD
        );
        assertEq(eob.allowed, 120 * USD);
        assertEq(eob.deductibleApplied, 50 * USD);
        assertEq(eob.coinsurance, 14 * USD);
        assertEq(eob.payout, 56 * USD);
    }

    function test_adjudicate_roundsCoinsuranceDownForThePatient() public view {
        IInsuranceClaim.ExplanationOfBenefits memory eob = claims.adjudicate(3, 3, 0, 3_333, 10);
        assertEq(eob.coinsurance, 0);
        assertEq(eob.payout, 3);
    }

    function test_adjudicate_capsPayoutByRemainingCoverage() public view {
        IInsuranceClaim.ExplanationOfBenefits memory eob = claims.adjudicate(500 * USD, 500 * USD, 0, 0, 70 * USD);
        assertEq(eob.payout, 70 * USD);
    }

    function test_adjudicate_revertsAboveFullCoinsurance() public {
        vm.expectRevert(abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimCoinsuranceTooHigh.selector, 10_001));
        claims.adjudicate(1, 1, 0, 10_001, 1);
    }

    /// @dev The rule's properties for any inputs: each share within bounds, coinsurance exactly the floor, and
    /// nothing lost: deductible + coinsurance + payout + the part above coverage = allowed.
    function testFuzz_adjudicate_rule(
        uint96 billed,
        uint96 schedule,
        uint96 deductibleRemaining,
        uint16 bps,
        uint96 coverageRemaining
    ) public view {
        bps = uint16(bound(bps, 0, 10_000));
        IInsuranceClaim.ExplanationOfBenefits memory eob = claims.adjudicate(
            billed,
            schedule,
            deductibleRemaining,
            bps,
            coverageRemaining
        );
        IInsuranceClaim.ExplanationOfBenefits memory library_ = Adjudication.explain(
            billed,
            billed < schedule ? billed : schedule,
            deductibleRemaining,
            bps,
            coverageRemaining
        );
        assertEq(abi.encode(eob), abi.encode(library_));
        assertEq(eob.billed, billed);
        assertEq(eob.allowed, billed < schedule ? billed : schedule);
        assertLe(eob.deductibleApplied, eob.allowed);
        assertLe(eob.deductibleApplied, deductibleRemaining);
        uint256 afterDeductible = eob.allowed - eob.deductibleApplied;
        assertEq(eob.deductibleApplied, eob.allowed < deductibleRemaining ? eob.allowed : deductibleRemaining);
        assertLe(uint256(eob.coinsurance) * 10_000, afterDeductible * bps);
        assertGt((uint256(eob.coinsurance) + 1) * 10_000, afterDeductible * bps);
        assertLe(eob.payout, coverageRemaining);
        uint256 share = afterDeductible - eob.coinsurance;
        assertEq(eob.payout, share < coverageRemaining ? share : coverageRemaining);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           CLAIMS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_submitClaim_recordsAllowedAmount() public {
        uint256 claimId = _submit(provider, policyId, 150 * USD, "evidence");
        IInsuranceClaim.Claim memory claim = claims.claimOf(claimId);
        assertEq(uint8(claim.state), uint8(IInsuranceClaim.ClaimState.Submitted));
        assertEq(claim.allowed, 120 * USD);
        assertEq(claim.poolId, poolId);
    }

    function testFuzz_submitClaim_allowedIsMinOfBilledAndFee(uint96 billed) public {
        billed = uint96(bound(billed, 1, type(uint96).max));
        uint256 claimId = _submit(provider, policyId, billed, "evidence");
        assertEq(claims.claimOf(claimId).allowed, billed < 120 * USD ? billed : 120 * USD);
    }

    function test_submitClaim_revertsOnDuplicate() public {
        uint256 claimId = _submit(provider, policyId, 150 * USD, "evidence");
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = patient;
        vm.expectRevert(abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimDuplicate.selector, claimId));
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
    }

    function test_submitClaim_revertsOnSomeoneElsesPolicy() public {
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = makeAddr("someone else");
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimPatientMismatch.selector, policyId, request.patient)
        );
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
    }

    function test_approveClaim_reservesPayout() public {
        // $200 deductible: the first claim's $120 and $80 of the second; 20% of the second's $40 remainder.
        _submit(provider, policyId, 150 * USD, "a");
        uint256 second = _submit(provider, policyId, 150 * USD, "b");
        vm.startPrank(adjuster);
        claims.approveClaim(1);
        claims.approveClaim(second);
        vm.stopPrank();
        assertEq(claims.claimOf(second).payout, 32 * USD);
        assertEq(claims.poolOf(poolId).reserved, 32 * USD);
        assertEq(claims.policyOf(policyId).deductibleMet, 200 * USD);
    }

    /// @dev However many claims are approved, a policy's payouts stay within its coverage limit.
    function testFuzz_approveClaim_neverExceedsCoverage(uint96[6] memory billed, uint16 bps) public {
        bps = uint16(bound(bps, 0, 10_000));
        (uint256 capPool, , uint256 capPolicy) = _openPool(insurer, usdc, 10_000 * USD, 250 * USD, 0, bps);
        for (uint256 i; i < billed.length; ++i) {
            uint96 amount = uint96(bound(billed[i], 1, 120 * USD));
            uint256 claimId = _submit(provider, capPolicy, amount, keccak256(abi.encode(i)));
            vm.prank(adjuster);
            claims.approveClaim(claimId);
        }
        IInsuranceClaim.Policy memory policy = claims.policyOf(capPolicy);
        assertLe(policy.coverageUsed, 250 * USD);
        assertEq(claims.poolOf(capPool).reserved, policy.coverageUsed);
    }

    function test_approveClaim_stopsPayingAtTheCoverageLimit() public {
        (, , uint256 capPolicy) = _openPool(insurer, usdc, 10_000 * USD, 250 * USD, 0, 0);
        uint96[3] memory expected = [120 * USD, 120 * USD, 10 * USD];
        for (uint256 i; i < 3; ++i) {
            uint256 claimId = _submit(provider, capPolicy, 120 * USD, keccak256(abi.encode(i)));
            vm.prank(adjuster);
            claims.approveClaim(claimId);
            assertEq(claims.claimOf(claimId).payout, expected[i]);
        }
        assertEq(claims.policyOf(capPolicy).coverageUsed, 250 * USD);
    }

    function test_denyClaim_appealThenFinalDenial() public {
        uint256 claimId = _submit(provider, policyId, 150 * USD, "evidence");
        _denyAppealDeny(claimId, patient, 50, 96);
        assertEq(uint8(claims.claimStateOf(claimId)), uint8(IInsuranceClaim.ClaimState.FinalDenied));
        assertEq(claims.claimOf(claimId).reasonCode, 96);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*           FRAUD RULES (ISSUE 11, INSURANCECLAIM)           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_submitClaim_revertsOnADrugCode() public {
        bytes32 drugCode = claims.drugServiceCode(9_506_000_134_352);
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 40 * USD, "undispensed");
        request.patient = patient;
        request.serviceCode = drugCode;
        uint256 claimsBefore = _claimCount();
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimDrugCodeNeedsDrugClaim.selector, drugCode)
        );
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
        assertEq(_claimCount(), claimsBefore);
    }

    function test_isDrugServiceCode_knownCodes() public view {
        assertTrue(claims.isDrugServiceCode("09506000134352"));
        assertTrue(claims.isDrugServiceCode("00000000000000"));
        assertTrue(claims.isDrugServiceCode("99999999999999"));
        assertFalse(claims.isDrugServiceCode("99213"));
        assertFalse(claims.isDrugServiceCode("J1100"));
        assertFalse(claims.isDrugServiceCode("0950600013435")); // 13 digits
        assertFalse(claims.isDrugServiceCode("095060001343521")); // 15 digits
        assertFalse(claims.isDrugServiceCode("0950600013435:")); // ':' is 0x3A, one above '9'
        assertFalse(claims.isDrugServiceCode("0950600013435/")); // '/' is 0x2F, one below '0'
        assertFalse(claims.isDrugServiceCode(bytes32(0)));
    }

    /// @dev The constant-gas check equals the byte-by-byte rule: 14 ASCII digits, then zero bytes.
    function testFuzz_isDrugServiceCode_matchesTheByteRule(bytes32 code, uint8 digitsOnly) public view {
        // Half the runs build a code of digits to reach the accepting side often.
        if (digitsOnly % 2 == 0) {
            uint256 built;
            for (uint256 i; i < 14; ++i) built |= (48 + ((uint256(code) >> (8 * i)) % 10)) << (8 * (31 - i));
            code = bytes32(built);
        }
        bool expected = true;
        for (uint256 i; i < 32; ++i) {
            bytes1 b = code[i];
            if (i < 14 ? (b < "0" || b > "9") : b != 0) expected = false;
        }
        assertEq(claims.isDrugServiceCode(code), expected);
    }

    function testFuzz_drugServiceCode_isInTheDrugNamespace(uint64 gtin) public view {
        gtin = uint64(bound(gtin, 0, 99_999_999_999_999));
        assertTrue(claims.isDrugServiceCode(claims.drugServiceCode(gtin)));
    }

    function test_submitClaim_revertsOnTheSameServiceWithNewEvidence() public {
        uint256 claimId = _submit(provider, policyId, 150 * USD, "evidence");
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = patient;
        request.evidenceHash = "one byte changed";
        vm.expectRevert(abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimDuplicate.selector, claimId));
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
        assertEq(_claimCount(), claimId);
        assertEq(claims.claimIdOf(policyId, provider, CODE, request.serviceDate), claimId);
    }

    function test_submitClaim_resubmitsAfterAFinalDenial() public {
        uint256 first = _submit(provider, policyId, 150 * USD, "evidence");
        _denyAppealDeny(first, provider, 16, 16);
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = patient;
        request.evidenceHash = "corrected claim";
        vm.prank(provider);
        uint256 second = claims.submitClaim(request, 0, new bytes32[](0));
        assertEq(claims.claimIdOf(policyId, provider, CODE, request.serviceDate), second);
        // ... and the new claim holds the service again.
        vm.expectRevert(abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimDuplicate.selector, second));
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
    }

    function test_submitClaim_resubmitsAfterTheAppealWindowOfADenialClosed() public {
        uint256 first = _submit(provider, policyId, 150 * USD, "evidence");
        vm.prank(adjuster);
        claims.denyClaim(first, 16);
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = patient;
        // Within the window the denial can still be appealed: the service is taken.
        vm.warp(NOW + APPEAL_WINDOW);
        vm.expectRevert(abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimDuplicate.selector, first));
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
        vm.warp(NOW + APPEAL_WINDOW + 1);
        vm.prank(provider);
        uint256 second = claims.submitClaim(request, 0, new bytes32[](0));
        assertEq(second, first + 1);
    }

    function test_submitClaim_revertsForAProviderThePatientDidNotAuthorize() public {
        address strangerClinic = makeAddr("strangerClinic clinic");
        bytes32 providerRole = claims.PROVIDER_ROLE();
        vm.prank(admin);
        claims.grantRole(providerRole, strangerClinic);
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "evidence");
        request.patient = patient;
        vm.expectRevert(
            abi.encodeWithSelector(
                IInsuranceClaim.InsuranceClaimProviderNotAuthorized.selector,
                patient,
                strangerClinic
            )
        );
        vm.prank(strangerClinic);
        claims.submitClaim(request, 0, new bytes32[](0));
        assertEq(_claimCount(), 0);
    }

    function test_appealClaim_acceptsOnTheDeadlineAndRevertsAfter() public {
        uint256 onTime = _submit(provider, policyId, 150 * USD, "on time");
        uint256 late = _submit(provider, policyId, 150 * USD, "late");
        vm.startPrank(adjuster);
        claims.denyClaim(onTime, 50);
        claims.denyClaim(late, 50);
        vm.stopPrank();
        assertEq(claims.claimOf(late).appealDeadline, NOW + APPEAL_WINDOW);
        vm.warp(NOW + APPEAL_WINDOW);
        vm.prank(patient);
        claims.appealClaim(onTime, "appeal");
        vm.warp(NOW + APPEAL_WINDOW + 1);
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimAppealWindowClosed.selector, late, NOW + APPEAL_WINDOW)
        );
        vm.prank(provider);
        claims.appealClaim(late, "appeal");
        assertEq(uint8(claims.claimStateOf(late)), uint8(IInsuranceClaim.ClaimState.Denied));
    }

    function testFuzz_createPlan_boundsTheAppealWindow(uint48 window) public {
        vm.prank(insurer);
        if (window < 30 days || window > 365 days) {
            vm.expectRevert(
                abi.encodeWithSelector(
                    IInsuranceClaim.InsuranceClaimAppealWindowOutOfRange.selector,
                    window,
                    30 days,
                    365 days
                )
            );
        }
        uint256 id = claims.createPlan(poolId, 1_000 * USD, 0, 0, bytes32(0), window);
        if (id != 0) assertEq(claims.planOf(id).appealWindow, window);
    }

    function test_revokedConsent_doesNotStopASubmittedClaim() public {
        uint256 claimId = _submit(provider, policyId, 150 * USD, "evidence");
        consentMock.setAuthorization(patient, insurer, HPAYMT, false, 0);
        consentMock.setAuthorization(patient, provider, HPAYMT, false, 0);
        vm.prank(adjuster);
        claims.denyClaim(claimId, 50);
        vm.prank(provider);
        claims.appealClaim(claimId, "appeal");
        vm.prank(adjuster);
        claims.approveClaim(claimId);
        assertEq(uint8(claims.claimStateOf(claimId)), uint8(IInsuranceClaim.ClaimState.Approved));
        // A new claim is refused.
        IInsuranceClaim.ClaimRequest memory request = _request(policyId, 150 * USD, "next visit");
        request.patient = patient;
        vm.expectRevert(
            abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimConsentMissing.selector, patient, insurer)
        );
        vm.prank(provider);
        claims.submitClaim(request, 0, new bytes32[](0));
    }

    function _claimCount() private view returns (uint256 count) {
        (, , , count) = claims.counts();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           MONEY                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function test_payClaim_paysOnce() public {
        uint256 claimId = _approvedWithPayout();
        uint96 payout = claims.claimOf(claimId).payout;
        vm.startPrank(insurer);
        claims.payClaim(claimId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInsuranceClaim.InsuranceClaimUnexpectedClaimState.selector,
                claimId,
                IInsuranceClaim.ClaimState.Paid,
                bytes32(uint256(1 << uint8(IInsuranceClaim.ClaimState.Approved)))
            )
        );
        claims.payClaim(claimId);
        vm.stopPrank();
        assertEq(usdc.balanceOf(provider), payout);
    }

    function test_payClaims_skipsABlacklistedPayee() public {
        BlacklistERC20 token = new BlacklistERC20();
        (uint256 blPool, , uint256 blPolicy) = _openPool(insurer, token, 1_000 * USD, 1_000 * USD, 0, 0);
        _grantRole(claims, claims.PROVIDER_ROLE(), pharmacy);
        consentMock.setAuthorization(patient, pharmacy, HPAYMT, true, 0);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _submit(provider, blPolicy, 100 * USD, "a");
        ids[1] = _submit(pharmacy, blPolicy, 100 * USD, "b");
        vm.startPrank(adjuster);
        claims.approveClaim(ids[0]);
        claims.approveClaim(ids[1]);
        vm.stopPrank();
        token.setBlacklisted(provider, true);
        vm.prank(insurer);
        (uint256 paid, uint256 failed, uint256 amount) = claims.payClaims(ids);
        assertEq(paid, 1);
        assertEq(failed, 1);
        assertEq(amount, 100 * USD);
        assertEq(uint8(claims.claimStateOf(ids[0])), uint8(IInsuranceClaim.ClaimState.Approved));
        assertEq(claims.poolOf(blPool).reserved, 100 * USD);
        assertEq(token.balanceOf(address(claims)), claims.poolOf(blPool).balance);
    }

    function test_voidClaim_releasesARefusedPayeesReserve() public {
        BlacklistERC20 token = new BlacklistERC20();
        (uint256 blPool, , uint256 blPolicy) = _openPool(insurer, token, 1_000 * USD, 1_000 * USD, 0, 0);
        uint256[] memory ids = new uint256[](1);
        ids[0] = _submit(provider, blPolicy, 100 * USD, "a");
        vm.prank(adjuster);
        claims.approveClaim(ids[0]);
        token.setBlacklisted(provider, true);
        vm.startPrank(insurer);
        claims.payClaims(ids);
        assertEq(claims.poolOf(blPool).reserved, 100 * USD);
        vm.expectEmit(address(claims));
        emit IInsuranceClaim.ClaimVoided(ids[0], blPool, insurer, 16, 100 * USD, 0);
        claims.voidClaim(ids[0], 16);
        claims.withdrawFromPool(blPool, 1_000 * USD, insurer);
        vm.stopPrank();
        assertEq(uint8(claims.claimStateOf(ids[0])), uint8(IInsuranceClaim.ClaimState.Voided));
        assertEq(claims.poolOf(blPool).reserved, 0);
        assertEq(claims.poolOf(blPool).balance, 0);
        assertEq(claims.policyOf(blPolicy).coverageUsed, 0);
        assertEq(token.balanceOf(insurer), 1_000 * USD);
    }

    function test_withdrawFromPool_revertsOnReservedFunds() public {
        _approvedWithPayout();
        IInsuranceClaim.Pool memory pool = claims.poolOf(poolId);
        vm.expectRevert(
            abi.encodeWithSelector(
                IInsuranceClaim.InsuranceClaimWithdrawalExceedsAvailable.selector,
                poolId,
                pool.balance,
                pool.balance - pool.reserved
            )
        );
        vm.prank(insurer);
        claims.withdrawFromPool(poolId, pool.balance, insurer);
    }

    function test_fundPool_creditsWhatArrives() public {
        FeeOnTransferERC20 token = new FeeOnTransferERC20(100);
        (uint256 feePool, , ) = _openPool(insurer, token, 1_000 * USD, 1_000 * USD, 0, 0);
        assertEq(claims.poolOf(feePool).balance, 990 * USD);
        assertEq(token.balanceOf(address(claims)), 990 * USD);
    }

    function testFuzz_fundPool_creditsWhatArrives(uint96 amount, uint16 feeBps) public {
        amount = uint96(bound(amount, 1, type(uint96).max));
        feeBps = uint16(bound(feeBps, 0, 9_999));
        FeeOnTransferERC20 token = new FeeOnTransferERC20(feeBps);
        vm.prank(insurer);
        uint256 feePool = claims.openPool(token);
        token.mint(insurer, amount);
        vm.startPrank(insurer);
        token.approve(address(claims), amount);
        uint256 expected = amount - (uint256(amount) * feeBps) / 10_000;
        if (expected == 0) {
            vm.expectRevert(
                abi.encodeWithSelector(IInsuranceClaim.InsuranceClaimNothingCredited.selector, feePool, amount)
            );
        }
        claims.fundPool(feePool, amount);
        vm.stopPrank();
        assertEq(claims.poolOf(feePool).balance, expected);
        assertEq(token.balanceOf(address(claims)), expected);
    }

    function test_drugServiceCode_isTheGtinAsFourteenDigits() public view {
        assertEq(claims.drugServiceCode(9_506_000_134_352), bytes32("09506000134352"));
    }

    function testFuzz_drugServiceCode_matchesDecimalText(uint64 gtin) public view {
        gtin = uint64(bound(gtin, 0, 99_999_999_999_999));
        bytes memory digits = bytes(vm.toString(uint256(gtin)));
        bytes memory padded = new bytes(14);
        for (uint256 i; i < 14; ++i) {
            padded[i] = i < 14 - digits.length ? bytes1("0") : digits[i - (14 - digits.length)];
        }
        assertEq(claims.drugServiceCode(gtin), bytes32(padded));
    }

    /// @dev Meets the $200 deductible with one approved claim (fee raised to $200), then approves a second
    /// claim of $120 that pays $96.
    function _approvedWithPayout() private returns (uint256 claimId) {
        bytes32[] memory codes = new bytes32[](1);
        codes[0] = CODE;
        uint96[] memory fees = new uint96[](1);
        fees[0] = 200 * USD;
        vm.prank(insurer);
        claims.setFees(planId, codes, fees);
        uint256 first = _submit(provider, policyId, 200 * USD, "deductible");
        claimId = _submit(provider, policyId, 120 * USD, "payout");
        vm.startPrank(adjuster);
        claims.approveClaim(first);
        claims.approveClaim(claimId);
        vm.stopPrank();
        assertEq(claims.claimOf(claimId).payout, 96 * USD);
    }
}

/// @dev Drives two pools (two insurers, one token) through fund, withdraw, submit, approve, deny, appeal, pay,
/// void and batch pay with bounded random inputs, and keeps the ghost records the invariants compare against.
/// With issue 11's rules: services come from a small set (4 dates x 2 providers x 2 policies) so resubmissions of
/// the same service happen, time moves so appeal windows close, a stranger provider tries to bill, drug codes are
/// tried on the generic path, and a pharmacy claims a few dispensed units through the drug path.
contract ClaimsHandler is ClaimsSetup {
    bytes32 internal constant LOT = "A1";
    bytes32 private constant _PENDING = bytes32(
        (1 << uint8(IInsuranceClaim.ClaimState.Submitted)) | (1 << uint8(IInsuranceClaim.ClaimState.Appealed))
    );
    bytes32 private constant _DENIED = bytes32(1 << uint8(IInsuranceClaim.ClaimState.Denied));
    bytes32 private constant _APPROVED = bytes32(1 << uint8(IInsuranceClaim.ClaimState.Approved));

    address internal secondInsurer = makeAddr("second insurer");
    address internal secondProvider = makeAddr("second provider");
    address internal strangerProvider = makeAddr("stranger provider");

    uint256[2] internal pools;
    uint256[2] internal policies;
    uint256[] internal claimIds;
    mapping(uint256 claimId => uint256 count) public timesPaid;
    /// @dev The service (0..15: policy, provider, date) of each claim through the generic path, plus one.
    mapping(uint256 claimId => uint256 servicePlusOne) public serviceOf;
    /// @dev How many drug claims each unit (0..7) got.
    mapping(uint256 unitIndex => uint256 count) public unitClaims;
    uint256 public calls;
    uint256 public voids;
    /// @dev Calls that should have been refused and were not (drug code on the generic path, stranger billing,
    /// appeal after the window).
    uint256 public wrongAcceptances;

    constructor() {
        _deploy();
        _grantRole(claims, claims.INSURER_ROLE(), secondInsurer);
        _grantRole(claims, claims.PROVIDER_ROLE(), secondProvider);
        _grantRole(claims, claims.PROVIDER_ROLE(), pharmacy);
        _grantRole(claims, claims.PROVIDER_ROLE(), strangerProvider);
        (pools[0], , policies[0]) = _openPool(insurer, usdc, 500 * USD, 300 * USD, 100 * USD, 2_000);
        (pools[1], , policies[1]) = _openPool(secondInsurer, usdc, 300 * USD, 100 * USD, 0, 2_500);
        consentMock.setAuthorization(patient, secondProvider, HPAYMT, true, 0);
        consentMock.setAuthorization(patient, pharmacy, HPAYMT, true, 1 << 2);
        consentMock.setAuthorization(patient, insurer, HPAYMT, true, 1 << 2);
        bytes32 drugCode = claims.drugServiceCode(GTIN);
        bytes32[] memory codes = new bytes32[](1);
        uint96[] memory fees = new uint96[](1);
        codes[0] = drugCode;
        fees[0] = 30 * USD;
        vm.prank(insurer);
        claims.setFees(1, codes, fees);
        for (uint256 i; i < 8; ++i) traceMock.setDispensed(GTIN, LOT, i, pharmacy);
    }

    /// @dev Moves time forward by up to 60 days (appeal windows close; policies end NOW + 335 days).
    function wait(uint256 duration) external {
        uint256 next = block.timestamp + bound(duration, 1, 60 days);
        if (next > NOW + 330 days) return;
        vm.warp(next);
        ++calls;
    }

    function fund(uint256 seed, uint256 amount) external {
        uint256 index = seed % 2;
        address owner = _insurerOf(index);
        amount = bound(amount, 1, 1_000 * USD);
        usdc.mint(owner, amount);
        vm.startPrank(owner);
        usdc.approve(address(claims), amount);
        claims.fundPool(pools[index], amount);
        vm.stopPrank();
        ++calls;
    }

    function withdraw(uint256 seed, uint256 amount) external {
        uint256 index = seed % 2;
        IInsuranceClaim.Pool memory pool = claims.poolOf(pools[index]);
        // Sometimes more than available, to exercise the refusal.
        amount = bound(amount, 1, pool.balance + 1);
        vm.prank(_insurerOf(index));
        try claims.withdrawFromPool(pools[index], amount, _insurerOf(index)) {} catch {}
        ++calls;
    }

    /// @dev Submits one of 16 services (policy, provider, one of 4 dates) with fresh evidence: refused as a duplicate
    /// while the service's latest claim is alive, accepted otherwise (the invariant checks which).
    function submit(uint256 seed, uint256 billed) external {
        uint256 service = seed % 16;
        address from = (service >> 1) % 2 == 0 ? provider : secondProvider;
        IInsuranceClaim.ClaimRequest memory request = _request(
            policies[service % 2],
            uint96(bound(billed, 1, 200 * USD)),
            keccak256(abi.encode(claimIds.length, seed))
        );
        request.patient = patient;
        request.serviceDate = NOW - 1 days - uint48(service >> 2) * 1 days;
        vm.prank(from);
        try claims.submitClaim(request, 0, new bytes32[](0)) returns (uint256 claimId) {
            claimIds.push(claimId);
            serviceOf[claimId] = service + 1;
        } catch {}
        ++calls;
    }

    /// @dev The pharmacy claims one of 8 dispensed units through the drug path (refused once claimed).
    function submitDrug(uint256 seed, uint256 billed) external {
        uint256 unitIndex = seed % 8;
        IInsuranceClaim.DrugClaimRequest memory request = IInsuranceClaim.DrugClaimRequest({
            policyId: policies[0],
            patient: patient,
            gtin: GTIN,
            lot: LOT,
            unitIndex: unitIndex,
            serviceDate: NOW - 1 days,
            billed: uint96(bound(billed, 1, 50 * USD)),
            evidenceHash: keccak256(abi.encode("drug", claimIds.length, seed))
        });
        vm.prank(pharmacy);
        try claims.submitDrugClaim(request, 0, new bytes32[](0)) returns (uint256 claimId) {
            claimIds.push(claimId);
            ++unitClaims[unitIndex];
        } catch {}
        ++calls;
    }

    /// @dev Attacks that must always be refused: a drug code on the generic path (by the pharmacy, with the
    /// patient's consent and the code in the fee schedule) and billing by a provider the patient never authorized.
    function attack(uint256 seed) external {
        IInsuranceClaim.ClaimRequest memory request = _request(policies[0], 40 * USD, keccak256(abi.encode(seed)));
        request.patient = patient;
        address from = strangerProvider;
        if (seed % 2 == 0) {
            request.serviceCode = claims.drugServiceCode(GTIN);
            from = pharmacy;
        }
        vm.prank(from);
        try claims.submitClaim(request, 0, new bytes32[](0)) {
            ++wrongAcceptances;
        } catch {}
        ++calls;
    }

    function approve(uint256 seed) external {
        (bool found, uint256 claimId) = _find(seed, _PENDING);
        if (!found) return;
        vm.prank(adjuster);
        // Refused when the pool cannot reserve the payout; the invariants must hold either way.
        try claims.approveClaim(claimId) {} catch {}
        ++calls;
    }

    function deny(uint256 seed, uint16 reason) external {
        (bool found, uint256 claimId) = _find(seed, _PENDING);
        if (!found) return;
        vm.prank(adjuster);
        claims.denyClaim(claimId, uint16(bound(reason, 1, 300)));
        ++calls;
    }

    function appeal(uint256 seed) external {
        (bool found, uint256 claimId) = _find(seed, _DENIED);
        if (!found) return;
        IInsuranceClaim.Claim memory claim = claims.claimOf(claimId);
        vm.prank(claim.provider);
        try claims.appealClaim(claimId, keccak256(abi.encode("appeal", claimId))) {
            if (block.timestamp > claim.appealDeadline) ++wrongAcceptances;
        } catch {
            // Only a closed window refuses an appeal of a Denied claim by its provider.
            if (block.timestamp <= claim.appealDeadline) ++wrongAcceptances;
        }
        ++calls;
    }

    function pay(uint256 seed) external {
        (bool found, uint256 claimId) = _find(seed, _APPROVED);
        if (!found) return;
        vm.prank(_insurerOfClaim(claimId));
        claims.payClaim(claimId);
        ++timesPaid[claimId];
        ++calls;
    }

    /// @dev Voids an Approved claim (as after a payee the token refuses), by its pool's insurer.
    function voidApproved(uint256 seed, uint16 reason) external {
        (bool found, uint256 claimId) = _find(seed, _APPROVED);
        if (!found) return;
        vm.prank(_insurerOfClaim(claimId));
        claims.voidClaim(claimId, uint16(bound(reason, 1, 300)));
        ++voids;
        ++calls;
    }

    /// @dev A claim in one of `allowedStates` (an expected-states bitmap), searching from a random position.
    function _find(uint256 seed, bytes32 allowedStates) private view returns (bool found, uint256 claimId) {
        uint256 count = claimIds.length;
        for (uint256 i; i < count; ++i) {
            claimId = claimIds[(seed + i) % count];
            if (_stateBitmap(uint8(claims.claimStateOf(claimId))) & allowedStates != 0) return (true, claimId);
        }
        return (false, 0);
    }

    /// @dev The insurer of claim `claimId`'s pool.
    function _insurerOfClaim(uint256 claimId) private view returns (address) {
        return claims.claimOf(claimId).poolId == pools[1] ? secondInsurer : insurer;
    }

    function payBatch(uint256 seed, uint256 count) external {
        uint256 index = seed % 2;
        count = bound(count, 1, 8);
        uint256[] memory batch = new uint256[](count);
        uint256 found;
        for (uint256 i; i < claimIds.length && found < count; ++i) {
            uint256 claimId = claimIds[(seed + i) % claimIds.length];
            IInsuranceClaim.Claim memory claim = claims.claimOf(claimId);
            if (claim.state == IInsuranceClaim.ClaimState.Approved && claim.poolId == pools[index]) {
                batch[found++] = claimId;
            }
        }
        if (found == 0) return;
        assembly ("memory-safe") {
            mstore(batch, found)
        }
        vm.prank(_insurerOf(index));
        claims.payClaims(batch);
        for (uint256 i; i < found; ++i) {
            if (claims.claimStateOf(batch[i]) == IInsuranceClaim.ClaimState.Paid) ++timesPaid[batch[i]];
        }
        ++calls;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                  READS FOR THE INVARIANTS                  */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    function claimsContract() external view returns (InsuranceClaim) {
        return claims;
    }

    function token() external view returns (MockERC20) {
        return usdc;
    }

    function poolIds() external view returns (uint256[2] memory) {
        return pools;
    }

    function policyIds() external view returns (uint256[2] memory) {
        return policies;
    }

    function allClaims() external view returns (uint256[] memory) {
        return claimIds;
    }

    function providers() external view returns (address[3] memory) {
        return [provider, secondProvider, pharmacy];
    }

    function _insurerOf(uint256 index) private view returns (address) {
        return index == 0 ? insurer : secondInsurer;
    }
}

contract InsuranceClaimInvariantTest is Test {
    ClaimsHandler internal handler;
    InsuranceClaim internal claims;

    function setUp() public {
        handler = new ClaimsHandler();
        claims = handler.claimsContract();
        // Every state-changing function of the handler is a target (view and pure ones are never called), as in
        // the DrugTrace and PatientConsent invariant suites.
        targetContract(address(handler));
    }

    /// @dev The contract holds at least every pool's balance of the token.
    function invariant_tokenBalanceCoversPools() public view {
        uint256[2] memory pools = handler.poolIds();
        uint256 total = claims.poolOf(pools[0]).balance + claims.poolOf(pools[1]).balance;
        assertGe(handler.token().balanceOf(address(claims)), total);
    }

    /// @dev No pool reserves more than it holds.
    function invariant_reserveWithinBalance() public view {
        uint256[2] memory pools = handler.poolIds();
        for (uint256 i; i < 2; ++i) {
            IInsuranceClaim.Pool memory pool = claims.poolOf(pools[i]);
            assertLe(pool.reserved, pool.balance);
        }
    }

    /// @dev Every claim is paid at most once, and the providers hold exactly the payouts of the Paid claims.
    function invariant_claimPaidAtMostOnce() public view {
        uint256[] memory ids = handler.allClaims();
        uint256 paidOut;
        uint256 reserved;
        for (uint256 i; i < ids.length; ++i) {
            assertLe(handler.timesPaid(ids[i]), 1);
            IInsuranceClaim.Claim memory claim = claims.claimOf(ids[i]);
            if (claim.state == IInsuranceClaim.ClaimState.Paid) paidOut += claim.payout;
            if (claim.state == IInsuranceClaim.ClaimState.Approved) reserved += claim.payout;
        }
        address[3] memory payees = handler.providers();
        assertEq(
            handler.token().balanceOf(payees[0]) +
                handler.token().balanceOf(payees[1]) +
                handler.token().balanceOf(payees[2]),
            paidOut
        );
        uint256[2] memory pools = handler.poolIds();
        assertEq(claims.poolOf(pools[0]).reserved + claims.poolOf(pools[1]).reserved, reserved);
    }

    /// @dev No policy pays (or reserves) beyond its plan's coverage limit; its coverage used and deductible met are
    /// exactly the sums over its Approved and Paid claims (a Voided claim counts for nothing).
    function invariant_policyWithinCoverageLimit() public view {
        uint256[2] memory policies = handler.policyIds();
        uint256[] memory ids = handler.allClaims();
        for (uint256 p; p < 2; ++p) {
            IInsuranceClaim.Policy memory policy = claims.policyOf(policies[p]);
            IInsuranceClaim.Plan memory plan = claims.planOf(policy.planId);
            assertLe(policy.coverageUsed, plan.coverageLimit);
            assertLe(policy.deductibleMet, plan.deductible);
            uint256 committed;
            uint256 deductibleMet;
            for (uint256 i; i < ids.length; ++i) {
                IInsuranceClaim.Claim memory claim = claims.claimOf(ids[i]);
                if (
                    claim.policyId == policies[p] &&
                    (claim.state == IInsuranceClaim.ClaimState.Paid ||
                        claim.state == IInsuranceClaim.ClaimState.Approved)
                ) {
                    committed += claim.payout;
                    deductibleMet += claim.deductibleApplied;
                }
            }
            assertEq(committed, policy.coverageUsed);
            assertEq(deductibleMet, policy.deductibleMet);
            assertLe(committed, plan.coverageLimit);
        }
    }

    /// @dev A drug code never passes the generic path, a stranger provider never bills, no appeal after the window.
    function invariant_attacksAlwaysRefused() public view {
        assertEq(handler.wrongAcceptances(), 0);
    }

    /// @dev Each drug unit is claimed at most once.
    function invariant_drugUnitClaimedOnce() public view {
        for (uint256 i; i < 8; ++i) assertLe(handler.unitClaims(i), 1);
    }

    /// @dev One service is one live claim: of the claims of a service, at most one is not finally refused
    /// (FinalDenied, Voided, or Denied with its appeal window closed).
    function invariant_oneLiveClaimPerService() public view {
        uint256[] memory ids = handler.allClaims();
        uint256[16] memory live;
        for (uint256 i; i < ids.length; ++i) {
            uint256 service = handler.serviceOf(ids[i]);
            if (service == 0) continue;
            IInsuranceClaim.Claim memory claim = claims.claimOf(ids[i]);
            bool refused =
                claim.state == IInsuranceClaim.ClaimState.FinalDenied ||
                    claim.state == IInsuranceClaim.ClaimState.Voided ||
                    (claim.state == IInsuranceClaim.ClaimState.Denied && block.timestamp > claim.appealDeadline);
            if (!refused) ++live[service - 1];
        }
        for (uint256 s; s < 16; ++s) assertLe(live[s], 1);
    }
}
