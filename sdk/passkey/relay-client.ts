import { CareChainError } from "../errors.js";
import { stringifyJson } from "../json.js";
import type {
  ConsentActionType,
  SignedConsentAction,
  SignedConsentGrant,
} from "../patient-consent/eip712.js";
import { CONSENT_ACTION_FUNCTIONS } from "./consent.js";
import type { PasskeyPublicKey } from "./webauthn.js";

/** A PatientConsent function a relay submits: one of the signed actions. */
export type RelayedAction = (typeof CONSENT_ACTION_FUNCTIONS)[ConsentActionType];

/** The PatientConsent functions a relay submits: the signed actions, and nothing else. */
export const RELAYED_ACTIONS: readonly RelayedAction[] = Object.values(CONSENT_ACTION_FUNCTIONS);

/** What the relay answers once the action is mined. */
export interface RelayReceipt {
  readonly action: string;
  readonly patient: string;
  readonly transactionHash: string;
  readonly blockNumber: number;
  readonly gasUsed: string;
  /** True when the relay deployed the patient's passkey account first. */
  readonly deployedAccount: boolean;
}

/** One signed action for the relay: the PatientConsent function, its struct and signature. */
export interface RelayRequest {
  readonly action: RelayedAction;
  readonly message: object;
  readonly signature: string;
  /** The passkey's public key, so the relay can deploy the account before its first action. */
  readonly passkey?: PasskeyPublicKey;
}

/**
 * The relay refused a request: its RFC 9457 problem (`type`, `title`, `status`, `detail`, and
 * for a contract's refusal `error`, the custom error's name).
 *
 * @example
 * catch (e) { if (e instanceof RelayError && e.status === 429) showLater(); }
 */
export class RelayError extends CareChainError {
  override readonly name = "RelayError";
  constructor(
    readonly status: number,
    readonly problemType: string,
    readonly title: string,
    readonly detail: string,
    /** The contract's custom error name when PatientConsent refused the action. */
    readonly error: string | undefined,
  ) {
    super(`relay: ${title}: ${detail}`);
  }
}

/** Any `fetch`: the browser's, Node's, or a test's in-memory one. */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

/**
 * Sends one signed action to the relay at `relayUrl` and waits for its receipt.
 *
 * @example
 * const receipt = await submitToRelay("http://127.0.0.1:8788", {
 *   action: "grantConsentBySig", message: signed.grant, signature: signed.signature, passkey: passkey.publicKey,
 * });
 */
export async function submitToRelay(
  relayUrl: string,
  request: RelayRequest,
  fetchImpl: Fetch = (input, init) => fetch(input, init),
): Promise<RelayReceipt> {
  const url = new URL("v1/actions", relayUrl.endsWith("/") ? relayUrl : `${relayUrl}/`);
  let response: Response;
  try {
    response = await fetchImpl(url.toString(), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: stringifyJson(request),
    });
  } catch {
    throw new RelayError(
      0,
      "network",
      "Relay unreachable",
      `no answer from ${url.origin}`,
      undefined,
    );
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok) {
    const text = (key: string): string => (typeof body[key] === "string" ? body[key] : "");
    throw new RelayError(
      response.status,
      text("type"),
      text("title") || `HTTP ${response.status}`,
      text("detail"),
      typeof body["error"] === "string" ? body["error"] : undefined,
    );
  }
  return body as unknown as RelayReceipt;
}

/**
 * Sends a passkey-signed grant to the relay (which deploys the account first when needed).
 *
 * @example
 * await submitConsentGrant(relayUrl, signed, passkey.publicKey);
 */
export function submitConsentGrant(
  relayUrl: string,
  signed: SignedConsentGrant,
  passkey?: PasskeyPublicKey,
  fetchImpl?: Fetch,
): Promise<RelayReceipt> {
  return submitToRelay(
    relayUrl,
    {
      action: "grantConsentBySig",
      message: signed.grant,
      signature: signed.signature,
      ...(passkey === undefined ? {} : { passkey }),
    },
    fetchImpl,
  );
}

/**
 * Sends any passkey-signed action (revocation, guardian appointment or removal, grant) to the
 * relay.
 *
 * @example
 * await submitConsentAction(relayUrl, await signConsentActionWithPasskey(passkey, target, "ConsentRevocation", r));
 */
export function submitConsentAction<K extends ConsentActionType>(
  relayUrl: string,
  signed: SignedConsentAction<K>,
  passkey?: PasskeyPublicKey,
  fetchImpl?: Fetch,
): Promise<RelayReceipt> {
  return submitToRelay(
    relayUrl,
    {
      action: CONSENT_ACTION_FUNCTIONS[signed.primaryType],
      message: signed.message,
      signature: signed.signature,
      ...(passkey === undefined ? {} : { passkey }),
    },
    fetchImpl,
  );
}
