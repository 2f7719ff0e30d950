import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

import { ArgumentType } from "hardhat/types/arguments";

import { stopChild } from "./child-process.js";

const require = createRequire(import.meta.url);
/** Hardhat's CLI entry, run with this process's Node so no `npx` wrapper stands between us and the node's PID. */
// hardhat's package "exports" do not list dist/src/cli.js, so resolve the package entry (dist/src/index.js)
// and take cli.js beside it.
export const HARDHAT_CLI: string = path.join(path.dirname(require.resolve("hardhat")), "cli.js");

/** Asks the OS for a free TCP port on 127.0.0.1. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** A `hardhat node` child process on 127.0.0.1, stopped by its real PID. */
export interface RunningNode {
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

async function rpcAnswers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * Starts `hardhat node` on a free port and waits until it answers JSON-RPC.
 *
 * @example
 * const node = await startHardhatNode();
 * try { ... } finally { await node.stop(); }
 */
export async function startHardhatNode(timeoutMs = 60_000): Promise<RunningNode> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: process.env.CI ?? "" } },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const pid = child.pid;
  if (pid === undefined) throw new Error("hardhat node did not start");

  const stop = (): Promise<void> => stopChild(child);

  const deadline = Date.now() + timeoutMs;
  while (!(await rpcAnswers(url))) {
    if (child.exitCode !== null) throw new Error(`hardhat node exited early:\n${output}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`hardhat node did not answer on ${url} within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { url, pid, stop };
}

/** The result of running a task as a subprocess. */
export interface TaskRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `hardhat <args>` as an operator would type it, against `LOCALHOST_RPC_URL=url`.
 *
 * @example
 * const run = runHardhat(node.url, ["trace", "verify", "--network", "localhost", "--code", code]);
 */
export function runHardhat(
  url: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): TaskRun {
  const result = spawnSync(process.execPath, [HARDHAT_CLI, ...args], {
    encoding: "utf8",
    env: { ...process.env, LOCALHOST_RPC_URL: url, NO_COLOR: "1", ...extraEnv },
    timeout: 180_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs `hardhat <scope> <task> --option value …` (an operator's command line, without `hardhat`). */
export type TaskRunner = (
  argv: readonly string[],
  extraEnv?: Record<string, string>,
) => Promise<TaskRun>;

// eslint-disable-next-line no-control-regex -- strips the ANSI colours tasks add on a terminal
const plain = (text: string): string => text.replace(/\u001b\[\d+m/g, "");

/** The exit code a task set (`process.exitCode`), as a number; 0 when none. */
function exitCodeSet(): number {
  return Number(process.exitCode ?? 0);
}

/**
 * A runner of tasks inside this process, on `--network <network>` (default localhost, pointed at
 * `url`): the same task definitions, options, hooks and actions as `hardhat <scope> <task>` in a
 * shell, with what they write to stdout and stderr and the exit code they set, but without
 * starting Node and Hardhat for every command (seconds of CPU each). The command line is read as
 * the CLI would: the task id, then `--kebab-case-option value` pairs (`--flag` alone for a
 * boolean); `--network` is dropped (the runner's network counts). A task that throws instead of
 * printing its one line fails the caller with that error. Runs one command at a time.
 *
 * @example
 * const run = await inProcessTaskRunner({ url: node.url });
 * const { status, stdout } = await run(["trace", "verify", "--code", code, "--tree", file]);
 */
export async function inProcessTaskRunner(
  options: { readonly url?: string; readonly network?: string } = {},
): Promise<TaskRunner> {
  const { default: globalHre } = await import("hardhat");
  const { createHardhatRuntimeEnvironment } = await import("hardhat/hre");
  const { userConfig } = globalHre;
  const networks =
    options.url === undefined
      ? userConfig.networks
      : {
          ...userConfig.networks,
          localhost: { type: "http" as const, chainType: "l1" as const, url: options.url },
        };
  const hre = await createHardhatRuntimeEnvironment(
    { ...userConfig, networks },
    { network: options.network ?? "localhost" },
    globalHre.config.paths.root,
  );
  return async (argv, extraEnv = {}) => {
    const firstOption = argv.findIndex((word) => word.startsWith("--"));
    const id = firstOption === -1 ? [...argv] : argv.slice(0, firstOption);
    const task = hre.tasks.getTask(id);
    const taskArguments: Record<string, unknown> = {};
    for (let i = id.length; i < argv.length; i++) {
      const word = argv[i] ?? "";
      if (!word.startsWith("--")) throw new Error(`unexpected word ${word} in ${argv.join(" ")}`);
      const name = word.slice(2).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
      const type = task.options.get(name)?.type;
      if (type === ArgumentType.BOOLEAN || type === ArgumentType.FLAG) {
        taskArguments[name] = true;
        continue;
      }
      const value = argv[++i] ?? "";
      if (name === "network") continue;
      taskArguments[name] =
        type === ArgumentType.INT || type === ArgumentType.FLOAT
          ? Number(value)
          : type === ArgumentType.BIGINT
            ? BigInt(value)
            : value;
    }

    const out: string[] = [];
    const err: string[] = [];
    const { stdout, stderr } = process;
    const writeOut = stdout.write.bind(stdout);
    const writeErr = stderr.write.bind(stderr);
    const capture =
      (into: string[]) =>
      (chunk: string | Uint8Array): boolean => {
        into.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString());
        return true;
      };
    const previousEnv = Object.fromEntries(
      Object.keys(extraEnv).map((key) => [key, process.env[key]]),
    );
    const previousExitCode = process.exitCode;
    process.exitCode = undefined;
    Object.assign(process.env, extraEnv);
    stdout.write = capture(out);
    stderr.write = capture(err);
    let status: number;
    try {
      await task.run(taskArguments);
      status = exitCodeSet();
    } finally {
      stdout.write = writeOut;
      stderr.write = writeErr;
      process.exitCode = previousExitCode;
      for (const [key, value] of Object.entries(previousEnv)) {
        if (value === undefined) Reflect.deleteProperty(process.env, key);
        else process.env[key] = value;
      }
    }
    return { status, stdout: plain(out.join("")), stderr: plain(err.join("")) };
  };
}
