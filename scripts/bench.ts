/**
 * `npm run bench`: the gas and scale benchmark. Runs every hot path of the suite on Hardhat's
 * in-process network (and the L2 story on its OP-stack simulation), compares each with its floor
 * and target, and writes `bench/results.json` and `bench/RESULTS.md`. The chain clock is fixed,
 * so the files come out the same on every run unless the contracts change.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

import { network } from "hardhat";

import { colour, formatTable } from "../tasks/lib/terminal.js";
import { benchDrugTrace } from "./bench/drug-trace.js";
import { formatNumber } from "../tasks/lib/terminal.js";
import { benchInsuranceClaim } from "./bench/insurance-claim.js";
import { benchL2 } from "./bench/l2.js";
import { benchPasskeyOn, renderPasskeySection } from "../support/bench/passkey.js";
import { benchPatientConsent } from "./bench/patient-consent.js";
import type { BenchEntry } from "./bench/record.js";
import { renderResults } from "./bench/report.js";
import { deployBenchSuite } from "./bench/suite.js";

const started = performance.now();
const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const print = (line: string): void => {
  console.log(`[${elapsed().padStart(7)}] ${line}`);
};

print("deploying the suite on the in-process network (Ignition module CareChain)…");
const suite = await deployBenchSuite(await network.create());
print(colour.bold("DrugTrace"));
const trace = await benchDrugTrace(suite, print);
print(colour.bold("PatientConsent"));
const consent = await benchPatientConsent(suite, print);
print(colour.bold("InsuranceClaim"));
const claims = await benchInsuranceClaim(
  suite,
  { lot: trace.millionLot, units: trace.dispensedUnits },
  print,
);
print(colour.bold("L2 (OP-stack simulation)"));
const l2 = await benchL2(await network.create({ network: "hardhatOp", chainType: "op" }), {
  tree: trace.millionTree,
  units: trace.dispensedUnits,
});

print(colour.bold("Passkey accounts (with and without the P-256 precompile)"));
const passkey = [
  await benchPasskeyOn(
    await network.create({ network: "hardhatOp", chainType: "op" }),
    "OP-stack (Hardhat `hardhatOp`)",
    "RIP-7212 precompile",
  ),
  await benchPasskeyOn(
    await network.create(),
    "Ethereum L1, Osaka rules (Hardhat default)",
    "EIP-7951 precompile",
  ),
  await benchPasskeyOn(
    await network.create({ override: { hardfork: "prague" } }),
    "Ethereum L1, Prague rules",
    "EIP-7951 precompile",
  ),
];

const operations: Record<string, BenchEntry> = { ...trace.entries, ...consent, ...claims };
const results = { ...operations, l2, passkey };
const directory = path.join(import.meta.dirname, "..", "bench");
mkdirSync(directory, { recursive: true });
writeFileSync(path.join(directory, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(
  path.join(directory, "RESULTS.md"),
  `${renderResults(operations, l2)}\n${renderPasskeySection(passkey)}`,
);

console.log();
console.log(
  formatTable(
    ["operation", "gas", "floor", "ratio", "target", "met"],
    Object.entries(operations).map(([name, entry]) => [
      name,
      formatNumber(entry.gas),
      formatNumber(entry.floor),
      entry.ratio.toFixed(2),
      entry.target === undefined ? "" : formatNumber(entry.target),
      entry.met === undefined ? "" : entry.met ? colour.green("yes") : colour.red("no"),
    ]),
  ),
);
const missed = Object.values(operations).filter((entry) => entry.met === false).length;
console.log(
  `\n${Object.keys(operations).length} operations measured, ${missed} miss their target; ` +
    `the million-unit tree took ${trace.millionTreeSeconds.toFixed(1)} s to build. ` +
    `Wrote bench/results.json and bench/RESULTS.md in ${elapsed()}.`,
);
