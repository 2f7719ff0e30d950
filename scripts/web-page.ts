import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { build } from "esbuild";

/*
 * Building and serving the verifier page (web/): `npm run build:web`, `npm run web` and
 * `npm run test:web` share these two functions.
 */

/** The page's folder: index.html, style.css, verifier.ts, and dist/ once built. */
export const WEB_ROOT: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../web",
);

/** What `buildWebPage` produced. */
export interface WebBuild {
  /** The bundle, web/dist/verifier.js. */
  readonly outFile: string;
  readonly bytes: number;
}

/**
 * Bundles web/verifier.ts with the SDK and ethers into web/dist/verifier.js (an ES module for
 * browsers, minified, with a source map). The TypeChain bindings must exist (`hardhat build`).
 * With `write: false` nothing is written: the test that the SDK stays browser-safe uses that.
 *
 * @example
 * const { outFile, bytes } = await buildWebPage();
 */
export async function buildWebPage({ write = true }: { write?: boolean } = {}): Promise<WebBuild> {
  const outFile = path.join(WEB_ROOT, "dist", "verifier.js");
  const result = await build({
    entryPoints: [path.join(WEB_ROOT, "verifier.ts")],
    outfile: outFile,
    write,
    bundle: true,
    format: "esm",
    // the SDK must not need Node: a `node:` import fails the build here instead of in a browser
    platform: "browser",
    // BigInt literals, optional chaining, top-level await: every browser of the last four years
    target: ["es2022"],
    minify: true,
    sourcemap: true,
    legalComments: "linked",
    logLevel: "silent",
  });
  const bundle = result.outputFiles?.find((file) => file.path === outFile);
  const bytes = bundle?.contents.byteLength ?? (await stat(outFile)).size;
  return { outFile, bytes };
}

/** A running static server for the page. */
export interface WebServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

/** Options of `startWebServer`. */
export interface WebServerOptions {
  /** 0 (the default) asks the OS for a free port. */
  readonly port?: number;
  /** A folder served under /trees/ (the published tree files); by default web/trees. */
  readonly treesDirectory?: string;
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".txt": "text/plain; charset=utf-8",
};

/** The file a URL path names inside `root`, or `undefined` when it would leave `root`. */
function fileWithin(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  return file === root || file.startsWith(root + path.sep) ? file : undefined;
}

async function serveFile(file: string | undefined, response: ServerResponse): Promise<void> {
  let target = file;
  if (target !== undefined && (await stat(target).catch(() => undefined))?.isDirectory() === true) {
    target = path.join(target, "index.html");
  }
  const info = target === undefined ? undefined : await stat(target).catch(() => undefined);
  if (target === undefined || info?.isFile() !== true) {
    response.writeHead(404, { "content-type": "text/plain; charset=utf-8" });
    response.end("not found\n");
    return;
  }
  response.writeHead(200, {
    "content-type": CONTENT_TYPES[path.extname(target)] ?? "application/octet-stream",
    "content-length": info.size,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  createReadStream(target).pipe(response);
}

/**
 * Serves web/ (and a folder of tree files under /trees/) on 127.0.0.1: GET and HEAD only, no
 * directory listings, nothing outside those folders.
 *
 * @example
 * const server = await startWebServer({ treesDirectory: "batches" });
 * console.log(server.url); // http://127.0.0.1:41235/
 * await server.close();
 */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const trees = path.resolve(options.treesDirectory ?? path.join(WEB_ROOT, "trees"));
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" });
      response.end();
      return;
    }
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    const file = pathname.startsWith("/trees/")
      ? fileWithin(trees, pathname.slice("/trees".length))
      : fileWithin(WEB_ROOT, pathname);
    await serveFile(file, response);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          resolve();
        });
      }),
  };
}
