import { InputError } from "./errors.js";

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
