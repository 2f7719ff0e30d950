import { expect } from "chai";
import { ZeroAddress, encodeBytes32String } from "ethers";

import * as dt from "../helpers/drug-trace.js";

type Stocked = Awaited<ReturnType<typeof dt.stockedFixture>>;

describe("DrugTrace", function () {
  describe("dispense", function () {
    it("decommissions a unit, attributes it to the dispenser and takes it from its holding", async function () {
      const { drugTrace, pharmacy, pharmacy2, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await expect(dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 7))
        .to.emit(drugTrace, "UnitDispensed")
        .withArgs(batchId, 7n, pharmacy.address, dt.serialOf(7));
      expect(await drugTrace.isDispensed(batchId, 7n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 6n)).to.equal(false);
      expect(await drugTrace.isDispensedBy(batchId, 7n, pharmacy.address)).to.equal(true);
      expect(await drugTrace.isDispensedBy(batchId, 7n, pharmacy2.address)).to.equal(false);
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(49n);
      const [status] = await drugTrace.verifyUnit(
        dt.GTIN,
        dt.LOT,
        dt.serialOf(7),
        7n,
        dt.proofOf(7),
      );
      expect(status).to.equal(dt.UnitStatus.Dispensed);
    });

    it("dispenses units on both sides of a bitmap word boundary (255, 256)", async function () {
      const { drugTrace, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 255);
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 256);
      expect(await drugTrace.isDispensed(batchId, 255n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 256n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 254n)).to.equal(false);
      expect(await drugTrace.isDispensed(batchId, 257n)).to.equal(false);
      expect(await drugTrace.isDispensedBy(batchId, 256n, pharmacy.address)).to.equal(true);
    });

    it("dispenses up to the expiry second", async function () {
      const { drugTrace, pharmacy, batchId, expiry } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.networkHelpers.time.setNextBlockTimestamp(expiry);
      await expect(dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0)).to.emit(
        drugTrace,
        "UnitDispensed",
      );
    });

    it("reverts when a copied serial is dispensed a second time (attack), by anyone", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, distributor, pharmacy, pharmacy2, batchId } = fixture;
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 5n);
      await drugTrace.connect(pharmacy2).acceptShipment(dt.shipmentIdOf(3n, distributor.address));
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 2);
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        for (const dispenser of [pharmacy, pharmacy2]) {
          await dt.expectRevert(
            dt.dispenseUnit(drugTrace.connect(dispenser), batchId, 2),
            drugTrace,
            "DrugTraceUnitAlreadyDispensed",
            batchId,
            2n,
          );
        }
      });
    });

    it("reverts on a forged proof (attack): wrong serial, wrong index, another unit's proof, no proof", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, pharmacy, batchId } = fixture;
      const forged = encodeBytes32String("SN-COUNTERFEIT");
      const asPharmacy = drugTrace.connect(pharmacy);
      // [index, serial, proof]: a forged serial, another index, another unit's proof, no proof.
      const forgeries: [bigint, string, string[]][] = [
        [1n, forged, dt.proofOf(1)],
        [2n, dt.serialOf(1), dt.proofOf(1)],
        [1n, dt.serialOf(1), dt.proofOf(2)],
        [1n, dt.serialOf(1), []],
      ];
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        for (const [index, serial, proof] of forgeries) {
          await dt.expectRevert(
            asPharmacy.dispense(batchId, index, serial, proof),
            drugTrace,
            "DrugTraceUnitNotInBatch",
            batchId,
            index,
            serial,
          );
        }
      });
    });

    it("reverts for an index at or past the unit count", async function () {
      const { drugTrace, pharmacy, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.expectRevert(
        drugTrace.connect(pharmacy).dispense(batchId, dt.UNIT_COUNT, dt.serialOf(0), dt.proofOf(0)),
        drugTrace,
        "DrugTraceUnitNotInBatch",
        batchId,
        dt.UNIT_COUNT,
        dt.serialOf(0),
      );
    });

    it("reverts when the dispenser holds no stock of the batch (attack)", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, pharmacy2, batchId } = fixture;
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceInsufficientHolding",
        [batchId, pharmacy2.address, 0n, 1n],
        () => dt.dispenseUnit(drugTrace.connect(pharmacy2), batchId, 0),
      );
    });

    it("reverts when a distributor holding stock dispenses", async function () {
      const { drugTrace, distributor, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.expectUnauthorized(
        dt.dispenseUnit(drugTrace.connect(distributor), batchId, 0),
        drugTrace,
        distributor.address,
        "DISPENSER_ROLE",
      );
    });

    const unsellable = [
      {
        unit: "a recalled unit",
        state: dt.BatchState.Recalled,
        act: (f: Stocked) => f.drugTrace.connect(f.manufacturer).recall(f.batchId, 2n, dt.EVIDENCE),
      },
      {
        unit: "a quarantined unit",
        state: dt.BatchState.Quarantined,
        act: (f: Stocked) =>
          f.drugTrace.connect(f.sensor).reportExcursion(f.batchId, dt.READING, -350),
      },
    ];
    for (const c of unsellable) {
      it(`reverts for ${c.unit} (attack)`, async function () {
        const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
        const { drugTrace, pharmacy, batchId } = fixture;
        await c.act(fixture);
        await dt.refuses(
          dt.watchTrace(fixture, [batchId]),
          "DrugTraceUnexpectedBatchState",
          [batchId, c.state, dt.ACTIVE],
          () => dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
        );
      });
    }

    it("reverts for an expired unit (attack), from the second after expiry", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, pharmacy, batchId, expiry } = fixture;
      await dt.networkHelpers.time.increaseTo(expiry);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceUnexpectedBatchState",
        [batchId, dt.BatchState.Expired, dt.ACTIVE],
        () => dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
      );
    });

    it("reverts for an unregistered batch", async function () {
      const { drugTrace, pharmacy } = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const unknown = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.revertsInBatchState(
        drugTrace,
        dt.dispenseUnit(drugTrace.connect(pharmacy), unknown, 0),
        unknown,
        dt.BatchState.None,
        dt.ACTIVE,
      );
    });

    dt.itRevertsWhenPaused(dt.stockedFixture, ({ drugTrace, pharmacy, batchId }) =>
      dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
    );
  });

  describe("verifyUnit", function () {
    it("says Active, with expiry and manufacturer, to anyone for free", async function () {
      const { drugTrace, stranger, manufacturer, expiry } = await dt.networkHelpers.loadFixture(
        dt.registeredFixture,
      );
      const verdict = await drugTrace
        .connect(stranger)
        .verifyUnit(dt.GTIN, dt.LOT, dt.serialOf(3), 3n, dt.proofOf(3));
      expect(verdict.status).to.equal(dt.UnitStatus.Active);
      expect(verdict.expiry).to.equal(expiry);
      expect(verdict.manufacturer).to.equal(manufacturer.address);
    });

    it("says Unknown, vouching for nothing, for a counterfeit or unregistered code", async function () {
      const { drugTrace } = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const cases: [bigint, string, string, bigint, string[]][] = [
        [dt.GTIN, dt.OTHER_LOT, dt.serialOf(3), 3n, dt.proofOf(3)], // no such batch
        [dt.GTIN, dt.LOT, encodeBytes32String("SN-FAKE"), 3n, dt.proofOf(3)], // serial not in the tree
        [dt.GTIN, dt.LOT, dt.serialOf(3), 4n, dt.proofOf(3)], // wrong index
        [dt.GTIN, dt.LOT, dt.serialOf(3), 3n, dt.proofOf(4)], // wrong proof
        [dt.GTIN, dt.LOT, dt.serialOf(3), dt.UNIT_COUNT + 3n, dt.proofOf(3)], // past the count
        [4006381333931n, dt.LOT, dt.serialOf(3), 3n, dt.proofOf(3)], // another GTIN
      ];
      for (const [gtin, lot, serial, index, proof] of cases) {
        const verdict = await drugTrace.verifyUnit(gtin, lot, serial, index, proof);
        expect(verdict.status).to.equal(dt.UnitStatus.Unknown);
        expect(verdict.expiry).to.equal(0n);
        expect(verdict.manufacturer).to.equal(ZeroAddress);
      }
    });

    it("says Recalled, Quarantined and Expired for such batches", async function () {
      const { drugTrace, regulator, sensor, batchId, expiry } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      const verify = async () =>
        (await drugTrace.verifyUnit(dt.GTIN, dt.LOT, dt.serialOf(0), 0n, dt.proofOf(0))).status;
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900);
      expect(await verify()).to.equal(dt.UnitStatus.Quarantined);
      await drugTrace.connect(regulator).releaseQuarantine(batchId);
      expect(await verify()).to.equal(dt.UnitStatus.Active);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      expect(await verify()).to.equal(dt.UnitStatus.Expired);
      await drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE);
      expect(await verify()).to.equal(dt.UnitStatus.Recalled);
    });

    it("ranks Dispensed over Recalled, Recalled over Quarantined, Quarantined over Expired", async function () {
      const { drugTrace, pharmacy, regulator, sensor, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const verify = async (index: number) =>
        (
          await drugTrace.verifyUnit(
            dt.GTIN,
            dt.LOT,
            dt.serialOf(index),
            BigInt(index),
            dt.proofOf(index),
          )
        ).status;
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 5);
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      expect(await verify(5)).to.equal(dt.UnitStatus.Dispensed);
      expect(await verify(6)).to.equal(dt.UnitStatus.Quarantined);
      await drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE);
      expect(await verify(5)).to.equal(dt.UnitStatus.Dispensed);
      expect(await verify(6)).to.equal(dt.UnitStatus.Recalled);
    });

    it("still answers while paused", async function () {
      const { drugTrace, pauser } = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      await drugTrace.connect(pauser).pause();
      const verdict = await drugTrace.verifyUnit(
        dt.GTIN,
        dt.LOT,
        dt.serialOf(0),
        0n,
        dt.proofOf(0),
      );
      expect(verdict.status).to.equal(dt.UnitStatus.Active);
    });
  });
});
