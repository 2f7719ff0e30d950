import { traceTask } from "./connection.js";
import { settleAction } from "./settle.js";

/** `trace cancel --shipment <id>`: the sender takes the units back before the recipient acts. */
export const traceCancel = settleAction("cancelled");

export default traceTask(traceCancel);
