// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IInsuranceClaim
/// @notice Health insurance on chain: insurers fund ERC-20 pools, define plans (coverage limit, deductible,
/// coinsurance, fee schedule, appeal window) and enroll patients in policies; providers submit claims that the
/// patient has consented to (PatientConsent, purpose HPAYMT, granted both to the insurer and to the billing
/// provider) and pharmacies claim dispensed drug units (DrugTrace) through the drug path only; adjusters approve
/// (reserving the payout) or deny with a reason code, one appeal is possible within the plan's appeal window;
/// insurers trigger payouts.
/// @dev Who may bill whom: a provider bills a patient's policy only while the patient authorizes that provider
/// for HPAYMT (healthcare payment) in PatientConsent, on the categories the claim discloses (none for a medical
/// claim, medications for a drug claim). HPAYMT and not TREAT because billing is a use of the patient's data for
/// payment (HL7's definition of HPAYMT), because a patient who ends a provider's access to their records (TREAT)
/// should not thereby stop payment for care already given, and because a patient who pays out of pocket may
/// refuse that a provider bills the plan (HIPAA 45 CFR 164.522(a)(1)(vi)) without ending treatment. The usual
/// grant to a provider names both purposes (TREAT and HPAYMT) in one transaction.
/// Revocation: consent is checked when a claim is submitted, the moment the claim discloses the service to the
/// insurer. A patient who revokes the insurer's or the provider's HPAYMT consent afterwards stops every new claim,
/// but a claim already submitted (care already given, disclosed while authorized) is still adjudicated, appealed
/// and paid: payment for it does not disclose anything new, and a provider who relied on a valid authorization is
/// not left unpaid (as a HIPAA authorization's revocation does not undo actions taken in reliance on it).
/// @dev Amounts are token base units. Claim and plan amounts are `uint96` (at most 7.9e28 base units: 79 billion
/// tokens of 18 decimals, 7.9e22 of 6), pool balances `uint128`. Ids start at 1; 0 means "none". No personal
/// health data is stored or logged: patients are addresses, claim evidence is a hash of the off-chain FHIR Claim,
/// decisions carry numeric reason codes (CARC-like), never text.
interface IInsuranceClaim {
    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           TYPES                            */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice A claim's lifecycle. Submitted -> Approved | Denied; Denied -> Appealed (once);
    /// Appealed -> Approved | FinalDenied; Approved -> Paid | Voided. Paid, FinalDenied and Voided are final.
    /// @dev New states are appended at the end so the numbers of existing ones never change.
    enum ClaimState {
        None,
        Submitted,
        Approved,
        Denied,
        Appealed,
        Paid,
        FinalDenied,
        Voided
    }

    /// @notice A provider's claim for a service.
    /// @param policyId The patient's policy.
    /// @param patient The patient the provider treated; must be the policy's holder.
    /// @param serviceCode The service code (e.g. a CPT/HCPCS code) as left-aligned ASCII bytes32.
    /// @param serviceDate When the service was given (unix seconds); inside the policy period, not in the future.
    /// @param billed The amount billed (token base units).
    /// @param evidenceHash The hash of the off-chain FHIR Claim (never its content).
    struct ClaimRequest {
        uint256 policyId;
        address patient;
        bytes32 serviceCode;
        uint48 serviceDate;
        uint96 billed;
        bytes32 evidenceHash;
    }

    /// @notice A pharmacy's claim for one dispensed drug unit. Its service code is the GTIN-14 as ASCII
    /// (see `drugServiceCode`), so a unit cannot be billed under another product's code.
    /// @param policyId The patient's policy.
    /// @param patient The patient who received the unit; must be the policy's holder.
    /// @param gtin The unit's GTIN-14 as a number.
    /// @param lot The unit's lot (GS1 AI 10) as left-aligned bytes32.
    /// @param unitIndex The unit's index in its batch's serial list (as dispensed in DrugTrace).
    /// @param serviceDate When the unit was dispensed (unix seconds).
    /// @param billed The amount billed (token base units).
    /// @param evidenceHash The hash of the off-chain FHIR Claim.
    struct DrugClaimRequest {
        uint256 policyId;
        address patient;
        uint64 gtin;
        bytes32 lot;
        uint256 unitIndex;
        uint48 serviceDate;
        uint96 billed;
        bytes32 evidenceHash;
    }

