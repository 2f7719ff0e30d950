import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

import { build } from "esbuild";
import type { BuildOptions } from "esbuild";
import { listenOnLoopback } from "./loopback-server.js";

/*
 * Building and serving the verifier page (web/): `npm run build:web`, `npm run web` and
 * `npm run test:web` share these two functions.
 */

/** The page's folder: index.html, style.css, verifier.ts, and dist/ once built. */
export const WEB_ROOT: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../web",
);

/** One file of the built page and its size. */
export interface WebAsset {
  /** Path relative to web/, e.g. `dist/verifier.js`. */
  readonly file: string;
  readonly bytes: number;
  /** Size gzip-compressed (what a server with compression sends). */
  readonly gzipBytes: number;
}

/** What `buildWebPage` produced. */
export interface WebBuild {
  /** The entry bundle, web/dist/verifier.js. */
  readonly outFile: string;
  /** Its size. */
  readonly bytes: number;
  /**
   * Everything the page can load: the entry bundle, its lazily loaded chunks (the barcode
   * polyfill), the decoder's .wasm, index.html and style.css (source maps left out).
   */
  readonly assets: readonly WebAsset[];
}

const require = createRequire(import.meta.url);

/**
 * ZXing's WebAssembly reader, which the barcode polyfill loads: the page serves it itself from
 * dist/ (never from a CDN).
 */
export const ZXING_READER_WASM: string = require.resolve("zxing-wasm/reader/zxing_reader.wasm");

/** How both pages (this one and web/consent/) are bundled for browsers with the SDK and ethers. */
export const BROWSER_BUNDLE = {
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
} as const satisfies BuildOptions;

async function assetOf(file: string, contents?: Uint8Array): Promise<WebAsset> {
  const data = contents ?? (await readFile(path.join(WEB_ROOT, file)));
  return { file, bytes: data.byteLength, gzipBytes: gzipSync(data).byteLength };
}

/**
 * Bundles web/verifier.ts with the SDK and ethers into web/dist/verifier.js (an ES module for
 * browsers, minified, with source maps), the barcode polyfill as a chunk loaded on first scan, and
 * copies ZXing's .wasm beside them. The TypeChain bindings must exist (`hardhat build`). With
 * `write: false` nothing is written: the test that the SDK stays browser-safe uses that.
 *
 * @example
 * const { outFile, bytes, assets } = await buildWebPage();
 */
export async function buildWebPage({ write = true }: { write?: boolean } = {}): Promise<WebBuild> {
  const outDirectory = path.join(WEB_ROOT, "dist");
  const outFile = path.join(outDirectory, "verifier.js");
  const result = await build({
    entryPoints: [path.join(WEB_ROOT, "verifier.ts")],
    outdir: outDirectory,
    entryNames: "[name]",
    chunkNames: "chunks/[name]-[hash]",
    splitting: true,
    write,
    ...BROWSER_BUNDLE,
    metafile: true,
  });
  const outputs = Object.keys(result.metafile.outputs)
    .map((file) => path.resolve(file))
    .filter((file) => file.endsWith(".js"));
  const assets: WebAsset[] = [];
  for (const file of outputs) {
    const inMemory = result.outputFiles?.find((output) => output.path === file)?.contents;
    assets.push(await assetOf(path.relative(WEB_ROOT, file), inMemory));
  }
  const wasm = await readFile(ZXING_READER_WASM);
  // the polyfill's JavaScript names the exact .wasm it was built against: refuse any other
  const glue = await readFile(
    path.join(path.dirname(require.resolve("barcode-detector/ponyfill")), "zxing-exported.js"),
    "utf8",
  );
  const sha256 = createHash("sha256").update(wasm).digest("hex");
  if (!glue.includes(sha256)) {
    throw new Error(
      `${ZXING_READER_WASM} (sha256 ${sha256}) is not the .wasm barcode-detector was built against: reinstall with npm ci`,
    );
  }
  if (write) {
    await mkdir(outDirectory, { recursive: true });
    await copyFile(ZXING_READER_WASM, path.join(outDirectory, path.basename(ZXING_READER_WASM)));
  }
  assets.push(await assetOf(`dist/${path.basename(ZXING_READER_WASM)}`, wasm));
  assets.push(await assetOf("index.html"), await assetOf("style.css"));
  const bytes = assets.find((asset) => asset.file === "dist/verifier.js")?.bytes ?? 0;
  return { outFile, bytes, assets };
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
  ".wasm": "application/wasm",
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
 * Serves web/ on 127.0.0.1: GET and HEAD only, no directory listings, nothing outside web/.
 * There are no tree files to serve: the page asks the brand's resolver for one pack's proof.
 *
 * @example
 * const server = await startWebServer();
 * console.log(server.url); // http://127.0.0.1:41235/
 * await server.close();
 */
export async function startWebServer(options: WebServerOptions = {}): Promise<WebServer> {
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405, { allow: "GET, HEAD" });
      response.end();
      return;
    }
    const { pathname } = new URL(request.url ?? "/", "http://127.0.0.1");
    await serveFile(fileWithin(WEB_ROOT, pathname), response);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  const listening = await listenOnLoopback(server, options.port);
  return {
    url: `${listening.url}/`,
    close: listening.close,
  };
}
