import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { requireContractCode } from "../../sdk/contract-code.js";
import { describeError } from "../../sdk/errors.js";
import { resolveSuiteAddress } from "./deployments.js";
import type { SuiteContract } from "./deployments.js";
import { requireOption, selectSigner } from "./options.js";
import { colour } from "./terminal.js";

/*
 * The shape every `trace …`, `consent …`, `claims …` and `suite …` task shares. A task file
 * exports its action as a function of (arguments, connection, io) returning the exit code, so
 * tests run it against their own network connection and capture what it prints; its default
 * export is the same action wrapped by `scopeTask`: connected to `hre.network.create()`, printing
 * on the console, with one red line and exit code 1 on failure.
 */

/** A task's exit code: `EXIT_OK`, `EXIT_FAILED`, or a task's own (e.g. `EXIT_NOT_DISPENSABLE`). */
export type ExitCode = number;

/** The exit code of a task that did what was asked. */
export const EXIT_OK: ExitCode = 0;

/** The exit code of a task that failed: bad input, a refused transaction, a missing file. */
export const EXIT_FAILED: ExitCode = 1;

/** The network connection a task acts through (`hre.network.create()`, or a test's). */
export interface TaskConnection {
  readonly ethers: HardhatEthers;
}

/** Where a task prints. */
export interface TaskIo {
  /** The task's result, one or more lines (stdout). */
  readonly print: (line: string) => void;
  /** The one line saying why a task failed (stderr); `print` when absent. */
  readonly error?: (line: string) => void;
  /** A stream for progress bars (stderr); no progress bars when absent. */
  readonly progress?: NodeJS.WriteStream;
}

/** A task's work: parse `args`, act through `connection`, print through `io`, return the exit code. */
export type TaskAction<A, C extends TaskConnection = TaskConnection> = (
  args: A,
  connection: C,
  io: TaskIo,
) => Promise<ExitCode>;

/** The console: results on stdout, failures and progress bars on stderr. */
export const CONSOLE_IO: TaskIo = {
  print: (line) => {
    console.log(line);
  },
  error: (line) => {
    console.error(line);
  },
  progress: process.stderr,
};

/** An option a task cannot run without, and what to give (`required` in `option-definitions.ts`). */
export interface RequiredOption {
  readonly name: string;
  readonly hint: string;
}

/** `coverageLimit` → `--coverage-limit`, as Hardhat spells options on the command line. */
export function optionFlag(name: string): string {
  return `--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}

/**
 * Runs a task's action: checks the required options first, then acts; any failure becomes one
 * line on `io.error` ("error: …", the SDK's decoded message) and exit code 1, never a stack trace
 * (`CARECHAIN_DEBUG=1` prints the full error too).
 *
 * @example
 * const code = await runTask(consentGrant, args, connection, io, [{ name: "grantee", hint: "…" }]);
 */
export async function runTask<A, C extends TaskConnection>(
  action: TaskAction<A, C>,
  args: A,
  connection: C | (() => Promise<C>),
  io: TaskIo,
  required: readonly RequiredOption[] = [],
): Promise<ExitCode> {
  try {
    const given = args as Record<string, unknown>;
    for (const { name, hint } of required) {
      const value = given[name];
      requireOption(typeof value === "string" ? value : undefined, optionFlag(name), hint);
    }
    return await action(
      args,
      typeof connection === "function" ? await connection() : connection,
      io,
    );
  } catch (error) {
    if (process.env.CARECHAIN_DEBUG === "1") console.error(error);
    (io.error ?? io.print)(colour.red(`error: ${describeError(error)}`));
    return EXIT_FAILED;
  }
}

/** A task file's default export: what Hardhat runs, with the action it wraps. */
export interface ScopeTask<A, C extends TaskConnection = TaskConnection> {
  (args: A, hre: HardhatRuntimeEnvironment, required?: readonly RequiredOption[]): Promise<void>;
  readonly action: TaskAction<A, C>;
}

/**
 * Wraps a task's action for Hardhat: connects to the network the person chose (`--network`),
 * checks the required options `defineTasks` passes, runs the action on the console and sets the
 * exit code. `connect` replaces `hre.network.create()` where a task needs more of Hardhat.
 *
 * @example
 * export default scopeTask(traceVerify);
 */
export function scopeTask<A, C extends TaskConnection = TaskConnection>(
  action: TaskAction<A, C>,
  connect: (hre: HardhatRuntimeEnvironment) => Promise<C> = (hre) =>
    hre.network.create() as unknown as Promise<C>,
): ScopeTask<A, C> {
  const run = async (
    args: A,
    hre: HardhatRuntimeEnvironment,
    required: readonly RequiredOption[] = [],
  ): Promise<void> => {
    const code = await runTask(action, args, () => connect(hre), CONSOLE_IO, required);
    if (code !== EXIT_OK) process.exitCode = code;
  };
  return Object.assign(run, { action });
}

/** Where an action `contractAction` built acts: what `open` connected, the arguments, connection and io. */
export type Acting<O, A> = O & {
  readonly args: A;
  readonly connection: TaskConnection;
  readonly io: TaskIo;
};

/**
 * A task's action from its parts: `parse` checks the arguments before anything is sent, `open`
 * connects the contract (`--address`, signed by `--from`), `act` works on it and prints what it
 * did; the action then exits 0. Each scope names its own (`traceAction`, `claimsAction`).
 *
 * @example
 * const traceAction = (parse, act) => contractAction(openDrugTrace, parse, act);
 */
export function contractAction<O, A, P>(
  open: (connection: TaskConnection, args: A) => Promise<O>,
  parse: (args: A) => P | Promise<P>,
  act: (parsed: P, acting: Acting<O, A>) => Promise<void>,
): TaskAction<A> {
  return async (args, connection, io) => {
    const parsed = await parse(args);
    const opened = await open(connection, args);
    await act(parsed, { ...opened, args, connection, io });
    return EXIT_OK;
  };
}

/** A suite contract, connected to the account `--from` picks. */
export interface ActingContract<T> {
  readonly contract: T;
  readonly signer: HardhatEthersSigner;
  readonly address: string;
  readonly chainId: bigint;
}

/**
 * The suite contract `name` at `--address` (default: the Ignition deployment for the chain),
 * checked to have code, connected to the account `--from` picks (an index, default 0, or an
 * address); `attach` makes the typed contract.
 *
 * @example
 * const { contract: claims, signer } = await openSuiteContract(connection, "InsuranceClaim", args, attach);
 */
export async function openSuiteContract<T>(
  connection: TaskConnection,
  name: SuiteContract,
  options: { readonly address?: string | undefined; readonly from?: string | undefined },
  attach: (address: string, signer: HardhatEthersSigner) => T | Promise<T>,
): Promise<ActingContract<T>> {
  const { ethers } = connection;
  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress(name, chainId, options.address);
  await requireContractCode(ethers.provider, address);
  const signer = selectSigner(await ethers.getSigners(), options.from);
  return { contract: await attach(address, signer), signer, address, chainId };
}

/**
 * A task's string options as Hardhat hands them over: each `undefined` when not given.
 *
 * @example
 * export type ShipArgs = StringOptions<"batch" | "gtin" | "lot" | "to" | "quantity" | "from" | "address">;
 */
export type StringOptions<Name extends string> = { readonly [K in Name]?: string | undefined };

/**
 * The options of a task that signs: its own string options `Name`, `--from` (the account) and
 * `--address` (the contract).
 *
 * @example
 * export type ApproveArgs = SignedOptions<"claim">;
 */
export type SignedOptions<Name extends string = never> = StringOptions<Name | "from" | "address">;
