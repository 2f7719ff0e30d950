import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/** Length of a break-glass window unless the deployer chooses another: 24 hours. */
export const DEFAULT_MAX_BREAK_GLASS_DURATION = 24n * 60n * 60n;

/**
 * Deploys `PatientConsent`. Parameters (all optional):
 * - `admin`: the default admin (default: the first account);
 * - `adminTransferDelay`: seconds before a default-admin transfer takes effect (default 0);
 * - `maxBreakGlassDuration`: length of break-glass windows in seconds, 15 minutes to 72 hours
 *   (default 24 hours).
 *
 * Grants no roles: the admin grants `EMERGENCY_ROLE` to emergency responders afterwards.
 *
 * @example
 * npx hardhat ignition deploy ignition/modules/PatientConsent.ts --network localhost
 */
export default buildModule("PatientConsent", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminTransferDelay = m.getParameter("adminTransferDelay", 0n);
  const maxBreakGlassDuration = m.getParameter(
    "maxBreakGlassDuration",
    DEFAULT_MAX_BREAK_GLASS_DURATION,
  );
  const patientConsent = m.contract("PatientConsent", [
    adminTransferDelay,
    admin,
    maxBreakGlassDuration,
  ]);
  return { patientConsent };
});
