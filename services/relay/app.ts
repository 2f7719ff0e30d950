import { Contract, Interface, getAddress, isAddress, isHexString } from "ethers";
import type { Provider, Signer } from "ethers";
import { Hono } from "hono";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { rateLimiter } from "hono-rate-limiter";

import { decodeRevert } from "../../sdk/errors.js";
import { stringifyJson } from "../../sdk/json.js";
import {
  PATIENT_ACCOUNT_FACTORY_ABI,
  RELAYED_ACTIONS,
  computePatientAccountAddress,
  isValidP256PublicKey,
} from "../../sdk/passkey/index.js";
import type { PasskeyPublicKey, RelayReceipt, RelayedAction } from "../../sdk/passkey/index.js";
import { PatientConsent__factory } from "../../typechain-types/index.js";
import { problemResponse } from "../problem.js";
import type { Problem } from "../problem.js";
import { PROBLEM_TYPES, badRequest } from "./problem.js";

/*
 * The relay: an HTTP endpoint that submits a patient's signed PatientConsent actions with its own
 * funded key, so a patient never needs gas. It builds every transaction itself from the ABI of
 * the signed-action functions (`RELAYED_ACTIONS`, the SDK's list): there is no way to make it call
 * anything else, and it can
 * only submit what the patient signed (the contract checks the signature; a changed field fails).
 */

/** The relay's configuration. */
export interface RelayConfig {
  /** The funded key that pays (connected to the chain's provider). */
  readonly signer: Signer;
  readonly provider: Provider;
  readonly chainId: bigint;
  readonly consentAddress: string;
  readonly factoryAddress: string;
  /** Requests per patient per window (default 10). */
  readonly limitPerPatient?: number;
  /** The window in milliseconds (default one minute). */
  readonly windowMs?: number;
  /** Origins allowed to call from a browser (default any: the relay holds no cookies). */
  readonly allowedOrigins?: readonly string[];
}

interface ParsedRequest {
  readonly action: RelayedAction;
  readonly patient: string;
  readonly message: Record<string, string | bigint>;
  readonly signature: string;
  readonly passkey: PasskeyPublicKey | undefined;
}

class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

const consentInterface = new Interface(PatientConsent__factory.abi);

function parseField(type: string, value: unknown, where: string): string | bigint {
  if (type === "address") {
    if (typeof value !== "string" || !isAddress(value)) {
      throw new ProblemError(badRequest(where, `${where} is not an address`));
    }
    return getAddress(value);
  }
  const bits = /^uint(\d+)$/.exec(type);
  if (bits !== null) {
    const ok =
      (typeof value === "string" && /^(0x[0-9a-fA-F]{1,64}|\d{1,78})$/.test(value)) ||
      (typeof value === "number" && Number.isSafeInteger(value) && value >= 0);
    const parsed = ok ? BigInt(value) : -1n;
    if (parsed < 0n || parsed >= 1n << BigInt(bits[1] ?? "256")) {
      throw new ProblemError(badRequest(where, `${where} is not a ${type}`));
    }
    return parsed;
  }
  throw new ProblemError(badRequest(where, `${where} has an unsupported type ${type}`));
}

function parseRequest(body: unknown, available: ReadonlySet<string>): ParsedRequest {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new ProblemError(badRequest("", "the body is not a JSON object"));
  }
  const record = body as Record<string, unknown>;
  const action = record["action"];
  if (typeof action !== "string" || !available.has(action)) {
    throw new ProblemError({
      type: PROBLEM_TYPES.unknownAction,
      title: "Unknown action",
      status: 400,
      detail: `action must be one of ${[...available].join(", ")}`,
      field: "action",
    });
  }
  const fragment = consentInterface.getFunction(action);
  const struct = fragment?.inputs[0];
  if (fragment === null || struct?.components === null || struct === undefined) {
    throw new ProblemError(badRequest("action", `${action} is not a signed action`));
  }
  const raw = record["message"];
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ProblemError(badRequest("message", "message is not a JSON object"));
  }
  const fields = raw as Record<string, unknown>;
  const message: Record<string, string | bigint> = {};
  for (const component of struct.components) {
    message[component.name] = parseField(
      component.type,
      fields[component.name],
      `message.${component.name}`,
    );
  }
  const extra = Object.keys(fields).find((key) => !struct.components?.some((c) => c.name === key));
  if (extra !== undefined)
    throw new ProblemError(
      badRequest(`message.${extra}`, `message.${extra} is not a field of ${action}`),
    );
  const signature = record["signature"];
  if (
    typeof signature !== "string" ||
    !isHexString(signature) ||
    signature.length < 4 ||
    signature.length > 8194
  ) {
    throw new ProblemError(
      badRequest("signature", "signature is not a hex string of at most 4 KiB"),
    );
  }
  let passkey: PasskeyPublicKey | undefined;
  const key = record["passkey"];
  if (key !== undefined) {
    const candidate = key as Record<string, unknown>;
    if (
      typeof key !== "object" ||
      key === null ||
      typeof candidate["qx"] !== "string" ||
      typeof candidate["qy"] !== "string" ||
      !isHexString(candidate["qx"], 32) ||
      !isHexString(candidate["qy"], 32) ||
      !isValidP256PublicKey({ qx: candidate["qx"], qy: candidate["qy"] })
    ) {
      throw new ProblemError(badRequest("passkey", "passkey is not a P-256 public key {qx, qy}"));
    }
    passkey = { qx: candidate["qx"], qy: candidate["qy"] };
  }
  const patient = message["patient"];
  if (typeof patient !== "string")
    throw new ProblemError(badRequest("message.patient", "message.patient is missing"));
  return { action: action as ParsedRequest["action"], patient, message, signature, passkey };
}

