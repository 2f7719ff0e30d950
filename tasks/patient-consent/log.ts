import { purposeName, readAccessLog } from "../../sdk/patient-consent/index.js";
import type { AccessLogEntry } from "../../sdk/patient-consent/index.js";
import { parseFromBlockOption } from "../lib/options.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { colour, formatTable, formatTimestamp } from "../lib/terminal.js";
import { consentTask, openForPatient } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `consent log` options. */
export type LogArgs = SignedOptions<"patient" | "fromBlock">;

function row(entry: AccessLogEntry): (string | number)[] {
  const base = [entry.blockNumber, formatTimestamp(entry.timestamp)];
  switch (entry.kind) {
    case "access":
      return [
        ...base,
        entry.flaggedForAudit ? "access (BREAK-GLASS)" : "access",
        entry.accessor,
        purposeName(entry.purpose),
        `${entry.recordHash} of ${entry.provider}`,
        entry.flaggedForAudit ? `break-glass #${entry.breakGlassId}` : `consent ${entry.consentId}`,
      ];
    case "break-glass-opened":
      return [
        ...base,
        "BREAK-GLASS opened",
        entry.responder,
        "ETREAT",
        `reason ${entry.reasonHash}`,
        `break-glass #${entry.breakGlassId} until ${formatTimestamp(entry.end)}`,
      ];
    case "break-glass-ended":
      return [
        ...base,
        "BREAK-GLASS ended",
        entry.responder,
        "ETREAT",
        "",
        `break-glass #${entry.breakGlassId}`,
      ];
  }
}

/** `consent log`: a patient's access log, rebuilt from events, break-glass flagged. */
export async function consentLog(
  args: LogArgs,
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const fromBlock = parseFromBlockOption(args.fromBlock);

  const { contract: consent, patient } = await openForPatient(connection, args);
  const entries = await readAccessLog(consent, patient, fromBlock);
  if (entries.length === 0) {
    io.print(`no access to records of ${patient} logged since block ${fromBlock}`);
    return EXIT_OK;
  }
  const flagged = entries.filter((entry) => entry.flaggedForAudit).length;
  io.print(
    `access log of ${patient}: ${entries.length} ${entries.length === 1 ? "entry" : "entries"}` +
      (flagged > 0 ? colour.yellow(`, ${flagged} flagged for audit (break-glass)`) : ""),
  );
  io.print(
    formatTable(
      ["block", "time", "event", "by", "purpose", "record", "covered by"],
      entries.map(row),
    ),
  );
  return EXIT_OK;
}

export default consentTask(consentLog);
