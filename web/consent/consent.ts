/*
 * The consent page: a patient creates a passkey (their "health-data key"), approves a provider's
 * request from a link or QR code, sees who can see their data and who looked, revokes with one
 * tap, and appoints or removes a guardian. Every action is signed with the passkey and sent to
 * the relay, which pays. The page talks only to its own origin: config.json, labels.json, /rpc
 * (read-only JSON-RPC, forwarded by the page's server) and the relay.
 */
import { JsonRpcProvider, Network, ZeroHash, getAddress, isAddress } from "ethers";

import { PatientConsent__factory } from "../../typechain-types/index.js";
import type { PatientConsent } from "../../typechain-types/index.js";
import { describeError } from "../../sdk/errors.js";
import {
  describeCategories,
  describeConsentRequest,
  describePurposes,
  includesProtected,
  nameOf,
  parseConsentRequest,
  parseLabels,
  parseSpkiPublicKey,
  readPatientAccountAddress,
  signConsentActionWithPasskey,
  signConsentGrantWithPasskey,
  submitConsentAction,
  submitConsentGrant,
} from "../../sdk/passkey/index.js";
import type {
  ConsentRequest,
  ConsentTarget,
  Labels,
  Passkey,
  PasskeyPublicKey,
} from "../../sdk/passkey/index.js";
import {
  parseCategories,
  randomUnorderedNonce,
  readAccessLog,
} from "../../sdk/patient-consent/index.js";

/** What the page's server publishes in config.json. */
interface PageConfig {
  readonly chainId: string;
  readonly consent: string;
  readonly factory: string;
  /** The relay's base URL, relative to the page (default "relay/"). */
  readonly relay: string;
  /** The first block to read events from (the deployment's). */
  readonly fromBlock?: number;
}

/** The passkey as this device remembers it: its credential id and public key (never a secret). */
interface StoredKey extends PasskeyPublicKey {
  readonly id: string;
}

const STORAGE_KEY = "carechain.passkey";
const DAY = 86_400n;

function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`the page has no #${id}`);
  return element;
}

function inputValue(id: string): string {
  const element = byId(id);
  if (!(element instanceof HTMLInputElement || element instanceof HTMLSelectElement)) {
    throw new Error(`#${id} is not a form field`);
  }
  return element.value;
}

function buttonById(id: string): HTMLButtonElement {
  const element = byId(id);
  if (!(element instanceof HTMLButtonElement)) throw new Error(`#${id} is not a button`);
  return element;
}

function setStatus(text: string, state: "idle" | "busy" | "done" | "error"): void {
  const status = byId("status");
  status.textContent = text;
  status.dataset["state"] = state;
}

