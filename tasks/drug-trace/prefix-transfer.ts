import { tracePrefixTransfer } from "./prefix.js";
import { traceTask } from "./connection.js";

export default traceTask(tracePrefixTransfer);
