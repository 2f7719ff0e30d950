import type { Signer } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import { acceptShipment, ship } from "../../sdk/drug-trace/index.js";
import type { SettleReceipt } from "../../sdk/drug-trace/index.js";

/*
 * Helpers the SDK tests share.
 */

/** The error `action` rejects with; a fulfilment fails the test. */
export async function caught(action: Promise<unknown>): Promise<unknown> {
  try {
    await action;
  } catch (error) {
    return error;
  }
  throw new Error("expected a failure");
}

/** Ships `quantity` units of a batch from `from` to `to`, who accepts them. */
export async function deliver(
  drugTrace: DrugTrace,
  batchId: string,
  from: Signer,
  to: Signer,
  quantity: bigint,
): Promise<SettleReceipt & { readonly shipmentId: bigint }> {
  const { shipmentId } = await ship(drugTrace.connect(from), {
    batchId,
    to: await to.getAddress(),
    quantity,
  });
  return { ...(await acceptShipment(drugTrace.connect(to), shipmentId)), shipmentId };
}
