import {
  formatParticipant,
  readCustodianOf,
  readNameOf,
  readRegisteredBatch,
  readShipment,
  reportExcursion,
  reportShipmentExcursion,
} from "../../sdk/drug-trace/index.js";
import {
  formatCentiCelsius,
  parseBatchOption,
  parseCelsiusOption,
  parseShipmentOption,
} from "./options.js";
import { InputError } from "../../sdk/errors.js";
import { hashEvidence } from "../lib/evidence.js";
import { isGiven, requireOption } from "../lib/options.js";
import { formatFields, formatGas } from "../lib/terminal.js";
import { traceAction, traceTask } from "./connection.js";
import type { SignedOptions } from "../lib/task.js";

/** `trace excursion` options. */
export type ExcursionArgs = SignedOptions<
  "batch" | "gtin" | "lot" | "shipment" | "reading" | "extreme"
>;

/**
 * `trace excursion (--batch <id> | --gtin <GTIN> --lot <lot> | --shipment <id>) --reading <file|0xhash> --extreme <°C>`:
 * a cold-chain sensor reports a temperature excursion of stock its custodian holds (by batch) or
 * of a shipment its custodian sent or receives; the batch is quarantined.
 */
export const traceExcursion = traceAction(
  async (args: ExcursionArgs) => {
    const byShipment = isGiven(args.shipment);
    if (byShipment && (isGiven(args.batch) || isGiven(args.gtin) || isGiven(args.lot))) {
      throw new InputError("give --shipment or the batch (--batch, or --gtin and --lot), not both");
    }
    return {
      shipmentId: byShipment ? parseShipmentOption(args.shipment) : undefined,
      readingHash: await hashEvidence(
        requireOption(args.reading, "--reading", "the sensor reading file or its 0x… hash"),
        "--reading",
      ),
      extremeCentiCelsius: parseCelsiusOption(args.extreme),
    };
  },
  async ({ shipmentId, readingHash, extremeCentiCelsius }, { drugTrace, signer, args, io }) => {
    const sensor = signer.address;
    const custodian = await readCustodianOf(drugTrace, sensor);
    if (custodian === undefined) {
      throw new InputError(
        `sensor ${sensor} is bound to no custodian: the trade partner it watches binds it first ('trace sensor --sensor ${sensor}')`,
      );
    }
    let batchId: string;
    if (shipmentId === undefined) {
      batchId = parseBatchOption(args).batchId;
      await readRegisteredBatch(drugTrace, batchId);
    } else {
      batchId = (await readShipment(drugTrace, shipmentId)).batchId;
    }

    const reported =
      shipmentId === undefined
        ? await reportExcursion(drugTrace, { batchId, readingHash, extremeCentiCelsius })
        : await reportShipmentExcursion(drugTrace, {
            shipmentId,
            readingHash,
            extremeCentiCelsius,
          });
    io.print(
      formatFields([
        ["excursion", batchId],
        ["custodian", formatParticipant(await readNameOf(drugTrace, custodian), custodian)],
        ["extreme", formatCentiCelsius(extremeCentiCelsius)],
        ["reading hash", readingHash],
        ["batch state", reported.batchQuarantined ? "Quarantined (now)" : "Quarantined (already)"],
        ["gas used", formatGas(reported.gasUsed)],
      ]),
    );
  },
);

export default traceTask(traceExcursion);
