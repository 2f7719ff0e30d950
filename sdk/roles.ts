import { id, ZeroHash } from "ethers";
import type { BaseContract, ContractTransactionReceipt, ContractTransactionResponse } from "ethers";

import { withDecodedReverts } from "./errors.js";

/*
 * Roles of the suite's contracts (OpenZeppelin AccessControl): every role id is
 * keccak256("<NAME>_ROLE"), granted and revoked by the contract's default admin.
 */

/** A suite contract as far as its roles go. */
export interface RoleHolderContract extends BaseContract {
  hasRole(role: string, account: string): Promise<boolean>;
  grantRole(role: string, account: string): Promise<ContractTransactionResponse>;
  revokeRole(role: string, account: string): Promise<ContractTransactionResponse>;
}

/**
 * The id of role `name` (without `_ROLE`), as the contracts compute it.
 *
 * @example
 * roleIdOf("INSURER"); // keccak256("INSURER_ROLE")
 */
export function roleIdOf(name: string): string {
  return id(`${name}_ROLE`);
}

/**
 * Grants (or revokes) role `name` to `account`, as the connected default admin; a refusal
 * surfaces as the decoded custom error.
 *
 * @example
 * await changeRole(claims.connect(admin), "grant", "PROVIDER", clinic);
 */
export async function changeRole(
  contract: RoleHolderContract,
  change: "grant" | "revoke",
  name: string,
  account: string,
): Promise<ContractTransactionReceipt> {
  return withDecodedReverts([contract.interface], async () => {
    const role = roleIdOf(name);
    const sent =
      change === "grant"
        ? await contract.grantRole(role, account)
        : await contract.revokeRole(role, account);
    const receipt = await sent.wait();
    if (receipt === null) throw new Error(`the ${change} transaction ${sent.hash} was dropped`);
    return receipt;
  });
}

/**
 * The roles among `names` that `account` holds, with `DEFAULT_ADMIN` first when it is the admin.
 *
 * @example
 * await readHeldRoles(claims, ["INSURER", "PROVIDER", "PAUSER"], account); // ["PROVIDER"]
 */
export async function readHeldRoles<T extends string>(
  contract: RoleHolderContract,
  names: readonly T[],
  account: string,
): Promise<(T | "DEFAULT_ADMIN")[]> {
  const [admin, ...held] = await withDecodedReverts([contract.interface], () =>
    Promise.all([
      contract.hasRole(ZeroHash, account),
      ...names.map((name) => contract.hasRole(roleIdOf(name), account)),
    ]),
  );
  const named = names.filter((_, i) => held[i] === true);
  return admin ? ["DEFAULT_ADMIN", ...named] : named;
}
