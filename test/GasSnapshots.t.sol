// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Hashes} from "@openzeppelin/contracts/utils/cryptography/Hashes.sol";

import {IDrugTrace} from "../contracts/interfaces/IDrugTrace.sol";
import {IInsuranceClaim} from "../contracts/interfaces/IInsuranceClaim.sol";
import {IPatientConsent} from "../contracts/interfaces/IPatientConsent.sol";
import {Deployers} from "./helpers/Deployers.sol";

/*
 * Gas snapshots of the hot paths of the three contracts, recorded with `vm.snapshotGasLastCall` into
 * snapshots/DrugTrace.json, snapshots/PatientConsent.json and snapshots/InsuranceClaim.json (committed).
 * `npm test` runs `hardhat test solidity --snapshot-check --tolerance 2`, so a change of more than 2 % fails;
 * `npx hardhat test solidity --snapshot` records new values after an intended change. The values are the gas the
 * call's execution used inside a test (no intrinsic gas or calldata), for review and regressions; bench/RESULTS.md
 * has what a transaction pays. Each test also checks that the measured call did its job.
 */

/// @dev The suite deployed as the CareChain module does (`Deployers._deploySuite`), clock fixed in 2033.
abstract contract SuiteSetup is Deployers {
    uint48 internal constant NOW = 2_000_000_000;
    uint32 internal constant PURPOSES = (1 << 0) | (1 << 2); // TREAT and HPAYMT
    uint32 internal constant CATEGORIES = (1 << 2) | (1 << 4); // medications and labs
    uint8 internal constant TREAT = 0;

    function _deploySuiteNow() internal {
        vm.warp(NOW);
        _deploySuite();
    }

    function _consentTo(address grantee) internal {
        vm.prank(patient);
        consent.grantConsent(patient, grantee, PURPOSES, CATEGORIES, NOW - 30 days, NOW + 365 days);
    }
}

/// @dev DrugTrace: registerBatch, ship, acceptShipment, dispense with a 20-level proof, recall. Every measured call
/// is the first in its test to touch its storage, as in a transaction of its own.
contract DrugTraceGasSnapshotsTest is SuiteSetup {
    bytes32 internal constant LOT = "SNAP-LOT";

    bytes32 internal batchId;
    bytes32 internal root;
    uint256 internal pendingShipment;
    /// @dev Units 256, 257 (bitmap word 1) and 512 (word 2), each with a 20-level proof.
    mapping(uint256 index => bytes32[] proof) internal proofs;

    /// @dev A 2^20-unit batch seen from units 256, 257, 512 and 513: pairs (256, 257) and (512, 513) under one node,
    /// with 18 fixed hashes standing for the rest of the tree. The manufacturer released 1,000 units to the
    /// distributor, who passed 100 to the pharmacy; the pharmacy dispensed unit 256; 500 more units are on their way
    /// to the distributor.
    function setUp() public {
        _deploySuiteNow();
        bytes32[4] memory leaves = [_leaf(256), _leaf(257), _leaf(512), _leaf(513)];
        bytes32 low = Hashes.commutativeKeccak256(leaves[0], leaves[1]);
        bytes32 high = Hashes.commutativeKeccak256(leaves[2], leaves[3]);
        proofs[256].push(leaves[1]);
        proofs[256].push(high);
        proofs[257].push(leaves[0]);
        proofs[257].push(high);
        proofs[512].push(leaves[3]);
        proofs[512].push(low);
        bytes32 node = Hashes.commutativeKeccak256(low, high);
        for (uint256 level; level < 18; ++level) {
            bytes32 sibling = keccak256(abi.encode("sibling", level));
            proofs[256].push(sibling);
            proofs[257].push(sibling);
            proofs[512].push(sibling);
            node = Hashes.commutativeKeccak256(node, sibling);
        }
        root = node;

        vm.prank(manufacturer);
        batchId = drugTrace.registerBatch(GTIN, 7, LOT, NOW + 730 days, 1 << 20, root, keccak256("metadata"));
        uint256 released = _ship(manufacturer, distributor, 1_000);
        vm.prank(distributor);
        drugTrace.acceptShipment(released);
        uint256 onward = _ship(distributor, pharmacy, 100);
        vm.prank(pharmacy);
        drugTrace.acceptShipment(onward);
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, 256, _serial(256), proofs[256]);
        pendingShipment = _ship(manufacturer, distributor, 500);
    }

    function test_registerBatch_gasSnapshot() public {
        vm.prank(manufacturer);
        bytes32 id = drugTrace.registerBatch(GTIN, 7, "SNAP-LOT-2", NOW + 730 days, 1_000_000, root, bytes32(0));
        vm.snapshotGasLastCall("DrugTrace", "registerBatch");
        assertEq(uint8(drugTrace.batchStateOf(id)), uint8(IDrugTrace.BatchState.Active));
    }

    function test_ship_gasSnapshot() public {
        _ship(manufacturer, distributor, 250);
        vm.snapshotGasLastCall("DrugTrace", "ship");
        assertEq(drugTrace.holdingOf(batchId, manufacturer), (1 << 20) - 1_750);
    }

    function test_acceptShipment_gasSnapshot() public {
        vm.prank(distributor);
        drugTrace.acceptShipment(pendingShipment);
        vm.snapshotGasLastCall("DrugTrace", "acceptShipment");
        assertEq(drugTrace.holdingOf(batchId, distributor), 1_400);
    }

    function test_dispense_gasSnapshotAtDepth20FirstOfWord() public {
        _snapshotDispense(512, "dispense-depth20-first-of-word");
    }

    function test_dispense_gasSnapshotAtDepth20SharedWord() public {
        _snapshotDispense(257, "dispense-depth20-shared-word");
    }

    /// @dev The pharmacy dispenses unit `index` (20-level proof), recorded as snapshot `name`.
    function _snapshotDispense(uint256 index, string memory name) private {
        vm.prank(pharmacy);
        drugTrace.dispense(batchId, index, _serial(index), proofs[index]);
        vm.snapshotGasLastCall("DrugTrace", name);
        assertTrue(drugTrace.isDispensedBy(batchId, index, pharmacy));
        assertEq(drugTrace.holdingOf(batchId, pharmacy), 98);
    }

    function test_recall_gasSnapshot() public {
        vm.prank(manufacturer);
        drugTrace.recall(batchId, 3, keccak256("evidence"));
        vm.snapshotGasLastCall("DrugTrace", "recall");
        assertEq(uint8(drugTrace.batchStateOf(batchId)), uint8(IDrugTrace.BatchState.Recalled));
    }

    function _ship(address from, address to, uint32 quantity) internal returns (uint256 shipmentId) {
        vm.prank(from);
        shipmentId = drugTrace.ship(batchId, to, quantity);
    }

    function _serial(uint256 index) internal pure returns (bytes32) {
        return bytes32(abi.encodePacked("SN-", bytes4(uint32(index))));
    }

    function _leaf(uint256 index) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(index, _serial(index)))));
    }
}

