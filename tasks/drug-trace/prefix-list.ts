import { tracePrefixList } from "./prefix.js";
import { traceTask } from "./connection.js";

export default traceTask(tracePrefixList);
