import {
  DRUG_TRACE_ROLES,
  formatParticipant,
  grantDrugTraceRole,
  readCustodianOf,
  readNameOf,
  revokeDrugTraceRole,
} from "../../sdk/drug-trace/index.js";
import { rolesAction } from "../lib/roles.js";
import type { DrugTraceRole } from "../../sdk/drug-trace/index.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { traceTask } from "./connection.js";

/**
 * `trace roles --account <address> [--grant <role> | --revoke <role>]`: lists the account's
 * roles, with its public company name and, for a sensor, its custodian; with `--grant` or
 * `--revoke`, the `--from` admin changes one first. Roles by word: manufacturer, distributor,
 * dispenser, regulator, sensor, pauser.
 */
export const traceRoles = rolesAction({
  contract: "DrugTrace",
  roles: Object.keys(DRUG_TRACE_ROLES),
  change: (contract, change, role, account) =>
    (change === "grant" ? grantDrugTraceRole : revokeDrugTraceRole)(
      contract as unknown as DrugTrace,
      role as DrugTraceRole,
      account,
    ),
  describe: async (contract, account) => {
    const drugTrace = contract as unknown as DrugTrace;
    const [name, custodian] = await Promise.all([
      readNameOf(drugTrace, account),
      readCustodianOf(drugTrace, account),
    ]);
    return {
      before: [["name", name === "" ? "(none)" : name]],
      after:
        custodian === undefined
          ? []
          : [["sensor of", formatParticipant(await readNameOf(drugTrace, custodian), custodian)]],
    };
  },
});

export default traceTask(traceRoles);