/// @dev PatientConsent: grantConsent, grantConsentBySig, revokeConsent and isAuthorized with 100 consents on the
/// patient.
contract PatientConsentGasSnapshotsTest is SuiteSetup {
    uint256 internal signerKey;
    address internal signer;

    function setUp() public {
        _deploySuiteNow();
        (signer, signerKey) = makeAddrAndKey("signing patient");
        for (uint256 i; i < 100; ++i) _consentTo(_grantee(i));
    }

    function test_grantConsent_gasSnapshot() public {
        vm.prank(patient);
        consent.grantConsent(patient, _grantee(100), PURPOSES, CATEGORIES, NOW, NOW + 365 days);
        vm.snapshotGasLastCall("PatientConsent", "grantConsent");
        assertEq(uint8(consent.consentStateOf(patient, _grantee(100))), uint8(IPatientConsent.ConsentState.Active));
    }

    function test_grantConsentBySig_gasSnapshot() public {
        IPatientConsent.ConsentGrant memory grant = IPatientConsent.ConsentGrant({
            patient: signer,
            grantee: clinic,
            purposes: PURPOSES,
            categories: CATEGORIES,
            start: NOW,
            end: NOW + 365 days,
            nonce: 0,
            deadline: NOW + 1 days
        });
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(signerKey, consent.consentGrantDigest(grant));
        vm.prank(makeAddr("relayer"));
        consent.grantConsentBySig(grant, abi.encodePacked(r, s, v));
        vm.snapshotGasLastCall("PatientConsent", "grantConsentBySig");
        assertEq(consent.nonces(signer), 1);
    }

    function test_revokeConsent_gasSnapshotAfter100() public {
        vm.prank(patient);
        consent.revokeConsent(patient, _grantee(0));
        vm.snapshotGasLastCall("PatientConsent", "revokeConsent-after100");
        assertEq(uint8(consent.consentStateOf(patient, _grantee(0))), uint8(IPatientConsent.ConsentState.Revoked));
    }

    function test_isAuthorized_gasSnapshotAfter100() public {
        bool authorized = consent.isAuthorized(patient, _grantee(99), TREAT, 1 << 4);
        vm.snapshotGasLastCall("PatientConsent", "isAuthorized-after100");
        assertTrue(authorized);
    }

    function _grantee(uint256 i) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encode("grantee", i)))));
    }
}

