import { CareChainError } from "./errors.js";

/*
 * The suite's state enums, one name table each, numbered as the contracts number them. Readers
 * name a state with `<enum>Name(n)`; the revert decoder (`sdk/errors.ts`) names the `current`
 * state and the expected-states bitmap of a `…Unexpected…State` error through `STATE_ENUMS`,
 * keyed on the enum's type name in the ABI (`enum IInsuranceClaim.ClaimState` → `ClaimState`).
 */

/** `IDrugTrace.BatchState`, by value. */
export const BATCH_STATE_NAMES = ["None", "Active", "Quarantined", "Recalled", "Expired"] as const;

/** A batch's state. */
export type BatchStateName = (typeof BATCH_STATE_NAMES)[number];

/** `IDrugTrace.ShipmentState`, by value. */
export const SHIPMENT_STATE_NAMES = [
  "None",
  "Pending",
  "Accepted",
  "Rejected",
  "Cancelled",
] as const;

/** A shipment's state. */
export type ShipmentStateName = (typeof SHIPMENT_STATE_NAMES)[number];

/** `IDrugTrace.FlagState`, by value. */
export const FLAG_STATE_NAMES = ["None", "Open", "Cleared", "Quarantined", "Recalled"] as const;

/** A suspect flag's state. */
export type FlagStateName = (typeof FLAG_STATE_NAMES)[number];

/** `IPatientConsent.ConsentState`, by value. */
export const CONSENT_STATE_NAMES = ["None", "Pending", "Active", "Expired", "Revoked"] as const;

/** A consent's state. */
export type ConsentStateName = (typeof CONSENT_STATE_NAMES)[number];

/** `IInsuranceClaim.ClaimState`, by value. */
export const CLAIM_STATE_NAMES = [
  "None",
  "Submitted",
  "Approved",
  "Denied",
  "Appealed",
  "Paid",
  "FinalDenied",
  "Voided",
] as const;

/** A claim's state. */
export type ClaimStateName = (typeof CLAIM_STATE_NAMES)[number];

/** A state enum as the decoder and readers use it: what it is the state of, and its names. */
export interface StateEnum<N extends string = string> {
  /** The thing in that state, for sentences: "batch", "claim". */
  readonly noun: string;
  readonly names: readonly N[];
}

/** Every state enum of the suite, by its Solidity type name (without the interface prefix). */
export const STATE_ENUMS = {
  BatchState: { noun: "batch", names: BATCH_STATE_NAMES },
  ShipmentState: { noun: "shipment", names: SHIPMENT_STATE_NAMES },
  FlagState: { noun: "flag", names: FLAG_STATE_NAMES },
  ConsentState: { noun: "consent", names: CONSENT_STATE_NAMES },
  ClaimState: { noun: "claim", names: CLAIM_STATE_NAMES },
} as const satisfies Record<string, StateEnum>;

/** The type name of one of the suite's state enums. */
export type StateEnumName = keyof typeof STATE_ENUMS;

/**
 * The name of value `value` of `names`; a value the table does not know is a `CareChainError`
 * (the contract is newer than the SDK).
 *
 * @example
 * stateNameOf(CLAIM_STATE_NAMES, 5n, "claim state"); // "Paid"
 */
export function stateNameOf<N extends string>(
  names: readonly N[],
  value: bigint | number,
  what: string,
): N {
  const name = names[Number(value)];
  if (name === undefined) throw new CareChainError(`unknown ${what} ${value}`);
  return name;
}

/**
 * The names whose bits are set in an expected-states bitmap (bit n = state n), in value order.
 *
 * @example
 * namesInBitmap(CLAIM_STATE_NAMES, "0x…14"); // ["Appealed", "Submitted"] → ["Submitted", "Appealed"]
 */
export function namesInBitmap<N extends string>(names: readonly N[], bitmap: bigint | string): N[] {
  const bits = BigInt(bitmap);
  return names.filter((_, state) => ((bits >> BigInt(state)) & 1n) === 1n);
}

/**
 * The bitmap of `states` (bit n = state n), as the contracts' expected-states arguments.
 *
 * @example
 * stateBitmap(CLAIM_STATE_NAMES, ["Approved"]); // 4n
 */
export function stateBitmap<N extends string>(names: readonly N[], states: readonly N[]): bigint {
  return states.reduce((bits, state) => bits | (1n << BigInt(names.indexOf(state))), 0n);
}

/** @example batchStateName(3n); // "Recalled" */
export function batchStateName(value: bigint | number): BatchStateName {
  return stateNameOf(BATCH_STATE_NAMES, value, "batch state");
}

/** @example shipmentStateName(2n); // "Accepted" */
export function shipmentStateName(value: bigint | number): ShipmentStateName {
  return stateNameOf(SHIPMENT_STATE_NAMES, value, "shipment state");
}

/** @example flagStateName(1n); // "Open" */
export function flagStateName(value: bigint | number): FlagStateName {
  return stateNameOf(FLAG_STATE_NAMES, value, "flag state");
}

/** @example consentStateName(2n); // "Active" */
export function consentStateName(value: bigint | number): ConsentStateName {
  return stateNameOf(CONSENT_STATE_NAMES, value, "consent state");
}

/** @example claimStateName(2n); // "Approved" */
export function claimStateName(value: bigint | number): ClaimStateName {
  return stateNameOf(CLAIM_STATE_NAMES, value, "claim state");
}
