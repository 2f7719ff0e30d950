import { InputError } from "./errors.js";

/*
 * JSON as the SDK reads and writes it: a file that must be one object, refused in one line; and
 * bigints written as their decimal text.
 */

/**
 * Parses `json` that must be one JSON object (a label file, a signed grant…); `what` names it in
 * the refusal, e.g. "the label file is not valid JSON".
 *
 * @throws InputError when `json` is not JSON, or is JSON but not an object (an array, a string…).
 * @example
 * const labels = parseJsonObject(text, "the label file", "a JSON object of address: name");
 */
export function parseJsonObject(
  json: string,
  what: string,
  shape = "a JSON object",
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError(`${what} is not valid JSON`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${what} is not ${shape}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * `value` as JSON with every bigint as its decimal text (the SDK's one rule for amounts, ids and
 * timestamps in JSON, which has no integers beyond 2^53).
 *
 * @example
 * stringifyJson({ nonce: 7n }); // '{"nonce":"7"}'
 */
export function stringifyJson(value: unknown, space?: number): string {
  return JSON.stringify(
    value,
    (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item),
    space,
  );
}
