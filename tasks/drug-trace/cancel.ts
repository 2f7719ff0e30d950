import { traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import { settleShipment } from "./settle.js";
import type { SettleArgs } from "./settle.js";

/** `trace cancel --shipment <id>`: the sender takes the units back before the recipient acts. */
export async function traceCancel(
  args: SettleArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  return settleShipment("cancelled", args, connection, io);
}

export default traceTask(traceCancel);
