import { formatShipmentId, readPendingShipmentsOf } from "../../sdk/drug-trace/index.js";
import { isGiven, parseAddressOption, parseFromBlockOption, selectSigner } from "../lib/options.js";
import { formatTable, formatTimestamp } from "../lib/terminal.js";
import { EXIT_OK, readDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace pending` options. */
export type PendingArgs = SignedOptions<"account" | "fromBlock">;

/**
 * `trace pending [--account <address>]`: the shipments in transit to the account (it accepts or
 * rejects them) and from it (it may cancel them), as a table.
 */
export async function tracePending(
  args: PendingArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const account = isGiven(args.account)
    ? parseAddressOption(args.account, "--account")
    : selectSigner(await connection.ethers.getSigners(), args.from).address;
  const drugTrace = await readDrugTrace(connection, args);
  const { incoming, outgoing } = await readPendingShipmentsOf(
    drugTrace,
    account,
    parseFromBlockOption(args.fromBlock),
  );
  if (incoming.length === 0 && outgoing.length === 0) {
    io.print(`no shipments in transit to or from ${account}`);
    return EXIT_OK;
  }
  const rows = [
    ...incoming.map((s) => ["in: accept or reject", s, s.sender] as const),
    ...outgoing.map((s) => ["out: may cancel", s, s.recipient] as const),
  ].map(([direction, s, counterparty]) => [
    direction,
    formatShipmentId(s.shipmentId),
    s.batchId,
    counterparty,
    s.quantity,
    formatTimestamp(s.shippedAt),
  ]);
  io.print(`shipments in transit to or from ${account}`);
  io.print(
    formatTable(["direction", "shipment", "batch", "from / to", "quantity", "shipped at"], rows),
  );
  return EXIT_OK;
}

export default traceTask(tracePending);
