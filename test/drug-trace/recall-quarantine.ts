import { expect } from "chai";
import { id } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("recall", function () {
    it("lets the batch's manufacturer recall it", async function () {
      const { drugTrace, manufacturer, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await expect(drugTrace.connect(manufacturer).recall(batchId, 12n, dt.EVIDENCE))
        .to.emit(drugTrace, "BatchRecalled")
        .withArgs(batchId, manufacturer.address, 12n, dt.EVIDENCE);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Recalled);
      expect((await drugTrace.batchOf(batchId)).state).to.equal(dt.BatchState.Recalled);
    });

    it("lets a regulator recall any batch, quarantined or expired ones too", async function () {
      const { drugTrace, regulator, sensor, manufacturer, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.stockedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900);
      await expect(drugTrace.connect(regulator).recall(batchId, 3n, dt.EVIDENCE))
        .to.emit(drugTrace, "BatchRecalled")
        .withArgs(batchId, regulator.address, 3n, dt.EVIDENCE);

      const other = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await drugTrace
        .connect(manufacturer)
        .registerBatch(...dt.batchArgs(dt.OTHER_LOT, expiry, 1n));
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      await drugTrace.connect(regulator).recall(other, 3n, dt.EVIDENCE);
      expect(await drugTrace.batchStateOf(other)).to.equal(dt.BatchState.Recalled);
    });

    it("reverts when a stranger or another manufacturer recalls", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, stranger, manufacturer2, distributor, batchId } = fixture;
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId]),
        [stranger, manufacturer2, distributor],
        "DrugTraceNotManufacturerOrRegulator",
        (signer) => [batchId, signer.address],
        (signer) => drugTrace.connect(signer).recall(batchId, 1n, dt.EVIDENCE),
      );
    });

    it("reverts when the batch's manufacturer lost its role", async function () {
      const { drugTrace, admin, manufacturer, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await drugTrace.connect(admin).revokeRole(id("MANUFACTURER_ROLE"), manufacturer.address);
      await dt.expectRevert(
        drugTrace.connect(manufacturer).recall(batchId, 1n, dt.EVIDENCE),
        drugTrace,
        "DrugTraceNotManufacturerOrRegulator",
        batchId,
        manufacturer.address,
      );
    });

    it("reverts when already recalled, and for an unregistered batch", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, regulator, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceUnexpectedBatchState",
        [batchId, dt.BatchState.Recalled, dt.LIVE],
        () => drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE),
      );
      const unknown = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.revertsInBatchState(
        drugTrace,
        drugTrace.connect(regulator).recall(unknown, 1n, dt.EVIDENCE),
        unknown,
        dt.BatchState.None,
        dt.LIVE,
      );
    });

    dt.itRevertsWhenPaused(dt.stockedFixture, ({ drugTrace, regulator, batchId }) =>
      drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE),
    );
  });

  describe("releaseQuarantine", function () {
    async function quarantinedFixture() {
      const stocked = await dt.stockedFixture();
      await stocked.drugTrace
        .connect(stocked.sensor)
        .reportExcursion(stocked.batchId, dt.READING, 1250);
      return stocked;
    }

    it("lets the manufacturer or a regulator release an excursion quarantine", async function () {
      const { drugTrace, manufacturer, regulator, sensor, batchId } =
        await dt.networkHelpers.loadFixture(quarantinedFixture);
      await expect(drugTrace.connect(manufacturer).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, manufacturer.address, dt.QuarantineOrigin.Excursion);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Active);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        dt.QuarantineOrigin.None,
      );
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 1250);
      await expect(drugTrace.connect(regulator).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, regulator.address, dt.QuarantineOrigin.Excursion);
    });

    it("reverts when the manufacturer lifts a regulator's quarantine (attack) and changes nothing", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.stockedFixture);
      const { drugTrace, manufacturer, pharmacy, regulator, batchId } = fixture;
      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 4n, dt.serialOf(4), dt.UnitStatus.Active, dt.EVIDENCE);
      await drugTrace.connect(regulator).resolveSuspect(1n, dt.Resolution.Quarantined);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceQuarantinedByRegulator",
        [batchId, manufacturer.address],
        () => drugTrace.connect(manufacturer).releaseQuarantine(batchId),
      );
      await expect(drugTrace.connect(regulator).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, regulator.address, dt.QuarantineOrigin.Regulator);
    });

    it("leaves a batch Expired when its expiry passed during the quarantine", async function () {
      const { drugTrace, regulator, batchId, expiry } =
        await dt.networkHelpers.loadFixture(quarantinedFixture);
      await dt.networkHelpers.time.increaseTo(expiry + 1n);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Quarantined);
      await drugTrace.connect(regulator).releaseQuarantine(batchId);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Expired);
    });

    it("reverts when the batch is not quarantined", async function () {
      const { drugTrace, regulator, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.revertsInBatchState(
        drugTrace,
        drugTrace.connect(regulator).releaseQuarantine(batchId),
        batchId,
        dt.BatchState.Active,
        dt.QUARANTINED,
      );
    });

    it("reverts for a stranger, a sensor or another manufacturer", async function () {
      const fixture = await dt.networkHelpers.loadFixture(quarantinedFixture);
      const { drugTrace, stranger, sensor, manufacturer2, batchId } = fixture;
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId]),
        [stranger, sensor, manufacturer2],
        "DrugTraceNotManufacturerOrRegulator",
        (signer) => [batchId, signer.address],
        (signer) => drugTrace.connect(signer).releaseQuarantine(batchId),
      );
    });

    dt.itRevertsWhenPaused(quarantinedFixture, ({ drugTrace, regulator, batchId }) =>
      drugTrace.connect(regulator).releaseQuarantine(batchId),
    );
  });
});
