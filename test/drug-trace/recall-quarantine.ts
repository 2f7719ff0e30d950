import { expect } from "chai";
import { ZeroHash, id } from "ethers";

import {
  EVIDENCE,
  GTIN,
  LIVE,
  OTHER_LOT,
  PREFIX_LENGTH,
  QUARANTINED,
  READING,
  TREE,
  batchIdOf,
  networkHelpers,
  serialOf,
  stockedFixture,
  traceState,
  itRevertsWhenPaused,
} from "../helpers/drug-trace.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";
import { BatchState, QuarantineOrigin, Resolution, UnitStatus } from "../helpers/states.js";

describe("DrugTrace", function () {
  describe("recall", function () {
    it("lets the batch's manufacturer recall it", async function () {
      const { drugTrace, manufacturer, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await expect(drugTrace.connect(manufacturer).recall(batchId, 12n, EVIDENCE))
        .to.emit(drugTrace, "BatchRecalled")
        .withArgs(batchId, manufacturer.address, 12n, EVIDENCE);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Recalled);
      expect((await drugTrace.batchOf(batchId)).state).to.equal(BatchState.Recalled);
    });

    it("lets a regulator recall any batch, quarantined or expired ones too", async function () {
      const { drugTrace, regulator, sensor, manufacturer, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      await expect(drugTrace.connect(regulator).recall(batchId, 3n, EVIDENCE))
        .to.emit(drugTrace, "BatchRecalled")
        .withArgs(batchId, regulator.address, 3n, EVIDENCE);

      const other = batchIdOf(GTIN, OTHER_LOT);
      await drugTrace
        .connect(manufacturer)
        .registerBatch(GTIN, PREFIX_LENGTH, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash);
      await networkHelpers.time.increaseTo(expiry + 1n);
      await drugTrace.connect(regulator).recall(other, 3n, EVIDENCE);
      expect(await drugTrace.batchStateOf(other)).to.equal(BatchState.Recalled);
    });

    it("reverts when a stranger or another manufacturer recalls", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, stranger, manufacturer2, distributor, batchId } = fixture;
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [stranger, manufacturer2, distributor]) {
          await expectRevert(
            drugTrace.connect(signer).recall(batchId, 1n, EVIDENCE),
            drugTrace,
            "DrugTraceNotManufacturerOrRegulator",
            batchId,
            signer.address,
          );
        }
      });
    });

    it("reverts when the batch's manufacturer lost its role", async function () {
      const { drugTrace, admin, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(admin).revokeRole(id("MANUFACTURER_ROLE"), manufacturer.address);
      await expectRevert(
        drugTrace.connect(manufacturer).recall(batchId, 1n, EVIDENCE),
        drugTrace,
        "DrugTraceNotManufacturerOrRegulator",
        batchId,
        manufacturer.address,
      );
    });

    it("reverts when already recalled, and for an unregistered batch", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, regulator, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        batchId,
        BatchState.Recalled,
        LIVE,
      );
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expectRevert(
        drugTrace.connect(regulator).recall(unknown, 1n, EVIDENCE),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        unknown,
        BatchState.None,
        LIVE,
      );
    });

    itRevertsWhenPaused(stockedFixture, ({ drugTrace, regulator, batchId }) =>
      drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE),
    );
  });

  describe("releaseQuarantine", function () {
    async function quarantinedFixture() {
      const stocked = await stockedFixture();
      await stocked.drugTrace
        .connect(stocked.sensor)
        .reportExcursion(stocked.batchId, READING, 1250);
      return stocked;
    }

    it("lets the manufacturer or a regulator release an excursion quarantine", async function () {
      const { drugTrace, manufacturer, regulator, sensor, batchId } =
        await networkHelpers.loadFixture(quarantinedFixture);
      await expect(drugTrace.connect(manufacturer).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, manufacturer.address, QuarantineOrigin.Excursion);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Active);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(QuarantineOrigin.None);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250);
      await expect(drugTrace.connect(regulator).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, regulator.address, QuarantineOrigin.Excursion);
    });

    it("reverts when the manufacturer lifts a regulator's quarantine (attack) and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, manufacturer, pharmacy, regulator, batchId } = fixture;
      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 4n, serialOf(4), UnitStatus.Active, EVIDENCE);
      await drugTrace.connect(regulator).resolveSuspect(1n, Resolution.Quarantined);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(manufacturer).releaseQuarantine(batchId),
        drugTrace,
        "DrugTraceQuarantinedByRegulator",
        batchId,
        manufacturer.address,
      );
      await expect(drugTrace.connect(regulator).releaseQuarantine(batchId))
        .to.emit(drugTrace, "QuarantineReleased")
        .withArgs(batchId, regulator.address, QuarantineOrigin.Regulator);
    });

    it("leaves a batch Expired when its expiry passed during the quarantine", async function () {
      const { drugTrace, regulator, batchId, expiry } =
        await networkHelpers.loadFixture(quarantinedFixture);
      await networkHelpers.time.increaseTo(expiry + 1n);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
      await drugTrace.connect(regulator).releaseQuarantine(batchId);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Expired);
    });

    it("reverts when the batch is not quarantined", async function () {
      const { drugTrace, regulator, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await expectRevert(
        drugTrace.connect(regulator).releaseQuarantine(batchId),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        batchId,
        BatchState.Active,
        QUARANTINED,
      );
    });

    it("reverts for a stranger, a sensor or another manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(quarantinedFixture);
      const { drugTrace, stranger, sensor, manufacturer2, batchId } = fixture;
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [stranger, sensor, manufacturer2]) {
          await expectRevert(
            drugTrace.connect(signer).releaseQuarantine(batchId),
            drugTrace,
            "DrugTraceNotManufacturerOrRegulator",
            batchId,
            signer.address,
          );
        }
      });
    });

    itRevertsWhenPaused(quarantinedFixture, ({ drugTrace, regulator, batchId }) =>
      drugTrace.connect(regulator).releaseQuarantine(batchId),
    );
  });
});
