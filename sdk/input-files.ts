import { readFile } from "node:fs/promises";

import { InputError } from "./errors.js";

/*
 * Documents handed over as files (EPCIS, FHIR, participants, serial trees): read and parsed in one
 * step, each refusal in one line, and a document's problems listed one per line. Node only:
 * `sdk/json.ts`, which the pages bundle, stays free of `node:fs`.
 */

/**
 * A document refused for one or more problems: the message is a first line naming the document,
 * what is wrong with it and that nothing was sent, then one line per problem.
 *
 * @example
 * class FhirResourceError extends DocumentProblemsError<FhirProblem> { … }
 */
export class DocumentProblemsError<P> extends InputError {
  constructor(
    readonly source: string,
    readonly problems: readonly P[],
    what: string,
    line: (problem: P) => string,
  ) {
    super(
      [
        `${source} ${what} (${problems.length} problem${problems.length === 1 ? "" : "s"}, nothing sent):`,
        ...problems.map(line),
      ].join("\n"),
    );
  }
}

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
