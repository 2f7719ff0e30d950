import type { Problem } from "../problem.js";

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

/** A bad request naming the field at fault. */
export function badRequest(field: string, detail: string): Problem {
  return { type: PROBLEM_TYPES.badRequest, title: "Bad request", status: 400, detail, field };
}
