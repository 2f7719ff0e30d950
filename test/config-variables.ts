import { readFileSync } from "node:fs";

import { expect } from "chai";

import { inProcessTaskRunner, runHardhat } from "../support/hardhat-node.js";
import type { TaskRun } from "../support/hardhat-node.js";

/*
 * Deploying to a testnet needs an RPC URL and a key from the environment or `.env`. A missing or
 * malformed one must end with one line naming the variable and how to set it, before anything
 * is sent (no node is reachable here, and none is needed: the check comes first).
 */
describe("configuration variables (.env)", function () {
  this.timeout(120_000);

  const NETWORK_VARIABLES = {
    SEPOLIA_RPC_URL: "",
    BASE_SEPOLIA_RPC_URL: "",
    DEPLOYER_PRIVATE_KEY: "",
  };
  const lines = ({ status, stderr }: TaskRun) => ({ status, lines: stderr.trim().split("\n") });

  /**
   * Runs `suite deploy` against `network` with only the given variables set, in this process
   * (the same task, hooks and checks as the CLI; a fresh runtime for each run).
   */
  const deploy = async (network: string, variables: Record<string, string>) => {
    const run = await inProcessTaskRunner({ network });
    return lines(await run(["suite", "deploy"], { ...NETWORK_VARIABLES, ...variables }));
  };
  /** The same as an operator types it in a shell, ignoring any `.env`. */
  const deployInShell = (network: string, variables: Record<string, string>) =>
    lines(
      runHardhat("http://127.0.0.1:1", ["suite", "deploy", "--network", network], {
        DOTENV_CONFIG_PATH: "/nonexistent/.env",
        ...NETWORK_VARIABLES,
        ...variables,
      }),
    );

  const KEY = `0x${"11".repeat(32)}`;
  /** One wrong variable each: the run ends with exactly this one line (a string, or a pattern). */
  const ONE_LINE_CASES: readonly {
    readonly title: string;
    readonly network: string;
    readonly variables: Record<string, string>;
    readonly line: string | RegExp;
  }[] = [
    {
      title: "names a missing (empty) RPC URL and says how to set it",
      network: "baseSepolia",
      variables: { DEPLOYER_PRIVATE_KEY: KEY },
      line: /^error: BASE_SEPOLIA_RPC_URL is not set: set it in \.env \(see \.env\.example\) or export BASE_SEPOLIA_RPC_URL=https:/,
    },
    {
      title: "names a malformed private key",
      network: "sepolia",
      variables: { SEPOLIA_RPC_URL: "http://127.0.0.1:1", DEPLOYER_PRIVATE_KEY: "0x12" },
      line: "error: DEPLOYER_PRIVATE_KEY is not a 32-byte hex private key: set it in .env (see .env.example) or export DEPLOYER_PRIVATE_KEY=0x<64 hex digits>",
    },
    {
      title: "refuses a private key at or above the curve order",
      network: "sepolia",
      variables: {
        SEPOLIA_RPC_URL: "http://127.0.0.1:1",
        DEPLOYER_PRIVATE_KEY: `0x${"ff".repeat(32)}`,
      },
      line: /^error: DEPLOYER_PRIVATE_KEY is not a valid private key/,
    },
    {
      title: "names a malformed RPC URL",
      network: "sepolia",
      variables: { SEPOLIA_RPC_URL: "sepolia.example.org", DEPLOYER_PRIVATE_KEY: KEY },
      line: /^error: SEPOLIA_RPC_URL is not an http\(s\) URL/,
    },
  ];
  for (const { title, network, variables, line } of ONE_LINE_CASES) {
    it(title, async function () {
      const { status, lines } = await deploy(network, variables);
      expect(status).to.equal(1);
      expect(lines).to.have.length(1);
      if (typeof line === "string") expect(lines[0]).to.equal(line);
      else expect(lines[0]).to.match(line);
    });
  }

  it("says which placeholders to replace when .env is .env.example unchanged", function () {
    const example = Object.fromEntries(
      readFileSync(new URL("../.env.example", import.meta.url), "utf8")
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const { status, lines } = deployInShell("sepolia", example);
    expect(status).to.equal(1);
    expect(lines[0]).to.equal("error: 2 configuration variables to fix (nothing was sent):");
    expect(lines.slice(1)).to.have.members([
      "replace SEPOLIA_RPC_URL in .env: it still holds the placeholder from .env.example",
      "replace DEPLOYER_PRIVATE_KEY in .env: it still holds the placeholder from .env.example",
    ]);
  });
});
