import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys `DrugTrace`. Parameters (module id `DrugTrace`):
 * - `admin`: the default admin, who grants every other role (default: the deploying account);
 * - `adminTransferDelay`: seconds a default-admin transfer waits before it can be accepted (default 0).
 *
 * Grants no roles: the suite module (or the admin) grants manufacturer, distributor, dispenser,
 * regulator, sensor and pauser roles.
 *
 * @example
 * npx hardhat ignition deploy ignition/modules/DrugTrace.ts --network sepolia
 */
export default buildModule("DrugTrace", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminDelay = m.getParameter("adminTransferDelay", 0n);
  const drugTrace = m.contract("DrugTrace", [adminDelay, admin]);
  return { drugTrace };
});
