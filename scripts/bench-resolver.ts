/**
 * `npm run bench:resolver`: the GS1 Digital Link resolver with a 1,000,000-unit lot, on loopback.
 * Measures start-up (first start builds the index from the tree file; the second reads the saved
 * index), resident memory, and latency and throughput at 200 requests/s for 30 s (autocannon)
 * for known packs, then 10 s each for unknown serials and an unknown lot (the two must be in one
 * timing class). Writes `bench/resolver.json`. Goals: p99 <= 20 ms, start-up <= 15 s, memory
 * <= 300 MB.
 *
 *   BENCH_UNITS      units in the lot (default 1000000)
 *   BENCH_SECONDS    seconds of the main load run (default 30)
 */
import { spawn } from "node:child_process";
import type { ChildProcessByStdio } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";

import autocannon from "autocannon";

import {
  formatSerialTreeFile,
  serialTreeOf,
  treeFileNameOf,
} from "../sdk/drug-trace/serial-tree.js";
import { colour, formatNumber, formatTable } from "../tasks/lib/terminal.js";

const GTIN = "09506000134352";
const LOT = "BENCH1";
const CONTRACT = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const ROOT = path.join(import.meta.dirname, "..");
const units = Number(process.env.BENCH_UNITS ?? "1000000");
const seconds = Number(process.env.BENCH_SECONDS ?? "30");
const RATE = 200;

const started = performance.now();
const print = (line: string): void => {
  const at = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`[${at.padStart(6)} s] ${line}`);
};

type Resolver = {
  child: ChildProcessByStdio<null, Readable, Readable>;
  url: string;
  seconds: number;
};

async function startResolver(trees: string): Promise<Resolver> {
  const begin = performance.now();
  const child = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      "services/resolver/main.ts",
      "--port",
      "0",
      "--trees",
      trees,
      "--contract",
      CONTRACT,
      "--rate-limit",
      "0",
      "--rescan",
      "0",
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => {
      reject(new Error(`resolver exited with ${String(code)}: ${stderr}`));
    });
  });
  const url = /^listening on (http:\/\/\S+)$/.exec(first)?.[1];
  if (url === undefined) throw new Error(`unexpected first line: ${first}`);
  return { child, url, seconds: (performance.now() - begin) / 1000 };
}

async function stop(resolver: Resolver): Promise<void> {
  const { child } = resolver;
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, "SIGTERM");
  await exited;
}

/** Resident and peak resident memory of a process, in MiB (Linux /proc). */
function memoryOf(pid: number): { rssMiB: number; peakMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMiB: kib("VmRSS") / 1024, peakMiB: kib("VmHWM") / 1024 };
}

/** CPU time (user + system) a process has used, in ms (Linux /proc, 100 ticks a second). */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

interface Load {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  max: number;
  statuses: Record<string, number>;
  errors: number;
}

async function load(url: string, duration: number, nextPath: () => string): Promise<Load> {
  const result = await autocannon({
    url,
    connections: 10,
    overallRate: RATE,
    duration,
    headers: { accept: "application/json" },
    requests: [{ method: "GET", setupRequest: (request) => ({ ...request, path: nextPath() }) }],
  });
  return {
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    statuses: {
      "2xx": result["2xx"],
      "4xx": result["4xx"],
      "5xx": result["5xx"],
    },
    errors: result.errors + result.timeouts,
  };
}

