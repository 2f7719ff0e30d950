import { ArgumentType } from "hardhat/types/arguments";

import type { SuiteContract } from "./deployments.js";

/*
 * Option definitions every task family shares, so `--address`, `--from` and `--from-block` read
 * the same in every `--help`. The values are checked by `tasks/lib/options.ts`.
 */

/** A string option without a default, as `addOption` takes it. */
export interface OptionalStringOption<NameT extends string> {
  name: NameT;
  description: string;
  type: ArgumentType.STRING_WITHOUT_DEFAULT;
  defaultValue: undefined;
}

/**
 * A string option without a default: `undefined` when not given (help shows no "(default: )").
 *
 * @example
 * task(["claims", "approve"], "…").addOption(optional("claim", "Required: the claim id"));
 */
export function optional<NameT extends string>(
  name: NameT,
  description: string,
): OptionalStringOption<NameT> {
  return { name, description, type: ArgumentType.STRING_WITHOUT_DEFAULT, defaultValue: undefined };
}

/**
 * `--address`: the contract to talk to, default the Ignition deployment for the network.
 *
 * @example
 * .addOption(addressOption("DrugTrace"))
 */
export function addressOption(contract: SuiteContract): OptionalStringOption<"address"> {
  return optional(
    "address",
    `${contract} address (default: the Ignition deployment for the network)`,
  );
}

/**
 * `--from`: the account that signs (an index or an address, default 0); `tasks/lib/options.ts`
 * `selectSigner` reads it. `description` replaces the standard text where `--from` means more.
 *
 * @example
 * .addOption(fromOption())
 */
export function fromOption(
  description = "The account that signs: an index into the network's accounts or an address (default: 0)",
): OptionalStringOption<"from"> {
  return optional("from", description);
}

/**
 * `--from-block`: where to start reading events; `tasks/lib/options.ts` `parseFromBlockOption` reads it.
 *
 * @example
 * .addOption(fromBlockOption())
 */
export function fromBlockOption(): OptionalStringOption<"fromBlock"> {
  return optional(
    "fromBlock",
    "Read events from this block on (default: 0; set it where the node limits log ranges)",
  );
}
