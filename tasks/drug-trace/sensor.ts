import {
  bindSensor,
  formatParticipant,
  readCustodianOf,
  readNameOf,
  unbindSensor,
} from "../../sdk/drug-trace/index.js";
import { parseAddressOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace sensor` options. */
export type SensorArgs = SignedOptions<"sensor"> & { readonly unbind?: boolean | undefined };

/**
 * `trace sensor --sensor <address> [--unbind]`: a trade partner binds a cold-chain sensor to
 * itself (the sensor then reports only on goods it holds, ships or receives); with `--unbind` the
 * custodian, or a regulator answering a leaked key, unbinds it.
 */
export async function traceSensor(
  args: SensorArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const sensor = parseAddressOption(args.sensor, "--sensor");
  const { drugTrace } = await openDrugTrace(connection, args);
  const changed =
    args.unbind === true
      ? await unbindSensor(drugTrace, sensor)
      : await bindSensor(drugTrace, sensor);
  const custodian = await readCustodianOf(drugTrace, sensor);
  io.print(
    formatFields([
      ["sensor", sensor],
      [
        "custodian",
        custodian === undefined
          ? "(none: reports nothing)"
          : formatParticipant(await readNameOf(drugTrace, custodian), custodian),
      ],
      ["gas used", formatGas(changed.gasUsed)],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceSensor);
