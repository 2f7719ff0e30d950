import {
  authorizeContractManufacturer,
  bindCompanyPrefix,
  deauthorizeContractManufacturer,
  formatParticipant,
  readCompanyPrefix,
  readCompanyPrefixes,
  readNameOf,
  readNamesOf,
  revokeCompanyPrefix,
  transferCompanyPrefix,
} from "../../sdk/drug-trace/index.js";
import { parseNameOption, parsePrefixOption } from "./options.js";
import type { CompanyPrefix } from "../../sdk/drug-trace/index.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { InputError } from "../../sdk/errors.js";
import { parseAddressOption, parseFromBlockOption } from "../lib/options.js";
import { formatFields, formatGas, formatTable } from "../lib/terminal.js";
import { EXIT_OK, readDrugTrace, traceAction } from "./connection.js";
import type { TraceAction, TraceConnection, TraceIo } from "./connection.js";
import type { StringOptions } from "../lib/task.js";

/*
 * The `trace prefix …` family: the admin binds GS1 Company Prefixes to brand owners (add,
 * transfer, revoke); a brand owner authorizes contract manufacturers for its prefix (authorize,
 * deauthorize); anyone lists the bound prefixes. Each command prints the prefix's state after the
 * change, with names beside addresses.
 */

/** Options every `trace prefix` command shares. */
interface PrefixCommon {
  readonly prefix?: string | undefined;
  readonly from?: string | undefined;
  readonly address?: string | undefined;
}

/** `trace prefix add` options. */
export type PrefixAddArgs = PrefixCommon & StringOptions<"owner" | "name">;

/** `trace prefix transfer` options. */
export type PrefixTransferArgs = PrefixCommon & StringOptions<"to" | "name">;

/** `trace prefix authorize` and `trace prefix deauthorize` options. */
export interface PrefixAuthorizeArgs extends PrefixCommon {
  readonly manufacturer?: string | undefined;
}

/** `trace prefix list` options. */
export type PrefixListArgs = StringOptions<"fromBlock" | "address">;

async function participant(drugTrace: DrugTrace, account: string): Promise<string> {
  return BigInt(account) === 0n
    ? "(none)"
    : formatParticipant(await readNameOf(drugTrace, account), account);
}

/** Prints a prefix after a change: its digits, `fields`, the gas the change used and its owner. */
async function printPrefix(
  drugTrace: DrugTrace,
  io: TraceIo,
  prefix: CompanyPrefix,
  fields: [string, string][],
  mined: { readonly gasUsed: bigint },
): Promise<void> {
  const { owner } = await readCompanyPrefix(drugTrace, prefix);
  io.print(
    formatFields([
      ["prefix", `${prefix.digits} (${prefix.length} digits)`],
      ...fields,
      ["gas used", formatGas(mined.gasUsed)],
      ["owner", await participant(drugTrace, owner)],
    ]),
  );
}

/** Prints a prefix after a change that concerns one account: `label` and the account's name. */
async function printAccountChange(
  drugTrace: DrugTrace,
  io: TraceIo,
  prefix: CompanyPrefix,
  [label, account]: readonly [string, string],
  mined: { readonly gasUsed: bigint },
): Promise<void> {
  await printPrefix(drugTrace, io, prefix, [[label, await participant(drugTrace, account)]], mined);
}

/** Moves a prefix away from its owner with `change`, printing the owner it had as `label`. */
async function changeOwner(
  drugTrace: DrugTrace,
  io: TraceIo,
  prefix: CompanyPrefix,
  label: string,
  change: () => Promise<{ readonly gasUsed: bigint }>,
): Promise<void> {
  const { owner: previous } = await readCompanyPrefix(drugTrace, prefix);
  const mined = await change();
  await printAccountChange(drugTrace, io, prefix, [label, previous], mined);
}

/**
 * The prefix, its (new) owner given as `option` and the owner's `--name` of `trace prefix add`
 * and `trace prefix transfer` (an empty name keeps the one the owner has).
 */
function parseOwnership(
  args: PrefixCommon & StringOptions<"name">,
  owner: string | undefined,
  option: string,
): { prefix: CompanyPrefix; owner: string; name: string } {
  return {
    prefix: parsePrefixOption(args.prefix),
    owner: parseAddressOption(owner, option),
    name: parseNameOption(args.name, { allowEmpty: true }),
  };
}

