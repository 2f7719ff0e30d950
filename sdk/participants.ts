import { getAddress, isAddress } from "ethers";

import { InputError } from "./errors.js";
import { readJsonFile } from "./input-files.js";

/*
 * The participants file: who an on-chain account is in the industry's own identifiers, so EPCIS
 * documents name parties and places by GS1 GLN/PGLN and FHIR resources name patients, providers
 * and insurers by their FHIR references. It stays off chain (the chain knows addresses only).
 *
 * {
 *   "participants": [
 *     { "account": "0x7099…79C8", "pgln": "9506000000017", "gln": "9506000000024",
 *       "fhir": "Organization/example-manufacturer" }
 *   ]
 * }
 *
 * - `account` (required): the 0x address, any case.
 * - `pgln`: the party's GS1 Global Location Number as a party (AI 417), 13 digits, check digit
 *   validated; EPCIS source/destination owning and possessing party.
 * - `gln`: the GLN of the site where the account acts (AI 414), 13 digits; EPCIS read point and
 *   business location.
 * - `fhir`: the FHIR reference that names the account in FHIR resources, e.g. `Patient/…`,
 *   `Organization/…`, `Practitioner/…` (a pseudonymous id: no names in it).
 * Every account appears once; a PGLN, GLN-as-site may be shared, a FHIR reference may not.
 */

/** One participant: an account and its identifiers. */
export interface Participant {
  /** Checksummed address. */
  readonly account: string;
  readonly pgln?: string;
  readonly gln?: string;
  readonly fhir?: string;
}

/** The participants of a file, looked up by account or by FHIR reference. */
export interface Participants {
  readonly list: readonly Participant[];
  /** The participant of an account (any case), if the file has it. */
  byAccount(account: string): Participant | undefined;
  /** The participant a FHIR reference (`Organization/…`) names, if the file has it. */
  byFhirReference(reference: string): Participant | undefined;
}

/** No participants: every account is exported as itself. */
export const NO_PARTICIPANTS: Participants = participantsOf([]);

/**
 * Whether a 13- or 14-digit GS1 key (GLN, GTIN) carries a correct mod-10 check digit.
 *
 * @example
 * hasValidGs1CheckDigit("9506000000017"); // true
 */
export function hasValidGs1CheckDigit(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  const body = digits.slice(0, -1);
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    sum += i % 2 === 0 ? digit * 3 : digit;
  }
  return (10 - (sum % 10)) % 10 === Number(digits.at(-1));
}

function checkGln(value: unknown, where: string): string {
  if (typeof value !== "string" || !/^\d{13}$/.test(value)) {
    throw new InputError(`${where} must be a 13-digit GLN, found ${JSON.stringify(value)}`);
  }
  if (!hasValidGs1CheckDigit(value)) {
    throw new InputError(`${where} ${value} has a bad check digit`);
  }
  return value;
}

/**
 * Participants from parsed JSON (see the file format above); `source` names it in messages.
 *
 * @throws InputError naming the entry and field that is wrong.
 * @example
 * const participants = parseParticipants({ participants: [{ account: "0x…", pgln: "9506000000017" }] });
 */
export function parseParticipants(data: unknown, source = "participants file"): Participants {
  const list = (data as { participants?: unknown } | null)?.participants;
  if (!Array.isArray(list)) {
    throw new InputError(`${source} must be a JSON object with a "participants" list`);
  }
  const participants: Participant[] = [];
  list.forEach((entry: unknown, i) => {
    const where = `${source} participants[${i}]`;
    if (typeof entry !== "object" || entry === null)
      throw new InputError(`${where} is not an object`);
    const raw = entry as Record<string, unknown>;
    const unknownKeys = Object.keys(raw).filter(
      (key) => !["account", "pgln", "gln", "fhir"].includes(key),
    );
    if (unknownKeys.length > 0) {
      throw new InputError(
        `${where} has unknown field ${unknownKeys.join(", ")}: use account, pgln, gln, fhir`,
      );
    }
    if (typeof raw.account !== "string" || !isAddress(raw.account)) {
      throw new InputError(`${where}.account must be a 0x address`);
    }
    const participant: {
      account: string;
      pgln?: string;
      gln?: string;
      fhir?: string;
    } = { account: getAddress(raw.account) };
    if (raw.pgln !== undefined) participant.pgln = checkGln(raw.pgln, `${where}.pgln`);
    if (raw.gln !== undefined) participant.gln = checkGln(raw.gln, `${where}.gln`);
    if (raw.fhir !== undefined) {
      if (
        typeof raw.fhir !== "string" ||
        !/^[A-Z][A-Za-z]+\/[A-Za-z0-9\-.]{1,64}$/.test(raw.fhir)
      ) {
        throw new InputError(
          `${where}.fhir must be a FHIR reference such as Organization/example-pharmacy`,
        );
      }
      participant.fhir = raw.fhir;
    }
    participants.push(participant);
  });
  return participantsOf(participants, source);
}

function participantsOf(list: readonly Participant[], source = "participants"): Participants {
  const accounts = new Map<string, Participant>();
  const references = new Map<string, Participant>();
  for (const participant of list) {
    if (accounts.has(participant.account)) {
      throw new InputError(`${source} lists account ${participant.account} twice`);
    }
    accounts.set(participant.account, participant);
    if (participant.fhir !== undefined) {
      if (references.has(participant.fhir)) {
        throw new InputError(`${source} gives FHIR reference ${participant.fhir} to two accounts`);
      }
      references.set(participant.fhir, participant);
    }
  }
  return {
    list,
    byAccount: (account) => (isAddress(account) ? accounts.get(getAddress(account)) : undefined),
    byFhirReference: (reference) => references.get(reference),
  };
}

/**
 * Reads a participants file (see the format above); none (`undefined`) gives `NO_PARTICIPANTS`.
 *
 * @throws InputError when the file is missing, is not JSON or has a bad entry.
 * @example
 * const participants = await loadParticipants("examples/participants.json");
 */
export async function loadParticipants(file: string | undefined): Promise<Participants> {
  if (file === undefined || file.trim() === "") return NO_PARTICIPANTS;
  return parseParticipants(await readJsonFile(file, "participants file"), file);
}
