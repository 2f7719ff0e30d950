import { sets, updates } from "../../support/bench/floor.js";
import type { StorageWrite } from "../../support/bench/floor.js";

/*
 * The storage each operation must write: the floor's third item (see floor.ts), one table for the
 * suite as targets.ts is for the targets. These are the writes of the operation's own data model;
 * what a contract writes beyond them is named in the entry's notes.
 */

// DrugTrace
const PENDING_SHIPMENT = sets(
  "the pending shipment (recipient, quantity, time, state in one slot; batch id; the sender is in the id)",
  2,
);
const QUARANTINE = updates("the batch's state and quarantine origin (one slot)");
// InsuranceClaim
const CLAIM_RECORD = sets(
  "the claim (provider, policy, state, reason in one slot; billed, allowed, pool in another)",
  2,
);
const CLAIM_STATE = updates("the claim's state");

export const WRITES = {
  // DrugTrace
  registerBatch: [
    sets(
      "the batch (manufacturer, expiry, unit count, state and quarantine origin in one slot; the serials' Merkle root)",
      2,
    ),
  ],
  ship: [PENDING_SHIPMENT, updates("the sender's holding")],
  shipFirstRelease: [
    PENDING_SHIPMENT,
    sets("the manufacturer's released count (registration writes no holding)"),
  ],
  acceptShipment: [updates("the shipment's state"), updates("the recipient's holding")],
  acceptShipmentFirst: [
    updates("the shipment's state"),
    sets("the recipient's first holding of the batch"),
  ],
  dispenseFirstOfWord: [
    sets("the batch's dispensed-bitmap word (first unit of its 256)"),
    updates("the dispenser's holding"),
  ],
  dispenseSharedWord: [
    updates("the batch's dispensed-bitmap word"),
    updates("the dispenser's holding"),
  ],
  recall: [updates("the batch's state")],
  bindCompanyPrefix: [
    sets("the prefix record (owner, epoch and overlap counter in one slot)"),
    sets("the owner's display name (up to 31 bytes: one slot)"),
  ],
  authorizeContractManufacturer: [
    sets("the contract manufacturer's authorization (the prefix's epoch)"),
  ],
  setParticipantName: [sets("the display name (up to 31 bytes: one slot)")],
  bindSensor: [sets("the sensor's custodian")],
  reportExcursion: [QUARANTINE],
  flagSuspect: [
    sets("the flag (batch id; reporter, time, verdict and state in one slot; evidence hash)", 3),
    sets("the reporter's open-flag count (its first open flag)"),
  ],
  releaseQuarantine: [QUARANTINE],
  // PatientConsent
  grantConsent: [
    sets("the consent (purposes, categories, start, end, serial, revoked: one packed slot)"),
  ],
  grantConsentBySig: [sets("the consent (one packed slot)"), updates("the patient's nonce")],
  grantConsentBySigFirst: [
    sets("the consent (one packed slot)"),
    sets("the patient's nonce (0 → 1)"),
  ],
  revokeConsent: [
    updates("the consent's revoked flag and the signed-grant block (same packed slot)"),
  ],
  revokeConsentBySig: [
    updates("the consent's revoked flag (same packed slot)"),
    sets("the word of the unordered-nonce bitmap (a random nonce opens a new word)"),
    updates("the patient's sequential nonce (burnt: earlier signed grants void)"),
  ],
  setDelegate: [sets("the delegation (purposes, categories, until: one packed slot)")],
  setDelegateBySig: [
    sets("the delegation (one packed slot)"),
    updates("the patient's sequential nonce"),
  ],
  revokeDelegateBySig: [
    updates("the delegation (cleared)"),
    sets("the word of the unordered-nonce bitmap"),
    updates("the patient's sequential nonce (burnt)"),
  ],
  // InsuranceClaim
  createPolicy: [
    sets(
      "the policy (patient, start, end in one slot; plan id with the deductible-met and coverage-used totals)",
      2,
    ),
  ],
  submitClaim: [CLAIM_RECORD, sets("the duplicate key (policy, provider, code, date) → claim id")],
  submitDrugClaimFirst: [
    CLAIM_RECORD,
    sets("the batch's claimed-unit bitmap word (first unit of its 256)"),
  ],
  submitDrugClaim: [CLAIM_RECORD, updates("the batch's claimed-unit bitmap word")],
  approveClaim: [
    CLAIM_STATE,
    sets("the claim's decision (deductible applied, payout)"),
    updates("the policy's deductible met and coverage used"),
    updates("the pool's reserve (balance and reserve share a slot)"),
  ],
  denyClaim: [
    updates("the claim's state and reason"),
    sets("the claim's appeal deadline (in the decision slot, empty until then)"),
  ],
  appealClaim: [CLAIM_STATE],
  payClaim: [
    CLAIM_STATE,
    updates("the pool's balance and reserve"),
    updates("the token balance of the contract"),
    updates("the token balance of the payee"),
  ],
} as const satisfies Record<string, readonly StorageWrite[]>;

/** The storage a `payClaims` of `count` claims to distinct payees must write. */
export function payClaimsWrites(count: number): StorageWrite[] {
  return [
    updates("the pool's balance and reserve (once)"),
    updates("the token balance of the contract (once)"),
    updates("claim states", count),
    updates("payees' token balances (a distinct payee per claim)", count),
  ];
}
