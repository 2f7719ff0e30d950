import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";

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

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) =>
      child.once("exit", () => {
        resolve();
      }),
    );
    process.kill(pid, "SIGTERM");
    const timer = setTimeout(() => {
      if (child.exitCode === null) process.kill(pid, "SIGKILL");
    }, 5_000);
    await exited;
    clearTimeout(timer);
  };

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
