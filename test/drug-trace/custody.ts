import { expect } from "chai";
import { ZeroAddress, id } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("ship", function () {
    it("moves units from the sender's holding into a pending shipment to the named recipient", async function () {
      const { drugTrace, manufacturer, distributor, batchId } = await dt.networkHelpers.loadFixture(
        dt.registeredFixture,
      );
      const shipmentId = dt.shipmentIdOf(1n, manufacturer.address);
      expect(
        await drugTrace.connect(manufacturer).ship.staticCall(batchId, distributor.address, 120n),
      ).to.equal(shipmentId);
      const tx = drugTrace.connect(manufacturer).ship(batchId, distributor.address, 120n);
      await expect(tx)
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(batchId, shipmentId, distributor.address, manufacturer.address, 120n);
      const block = await (await tx).getBlock();
      const record = await drugTrace.shipmentOf(shipmentId);
      expect(record.sender).to.equal(manufacturer.address);
      expect(record.recipient).to.equal(distributor.address);
      expect(record.batchId).to.equal(batchId);
      expect(record.quantity).to.equal(120n);
      expect(record.shippedAt).to.equal(BigInt(block!.timestamp));
      expect(record.state).to.equal(dt.ShipmentState.Pending);
      expect(await drugTrace.shipmentStateOf(shipmentId)).to.equal(dt.ShipmentState.Pending);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 120n,
      );
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(0n);
    });

    it("numbers shipments in sequence with the sender in the low 160 bits", async function () {
      const { drugTrace, distributor, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await expect(drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n))
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(
          batchId,
          dt.shipmentIdOf(3n, distributor.address),
          pharmacy.address,
          distributor.address,
          1n,
        );
      await expect(drugTrace.connect(pharmacy).ship(batchId, distributor.address, 1n))
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(
          batchId,
          dt.shipmentIdOf(4n, pharmacy.address),
          distributor.address,
          pharmacy.address,
          1n,
        );
    });

    it("lets a pharmacy return stock to its distributor", async function () {
      const { drugTrace, distributor, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await drugTrace.connect(distributor).acceptShipment(dt.shipmentIdOf(3n, pharmacy.address));
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(0n);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(200n);
    });

    it("lets a holder whose trade role was revoked send its stock back", async function () {
      const { drugTrace, admin, distributor, manufacturer, batchId } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await drugTrace.connect(admin).revokeRole(id("DISTRIBUTOR_ROLE"), distributor.address);
      await expect(
        drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n),
      ).to.emit(drugTrace, "ShipmentSent");
    });

    it("allows returns to the manufacturer after a recall", async function () {
      const { drugTrace, regulator, distributor, manufacturer, batchId } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await drugTrace.connect(regulator).recall(batchId, 7n, dt.EVIDENCE);
      await drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n);
      const shipmentId = dt.shipmentIdOf(3n, distributor.address);
      await expect(drugTrace.connect(manufacturer).acceptShipment(shipmentId))
        .to.emit(drugTrace, "ShipmentAccepted")
        .withArgs(batchId, shipmentId, manufacturer.address, distributor.address, 150n);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 50n,
      );
    });

    it("allows returns to the manufacturer after expiry", async function () {
      const { drugTrace, distributor, manufacturer, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Expired);
      await expect(drugTrace.connect(distributor).ship(batchId, manufacturer.address, 10n)).to.emit(
        drugTrace,
        "ShipmentSent",
      );
    });

    it("reverts when the quantity is zero", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, distributor, batchId } = fixture;
      await dt.refuses(
        dt.watchTrace(fixture, [batchId], [dt.shipmentIdOf(1n, manufacturer.address)]),
        "DrugTraceZeroQuantity",
        [],
        () => drugTrace.connect(manufacturer).ship(batchId, distributor.address, 0n),
      );
    });

    it("reverts when shipping to oneself", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, batchId } = fixture;
      await dt.refuses(
        dt.watchTrace(fixture, [batchId], [dt.shipmentIdOf(1n, manufacturer.address)]),
        "DrugTraceShipmentToSelf",
        [manufacturer.address],
        () => drugTrace.connect(manufacturer).ship(batchId, manufacturer.address, 1n),
      );
    });

    it("reverts when the recipient holds no trade role (attack), whatever else it holds", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, stranger, regulator, sensor, pauser, batchId } = fixture;
      await dt.expectNothingChanged(
        dt.traceState(fixture, [batchId], [dt.shipmentIdOf(1n, manufacturer.address)]),
        async () => {
          for (const to of [
            stranger.address,
            regulator.address,
            sensor.address,
            pauser.address,
            ZeroAddress,
          ]) {
            await dt.expectRevert(
              drugTrace.connect(manufacturer).ship(batchId, to, 1n),
              drugTrace,
              "DrugTraceNotTradePartner",
              to,
            );
          }
        },
      );
    });

    it("reverts when the batch is not registered", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, distributor } = fixture;
      const unknown = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.revertsInBatchState(
        drugTrace,
        drugTrace.connect(manufacturer).ship(unknown, distributor.address, 1n),
        unknown,
        dt.BatchState.None,
        dt.ACTIVE,
      );
    });

    it("reverts when shipping a recalled batch onward and changes nothing", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, regulator, distributor, pharmacy, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 7n, dt.EVIDENCE);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId], [dt.shipmentIdOf(3n, distributor.address)]),
        "DrugTraceUnexpectedBatchState",
        [batchId, dt.BatchState.Recalled, dt.ACTIVE],
        () => drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n),
      );
    });

    it("reverts when shipping an expired batch onward", async function () {
      const { drugTrace, distributor, pharmacy, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      await dt.revertsInBatchState(
        drugTrace,
        drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n),
        batchId,
        dt.BatchState.Expired,
        dt.ACTIVE,
      );
    });

    it("reverts when shipping a quarantined batch, even back to the manufacturer", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, sensor, distributor, manufacturer, pharmacy, batchId } = fixture;
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 1250);
      await dt.expectNothingChanged(
        dt.traceState(fixture, [batchId], [dt.shipmentIdOf(3n, distributor.address)]),
        async () => {
          await dt.revertsInBatchState(
            drugTrace,
            drugTrace.connect(distributor).ship(batchId, manufacturer.address, 1n),
            batchId,
            dt.BatchState.Quarantined,
            dt.RETURNABLE,
          );
          await dt.revertsInBatchState(
            drugTrace,
            drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n),
            batchId,
            dt.BatchState.Quarantined,
            dt.ACTIVE,
          );
        },
      );
    });

    it("reverts when the sender holds too few units, or none", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, distributor, pharmacy, pharmacy2, stranger, batchId } = fixture;
      await dt.expectNothingChanged(
        dt.traceState(fixture, [batchId], [dt.shipmentIdOf(3n, pharmacy.address)]),
        async () => {
          await dt.expectRevert(
            drugTrace.connect(pharmacy).ship(batchId, distributor.address, 51n),
            drugTrace,
            "DrugTraceInsufficientHolding",
            batchId,
            pharmacy.address,
            50n,
            51n,
          );
          await dt.expectRevert(
            drugTrace.connect(stranger).ship(batchId, pharmacy2.address, 1n),
            drugTrace,
            "DrugTraceInsufficientHolding",
            batchId,
            stranger.address,
            0n,
            1n,
          );
        },
      );
    });

    it("reverts when paused", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, distributor, pauser, batchId } = fixture;
      await drugTrace.connect(pauser).pause();
      await dt.expectRevert(
        drugTrace.connect(manufacturer).ship(batchId, distributor.address, 1n),
        drugTrace,
        "EnforcedPause",
      );
    });
  });

  describe("acceptShipment", function () {
    it("credits the named recipient and closes the shipment", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await expect(drugTrace.connect(distributor).acceptShipment(pending))
        .to.emit(drugTrace, "ShipmentAccepted")
        .withArgs(batchId, pending, distributor.address, manufacturer.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(dt.ShipmentState.Accepted);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(150n + 30n);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 230n,
      );
    });

    it("settles a shipment whatever happened to the batch meanwhile", async function () {
      const { drugTrace, regulator, distributor, batchId, pending } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE);
      await drugTrace.connect(distributor).acceptShipment(pending);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(180n);
    });

    it("reverts when someone the sender did not name claims the custody (attack)", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, manufacturer, pharmacy, stranger, batchId, pending } = fixture;
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId], [pending]), async () => {
        for (const claimant of [stranger, pharmacy, manufacturer]) {
          await dt.expectRevert(
            drugTrace.connect(claimant).acceptShipment(pending),
            drugTrace,
            "DrugTraceNotShipmentRecipient",
            pending,
            claimant.address,
          );
        }
      });
    });

    it("reverts for an unknown shipment", async function () {
      const { drugTrace, distributor, manufacturer } = await dt.networkHelpers.loadFixture(
        dt.pendingFixture,
      );
      const unknown = dt.shipmentIdOf(9n, manufacturer.address);
      await dt.expectRevert(
        drugTrace.connect(distributor).acceptShipment(unknown),
        drugTrace,
        "DrugTraceUnexpectedShipmentState",
        unknown,
        dt.ShipmentState.None,
        dt.expectedStates(dt.ShipmentState.Pending),
      );
    });

    it("reverts when the shipment was already accepted, rejected or cancelled", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, manufacturer, distributor, batchId, pending, toDistributor } = fixture;
      await dt.refuses(
        dt.watchTrace(fixture, [batchId], [toDistributor]),
        "DrugTraceUnexpectedShipmentState",
        [toDistributor, dt.ShipmentState.Accepted, dt.expectedStates(dt.ShipmentState.Pending)],
        () => drugTrace.connect(distributor).acceptShipment(toDistributor),
      );
      await drugTrace.connect(manufacturer).cancelShipment(pending);
      await dt.expectRevert(
        drugTrace.connect(distributor).acceptShipment(pending),
        drugTrace,
        "DrugTraceUnexpectedShipmentState",
        pending,
        dt.ShipmentState.Cancelled,
        dt.expectedStates(dt.ShipmentState.Pending),
      );
    });

    dt.itRevertsWhenPaused(dt.pendingFixture, ({ drugTrace, distributor, pending }) =>
      drugTrace.connect(distributor).acceptShipment(pending),
    );
  });

  describe("rejectShipment", function () {
    it("returns the units to the sender", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await expect(drugTrace.connect(distributor).rejectShipment(pending))
        .to.emit(drugTrace, "ShipmentRejected")
        .withArgs(batchId, pending, distributor.address, manufacturer.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(dt.ShipmentState.Rejected);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 200n,
      );
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(150n);
    });

    it("reverts when anyone but the recipient rejects", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, manufacturer, stranger, batchId, pending } = fixture;
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId], [pending]),
        [manufacturer, stranger],
        "DrugTraceNotShipmentRecipient",
        (signer) => [pending, signer.address],
        (signer) => drugTrace.connect(signer).rejectShipment(pending),
      );
    });

    it("reverts when the shipment is no longer pending", async function () {
      const { drugTrace, distributor, pending } = await dt.networkHelpers.loadFixture(
        dt.pendingFixture,
      );
      await drugTrace.connect(distributor).rejectShipment(pending);
      await dt.expectRevert(
        drugTrace.connect(distributor).rejectShipment(pending),
        drugTrace,
        "DrugTraceUnexpectedShipmentState",
        pending,
        dt.ShipmentState.Rejected,
        dt.expectedStates(dt.ShipmentState.Pending),
      );
    });

    dt.itRevertsWhenPaused(dt.pendingFixture, ({ drugTrace, distributor, pending }) =>
      drugTrace.connect(distributor).rejectShipment(pending),
    );
  });

  describe("cancelShipment", function () {
    it("returns the units to the sender before acceptance", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await expect(drugTrace.connect(manufacturer).cancelShipment(pending))
        .to.emit(drugTrace, "ShipmentCancelled")
        .withArgs(batchId, pending, manufacturer.address, distributor.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(dt.ShipmentState.Cancelled);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(
        dt.UNIT_COUNT - 200n,
      );
    });

    it("reverts when anyone but the sender cancels", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, distributor, stranger, batchId, pending } = fixture;
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId], [pending]),
        [distributor, stranger],
        "DrugTraceNotShipmentSender",
        (signer) => [pending, signer.address],
        (signer) => drugTrace.connect(signer).cancelShipment(pending),
      );
    });

    it("reverts after acceptance", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, manufacturer, distributor, batchId, pending } = fixture;
      await drugTrace.connect(distributor).acceptShipment(pending);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId], [pending]),
        "DrugTraceUnexpectedShipmentState",
        [pending, dt.ShipmentState.Accepted, dt.expectedStates(dt.ShipmentState.Pending)],
        () => drugTrace.connect(manufacturer).cancelShipment(pending),
      );
    });

    dt.itRevertsWhenPaused(dt.pendingFixture, ({ drugTrace, manufacturer, pending }) =>
      drugTrace.connect(manufacturer).cancelShipment(pending),
    );
  });

  describe("conservation", function () {
    it("keeps holdings + in transit = registered − dispensed along a journey", async function () {
      const { drugTrace, manufacturer, distributor, pharmacy, pharmacy2, batchId } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0);
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 256);
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 20n);
      await drugTrace.connect(pharmacy2).rejectShipment(dt.shipmentIdOf(4n, distributor.address));
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 15n);

      let held = 0n;
      for (const holder of [manufacturer, distributor, pharmacy, pharmacy2]) {
        held += await drugTrace.holdingOf(batchId, holder.address);
      }
      const inTransit =
        (await drugTrace.shipmentOf(dt.shipmentIdOf(3n, manufacturer.address))).quantity +
        (await drugTrace.shipmentOf(dt.shipmentIdOf(5n, distributor.address))).quantity;
      expect(held + inTransit).to.equal(dt.UNIT_COUNT - 2n);
    });
  });
});
