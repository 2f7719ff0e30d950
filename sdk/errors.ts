import { Interface, isError } from "ethers";
import type { ErrorDescription, InterfaceAbi } from "ethers";

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
   */
  constructor(
    /** The custom error's name, e.g. `DrugTraceUnitAlreadyDispensed`. */
    readonly errorName: string,
    /** The decoded arguments, by name where the ABI names them. */
    readonly args: Readonly<Record<string, unknown>>,
    /** The error's selector (first four bytes of its revert data). */
    readonly selector: string,
    nameValue?: RevertValueNamer,
  ) {
    super(`reverted with ${errorName}(${formatArgs(errorName, args, nameValue)})`);
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

function formatArgs(
  errorName: string,
  args: Readonly<Record<string, unknown>>,
  nameValue: RevertValueNamer | undefined,
): string {
  return Object.entries(args)
    .map(([key, value]) => {
      const named = nameValue?.(errorName, key, value);
      return `${key}=${named ?? (typeof value === "bigint" ? value.toString() : String(value))}`;
    })
    .join(", ");
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
 * `nameValue` (optional) names argument values in the message, e.g. role ids.
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
    return new ContractRevertError(parsed.name, args, parsed.selector, nameValue);
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
