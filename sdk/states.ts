import { CareChainError } from "./errors.js";

/*
 * The suite's state enums, one name table each, numbered as the contracts number them. Readers
 * name a state with `<enum>Name(n)`; the revert decoder (`sdk/errors.ts`) names the `current`
 * state and the expected-states bitmap of a `…Unexpected…State` error through `STATE_ENUMS`,
 * keyed on the enum's type name in the ABI (`enum IInsuranceClaim.ClaimState` → `ClaimState`).
 */

/** A state enum as the decoder and readers use it: what it is the state of, and its names. */
export interface StateEnum<N extends string = string> {
  /** The thing in that state, for sentences: "batch", "claim". */
  readonly noun: string;
  /** The state names, by value. */
  readonly names: readonly N[];
}

/** Every state enum of the suite, by its Solidity type name (without the interface prefix). */
export const STATE_ENUMS = {
  /** `IDrugTrace.BatchState`. */
  BatchState: { noun: "batch", names: ["None", "Active", "Quarantined", "Recalled", "Expired"] },
  /** `IDrugTrace.ShipmentState`. */
  ShipmentState: {
    noun: "shipment",
    names: ["None", "Pending", "Accepted", "Rejected", "Cancelled"],
  },
  /** `IDrugTrace.FlagState`. */
  FlagState: { noun: "flag", names: ["None", "Open", "Cleared", "Quarantined", "Recalled"] },
  /** `IPatientConsent.ConsentState`. */
  ConsentState: { noun: "consent", names: ["None", "Pending", "Active", "Expired", "Revoked"] },
  /** `IInsuranceClaim.ClaimState`. */
  ClaimState: {
    noun: "claim",
    names: ["None", "Submitted", "Approved", "Denied", "Appealed", "Paid", "FinalDenied", "Voided"],
  },
} as const satisfies Record<string, StateEnum>;

/** The type name of one of the suite's state enums. */
export type StateEnumName = keyof typeof STATE_ENUMS;

/** The state names of enum `E`. */
export type StateName<E extends StateEnumName> = (typeof STATE_ENUMS)[E]["names"][number];

/** `IDrugTrace.BatchState`'s names, by value. */
export const BATCH_STATE_NAMES = STATE_ENUMS.BatchState.names;
/** A batch's state. */
export type BatchStateName = StateName<"BatchState">;

/** `IDrugTrace.ShipmentState`'s names, by value. */
export const SHIPMENT_STATE_NAMES = STATE_ENUMS.ShipmentState.names;
/** A shipment's state. */
export type ShipmentStateName = StateName<"ShipmentState">;

/** `IDrugTrace.FlagState`'s names, by value. */
export const FLAG_STATE_NAMES = STATE_ENUMS.FlagState.names;
/** A suspect flag's state. */
export type FlagStateName = StateName<"FlagState">;

/** `IPatientConsent.ConsentState`'s names, by value. */
export const CONSENT_STATE_NAMES = STATE_ENUMS.ConsentState.names;
/** A consent's state. */
export type ConsentStateName = StateName<"ConsentState">;

/** `IInsuranceClaim.ClaimState`'s names, by value. */
export const CLAIM_STATE_NAMES = STATE_ENUMS.ClaimState.names;
/** A claim's state. */
export type ClaimStateName = StateName<"ClaimState">;

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
