import { expect } from "chai";
import { ZeroAddress } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("reportExcursion", function () {
    it("quarantines the batch and records the reading", async function () {
      const { drugTrace, sensor, manufacturer, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 1250))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, dt.READING, 1250n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, dt.QuarantineOrigin.Excursion);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Quarantined);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        dt.QuarantineOrigin.Excursion,
      );
    });

    it("records a further reading on a quarantined batch without quarantining it again", async function () {
      const { drugTrace, sensor, manufacturer, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 1250);
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, -2000))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, dt.READING, -2000n)
        .and.not.to.emit(drugTrace, "BatchQuarantined");
    });

    it("quarantines an expired batch", async function () {
      const { drugTrace, sensor, batchId, expiry } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Quarantined);
    });

    it("reverts for a recalled or unregistered batch", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, sensor, batchId } = fixture;
      await dt.refusesOnceRecalled(dt.watchTrace(fixture, [batchId]), fixture, dt.LIVE, () =>
        drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900),
      );
      const unknown = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.revertsInBatchState(
        drugTrace,
        drugTrace.connect(sensor).reportExcursion(unknown, dt.READING, 900),
        unknown,
        dt.BatchState.None,
        dt.LIVE,
      );
    });

    it("reverts for anyone but a sensor", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, regulator, manufacturer, batchId } = fixture;
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        for (const signer of [regulator, manufacturer]) {
          await dt.expectUnauthorized(
            drugTrace.connect(signer).reportExcursion(batchId, dt.READING, 900),
            drugTrace,
            signer.address,
            "SENSOR_ROLE",
          );
        }
      });
    });

    dt.itRevertsWhenPaused(dt.stockedFixture, ({ drugTrace, sensor, batchId }) =>
      drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900),
    );

    it("reverts for a sensor whose custodian never held the batch (attack: a leaked key) and changes nothing", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceBatchNotInCustody",
        [batchId, pharmacy2.address, sensor.address],
        () => drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 2500),
      );
    });

    it("reverts for a sensor that no custodian bound", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, sensor, manufacturer, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceSensorNotBound",
        [sensor.address],
        () => drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 2500),
      );
    });

    it("reverts once the custodian shipped its whole holding away", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, sensor, manufacturer, distributor, pharmacy, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy).bindSensor(sensor.address);
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceBatchNotInCustody",
        [batchId, pharmacy.address, sensor.address],
        () => drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 2500),
      );
    });
  });

  describe("reportShipmentExcursion", function () {
    it("quarantines the batch of a shipment the custodian sent or receives", async function () {
      const { drugTrace, sensor, manufacturer, distributor, batchId, pending } =
        await dt.networkHelpers.loadFixture(dt.pendingFixture);
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(distributor).bindSensor(sensor.address);
      await expect(drugTrace.connect(sensor).reportShipmentExcursion(pending, dt.READING, 950))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, distributor.address, dt.READING, 950n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, dt.QuarantineOrigin.Excursion);
    });

    it("reverts for a shipment between others, and for a settled one", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId, pending, toPharmacy } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await dt.expectNothingChanged(
        dt.traceState(fixture, [batchId], [pending, toPharmacy]),
        async () => {
          await dt.expectRevert(
            drugTrace.connect(sensor).reportShipmentExcursion(pending, dt.READING, 950),
            drugTrace,
            "DrugTraceBatchNotInCustody",
            batchId,
            pharmacy2.address,
            sensor.address,
          );
          await dt.expectRevert(
            drugTrace.connect(sensor).reportShipmentExcursion(toPharmacy, dt.READING, 950),
            drugTrace,
            "DrugTraceUnexpectedShipmentState",
            toPharmacy,
            dt.ShipmentState.Accepted,
            dt.expectedStates(dt.ShipmentState.Pending),
          );
        },
      );
    });
  });

  describe("bindSensor and unbindSensor", function () {
    it("binds a sensor to the calling trade partner; its custodian or a regulator unbinds it", async function () {
      const { drugTrace, sensor, manufacturer, distributor, regulator } =
        await dt.networkHelpers.loadFixture(dt.deployFixture);
      expect(await drugTrace.custodianOf(sensor.address)).to.equal(manufacturer.address);
      await expect(drugTrace.connect(regulator).unbindSensor(sensor.address))
        .to.emit(drugTrace, "SensorUnbound")
        .withArgs(sensor.address, manufacturer.address, regulator.address);
      await expect(drugTrace.connect(distributor).bindSensor(sensor.address))
        .to.emit(drugTrace, "SensorBound")
        .withArgs(sensor.address, distributor.address);
      await expect(drugTrace.connect(distributor).unbindSensor(sensor.address))
        .to.emit(drugTrace, "SensorUnbound")
        .withArgs(sensor.address, distributor.address, distributor.address);
      expect(await drugTrace.custodianOf(sensor.address)).to.equal(ZeroAddress);
    });

    it("reverts when another trade partner takes over a bound sensor (attack) or a stranger binds or unbinds", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, sensor, manufacturer, distributor, stranger, batchId } = fixture;
      const asDistributor = drugTrace.connect(distributor);
      const refusals: [() => Promise<unknown>, string, ...unknown[]][] = [
        [
          () => asDistributor.bindSensor(sensor.address),
          "DrugTraceSensorAlreadyBound",
          sensor.address,
          manufacturer.address,
        ],
        [
          () => asDistributor.unbindSensor(sensor.address),
          "DrugTraceNotSensorCustodian",
          sensor.address,
          distributor.address,
        ],
        [
          () => drugTrace.connect(stranger).bindSensor(stranger.address),
          "DrugTraceNotTradePartner",
          stranger.address,
        ],
        [() => asDistributor.bindSensor(ZeroAddress), "DrugTraceZeroAccount"],
        [
          () => asDistributor.unbindSensor(distributor.address),
          "DrugTraceSensorNotBound",
          distributor.address,
        ],
      ];
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        for (const [call, error, ...args] of refusals) {
          await dt.expectRevert(call(), drugTrace, error, ...args);
        }
      });
    });
  });
});
