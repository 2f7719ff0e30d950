import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { serve } from "@hono/node-server";
import type { ServerType } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { build } from "esbuild";
import { Hono } from "hono";

import { createRelayApp } from "../services/relay/app.js";
import { BROWSER_BUNDLE } from "../support/web-page.js";
import type { RelayConfig } from "../services/relay/app.js";

/*
 * Building and serving the consent page (web/consent/): `npm run consent-page` and
 * `npm run test:consent-page` share these functions. The page's origin serves everything the
 * page uses: its files, config.json, labels.json, a read-only JSON-RPC proxy at /rpc and (unless
 * another relay is configured) the relay at /relay/, so the page makes no third-party request.
 */

/** The page's folder: index.html, style.css, consent.ts, and dist/ once built. */
export const CONSENT_ROOT: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../web/consent",
);

/** The JSON-RPC methods the page may use: reads only. */
const READ_METHODS = new Set([
  "eth_chainId",
  "net_version",
  "eth_blockNumber",
  "eth_call",
  "eth_getCode",
  "eth_getLogs",
  "eth_getBlockByNumber",
  "eth_getBlockByHash",
  "eth_getTransactionReceipt",
]);

/**
 * Bundles web/consent/consent.ts with the SDK and ethers into web/consent/dist/consent.js (an ES
 * module for browsers, minified). The TypeChain bindings must exist (`hardhat build`).
 *
 * @example
 * const { bytes } = await buildConsentPage();
 */
export async function buildConsentPage({ write = true }: { write?: boolean } = {}): Promise<{
  outFile: string;
  bytes: number;
}> {
  const outFile = path.join(CONSENT_ROOT, "dist", "consent.js");
  const result = await build({
    entryPoints: [path.join(CONSENT_ROOT, "consent.ts")],
    outfile: outFile,
    write,
    ...BROWSER_BUNDLE,
  });
  const bundle = result.outputFiles?.find((file) => file.path === outFile);
  return { outFile, bytes: bundle?.contents.byteLength ?? (await stat(outFile)).size };
}

/** Options of `startConsentPage`. */
export interface ConsentPageOptions {
  /** 0 (the default) asks the OS for a free port. */
  readonly port?: number;
  /** The chain's JSON-RPC URL the /rpc proxy forwards reads to. */
  readonly rpcUrl: string;
  readonly chainId: bigint;
  readonly consentAddress: string;
  readonly factoryAddress: string;
  /** The relay mounted at /relay/; or `relayUrl` for a relay elsewhere. */
  readonly relay?: RelayConfig;
  readonly relayUrl?: string;
  /** A label file (address: name) served as labels.json. */
  readonly labelsFile?: string;
  /** The first block the page reads events from. */
  readonly fromBlock?: number;
}

/** A running consent page. */
export interface ConsentPage {
  /** `http://localhost:<port>/` (WebAuthn needs a host name, not an IP address). */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the consent page on 127.0.0.1 (reached as localhost).
 *
 * @example
 * const page = await startConsentPage({ rpcUrl, chainId, consentAddress, factoryAddress, relay });
 */
export async function startConsentPage(options: ConsentPageOptions): Promise<ConsentPage> {
  const relayBase = options.relayUrl ?? "relay/";
  const relayOrigin = options.relayUrl === undefined ? "" : ` ${new URL(options.relayUrl).origin}`;
  const app = new Hono();
  app.use("*", async (c, next) => {
    await next();
    c.header(
      "content-security-policy",
      `default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${relayOrigin}; frame-ancestors 'none'; base-uri 'none'`,
    );
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    c.header("cache-control", "no-store");
  });
  app.get("/config.json", (c) =>
    c.json({
      chainId: options.chainId.toString(),
      consent: options.consentAddress,
      factory: options.factoryAddress,
      relay: relayBase,
      fromBlock: options.fromBlock ?? 0,
    }),
  );
  app.get("/labels.json", async (c) => {
    if (options.labelsFile === undefined || !existsSync(options.labelsFile)) return c.json({});
    return c.body(await readFile(options.labelsFile, "utf8"), 200, {
      "content-type": "application/json",
    });
  });
  app.post("/rpc", async (c) => {
    const body = await c.req.json<{ method?: unknown }>().catch(() => undefined);
    if (
      body === undefined ||
      Array.isArray(body) ||
      typeof body.method !== "string" ||
      !READ_METHODS.has(body.method)
    ) {
      return c.json(
        {
          jsonrpc: "2.0",
          id: null,
          error: { code: -32601, message: "only read methods are forwarded" },
        },
        403,
      );
    }
    const answer = await fetch(options.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    return c.body(await answer.text(), answer.ok ? 200 : 502, {
      "content-type": "application/json",
    });
  });
  if (options.relay !== undefined) app.route("/relay", createRelayApp(options.relay));
  app.use("/*", serveStatic({ root: path.relative(process.cwd(), CONSENT_ROOT) || "." }));

  const server = await new Promise<ServerType>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, port: options.port ?? 0, hostname: "127.0.0.1" },
      () => {
        resolve(started);
      },
    );
    started.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://localhost:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };
}
