import {
  acceptShipment,
  cancelShipment,
  formatShipmentId,
  readShipment,
  rejectShipment,
} from "../../sdk/drug-trace/index.js";
import { parseShipmentOption } from "./options.js";
import type { SettleReceipt } from "../../sdk/drug-trace/index.js";
import { InputError } from "../../sdk/errors.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { traceAction } from "./connection.js";
import type { TraceAction } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/*
 * What `trace accept`, `trace reject` and `trace cancel` share: they settle a pending shipment.
 */

/** `trace accept|reject|cancel` options. */
export type SettleArgs = SignedOptions<"shipment">;

const SETTLERS = {
  accepted: acceptShipment,
  rejected: rejectShipment,
  cancelled: cancelShipment,
} as const satisfies Record<
  string,
  (drugTrace: DrugTrace, shipmentId: bigint) => Promise<SettleReceipt>
>;

/**
 * The action of `trace accept`, `trace reject` or `trace cancel`: settles the `--shipment` as the
 * `--from` account and prints what moved where.
 */
export function settleAction(outcome: keyof typeof SETTLERS): TraceAction<SettleArgs> {
  return traceAction(
    (args: SettleArgs) => parseShipmentOption(args.shipment),
    async (shipmentId, { drugTrace, io }) => {
      const shipment = await readShipment(drugTrace, shipmentId);
      if (shipment.state === "None") {
        throw new InputError(
          `unknown shipment ${formatShipmentId(shipmentId)}: no shipment has that id`,
        );
      }
      const settled = await SETTLERS[outcome](drugTrace, shipmentId);
      const unitsWentTo = outcome === "accepted" ? settled.recipient : settled.sender;
      io.print(
        formatFields([
          [outcome, formatShipmentId(shipmentId)],
          ["batch", settled.batchId],
          ["from", settled.sender],
          ["to", settled.recipient],
          ["quantity", settled.quantity],
          ["units now held by", unitsWentTo],
          ["gas used", formatGas(settled.gasUsed)],
        ]),
      );
    },
  );
}
