import { expect } from "chai";
import hre from "hardhat";

import type { RegisteredTask } from "../../tasks/lib/option-definitions.js";
import { runTask } from "../../tasks/lib/task.js";
import type {
  ExitCode,
  RequiredOption,
  TaskAction,
  TaskConnection,
  TaskIo,
} from "../../tasks/lib/task.js";

/*
 * Running tasks in tests: each task's action runs on the test's own network connection with an
 * io that records what it prints, through `runTask` (the wrapper the command line uses), so a
 * failure is the one line and exit code a person sees. No fake runtime, no patched console.
 */

// eslint-disable-next-line no-control-regex -- strips the ANSI colours `colour` adds on a terminal
const plain = (lines: readonly string[]): string => lines.join("\n").replace(/\u001b\[\d+m/g, "");

/** What a task printed (results on `stdout`, its failure line on `stderr`) and its exit code. */
export interface Ran {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: ExitCode;
}

/**
 * Runs `action` with `args` on `connection` as the command line does (`runTask`): required
 * options first, then the action; a failure is one line on stderr and exit code 1.
 *
 * @example
 * const { stdout, exitCode } = await runAction(consentGrant, { grantee, purposes: "TREAT", days: "1" }, connection);
 */
export async function runAction<A, C extends TaskConnection>(
  action: TaskAction<A, C>,
  args: A,
  connection: C,
  required: readonly RequiredOption[] = [],
): Promise<Ran> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const io: TaskIo = {
    print: (line) => stdout.push(line),
    error: (line) => stderr.push(line),
  };
  const exitCode = await runTask(action, args, connection, io, required);
  return { stdout: plain(stdout), stderr: plain(stderr), exitCode };
}

/**
 * Loads the task registered as `id` the way Hardhat does (its lazily imported file, its options'
 * defaults), and runs its action with its declared required options on `connection`.
 *
 * @example
 * const { stderr, exitCode } = await runRegistered(["trace", "verify"], { tree }, connection);
 */
export async function runRegistered(
  id: readonly string[],
  args: Record<string, unknown>,
  connection: TaskConnection,
): Promise<Ran> {
  const task = hre.tasks.getTask([...id]);
  const load = task.actions[0].action;
  if (typeof load !== "function") throw new Error(`task ${id.join(" ")} has no lazy action`);
  const { default: registered } = (await load()) as unknown as { default: RegisteredTask };
  const action = registered.action as unknown as TaskAction<Record<string, unknown>>;
  // as Hardhat hands them over: every option present, absent ones at their default
  const resolved = Object.fromEntries(
    [...task.options.values()].map(({ name, defaultValue }) => [name, args[name] ?? defaultValue]),
  );
  return runAction(action, resolved, connection, registered.required);
}

/**
 * Checks that a task failed as a person sees it: exit code 1, nothing on stdout, and the one
 * line on stderr equal to `line` (or matching it).
 *
 * @example
 * expectFailed(await runRegistered(["trace", "ship"], { batch }, connection), "error: --to is required (…)");
 */
export function expectFailed(ran: Ran, line: string | RegExp): void {
  expect(ran.exitCode).to.equal(1);
  expect(ran.stdout).to.equal("");
  if (typeof line === "string") expect(ran.stderr).to.equal(line);
  else expect(ran.stderr).to.match(line);
}
