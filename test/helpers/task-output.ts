import { describeError } from "../../sdk/errors.js";

/*
 * Reading what a task's action did, for tests that call the action directly (its arguments, a
 * connection and an io): the one line a failure ends with, and a field of its printed result.
 */

/** A task's action as its file exports it: arguments, a connection and an io in, an exit code out. */
export type PrintingAction<A, C> = (
  args: A,
  connection: C,
  io: { readonly print: (line: string) => void },
) => Promise<number>;

/**
 * The one line a person reads (the SDK's `describeError`) when `action` fails; the test fails
 * when it succeeds.
 *
 * @example
 * expect(await failureOf(traceImport, { address }, connection)).to.match(/--epcis/);
 */
export async function failureOf<A, C>(
  action: PrintingAction<A, C>,
  args: A,
  connection: C,
): Promise<string> {
  try {
    await action(args, connection, { print: () => undefined });
  } catch (error) {
    return describeError(error);
  }
  throw new Error("expected the task to fail");
}

/**
 * The value printed for `key` in a task's aligned key/value output (`key  value`).
 *
 * @example
 * expect(printedField(out, "events")).to.equal("6");
 */
export function printedField(out: string, key: string): string {
  const line = out.split("\n").find((candidate) => candidate.startsWith(`${key}  `));
  if (line === undefined) throw new Error(`no "${key}" line in:\n${out}`);
  return line.slice(key.length).trim();
}
