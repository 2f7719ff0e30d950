import { expect } from "chai";

import { InputError } from "../../sdk/errors.js";

/*
 * The message of a refused input: the test fails unless the refusal is an `InputError` (the SDK's
 * error for input a person can correct). Written once for every test of a refused input.
 */

function messageOf(error: unknown): string {
  expect(error).to.be.instanceOf(InputError);
  return (error as InputError).message;
}

/**
 * The message of the `InputError` that `action` throws.
 *
 * @example
 * expect(inputErrorThrownBy(() => parseQuantityOption("0", "--quantity"))).to.match(/at least 1/);
 */
export function inputErrorThrownBy(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return messageOf(error);
  }
  throw new Error("expected an InputError");
}

/**
 * The message of the `InputError` that `action` rejects with.
 *
 * @example
 * expect(await inputErrorOf(submitFhir(s, { fhir: file }))).to.match(/not a FHIR Claim/);
 */
export function inputErrorOf(action: Promise<unknown>): Promise<string> {
  return action.then(() => {
    throw new Error("expected an InputError");
  }, messageOf);
}

/**
 * `text` equals `message`, or matches it when it is a pattern.
 *
 * @example
 * expectText(inputErrorThrownBy(() => validateGtin("1")), /has 1 digit/);
 */
export function expectText(text: string, message: string | RegExp): void {
  if (typeof message === "string") expect(text).to.equal(message);
  else expect(text).to.match(message);
}
