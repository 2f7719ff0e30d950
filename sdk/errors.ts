import { Interface, isError } from "ethers";
import type { ErrorDescription, InterfaceAbi, JsonFragment, JsonFragmentType } from "ethers";

import { STATE_ENUMS, namesInBitmap } from "./states.js";

/**
 * Base class of every error the SDK throws on purpose. Tasks print `message` as one line and
 * exit non-zero; they never print a stack trace for a `CareChainError`.
 */
export class CareChainError extends Error {
  override readonly name: string = "CareChainError";
}

/**
 * Bad input a person typed or handed over: a malformed code, a missing file, an unknown word.
 *
 * @example
 * throw new InputError("GTIN 09506000134353 has a bad check digit: expected 2, found 3");
 */
export class InputError extends CareChainError {
  override readonly name = "InputError";
}

/**
 * A transaction or call reverted with one of the suite's custom errors (or a standard one such
 * as OpenZeppelin's `AccessControlUnauthorizedAccount`), decoded to its name and arguments.
 *
 * @example
 * try { await drugTrace.dispense(...) } catch (e) {
 *   const revert = decodeRevert(e, [drugTrace.interface]);
 *   if (revert?.errorName === "DrugTraceUnitAlreadyDispensed") { ... }
 * }
 */
export class ContractRevertError extends CareChainError {
  override readonly name = "ContractRevertError";
  /**
   * @param nameValue Optional names for argument values in the message (role ids, enum values);
   *   `args` keep the raw values.
   * @param sentence Optional plain sentence that replaces the argument list in the message, e.g.
   *   "claim 7 is Paid; this needs it Approved" (see `describeStateRevert`).
   */
  constructor(
    /** The custom error's name, e.g. `DrugTraceUnitAlreadyDispensed`. */
    readonly errorName: string,
    /** The decoded arguments, by name where the ABI names them. */
    readonly args: Readonly<Record<string, unknown>>,
    /** The error's selector (first four bytes of its revert data). */
    readonly selector: string,
    nameValue?: RevertValueNamer,
    sentence?: string,
  ) {
    super(
      sentence === undefined
        ? `reverted with ${errorName}(${formatArgs(errorName, args, nameValue)})`
        : `${sentence} (${errorName})`,
    );
  }
}

/**
 * Names an argument value of a decoded revert for people, e.g. a role id as `MANUFACTURER_ROLE`
 * or an enum value as `Recalled`; `undefined` keeps the raw value. Only the message changes: a
 * `ContractRevertError`'s `args` always hold the raw values.
 *
 * @example
 * const nameValue: RevertValueNamer = (_error, arg, value) =>
 *   arg === "neededRole" && value === id("REGULATOR_ROLE") ? "REGULATOR_ROLE" : undefined;
 */
export type RevertValueNamer = (
  errorName: string,
  argName: string,
  value: unknown,
) => string | undefined;

function formatValue(
  errorName: string,
  key: string,
  value: unknown,
  nameValue: RevertValueNamer | undefined,
): string {
  return nameValue?.(errorName, key, value) ?? String(value);
}

function formatArgs(
  errorName: string,
  args: Readonly<Record<string, unknown>>,
  nameValue: RevertValueNamer | undefined,
): string {
  return Object.entries(args)
    .map(([key, value]) => `${key}=${formatValue(errorName, key, value, nameValue)}`)
    .join(", ");
}

/**
 * A plain sentence for a state-machine refusal, or `undefined` when the error has not that shape.
 * Keyed on the shape, not the name: any custom error whose name ends in `State` and whose
 * arguments are (id…, current, expected?) where `current` is one of the suite's state enums by its
 * ABI `internalType` (`enum IInsuranceClaim.ClaimState`) and `expected` an optional `bytes32`
 * bitmap of allowed states. The id arguments are named with `nameValue` when it knows them.
 *
 * @example
 * // InsuranceClaimUnexpectedClaimState(claimId=7, current=5, expectedStates=0x…04)
 * describeStateRevert(name, inputs, [7n, 5n, "0x…04"]); // "claim 7 is Paid; this needs it Approved"
 */
export function describeStateRevert(
  errorName: string,
  inputs: readonly JsonFragmentType[],
  values: readonly unknown[],
  nameValue?: RevertValueNamer,
): string | undefined {
  if (!errorName.endsWith("State")) return undefined;
  const at = inputs.findIndex((input) =>
    /^enum (?:\w+\.)?\w+State$/.test(input.internalType ?? ""),
  );
  if (at < 1) return undefined;
  const enumName = (inputs[at]?.internalType ?? "").replace(/^enum (?:\w+\.)?/, "");
  const stateEnum = (
    STATE_ENUMS as Readonly<Record<string, (typeof STATE_ENUMS)[keyof typeof STATE_ENUMS]>>
  )[enumName];
  const current = values[at];
  if (stateEnum === undefined || typeof current !== "bigint") return undefined;
  const currentName = stateEnum.names[Number(current)];
  const rest = inputs.slice(at + 1);
  const bitmap = values[at + 1];
  const hasBitmap = rest.length === 1 && rest[0]?.type === "bytes32" && typeof bitmap === "string";
  if (currentName === undefined || (rest.length > 0 && !hasBitmap)) return undefined;
  const ids = inputs.slice(0, at).map((input, i) => {
    const key = input.name === undefined || input.name === "" ? String(i) : input.name;
    return { key, text: formatValue(errorName, key, values[i], nameValue) };
  });
  const subject =
    ids.length === 1
      ? `${stateEnum.noun} ${ids[0]?.text}`
      : `${stateEnum.noun} (${ids.map(({ key, text }) => `${key}=${text}`).join(", ")})`;
  if (!hasBitmap) return `${subject} is ${currentName}, which this does not allow`;
  const expected: readonly string[] = namesInBitmap(stateEnum.names, bitmap);
  return expected.length === 0
    ? `${subject} is ${currentName}; this is allowed in no state`
    : `${subject} is ${currentName}; this needs it ${expected.join(" or ")}`;
}