    /// @notice The explanation of benefits: how a billed amount becomes a payout.
    /// @param billed What the provider billed.
    /// @param allowed min(billed, fee schedule amount).
    /// @param deductibleApplied The part of `allowed` the patient pays towards the deductible.
    /// @param coinsurance The patient's share of the rest: floor((allowed - deductibleApplied) * bps / 10_000).
    /// @param payout What the pool pays: min(allowed - deductibleApplied - coinsurance, remaining coverage).
    struct ExplanationOfBenefits {
        uint96 billed;
        uint96 allowed;
        uint96 deductibleApplied;
        uint96 coinsurance;
        uint96 payout;
    }

    /// @notice A pool as returned by `poolOf`.
    struct Pool {
        IERC20 token;
        address insurer;
        uint256 balance;
        uint256 reserved;
    }

    /// @notice A plan as returned by `planOf`.
    /// @param appealWindow How long after a denial the claim may be appealed (seconds).
    struct Plan {
        uint256 poolId;
        uint96 coverageLimit;
        uint96 deductible;
        uint16 coinsuranceBps;
        bytes32 feeScheduleRoot;
        uint48 appealWindow;
    }

    /// @notice A policy as returned by `policyOf`.
    /// @param coverageUsed Payouts approved on this policy (reserved or paid); never above the plan's limit.
    struct Policy {
        uint256 planId;
        address patient;
        uint48 start;
        uint48 end;
        uint96 deductibleMet;
        uint96 coverageUsed;
    }

    /// @notice A claim as returned by `claimOf`. `deductibleApplied` and `payout` are set on approval; a Voided
    /// claim keeps them as the approval's numbers that the void released (it paid nothing), and `reasonCode` is the
    /// void's reason. `appealDeadline` is set on the first denial: the last second an appeal is accepted (the
    /// denial's time plus the plan's appeal window); 0 for a claim never denied.
    struct Claim {
        uint256 policyId;
        address provider;
        ClaimState state;
        uint16 reasonCode;
        uint96 billed;
        uint96 allowed;
        uint96 deductibleApplied;
        uint96 payout;
        uint256 poolId;
        uint48 appealDeadline;
    }

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           EVENTS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Insurer `insurer` opened pool `poolId` holding `token`.
    event PoolOpened(uint256 indexed poolId, address indexed insurer, IERC20 indexed token);

    /// @notice `funder` sent `amount` to pool `poolId`, which was credited with the measured `credited`.
    event PoolFunded(uint256 indexed poolId, address indexed funder, uint256 amount, uint256 credited);

    /// @notice The pool's insurer withdrew `amount` of unreserved funds from pool `poolId` to `to`.
    event PoolWithdrawn(uint256 indexed poolId, address indexed to, uint256 amount);

    /// @notice The pool's insurer appointed (`allowed` true) or removed `adjuster` for pool `poolId`.
    event PoolAdjusterSet(uint256 indexed poolId, address indexed adjuster, bool allowed);

    /// @notice Plan `planId` was created on pool `poolId` with these benefit rules; a denial of its claims may be
    /// appealed for `appealWindow` seconds.
    event PlanCreated(
        uint256 indexed planId,
        uint256 indexed poolId,
        uint96 coverageLimit,
        uint96 deductible,
        uint16 coinsuranceBps,
        bytes32 feeScheduleRoot,
        uint48 appealWindow
    );

    /// @notice Plan `planId` lists `allowedAmount` for `serviceCode` (0 removes the explicit entry).
    event PlanFeeSet(uint256 indexed planId, bytes32 indexed serviceCode, uint96 allowedAmount);

