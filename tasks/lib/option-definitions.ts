import { emptyTask, task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NewTaskActionFunction, TaskDefinition } from "hardhat/types/tasks";

import type { SuiteContract } from "./deployments.js";
import type { RequiredOption, ScopeTask, TaskAction } from "./task.js";

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
 * The options a scope's tasks share for `contract`: `address` (`--address`, for tasks that only
 * read) and `signed` (`--from` and `--address`, for every task that signs).
 *
 * @example
 * const { address: ADDRESS, signed: SIGNED } = contractOptions("DrugTrace");
 */
export function contractOptions(contract: SuiteContract): {
  address: OptionalStringOption<"address">;
  signed: OptionalStringOption<"from" | "address">[];
} {
  const address = addressOption(contract);
  return { address, signed: [fromOption(), address] };
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

/** An option the task cannot run without: help says "Required: <hint>", the task checks it. */
export interface RequiredStringOption<NameT extends string> extends OptionalStringOption<NameT> {
  /** What to give, for "--<name> is required (<hint>)". */
  readonly hint: string;
}

/**
 * A string option the task cannot run without: its help starts "Required:", and the task's
 * wrapper (`runTask`) refuses to run without it: "--quantity is required (the number of units)".
 *
 * @example
 * defineTask(["trace", "ship"], "…", [required("quantity", "the number of units")], load);
 */
export function required<NameT extends string>(
  name: NameT,
  hint: string,
): RequiredStringOption<NameT> {
  return { ...optional(name, `Required: ${hint}`), hint };
}

/** A string option with a real default, shown in help as "(default: …)". */
export interface DefaultStringOption<NameT extends string> {
  name: NameT;
  description: string;
  type: ArgumentType.STRING;
  defaultValue: string;
}

/**
 * A string option with a default value (never empty: an empty default reads "(default: )").
 *
 * @example
 * withDefault("deadlineDays", "Days from now during which the signature may be submitted", "7")
 */
export function withDefault<NameT extends string>(
  name: NameT,
  description: string,
  defaultValue: string,
): DefaultStringOption<NameT> {
  if (defaultValue === "") throw new Error(`option ${name}: an empty default; use optional()`);
  return { name, description, type: ArgumentType.STRING, defaultValue };
}

/** A flag: false unless given. */
export interface FlagOption<NameT extends string> {
  name: NameT;
  description: string;
  type: ArgumentType.FLAG;
  defaultValue: false;
}

/** A flag option, e.g. `--revoke`. */
export function flag<NameT extends string>(name: NameT, description: string): FlagOption<NameT> {
  return { name, description, type: ArgumentType.FLAG, defaultValue: false };
}

/** Any option a carechain task declares. */
export type TaskOption =
  | OptionalStringOption<string>
  | RequiredStringOption<string>
  | DefaultStringOption<string>
  | FlagOption<string>;

/**
 * What Hardhat runs for a task `defineTask` built: the file's default export with the required
 * options checked, and (for tests, which run `action` on their own connection with `runTask`)
 * the action and those options.
 */
export interface RegisteredTask {
  (args: never, hre: HardhatRuntimeEnvironment): Promise<void>;
  readonly action: TaskAction<never, never>;
  readonly required: readonly RequiredOption[];
}

/**
 * One task: its options in order and its lazily loaded file, whose default export is
 * `scopeTask(<scope><Verb>)`; the options declared with `required` are checked before the action
 * runs.
 *
 * @example
 * defineTask(["claims", "approve"], "Approve a claim", [required("claim", "the claim id"), FROM, ADDRESS], () => import("./approve.js"))
 */
export function defineTask(
  id: readonly string[],
  description: string,
  options: readonly TaskOption[],
  load: () => Promise<{ readonly default: ScopeTask<never, never> }>,
): TaskDefinition {
  const requiredOptions: RequiredOption[] = options.flatMap((option) =>
    "hint" in option ? [{ name: option.name, hint: option.hint }] : [],
  );
  let builder = task([...id], description);
  for (const { name, description: text, type, defaultValue } of options) {
    builder =
      type === ArgumentType.FLAG
        ? builder.addFlag({ name, description: text })
        : builder.addOption({ name, description: text, type, defaultValue } as never);
  }
  return builder
    .setAction(async () => {
      const { default: run } = await load();
      const registered: RegisteredTask = Object.assign(
        (args: never, hre: HardhatRuntimeEnvironment) => run(args, hre, requiredOptions),
        { action: run.action, required: requiredOptions },
      );
      return { default: registered as unknown as NewTaskActionFunction };
    })
    .build();
}

/** A task file's module: its default export is `scopeTask(<scope><Verb>)`. */
export interface TaskModule {
  readonly default: ScopeTask<never, never>;
}

/**
 * One row of a scope's table: the task's help and its options in order; a row without options is
 * a group of subtasks (Hardhat's `emptyTask`), e.g. `trace prefix`, or the scope itself.
 */
export type TaskRow = readonly [help: string, options?: readonly TaskOption[]];

/**
 * A scope's tasks from one table, in order: the row `""` is the scope itself, the row
 * `"prefix add"` the task `<scope> prefix add`, whose file `load("prefix-add")` brings when the
 * task runs.
 *
 * @example
 * export const claimsTasks = defineScope("claims", (file) => import(`./${file}.js`), {
 *   "": ["Insurance claims: pools, plans, policies, submission, adjudication, payouts"],
 *   approve: ["Approve a claim (pool adjuster)", [required("claim", "the claim id"), ...SIGNED]],
 * });
 */
export function defineScope(
  scope: string,
  load: (file: string) => Promise<TaskModule>,
  table: Readonly<Record<string, TaskRow>>,
): TaskDefinition[] {
  return Object.entries(table).map(([name, [help, options]]) => {
    const id = [scope, ...name.split(" ").filter((word) => word !== "")];
    return options === undefined
      ? emptyTask(id, help).build()
      : defineTask(id, help, options, () => load(name.replaceAll(" ", "-")));
  });
}

/**
 * The options of `<scope> roles`: the account, and a role to grant or revoke by word
 * (`grantExample` names one), signed by `--from` on `contract`.
 *
 * @example
 * roles: ["Show an account's roles …", roleOptions("InsuranceClaim", "e.g. provider")],
 */
export function roleOptions(contract: SuiteContract, grantExample: string): TaskOption[] {
  return [
    required("account", "the account"),
    optional("grant", `A role to grant, by word, ${grantExample}`),
    optional("revoke", "A role to revoke, by word"),
    ...contractOptions(contract).signed,
  ];
}
