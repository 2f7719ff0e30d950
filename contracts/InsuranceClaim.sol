// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IDrugTrace} from "./interfaces/IDrugTrace.sol";
import {IInsuranceClaim} from "./interfaces/IInsuranceClaim.sol";
import {IPatientConsent} from "./interfaces/IPatientConsent.sol";
import {Adjudication} from "./libraries/Adjudication.sol";
import {DataCategory, PurposeOfUse} from "./libraries/ConsentVocabulary.sol";
import {Gtin} from "./libraries/Gtin.sol";

/// @title InsuranceClaim
/// @notice ERC-20 pools, plans and policies; claims tied to patient consent and to dispensed drugs; adjudication
/// with deductible, coinsurance, fee schedules, coverage limits and one appeal within the plan's appeal window;
/// insurer-triggered payouts.
/// @dev Roles: DEFAULT_ADMIN_ROLE (AccessControlDefaultAdminRules, delayed transfer) grants INSURER_ROLE,
/// PROVIDER_ROLE and PAUSER_ROLE; each pool's insurer appoints that pool's adjusters; PROVIDER_ROLE lets an
/// account bill only the patients who authorize it (HPAYMT) in PatientConsent. Not upgradeable.
/// Fraud rules (issue 11): drugs are billed only through `submitDrugClaim` (the generic path refuses the drug
/// namespace, recognised by shape in constant gas); one service (policy, provider, code, date) is one claim until
/// it is finally denied or voided; consent is checked at submission, not again afterwards (see IInsuranceClaim).
contract InsuranceClaim is IInsuranceClaim, AccessControlDefaultAdminRules, Pausable, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev slot 0: token (160) | slot 1: insurer (160) | slot 2: balance (128) | reserved (128).
    /// Invariant: reserved <= balance; the sum of balances of a token's pools <= this contract's balance of it.
    struct PoolRecord {
        IERC20 token;
        address insurer;
        uint128 balance;
        uint128 reserved;
    }

    /// @dev slot 0: insurer (160) | poolId (48) | appealWindow (48) | slot 1: deductible (96) | coverageLimit (96) |
    /// coinsuranceBps (16) | slot 2: feeScheduleRoot. The pool's insurer is copied here (pools never change
    /// insurer) so a submission reads one plan slot for the consent check; an approval reads only slot 1; a
    /// denial reads slot 0 for the appeal window. Immutable once created (explicit fees live in `_fees`).
    struct PlanRecord {
        address insurer;
        uint48 poolId;
        uint48 appealWindow;
        uint96 deductible;
        uint96 coverageLimit;
        uint16 coinsuranceBps;
        bytes32 feeScheduleRoot;
    }

    /// @dev slot 0: patient (160) | start (48) | end (48) | slot 1: planId (64) | deductibleMet (96) |
    /// coverageUsed (96). Invariants: deductibleMet <= plan.deductible; coverageUsed <= plan.coverageLimit.
    struct PolicyRecord {
        address patient;
        uint48 start;
        uint48 end;
        uint64 planId;
        uint96 deductibleMet;
        uint96 coverageUsed;
    }

    /// @dev slot 0: provider (160) | policyId (64) | state (8) | reasonCode (16) | slot 1: billed (96) |
    /// allowed (96) | poolId (48) | slot 2 (written on approval or first denial): deductibleApplied (96) |
    /// payout (96) | appealDeadline (48). Service code, date and evidence live in the ClaimSubmitted event only.
    struct ClaimRecord {
        address provider;
        uint64 policyId;
        ClaimState state;
        uint16 reasonCode;
        uint96 billed;
        uint96 allowed;
        uint48 poolId;
        uint96 deductibleApplied;
        uint96 payout;
        uint48 appealDeadline;
    }

    /// @dev One slot for every id counter (the last id issued of each), so a new id costs a warm-slot write.
    struct Counters {
        uint48 pools;
        uint64 plans;
        uint64 policies;
        uint64 claims;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    bytes32 public constant INSURER_ROLE = keccak256("INSURER_ROLE");

    /// @inheritdoc IInsuranceClaim
    bytes32 public constant PROVIDER_ROLE = keccak256("PROVIDER_ROLE");

    /// @inheritdoc IInsuranceClaim
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    /// @inheritdoc IInsuranceClaim
    uint8 public constant PAYMENT_PURPOSE = PurposeOfUse.HPAYMT;

    /// @inheritdoc IInsuranceClaim
    uint32 public constant MEDICATIONS_CATEGORY = DataCategory.MEDICATIONS;

    /// @dev The shortest appeal window a plan may state: 30 days. Private to keep the bytecode under EIP-170's
    /// limit; `InsuranceClaimAppealWindowOutOfRange` reports both bounds.
    uint48 private constant _MIN_APPEAL_WINDOW = 30 days;

    /// @dev The longest appeal window a plan may state: 365 days.
    uint48 private constant _MAX_APPEAL_WINDOW = 365 days;

    /// @dev The high nibble of each of the 14 bytes of a drug code's head (ASCII digits are 0x30-0x39).
    uint256 private constant _DRUG_HIGH_NIBBLES = 0xF0F0F0F0F0F0F0F0F0F0F0F0F0F0;

    /// @dev 0x30 in each of the 14 bytes: the high nibble every ASCII digit has.
    uint256 private constant _DRUG_DIGIT_NIBBLES = 0x3030303030303030303030303030;

    /// @dev 6 in each of the 14 bytes: a low nibble n is at most 9 exactly when n + 6 stays below 16.
    uint256 private constant _DRUG_SIX = 0x0606060606060606060606060606;

    /// @dev The low nibble of each of the 14 bytes.
    uint256 private constant _DRUG_LOW_NIBBLES = 0x0F0F0F0F0F0F0F0F0F0F0F0F0F0F;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                          STORAGE                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Expected-states bitmaps (bit `uint8(state)` set for each allowed state) for the claim lifecycle guard.
    /// A decision (approval, denial) takes a Submitted or Appealed claim.
    bytes32 private constant _PENDING_STATES = bytes32(
        (1 << uint8(ClaimState.Submitted)) | (1 << uint8(ClaimState.Appealed))
    );
    /// @dev Payment and voiding take an Approved claim.
    bytes32 private constant _APPROVED_STATES = bytes32(1 << uint8(ClaimState.Approved));
    /// @dev An appeal takes a Denied claim.
    bytes32 private constant _DENIED_STATES = bytes32(1 << uint8(ClaimState.Denied));
    /// @dev The states whose explanation of benefits is the recorded one.
    bytes32 private constant _APPROVED_OR_PAID_STATES = bytes32(
        (1 << uint8(ClaimState.Approved)) | (1 << uint8(ClaimState.Paid))
    );
    /// @dev Every state of a claim that exists.
    bytes32 private constant _EXISTING_STATES = ~bytes32(1 << uint8(ClaimState.None));

    IPatientConsent private immutable CONSENT;
    IDrugTrace private immutable DRUG_TRACE;

    Counters private _counters;
    mapping(uint256 poolId => PoolRecord) private _pools;
    mapping(uint256 poolId => mapping(address account => bool)) private _adjusters;
    mapping(uint256 planId => PlanRecord) private _plans;
    mapping(uint256 planId => mapping(bytes32 serviceCode => uint96 allowedAmount)) private _fees;
    mapping(uint256 policyId => PolicyRecord) private _policies;
    mapping(uint256 claimId => ClaimRecord) private _claims;
    mapping(bytes32 claimKey => uint256 claimId) private _claimIdByKey;
    mapping(bytes32 batchId => mapping(uint256 word => uint256 bits)) private _claimedUnits;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                        CONSTRUCTOR                         */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @param initialDelay The delay before a default admin transfer takes effect (seconds).
    /// @param initialAdmin The default admin.
    /// @param consent The PatientConsent contract.
    /// @param trace The DrugTrace contract.
    constructor(
        uint48 initialDelay,
        address initialAdmin,
        IPatientConsent consent,
        IDrugTrace trace
    ) AccessControlDefaultAdminRules(initialDelay, initialAdmin) {
        if (address(consent).code.length == 0) revert InsuranceClaimNotAContract(address(consent));
        if (address(trace).code.length == 0) revert InsuranceClaimNotAContract(address(trace));
        CONSENT = consent;
        DRUG_TRACE = trace;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       POOL FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    function openPool(IERC20 token) external whenNotPaused onlyRole(INSURER_ROLE) returns (uint256 poolId) {
        if (address(token).code.length == 0) revert InsuranceClaimNotAContract(address(token));
        poolId = ++_counters.pools;
        PoolRecord storage pool = _pools[poolId];
        pool.token = token;
        pool.insurer = msg.sender;
        emit PoolOpened(poolId, msg.sender, token);
    }

    /// @inheritdoc IInsuranceClaim
    /// @dev The credit must be measured after the transfer, so the effect follows the interaction; the
    /// reentrancy guard stops a hostile token from re-entering to be credited twice. The credit is capped at
    /// `amount` so a token lying about balances cannot inflate the pool beyond what was asked for.
    function fundPool(uint256 poolId, uint256 amount) external nonReentrant whenNotPaused returns (uint256 credited) {
        PoolRecord storage pool = _pools[poolId];
        if (pool.insurer == address(0)) revert InsuranceClaimUnknownPool(poolId);
        if (amount == 0) revert InsuranceClaimZeroAmount();
        IERC20 token = pool.token;
        uint256 balanceBefore = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 balanceAfter = token.balanceOf(address(this));
        if (balanceAfter <= balanceBefore) revert InsuranceClaimNothingCredited(poolId, amount);
        credited = balanceAfter - balanceBefore;
        if (credited > amount) credited = amount;
        pool.balance = SafeCast.toUint128(pool.balance + credited);
        emit PoolFunded(poolId, msg.sender, amount, credited);
    }

    /// @inheritdoc IInsuranceClaim
    function withdrawFromPool(
        uint256 poolId,
        uint256 amount,
        address to
    ) external nonReentrant whenNotPaused onlyRole(INSURER_ROLE) {
        PoolRecord storage pool = _checkPoolInsurer(poolId);
        if (amount == 0) revert InsuranceClaimZeroAmount();
        if (to == address(0)) revert InsuranceClaimZeroAccount();
        uint256 available = pool.balance - pool.reserved;
        if (amount > available) revert InsuranceClaimWithdrawalExceedsAvailable(poolId, amount, available);
        // amount <= available <= balance < 2^128, so the cast is exact and the subtraction cannot underflow.
        pool.balance -= uint128(amount);
        emit PoolWithdrawn(poolId, to, amount);
        pool.token.safeTransfer(to, amount);
    }

    /// @inheritdoc IInsuranceClaim
    function setAdjuster(uint256 poolId, address adjuster, bool allowed) external onlyRole(INSURER_ROLE) {
        _checkPoolInsurer(poolId);
        if (adjuster == address(0)) revert InsuranceClaimZeroAccount();
        _adjusters[poolId][adjuster] = allowed;
        emit PoolAdjusterSet(poolId, adjuster, allowed);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                 PLAN AND POLICY FUNCTIONS                  */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    function createPlan(
        uint256 poolId,
        uint96 coverageLimit,
        uint96 deductible,
        uint16 coinsuranceBps,
        bytes32 feeScheduleRoot,
        uint48 appealWindow
    ) external whenNotPaused onlyRole(INSURER_ROLE) returns (uint256 planId) {
        _checkPoolInsurer(poolId);
        if (coverageLimit == 0) revert InsuranceClaimZeroCoverageLimit();
        if (coinsuranceBps > Adjudication.BPS) revert InsuranceClaimCoinsuranceTooHigh(coinsuranceBps);
        if (appealWindow < _MIN_APPEAL_WINDOW || appealWindow > _MAX_APPEAL_WINDOW) {
            revert InsuranceClaimAppealWindowOutOfRange(appealWindow, _MIN_APPEAL_WINDOW, _MAX_APPEAL_WINDOW);
        }
        planId = ++_counters.plans;
        // poolId is an existing pool's id, at most _counters.pools, a uint48: the cast is exact.
        _plans[planId] = PlanRecord({
            insurer: msg.sender,
            poolId: uint48(poolId),
            appealWindow: appealWindow,
            deductible: deductible,
            coverageLimit: coverageLimit,
            coinsuranceBps: coinsuranceBps,
            feeScheduleRoot: feeScheduleRoot
        });
        emit PlanCreated(planId, poolId, coverageLimit, deductible, coinsuranceBps, feeScheduleRoot, appealWindow);
    }

    /// @inheritdoc IInsuranceClaim
    function setFees(
        uint256 planId,
        bytes32[] calldata serviceCodes,
        uint96[] calldata allowedAmounts
    ) external whenNotPaused onlyRole(INSURER_ROLE) {
        _checkPoolInsurer(_existingPlan(planId).poolId);
        uint256 count = serviceCodes.length;
        if (count == 0 || count != allowedAmounts.length) {
            revert InsuranceClaimLengthMismatch(count, allowedAmounts.length);
        }
        mapping(bytes32 serviceCode => uint96 allowedAmount) storage fees = _fees[planId];
        for (uint256 i; i < count; ++i) {
            fees[serviceCodes[i]] = allowedAmounts[i];
            emit PlanFeeSet(planId, serviceCodes[i], allowedAmounts[i]);
        }
    }

    /// @inheritdoc IInsuranceClaim
    function createPolicy(
        uint256 planId,
        address patient,
        uint48 start,
        uint48 end
    ) external whenNotPaused onlyRole(INSURER_ROLE) returns (uint256 policyId) {
        _checkPoolInsurer(_existingPlan(planId).poolId);
        if (patient == address(0)) revert InsuranceClaimZeroAccount();
        if (end <= start) revert InsuranceClaimInvalidPeriod(start, end);
        policyId = ++_counters.policies;
        PolicyRecord storage policy = _policies[policyId];
        policy.patient = patient;
        policy.start = start;
        policy.end = end;
        // planId is an existing plan's id, at most _counters.plans, a uint64: the cast is exact.
        policy.planId = uint64(planId);
        emit PolicyCreated(policyId, planId, patient, start, end);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      CLAIM FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    /// @dev The duplicate key leaves the evidence out on purpose: one service by one provider on one date for one
    /// policy is one claim, whatever document backs it. The key keeps pointing at the latest claim of the service;
    /// it is released only by that claim reaching a final refusal (`_checkNewService`).
    function submitClaim(
        ClaimRequest calldata request,
        uint96 scheduleAmount,
        bytes32[] calldata scheduleProof
    ) external whenNotPaused onlyRole(PROVIDER_ROLE) returns (uint256 claimId) {
        if (request.billed == 0) revert InsuranceClaimZeroAmount();
        if (request.evidenceHash == bytes32(0)) revert InsuranceClaimZeroEvidenceHash();
        if (_isDrugServiceCode(request.serviceCode)) revert InsuranceClaimDrugCodeNeedsDrugClaim(request.serviceCode);
        bytes32 key = _claimKey(request.policyId, msg.sender, request.serviceCode, request.serviceDate);
        uint96 allowed;
        {
            _checkNewService(_claimIdByKey[key]);
            uint64 planId = _checkCoverage(request.policyId, request.patient, request.serviceDate, 0);
            allowed = Adjudication.allowedAmount(
                request.billed,
                _scheduleAmount(planId, request.serviceCode, scheduleAmount, scheduleProof)
            );
            claimId = _recordClaim(request.policyId, planId, request.billed, allowed);
        }
        _claimIdByKey[key] = claimId;
        emit ClaimSubmitted(
            claimId,
            request.policyId,
            msg.sender,
            request.serviceCode,
            request.serviceDate,
            request.billed,
            allowed,
            request.evidenceHash
        );
    }

    /// @inheritdoc IInsuranceClaim
    /// @dev A unit can be claimed once (a bitmap word per 256 units of a batch), which also rules out duplicates,
    /// so drug claims do not store the (policy, provider, code, date, evidence) key.
    function submitDrugClaim(
        DrugClaimRequest calldata request,
        uint96 scheduleAmount,
        bytes32[] calldata scheduleProof
    ) external whenNotPaused onlyRole(PROVIDER_ROLE) returns (uint256 claimId) {
        if (request.billed == 0) revert InsuranceClaimZeroAmount();
        if (request.evidenceHash == bytes32(0)) revert InsuranceClaimZeroEvidenceHash();
        bytes32 serviceCode = _drugServiceCode(request.gtin);
        uint96 allowed;
        {
            uint64 planId = _checkCoverage(
                request.policyId,
                request.patient,
                request.serviceDate,
                MEDICATIONS_CATEGORY
            );
            allowed = Adjudication.allowedAmount(
                request.billed,
                _scheduleAmount(planId, serviceCode, scheduleAmount, scheduleProof)
            );
            claimId = _recordClaim(request.policyId, planId, request.billed, allowed);
        }
        emit ClaimSubmitted(
            claimId,
            request.policyId,
            msg.sender,
            serviceCode,
            request.serviceDate,
            request.billed,
            allowed,
            request.evidenceHash
        );
        _claimDrugUnit(claimId, request.gtin, request.lot, request.unitIndex);
    }

    /// @inheritdoc IInsuranceClaim
    function approveClaim(uint256 claimId) external whenNotPaused {
        _validateClaimStateBitmap(claimId, _PENDING_STATES);
        ClaimRecord storage claim = _claims[claimId];
        uint48 poolId = claim.poolId;
        _checkPoolAdjuster(poolId);
        PolicyRecord storage policy = _policies[claim.policyId];
        PlanRecord storage plan = _plans[policy.planId];
        ExplanationOfBenefits memory eob = Adjudication.explain(
            claim.billed,
            claim.allowed,
            plan.deductible - policy.deductibleMet,
            plan.coinsuranceBps,
            plan.coverageLimit - policy.coverageUsed
        );
        PoolRecord storage pool = _pools[poolId];
        uint128 reserved = pool.reserved;
        uint256 available = pool.balance - reserved;
        if (eob.payout > available) revert InsuranceClaimPoolInsufficientFunds(poolId, eob.payout, available);
        unchecked {
            // payout <= available = balance - reserved, so reserved + payout <= balance < 2^128.
            pool.reserved = reserved + eob.payout;
            // deductibleApplied <= deductible - deductibleMet and payout <= coverageLimit - coverageUsed.
            policy.deductibleMet += eob.deductibleApplied;
            policy.coverageUsed += eob.payout;
        }
        claim.state = ClaimState.Approved;
        claim.reasonCode = 0;
        claim.deductibleApplied = eob.deductibleApplied;
        claim.payout = eob.payout;
        emit ClaimAdjudicated(
            claimId,
            ClaimState.Approved,
            msg.sender,
            eob.billed,
            eob.allowed,
            eob.deductibleApplied,
            eob.coinsurance,
            eob.payout,
            0
        );
    }

    /// @inheritdoc IInsuranceClaim
    /// @dev The deadline is fixed at the first denial from the plan's window, so the appeal reads one claim slot.
    function denyClaim(uint256 claimId, uint16 reasonCode) external whenNotPaused {
        if (reasonCode == 0) revert InsuranceClaimZeroReasonCode();
        ClaimState current = _validateClaimStateBitmap(claimId, _PENDING_STATES);
        ClaimRecord storage claim = _claims[claimId];
        _checkPoolAdjuster(claim.poolId);
        ClaimState outcome;
        if (current == ClaimState.Submitted) {
            outcome = ClaimState.Denied;
            // The window is at most 365 days, so the sum fits uint48 until the year 8.9 million.
            claim.appealDeadline = uint48(block.timestamp) + _plans[_policies[claim.policyId].planId].appealWindow;
        } else {
            outcome = ClaimState.FinalDenied;
        }
        claim.state = outcome;
        claim.reasonCode = reasonCode;
        emit ClaimAdjudicated(claimId, outcome, msg.sender, claim.billed, claim.allowed, 0, 0, 0, reasonCode);
    }

    /// @inheritdoc IInsuranceClaim
    function appealClaim(uint256 claimId, bytes32 evidenceHash) external whenNotPaused {
        _validateClaimStateBitmap(claimId, _DENIED_STATES);
        ClaimRecord storage claim = _claims[claimId];
        if (msg.sender != claim.provider && msg.sender != _policies[claim.policyId].patient) {
            revert InsuranceClaimNotAppellant(claimId, msg.sender);
        }
        if (evidenceHash == bytes32(0)) revert InsuranceClaimZeroEvidenceHash();
        uint48 deadline = claim.appealDeadline;
        if (block.timestamp > deadline) revert InsuranceClaimAppealWindowClosed(claimId, deadline);
        claim.state = ClaimState.Appealed;
        emit ClaimAppealed(claimId, msg.sender, evidenceHash);
    }

    /// @inheritdoc IInsuranceClaim
    function payClaim(uint256 claimId) external nonReentrant whenNotPaused onlyRole(INSURER_ROLE) {
        (PoolRecord storage pool, uint256 poolId, address payee, uint96 amount) = _startPayment(claimId);
        emit ClaimPaid(claimId, poolId, payee, amount);
        if (amount != 0 && !pool.token.trySafeTransfer(payee, amount)) {
            revert InsuranceClaimPaymentFailed(claimId, payee, amount);
        }
    }

    /// @inheritdoc IInsuranceClaim
    function payClaims(
        uint256[] calldata claimIds
    )
        external
        nonReentrant
        whenNotPaused
        onlyRole(INSURER_ROLE)
        returns (uint256 paid, uint256 failed, uint256 amountPaid)
    {
        uint256 count = claimIds.length;
        if (count == 0) revert InsuranceClaimEmptyBatch();
        for (uint256 i; i < count; ++i) {
            uint256 claimId = claimIds[i];
            (PoolRecord storage pool, uint256 poolId, address payee, uint96 amount) = _startPayment(claimId);
            if (amount == 0 || pool.token.trySafeTransfer(payee, amount)) {
                emit ClaimPaid(claimId, poolId, payee, amount);
                ++paid;
                amountPaid += amount;
            } else {
                _undoPayment(claimId, pool, poolId, payee, amount);
                ++failed;
            }
        }
        emit ClaimBatchPaid(msg.sender, paid, failed, amountPaid);
    }

    /// @inheritdoc IInsuranceClaim
    function voidClaim(uint256 claimId, uint16 reasonCode) external whenNotPaused onlyRole(INSURER_ROLE) {
        if (reasonCode == 0) revert InsuranceClaimZeroReasonCode();
        _validateClaimStateBitmap(claimId, _APPROVED_STATES);
        ClaimRecord storage claim = _claims[claimId];
        uint48 poolId = claim.poolId;
        PoolRecord storage pool = _pools[poolId];
        if (pool.insurer != msg.sender) revert InsuranceClaimNotPoolInsurer(poolId, msg.sender);
        PolicyRecord storage policy = _policies[claim.policyId];
        uint96 released = claim.payout;
        uint96 deductibleReleased = claim.deductibleApplied;
        unchecked {
            // The approval added exactly these amounts to reserved, coverageUsed and deductibleMet; only an
            // Approved claim releases them, once (it leaves Approved for good), and reserved only falls by the
            // payouts of claims leaving Approved: none of the three subtractions can underflow.
            pool.reserved -= released;
            policy.coverageUsed -= released;
            policy.deductibleMet -= deductibleReleased;
        }
        claim.state = ClaimState.Voided;
        claim.reasonCode = reasonCode;
        emit ClaimVoided(claimId, poolId, msg.sender, reasonCode, released, deductibleReleased);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      ADMIN FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc IInsuranceClaim
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @inheritdoc IInsuranceClaim
    /// @dev One call of the rule for every state: while pending, against the policy's remaining deductible and
    /// coverage; once Approved or Paid, against the recorded deductible applied and payout (which the rule then
    /// reproduces exactly: the deductible applied is at most the allowed amount, the payout at most the share);
    /// otherwise against nothing (no deductible, coinsurance or payout).
    function quote(uint256 claimId) external view returns (ExplanationOfBenefits memory) {
        bytes32 current = _encodeStateBitmap(_validateClaimStateBitmap(claimId, _EXISTING_STATES));
        ClaimRecord storage claim = _claims[claimId];
        uint96 deductibleRemaining;
        uint16 coinsuranceBps;
        uint96 coverageRemaining;
        if (current & _PENDING_STATES != 0) {
            PolicyRecord storage policy = _policies[claim.policyId];
            PlanRecord storage plan = _plans[policy.planId];
            deductibleRemaining = plan.deductible - policy.deductibleMet;
            coinsuranceBps = plan.coinsuranceBps;
            coverageRemaining = plan.coverageLimit - policy.coverageUsed;
        } else if (current & _APPROVED_OR_PAID_STATES != 0) {
            deductibleRemaining = claim.deductibleApplied;
            coinsuranceBps = _plans[_policies[claim.policyId].planId].coinsuranceBps;
            coverageRemaining = claim.payout;
        }
        return
            Adjudication.explain(claim.billed, claim.allowed, deductibleRemaining, coinsuranceBps, coverageRemaining);
    }

    /// @inheritdoc IInsuranceClaim
    function adjudicate(
        uint96 billed,
        uint96 scheduleAmount,
        uint96 deductibleRemaining,
        uint16 coinsuranceBps,
        uint96 coverageRemaining
    ) external pure returns (ExplanationOfBenefits memory) {
        if (coinsuranceBps > Adjudication.BPS) revert InsuranceClaimCoinsuranceTooHigh(coinsuranceBps);
        return
            Adjudication.explain(
                billed,
                Adjudication.allowedAmount(billed, scheduleAmount),
                deductibleRemaining,
                coinsuranceBps,
                coverageRemaining
            );
    }

    /// @inheritdoc IInsuranceClaim
    function claimStateOf(uint256 claimId) external view returns (ClaimState) {
        return _claims[claimId].state;
    }

    /// @inheritdoc IInsuranceClaim
    function poolOf(uint256 poolId) external view returns (Pool memory) {
        PoolRecord storage pool = _pools[poolId];
        return Pool({token: pool.token, insurer: pool.insurer, balance: pool.balance, reserved: pool.reserved});
    }

    /// @inheritdoc IInsuranceClaim
    function planOf(uint256 planId) external view returns (Plan memory) {
        PlanRecord storage plan = _plans[planId];
        return
            Plan({
                poolId: plan.poolId,
                coverageLimit: plan.coverageLimit,
                deductible: plan.deductible,
                coinsuranceBps: plan.coinsuranceBps,
                feeScheduleRoot: plan.feeScheduleRoot,
                appealWindow: plan.appealWindow
            });
    }

    /// @inheritdoc IInsuranceClaim
    function policyOf(uint256 policyId) external view returns (Policy memory) {
        PolicyRecord storage policy = _policies[policyId];
        return
            Policy({
                planId: policy.planId,
                patient: policy.patient,
                start: policy.start,
                end: policy.end,
                deductibleMet: policy.deductibleMet,
                coverageUsed: policy.coverageUsed
            });
    }

    /// @inheritdoc IInsuranceClaim
    function claimOf(uint256 claimId) external view returns (Claim memory) {
        ClaimRecord storage claim = _claims[claimId];
        return
            Claim({
                policyId: claim.policyId,
                provider: claim.provider,
                state: claim.state,
                reasonCode: claim.reasonCode,
                billed: claim.billed,
                allowed: claim.allowed,
                deductibleApplied: claim.deductibleApplied,
                payout: claim.payout,
                poolId: claim.poolId,
                appealDeadline: claim.appealDeadline
            });
    }

    /// @inheritdoc IInsuranceClaim
    function feeOf(uint256 planId, bytes32 serviceCode) external view returns (uint96) {
        return _fees[planId][serviceCode];
    }

    /// @inheritdoc IInsuranceClaim
    function isAdjuster(uint256 poolId, address account) external view returns (bool) {
        return _adjusters[poolId][account];
    }

    /// @inheritdoc IInsuranceClaim
    function isDrugUnitClaimed(bytes32 batchId, uint256 unitIndex) external view returns (bool) {
        return _claimedUnits[batchId][unitIndex >> 8] & (1 << (unitIndex & 0xff)) != 0;
    }

    /// @inheritdoc IInsuranceClaim
    function claimIdOf(
        uint256 policyId,
        address provider,
        bytes32 serviceCode,
        uint48 serviceDate
    ) external view returns (uint256) {
        return _claimIdByKey[_claimKey(policyId, provider, serviceCode, serviceDate)];
    }

    /// @inheritdoc IInsuranceClaim
    function drugServiceCode(uint64 gtin) external pure returns (bytes32) {
        return _drugServiceCode(gtin);
    }

    /// @inheritdoc IInsuranceClaim
    function isDrugServiceCode(bytes32 serviceCode) external pure returns (bool) {
        return _isDrugServiceCode(serviceCode);
    }

    /// @inheritdoc IInsuranceClaim
    function counts() external view returns (uint256 pools, uint256 plans, uint256 policies, uint256 claims) {
        Counters memory current = _counters;
        return (current.pools, current.plans, current.policies, current.claims);
    }

    /// @inheritdoc IInsuranceClaim
    function patientConsent() external view returns (address) {
        return address(CONSENT);
    }

    /// @inheritdoc IInsuranceClaim
    function drugTrace() external view returns (address) {
        return address(DRUG_TRACE);
    }

    /// @inheritdoc AccessControlDefaultAdminRules
    /// @dev Also answers for `IInsuranceClaim`.
    function supportsInterface(bytes4 interfaceId) public view override returns (bool) {
        return interfaceId == type(IInsuranceClaim).interfaceId || super.supportsInterface(interfaceId);
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                     PRIVATE FUNCTIONS                      */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @dev Pool `poolId`, checking that it exists and that the caller is its insurer.
    function _checkPoolInsurer(uint256 poolId) private view returns (PoolRecord storage pool) {
        pool = _pools[poolId];
        address insurer = pool.insurer;
        if (insurer == address(0)) revert InsuranceClaimUnknownPool(poolId);
        if (insurer != msg.sender) revert InsuranceClaimNotPoolInsurer(poolId, msg.sender);
    }

    /// @dev Plan `planId`, checking that it exists.
    function _existingPlan(uint256 planId) private view returns (PlanRecord storage plan) {
        plan = _plans[planId];
        if (plan.poolId == 0) revert InsuranceClaimUnknownPlan(planId);
    }

    /// @dev Reverts unless the caller is an adjuster of pool `poolId`.
    function _checkPoolAdjuster(uint256 poolId) private view {
        if (!_adjusters[poolId][msg.sender]) revert InsuranceClaimNotPoolAdjuster(poolId, msg.sender);
    }

    /// @dev The one lifecycle guard of the claim state machine (OpenZeppelin Governor's pattern): returns claim
    /// `claimId`'s state, or reverts with `InsuranceClaimUnexpectedClaimState` unless its bit is in `allowedStates`.
    function _validateClaimStateBitmap(
        uint256 claimId,
        bytes32 allowedStates
    ) private view returns (ClaimState current) {
        current = _claims[claimId].state;
        if (_encodeStateBitmap(current) & allowedStates == 0) {
            revert InsuranceClaimUnexpectedClaimState(claimId, current, allowedStates);
        }
    }

    /// @dev The expected-states bitmap with only `state`'s bit (bit `uint8(state)`) set.
    function _encodeStateBitmap(ClaimState state) private pure returns (bytes32) {
        return bytes32(1 << uint8(state));
    }

    /// @dev Checks that policy `policyId` is `patient`'s and covers `serviceDate` (not in the future), and that
    /// the patient authorized the pool's insurer for payment on `categories`; returns the policy's plan.
    function _checkCoverage(
        uint256 policyId,
        address patient,
        uint48 serviceDate,
        uint32 categories
    ) private view returns (uint64 planId) {
        PolicyRecord storage policy = _policies[policyId];
        address holder = policy.patient;
        if (holder == address(0)) revert InsuranceClaimUnknownPolicy(policyId);
        if (holder != patient) revert InsuranceClaimPatientMismatch(policyId, patient);
        if (serviceDate < policy.start || serviceDate > policy.end || serviceDate > block.timestamp) {
            revert InsuranceClaimServiceDateNotCovered(policyId, serviceDate);
        }
        planId = policy.planId;
        address insurer = _plans[planId].insurer;
        if (!_authorizesPayment(holder, insurer, categories)) revert InsuranceClaimConsentMissing(holder, insurer);
        // The provider-patient relationship: the patient lets this provider use their data for payment (bill).
        if (!_authorizesPayment(holder, msg.sender, categories)) {
            revert InsuranceClaimProviderNotAuthorized(holder, msg.sender);
        }
    }

    /// @dev Whether `patient` authorizes `grantee` in PatientConsent for HPAYMT on `categories`.
    function _authorizesPayment(address patient, address grantee, uint32 categories) private view returns (bool) {
        return CONSENT.isAuthorized(patient, grantee, PAYMENT_PURPOSE, categories);
    }

    /// @dev Reverts with `InsuranceClaimDuplicate` unless the service's latest claim `existing` is none (0),
    /// FinalDenied, Voided, or Denied with its appeal window closed: a refusal nobody can reopen any more, so the
    /// new claim can never be paid beside it.
    function _checkNewService(uint256 existing) private view {
        if (existing == 0) return;
        ClaimRecord storage earlier = _claims[existing];
        ClaimState state = earlier.state;
        if (
            state != ClaimState.FinalDenied &&
            state != ClaimState.Voided &&
            (state != ClaimState.Denied || block.timestamp <= earlier.appealDeadline)
        ) revert InsuranceClaimDuplicate(existing);
    }

    /// @dev The fee schedule's amount for `serviceCode` in plan `planId`: the explicit entry, else the Merkle
    /// leaf (`serviceCode`, `scheduleAmount`) proven against the plan's root.
    function _scheduleAmount(
        uint256 planId,
        bytes32 serviceCode,
        uint96 scheduleAmount,
        bytes32[] calldata scheduleProof
    ) private view returns (uint96) {
        uint96 listed = _fees[planId][serviceCode];
        if (listed != 0) return listed;
        bytes32 root = _plans[planId].feeScheduleRoot;
        if (root == bytes32(0) || scheduleAmount == 0) revert InsuranceClaimServiceNotCovered(planId, serviceCode);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(serviceCode, uint256(scheduleAmount)))));
        if (!MerkleProof.verifyCalldata(scheduleProof, root, leaf)) {
            revert InsuranceClaimInvalidFeeProof(planId, serviceCode, scheduleAmount);
        }
        return scheduleAmount;
    }

    /// @dev Checks that DrugTrace shows unit `unitIndex` of batch (`gtin`, `lot`) dispensed by the caller and that
    /// it was never claimed, then marks it claimed by claim `claimId`.
    function _claimDrugUnit(uint256 claimId, uint64 gtin, bytes32 lot, uint256 unitIndex) private {
        bytes32 batchId = DRUG_TRACE.batchIdOf(gtin, lot);
        mapping(uint256 word => uint256 bits) storage claimed = _claimedUnits[batchId];
        uint256 bits = claimed[unitIndex >> 8];
        uint256 mask = 1 << (unitIndex & 0xff);
        if (bits & mask != 0) revert InsuranceClaimDrugUnitAlreadyClaimed(batchId, unitIndex);
        if (!DRUG_TRACE.isDispensedBy(batchId, unitIndex, msg.sender)) {
            revert InsuranceClaimDrugNotDispensed(batchId, unitIndex, msg.sender);
        }
        claimed[unitIndex >> 8] = bits | mask;
        emit DrugUnitClaimed(claimId, batchId, unitIndex);
    }

    /// @dev Stores a new Submitted claim by the caller on policy `policyId` of plan `planId`; returns its id.
    function _recordClaim(
        uint256 policyId,
        uint64 planId,
        uint96 billed,
        uint96 allowed
    ) private returns (uint256 claimId) {
        claimId = ++_counters.claims;
        ClaimRecord storage claim = _claims[claimId];
        claim.provider = msg.sender;
        // policyId is an existing policy's id, at most _counters.policies, a uint64: the cast is exact.
        claim.policyId = uint64(policyId);
        claim.state = ClaimState.Submitted;
        claim.billed = billed;
        claim.allowed = allowed;
        claim.poolId = _plans[planId].poolId;
    }

    /// @dev Checks an Approved claim of one of the caller's pools, marks it Paid and releases its reserve
    /// (effects before the transfer the caller makes); returns the pool, its id, the payee and the amount.
    function _startPayment(
        uint256 claimId
    ) private returns (PoolRecord storage pool, uint256 poolId, address payee, uint96 amount) {
        _validateClaimStateBitmap(claimId, _APPROVED_STATES);
        ClaimRecord storage claim = _claims[claimId];
        poolId = claim.poolId;
        pool = _pools[poolId];
        if (pool.insurer != msg.sender) revert InsuranceClaimNotPoolInsurer(poolId, msg.sender);
        payee = claim.provider;
        amount = claim.payout;
        claim.state = ClaimState.Paid;
        unchecked {
            // amount was added to reserved on approval and is released once (the claim leaves Approved);
            // reserved <= balance, so neither subtraction can underflow.
            pool.balance -= amount;
            pool.reserved -= amount;
        }
    }

    /// @dev After a refused transfer in a batch, puts the claim back to Approved with its reserve, as it was.
    function _undoPayment(
        uint256 claimId,
        PoolRecord storage pool,
        uint256 poolId,
        address payee,
        uint96 amount
    ) private {
        _claims[claimId].state = ClaimState.Approved;
        unchecked {
            // Restores the exact values _startPayment subtracted from in this transaction.
            pool.balance += amount;
            pool.reserved += amount;
        }
        emit ClaimPaymentFailed(claimId, poolId, payee, amount);
    }

    /// @dev The duplicate-detection key of a service: (policy, provider, service code, date), no evidence.
    function _claimKey(
        uint256 policyId,
        address provider,
        bytes32 serviceCode,
        uint48 serviceDate
    ) private pure returns (bytes32) {
        return keccak256(abi.encode(policyId, provider, serviceCode, serviceDate));
    }

    /// @dev Whether `serviceCode` has the shape of a drug code: 14 ASCII digits then 18 zero bytes. Checked on all
    /// 14 bytes at once (SWAR): every high nibble is 3, every low nibble is at most 9 (adding 6 carries into the
    /// high nibble only from 10 up), and the tail is zero. Constant gas, no loop.
    function _isDrugServiceCode(bytes32 serviceCode) private pure returns (bool) {
        // The 18 trailing bytes are zero; `head` is the 14 leading bytes, right-aligned.
        if (uint144(uint256(serviceCode)) != 0) return false;
        uint256 head = uint256(serviceCode) >> 144;
        return
            head & _DRUG_HIGH_NIBBLES == _DRUG_DIGIT_NIBBLES &&
            ((head & _DRUG_LOW_NIBBLES) + _DRUG_SIX) & _DRUG_HIGH_NIBBLES == 0;
    }

    /// @dev The GTIN-14 as 14 left-aligned ASCII digits in a bytes32.
    function _drugServiceCode(uint64 gtin) private pure returns (bytes32) {
        if (gtin >= Gtin.LIMIT) revert InsuranceClaimInvalidGtin(gtin);
        uint256 code;
        uint256 rest = gtin;
        // Digit i from the right (i = 0..13) goes to byte 13 - i from the left, i.e. shift 8 * (18 + i).
        for (uint256 i; i < 14; ++i) {
            code |= (48 + (rest % 10)) << (8 * (18 + i));
            rest /= 10;
        }
        return bytes32(code);
    }
}
