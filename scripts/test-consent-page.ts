/*
 * `npm run test:consent-page`: the consent page in a real browser against a real chain.
 *
 * Starts `hardhat node` on a free port, deploys PatientConsent and the passkey account factory
 * with their Ignition modules, serves the page (with the relay in process) and drives Debian's
 * chromium (playwright-core over CDP) with a virtual WebAuthn authenticator (DevTools protocol
 * WebAuthn domain, user verification on): create a passkey, accept a provider's request from its
 * link, see it listed, see the provider's access and an emergency access in the log, revoke, see
 * isAuthorized false, appoint and remove a guardian. Every process it starts is stopped by its PID.
 * The last line is "N passed, N failed"; the exit code is non-zero on any failure.
 *
 * Needs: apt-get install chromium (or CHROMIUM=/path/to/chrome).
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { getAddress, id, isAddress } from "ethers";
import { network } from "hardhat";
import type { Page } from "playwright-core";

import PatientAccountFactoryModule from "../ignition/modules/PatientAccountFactory.js";
import PatientConsentModule from "../ignition/modules/PatientConsent.js";
import { formatConsentRequestLink } from "../sdk/passkey/index.js";
import { anchorRecord, breakGlass, logAccess } from "../sdk/patient-consent/index.js";
import { readRelayConfig } from "../services/relay/config.js";
import { startHardhatNode } from "../support/hardhat-node.js";
import type { RunningNode } from "../support/hardhat-node.js";
import { check, expectEqual, expectIncludes, failOutsideChecks, reportChecks } from "./checks.js";
import { startChromium } from "./chromium.js";
import type { RunningChromium } from "./chromium.js";
import { CONSENT_ROOT, buildConsentPage, startConsentPage } from "./consent-page-server.js";
import type { ConsentPage } from "./consent-page-server.js";

const DEPLOYMENT_ID = `consent-test-${process.pid}`;
const LABS_AND_MEDICATIONS = (1 << 4) | (1 << 2);
const CLINIC_NAME = "Dr Ada Lovelace, City Clinic";
const RESPONDER_NAME = "City Ambulance Service";
const GUARDIAN_NAME = "Grace (daughter)";

// ─────────────────────────────────────────────────────────────────────────────────────────────
//                                          Run
// ─────────────────────────────────────────────────────────────────────────────────────────────

/** Waits until the page finished an action (status done or error) and returns its text. */
async function waitForStatus(page: Page): Promise<{ state: string; text: string }> {
  await page
    .locator('#status[data-state="done"], #status[data-state="error"]')
    .waitFor({ timeout: 60_000 });
  return {
    state: (await page.getAttribute("#status", "data-state")) ?? "",
    text: ((await page.locator("#status").textContent()) ?? "").trim(),
  };
}

async function texts(page: Page, selector: string): Promise<string[]> {
  const all: string[] = [];
  for (const row of await page.locator(selector).all())
    all.push(((await row.textContent()) ?? "").trim());
  return all;
}

let node: RunningNode | undefined;
let server: ConsentPage | undefined;
let browser: RunningChromium | undefined;
let relayProvider: { destroy(): void } | undefined;
const workDirectory = await mkdtemp(path.join(tmpdir(), "carechain-consent-test-"));

