import { formatShipmentId, readRegisteredBatch, ship } from "../../sdk/drug-trace/index.js";
import { parseBatchOption, parseQuantityOption } from "./options.js";
import { parseAddressOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { EXIT_OK, openDrugTrace, traceTask } from "./connection.js";
import type { TraceConnection, TraceIo } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace ship` options. */
export type ShipArgs = SignedOptions<"batch" | "gtin" | "lot" | "to" | "quantity">;

/**
 * `trace ship (--batch <id> | --gtin <GTIN> --lot <lot>) --to <address> --quantity <n>`: ships
 * units from the `--from` holder; they stay in transit until the recipient accepts them.
 */
export async function traceShip(
  args: ShipArgs,
  connection: TraceConnection,
  io: TraceIo,
): Promise<number> {
  const { batchId } = parseBatchOption(args);
  const to = parseAddressOption(args.to, "--to");
  const quantity = parseQuantityOption(args.quantity);
  const { drugTrace, signer } = await openDrugTrace(connection, args);
  await readRegisteredBatch(drugTrace, batchId);

  const shipped = await ship(drugTrace, { batchId, to, quantity });
  const shipment = formatShipmentId(shipped.shipmentId);
  io.print(
    formatFields([
      ["shipment", shipment],
      ["batch", batchId],
      ["from", signer.address],
      ["to", to],
      ["quantity", quantity],
      ["gas used", formatGas(shipped.gasUsed)],
      ["next", `the recipient runs: npx hardhat trace accept --shipment ${shipment}`],
    ]),
  );
  return EXIT_OK;
}

export default traceTask(traceShip);
