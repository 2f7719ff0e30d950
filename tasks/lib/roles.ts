import type { SuiteContract } from "./deployments.js";
import { InputError } from "../../sdk/errors.js";
import { isGiven, parseAddressOption, parseWordOption } from "./options.js";
import { changeRole, readHeldRoles } from "../../sdk/roles.js";
import type { RoleHolderContract } from "../../sdk/roles.js";
import { EXIT_OK, openSuiteContract } from "./task.js";
import type { TaskAction } from "./task.js";
import { formatFields, formatGas } from "./terminal.js";
import type { SignedOptions } from "./task.js";

/** `<scope> roles` options. */
export type RolesArgs = SignedOptions<"account" | "grant" | "revoke">;

/** A key/value line of a task's output. */
type Field = readonly [string, string];

/** What `roles` needs to know of one contract. */
export interface RolesScope {
  /** The suite contract whose roles the task shows. */
  readonly contract: SuiteContract;
  /** The roles an admin grants by word, without `_ROLE`. */
  readonly roles: readonly string[];
  /**
   * Grants or revokes a role through the contract's own SDK client, where that names more in a
   * refusal (default: `changeRole`).
   */
  readonly change?: (
    contract: RoleHolderContract,
    change: "grant" | "revoke",
    role: string,
    account: string,
  ) => Promise<{ readonly gasUsed: bigint }>;
  /** More about the account, printed before and after its roles (e.g. a company name). */
  readonly describe?: (
    contract: RoleHolderContract,
    account: string,
  ) => Promise<{ readonly before: readonly Field[]; readonly after: readonly Field[] }>;
}

/**
 * The `roles` task of a scope (`trace roles`, `consent roles`, `claims roles`):
 * `--account <address> [--grant <role> | --revoke <role>]` lists the account's roles on the
 * contract; with `--grant` or `--revoke`, the `--from` admin changes one first (e.g. onboarding
 * an insurer, a dispenser or an emergency responder). Roles by word, any case, `_ROLE` optional.
 *
 * @example
 * export const claimsRoles = rolesAction({ contract: "InsuranceClaim", roles: ["INSURER", "PROVIDER", "PAUSER"] });
 */
export function rolesAction(scope: RolesScope): TaskAction<RolesArgs> {
  return async (args, connection, io) => {
    const account = parseAddressOption(args.account, "--account");
    if (isGiven(args.grant) && isGiven(args.revoke)) {
      throw new InputError("give --grant or --revoke, not both");
    }
    const parseRole = (value: string, option: string): string =>
      parseWordOption(value.trim().replace(/_role$/i, ""), option, scope.roles);
    const changes = [
      ["grant", isGiven(args.grant) ? parseRole(args.grant, "--grant") : undefined],
      ["revoke", isGiven(args.revoke) ? parseRole(args.revoke, "--revoke") : undefined],
    ] as const;
    const { contract } = await openSuiteContract(
      connection,
      scope.contract,
      args,
      (address, signer) =>
        connection.ethers.getContractAt(
          scope.contract,
          address,
          signer,
        ) as unknown as Promise<RoleHolderContract>,
    );

    const changed: Field[] = [];
    for (const [change, name] of changes) {
      if (name === undefined) continue;
      const receipt = await (scope.change ?? changeRole)(contract, change, name, account);
      changed.push(
        [change === "grant" ? "granted" : "revoked", `${name}_ROLE`],
        ["gas used", formatGas(receipt.gasUsed)],
      );
    }
    const [held, about] = await Promise.all([
      readHeldRoles(contract, scope.roles, account),
      scope.describe?.(contract, account) ?? { before: [], after: [] },
    ]);
    io.print(
      formatFields([
        ["account", account],
        ...about.before,
        ...changed,
        ["roles", held.length === 0 ? "(none)" : held.map((role) => `${role}_ROLE`).join(", ")],
        ...about.after,
      ]),
    );
    return EXIT_OK;
  };
}
