/*
 * `npm run resolver`: the GS1 Digital Link resolver. Flags override environment variables, which
 * override the embedded defaults:
 *
 *   --port, PORT                        port (default 8081; 0 picks a free one)
 *   --host, RESOLVER_HOST               interface to listen on (default 127.0.0.1)
 *   --trees, RESOLVER_TREES             directory of tree files `trace register` writes (default trees)
 *   --chain-id, RESOLVER_CHAIN_ID       chain id in answers (default 31337)
 *   --contract, RESOLVER_CONTRACT       DrugTrace address (default: the Ignition deployment for the chain)
 *   --verifier, RESOLVER_VERIFIER_URL   verifier page browsers go to (default http://127.0.0.1:8080/)
 *   --public-url, RESOLVER_PUBLIC_URL   this resolver's public origin, e.g. https://id.example.com
 *   --rate-limit, RESOLVER_RATE_LIMIT   requests per client per minute (default 120; 0 = off)
 *   --trust-proxy, RESOLVER_TRUST_PROXY key clients by X-Forwarded-For's last entry (behind a load balancer)
 *   --rescan, RESOLVER_RESCAN           seconds between directory rescans (default 60; 0 = never)
 *   --memory-only, RESOLVER_MEMORY_ONLY build indexes in memory, never write index files
 *
 * The first stdout line is `listening on http://<host>:<port>` (after every lot is loaded);
 * progress and warnings go to stderr. SIGINT/SIGTERM stop it.
 */
import path from "node:path";
import { parseArgs } from "node:util";

import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";
import { getAddress, isAddress } from "ethers";

import { resolveSuiteAddress } from "../../tasks/lib/deployments.js";
import { CareChainError } from "../../sdk/errors.js";
import { createResolverApp } from "./app.js";
import { TreeDirectoryCatalogue } from "./catalogue.js";

function fail(line: string): never {
  console.error(`resolver: ${line}`);
  process.exit(1);
}

let values: Record<string, string | boolean | undefined>;
try {
  ({ values } = parseArgs({
    options: {
      port: { type: "string" },
      host: { type: "string" },
      trees: { type: "string" },
      "chain-id": { type: "string" },
      contract: { type: "string" },
      verifier: { type: "string" },
      "public-url": { type: "string" },
      "rate-limit": { type: "string" },
      "trust-proxy": { type: "boolean" },
      rescan: { type: "string" },
      "memory-only": { type: "boolean" },
    },
    strict: true,
  }));
} catch (error) {
  fail((error as Error).message);
}

const setting = (flag: string, variable: string, fallback: string): string => {
  const value = values[flag];
  if (typeof value === "string") return value;
  return process.env[variable] ?? fallback;
};
const flag = (name: string, variable: string): boolean =>
  values[name] === true || ["1", "true", "yes"].includes(process.env[variable] ?? "");
const integer = (text: string, what: string, max: number): number => {
  if (!/^\d+$/.test(text) || Number(text) > max)
    fail(`${what} "${text}" is not a whole number up to ${max}`);
  return Number(text);
};
const httpUrl = (text: string, what: string): string => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(`${what} "${text}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") fail(`${what} ${text} is not http(s)`);
  return url.href;
};

const port = integer(setting("port", "PORT", "8081"), "port", 65535);
const host = setting("host", "RESOLVER_HOST", "127.0.0.1");
const trees = path.resolve(setting("trees", "RESOLVER_TREES", "trees"));
const chainId = integer(
  setting("chain-id", "RESOLVER_CHAIN_ID", "31337"),
  "chain id",
  Number.MAX_SAFE_INTEGER,
);
if (chainId === 0) fail("chain id must be positive");
const contractText = setting("contract", "RESOLVER_CONTRACT", "");
let contract: string;
try {
  if (contractText !== "" && !isAddress(contractText))
    fail(`contract ${JSON.stringify(contractText)} is not an address`);
  contract =
    contractText !== "" ? getAddress(contractText) : resolveSuiteAddress("DrugTrace", chainId);
} catch (error) {
  if (error instanceof CareChainError) fail(error.message.replace("--address", "--contract"));
  throw error;
}
const verifierUrl = httpUrl(
  setting("verifier", "RESOLVER_VERIFIER_URL", "http://127.0.0.1:8080/"),
  "verifier URL",
);
const publicText = setting("public-url", "RESOLVER_PUBLIC_URL", "");
const publicUrl =
  publicText === "" ? undefined : httpUrl(publicText, "public URL").replace(/\/+$/, "");
const rateLimit = integer(
  setting("rate-limit", "RESOLVER_RATE_LIMIT", "120"),
  "rate limit",
  1_000_000_000,
);
const rescan = integer(setting("rescan", "RESOLVER_RESCAN", "60"), "rescan interval", 86_400);

const started = performance.now();
const catalogue = new TreeDirectoryCatalogue(trees, {
  indexFiles: !flag("memory-only", "RESOLVER_MEMORY_ONLY"),
});
await catalogue.scan();

const app = createResolverApp({
  catalogue,
  chainId,
  contract,
  verifierUrl,
  publicUrl,
  rateLimit,
  trustProxy: flag("trust-proxy", "RESOLVER_TRUST_PROXY"),
});

const server = serve({ fetch: app.fetch, port, hostname: host });
server.on("error", (error: NodeJS.ErrnoException) => {
  fail(
    error.code === "EADDRINUSE"
      ? `port ${port} on ${host} is in use: choose another with --port or PORT`
      : `cannot listen on ${host}:${port}: ${error.message}`,
  );
});
server.on("listening", () => {
  const address = server.address() as AddressInfo;
  const shown = host.includes(":") ? `[${host}]` : host;
  console.log(`listening on http://${shown}:${address.port}`);
  const { units, bytes } = catalogue.totals();
  console.log(
    `serving ${catalogue.size} lot(s), ${units} unit(s) from ${trees} ` +
      `(indexes ${(bytes / 1048576).toFixed(1)} MiB, ready in ${((performance.now() - started) / 1000).toFixed(1)} s); ` +
      `DrugTrace ${contract} on chain ${chainId}; browsers go to ${verifierUrl}`,
  );
});

const timer = rescan > 0 ? setInterval(() => void catalogue.scan(), rescan * 1000) : undefined;
timer?.unref();

await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
server.close();
process.exit(0);
