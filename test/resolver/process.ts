import { spawn } from "node:child_process";
import type { ChildProcess, ChildProcessByStdio } from "node:child_process";
import { access, rm } from "node:fs/promises";
import { request } from "node:http";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

import { expect } from "chai";

import { parseVerificationAnswer, verifySerialProof } from "../../sdk/drug-trace/index.js";
import type { SerialTree } from "../../sdk/drug-trace/index.js";
import { CONTRACT, GTIN, serialList, writeTreeDirectory } from "./fixture.js";

const ROOT = path.join(import.meta.dirname, "..", "..");

/** Starts `npm run resolver`'s entry point on a free port; resolves with its URL. */
async function startResolver(
  args: string[],
): Promise<{ child: ChildProcessByStdio<null, Readable, Readable>; url: string }> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "services/resolver/main.ts", "--port", "0", "--rescan", "0", ...args],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once("line", resolve);
    child.once("exit", (code) => {
      reject(new Error(`resolver exited with ${String(code)}: ${stderr}`));
    });
  });
  const match = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(first);
  if (match === null) throw new Error(`unexpected first line: ${first}`);
  return { child, url: match[1]! };
}

/** Stops a child by its PID and waits for it to exit. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, "SIGTERM");
  await exited;
}

/** GET with the path sent exactly as given (no URL normalisation of `.` segments). */
async function getRaw(
  url: string,
  target: string,
  accept = "application/json",
): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: target, headers: { accept } }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () => {
        resolve({
          status: response.statusCode ?? 0,
          type: response.headers["content-type"] ?? "",
          body,
        });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

describe("services/resolver (npm run resolver)", function () {
  this.timeout(60_000);
  let directory: string;
  let trees: Map<string, SerialTree>;
  let resolver: Awaited<ReturnType<typeof startResolver>> | undefined;

  before(async function () {
    ({ directory, trees } = await writeTreeDirectory({
      L1: serialList(50),
      ".": ["..", ".", "S1"],
      "..": ["S2"],
    }));
    resolver = await startResolver(["--trees", directory, "--contract", CONTRACT]);
  });

  after(async function () {
    if (resolver !== undefined) await stop(resolver.child);
    await rm(directory, { recursive: true, force: true });
  });

  it("prints its URL first and answers a pack's proof", async function () {
    const response = await getRaw(resolver!.url, `/01/${GTIN}/10/L1/21/SN000042`);
    expect(response.status).to.equal(200);
    const answer = parseVerificationAnswer(JSON.parse(response.body));
    expect(answer.index).to.equal("42");
    expect(verifySerialProof(trees.get("L1")!.root, 42n, "SN000042", answer.proof)).to.equal(true);
  });

  it("keeps lots and serials . and .. (literal or percent-encoded) as values", async function () {
    const cases: [string, string, string, string][] = [
      [`/01/${GTIN}/10/./21/..`, ".", "..", "0"],
      [`/01/${GTIN}/10/%2E/21/%2e`, ".", ".", "1"],
      [`/01/${GTIN}/10/%2E%2E/21/S2`, "..", "S2", "0"],
      [`/01/${GTIN}/10/../21/S2`, "..", "S2", "0"],
    ];
    for (const [target, lot, serial, index] of cases) {
      const response = await getRaw(resolver!.url, target);
      expect(response.status, target).to.equal(200);
      const answer = parseVerificationAnswer(JSON.parse(response.body));
      expect([answer.lot, answer.serial, answer.index], target).to.deep.equal([lot, serial, index]);
    }
  });

  it("never serves a tree file or a directory listing", async function () {
    for (const target of ["/", `/${GTIN}-L1.tree.json`, "/trees/", `/../${GTIN}-L1.tree.json`]) {
      const response = await getRaw(resolver!.url, target);
      expect(response.status, target).to.be.oneOf([400, 404]);
      expect(response.type).to.equal("application/problem+json");
      expect(response.body).not.to.include("SN0000");
    }
  });

  it("saves each lot's index beside its tree file for the next start", async function () {
    await access(path.join(directory, `${GTIN}-L1.tree.idx`));
  });

  it("ends with one line when its settings are wrong", async function () {
    let error: unknown;
    try {
      await startResolver(["--trees", directory, "--contract", "0x1234"]);
    } catch (e) {
      error = e;
    }
    expect(String(error)).to.match(
      /exited with 1: resolver: contract "0x1234" is not an address\n$/,
    );
  });
});
