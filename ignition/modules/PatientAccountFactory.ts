import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys `PatientAccountFactory` (which deploys its `PatientAccount` implementation): patients'
 * passkey accounts are its clones, at addresses fixed by their passkeys. No parameters, no roles.
 *
 * @example
 * npx hardhat ignition deploy ignition/modules/PatientAccountFactory.ts --network localhost
 */
export default buildModule("PatientAccountFactory", (m) => {
  const patientAccountFactory = m.contract("PatientAccountFactory", []);
  return { patientAccountFactory };
});
