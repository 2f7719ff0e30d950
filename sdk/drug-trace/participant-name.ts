import { Contract, isError } from "ethers";
import type { ContractRunner } from "ethers";

/*
 * Participants by name (API 1 of the DrugTrace trust work): `nameOf(address)` gives the public
 * display name of a brand owner, distributor or pharmacy, "" when it has none. Read tolerantly
 * here, through a one-function ABI, so a page pointed at a deployment that predates `nameOf` still
 * works: it shows the short address alone.
 */

const NAME_OF_ABI = ["function nameOf(address account) view returns (string)"] as const;

/**
 * The display name of `account` on a DrugTrace deployment, or "" when it has none, when the
 * deployment has no `nameOf` (an older contract answers with empty data or reverts), or when the
 * name cannot be decoded. A node that cannot be reached still throws: that is not "no name".
 *
 * @example
 * const name = await readDisplayName(drugTrace, pharmacy); // "Apotheke am Markt" or ""
 */
export async function readDisplayName(
  drugTrace: { getAddress(): Promise<string>; readonly runner: ContractRunner | null },
  account: string,
): Promise<string> {
  const names = new Contract(await drugTrace.getAddress(), NAME_OF_ABI, drugTrace.runner);
  try {
    const name = (await names.getFunction("nameOf").staticCall(account)) as unknown;
    return typeof name === "string" ? name.trim() : "";
  } catch (error) {
    // a revert or undecodable answer means "no names here"; a node that cannot be reached does not
    if (
      isError(error, "NETWORK_ERROR") ||
      isError(error, "TIMEOUT") ||
      isError(error, "SERVER_ERROR")
    ) {
      throw error;
    }
    return "";
  }
}

/** `0x7099…79C8`: the first 4 and last 4 hex digits of an address. */
export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

/**
 * A participant for people: `"Acme Pharma GmbH (0x7099…79C8)"`, or the short address alone when
 * it has no name.
 *
 * @example
 * formatParticipant("", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"); // "0x7099…79C8"
 */
export function formatParticipant(name: string, address: string): string {
  return name === "" ? shortAddress(address) : `${name} (${shortAddress(address)})`;
}
