import { readFile } from "node:fs/promises";

import { InputError } from "./errors.js";

/*
 * JSON files read from disk, each refusal in one line (Node only: `sdk/json.ts`, which the pages
 * bundle, stays free of `node:fs`).
 */

/**
 * Reads and parses the JSON file `file`; `what` names it in the refusals, e.g. "participants file
 * not found: p.json" and "participants file p.json is not JSON" (`notJson` words the end of the
 * second from the parser's message).
 *
 * @throws InputError when the file cannot be read or is not JSON.
 * @example
 * const data = await readJsonFile(file, "EPCIS document", (reason) => `is not JSON: ${reason}`);
 */
export async function readJsonFile(
  file: string,
  what: string,
  notJson: (reason: string) => string = () => "is not JSON",
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new InputError(`${what} not found: ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(`${what} ${file} ${notJson((error as Error).message)}`);
  }
}
