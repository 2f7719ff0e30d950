import { readFileSync } from "node:fs";

import { expect } from "chai";

import { runHardhat } from "../support/hardhat-node.js";

/*
 * Deploying to a testnet needs an RPC URL and a key from the environment or `.env`. A missing or
 * malformed one must end with one line naming the variable and how to set it, before anything
 * is sent (no node is reachable here, and none is needed: the check comes first).
 */
describe("configuration variables (.env)", function () {
  this.timeout(120_000);

  /** Runs `suite deploy` against `network` with only the given variables, ignoring any `.env`. */
  const deploy = (network: string, variables: Record<string, string>) => {
    const run = runHardhat("http://127.0.0.1:1", ["suite", "deploy", "--network", network], {
      DOTENV_CONFIG_PATH: "/nonexistent/.env",
      SEPOLIA_RPC_URL: "",
      BASE_SEPOLIA_RPC_URL: "",
      DEPLOYER_PRIVATE_KEY: "",
      ...variables,
    });
    return { status: run.status, lines: run.stderr.trim().split("\n") };
  };

  it("names a missing (empty) RPC URL and says how to set it", function () {
    const { status, lines } = deploy("baseSepolia", {
      DEPLOYER_PRIVATE_KEY: `0x${"11".repeat(32)}`,
    });
    expect(status).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(
      /^error: BASE_SEPOLIA_RPC_URL is not set: set it in \.env \(see \.env\.example\) or export BASE_SEPOLIA_RPC_URL=https:/,
    );
  });

  it("names a malformed private key", function () {
    const { status, lines } = deploy("sepolia", {
      SEPOLIA_RPC_URL: "http://127.0.0.1:1",
      DEPLOYER_PRIVATE_KEY: "0x12",
    });
    expect(status).to.equal(1);
    expect(lines).to.deep.equal([
      "error: DEPLOYER_PRIVATE_KEY is not a 32-byte hex private key: set it in .env (see .env.example) or export DEPLOYER_PRIVATE_KEY=0x<64 hex digits>",
    ]);
  });

  it("says which placeholders to replace when .env is .env.example unchanged", function () {
    const example = Object.fromEntries(
      readFileSync(new URL("../.env.example", import.meta.url), "utf8")
        .split("\n")
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const { status, lines } = deploy("sepolia", example);
    expect(status).to.equal(1);
    expect(lines[0]).to.equal("error: 2 configuration variables to fix (nothing was sent):");
    expect(lines.slice(1)).to.have.members([
      "replace SEPOLIA_RPC_URL in .env: it still holds the placeholder from .env.example",
      "replace DEPLOYER_PRIVATE_KEY in .env: it still holds the placeholder from .env.example",
    ]);
  });

  it("refuses a private key at or above the curve order", function () {
    const { status, lines } = deploy("sepolia", {
      SEPOLIA_RPC_URL: "http://127.0.0.1:1",
      DEPLOYER_PRIVATE_KEY: `0x${"ff".repeat(32)}`,
    });
    expect(status).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^error: DEPLOYER_PRIVATE_KEY is not a valid private key/);
  });

  it("names a malformed RPC URL", function () {
    const { status, lines } = deploy("sepolia", {
      SEPOLIA_RPC_URL: "sepolia.example.org",
      DEPLOYER_PRIVATE_KEY: `0x${"11".repeat(32)}`,
    });
    expect(status).to.equal(1);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.match(/^error: SEPOLIA_RPC_URL is not an http\(s\) URL/);
  });
});