/**
 * `trace prefix add --prefix <digits> --owner <address> --name <company name>`: the admin binds a
 * GS1 Company Prefix to its brand owner, with the owner's public company name (`--name ""` keeps
 * the name the owner already has).
 */
export const tracePrefixAdd = traceAction(
  (args: PrefixAddArgs) => parseOwnership(args, args.owner, "--owner"),
  async (binding, { drugTrace, io }) => {
    if (binding.name === "" && (await readNameOf(drugTrace, binding.owner)) === "") {
      throw new InputError(`--name is required: ${binding.owner} has no public company name yet`);
    }
    const bound = await bindCompanyPrefix(drugTrace, binding);
    await printPrefix(drugTrace, io, binding.prefix, [["bound", "yes"]], bound);
  },
);

/**
 * `trace prefix transfer --prefix <digits> --to <address> [--name <company name>]`: the admin
 * moves a prefix to a new brand owner; the old owner's contract manufacturers lose their
 * authorization.
 */
export const tracePrefixTransfer = traceAction(
  (args: PrefixTransferArgs) => parseOwnership(args, args.to, "--to"),
  async ({ prefix, owner, name }, { drugTrace, io }) => {
    await changeOwner(drugTrace, io, prefix, "previous owner", () =>
      transferCompanyPrefix(drugTrace, { prefix, newOwner: owner, name }),
    );
  },
);

/**
 * `trace prefix revoke --prefix <digits>`: the admin revokes a prefix; nobody registers its GTINs
 * until it is bound again (batches already registered stay).
 */
export const tracePrefixRevoke = traceAction(
  (args: PrefixCommon) => parsePrefixOption(args.prefix),
  async (prefix, { drugTrace, io }) => {
    await changeOwner(drugTrace, io, prefix, "revoked from", () =>
      revokeCompanyPrefix(drugTrace, prefix),
    );
  },
);

/**
 * The action of `trace prefix authorize` or `trace prefix deauthorize`: `change` is the SDK call,
 * `done` the word printed beside the contract manufacturer.
 */
function manufacturerAction(
  change: typeof authorizeContractManufacturer,
  done: string,
): TraceAction<PrefixAuthorizeArgs> {
  return traceAction(
    (args: PrefixAuthorizeArgs) => ({
      prefix: parsePrefixOption(args.prefix),
      manufacturer: parseAddressOption(args.manufacturer, "--manufacturer"),
    }),
    async (authorization, { drugTrace, io }) => {
      const changed = await change(drugTrace, authorization);
      const { prefix, manufacturer } = authorization;
      await printAccountChange(drugTrace, io, prefix, [done, manufacturer], changed);
    },
  );
}

/**
 * `trace prefix authorize --prefix <digits> --manufacturer <address>`: the brand owner lets a
 * contract manufacturer register batches of its GTINs (it also needs the manufacturer role).
 */
export const tracePrefixAuthorize = manufacturerAction(authorizeContractManufacturer, "authorized");

/**
 * `trace prefix deauthorize --prefix <digits> --manufacturer <address>`: the brand owner withdraws
 * a contract manufacturer's authorization (its batches registered before stay).
 */
export const tracePrefixDeauthorize = manufacturerAction(
  deauthorizeContractManufacturer,
  "deauthorized",
);

/**
 * `trace prefix list [--from-block <n>]`: every bound prefix with its owner and authorized
 * contract manufacturers, by name; needs no account.
 */
export async function tracePrefixList(
  args: PrefixListArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const fromBlock = parseFromBlockOption(args.fromBlock);
  const drugTrace = await readDrugTrace(connection, args);
  const listings = await readCompanyPrefixes(drugTrace, fromBlock);
  if (listings.length === 0) {
    io.print("no company prefix is bound");
    return EXIT_OK;
  }
  const names = await readNamesOf(
    drugTrace,
    listings.flatMap((listing) => listing.contractManufacturers),
  );
  io.print(
    formatTable(
      ["prefix", "owner", "contract manufacturers"],
      listings.map((listing) => [
        listing.prefix.digits,
        formatParticipant(listing.ownerName, listing.owner),
        listing.contractManufacturers
          .map((account) => formatParticipant(names.get(account) ?? "", account))
          .join(", ") || "(none)",
      ]),
    ),
  );
  return EXIT_OK;
}
