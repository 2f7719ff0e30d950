import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { cliAction } from "../lib/terminal.js";
import { runRoles } from "../lib/roles.js";
import type { RolesArgs } from "../lib/roles.js";

/** `consent roles`: lists, grants or revokes the EMERGENCY role (break-glass responders). */
export default cliAction(async (args: RolesArgs, hre: HardhatRuntimeEnvironment) => {
  const { ethers } = await hre.network.create();
  await runRoles(args, ethers, "PatientConsent", ["EMERGENCY"]);
});
