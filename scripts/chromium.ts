/*
 * Debian's chromium for the browser tests (scripts/test-web.ts, scripts/test-consent-page.ts):
 * started headless by its PID with the flags this machine needs (no background networking),
 * driven through playwright-core over the DevTools protocol. No browser is downloaded.
 */
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";

import { chromium } from "playwright-core";
import type { Browser } from "playwright-core";

import { stopChild } from "../support/child-process.js";

/** The browser binary: Debian's chromium unless CHROMIUM names another. */
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export interface RunningChromium {
  readonly browser: Browser;
  stop(): Promise<void>;
}

/**
 * Starts chromium headless with its own profile and a DevTools port, plus `extraArgs` (e.g. a
 * fake camera), and connects playwright to it. `stop()` ends it by its PID (and its process group).
 *
 * @example
 * const chrome = await startChromium(path.join(work, "profile"));
 * try { const page = await chrome.browser.newPage(); ... } finally { await chrome.stop(); }
 */
export async function startChromium(
  profile: string,
  extraArgs: readonly string[] = [],
): Promise<RunningChromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no browser at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM=/path/to/chrome)`,
    );
  }
  const child: ChildProcess = spawn(
    CHROMIUM,
    [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-address=127.0.0.1",
      "--remote-debugging-port=0",
      ...extraArgs,
      "about:blank",
    ],
    // its own process group, so its renderers and helpers can be ended with it
    { stdio: ["ignore", "ignore", "pipe"], detached: true },
  );
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${CHROMIUM} did not start`);
  let log = "";
  const stop = (): Promise<void> => stopChild(child, { group: true });
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`chromium gave no DevTools endpoint:\n${log}`));
      }, 30_000);
      child.stderr?.on("data", (chunk: Buffer) => {
        log += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(log);
        if (found?.[1] !== undefined) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited with ${String(code)}:\n${log}`));
      });
    });
    const browser = await chromium.connectOverCDP(endpoint);
    return {
      browser,
      stop: async () => {
        await browser.close().catch(() => undefined);
        await stop();
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
