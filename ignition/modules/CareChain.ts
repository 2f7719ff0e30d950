import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { id } from "ethers";

import DrugTraceModule from "./DrugTrace.js";
import PatientAccountFactoryModule from "./PatientAccountFactory.js";
import PatientConsentModule from "./PatientConsent.js";

/**
 * The carechain suite: DrugTrace, PatientConsent, and InsuranceClaim wired to both, with one
 * initial holder for each operational role. Deploying twice is idempotent (Ignition's journal).
 *
 * Parameters (`ignition/parameters/<network>.json`), all optional on a local chain where they
 * default to the node's accounts (see the README's account table):
 * - `DrugTrace.admin`, `PatientConsent.admin`, `CareChain.admin`: the default admin of each
 *   contract (default: account 0, the deployer). The role grants below are sent by the deploying
 *   account, so leave these at the deployer and hand admin over afterwards with
 *   `beginDefaultAdminTransfer` (the new admin accepts after `adminTransferDelay`).
 * - `CareChain.manufacturer`, `distributor`, `dispenser`, `regulator`, `sensor`, `emergency`,
 *   `insurer`, `provider`: the initial holder of each role.
 * - `CareChain.manufacturerPrefix`, `manufacturerPrefixLength`, `manufacturerName`: the GS1
 *   Company Prefix bound to the manufacturer (its digits as a number and their count, 6 to 12:
 *   "0614141" is 614141 and 7) and its public company name, shown beside its address everywhere
 *   (default: 9506000, 7, "Acme Pharma GmbH", the demo brand of GS1's example GTIN
 *   09506000134352). The admin binds it; more prefixes later with `trace prefix add`, names of
 *   distributors and pharmacies with `trace name` (a regulator).
 *
 * @example
 * npx hardhat ignition deploy ignition/modules/CareChain.ts --network localhost --parameters ignition/parameters/localhost.json
 */
export default buildModule("CareChain", (m) => {
  const { drugTrace } = m.useModule(DrugTraceModule);
  const { patientConsent } = m.useModule(PatientConsentModule);
  // patients' passkey accounts (no roles, no parameters): the relay and the consent page use it
  const { patientAccountFactory } = m.useModule(PatientAccountFactoryModule);

  const admin = m.getParameter("admin", m.getAccount(0));
  const adminTransferDelay = m.getParameter("adminTransferDelay", 0n);
  const insuranceClaim = m.contract("InsuranceClaim", [
    adminTransferDelay,
    admin,
    patientConsent,
    drugTrace,
  ]);

  const holders = {
    manufacturer: m.getParameter("manufacturer", m.getAccount(1)),
    distributor: m.getParameter("distributor", m.getAccount(2)),
    dispenser: m.getParameter("dispenser", m.getAccount(3)),
    regulator: m.getParameter("regulator", m.getAccount(4)),
    sensor: m.getParameter("sensor", m.getAccount(5)),
    insurer: m.getParameter("insurer", m.getAccount(6)),
    emergency: m.getParameter("emergency", m.getAccount(9)),
    provider: m.getParameter("provider", m.getAccount(3)),
  };

  // Role `<HOLDER>_ROLE` of `contract` to `holders.<holder>`, as future `grant<Holder>`.
  const grantRole = (contract: Parameters<typeof m.call>[0], holder: keyof typeof holders) => {
    const future = `grant${holder.charAt(0).toUpperCase()}${holder.slice(1)}`;
    m.call(contract, "grantRole", [id(`${holder.toUpperCase()}_ROLE`), holders[holder]], {
      id: future,
    });
  };

  const drugTraceHolders = [
    "manufacturer",
    "distributor",
    "dispenser",
    "regulator",
    "sensor",
  ] as const;
  for (const holder of drugTraceHolders) grantRole(drugTrace, holder);
  m.call(
    drugTrace,
    "bindCompanyPrefix",
    [
      m.getParameter("manufacturerPrefix", 9506000n),
      m.getParameter("manufacturerPrefixLength", 7n),
      holders.manufacturer,
      m.getParameter("manufacturerName", "Acme Pharma GmbH"),
    ],
    { id: "bindManufacturerPrefix" },
  );
  grantRole(patientConsent, "emergency");
  grantRole(insuranceClaim, "insurer");
  grantRole(insuranceClaim, "provider");

  return { drugTrace, patientConsent, insuranceClaim, patientAccountFactory };
});
