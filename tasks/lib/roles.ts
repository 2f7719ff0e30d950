import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";

import { requireContractCode } from "../../sdk/contract-code.js";
import { resolveSuiteAddress } from "./deployments.js";
import { InputError } from "../../sdk/errors.js";
import { isGiven, parseAddressOption, parseWordOption, selectSigner } from "./options.js";
import { changeRole, readHeldRoles } from "../../sdk/roles.js";
import type { RoleHolderContract } from "../../sdk/roles.js";
import { formatFields, formatGas } from "./terminal.js";

/** `<scope> roles` options. */
export interface RolesArgs {
  readonly account?: string | undefined;
  readonly grant?: string | undefined;
  readonly revoke?: string | undefined;
  readonly from?: string | undefined;
  readonly address?: string | undefined;
}

/**
 * `consent roles` / `claims roles --account <address> [--grant <role> | --revoke <role>]`: lists
 * the account's roles on the contract; with `--grant` or `--revoke`, the `--from` admin changes
 * one first (e.g. onboarding an insurer or a provider, or an emergency responder).
 *
 * @example
 * await runRoles(args, ethers, "InsuranceClaim", ["INSURER", "PROVIDER", "PAUSER"]);
 */
export async function runRoles(
  args: RolesArgs,
  ethers: HardhatEthers,
  contractName: "PatientConsent" | "InsuranceClaim",
  roles: readonly string[],
  print: (text: string) => void = console.log,
): Promise<void> {
  const account = parseAddressOption(args.account, "--account");
  if (isGiven(args.grant) && isGiven(args.revoke))
    throw new InputError("give --grant or --revoke, not both");
  const parseRole = (value: string, option: string): string =>
    parseWordOption(value.trim().replace(/_role$/i, ""), option, roles);
  const grant = isGiven(args.grant) ? parseRole(args.grant, "--grant") : undefined;
  const revoke = isGiven(args.revoke) ? parseRole(args.revoke, "--revoke") : undefined;

  const { chainId } = await ethers.provider.getNetwork();
  const address = resolveSuiteAddress(contractName, chainId, args.address);
  await requireContractCode(ethers.provider, address);
  const signer = selectSigner(await ethers.getSigners(), args.from);
  const contract = (await ethers.getContractAt(
    contractName,
    address,
    signer,
  )) as unknown as RoleHolderContract;

  const fields: [string, string][] = [["account", account]];
  for (const [change, name] of [
    ["grant", grant],
    ["revoke", revoke],
  ] as const) {
    if (name === undefined) continue;
    const receipt = await changeRole(contract, change, name, account);
    fields.push(
      [change === "grant" ? "granted" : "revoked", `${name}_ROLE`],
      ["gas used", formatGas(receipt.gasUsed)],
    );
  }
  const held = await readHeldRoles(contract, roles, account);
  fields.push([
    "roles",
    held.length === 0 ? "(none)" : held.map((role) => `${role}_ROLE`).join(", "),
  ]);
  print(formatFields(fields));
}
