/*
 * The browser tests' runner (scripts/test-web.ts, scripts/test-consent-page.ts): each check prints
 * ✔ or ✖ with the SDK's one-line reason; `reportChecks` prints "N passed, N failed" last and sets
 * a non-zero exit code on any failure.
 */
import { describeError } from "../sdk/errors.js";
import { stringifyJson } from "../sdk/json.js";

const tally = { passed: 0, failed: 0 };

/** A failure outside any check (setting up, a run that stopped): counted and printed as one. */
export function fail(what: string, error: unknown): void {
  tally.failed++;
  console.log(`  ✖ ${what}\n      ${describeError(error)}`);
}

/** Runs one named check: ✔ when `body` completes, ✖ with the reason when it throws. */
export async function check(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
    tally.passed++;
    console.log(`  ✔ ${name}`);
  } catch (error) {
    fail(name, error);
  }
}

/** Throws unless `actual` and `expected` are the same as JSON (bigints as decimals). */
export function expectEqual<T>(actual: T, expected: T, what: string): void {
  const a = stringifyJson(actual);
  const e = stringifyJson(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws unless `text` includes `part`. */
export function expectIncludes(text: string, part: string, what: string): void {
  if (!text.includes(part))
    throw new Error(
      `${what}: expected it to include ${JSON.stringify(part)}, got ${JSON.stringify(text)}`,
    );
}

/** Prints "N passed, N failed" and sets the exit code: non-zero on any failure. */
export function reportChecks(): void {
  console.log(`${tally.passed} passed, ${tally.failed} failed`);
  process.exitCode = tally.failed > 0 ? 1 : 0;
}
