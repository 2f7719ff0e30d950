import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/*
 * RFC 9457 problem details, as both services (the resolver and the relay) answer a request they
 * refuse: one shape, one content type, never cached.
 */

/** The media type of a problem answer. */
export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** An RFC 9457 problem detail, with the service's extension members (e.g. `field`, `error`). */
export interface Problem {
  /** A URI a client can switch on, or `about:blank` when the status says it all. */
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

/**
 * Answers `problem` as `application/problem+json` with its status, `Cache-Control: no-store`.
 *
 * @example
 * return problemResponse(c, { type: "about:blank", title: "Not Found", status: 404, detail: "…" });
 */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": PROBLEM_CONTENT_TYPE,
    "cache-control": "no-store",
  });
}
