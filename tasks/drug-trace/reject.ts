import { traceTask } from "./connection.js";
import { settleAction } from "./settle.js";

/** `trace reject --shipment <id>`: the named recipient sends the units back into the sender's holding. */
export const traceReject = settleAction("rejected");

export default traceTask(traceReject);
