import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An RFC 9457 problem detail as the relay answers it (`application/problem+json`). */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly [extension: string]: unknown;
}

/** The relay's problem types, each a stable URI a client can switch on. */
export const PROBLEM_TYPES = {
  badRequest: "https://carechain.dev/problems/relay/bad-request",
  unknownAction: "https://carechain.dev/problems/relay/unknown-action",
  notFound: "https://carechain.dev/problems/relay/not-found",
  methodNotAllowed: "https://carechain.dev/problems/relay/method-not-allowed",
  rateLimited: "https://carechain.dev/problems/relay/rate-limited",
  rejected: "https://carechain.dev/problems/relay/rejected-by-contract",
  unavailable: "https://carechain.dev/problems/relay/unavailable",
} as const;

/**
 * Answers `problem` as `application/problem+json` with its status.
 *
 * @example
 * return problemResponse(c, { type: PROBLEM_TYPES.badRequest, title: "Bad request", status: 400, detail: "…" });
 */
export function problemResponse(c: Context, problem: Problem): Response {
  return c.body(JSON.stringify(problem), problem.status as ContentfulStatusCode, {
    "content-type": "application/problem+json",
  });
}

/** A bad request naming the field at fault. */
export function badRequest(field: string, detail: string): Problem {
  return { type: PROBLEM_TYPES.badRequest, title: "Bad request", status: 400, detail, field };
}
