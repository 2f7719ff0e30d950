import type { ChildProcess } from "node:child_process";

/**
 * Stops a child process this process started, by its PID: SIGTERM, then SIGKILL after 5 s if it
 * is still running (to its whole process group with `group`, for a child spawned `detached`
 * whose helpers must end with it). Resolves once it has exited; at once if it already had.
 *
 * @example
 * const child = spawn(process.execPath, [script]);
 * try { ... } finally { await stopChild(child); }
 */
export async function stopChild(
  child: ChildProcess,
  options: { readonly group?: boolean } = {},
): Promise<void> {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => {
      resolve();
    });
  });
  process.kill(pid, "SIGTERM");
  const timer = setTimeout(() => {
    try {
      if (options.group === true) process.kill(-pid, "SIGKILL");
      else if (child.exitCode === null) process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}
