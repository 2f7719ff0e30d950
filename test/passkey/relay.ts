import { expect } from "chai";

import { createRelayApp } from "../../services/relay/app.js";
import {
  RelayError,
  submitConsentAction,
  submitConsentGrant,
  submitToRelay,
} from "../../sdk/passkey/index.js";
import type { Fetch } from "../../sdk/passkey/index.js";
import { randomUnorderedNonce } from "../../sdk/patient-consent/index.js";
import type { PasskeyFixture } from "../../support/fixtures/passkey.js";
import {
  ethers,
  grantInForce,
  loadPasskeyFixture,
  now,
  passkeyOf,
  signedActionOf,
  signedGrantOf,
} from "../helpers/passkey.js";
import type { FixturePatient } from "../helpers/passkey.js";

const RELAY = "http://relay.test/";

/** The relay app in memory, with its fetch. */
function relayOf(f: PasskeyFixture, limitPerPatient = 10) {
  const app = createRelayApp({
    signer: f.relayer,
    provider: ethers.provider,
    chainId: f.chainId,
    consentAddress: f.consentAddress,
    factoryAddress: f.factoryAddress,
    limitPerPatient,
  });
  const fetchImpl: Fetch = async (input, init) => app.request(input, init);
  return { app, fetchImpl };
}

/** `patient`'s grant to the clinic, signed with its passkey and sent to the relay with its public key. */
async function relayGrantOf(fetchImpl: Fetch, f: PasskeyFixture, patient: FixturePatient) {
  const signed = await signedGrantOf(f, patient);
  return submitConsentGrant(RELAY, signed, passkeyOf(f, patient).publicKey, fetchImpl);
}

async function expectProblem(
  promise: Promise<unknown>,
  status: number,
  error?: string,
): Promise<RelayError> {
  try {
    await promise;
  } catch (caught) {
    expect(caught).to.be.instanceOf(RelayError);
    const relayError = caught as RelayError;
    expect(relayError.status, relayError.message).to.equal(status);
    if (error !== undefined) expect(relayError.error).to.equal(error);
    return relayError;
  }
  throw new Error(`expected a ${status} problem`);
}

