import { writeFile } from "node:fs/promises";

import { InputError } from "../../sdk/errors.js";

/**
 * Writes `value` to `file` as indented JSON (a task's FHIR or EPCIS document); a file that cannot
 * be written is the person's input error ("cannot write …"), not a stack trace.
 *
 * @example
 * await writeJsonFile(args.fhir, bundle);
 */
export async function writeJsonFile(file: string, value: unknown): Promise<void> {
  try {
    await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw new InputError(`cannot write ${file}: ${(error as Error).message}`);
  }
}