try {
  console.log("consent page in chromium");
  node = await startHardhatNode();
  const { ethers, ignition } = await network.create({
    network: "localhost",
    override: { url: node.url },
  });
  const signers = await ethers.getSigners();
  const [admin, clinic, responder, guardian] = [signers[0], signers[3], signers[9], signers[7]];
  if (
    admin === undefined ||
    clinic === undefined ||
    responder === undefined ||
    guardian === undefined
  ) {
    throw new Error("the node has fewer than ten accounts");
  }
  const { patientConsent } = await ignition.deploy(PatientConsentModule, {
    parameters: { PatientConsent: { admin: admin.address } },
    deploymentId: DEPLOYMENT_ID,
  });
  const { patientAccountFactory } = await ignition.deploy(PatientAccountFactoryModule, {
    deploymentId: DEPLOYMENT_ID,
  });
  const consentAddress = await patientConsent.getAddress();
  const factoryAddress = await patientAccountFactory.getAddress();
  const consent = await ethers.getContractAt("PatientConsent", consentAddress);
  await (
    await consent.connect(admin).grantRole(await consent.EMERGENCY_ROLE(), responder.address)
  ).wait();

  const labelsFile = path.join(workDirectory, "labels.json");
  await writeFile(
    labelsFile,
    JSON.stringify({
      [clinic.address]: CLINIC_NAME,
      [responder.address]: RESPONDER_NAME,
      [guardian.address]: GUARDIAN_NAME,
    }),
  );
  const relay = await readRelayConfig({
    RELAY_RPC_URL: node.url,
    RELAY_CONSENT_ADDRESS: consentAddress,
    RELAY_FACTORY_ADDRESS: factoryAddress,
    RELAY_LIMIT_PER_MINUTE: "30",
  });
  relayProvider = relay.provider;
  await buildConsentPage();
  server = await startConsentPage({
    rpcUrl: node.url,
    chainId: relay.chainId,
    consentAddress,
    factoryAddress,
    relay,
    labelsFile,
  });
  const requestLink = formatConsentRequestLink(server.url, {
    grantee: clinic.address,
    purposes: 1,
    categories: LABS_AND_MEDICATIONS,
    days: 30,
  });
  console.log(`  chain ${node.url}, PatientConsent ${consentAddress}, page ${server.url}`);

  browser = await startChromium(path.join(workDirectory, "profile"));
  const context = browser.browser.contexts()[0] ?? (await browser.browser.newContext());
  const page = await context.newPage();
  await page.setViewportSize({ width: 412, height: 915 });
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];
  const origin = new URL(server.url).origin;
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:")) foreignRequests.push(url);
  });
  const cdp = await context.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });

  await page.goto(requestLink);
  await page.locator("body[data-ready]").waitFor();

  await check("reads the provider's request from its link and says it in plain words", async () => {
    const text = ((await page.locator("#request-text").textContent()) ?? "").trim();
    expectIncludes(text, `${CLINIC_NAME} (0x`, "request");
    expectIncludes(
      text,
      "asks to see your medications and lab results for treatment, for 30 days",
      "request",
    );
  });

  let account = "";
  await check("creates a passkey and shows the patient's account", async () => {
    await page.click("#create-key");
    const status = await waitForStatus(page);
    expectEqual(status.state, "done", `status (${status.text})`);
    await page.locator("#key-ready:not([hidden])").waitFor();
    account = ((await page.locator("#account").textContent()) ?? "").trim();
    const shown = account;
    if (!isAddress(shown))
      throw new Error(`the account shown is not an address: ${JSON.stringify(shown)}`);
    expectEqual(await ethers.provider.getCode(account), "0x", "code before the first action");
  });

  await check(
    "approves the request with the passkey: the relay deploys the account and grants",
    async () => {
      await page.click("#approve");
      const status = await waitForStatus(page);
      expectEqual([status.state, status.text], ["done", "Approved"], "status");
      expectEqual(
        await consent.isAuthorized(account, clinic.address, 0, LABS_AND_MEDICATIONS),
        true,
        "isAuthorized(account, clinic, TREAT, labs and medications)",
      );
      expectEqual((await ethers.provider.getCode(account)) !== "0x", true, "account deployed");
      expectEqual(
        await ethers.provider.getBalance(account),
        0n,
        "the patient's balance (the relay paid)",
      );
    },
  );

  await check("lists the consent by the provider's name, in words", async () => {
    const rows = await texts(page, "#consents li");
    expectEqual(rows.length, 1, "consents listed");
    expectIncludes(rows[0] ?? "", `${CLINIC_NAME} (0x`, "consent");
    expectIncludes(
      rows[0] ?? "",
      "can see your medications and lab results for treatment until",
      "consent",
    );
  });

  await check(
    "shows the provider's logged access and an emergency access in words and dates",
    async () => {
      const clinicConsent = consent.connect(clinic);
      const recordHash = id("salt|lab-report-2026-11");
      await anchorRecord(clinicConsent, account, recordHash, 1 << 4);
      await logAccess(clinicConsent, account, clinic.address, recordHash, 0);
      await breakGlass(consent.connect(responder), account, id("incident-2026-000123"));
      await page.reload();
      await page.locator("body[data-ready]").waitFor();
      await page.locator("#log li").first().waitFor();
      const rows = await texts(page, "#log li");
      const opened = rows.find((row) => row.includes("opened one of your records"));
      const emergency = rows.find((row) => row.startsWith("Emergency access"));
      if (opened === undefined) throw new Error(`no access in the log: ${JSON.stringify(rows)}`);
      expectIncludes(opened, `${CLINIC_NAME} (0x`, "access");
      expectIncludes(opened, "for treatment with your consent on ", "access");
      expectIncludes(opened, " UTC", "access date");
      if (emergency === undefined)
        throw new Error(`no emergency access in the log: ${JSON.stringify(rows)}`);
      expectIncludes(emergency, `${RESPONDER_NAME} (0x`, "emergency access");
    },
  );

  await check("revokes with one tap: isAuthorized is false and the list is empty", async () => {
    await page.locator(`#consents li[data-grantee="${getAddress(clinic.address)}"] button`).click();
    const status = await waitForStatus(page);
    expectEqual(
      [status.state, status.text],
      ["done", "Revoked: they can no longer see your data"],
      "status",
    );
    expectEqual(
      await consent.isAuthorized(account, clinic.address, 0, 0),
      false,
      "isAuthorized after revoke",
    );
    await page.locator("#consents-empty:not([hidden])").waitFor();
    expectEqual((await texts(page, "#consents li")).length, 0, "consents listed");
  });

  await check("appoints a guardian with a scope, then removes them", async () => {
    await page.fill("#guardian-address", guardian.address);
    await page.click("#appoint");
    let status = await waitForStatus(page);
    expectEqual([status.state, status.text], ["done", "Guardian appointed"], "status");
    expectEqual(
      await consent.isDelegate(account, guardian.address),
      true,
      "isDelegate after appointing",
    );
    const scope = await consent.delegationOf(account, guardian.address);
    expectEqual([scope.purposes, scope.categories], [1n, BigInt(LABS_AND_MEDICATIONS)], "scope");
    // the list is redrawn after the status says done: wait for the guardian's row itself
    const row = `#guardians li[data-delegate="${getAddress(guardian.address)}"]`;
    await page.locator(row).waitFor();
    const rows = await texts(page, row);
    expectIncludes(rows[0] ?? "", `${GUARDIAN_NAME} (0x`, "guardian");
    expectIncludes(
      rows[0] ?? "",
      "may agree to treatment with your medications and lab results until",
      "guardian",
    );
    await page.locator(`${row} button`).click();
    status = await waitForStatus(page);
    expectEqual(
      [status.state, status.text],
      ["done", "Removed: they can no longer act for you"],
      "status",
    );
    expectEqual(
      await consent.isDelegate(account, guardian.address),
      false,
      "isDelegate after removal",
    );
  });

  await check("makes no request outside its own origin and throws no error", () => {
    expectEqual(foreignRequests, [], "requests to other origins");
    expectEqual(pageErrors, [], "page errors");
  });

  await page.screenshot({
    path: path.join(CONSENT_ROOT, "dist", "consent-phone.png"),
    fullPage: true,
  });
} catch (error) {
  failOutsideChecks("the run stopped", error);
} finally {
  await browser?.stop();
  await server?.close();
  relayProvider?.destroy();
  await node?.stop();
  await rm(workDirectory, { recursive: true, force: true });
  await rm(path.join("ignition", "deployments", DEPLOYMENT_ID), { recursive: true, force: true });
}

reportChecks();
