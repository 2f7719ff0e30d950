import { getAddress } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { eventTopics, parseEventLogs } from "../transactions.js";
import { companyPrefixOf } from "./gs1.js";
import type { CompanyPrefix } from "./gs1.js";
import { checkedName, decoded, prefixArgs, providerOf, traceAction } from "./internal.js";

/*
 * The GS1 Company Prefix registry and participants' public names: a regulator binds a prefix to
 * its brand owner, who may authorize contract manufacturers for it.
 */

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                 COMPANY PREFIXES AND NAMES                 */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A company prefix bound (or moved) to a brand owner, with the owner's public company name. */
export interface PrefixBinding {
  readonly prefix: CompanyPrefix;
  readonly owner: string;
  readonly name: string;
}

/** A company prefix moved to a new owner, as `transferCompanyPrefix` takes it. */
export interface PrefixTransfer {
  readonly prefix: CompanyPrefix;
  readonly newOwner: string;
  readonly name: string;
}

/** A contract manufacturer of a brand owner's prefix. */
export interface ContractManufacturerAuthorization {
  readonly prefix: CompanyPrefix;
  readonly manufacturer: string;
}

/**
 * Binds a GS1 Company Prefix to a brand owner with its public company name, as the connected
 * regulator (an empty name keeps the owner's current name).
 *
 * @example
 * await bindCompanyPrefix(drugTrace.connect(regulator), {
 *   prefix: parseCompanyPrefix("9506000"), owner: acme.address, name: "Acme Pharma GmbH",
 * });
 */
export const bindCompanyPrefix = traceAction((drugTrace, { prefix, owner, name }: PrefixBinding) =>
  drugTrace.bindCompanyPrefix(...prefixArgs(prefix), owner, checkedName(name)),
);

/**
 * Moves a bound company prefix to a new owner, as the connected regulator; every contract
 * manufacturer's authorization for it lapses.
 *
 * @example
 * await transferCompanyPrefix(drugTrace.connect(regulator), { prefix, newOwner: buyer.address, name: "Buyer AG" });
 */
export const transferCompanyPrefix = traceAction(
  (drugTrace, { prefix, newOwner, name }: PrefixTransfer) =>
    drugTrace.transferCompanyPrefix(...prefixArgs(prefix), newOwner, checkedName(name)),
);

/**
 * Revokes a bound company prefix, as the connected regulator: nobody registers its GTINs until it
 * is bound again (batches registered before stay).
 *
 * @example
 * await revokeCompanyPrefix(drugTrace.connect(regulator), parseCompanyPrefix("9506000"));
 */
export const revokeCompanyPrefix = traceAction((drugTrace, prefix: CompanyPrefix) =>
  drugTrace.revokeCompanyPrefix(...prefixArgs(prefix)),
);

/**
 * Authorizes a contract manufacturer for the connected brand owner's prefix.
 *
 * @example
 * await authorizeContractManufacturer(drugTrace.connect(acme), { prefix, manufacturer: cmo.address });
 */
export const authorizeContractManufacturer = traceAction(
  (drugTrace, { prefix, manufacturer }: ContractManufacturerAuthorization) =>
    drugTrace.authorizeContractManufacturer(...prefixArgs(prefix), manufacturer),
);

/**
 * Withdraws a contract manufacturer's authorization, as the connected brand owner.
 *
 * @example
 * await deauthorizeContractManufacturer(drugTrace.connect(acme), { prefix, manufacturer: cmo.address });
 */
export const deauthorizeContractManufacturer = traceAction(
  (drugTrace, { prefix, manufacturer }: ContractManufacturerAuthorization) =>
    drugTrace.deauthorizeContractManufacturer(...prefixArgs(prefix), manufacturer),
);

/**
 * Sets (or, with an empty name, clears) a participant's public display name, as the connected
 * regulator: distributors and pharmacies get theirs this way, brand owners with their prefix.
 *
 * @example
 * await setParticipantName(drugTrace.connect(regulator), pharmacy.address, "Apotheke am Markt");
 */
export const setParticipantName = traceAction((drugTrace, account: string, name: string) =>
  drugTrace.setParticipantName(account, checkedName(name)),
);

/**
 * A participant's public display name, the empty string when it has none.
 *
 * @example
 * formatParticipant(await readNameOf(drugTrace, verdict.manufacturer), verdict.manufacturer);
 * // "Acme Pharma GmbH (0x7099…79C8)"
 */
export async function readNameOf(drugTrace: DrugTrace, account: string): Promise<string> {
  return decoded(() => drugTrace.nameOf(account));
}

/**
 * The names of several participants at once (one view call each, in parallel), by checksummed
 * address; the zero address and unnamed accounts map to "".
 *
 * @example
 * const names = await readNamesOf(drugTrace, history.map((row) => row.actor));
 */
