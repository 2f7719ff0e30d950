/*
 * `npm run relay [-- --port N]`: submits patients' signed PatientConsent actions with a funded
 * key (see services/relay/config.ts for the environment). PORT or --port chooses the port
 * (default 8788; 0 picks a free one). The first line on stdout is
 * `listening on http://127.0.0.1:<port>`; Ctrl-C stops it.
 */
import { serve } from "@hono/node-server";
import type { AddressInfo } from "node:net";

import { describeError } from "../../sdk/errors.js";
import { createRelayApp } from "./app.js";
import { readRelayConfig } from "./config.js";

const flag = process.argv.indexOf("--port");
const portText = flag >= 0 ? process.argv[flag + 1] : (process.env.PORT ?? "8788");
if (portText === undefined || !/^\d+$/.test(portText) || Number(portText) > 65_535) {
  console.error(`port "${String(portText)}" is not a port number`);
  process.exit(1);
}

let config;
try {
  config = await readRelayConfig(process.env);
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
const app = createRelayApp(config);
const server = serve(
  { fetch: app.fetch, port: Number(portText), hostname: "127.0.0.1" },
  (info: AddressInfo) => {
    console.log(`listening on http://127.0.0.1:${info.port}`);
    console.log(`relaying to PatientConsent ${config.consentAddress} on chain ${config.chainId}`);
  },
);
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(
    `port ${portText} on 127.0.0.1 ${error.code === "EADDRINUSE" ? "is in use" : "cannot be opened"}: choose another with PORT=<port>`,
  );
  process.exit(1);
});
await new Promise<void>((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
server.close();
config.provider.destroy();