/** The JSON inputs of error `name` in `abi`, when `abi` is a JSON ABI (only JSON keeps `internalType`). */
function jsonErrorInputs(
  abi: Interface | InterfaceAbi,
  name: string,
): readonly JsonFragmentType[] | undefined {
  if (abi instanceof Interface || typeof abi === "string") return undefined;
  const found = abi.find(
    (fragment): fragment is JsonFragment =>
      typeof fragment === "object" &&
      (fragment as JsonFragment).type === "error" &&
      (fragment as JsonFragment).name === name,
  );
  return found?.inputs;
}

/** Finds the revert data (`0x…`) an ethers or JSON-RPC error carries, however deeply nested. */
export function findRevertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const stack: unknown[] = [error];
  while (stack.length > 0) {
    const current = stack.pop();
    if (current === null || typeof current !== "object" || seen.has(current)) continue;
    seen.add(current);
    const record = current as Record<string, unknown>;
    const data = record.data;
    if (typeof data === "string" && /^0x[0-9a-fA-F]{8}/.test(data)) return data;
    for (const key of ["error", "info", "cause", "data", "revert"]) {
      if (key in record) stack.push(record[key]);
    }
  }
  return undefined;
}

/**
 * Decodes a failed call or transaction into a `ContractRevertError`, trying each given
 * interface (contract ABIs) in turn. Returns `undefined` when the error is not a revert with
 * data that one of the interfaces knows.
 * `nameValue` (optional) names argument values in the message, e.g. role ids. Given a JSON ABI
 * (TypeChain's `Factory.abi`, which keeps each enum's `internalType`), a state-machine refusal
 * reads as a sentence with state names (`describeStateRevert`).
 *
 * @example
 * const revert = decodeRevert(error, [drugTrace.interface, consent.interface]);
 * console.error(revert?.message ?? String(error));
 */
export function decodeRevert(
  error: unknown,
  abis: readonly (Interface | InterfaceAbi)[],
  nameValue?: RevertValueNamer,
): ContractRevertError | undefined {
  if (error instanceof ContractRevertError) return error;
  const data = findRevertData(error);
  if (data === undefined) return undefined;
  for (const abi of abis) {
    const iface = abi instanceof Interface ? abi : new Interface(abi);
    let parsed: ErrorDescription | null = null;
    try {
      parsed = iface.parseError(data);
    } catch {
      parsed = null;
    }
    if (parsed === null) continue;
    const args: Record<string, unknown> = {};
    parsed.fragment.inputs.forEach((input, i) => {
      args[input.name === "" ? String(i) : input.name] = parsed.args[i];
    });
    const inputs = jsonErrorInputs(abi, parsed.name);
    const sentence =
      inputs === undefined
        ? undefined
        : describeStateRevert(parsed.name, inputs, [...parsed.args], nameValue);
    return new ContractRevertError(parsed.name, args, parsed.selector, nameValue, sentence);
  }
  return undefined;
}

/**
 * Runs `action` and rethrows any revert as a decoded `ContractRevertError`; other errors pass
 * through unchanged. Every SDK write and read goes through this, so callers see error names.
 * `nameValue` (optional) names argument values in the message, e.g. role ids.
 *
 * @example
 * const receipt = await withDecodedReverts([drugTrace.interface], () => drugTrace.recall(id, 1, hash));
 */
export async function withDecodedReverts<T>(
  abis: readonly (Interface | InterfaceAbi)[],
  action: () => Promise<T>,
  nameValue?: RevertValueNamer,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw decodeRevert(error, abis, nameValue) ?? error;
  }
}

/** One line for a person: the decoded error, an SDK error's message, or the error's first line. */
export function describeError(error: unknown): string {
  if (error instanceof CareChainError) return error.message;
  // The configuration check (plugins/variable-formats.ts) says one line per variable to fix.
  if (
    error instanceof Error &&
    (error as Error & { pluginId?: unknown }).pluginId === "carechain"
  ) {
    return error.message;
  }
  if (isError(error, "INSUFFICIENT_FUNDS")) return "the sending account cannot pay for gas";
  if (error instanceof Error) {
    const short = (error as Error & { shortMessage?: unknown }).shortMessage;
    const text = typeof short === "string" ? short : error.message;
    return text.split("\n")[0] ?? text;
  }
  return String(error);
}
