import { expect } from "chai";
import { id } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  async function quarantinedFixture() {
    const stocked = await dt.stockedFixture();
    await stocked.drugTrace
      .connect(stocked.sensor)
      .reportExcursion(stocked.batchId, dt.READING, 1250);
    return stocked;
  }

  /**
   * `it`: only the batch's manufacturer or a regulator may `call`; each of the `outsiders` is
   * refused with the batch and its own address, and nothing changes.
   */
  function itRefusesOutsiders(
    who: string,
    fixture: typeof dt.stockedFixture,
    outsiders: readonly ("stranger" | "manufacturer2" | "distributor" | "sensor")[],
    call: (drugTrace: dt.Fixture["drugTrace"], batchId: string) => Promise<unknown>,
  ): void {
    it(`reverts for ${who}`, async function () {
      const f = await dt.networkHelpers.loadFixture(fixture);
      await dt.refusesEach(
        dt.watchTrace(f, [f.batchId]),
        outsiders.map((party) => f[party]),
        "DrugTraceNotManufacturerOrRegulator",
        (signer) => [f.batchId, signer.address],
        (signer) => call(f.drugTrace.connect(signer), f.batchId),
      );
    });
  }

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

    itRefusesOutsiders(
      "a stranger, another manufacturer or a distributor",
      dt.stockedFixture,
      ["stranger", "manufacturer2", "distributor"],
      (drugTrace, batchId) => drugTrace.recall(batchId, 1n, dt.EVIDENCE),
    );

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
      await dt.refusesOnceRecalled(dt.watchTrace(fixture, [batchId]), fixture, dt.LIVE, () =>
        drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE),
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

    itRefusesOutsiders(
      "a stranger, a sensor or another manufacturer",
      quarantinedFixture,
      ["stranger", "sensor", "manufacturer2"],
      (drugTrace, batchId) => drugTrace.releaseQuarantine(batchId),
    );

    dt.itRevertsWhenPaused(quarantinedFixture, ({ drugTrace, regulator, batchId }) =>
      drugTrace.connect(regulator).releaseQuarantine(batchId),
    );
  });
});
