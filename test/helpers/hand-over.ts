import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { acceptShipment, ship } from "../../sdk/drug-trace/index.js";
import type { DrugTrace } from "../../typechain-types/index.js";

/**
 * Moves `quantity` units of `batchId` from `from` to `to` the way the trade does: `from` ships,
 * `to` accepts (the SDK's `ship` and `acceptShipment`). Returns the shipment's id.
 *
 * @example
 * await handOver(drugTrace, accounts.manufacturer, accounts.pharmacy, batchId, 2n);
 */
export async function handOver(
  drugTrace: DrugTrace,
  from: HardhatEthersSigner,
  to: HardhatEthersSigner,
  batchId: string,
  quantity: bigint,
): Promise<bigint> {
  const { shipmentId } = await ship(drugTrace.connect(from), { batchId, to: to.address, quantity });
  await acceptShipment(drugTrace.connect(to), shipmentId);
  return shipmentId;
}
