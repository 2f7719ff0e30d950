import { createHash, randomBytes } from "node:crypto";

import type { HttpBindings } from "@hono/node-server";
import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono } from "hono";
import type { Context } from "hono";
import { accepts } from "hono/accepts";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { rateLimiter } from "hono-rate-limiter";

import { InputError } from "../../sdk/errors.js";
import { problemResponse } from "../problem.js";
import { encodeDigitalLinkValue, parseDigitalLinkPath } from "../../sdk/drug-trace/gs1.js";
import type { DigitalLinkKey } from "../../sdk/drug-trace/gs1.js";
import { VERIFICATION_LINK_TYPE } from "../../sdk/drug-trace/resolver-answer.js";
import type { VerificationAnswer } from "../../sdk/drug-trace/resolver-answer.js";
import { serialIndexOf } from "../../sdk/drug-trace/serial-index.js";
import type { SerialIndex } from "../../sdk/drug-trace/serial-index.js";

/*
 * The GS1 Digital Link resolver's HTTP side (Hono): content negotiation per the GS1 resolver
 * standard, the verification answer, the RFC 9264 link set, RFC 9457 problems, CORS, per-client
 * rate limiting. It keeps no state but the rate limiter's counters (salted hashes, never
 * addresses) and reads lots through a `Catalogue`, so any number of instances can serve the same
 * tree files behind a load balancer.
 */

/** Where the resolver finds a lot's index. */
export interface Catalogue {
  find(gtin: string, lot: string): SerialIndex | undefined;
  /** How many lots it serves (for the health check; never which ones). */
  readonly size: number;
}

/** Counts lookups of dispensed packs (see `lookups.ts`); absent when the resolver does not count. */
export interface LookupCounter {
  /** Records one lookup of a pack; the count since it was dispensed, or `null` when it is not. */
  record(answer: Omit<VerificationAnswer, "lookups">): Promise<{ sinceDispensed: number } | null>;
}

/** What a resolver serves and how. */
export interface ResolverOptions {
  catalogue: Catalogue;
  chainId: number;
  /** The DrugTrace contract address. */
  contract: string;
  /** The verifier page a browser is sent to, with `?code=<Digital Link>`. */
  verifierUrl: string;
  /** The public origin (and path prefix) of this resolver, e.g. `https://id.example.com`; default: the request's. */
  publicUrl?: string;
  /** Requests per client per minute; `0` turns the limiter off. */
  rateLimit: number;
  /** Key clients by the last `X-Forwarded-For` entry (behind a load balancer that sets it). */
  trustProxy?: boolean;
  lookups?: LookupCounter;
}

/** The GS1 Web Vocabulary IRI of a `gs1:` link type. */
const GS1_VOC = "https://gs1.org/voc/";

const LINKSET_TYPE = "application/linkset+json";
const MAX_TARGET_LENGTH = 1024;

type Env = { Bindings: Partial<HttpBindings> };

/** Which field a parser message is about, for the problem's `field` member. */
function fieldOf(message: string): string {
  if (/^GTIN|GTIN \(01\)/.test(message)) return "gtin";
  if (/lot \(10\)/.test(message)) return "lot";
  if (/serial \(21\)/.test(message)) return "serial";
  if (/^expiry|AI \(17\)/.test(message)) return "expiry";
  if (/variant \(22\)/.test(message)) return "cpv";
  return "path";
}

