/*
 * `npm run consent-page [-- --port N]`: builds the consent page and serves it, with the relay at
 * /relay/ and a read-only JSON-RPC proxy at /rpc, until Ctrl-C.
 *
 *   PORT / --port          port (default 8790; 0 picks a free one)
 *   CONSENT_LABELS         label file of provider names (default web/consent/labels.json)
 *   CONSENT_RELAY_URL      a relay elsewhere (default: the relay in this process, configured by
 *                          the RELAY_* variables of services/relay/config.ts)
 *   RELAY_RPC_URL          the chain (default http://127.0.0.1:8545)
 *
 * The first stdout line is `listening on http://localhost:<port>`.
 */
import path from "node:path";

import { describeError } from "../sdk/errors.js";
import { readRelayConfig } from "../services/relay/config.js";
import { CONSENT_ROOT, buildConsentPage, startConsentPage } from "./consent-page-server.js";

const flag = process.argv.indexOf("--port");
const portText = flag >= 0 ? process.argv[flag + 1] : (process.env.PORT ?? "8790");
if (portText === undefined || !/^\d+$/.test(portText) || Number(portText) > 65_535) {
  console.error(`port "${String(portText)}" is not a port number`);
  process.exit(1);
}
try {
  const relay = await readRelayConfig(process.env);
  await buildConsentPage();
  const external = process.env.CONSENT_RELAY_URL;
  const page = await startConsentPage({
    port: Number(portText),
    rpcUrl: process.env.RELAY_RPC_URL ?? "http://127.0.0.1:8545",
    chainId: relay.chainId,
    consentAddress: relay.consentAddress,
    factoryAddress: relay.factoryAddress,
    ...(external === undefined || external === "" ? { relay } : { relayUrl: external }),
    labelsFile: process.env.CONSENT_LABELS ?? path.join(CONSENT_ROOT, "labels.json"),
  });
  console.log(`listening on ${page.url.replace(/\/$/, "")}`);
  console.log(
    `consent page for PatientConsent ${relay.consentAddress} on chain ${relay.chainId}; Ctrl-C stops`,
  );
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await page.close();
  relay.provider.destroy();
} catch (error) {
  console.error(describeError(error));
  process.exit(1);
}
