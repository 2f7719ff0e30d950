import { createRequire } from "node:module";

import "dotenv/config";
import hardhatToolboxMochaEthersPlugin from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import { consentTasks } from "./tasks/patient-consent/index.js";
import { claimsTasks } from "./tasks/insurance-claim/index.js";
import { traceTasks } from "./tasks/drug-trace/index.js";
import { suiteTasks } from "./tasks/suite/index.js";
import configVariablesPlugin from "./plugins/config-variables.js";
import taskHelpPlugin from "./plugins/task-help.js";

const require = createRequire(import.meta.url);

/** The compiler, loaded from the exactly pinned npm `solc` package (no download at run time). */
export const SOLC_VERSION = "0.8.30";

/** The one compiler configuration of every build profile (see `solidity.profiles`). */
const solcProfile = {
  version: SOLC_VERSION,
  path: require.resolve("solc/soljson.js"),
  isolated: false,
  toolVersionsInBuildInfo: false,
  settings: {
    // `optimizer` comes first: Hardhat hashes these settings in key order, and it puts its own
    // production default `optimizer` first, so any other order makes the two profiles' builds
    // differ in hash (and recompile) although their settings are equal.
    optimizer: { enabled: true, runs: 10_000 },
    // cancun: supported by Ethereum mainnet and Sepolia and by every major L2 (OP Stack,
    // Base, Arbitrum, Polygon zkEVM); prague is not yet everywhere.
    evmVersion: "cancun",
  },
};

/**
 * CI runs more invariant cases (128) than a developer's `npm test` (16, a smoke check that keeps
 * the loop fast; each case is a 32-call sequence). Fuzz runs are the same everywhere: 256, as
 * Foundry's default (each fuzz input is bounded to its interesting range, so more runs repeat
 * cases), and `.gas-snapshot` records each fuzz test's mean gas, which depends on the number of
 * runs, so a snapshot recorded locally must be the one CI checks.
 */
const isCI = process.env.CI === "true";

export default defineConfig({
  plugins: [configVariablesPlugin, taskHelpPlugin, hardhatToolboxMochaEthersPlugin],
  tasks: [...suiteTasks, ...traceTasks, ...consentTasks, ...claimsTasks],
  solidity: {
    // Tests, scripts and deployments compile with one profile's settings. Ignition (and so
    // `suite deploy`) builds with the `production` profile; left implicit, Hardhat derives it
    // with only the compiler version copied (evm target prague, 200 optimizer runs) and isolated
    // builds, so deployments shipped bytecode the tests never ran and every switch between a
    // test run and a deployment recompiled everything. Both profiles are the same build now.
    profiles: {
      default: solcProfile,
      production: solcProfile,
    },
  },
  test: {
    solidity: {
      fuzz: { seed: "0x6361726563686169", runs: 256 },
      invariant: { runs: isCI ? 128 : 16, depth: 32, failOnRevert: false },
    },
  },
  typechain: {
    outDir: "typechain-types",
  },
  networks: {
    hardhatOp: {
      type: "edr-simulated",
      chainType: "op",
    },
    localhost: {
      type: "http",
      chainType: "l1",
      url: process.env.LOCALHOST_RPC_URL ?? "http://127.0.0.1:8545",
    },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
    baseSepolia: {
      type: "http",
      chainType: "op",
      url: configVariable("BASE_SEPOLIA_RPC_URL"),
      accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
    },
  },
  verify: {
    etherscan: {
      apiKey: configVariable("ETHERSCAN_API_KEY"),
    },
  },
});
