import { traceTask } from "./connection.js";
import { settleAction } from "./settle.js";

/** `trace accept --shipment <id>`: the named recipient takes the units into its holding. */
export const traceAccept = settleAction("accepted");

export default traceTask(traceAccept);
