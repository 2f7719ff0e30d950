import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { purposeName, readAccessLog } from "../../sdk/patient-consent/index.js";
import type { AccessLogEntry } from "../../sdk/patient-consent/index.js";
import { parseFromBlockOption, parseOptionalAddressOption } from "../lib/options.js";
import { cliAction, colour, formatTable, formatTimestamp } from "../lib/terminal.js";
import { connectPatientConsent } from "./connection.js";

interface LogArgs {
  patient?: string;
  fromBlock?: string;
  from?: string;
  address?: string;
}

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
export default cliAction(async (args: LogArgs, hre: HardhatRuntimeEnvironment) => {
  const patientOption = parseOptionalAddressOption(args.patient, "--patient");
  const fromBlock = parseFromBlockOption(args.fromBlock);

  const { consent, signer } = await connectPatientConsent(hre, args);
  const patient = patientOption ?? signer.address;
  const entries = await readAccessLog(consent, patient, fromBlock);
  if (entries.length === 0) {
    console.log(`no access to records of ${patient} logged since block ${fromBlock}`);
    return;
  }
  const flagged = entries.filter((entry) => entry.flaggedForAudit).length;
  console.log(
    `access log of ${patient}: ${entries.length} entries` +
      (flagged > 0 ? colour.yellow(`, ${flagged} flagged for audit (break-glass)`) : ""),
  );
  console.log(
    formatTable(
      ["block", "time", "event", "by", "purpose", "record", "covered by"],
      entries.map(row),
    ),
  );
});