describe("relay (services/relay)", function () {
  it("deploys a new patient's account, then submits the passkey-signed grant, paying the gas", async function () {
    const f = await loadPasskeyFixture();
    const { fetchImpl } = relayOf(f);
    const signed = await signedGrantOf(f, "otherAccount");
    expect(await ethers.provider.getCode(f.otherAccount)).to.equal("0x");
    const receipt = await submitConsentGrant(RELAY, signed, f.otherPasskey.publicKey, fetchImpl);
    expect(receipt.deployedAccount).to.equal(true);
    expect(receipt.action).to.equal("grantConsentBySig");
    expect(await grantInForce(f, signed.grant)).to.equal(true);
    expect(await ethers.provider.getBalance(f.otherAccount)).to.equal(0n);
  });

  it("submits for a deployed account without deploying again", async function () {
    const f = await loadPasskeyFixture();
    const { fetchImpl } = relayOf(f);
    const receipt = await relayGrantOf(fetchImpl, f, "account");
    expect(receipt.deployedAccount).to.equal(false);
  });

  it("relays a passkey-signed revocation, appointment and removal", async function () {
    const f = await loadPasskeyFixture();
    const { fetchImpl } = relayOf(f);
    await relayGrantOf(fetchImpl, f, "account");
    const deadline = (await now()) + 3_600n;
    const revoked = await submitConsentAction(
      RELAY,
      await signedActionOf(f, "ConsentRevocation", {
        patient: f.account,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline,
      }),
      undefined,
      fetchImpl,
    );
    expect(revoked.action).to.equal("revokeConsentBySig");
    expect(await f.consent.isAuthorized(f.account, f.clinic.address, 0, 0)).to.equal(false);
    await submitConsentAction(
      RELAY,
      await signedActionOf(f, "DelegateAppointment", {
        patient: f.account,
        delegate: f.guardian.address,
        purposes: 1n,
        categories: 16n,
        until: deadline + 86_400n,
        nonce: await f.consent.nonces(f.account),
        deadline,
      }),
      undefined,
      fetchImpl,
    );
    expect(await f.consent.isDelegate(f.account, f.guardian.address)).to.equal(true);
    await submitConsentAction(
      RELAY,
      await signedActionOf(f, "DelegateRemoval", {
        patient: f.account,
        delegate: f.guardian.address,
        nonce: randomUnorderedNonce(),
        deadline,
      }),
      undefined,
      fetchImpl,
    );
    expect(await f.consent.isDelegate(f.account, f.guardian.address)).to.equal(false);
  });

  it("answers a tampered request with 422 and the contract's error, sending nothing", async function () {
    const f = await loadPasskeyFixture();
    const { fetchImpl } = relayOf(f);
    const signed = await signedGrantOf(f, "account");
    const nonce = await ethers.provider.getTransactionCount(f.relayer.address);
    const problem = await expectProblem(
      submitToRelay(
        RELAY,
        {
          action: "grantConsentBySig",
          message: { ...signed.grant, grantee: f.insurer.address },
          signature: signed.signature,
        },
        fetchImpl,
      ),
      422,
      "PatientConsentInvalidSignature",
    );
    expect(problem.problemType).to.match(/rejected-by-contract$/);
    expect(await ethers.provider.getTransactionCount(f.relayer.address)).to.equal(nonce);
    expect(await f.consent.nonces(f.account)).to.equal(0n);
  });

  it("refuses any other function with 400 unknown-action, sending nothing", async function () {
    const f = await loadPasskeyFixture();
    const { app } = relayOf(f);
    const nonce = await ethers.provider.getTransactionCount(f.relayer.address);
    for (const action of [
      "grantConsent",
      "anchorRecord",
      "pause",
      "grantRole",
      "createAccount",
      "",
    ]) {
      const response = await app.request("/v1/actions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ action, message: { patient: f.account }, signature: "0x00" }),
      });
      expect(response.status).to.equal(400);
      expect(response.headers.get("content-type")).to.equal("application/problem+json");
      const body = (await response.json()) as Record<string, unknown>;
      expect(body["type"]).to.match(/unknown-action$/);
      expect(body["field"]).to.equal("action");
    }
    expect(await ethers.provider.getTransactionCount(f.relayer.address)).to.equal(nonce);
  });

  it("answers bad fields with 400 naming the field", async function () {
    const f = await loadPasskeyFixture();
    const { app } = relayOf(f);
    const signed = await signedGrantOf(f, "account");
    const message = JSON.parse(
      JSON.stringify(signed.grant, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
    ) as Record<string, unknown>;
    const cases: [Record<string, unknown>, string][] = [
      [
        {
          action: "grantConsentBySig",
          message: { ...message, grantee: "0x12" },
          signature: signed.signature,
        },
        "message.grantee",
      ],
      [
        {
          action: "grantConsentBySig",
          message: { ...message, purposes: "4294967296" },
          signature: signed.signature,
        },
        "message.purposes",
      ],
      [
        {
          action: "grantConsentBySig",
          message: { ...message, extra: "1" },
          signature: signed.signature,
        },
        "message.extra",
      ],
      [{ action: "grantConsentBySig", message, signature: "hello" }, "signature"],
      [
        {
          action: "grantConsentBySig",
          message,
          signature: signed.signature,
          passkey: { qx: "0x01", qy: "0x02" },
        },
        "passkey",
      ],
      [
        {
          action: "grantConsentBySig",
          message,
          signature: signed.signature,
          passkey: f.otherPasskey.publicKey,
        },
        "passkey",
      ],
    ];
    for (const [body, field] of cases) {
      const response = await app.request("/v1/actions", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(response.status, field).to.equal(400);
      expect(((await response.json()) as Record<string, unknown>)["field"]).to.equal(field);
    }
    const notJson = await app.request("/v1/actions", { method: "POST", body: "{" });
    expect(notJson.status).to.equal(400);
  });

  it("rate-limits per patient with 429, leaving other patients served", async function () {
    const f = await loadPasskeyFixture();
    const { fetchImpl } = relayOf(f, 2);
    const first = await signedGrantOf(f, "account");
    await submitConsentGrant(RELAY, first, undefined, fetchImpl);
    await expectProblem(
      submitConsentGrant(RELAY, first, undefined, fetchImpl),
      422,
      "PatientConsentInvalidNonce",
    );
    await expectProblem(
      submitConsentGrant(RELAY, await signedGrantOf(f, "account"), undefined, fetchImpl),
      429,
    );
    const other = await relayGrantOf(fetchImpl, f, "otherAccount");
    expect(other.deployedAccount).to.equal(true);
  });

  it("answers unknown paths with a 404 problem and says where it submits on /v1/health", async function () {
    const f = await loadPasskeyFixture();
    const { app } = relayOf(f);
    const missing = await app.request("/v1/other", { method: "POST" });
    expect(missing.status).to.equal(404);
    expect(missing.headers.get("content-type")).to.equal("application/problem+json");
    const health = (await (await app.request("/v1/health")).json()) as Record<string, unknown>;
    expect(health["consent"]).to.equal(f.consentAddress);
    expect(health["actions"]).to.include("grantConsentBySig");
  });
});