    /// @notice Policy `policyId` enrolls `patient` in plan `planId` from `start` to `end` (inclusive).
    event PolicyCreated(
        uint256 indexed policyId,
        uint256 indexed planId,
        address indexed patient,
        uint48 start,
        uint48 end
    );

    /// @notice `provider` submitted claim `claimId` on policy `policyId`.
    event ClaimSubmitted(
        uint256 indexed claimId,
        uint256 indexed policyId,
        address indexed provider,
        bytes32 serviceCode,
        uint48 serviceDate,
        uint96 billed,
        uint96 allowed,
        bytes32 evidenceHash
    );

    /// @notice Claim `claimId` is for unit `unitIndex` of DrugTrace batch `batchId`, now claimed for good.
    event DrugUnitClaimed(uint256 indexed claimId, bytes32 indexed batchId, uint256 unitIndex);

    /// @notice The explanation of benefits of a decision: `adjuster` moved claim `claimId` to `outcome`
    /// (Approved, Denied or FinalDenied) with these amounts; `reasonCode` is non-zero on a denial.
    event ClaimAdjudicated(
        uint256 indexed claimId,
        ClaimState indexed outcome,
        address indexed adjuster,
        uint96 billed,
        uint96 allowed,
        uint96 deductibleApplied,
        uint96 coinsurance,
        uint96 payout,
        uint16 reasonCode
    );

    /// @notice `appellant` appealed the denial of claim `claimId` with new evidence `evidenceHash`.
    event ClaimAppealed(uint256 indexed claimId, address indexed appellant, bytes32 evidenceHash);

    /// @notice Pool `poolId` paid `amount` to `payee` for claim `claimId`.
    event ClaimPaid(uint256 indexed claimId, uint256 indexed poolId, address indexed payee, uint96 amount);

    /// @notice In a batch, the token refused to pay `payee` for claim `claimId`; it stays Approved and reserved.
    event ClaimPaymentFailed(uint256 indexed claimId, uint256 indexed poolId, address indexed payee, uint96 amount);

    /// @notice The pool's `insurer` voided Approved claim `claimId` for `reasonCode`: its `released` payout went back
    /// from pool `poolId`'s reserve to its available funds, and the policy got back `released` of coverage and
    /// `deductibleReleased` of deductible. Nothing was paid.
    event ClaimVoided(
        uint256 indexed claimId,
        uint256 indexed poolId,
        address indexed insurer,
        uint16 reasonCode,
        uint96 released,
        uint96 deductibleReleased
    );

    /// @notice `insurer` ran a batch payout: `paid` claims paid for `amountPaid` in total, `failed` left Approved.
    event ClaimBatchPaid(address indexed insurer, uint256 paid, uint256 failed, uint256 amountPaid);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                           ERRORS                           */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice `account` must be a contract (a token, PatientConsent, DrugTrace) and has no code.
    error InsuranceClaimNotAContract(address account);

    /// @notice An address argument (patient, adjuster, recipient) is the zero address.
    error InsuranceClaimZeroAccount();

    /// @notice An amount (funding, withdrawal, billed) is zero.
    error InsuranceClaimZeroAmount();

    /// @notice Funding pool `poolId` with `amount` credited nothing (the token's fee took all of it).
    error InsuranceClaimNothingCredited(uint256 poolId, uint256 amount);

    /// @notice There is no pool `poolId`.
    error InsuranceClaimUnknownPool(uint256 poolId);

    /// @notice There is no plan `planId`.
    error InsuranceClaimUnknownPlan(uint256 planId);

    /// @notice There is no policy `policyId`.
    error InsuranceClaimUnknownPolicy(uint256 policyId);

    /// @notice `account` is not the insurer of pool `poolId`.
    error InsuranceClaimNotPoolInsurer(uint256 poolId, address account);

    /// @notice `account` is not an adjuster of pool `poolId`.
    error InsuranceClaimNotPoolAdjuster(uint256 poolId, address account);

