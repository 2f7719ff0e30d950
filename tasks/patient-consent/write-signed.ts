import { writeFileSync } from "node:fs";

import { InputError } from "../../sdk/errors.js";

/**
 * Prints a signed action's JSON on stdout, or writes it to `--out` and prints one line saying
 * what was written and how to submit it.
 */
export function writeSigned(json: string, out: string | undefined, written: string): void {
  const path = (out ?? "").trim();
  if (path === "") {
    console.log(json);
    return;
  }
  try {
    writeFileSync(path, `${json}\n`);
  } catch (error) {
    throw new InputError(`--out ${path}: ${(error as Error).message}`);
  }
  console.log(
    `wrote ${written} to ${path}: anyone may submit it with 'consent submit --grant ${path}'`,
  );
}
