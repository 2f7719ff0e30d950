import { rolesAction } from "../lib/roles.js";
import { claimsTask } from "./arguments.js";

/** The InsuranceClaim roles an admin grants by word. */
export const CLAIMS_ROLES = ["INSURER", "PROVIDER", "PAUSER"] as const;

/** `claims roles`: lists, grants or revokes INSURER, PROVIDER and PAUSER roles. */
export const claimsRoles = rolesAction({ contract: "InsuranceClaim", roles: CLAIMS_ROLES });

export default claimsTask(claimsRoles);
