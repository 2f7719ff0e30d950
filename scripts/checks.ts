import { describeError } from "../sdk/errors.js";

/*
 * The browser tests' own small test runner (`npm run test:web`, `npm run test:consent-page`):
 * named checks that go on after a failure, and a last line "N passed, N failed" that
 * `.ci/run` adds up; the exit code is non-zero on any failure.
 */

const results = { passed: 0, failed: 0 };

/** Runs one named check; prints ✔ or ✖ with the reason, and counts it. */
export async function check(name: string, body: () => Promise<void> | void): Promise<void> {
  try {
    await body();
    results.passed++;
    console.log(`  ✔ ${name}`);
  } catch (error) {
    results.failed++;
    console.log(`  ✖ ${name}\n      ${describeError(error)}`);
  }
}

/** Counts a failure outside any check, e.g. of the set-up, with what was being done. */
export function failOutsideChecks(what: string, error: unknown): void {
  results.failed++;
  console.log(`  ✖ ${what}\n      ${describeError(error)}`);
  if (process.env.CARECHAIN_DEBUG === "1") console.error(error);
}

/** Prints "N passed, N failed" and sets the exit code. */
export function reportChecks(): void {
  console.log(`${results.passed} passed, ${results.failed} failed`);
  process.exitCode = results.failed > 0 ? 1 : 0;
}

/** Throws unless `actual` and `expected` are equal as JSON (bigints as decimal text). */
export function expectEqual<T>(actual: T, expected: T, what: string): void {
  const json = (value: unknown): string =>
    JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
  const a = json(actual);
  const e = json(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws unless `text` includes `part`. */
export function expectIncludes(text: string, part: string, what: string): void {
  if (!text.includes(part))
    throw new Error(
      `${what}: expected it to include ${JSON.stringify(part)}, got ${JSON.stringify(text)}`,
    );
}