    /// @notice `account` is neither the provider of claim `claimId` nor its patient, so cannot appeal.
    error InsuranceClaimNotAppellant(uint256 claimId, address account);

    /// @notice Claim `claimId` is `current`; the call needs one of the states whose bit is set in `expectedStates`
    /// (bit i set = `ClaimState(i)` accepted).
    error InsuranceClaimUnexpectedClaimState(uint256 claimId, ClaimState current, bytes32 expectedStates);

    /// @notice Pool `poolId` can release only `available` (balance minus reserve), less than `amount`.
    error InsuranceClaimWithdrawalExceedsAvailable(uint256 poolId, uint256 amount, uint256 available);

    /// @notice Pool `poolId` has only `available` unreserved, less than the `payout` an approval must reserve.
    error InsuranceClaimPoolInsufficientFunds(uint256 poolId, uint256 payout, uint256 available);

    /// @notice A coinsurance rate above 100% (10,000 basis points).
    error InsuranceClaimCoinsuranceTooHigh(uint256 coinsuranceBps);

    /// @notice A plan's coverage limit is zero.
    error InsuranceClaimZeroCoverageLimit();

    /// @notice A policy period that does not end after it starts.
    error InsuranceClaimInvalidPeriod(uint48 start, uint48 end);

    /// @notice `serviceCodes` and `allowedAmounts` have different lengths, or are empty.
    error InsuranceClaimLengthMismatch(uint256 serviceCodes, uint256 allowedAmounts);

    /// @notice A batch of claim ids is empty.
    error InsuranceClaimEmptyBatch();

    /// @notice Policy `policyId` does not belong to `patient` (a claim on someone else's policy).
    error InsuranceClaimPatientMismatch(uint256 policyId, address patient);

    /// @notice `serviceDate` is outside policy `policyId`'s period or in the future.
    error InsuranceClaimServiceDateNotCovered(uint256 policyId, uint48 serviceDate);

    /// @notice `patient` has not authorized `insurer` for the payment purpose (and the categories the claim needs).
    error InsuranceClaimConsentMissing(address patient, address insurer);

    /// @notice `patient` does not authorize `provider` for the payment purpose (and the categories the claim
    /// needs) in PatientConsent: `provider` may not bill the patient's policy.
    error InsuranceClaimProviderNotAuthorized(address patient, address provider);

    /// @notice The same service (policy, provider, service code, date) is already claimed as `claimId`, which is
    /// not finally denied or voided (evidence is not part of the service: new evidence does not make a new claim).
    error InsuranceClaimDuplicate(uint256 claimId);

    /// @notice `serviceCode` is in the drug namespace (14 ASCII digits: a GTIN-14, see `isDrugServiceCode`): a drug
    /// is billed only with `submitDrugClaim`, which proves the unit was dispensed and claims it once.
    error InsuranceClaimDrugCodeNeedsDrugClaim(bytes32 serviceCode);

    /// @notice Claim `claimId`'s denial could be appealed until `deadline` (unix seconds), which has passed.
    error InsuranceClaimAppealWindowClosed(uint256 claimId, uint48 deadline);

    /// @notice A plan's appeal window of `appealWindow` seconds is outside [`minimum`, `maximum`].
    error InsuranceClaimAppealWindowOutOfRange(uint48 appealWindow, uint48 minimum, uint48 maximum);

    /// @notice An evidence hash is zero.
    error InsuranceClaimZeroEvidenceHash();

    /// @notice Plan `planId` lists no allowed amount for `serviceCode`.
    error InsuranceClaimServiceNotCovered(uint256 planId, bytes32 serviceCode);

    /// @notice (`serviceCode`, `amount`) with the given proof is not a leaf of plan `planId`'s fee schedule root.
    error InsuranceClaimInvalidFeeProof(uint256 planId, bytes32 serviceCode, uint96 amount);

    /// @notice DrugTrace does not show unit `unitIndex` of batch `batchId` as dispensed by `pharmacy`.
    error InsuranceClaimDrugNotDispensed(bytes32 batchId, uint256 unitIndex, address pharmacy);

