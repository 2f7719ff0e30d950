import { traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import { settleShipment } from "./settle.js";
import type { SettleArgs } from "./settle.js";

/** `trace accept --shipment <id>`: the named recipient takes the units into its holding. */
export async function traceAccept(
  args: SettleArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  return settleShipment("accepted", args, connection, io);
}

export default traceTask(traceAccept);