/** A problem answer (`problemResponse`) whose status says it all (`type: about:blank`). */
function problem(
  c: Context<Env>,
  status: 400 | 404 | 405 | 429 | 500,
  title: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Response {
  return problemResponse(c, { type: "about:blank", title, status, detail, ...extra });
}

/** Node's request, when served by `@hono/node-server` (not in `app.request` tests). */
function incomingOf(c: Context<Env>): HttpBindings["incoming"] | undefined {
  return (c.env as Partial<HttpBindings> | undefined)?.incoming;
}

/** The request target as sent (path and query), without URL normalisation of `.` segments. */
function rawTarget(c: Context<Env>): string {
  const sent = incomingOf(c)?.url;
  if (sent !== undefined && sent.startsWith("/")) return sent;
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

/** The canonical Digital Link path of a key: `/01/<GTIN>[/22/…][/10/…][/21/…][?17=…]`. */
function canonicalPath(key: DigitalLinkKey): string {
  let path = `/01/${key.gtin}`;
  if (key.cpv !== undefined) path += `/22/${encodeDigitalLinkValue(key.cpv)}`;
  if (key.lot !== undefined) path += `/10/${encodeDigitalLinkValue(key.lot)}`;
  if (key.serial !== undefined) path += `/21/${encodeDigitalLinkValue(key.serial)}`;
  const query = [...key.attributes]
    .map(([ai, value]) => `${ai}=${encodeURIComponent(value)}`)
    .join("&");
  return query === "" ? path : `${path}?${query}`;
}

/** The rate limiter's key for a client: a salted hash of its address, so no address is stored. */
function clientKeyOf(salt: Buffer, trustProxy: boolean): (c: Context<Env>) => string {
  return (c) => {
    let address: string | undefined;
    if (trustProxy) {
      const forwarded = c.req.header("x-forwarded-for");
      address = forwarded?.split(",").pop()?.trim();
    }
    if (address === undefined || address === "") {
      address = incomingOf(c) === undefined ? "in-process" : getConnInfo(c).remote.address;
    }
    return createHash("sha256")
      .update(salt)
      .update(address ?? "unknown")
      .digest("base64url")
      .slice(0, 22);
  };
}

/**
 * The resolver as a Hono app: serve it with `@hono/node-server`, or call `app.request` in tests.
 *
 * @example
 * const app = createResolverApp({ catalogue, chainId: 31337, contract, verifierUrl, rateLimit: 120 });
 * serve({ fetch: app.fetch, port: 0 });
 */
export function createResolverApp(options: ResolverOptions): Hono<Env> {
  const app = new Hono<Env>();
  const verifierUrl = options.verifierUrl;

  app.use(secureHeaders({ crossOriginResourcePolicy: "cross-origin" }));
  app.use(
    cors({
      origin: "*",
      allowMethods: ["GET", "HEAD", "OPTIONS"],
      allowHeaders: ["Accept"],
      exposeHeaders: ["Link", "Location"],
      maxAge: 86400,
    }),
  );
  if (options.rateLimit > 0) {
    app.use(
      rateLimiter<Env>({
        windowMs: 60_000,
        limit: options.rateLimit,
        standardHeaders: "draft-6",
        keyGenerator: clientKeyOf(randomBytes(32), options.trustProxy === true),
        handler: (c) =>
          problem(
            c,
            429,
            "Too Many Requests",
            `more than ${options.rateLimit} requests a minute from this client; try again in a minute`,
          ),
      }),
    );
  }

  app.onError((error, c) => {
    console.error(`resolver: ${error.name}: ${error.message}`);
    return problem(
      c,
      500,
      "Internal Server Error",
      "the resolver could not answer; try again later",
    );
  });
  app.notFound((c) => problem(c, 404, "Not Found", "nothing is served at this path"));

  app.get("/.well-known/gs1resolver", (c) => {
    const base = options.publicUrl ?? new URL(c.req.url).origin;
    return c.json({
      name: "carechain GS1 Digital Link resolver",
      resolverRoot: base,
      supportedPrimaryKeys: ["01"],
      supportedLinkTypes: [
        { namespace: GS1_VOC, prefix: "gs1:", linkType: VERIFICATION_LINK_TYPE },
        { namespace: GS1_VOC, prefix: "gs1:", linkType: "gs1:defaultLink" },
      ],
      linkTypeDefaultCanBeLinkset: false,
    });
  });
  app.get("/healthz", (c) => {
    c.header("Cache-Control", "no-store");
    return c.json({ status: "ok", lots: options.catalogue.size });
  });

  app.get("*", async (c) => {
    const target = rawTarget(c);
    if (target.length > MAX_TARGET_LENGTH) {
      return problem(
        c,
        400,
        "Bad Request",
        `the request path is longer than ${MAX_TARGET_LENGTH} characters`,
        {
          field: "path",
        },
      );
    }
    let key: DigitalLinkKey;
    try {
      key = parseDigitalLinkPath(target);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return problem(c, 400, "Bad Request", error.message, { field: fieldOf(error.message) });
    }
    const base = (options.publicUrl ?? new URL(c.req.url).origin).replace(/\/+$/, "") + key.prefix;
    const link = base + canonicalPath(key);
    const verificationHref = `${link}${link.includes("?") ? "&" : "?"}linkType=${VERIFICATION_LINK_TYPE}`;
    const defaultHref = `${verifierUrl}${verifierUrl.includes("?") ? "&" : "?"}code=${encodeURIComponent(link)}`;
    c.header("Vary", "Accept");
    c.header(
      "Link",
      `<${verificationHref}>; rel="${GS1_VOC}verificationService"; type="application/json", ` +
        `<${defaultHref}>; rel="${GS1_VOC}defaultLink"; type="text/html", ` +
        `<${link}${link.includes("?") ? "&" : "?"}linkType=all>; rel="linkset"; type="${LINKSET_TYPE}"`,
    );

    const linkType = key.parameters.get("linkType");
    const wanted =
      linkType !== undefined
        ? linkType
        : accepts(c, {
            header: "Accept",
            supports: ["text/html", "application/json", LINKSET_TYPE],
            default: "text/html",
          });
    if (wanted === "all" || wanted === "linkset" || wanted === LINKSET_TYPE) {
      c.header("Content-Type", LINKSET_TYPE);
      c.header("Cache-Control", "public, max-age=3600");
      return c.body(
        JSON.stringify({
          linkset: [
            {
              anchor: link,
              [`${GS1_VOC}verificationService`]: [
                { href: verificationHref, title: "Verify this pack", type: "application/json" },
              ],
              [`${GS1_VOC}defaultLink`]: [
                { href: defaultHref, title: "Pack verifier", type: "text/html" },
              ],
            },
          ],
        }),
      );
    }
    const verification =
      wanted === VERIFICATION_LINK_TYPE ||
      wanted === `${GS1_VOC}verificationService` ||
      wanted === "application/json";
    if (!verification) {
      // a browser, the default link, or a link type this resolver does not have
      c.header("Cache-Control", "public, max-age=3600");
      return c.redirect(defaultHref, 307);
    }
    if (key.lot === undefined || key.serial === undefined) {
      const field = key.lot === undefined ? "lot" : "serial";
      return problem(
        c,
        400,
        "Bad Request",
        `the verification service needs the ${field} (/${field === "lot" ? "10" : "21"}/…) in the path`,
        {
          field,
        },
      );
    }
    // Unknown lot and unknown serial give one answer, after the same kind of work (a lookup).
    const index = options.catalogue.find(key.gtin, key.lot) ?? UNKNOWN_LOT;
    const unit = index.lookup(key.serial);
    if (unit === undefined || index === UNKNOWN_LOT) {
      return problem(
        c,
        404,
        "Not Found",
        "no pack with this GTIN, lot and serial is registered here",
      );
    }
    const answer: Omit<VerificationAnswer, "lookups"> = {
      gtin: key.gtin,
      lot: key.lot,
      serial: key.serial,
      batchId: index.batchId,
      index: String(unit.index),
      proof: unit.proof,
      root: index.root,
      chainId: options.chainId,
      contract: options.contract,
    };
    const lookups = options.lookups === undefined ? null : await options.lookups.record(answer);
    c.header("Cache-Control", options.lookups === undefined ? "public, max-age=300" : "no-store");
    return c.json({ ...answer, lookups } satisfies VerificationAnswer);
  });

  app.all("*", (c) =>
    problem(c, 405, "Method Not Allowed", "the resolver answers GET and HEAD only"),
  );
  return app;
}

/**
 * The index an unknown lot is looked up in: a real one-unit index, so that an unknown lot costs the
 * binary search and leaf hash an unknown serial of a known lot does.
 */
const UNKNOWN_LOT: SerialIndex = serialIndexOf(["-"], "09506000134352", "-");