    /// @notice Unit `unitIndex` of batch `batchId` was already claimed.
    error InsuranceClaimDrugUnitAlreadyClaimed(bytes32 batchId, uint256 unitIndex);

    /// @notice `gtin` has more than 14 digits.
    error InsuranceClaimInvalidGtin(uint64 gtin);

    /// @notice A denial or a void needs a non-zero reason code.
    error InsuranceClaimZeroReasonCode();

    /// @notice The token did not transfer `amount` to `payee` for claim `claimId` (reverted or returned false).
    error InsuranceClaimPaymentFailed(uint256 claimId, address payee, uint96 amount);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                         CONSTANTS                          */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Insurers open pools, create plans and policies, appoint adjusters and pay claims.
    /// @return The role id, `keccak256("INSURER_ROLE")`.
    function INSURER_ROLE() external view returns (bytes32);

    /// @notice Providers (doctors, hospitals, pharmacies) submit claims.
    /// @return The role id, `keccak256("PROVIDER_ROLE")`.
    function PROVIDER_ROLE() external view returns (bytes32);

    /// @notice Pausers pause and unpause the contract in an emergency.
    /// @return The role id, `keccak256("PAUSER_ROLE")`.
    function PAUSER_ROLE() external view returns (bytes32);

    /// @notice The purpose of use a claim needs the patient's consent for: HPAYMT (healthcare payment).
    /// @return `PurposeOfUse.HPAYMT`, 2.
    function PAYMENT_PURPOSE() external view returns (uint8);

    /// @notice The data categories a drug claim needs consent for: medications. Medical claims ask for the purpose
    /// alone (categories 0): their evidence stays off chain.
    /// @return `DataCategory.MEDICATIONS`, bit 2.
    function MEDICATIONS_CATEGORY() external view returns (uint32);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       POOL FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Opens a pool in `token`; the caller (an INSURER_ROLE holder) becomes its insurer.
    /// @param token Any ERC-20 (checked with SafeERC20; fee-on-transfer tokens are credited what arrives).
    /// @return poolId The new pool's id.
    function openPool(IERC20 token) external returns (uint256 poolId);

    /// @notice Moves `amount` of the pool's token from the caller into pool `poolId` (approve first). Anyone may
    /// fund a pool; only its insurer can withdraw. The pool is credited the measured balance change.
    /// @param poolId The pool.
    /// @param amount The amount to transfer.
    /// @return credited What arrived (less than `amount` for a fee-on-transfer token).
    function fundPool(uint256 poolId, uint256 amount) external returns (uint256 credited);

    /// @notice Sends `amount` of pool `poolId`'s unreserved funds to `to`. Pool insurer only.
    /// @param poolId The pool.
    /// @param amount At most balance minus reserve.
    /// @param to The recipient.
    function withdrawFromPool(uint256 poolId, uint256 amount, address to) external;

    /// @notice Appoints or removes an adjuster of pool `poolId`. Pool insurer only; works while paused.
    /// @param poolId The pool.
    /// @param adjuster The adjuster.
    /// @param allowed True to appoint, false to remove.
    function setAdjuster(uint256 poolId, address adjuster, bool allowed) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                 PLAN AND POLICY FUNCTIONS                  */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Creates a plan on pool `poolId`. Pool insurer only. Plans are immutable except their explicit fees.
    /// @dev The fee schedule is explicit entries (`setFees`) and/or a Merkle root of (serviceCode, allowedAmount)
    /// leaves: OpenZeppelin StandardMerkleTree leaf types ["bytes32", "uint256"], i.e.
    /// `keccak256(bytes.concat(keccak256(abi.encode(serviceCode, allowedAmount))))`. An explicit entry wins.
    /// The appeal window is bounded so that an insurer can neither make the one appeal impossible in practice
    /// (at least 30 days) nor keep denials open for years (at most 365 days); the bounds are carried by
    /// `InsuranceClaimAppealWindowOutOfRange`. The tooling's default is 180 days, the common US rule
    /// (29 CFR 2560.503-1(h)(3)(i)).
    /// @param poolId The pool that pays this plan's claims.
    /// @param coverageLimit The most a policy of this plan pays over its period (> 0).
    /// @param deductible What the patient pays first on each policy.
    /// @param coinsuranceBps The patient's share after the deductible, in basis points (<= 10,000).
    /// @param feeScheduleRoot The fee schedule's Merkle root, or zero for explicit entries only.
    /// @param appealWindow How long after a denial its claim may be appealed, in seconds (30 to 365 days).
    /// @return planId The new plan's id.
    function createPlan(
        uint256 poolId,
        uint96 coverageLimit,
        uint96 deductible,
        uint16 coinsuranceBps,
        bytes32 feeScheduleRoot,
        uint48 appealWindow
    ) external returns (uint256 planId);

