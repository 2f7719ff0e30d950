import { getAddress, isAddress } from "ethers";

/*
 * How participants appear to people: by their public company name (the contract's `nameOf`),
 * with the address short beside it, so a pharmacist reads "Acme Pharma GmbH (0x7099…79C8)"
 * rather than hex. Names are public company names that a regulator registered, never personal data.
 */

/**
 * An address shortened for people: `0x` and four hex digits, an ellipsis, the last four.
 *
 * @example
 * shortAddress("0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); // "0x7099…79C8"
 */
export function shortAddress(address: string): string {
  const checksummed = isAddress(address) ? getAddress(address) : address;
  return `${checksummed.slice(0, 6)}…${checksummed.slice(-4)}`;
}

/**
 * A participant for people: its name with the short address beside it, or the short address
 * alone when it has no name. Control characters (which the contract refuses anyway) are dropped,
 * so a name can never move a terminal's cursor or fake a line.
 *
 * @example
 * formatParticipant("Acme Pharma GmbH", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
 * // "Acme Pharma GmbH (0x7099…79C8)"
 * formatParticipant("", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); // "0x7099…79C8"
 */
export function formatParticipant(name: string, address: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = name.replace(/[\u0000-\u001f\u007f]/g, "").trim();
  return shown === "" ? shortAddress(address) : `${shown} (${shortAddress(address)})`;
}

/** The longest display name in bytes of UTF-8 (the contract's `MAX_NAME_LENGTH`). */
export const MAX_NAME_LENGTH = 64;

/**
 * Why a display name cannot go on chain (at most 64 bytes of UTF-8, no control characters), or
 * `undefined` when it can. The contract applies the same rule.
 *
 * @example
 * describeNameProblem("Acme Pharma GmbH"); // undefined
 */
export function describeNameProblem(name: string): string | undefined {
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_NAME_LENGTH) {
    return `name "${name}" is ${bytes} bytes long; at most ${MAX_NAME_LENGTH} (UTF-8)`;
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return `name "${name}" contains a control character`;
  return undefined;
}
