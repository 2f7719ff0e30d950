import { toBeHex } from "ethers";

/*
 * The contracts' state enums by name, one table each, so that assertions read
 * `expect(await drugTrace.unitStatus(…)).to.equal(UnitStatus.Dispensed)` rather than `2n`.
 * Values are bigints: ethers returns every uint8 as one.
 */

/** `IDrugTrace.UnitStatus`. */
export const UnitStatus = {
  Unknown: 0n,
  Active: 1n,
  Dispensed: 2n,
  Recalled: 3n,
  Quarantined: 4n,
  Expired: 5n,
} as const;

/** `IDrugTrace.BatchState`. */
export const BatchState = {
  None: 0n,
  Active: 1n,
  Quarantined: 2n,
  Recalled: 3n,
  Expired: 4n,
} as const;

/** `IDrugTrace.ShipmentState`. */
export const ShipmentState = {
  None: 0n,
  Pending: 1n,
  Accepted: 2n,
  Rejected: 3n,
  Cancelled: 4n,
} as const;

/** `IDrugTrace.Resolution`. */
export const Resolution = { Cleared: 0n, Quarantined: 1n, Recalled: 2n } as const;

/** `IDrugTrace.QuarantineOrigin`. */
export const QuarantineOrigin = { None: 0n, Excursion: 1n, Regulator: 2n } as const;

/** `IDrugTrace.FlagState`. */
export const FlagState = {
  None: 0n,
  Open: 1n,
  Cleared: 2n,
  Quarantined: 3n,
  Recalled: 4n,
} as const;

/** `IPatientConsent.ConsentState`. */
export const ConsentState = {
  None: 0n,
  Pending: 1n,
  Active: 2n,
  Expired: 3n,
  Revoked: 4n,
} as const;

/** `IInsuranceClaim.ClaimState`. */
export const ClaimState = {
  None: 0n,
  Submitted: 1n,
  Approved: 2n,
  Denied: 3n,
  Appealed: 4n,
  Paid: 5n,
  FinalDenied: 6n,
  Voided: 7n,
} as const;

/**
 * An expected-states bitmap as the contracts' `…UnexpectedState(id, current, expected)` errors
 * carry it (the OZ Governor pattern): bit `s` set for each allowed state `s`, as bytes32.
 */
export function expectedStates(...allowed: bigint[]): string {
  return toBeHex(
    allowed.reduce((mask, state) => mask | (1n << state), 0n),
    32,
  );
}
