import {
  formatParticipant,
  grantDrugTraceRole,
  readCustodianOf,
  readDrugTraceRoles,
  readNameOf,
  revokeDrugTraceRole,
} from "../../sdk/drug-trace/index.js";
import { parseRoleOption } from "./options.js";
import { InputError } from "../../sdk/errors.js";
import { isGiven, parseAddressOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";

/** `trace roles` options. */
export interface RolesArgs {
  readonly account?: string | undefined;
  readonly grant?: string | undefined;
  readonly revoke?: string | undefined;
  readonly from?: string | undefined;
  readonly address?: string | undefined;
}

/**
 * `trace roles --account <address> [--grant <role> | --revoke <role>]`: lists the account's
 * roles; with `--grant` or `--revoke`, the `--from` admin changes one first. Roles by word:
 * manufacturer, distributor, dispenser, regulator, sensor, pauser.
 */
export async function traceRoles(
  args: RolesArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const account = parseAddressOption(args.account, "--account");
  if (isGiven(args.grant) && isGiven(args.revoke)) {
    throw new InputError("give --grant or --revoke, not both");
  }
  const grant = isGiven(args.grant) ? parseRoleOption(args.grant, "--grant") : undefined;
  const revoke = isGiven(args.revoke) ? parseRoleOption(args.revoke, "--revoke") : undefined;
  const { drugTrace } = await openDrugTrace(connection, args);

  const fields: [string, string][] = [];
  if (grant !== undefined) {
    const granted = await grantDrugTraceRole(drugTrace, grant, account);
    fields.push(["granted", `${grant}_ROLE`], ["gas used", formatGas(granted.gasUsed)]);
  }
  if (revoke !== undefined) {
    const revoked = await revokeDrugTraceRole(drugTrace, revoke, account);
    fields.push(["revoked", `${revoke}_ROLE`], ["gas used", formatGas(revoked.gasUsed)]);
  }
  const [held, name, custodian] = await Promise.all([
    readDrugTraceRoles(drugTrace, account),
    readNameOf(drugTrace, account),
    readCustodianOf(drugTrace, account),
  ]);
  const sensorFields: [string, string][] =
    custodian === undefined
      ? []
      : [["sensor of", formatParticipant(await readNameOf(drugTrace, custodian), custodian)]];
  io.print(
    formatFields([
      ["account", account],
      ["name", name === "" ? "(none)" : name],
      ...fields,
      ["roles", held.length === 0 ? "(none)" : held.map((role) => `${role}_ROLE`).join(", ")],
      ...sensorFields,
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceRoles);
