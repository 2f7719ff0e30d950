/**
 * The gas targets of the contract issues (#3 DrugTrace, #4 PatientConsent, #5 InsuranceClaim),
 * in gas per transaction (isAuthorized: execution gas; payClaims: gas per claim in a batch of 100).
 */
export const TARGETS = {
  registerBatch: 95_000,
  ship: 60_000,
  acceptShipment: 45_000,
  /** With a 20-level proof, the first unit of a bitmap word included. */
  dispense: 60_000,
  recall: 40_000,
  grantConsent: 80_000,
  grantConsentBySig: 95_000,
  /** However many consents the patient has. */
  revokeConsent: 35_000,
  /** Execution gas, with 100 consents on the same patient. */
  isAuthorized: 10_000,
  /** Issue 14's goal for a relayed revocation (there with a passkey account and the P-256 precompile). */
  revokeConsentBySig: 70_000,
  setDelegate: 60_000,
  setDelegateBySig: 95_000,
  revokeDelegateBySig: 70_000,
  createPolicy: 150_000,
  /** Consent check included. */
  submitClaim: 130_000,
  approveClaim: 80_000,
  payClaim: 90_000,
  /** Per claim, in a batch of 100. */
  payClaimsPerClaimOf100: 50_000,
  /** Policy to paid claim, in total (Etherisc GIF v2: 2.33M). */
  lifecycle: 450_000,
} as const;