    /// @notice Sets explicit fee schedule entries of plan `planId`. Pool insurer only. Bounded by calldata:
    /// about 25k gas per new entry, so a few hundred per transaction; use a Merkle root for large schedules.
    /// @param planId The plan.
    /// @param serviceCodes The service codes.
    /// @param allowedAmounts The allowed amount for each code (0 removes the explicit entry).
    function setFees(uint256 planId, bytes32[] calldata serviceCodes, uint96[] calldata allowedAmounts) external;

    /// @notice Enrolls `patient` in plan `planId` from `start` to `end` (inclusive). Pool insurer only.
    /// @param planId The plan.
    /// @param patient The patient's address.
    /// @param start The first covered second (unix).
    /// @param end The last covered second (unix), after `start`.
    /// @return policyId The new policy's id.
    function createPolicy(
        uint256 planId,
        address patient,
        uint48 start,
        uint48 end
    ) external returns (uint256 policyId);

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      CLAIM FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Submits a claim for a service that is not a drug. PROVIDER_ROLE only. Refused unless the service code
    /// is outside the drug namespace (drugs go through `submitDrugClaim`), the policy is the patient's and covers
    /// the date, the patient authorizes both the pool's insurer and the caller for purpose HPAYMT (categories 0:
    /// the purpose alone), the plan lists the service, and the same service (policy, caller, code, date) has no
    /// claim yet, or only one that was finally denied (FinalDenied, or Denied with its appeal window closed) or
    /// Voided: then this claim replaces it as the service's claim (`claimIdOf`).
    /// @param request The claim.
    /// @param scheduleAmount With a Merkle fee schedule: the code's allowed amount (the leaf); else ignored (0).
    /// @param scheduleProof With a Merkle fee schedule: the leaf's proof; else ignored (empty).
    /// @return claimId The new claim's id.
    function submitClaim(
        ClaimRequest calldata request,
        uint96 scheduleAmount,
        bytes32[] calldata scheduleProof
    ) external returns (uint256 claimId);

    /// @notice Submits a pharmacy claim for a dispensed drug unit. PROVIDER_ROLE only. As `submitClaim`, and
    /// DrugTrace must show the unit dispensed by the caller (so genuine), the unit must not have been claimed
    /// before (each unit is one service, claimed once, ever), and the patient must authorize both the insurer and
    /// the caller (the pharmacy) for HPAYMT on the medications category.
    /// @param request The claim.
    /// @param scheduleAmount With a Merkle fee schedule: the GTIN code's allowed amount; else ignored (0).
    /// @param scheduleProof With a Merkle fee schedule: the leaf's proof; else ignored (empty).
    /// @return claimId The new claim's id.
    function submitDrugClaim(
        DrugClaimRequest calldata request,
        uint96 scheduleAmount,
        bytes32[] calldata scheduleProof
    ) external returns (uint256 claimId);

