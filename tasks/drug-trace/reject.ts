import { traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import { settleShipment } from "./settle.js";
import type { SettleArgs } from "./settle.js";

/** `trace reject --shipment <id>`: the named recipient sends the units back into the sender's holding. */
export async function traceReject(
  args: SettleArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  return settleShipment("rejected", args, connection, io);
}

export default traceTask(traceReject);
