import { id, ZeroHash } from "ethers";
import type { BaseContract } from "ethers";

import type { DrugTrace, InsuranceClaim, PatientConsent } from "../typechain-types/index.js";
import { callDecoded, sendTransaction } from "./transactions.js";
import type { RevertDecoding, TransactionResult } from "./transactions.js";

/*
 * Roles of the suite's contracts (OpenZeppelin AccessControl): every role id is
 * keccak256("<NAME>_ROLE"), granted and revoked by the contract's default admin. The one roles
 * module of the SDK: DrugTrace, PatientConsent and InsuranceClaim all grant, revoke and read roles
 * through it.
 */

/** A suite contract as far as its roles go (any TypeChain AccessControl contract fits). */
export type RoleHolderContract = BaseContract &
  Pick<DrugTrace | PatientConsent | InsuranceClaim, "hasRole" | "grantRole" | "revokeRole">;

/**
 * The id of role `name` (without `_ROLE`), as the contracts compute it.
 *
 * @example
 * roleIdOf("INSURER"); // keccak256("INSURER_ROLE")
 */
export function roleIdOf(name: string): string {
  return id(`${name}_ROLE`);
}

/** The contract's own ABI, when no richer decoding is given. */
function decodingOf(contract: RoleHolderContract, decoding?: RevertDecoding): RevertDecoding {
  return decoding ?? { abis: [contract.interface] };
}

/**
 * Grants (or revokes) role `name` to `account`, as the connected default admin; a refusal
 * surfaces as the decoded custom error (decoded with `decoding`, by default the contract's ABI).
 *
 * @example
 * const { gasUsed } = await changeRole(claims.connect(admin), "grant", "PROVIDER", clinic);
 */
export async function changeRole(
  contract: RoleHolderContract,
  change: "grant" | "revoke",
  name: string,
  account: string,
  decoding?: RevertDecoding,
): Promise<TransactionResult> {
  const role = roleIdOf(name);
  return sendTransaction(decodingOf(contract, decoding), () =>
    change === "grant" ? contract.grantRole(role, account) : contract.revokeRole(role, account),
  );
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
  decoding?: RevertDecoding,
): Promise<(T | "DEFAULT_ADMIN")[]> {
  const [admin, ...held] = await callDecoded(decodingOf(contract, decoding), () =>
    Promise.all([
      contract.hasRole(ZeroHash, account),
      ...names.map((name) => contract.hasRole(roleIdOf(name), account)),
    ]),
  );
  const named = names.filter((_, i) => held[i] === true);
  return admin ? ["DEFAULT_ADMIN", ...named] : named;
}
