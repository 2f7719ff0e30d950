import { expect } from "chai";
import { ZeroAddress, id } from "ethers";

import {
  EVIDENCE,
  GTIN,
  LIVE,
  OTHER_LOT,
  READING,
  batchIdOf,
  deployFixture,
  networkHelpers,
  pendingFixture,
  registeredFixture,
  stockedFixture,
  traceState,
  itRevertsWhenPaused,
} from "../helpers/drug-trace.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";
import { BatchState, QuarantineOrigin, ShipmentState, expectedStates } from "../helpers/states.js";

describe("DrugTrace", function () {
  describe("reportExcursion", function () {
    it("quarantines the batch and records the reading", async function () {
      const { drugTrace, sensor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, READING, 1250n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, QuarantineOrigin.Excursion);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        QuarantineOrigin.Excursion,
      );
    });

    it("records a further reading on a quarantined batch without quarantining it again", async function () {
      const { drugTrace, sensor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250);
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, -2000))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, READING, -2000n)
        .and.not.to.emit(drugTrace, "BatchQuarantined");
    });

    it("quarantines an expired batch", async function () {
      const { drugTrace, sensor, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.increaseTo(expiry + 1n);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
    });

    it("reverts for a recalled or unregistered batch", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, regulator, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(sensor).reportExcursion(batchId, READING, 900),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        batchId,
        BatchState.Recalled,
        LIVE,
      );
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expectRevert(
        drugTrace.connect(sensor).reportExcursion(unknown, READING, 900),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        unknown,
        BatchState.None,
        LIVE,
      );
    });

    it("reverts for anyone but a sensor", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, regulator, manufacturer, batchId } = fixture;
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [regulator, manufacturer]) {
          await expectRevert(
            drugTrace.connect(signer).reportExcursion(batchId, READING, 900),
            drugTrace,
            "AccessControlUnauthorizedAccount",
            signer.address,
            id("SENSOR_ROLE"),
          );
        }
      });
    });

    itRevertsWhenPaused(stockedFixture, ({ drugTrace, sensor, batchId }) =>
      drugTrace.connect(sensor).reportExcursion(batchId, READING, 900),
    );

    it("reverts for a sensor whose custodian never held the batch (attack: a leaked key) and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500),
        drugTrace,
        "DrugTraceBatchNotInCustody",
        batchId,
        pharmacy2.address,
        sensor.address,
      );
    });

    it("reverts for a sensor that no custodian bound", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500),
        drugTrace,
        "DrugTraceSensorNotBound",
        sensor.address,
      );
    });

    it("reverts once the custodian shipped its whole holding away", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, distributor, pharmacy, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy).bindSensor(sensor.address);
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500),
        drugTrace,
        "DrugTraceBatchNotInCustody",
        batchId,
        pharmacy.address,
        sensor.address,
      );
    });
  });

  describe("reportShipmentExcursion", function () {
    it("quarantines the batch of a shipment the custodian sent or receives", async function () {
      const { drugTrace, sensor, manufacturer, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(distributor).bindSensor(sensor.address);
      await expect(drugTrace.connect(sensor).reportShipmentExcursion(pending, READING, 950))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, distributor.address, READING, 950n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, QuarantineOrigin.Excursion);
    });

    it("reverts for a shipment between others, and for a settled one", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId, pending, toPharmacy } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await expectNothingChanged(
        traceState(fixture, [batchId], [pending, toPharmacy]),
        async () => {
          await expectRevert(
            drugTrace.connect(sensor).reportShipmentExcursion(pending, READING, 950),
            drugTrace,
            "DrugTraceBatchNotInCustody",
            batchId,
            pharmacy2.address,
            sensor.address,
          );
          await expectRevert(
            drugTrace.connect(sensor).reportShipmentExcursion(toPharmacy, READING, 950),
            drugTrace,
            "DrugTraceUnexpectedShipmentState",
            toPharmacy,
            ShipmentState.Accepted,
            expectedStates(ShipmentState.Pending),
          );
        },
      );
    });
  });

  describe("bindSensor and unbindSensor", function () {
    it("binds a sensor to the calling trade partner; its custodian or a regulator unbinds it", async function () {
      const { drugTrace, sensor, manufacturer, distributor, regulator } =
        await networkHelpers.loadFixture(deployFixture);
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
      const fixture = await networkHelpers.loadFixture(registeredFixture);
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
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const [call, error, ...args] of refusals) {
          await expectRevert(call(), drugTrace, error, ...args);
        }
      });
    });
  });
});