    /// @notice Approves a Submitted or Appealed claim: adjudicates it against the policy's remaining deductible
    /// and coverage, reserves the payout in the pool (refused when the unreserved funds cannot cover it) and
    /// emits the explanation of benefits. Pool adjuster only. Consent is not asked again: a revocation after
    /// submission does not stop a claim for care already given (see the contract's notes).
    /// @param claimId The claim.
    function approveClaim(uint256 claimId) external;

    /// @notice Denies a Submitted claim (-> Denied, appealable until now + the plan's appeal window, recorded as
    /// the claim's `appealDeadline`) or an Appealed one (-> FinalDenied). Pool adjuster only.
    /// @param claimId The claim.
    /// @param reasonCode A non-zero claim adjustment reason code (CARC-like, e.g. 50 not medically necessary).
    function denyClaim(uint256 claimId, uint16 reasonCode) external;

    /// @notice Appeals a denied claim once, with new evidence, until its `appealDeadline` (inclusive). The claim's
    /// provider or patient only; neither needs the patient's consent again (see the contract's notes).
    /// @param claimId The claim.
    /// @param evidenceHash The hash of the new off-chain evidence.
    function appealClaim(uint256 claimId, bytes32 evidenceHash) external;

    /// @notice Pays an Approved claim's payout to its provider from the reserve. The pool's insurer only.
    /// Reverts with `InsuranceClaimPaymentFailed` when the token refuses the transfer.
    /// @param claimId The claim.
    function payClaim(uint256 claimId) external;

    /// @notice Pays many Approved claims (any of the caller's pools). A transfer the token refuses (blacklisted
    /// payee, false return) does not stop the batch: that claim stays Approved and reserved and
    /// `ClaimPaymentFailed` reports it; pay it later, or release its reserve with `voidClaim`. Any other problem
    /// (wrong state, not the caller's pool) reverts the batch.
    /// @dev Gas grows with `claimIds.length` (about 15-40k per claim); 100 to 500 ids fit well in a block.
    /// @param claimIds The claims.
    /// @return paid How many claims were paid.
    /// @return failed How many transfers failed.
    /// @return amountPaid The total paid.
    function payClaims(uint256[] calldata claimIds) external returns (uint256 paid, uint256 failed, uint256 amountPaid);

    /// @notice Voids an Approved claim that will not be paid (e.g. its payee is one the token refuses): the claim
    /// becomes Voided (final), its reserved payout returns to the pool's available funds, and the policy gets back
    /// the coverage and the deductible the approval counted, so the policy's numbers equal the sum of its Approved
    /// and Paid claims again. The pool's insurer only.
    /// @dev The provider may then submit the same service again (e.g. with a corrected FHIR Claim), to be
    /// adjudicated afresh as a new claim. A drug claim's unit stays claimed: each unit is claimed once, ever, and a
    /// voided drug claim is settled off chain. No token moves, so no reentrancy guard is needed.
    /// @param claimId The claim.
    /// @param reasonCode A non-zero reason code (CARC-like, e.g. 16 claim lacks information).
    function voidClaim(uint256 claimId, uint16 reasonCode) external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                      ADMIN FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice Pauses every state change except `setAdjuster` and role administration. PAUSER_ROLE only.
    function pause() external;

    /// @notice Lifts the pause. PAUSER_ROLE only.
    function unpause() external;

