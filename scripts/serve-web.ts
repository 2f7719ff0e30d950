/*
 * `npm run web`: builds the verifier page and serves web/ on 127.0.0.1 until Ctrl-C.
 *
 *   WEB_PORT      port to listen on (default 8080; 0 picks a free one)
 *   WEB_RPC       JSON-RPC URL put in the printed link (default http://127.0.0.1:8545)
 *   WEB_RESOLVER  the GS1 Digital Link resolver put in the printed link (default http://127.0.0.1:8081)
 *
 * When the DrugTrace Ignition deployment for the local chain (31337) exists, the printed link
 * carries its address, so `npm run node`, a deployment, `npm run resolver` and `npm run web` give
 * a working page.
 */
import path from "node:path";

import { readDeployedAddresses } from "../tasks/lib/deployments.js";
import { colour } from "../tasks/lib/terminal.js";
import { buildWebPage, startWebServer } from "../support/web-page.js";

const portText = process.env.WEB_PORT ?? "8080";
if (!/^\d+$/.test(portText)) {
  console.error(`WEB_PORT "${portText}" is not a port number`);
  process.exit(1);
}
const { outFile, bytes } = await buildWebPage();
console.log(`built ${path.relative(process.cwd(), outFile)} (${(bytes / 1024).toFixed(0)} KiB)`);

let server;
try {
  server = await startWebServer({ port: Number(portText) });
} catch (error) {
  const reason =
    (error as NodeJS.ErrnoException).code === "EADDRINUSE" ? "is in use" : "cannot be opened";
  console.error(`port ${portText} on 127.0.0.1 ${reason}: choose another with WEB_PORT=<port>`);
  process.exit(1);
}

const query = new URLSearchParams({
  rpc: process.env.WEB_RPC ?? "http://127.0.0.1:8545",
  resolver: process.env.WEB_RESOLVER ?? "http://127.0.0.1:8081",
});
const local = Object.entries(readDeployedAddresses(31337)).find(([id]) =>
  id.endsWith("#DrugTrace"),
);
if (local !== undefined) query.set("address", local[1]);
const link = `${server.url}?${query.toString().replaceAll("%3A", ":").replaceAll("%2F", "/")}`;
console.log(`verifier page: ${colour.bold(link)}`);
if (local === undefined) {
  console.log("(no local DrugTrace deployment found: add &address=0x… to the link)");
}
console.log("Ctrl-C stops");

const running = server;
await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
await running.close();