export async function readNamesOf(
  drugTrace: DrugTrace,
  accounts: readonly string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(accounts.map((account) => getAddress(account)))];
  const names = await Promise.all(
    unique.map(async (account) => (BigInt(account) === 0n ? "" : readNameOf(drugTrace, account))),
  );
  return new Map(unique.map((account, i) => [account, names[i] ?? ""]));
}

/** A company prefix's binding, decoded. */
export interface CompanyPrefixView {
  readonly prefix: CompanyPrefix;
  /** The brand owner; the zero address when never bound or revoked. */
  readonly owner: string;
  /** Counts binds and transfers; contract-manufacturer authorizations hold for one epoch. */
  readonly epoch: bigint;
}

/**
 * Reads one company prefix's binding.
 *
 * @example
 * const { owner } = await readCompanyPrefix(drugTrace, parseCompanyPrefix("9506000"));
 */
export async function readCompanyPrefix(
  drugTrace: DrugTrace,
  prefix: CompanyPrefix,
): Promise<CompanyPrefixView> {
  const record = await decoded(() => drugTrace.prefixBindingOf(...prefixArgs(prefix)));
  return { prefix, owner: record.owner, epoch: record.epoch };
}

/**
 * The bound company prefix a GTIN falls under and its owner, or `undefined` when none is bound.
 *
 * @example
 * const found = await readGtinCompanyPrefix(drugTrace, 9506000134352n);
 * console.log(found?.prefix.digits); // "9506000"
 */
export async function readGtinCompanyPrefix(
  drugTrace: DrugTrace,
  gtin: bigint,
): Promise<{ readonly prefix: CompanyPrefix; readonly owner: string } | undefined> {
  const [value, length, owner] = await decoded(() => drugTrace.companyPrefixOf(gtin));
  if (BigInt(owner) === 0n) return undefined;
  return { prefix: companyPrefixOf(value, Number(length)), owner };
}

/**
 * Whether `account` is an authorized contract manufacturer of a bound prefix.
 *
 * @example
 * if (!(await readIsContractManufacturer(drugTrace, prefix, cmo.address))) console.log("not authorized");
 */
export async function readIsContractManufacturer(
  drugTrace: DrugTrace,
  prefix: CompanyPrefix,
  account: string,
): Promise<boolean> {
  return decoded(() => drugTrace.isContractManufacturer(...prefixArgs(prefix), account));
}

/** A bound company prefix as `readCompanyPrefixes` lists it. */
export interface CompanyPrefixListing {
  readonly prefix: CompanyPrefix;
  readonly owner: string;
  /** The owner's public display name ("" when it has none). */
  readonly ownerName: string;
  /** Its contract manufacturers whose authorization still holds. */
  readonly contractManufacturers: readonly string[];
}

/**
 * Every company prefix bound now, with owner, owner's name and authorized contract manufacturers,
 * rebuilt from the registry's events and checked against the contract's current state; sorted by
 * digits.
 *
 * @example
 * for (const row of await readCompanyPrefixes(drugTrace)) console.log(row.prefix.digits, row.ownerName);
 */
export async function readCompanyPrefixes(
  drugTrace: DrugTrace,
  fromBlock: number = 0,
): Promise<CompanyPrefixListing[]> {
  const events = [
    "CompanyPrefixBound",
    "CompanyPrefixTransferred",
    "ContractManufacturerAuthorized",
  ] as const;
  const logs = await providerOf(drugTrace).getLogs({
    address: await drugTrace.getAddress(),
    topics: [eventTopics(drugTrace, events)],
    fromBlock,
    toBlock: "latest",
  });
  const prefixes = new Map<string, CompanyPrefix>();
  const candidates = new Map<string, Set<string>>();
  for (const event of parseEventLogs(drugTrace, logs, events)) {
    const prefix = companyPrefixOf(event.args.prefix, Number(event.args.prefixLength));
    prefixes.set(prefix.digits, prefix);
    if (event.name === "ContractManufacturerAuthorized") {
      const set = candidates.get(prefix.digits) ?? new Set<string>();
      set.add(event.args.manufacturer);
      candidates.set(prefix.digits, set);
    }
  }
  const listings = await Promise.all(
    [...prefixes.values()].map(async (prefix) => {
      const { owner } = await readCompanyPrefix(drugTrace, prefix);
      if (BigInt(owner) === 0n) return undefined;
      const manufacturers = [...(candidates.get(prefix.digits) ?? [])];
      const authorized = await Promise.all(
        manufacturers.map((account) => readIsContractManufacturer(drugTrace, prefix, account)),
      );
      return {
        prefix,
        owner,
        ownerName: await readNameOf(drugTrace, owner),
        contractManufacturers: manufacturers.filter((_, i) => authorized[i] === true),
      };
    }),
  );
  return listings
    .filter((listing) => listing !== undefined)
    .sort((a, b) => (a.prefix.digits < b.prefix.digits ? -1 : 1));
}
