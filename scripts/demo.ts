/**
 * `npm run demo`: the whole carechain story on Hardhat's in-process network, told as it happens,
 * with a table of gas per step at the end.
 */
import { network } from "hardhat";

import { colour, formatGas, formatTable } from "../tasks/lib/terminal.js";
import { runCareChainStory } from "../support/story.js";

const started = Date.now();
const connection = await network.create();
console.log(
  colour.bold(
    "carechain demo: a pack's journey from the packaging line to a paid pharmacy claim\n",
  ),
);
const { steps } = await runCareChainStory(connection, {
  print: (line) => {
    console.log(line);
  },
  // git-ignored; EPCIS and FHIR files for other systems to read
  exportDirectory: "demo-exports",
});

console.log(colour.bold("\nGas per step"));
console.log(
  formatTable(
    ["step", "by", "gas"],
    steps.map(({ step, actor, gasUsed }) => [step, actor, gasUsed]),
  ),
);
const total = steps.reduce((sum, { gasUsed }) => sum + gasUsed, 0n);
console.log(
  `\n${steps.length} transactions, ${formatGas(total)} in all; done in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
