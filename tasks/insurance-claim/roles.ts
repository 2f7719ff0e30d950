import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { cliAction } from "../lib/terminal.js";
import { runRoles } from "../lib/roles.js";
import type { RolesArgs } from "../lib/roles.js";

/** The InsuranceClaim roles an admin grants by word. */
export const CLAIMS_ROLES = ["INSURER", "PROVIDER", "PAUSER"] as const;

/** `claims roles`: lists, grants or revokes INSURER, PROVIDER and PAUSER roles. */
export default cliAction(async (args: RolesArgs, hre: HardhatRuntimeEnvironment) => {
  const { ethers } = await hre.network.create();
  await runRoles(args, ethers, "InsuranceClaim", CLAIMS_ROLES);
});