    /*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
    /*                       READ FUNCTIONS                       */
    /*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

    /// @notice The explanation of benefits of claim `claimId`: the recorded numbers once decided, or what an
    /// approval would give now (against the policy's current deductible and coverage) while pending. A Denied,
    /// FinalDenied or Voided claim shows its billed and allowed amounts and nothing payable.
    /// @param claimId The claim.
    /// @return The explanation of benefits.
    function quote(uint256 claimId) external view returns (ExplanationOfBenefits memory);

    /// @notice The adjudication rule itself, exactly as approvals apply it (and as the SDK's `adjudicate`).
    /// @param billed What the provider billed.
    /// @param scheduleAmount The fee schedule's allowed amount for the service.
    /// @param deductibleRemaining The policy's deductible not yet met.
    /// @param coinsuranceBps The patient's share after the deductible, in basis points (<= 10,000).
    /// @param coverageRemaining The policy's coverage not yet used.
    /// @return The explanation of benefits.
    function adjudicate(
        uint96 billed,
        uint96 scheduleAmount,
        uint96 deductibleRemaining,
        uint16 coinsuranceBps,
        uint96 coverageRemaining
    ) external pure returns (ExplanationOfBenefits memory);

    /// @notice Claim `claimId`'s state (None when it does not exist).
    /// @param claimId The claim.
    /// @return The state.
    function claimStateOf(uint256 claimId) external view returns (ClaimState);

    /// @notice Pool `poolId` (zero values when it does not exist).
    /// @param poolId The pool.
    /// @return The pool.
    function poolOf(uint256 poolId) external view returns (Pool memory);

    /// @notice Plan `planId` (zero values when it does not exist).
    /// @param planId The plan.
    /// @return The plan.
    function planOf(uint256 planId) external view returns (Plan memory);

    /// @notice Policy `policyId` (zero values when it does not exist).
    /// @param policyId The policy.
    /// @return The policy.
    function policyOf(uint256 policyId) external view returns (Policy memory);

    /// @notice Claim `claimId` (zero values when it does not exist).
    /// @param claimId The claim.
    /// @return The claim.
    function claimOf(uint256 claimId) external view returns (Claim memory);

    /// @notice Plan `planId`'s explicit allowed amount for `serviceCode` (0 when none).
    /// @param planId The plan.
    /// @param serviceCode The service code.
    /// @return The allowed amount.
    function feeOf(uint256 planId, bytes32 serviceCode) external view returns (uint96);

    /// @notice Whether `account` is an adjuster of pool `poolId`.
    /// @param poolId The pool.
    /// @param account The account.
    /// @return True when appointed.
    function isAdjuster(uint256 poolId, address account) external view returns (bool);

    /// @notice Whether unit `unitIndex` of DrugTrace batch `batchId` was claimed.
    /// @param batchId The batch id.
    /// @param unitIndex The unit's index.
    /// @return True when claimed.
    function isDrugUnitClaimed(bytes32 batchId, uint256 unitIndex) external view returns (bool);

    /// @notice The latest claim for this service (policy, provider, service code, date) through `submitClaim`, or 0.
    /// @param policyId The policy.
    /// @param provider The provider.
    /// @param serviceCode The service code.
    /// @param serviceDate The service date.
    /// @return claimId The claim id, 0 when none.
    function claimIdOf(
        uint256 policyId,
        address provider,
        bytes32 serviceCode,
        uint48 serviceDate
    ) external view returns (uint256 claimId);

    /// @notice Whether `serviceCode` is in the drug namespace: exactly 14 ASCII digits, left-aligned, the rest zero
    /// (the shape of every `drugServiceCode`). Such codes are refused by `submitClaim`. Constant gas.
    /// @param serviceCode The service code.
    /// @return True for a drug code.
    function isDrugServiceCode(bytes32 serviceCode) external pure returns (bool);

    /// @notice The service code of a drug: its GTIN-14 as 14 ASCII digits, left-aligned (e.g. "09506000134352").
    /// @param gtin The GTIN-14 as a number (at most 14 digits).
    /// @return The service code.
    function drugServiceCode(uint64 gtin) external pure returns (bytes32);

    /// @notice How many pools, plans, policies and claims exist (the last id of each).
    /// @return pools The number of pools.
    /// @return plans The number of plans.
    /// @return policies The number of policies.
    /// @return claims The number of claims.
    function counts() external view returns (uint256 pools, uint256 plans, uint256 policies, uint256 claims);

    /// @notice The PatientConsent contract asked for every claim.
    /// @return The PatientConsent address.
    function patientConsent() external view returns (address);

    /// @notice The DrugTrace contract asked for every drug claim.
    /// @return The DrugTrace address.
    function drugTrace() external view returns (address);
}