const directory = await mkdtemp(path.join(tmpdir(), "carechain-bench-resolver-"));
try {
  print(`writing a ${formatNumber(units)}-unit tree file…`);
  const serials = Array.from({ length: units }, (_, i) => `SN${String(i).padStart(9, "0")}`);
  const tree = serialTreeOf(serials);
  tree.gtin = GTIN;
  tree.lot = LOT;
  const treeFile = path.join(directory, treeFileNameOf(GTIN, LOT));
  writeFileSync(treeFile, formatSerialTreeFile(tree));
  const treeBytes = statSync(treeFile).size;

  print("first start: builds the index from the tree file and saves it…");
  const cold = await startResolver(directory);
  const coldMemory = memoryOf(cold.child.pid ?? 0);
  await stop(cold);
  const indexBytes = statSync(treeFile.replace(/\.json$/, ".idx")).size;

  print("second start: reads the saved index…");
  const warm = await startResolver(directory);
  const pid = warm.child.pid ?? 0;
  const warmMemory = memoryOf(pid);

  let counter = 0;
  const known = (): string => {
    counter = (counter * 1103515245 + 12345) % 2147483648;
    return `/01/${GTIN}/10/${LOT}/21/SN${String(counter % units).padStart(9, "0")}`;
  };
  const sample = await fetch(`${warm.url}${known()}`, { headers: { accept: "application/json" } });
  const answerBytes = (await sample.arrayBuffer()).byteLength;

  print(`known packs: ${RATE} requests/s for ${seconds} s…`);
  const loadAverage = os.loadavg()[0] ?? 0;
  const cpuBefore = cpuMsOf(pid);
  const knownLoad = await load(warm.url, seconds, known);
  const cpuPerRequestMs = (cpuMsOf(pid) - cpuBefore) / Math.max(1, knownLoad.requests);
  const afterLoad = memoryOf(pid);
  print(`unknown serials of the lot: ${RATE} requests/s for 10 s…`);
  const unknownSerial = await load(
    warm.url,
    10,
    () => `/01/${GTIN}/10/${LOT}/21/XX${String(counter++ % units).padStart(9, "0")}`,
  );
  print(`an unknown lot: ${RATE} requests/s for 10 s…`);
  const unknownLot = await load(
    warm.url,
    10,
    () => `/01/${GTIN}/10/NOLOT/21/SN${String(counter++ % units).padStart(9, "0")}`,
  );
  const finalMemory = memoryOf(pid);
  await stop(warm);

  const results = {
    units,
    treeFileBytes: treeBytes,
    indexFileBytes: indexBytes,
    answerBytes,
    startup: {
      buildingIndexSeconds: Number(cold.seconds.toFixed(2)),
      buildingIndexPeakMiB: Number(coldMemory.peakMiB.toFixed(1)),
      buildingIndexRssMiB: Number(coldMemory.rssMiB.toFixed(1)),
      savedIndexSeconds: Number(warm.seconds.toFixed(2)),
      savedIndexRssMiB: Number(warmMemory.rssMiB.toFixed(1)),
    },
    memory: {
      afterLoadRssMiB: Number(afterLoad.rssMiB.toFixed(1)),
      peakRssMiB: Number(finalMemory.peakMiB.toFixed(1)),
    },
    rate: RATE,
    machine: { cores: os.cpus().length, loadAverageAtStart: Number(loadAverage.toFixed(1)) },
    resolverCpuMsPerRequest: Number(cpuPerRequestMs.toFixed(3)),
    known: { seconds, ...knownLoad },
    unknownSerial: { seconds: 10, ...unknownSerial },
    unknownLot: { seconds: 10, ...unknownLot },
    goals: {
      p99Ms: 20,
      startupSeconds: 15,
      memoryMiB: 300,
      met: {
        p99: knownLoad.p99 <= 20,
        startup: Math.max(cold.seconds, warm.seconds) <= 15,
        memory: Math.max(finalMemory.peakMiB, warmMemory.rssMiB) <= 300,
      },
    },
  };
  const out = path.join(ROOT, "bench");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "resolver.json"), `${JSON.stringify(results, null, 2)}\n`);

  const yes = (met: boolean): string => (met ? colour.green("yes") : colour.red("no"));
  console.log();
  console.log(
    formatTable(
      ["measure", "value", "goal", "met"],
      [
        ["units in the lot", formatNumber(units), "", ""],
        [
          "tree file / index file",
          `${(treeBytes / 1048576).toFixed(1)} / ${(indexBytes / 1048576).toFixed(1)} MiB`,
          "",
          "",
        ],
        [
          "start-up, building the index",
          `${cold.seconds.toFixed(1)} s (peak ${coldMemory.peakMiB.toFixed(0)} MiB)`,
          "15 s",
          yes(cold.seconds <= 15),
        ],
        ["start-up, saved index", `${warm.seconds.toFixed(1)} s`, "15 s", yes(warm.seconds <= 15)],
        [
          "memory (RSS) serving",
          `${afterLoad.rssMiB.toFixed(0)} MiB (peak ${finalMemory.peakMiB.toFixed(0)} MiB)`,
          "300 MB",
          yes(finalMemory.peakMiB <= 300),
        ],
        ["answer size", `${formatNumber(answerBytes)} bytes`, "", ""],
        ["resolver CPU per request", `${cpuPerRequestMs.toFixed(2)} ms`, "", ""],
        ["machine", `${os.cpus().length} cores, load average ${loadAverage.toFixed(1)}`, "", ""],
        ...(
          [
            ["known packs", knownLoad],
            ["unknown serial", unknownSerial],
            ["unknown lot", unknownLot],
          ] as const
        ).map(([name, r]) => [
          `${name}: p50 / p99 / max`,
          `${r.p50} / ${r.p99} / ${r.max} ms, ${r.throughput.toFixed(0)} req/s (${JSON.stringify(r.statuses)})`,
          name === "known packs" ? "p99 20 ms" : "",
          name === "known packs" ? yes(r.p99 <= 20) : "",
        ]),
      ],
    ),
  );
  print("wrote bench/resolver.json");
} finally {
  await rm(directory, { recursive: true, force: true });
}