/** The patient a request is about, for the rate limit (before full validation). */
async function patientKey(c: Context): Promise<string> {
  try {
    const body = await c.req.json<{ message?: { patient?: unknown } }>();
    const patient = body.message?.patient;
    return typeof patient === "string" && isAddress(patient) ? getAddress(patient) : "invalid";
  } catch {
    return "invalid";
  }
}

/**
 * The relay as a Hono app: `POST /v1/actions` submits one signed action, `GET /v1/health` says
 * where it submits. Everything else is a problem response.
 *
 * @example
 * const app = createRelayApp({ signer, provider, chainId, consentAddress, factoryAddress });
 * serve({ fetch: app.fetch, port: 0 });
 */
export function createRelayApp(config: RelayConfig): Hono {
  const available = new Set<string>(
    RELAYED_ACTIONS.filter((action) => consentInterface.getFunction(action) !== null),
  );
  const consent = new Contract(config.consentAddress, PatientConsent__factory.abi, config.signer);
  const factory = new Contract(config.factoryAddress, PATIENT_ACCOUNT_FACTORY_ABI, config.signer);
  let implementation: Promise<string> | undefined;

  const app = new Hono();
  app.use(
    "*",
    cors({
      origin: config.allowedOrigins === undefined ? "*" : [...config.allowedOrigins],
      allowMethods: ["GET", "POST"],
      allowHeaders: ["content-type"],
    }),
  );
  app.get("/v1/health", (c) =>
    c.json({
      chainId: config.chainId.toString(),
      consent: config.consentAddress,
      factory: config.factoryAddress,
      actions: [...available],
    }),
  );
  app.post(
    "/v1/actions",
    rateLimiter({
      windowMs: config.windowMs ?? 60_000,
      limit: config.limitPerPatient ?? 10,
      standardHeaders: "draft-7",
      keyGenerator: patientKey,
      handler: (c: Context) =>
        problemResponse(c, {
          type: PROBLEM_TYPES.rateLimited,
          title: "Too many requests for this patient",
          status: 429,
          detail: `at most ${config.limitPerPatient ?? 10} actions per patient every ${Math.round((config.windowMs ?? 60_000) / 1000)} s; try again later`,
        }),
    }),
    async (c) => {
      let body: unknown;
      try {
        body = await c.req.json();
      } catch {
        return problemResponse(c, badRequest("", "the body is not JSON"));
      }
      try {
        const request = parseRequest(body, available);
        let deployedAccount = false;
        if (request.passkey !== undefined) {
          implementation ??= factory.getFunction("implementation").staticCall() as Promise<string>;
          const expected = computePatientAccountAddress(
            config.factoryAddress,
            await implementation,
            request.passkey,
          );
          if (expected !== request.patient) {
            throw new ProblemError(
              badRequest("passkey", "this passkey's account is not message.patient"),
            );
          }
          if ((await config.provider.getCode(expected)) === "0x") {
            const tx = (await factory.getFunction("createAccount")(
              request.passkey.qx,
              request.passkey.qy,
            )) as {
              wait(): Promise<unknown>;
            };
            await tx.wait();
            deployedAccount = true;
          }
        }
        const fn = consent.getFunction(request.action);
        const args = [request.message, request.signature];
        try {
          await fn.staticCall(...args);
        } catch (error) {
          const revert = decodeRevert(error, [consentInterface]);
          if (revert === undefined) throw error;
          throw new ProblemError({
            type: PROBLEM_TYPES.rejected,
            title: "PatientConsent refused the action",
            status: 422,
            detail: revert.message,
            error: revert.errorName,
            args: JSON.parse(stringifyJson(revert.args)) as unknown,
          });
        }
        const tx = (await fn(...args)) as {
          wait(): Promise<{ hash: string; blockNumber: number; gasUsed: bigint } | null>;
        };
        const receipt = await tx.wait();
        if (receipt === null) throw new Error("no receipt");
        const answer: RelayReceipt = {
          action: request.action,
          patient: request.patient,
          transactionHash: receipt.hash,
          blockNumber: receipt.blockNumber,
          gasUsed: receipt.gasUsed.toString(),
          deployedAccount,
        };
        return c.json(answer);
      } catch (error) {
        if (error instanceof ProblemError) return problemResponse(c, error.problem);
        return problemResponse(c, {
          type: PROBLEM_TYPES.unavailable,
          title: "The relay could not submit the action",
          status: 503,
          detail: error instanceof Error ? (error.message.split("\n")[0] ?? "unknown") : "unknown",
        });
      }
    },
  );
  app.notFound((c) =>
    problemResponse(c, {
      type: PROBLEM_TYPES.notFound,
      title: "Not found",
      status: 404,
      detail: `${c.req.method} ${new URL(c.req.url).pathname} is not a relay endpoint: POST /v1/actions, GET /v1/health`,
    }),
  );
  return app;
}