/// @dev InsuranceClaim: createPolicy, submitClaim (consent checks included), approveClaim, payClaim, voidClaim,
/// denyClaim, appealClaim.
contract InsuranceClaimGasSnapshotsTest is SuiteSetup {
    bytes32 internal constant CODE = "99213";

    uint256 internal poolId;
    uint256 internal planId;
    uint256 internal policyId;
    uint256 internal approvedClaim;
    uint256 internal submittedClaim;
    uint256 internal deniedClaim;

    /// @dev A funded USDC pool, a plan (deductible $50, 20 % coinsurance, fee $120 for 99213, 180-day appeal window),
    /// a policy for the patient, the patient's consent to the insurer and to the clinic, a clinic that already holds USDC (a payee in steady state), one
    /// approved claim ($56 payable) and one submitted claim. Every measured call is the first in its test to touch its
    /// storage.
    function setUp() public {
        _deploySuiteNow();
        usdc.mint(clinic, 1);
        (poolId, planId) = _openPlan(
            insurer,
            usdc,
            1_000_000 * USD,
            100_000 * USD,
            50 * USD,
            2_000,
            180 days,
            CODE,
            120 * USD
        );
        vm.prank(insurer);
        policyId = claims.createPolicy(planId, patient, NOW - 30 days, NOW + 335 days);
        _consentTo(insurer);
        _consentTo(clinic);
        approvedClaim = _submit("approved", NOW - 3 days);
        vm.prank(adjuster);
        claims.approveClaim(approvedClaim);
        submittedClaim = _submit("submitted", NOW - 2 days);
        deniedClaim = _submit("denied", NOW - 4 days);
        vm.prank(adjuster);
        claims.denyClaim(deniedClaim, 50);
    }

    function test_createPolicy_gasSnapshot() public {
        vm.prank(insurer);
        uint256 id = claims.createPolicy(planId, makeAddr("new patient"), NOW, NOW + 365 days);
        vm.snapshotGasLastCall("InsuranceClaim", "createPolicy");
        assertEq(claims.policyOf(id).patient, makeAddr("new patient"));
    }

    function test_submitClaim_gasSnapshot() public {
        uint256 claimId = _submit("new", NOW - 1 days);
        vm.snapshotGasLastCall("InsuranceClaim", "submitClaim");
        assertEq(uint8(claims.claimStateOf(claimId)), uint8(IInsuranceClaim.ClaimState.Submitted));
    }

    function test_approveClaim_gasSnapshot() public {
        vm.prank(adjuster);
        claims.approveClaim(submittedClaim);
        vm.snapshotGasLastCall("InsuranceClaim", "approveClaim");
        assertEq(uint8(claims.claimStateOf(submittedClaim)), uint8(IInsuranceClaim.ClaimState.Approved));
    }

    function test_payClaim_gasSnapshot() public {
        vm.prank(insurer);
        claims.payClaim(approvedClaim);
        vm.snapshotGasLastCall("InsuranceClaim", "payClaim");
        // $120 allowed, $50 deductible, 80 % of the remaining $70 paid.
        assertEq(usdc.balanceOf(clinic), 1 + 56 * USD);
    }

    function test_voidClaim_gasSnapshot() public {
        vm.prank(insurer);
        claims.voidClaim(approvedClaim, 16);
        vm.snapshotGasLastCall("InsuranceClaim", "voidClaim");
        assertEq(uint8(claims.claimStateOf(approvedClaim)), uint8(IInsuranceClaim.ClaimState.Voided));
        assertEq(claims.poolOf(poolId).reserved, 0);
    }

    function test_denyClaim_gasSnapshot() public {
        vm.prank(adjuster);
        claims.denyClaim(submittedClaim, 50);
        vm.snapshotGasLastCall("InsuranceClaim", "denyClaim");
        assertEq(claims.claimOf(submittedClaim).appealDeadline, NOW + 180 days);
    }

    function test_appealClaim_gasSnapshot() public {
        vm.prank(clinic);
        claims.appealClaim(deniedClaim, keccak256("FHIR appeal"));
        vm.snapshotGasLastCall("InsuranceClaim", "appealClaim");
        assertEq(uint8(claims.claimStateOf(deniedClaim)), uint8(IInsuranceClaim.ClaimState.Appealed));
    }

    function _submit(string memory evidence, uint48 serviceDate) internal returns (uint256) {
        vm.prank(clinic);
        return
            claims.submitClaim(
                IInsuranceClaim.ClaimRequest({
                    policyId: policyId,
                    patient: patient,
                    serviceCode: CODE,
                    serviceDate: serviceDate,
                    billed: 150 * USD,
                    evidenceHash: keccak256(abi.encode("FHIR claim", evidence))
                }),
                0,
                new bytes32[](0)
            );
    }
}
