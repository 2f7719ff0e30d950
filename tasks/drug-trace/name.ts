import { formatParticipant, readNameOf, setParticipantName } from "../../sdk/drug-trace/index.js";
import { parseNameOption } from "./options.js";
import { parseAddressOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace name` options. */
export type NameArgs = SignedOptions<"account" | "name">;

/**
 * `trace name --account <address> --name <company name>`: a regulator sets the public display
 * name of a trade partner (a distributor, a pharmacy), shown as "Dispensed by <name>";
 * `--name ""` clears it. Company names only, never a person's.
 */
export async function traceName(
  args: NameArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const account = parseAddressOption(args.account, "--account");
  const name = parseNameOption(args.name, { allowEmpty: true });
  const { drugTrace } = await openDrugTrace(connection, args);
  const named = await setParticipantName(drugTrace, account, name);
  io.print(
    formatFields([
      ["account", formatParticipant(await readNameOf(drugTrace, account), account)],
      ["name", name === "" ? "(cleared)" : name],
      ["gas used", formatGas(named.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceName);
