import type { BytesLike, ContractTransactionResponse } from "ethers";

import type { DrugTrace } from "../../typechain-types/index.js";
import type { TraceReceipt } from "./contract.js";
import { decoded, sendDrugTraceFor, viewOf } from "./internal.js";
import { shipmentStateName } from "./vocabulary.js";
import type { ShipmentState } from "./vocabulary.js";

/*
 * Custody: shipping units of a batch and the recipient's (or sender's) answer, and reading a
 * shipment back.
 */

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           WRITES                           */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A shipment sent (`ShipmentSent`). */
export interface ShipReceipt extends TraceReceipt {
  readonly shipmentId: bigint;
}

/** A shipment accepted, rejected or cancelled. */
export interface SettleReceipt extends TraceReceipt {
  readonly batchId: string;
  readonly sender: string;
  readonly recipient: string;
  readonly quantity: bigint;
}

/**
 * Ships `quantity` units of a batch from the connected holder to `to`, who must accept them.
 *
 * @example
 * const { shipmentId } = await ship(drugTrace.connect(manufacturer), {
 *   batchId, to: distributor.address, quantity: 500n,
 * });
 */
export async function ship(
  drugTrace: DrugTrace,
  shipment: { readonly batchId: BytesLike; readonly to: string; readonly quantity: bigint },
): Promise<ShipReceipt> {
  const { sent, event } = await sendDrugTraceFor(drugTrace, "ShipmentSent", () =>
    drugTrace.ship(shipment.batchId, shipment.to, shipment.quantity),
  );
  return { ...sent, shipmentId: event.shipmentId };
}

async function settle(
  drugTrace: DrugTrace,
  eventName: "ShipmentAccepted" | "ShipmentRejected" | "ShipmentCancelled",
  action: () => Promise<ContractTransactionResponse>,
): Promise<SettleReceipt> {
  const { sent, event } = await sendDrugTraceFor(drugTrace, eventName, action);
  return {
    ...sent,
    batchId: event.batchId,
    sender: event.sender,
    recipient: event.recipient,
    quantity: event.quantity,
  };
}

/**
 * Accepts a pending shipment as its connected recipient: the units join its holding.
 *
 * @example
 * const { quantity } = await acceptShipment(drugTrace.connect(distributor), shipmentId);
 */
export async function acceptShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentAccepted", () => drugTrace.acceptShipment(shipmentId));
}

/**
 * Rejects a pending shipment as its connected recipient: the units go back to the sender.
 *
 * @example
 * await rejectShipment(drugTrace.connect(distributor), shipmentId);
 */
export async function rejectShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentRejected", () => drugTrace.rejectShipment(shipmentId));
}

/**
 * Cancels a pending shipment as its connected sender: the units come back.
 *
 * @example
 * await cancelShipment(drugTrace.connect(manufacturer), shipmentId);
 */
export async function cancelShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<SettleReceipt> {
  return settle(drugTrace, "ShipmentCancelled", () => drugTrace.cancelShipment(shipmentId));
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           READS                            */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** A shipment, decoded. */
export interface ShipmentView {
  readonly shipmentId: bigint;
  /** None for an unknown id (every other field is then zero). */
  readonly state: ShipmentState;
  readonly sender: string;
  readonly recipient: string;
  readonly batchId: string;
  readonly quantity: bigint;
  readonly shippedAt: bigint;
}

/**
 * Reads a shipment.
 *
 * @example
 * const { state, recipient } = await readShipment(drugTrace, shipmentId);
 */
export async function readShipment(
  drugTrace: DrugTrace,
  shipmentId: bigint,
): Promise<ShipmentView> {
  const record = await decoded(() => drugTrace.shipmentOf(shipmentId));
  return viewOf(record, { shipmentId, state: shipmentStateName(record.state) });
}
