import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Deploys InsuranceClaim wired to an existing PatientConsent and DrugTrace.
 *
 * Parameters (`InsuranceClaim`):
 * - `patientConsent` (required): the PatientConsent address asked for every claim.
 * - `drugTrace` (required): the DrugTrace address asked for every drug claim.
 * - `admin`: the default admin (default: the deploying account).
 * - `adminTransferDelay`: seconds before a default-admin transfer takes effect (default: 3 days).
 *
 * @example
 * npx hardhat ignition deploy ignition/modules/InsuranceClaim.ts --parameters params.json
 */
export default buildModule("InsuranceClaim", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const adminTransferDelay = m.getParameter("adminTransferDelay", 3n * 24n * 60n * 60n);
  const patientConsent = m.getParameter<string>("patientConsent");
  const drugTrace = m.getParameter<string>("drugTrace");

  const insuranceClaim = m.contract("InsuranceClaim", [
    adminTransferDelay,
    admin,
    patientConsent,
    drugTrace,
  ]);

  return { insuranceClaim };
});