function base64url(bytes: ArrayBuffer | Uint8Array): string {
  const array = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let binary = "";
  for (const byte of array) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function formatDate(seconds: bigint): string {
  return (
    new Date(Number(seconds) * 1000).toLocaleString("en-GB", {
      dateStyle: "medium",
      timeStyle: "short",
      timeZone: "UTC",
    }) + " UTC"
  );
}

function loadStoredKey(): StoredKey | undefined {
  const text = localStorage.getItem(STORAGE_KEY);
  if (text === null) return undefined;
  try {
    const parsed = JSON.parse(text) as StoredKey;
    return typeof parsed.id === "string" ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The stored passkey as the SDK's `Passkey`: each signature is a WebAuthn `get` with user verification. */
function browserPasskey(stored: StoredKey): Passkey {
  return {
    publicKey: { qx: stored.qx, qy: stored.qy },
    async getAssertion(challenge: Uint8Array) {
      const credential = (await navigator.credentials.get({
        publicKey: {
          challenge: new Uint8Array(challenge),
          allowCredentials: [{ type: "public-key", id: fromBase64url(stored.id) }],
          userVerification: "required",
          rpId: location.hostname,
          timeout: 120_000,
        },
      })) as PublicKeyCredential | null;
      if (credential === null) throw new Error("the passkey was not used");
      const response = credential.response as AuthenticatorAssertionResponse;
      return {
        authenticatorData: new Uint8Array(response.authenticatorData),
        clientDataJSON: new TextDecoder().decode(response.clientDataJSON),
        signature: new Uint8Array(response.signature),
      };
    },
  };
}

async function createKey(): Promise<StoredKey> {
  const credential = (await navigator.credentials.create({
    publicKey: {
      rp: { name: "carechain consent", id: location.hostname },
      user: {
        id: crypto.getRandomValues(new Uint8Array(16)),
        name: "health-data key",
        displayName: "My health-data key",
      },
      challenge: crypto.getRandomValues(new Uint8Array(32)),
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
      authenticatorSelection: { userVerification: "required", residentKey: "preferred" },
      timeout: 120_000,
    },
  })) as PublicKeyCredential | null;
  if (credential === null) throw new Error("no key was created");
  const response = credential.response as AuthenticatorAttestationResponse;
  const spki = response.getPublicKey();
  if (spki === null) throw new Error("this device's key is not a P-256 key");
  const key = parseSpkiPublicKey(new Uint8Array(spki));
  const stored: StoredKey = { id: base64url(credential.rawId), ...key };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
  return stored;
}

interface Session {
  readonly config: PageConfig;
  readonly labels: Labels;
  readonly provider: JsonRpcProvider;
  readonly consent: PatientConsent;
  readonly target: ConsentTarget;
  readonly relayUrl: string;
  stored?: StoredKey;
  account?: string;
}

async function now(session: Session): Promise<bigint> {
  const block = await session.provider.getBlock("latest");
  return BigInt(block?.timestamp ?? Math.floor(Date.now() / 1000));
}

function item(
  text: string,
  attributes: Record<string, string>,
  button?: HTMLButtonElement,
): HTMLLIElement {
  const li = document.createElement("li");
  const span = document.createElement("span");
  span.textContent = text;
  li.append(span);
  for (const [name, value] of Object.entries(attributes)) li.dataset[name] = value;
  if (button !== undefined) li.append(button);
  return li;
}

function tapButton(label: string, onTap: () => Promise<void>): HTMLButtonElement {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "secondary";
  button.textContent = label;
  button.addEventListener("click", () => {
    button.disabled = true;
    void onTap().finally(() => {
      button.disabled = false;
    });
  });
  return button;
}

async function withStatus(
  session: Session,
  busy: string,
  done: string,
  work: () => Promise<void>,
): Promise<void> {
  setStatus(busy, "busy");
  try {
    await work();
    // "done" only once the lists show the new state, so what the patient reads is never stale
    await refresh(session);
    setStatus(done, "done");
  } catch (error) {
    setStatus(describeError(error), "error");
  }
}

async function showConsents(session: Session, account: string): Promise<void> {
  const list = byId("consents");
  const granted = await session.consent.queryFilter(
    session.consent.filters.ConsentGranted(undefined, account),
    session.config.fromBlock ?? 0,
  );
  const grantees = [...new Set(granted.map((log) => log.args.grantee))];
  const items: HTMLLIElement[] = [];
  for (const grantee of grantees) {
    const [stored, state] = await Promise.all([
      session.consent.consentOf(account, grantee),
      session.consent.consentStateOf(account, grantee),
    ]);
    // 1 Pending, 2 Active: what can still be used and revoked
    if (state !== 1n && state !== 2n) continue;
    const what =
      stored.categories === 0n
        ? "act for you"
        : `see your ${describeCategories(stored.categories)}`;
    const text = `${nameOf(session.labels, grantee)} can ${what} for ${describePurposes(stored.purposes)} until ${formatDate(stored.end)}`;
    const revoke = tapButton("Revoke", () =>
      withStatus(
        session,
        "Revoking… confirm with your fingerprint",
        "Revoked: they can no longer see your data",
        async () => {
          const signed = await signConsentActionWithPasskey(
            browserPasskey(requireKey(session)),
            session.target,
            "ConsentRevocation",
            {
              patient: account,
              grantee,
              nonce: randomUnorderedNonce(),
              deadline: (await now(session)) + 3_600n,
            },
          );
          await submitConsentAction(session.relayUrl, signed, requireKey(session));
        },
      ),
    );
    items.push(item(text, { grantee }, revoke));
  }
  list.replaceChildren(...items);
  byId("consents-empty").hidden = items.length > 0;
}

async function showLog(session: Session, account: string): Promise<void> {
  const entries = await readAccessLog(session.consent, account, session.config.fromBlock ?? 0);
  const items = entries.map((entry) => {
    const when = formatDate(entry.timestamp);
    if (entry.kind === "access") {
      const purpose = describePurposes(1n << entry.purpose);
      const how =
        entry.consentId === ZeroHash
          ? " in an emergency (without your consent)"
          : " with your consent";
      return item(
        `${nameOf(session.labels, entry.accessor)} opened one of your records for ${purpose}${how} on ${when}`,
        {
          kind: entry.kind,
        },
      );
    }
    if (entry.kind === "break-glass-opened") {
      return item(
        `Emergency access: ${nameOf(session.labels, entry.responder)} opened emergency access to your records on ${when}, until ${formatDate(entry.end)}`,
        { kind: entry.kind },
      );
    }
    return item(
      `${nameOf(session.labels, entry.responder)} closed their emergency access on ${when}`,
      {
        kind: entry.kind,
      },
    );
  });
  byId("log").replaceChildren(...items);
  byId("log-empty").hidden = items.length > 0;
}

async function showGuardians(session: Session, account: string): Promise<void> {
  const set = await session.consent.queryFilter(
    session.consent.filters.DelegateSet(account),
    session.config.fromBlock ?? 0,
  );
  const delegates = [...new Set(set.map((log) => log.args.delegate))];
  const items: HTMLLIElement[] = [];
  for (const delegate of delegates) {
    if (!(await session.consent.isDelegate(account, delegate))) continue;
    const scope = await session.consent.delegationOf(account, delegate);
    const text = `${nameOf(session.labels, delegate)} may agree to ${describePurposes(scope.purposes)} with your ${describeCategories(scope.categories)} until ${formatDate(scope.until)}`;
    const remove = tapButton("Remove", () =>
      withStatus(
        session,
        "Removing… confirm with your fingerprint",
        "Removed: they can no longer act for you",
        async () => {
          const signed = await signConsentActionWithPasskey(
            browserPasskey(requireKey(session)),
            session.target,
            "DelegateRemoval",
            {
              patient: account,
              delegate,
              nonce: randomUnorderedNonce(),
              deadline: (await now(session)) + 3_600n,
            },
          );
          await submitConsentAction(session.relayUrl, signed, requireKey(session));
        },
      ),
    );
    items.push(item(text, { delegate }, remove));
  }
  byId("guardians").replaceChildren(...items);
}

function requireKey(session: Session): StoredKey {
  if (session.stored === undefined) throw new Error("create your health-data key first");
  return session.stored;
}

async function refresh(session: Session): Promise<void> {
  const account = session.account;
  if (account === undefined) return;
  byId("key-none").hidden = true;
  byId("create-key").hidden = true;
  byId("key-ready").hidden = false;
  byId("account").textContent = account;
  for (const id of ["consents-section", "log-section", "guardian-section"]) byId(id).hidden = false;
  await Promise.all([
    showConsents(session, account),
    showLog(session, account),
    showGuardians(session, account),
  ]);
  document.body.dataset["ready"] = String(Date.now());
}

async function useKey(session: Session, stored: StoredKey): Promise<void> {
  session.stored = stored;
  session.account = await readPatientAccountAddress(
    session.provider,
    session.config.factory,
    stored,
  );
  await refresh(session);
}

function showRequest(session: Session): void {
  const query = new URL(location.href).searchParams;
  if (!query.has("grantee")) return;
  byId("request-section").hidden = false;
  let request: ConsentRequest;
  try {
    request = parseConsentRequest(query);
  } catch (error) {
    byId("request-text").textContent = `This link is not a valid request: ${describeError(error)}`;
    byId("approve").hidden = true;
    return;
  }
  byId("request-text").textContent = describeConsentRequest(session.labels, request);
  byId("request-protected").hidden = !includesProtected(request.categories);
  const approve = buttonById("approve");
  approve.addEventListener("click", () => {
    approve.disabled = true;
    void withStatus(session, "Approving… confirm with your fingerprint", "Approved", async () => {
      const stored = requireKey(session);
      const account = session.account ?? "";
      const start = await now(session);
      const grant = {
        patient: account,
        grantee: request.grantee,
        purposes: BigInt(request.purposes),
        categories: BigInt(request.categories),
        start,
        end: start + BigInt(request.days) * DAY,
        nonce: await session.consent.nonces(account),
        deadline: start + 3_600n,
      };
      const signed = await signConsentGrantWithPasskey(
        browserPasskey(stored),
        session.target,
        grant,
      );
      await submitConsentGrant(session.relayUrl, signed, stored);
      byId("request-section").dataset["approved"] = "true";
      approve.hidden = true;
    }).finally(() => {
      approve.disabled = false;
    });
  });
}

async function start(): Promise<void> {
  const config = (await (await fetch("config.json", { cache: "no-store" })).json()) as PageConfig;
  const labelsResponse = await fetch("labels.json", { cache: "no-store" });
  const labels = labelsResponse.ok
    ? parseLabels(await labelsResponse.text())
    : new Map<string, string>();
  const chainId = BigInt(config.chainId);
  const rpc = new URL("rpc", location.href).toString();
  const provider = new JsonRpcProvider(rpc, Network.from(chainId), {
    staticNetwork: true,
    batchMaxCount: 1,
  });
  if (!isAddress(config.consent) || !isAddress(config.factory))
    throw new Error("config.json names no contracts");
  const session: Session = {
    config,
    labels,
    provider,
    consent: PatientConsent__factory.connect(getAddress(config.consent), provider),
    target: { chainId, consentAddress: getAddress(config.consent) },
    relayUrl: new URL(config.relay, location.href).toString(),
  };
  byId("create-key").addEventListener("click", () => {
    void withStatus(
      session,
      "Creating your key… confirm with your fingerprint",
      "Your key is ready",
      async () => {
        await useKey(session, await createKey());
      },
    );
  });
  byId("guardian-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void withStatus(
      session,
      "Appointing… confirm with your fingerprint",
      "Guardian appointed",
      async () => {
        const delegate = inputValue("guardian-address").trim();
        if (!isAddress(delegate)) throw new Error("the guardian's account is not an address (0x…)");
        const account = session.account ?? "";
        const start = await now(session);
        const days = BigInt(inputValue("guardian-days"));
        const signed = await signConsentActionWithPasskey(
          browserPasskey(requireKey(session)),
          session.target,
          "DelegateAppointment",
          {
            patient: account,
            delegate: getAddress(delegate),
            purposes: 1n, // treatment
            categories: BigInt(parseCategories(inputValue("guardian-categories"))),
            until: start + days * DAY,
            nonce: await session.consent.nonces(account),
            deadline: start + 3_600n,
          },
        );
        await submitConsentAction(session.relayUrl, signed, requireKey(session));
      },
    );
  });
  showRequest(session);
  const stored = loadStoredKey();
  if (stored !== undefined) await useKey(session, stored);
  else document.body.dataset["ready"] = String(Date.now());
}

start().catch((error: unknown) => {
  setStatus(`The page could not start: ${describeError(error)}`, "error");
});
