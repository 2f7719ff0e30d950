import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { cliAction } from "../../sdk/terminal.js";
import { runRoles } from "../roles.js";
import type { RolesArgs } from "../roles.js";

/** `consent roles`: lists, grants or revokes the EMERGENCY role (break-glass responders). */
export default cliAction(async (args: RolesArgs, hre: HardhatRuntimeEnvironment) => {
  const { ethers } = await hre.network.create();
  await runRoles(args, ethers, "PatientConsent", ["EMERGENCY"]);
});
