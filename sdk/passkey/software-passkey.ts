import { createHash, generateKeyPairSync, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";

import { concat, getBytes, hexlify, toBeHex } from "ethers";

import { decodeBase64url, encodeBase64url } from "./webauthn.js";
import type { Passkey, PasskeyPublicKey, WebAuthnAssertion } from "./webauthn.js";

/*
 * A passkey in software (Node only; the page uses the browser's authenticator): what tests and
 * the bench sign with. It builds authenticator data and client data exactly as a platform
 * authenticator and a browser do, then signs with a P-256 key held in memory.
 */

/** Options of `createSoftwarePasskey`. */
export interface SoftwarePasskeyOptions {
  /** The relying party id hashed into the authenticator data (default `localhost`). */
  readonly rpId?: string;
  /** The origin in the client data (default `http://localhost`). */
  readonly origin?: string;
  /** Authenticator flags (default 0x05: user present and user verified). */
  readonly flags?: number;
}

/** A software passkey, with its key pair for tests that need to misuse it. */
export interface SoftwarePasskey extends Passkey {
  readonly privateKey: KeyObject;
  /** Signs with other flags (a test of an assertion without user verification). */
  withFlags(flags: number): SoftwarePasskey;
}

function publicKeyOf(privateKey: KeyObject): PasskeyPublicKey {
  const jwk = privateKey.export({ format: "jwk" });
  if (jwk.x === undefined || jwk.y === undefined) throw new Error("not an EC key");
  return {
    qx: hexlify(decodeBase64url(jwk.x)),
    qy: hexlify(decodeBase64url(jwk.y)),
  };
}

function build(privateKey: KeyObject, options: SoftwarePasskeyOptions): SoftwarePasskey {
  const rpId = options.rpId ?? "localhost";
  const origin = options.origin ?? "http://localhost";
  const flags = options.flags ?? 0x05;
  let counter = 0;
  return {
    privateKey,
    publicKey: publicKeyOf(privateKey),
    withFlags: (other: number) => build(privateKey, { ...options, flags: other }),
    getAssertion(challenge: Uint8Array): Promise<WebAuthnAssertion> {
      counter++;
      const authenticatorData = getBytes(
        concat([
          createHash("sha256").update(rpId).digest(),
          toBeHex(flags, 1),
          toBeHex(counter, 4),
        ]),
      );
      const clientDataJSON = JSON.stringify({
        type: "webauthn.get",
        challenge: encodeBase64url(challenge),
        origin,
        crossOrigin: false,
      });
      const clientDataHash = createHash("sha256").update(clientDataJSON).digest();
      const signature = sign("sha256", Buffer.concat([authenticatorData, clientDataHash]), {
        key: privateKey,
        dsaEncoding: "der",
      });
      return Promise.resolve({
        authenticatorData,
        clientDataJSON,
        signature: new Uint8Array(signature),
      });
    },
  };
}

/**
 * A new software passkey with a fresh P-256 key.
 *
 * @example
 * const passkey = createSoftwarePasskey();
 * const account = computePatientAccountAddress(factory, implementation, passkey.publicKey);
 */
export function createSoftwarePasskey(options: SoftwarePasskeyOptions = {}): SoftwarePasskey {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return build(privateKey, options);
}
