import { expect } from "chai";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("flagSuspect", function () {
    it("raises a duplicate-dispense alert naming the unit and the verdict", async function () {
      const { drugTrace, pharmacy, pharmacy2, batchId } = await dt.networkHelpers.loadFixture(
        dt.stockedFixture,
      );
      await dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 9);
      // At another counter the same code scans again: the tooling verifies, then flags.
      const [verdict] = await drugTrace.verifyUnit(
        dt.GTIN,
        dt.LOT,
        dt.serialOf(9),
        9n,
        dt.proofOf(9),
      );
      expect(verdict).to.equal(dt.UnitStatus.Dispensed);
      const flag = drugTrace.connect(pharmacy2);
      expect(
        await flag.flagSuspect.staticCall(batchId, 9n, dt.serialOf(9), verdict, dt.EVIDENCE),
      ).to.equal(1n);
      const tx = flag.flagSuspect(batchId, 9n, dt.serialOf(9), verdict, dt.EVIDENCE);
      await expect(tx)
        .to.emit(drugTrace, "SuspectFlagged")
        .withArgs(
          batchId,
          1n,
          pharmacy2.address,
          9n,
          dt.serialOf(9),
          dt.UnitStatus.Dispensed,
          dt.EVIDENCE,
        );
      const block = await (await tx).getBlock();
      const record = await drugTrace.suspectFlagOf(1n);
      expect(record.batchId).to.equal(batchId);
      expect(record.reporter).to.equal(pharmacy2.address);
      expect(record.flaggedAt).to.equal(BigInt(block!.timestamp));
      expect(record.verdict).to.equal(dt.UnitStatus.Dispensed);
      expect(record.state).to.equal(dt.FlagState.Open);
      expect(record.evidenceHash).to.equal(dt.EVIDENCE);
    });

    it("accepts flags from every trade role, numbered in order, each counted as open", async function () {
      const { drugTrace, manufacturer, distributor, pharmacy, batchId } =
        await dt.networkHelpers.loadFixture(dt.registeredFixture);
      let expected = 1n;
      for (const signer of [manufacturer, distributor, pharmacy]) {
        await dt.expectFlagged(drugTrace, signer, batchId, 0, dt.UnitStatus.Unknown, expected);
        expect(await drugTrace.openFlagsOf(signer.address)).to.equal(1n);
        expected += 1n;
      }
    });

    it("reverts on a batch that was never registered (attack: flags cost storage and a regulator's time)", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, pharmacy, batchId } = fixture;
      const counterfeit = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId, counterfeit]),
        "DrugTraceUnexpectedBatchState",
        [counterfeit, dt.BatchState.None, dt.REGISTERED],
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(counterfeit, 0n, dt.serialOf(0), dt.UnitStatus.Unknown, dt.EVIDENCE),
      );
    });

    it("reverts past the open-flag bound (flag spam) until a resolution frees a slot", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, pharmacy, regulator, batchId } = fixture;
      const max = await drugTrace.MAX_OPEN_FLAGS();
      expect(max).to.equal(32n);
      for (let i = 0n; i < max; i++) {
        await drugTrace
          .connect(pharmacy)
          .flagSuspect(batchId, i, dt.serialOf(Number(i)), dt.UnitStatus.Active, dt.EVIDENCE);
      }
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(max);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceTooManyOpenFlags",
        [pharmacy.address, max],
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(batchId, 40n, dt.serialOf(40), dt.UnitStatus.Active, dt.EVIDENCE),
      );
      expect(await drugTrace.suspectFlagOf(max + 1n)).to.deep.equal(
        await drugTrace.suspectFlagOf(999n),
      );
      await drugTrace.connect(regulator).resolveSuspect(7n, dt.Resolution.Cleared);
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(max - 1n);
      await dt.expectFlagged(drugTrace, pharmacy, batchId, 40, dt.UnitStatus.Active, max + 1n);
    });

    it("reverts for anyone without a trade role", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, stranger, regulator, sensor, batchId } = fixture;
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId]),
        [stranger, regulator, sensor],
        "DrugTraceNotTradePartner",
        (signer) => [signer.address],
        (signer) =>
          drugTrace
            .connect(signer)
            .flagSuspect(batchId, 0n, dt.serialOf(0), dt.UnitStatus.Active, dt.EVIDENCE),
      );
    });

    dt.itRevertsWhenPaused(dt.registeredFixture, ({ drugTrace, pharmacy, batchId }) =>
      drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 0n, dt.serialOf(0), dt.UnitStatus.Active, dt.EVIDENCE),
    );
  });

  describe("resolveSuspect", function () {
    async function flaggedFixture() {
      const stocked = await dt.stockedFixture();
      await stocked.drugTrace
        .connect(stocked.pharmacy)
        .flagSuspect(stocked.batchId, 4n, dt.serialOf(4), dt.UnitStatus.Active, dt.EVIDENCE);
      return { ...stocked, flagId: 1n };
    }

    it("clears a flag and leaves the batch alone", async function () {
      const { drugTrace, regulator, batchId, flagId } =
        await dt.networkHelpers.loadFixture(flaggedFixture);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Cleared))
        .to.emit(drugTrace, "SuspectResolved")
        .withArgs(batchId, flagId, regulator.address, dt.Resolution.Cleared)
        .and.not.to.emit(drugTrace, "BatchQuarantined");
      expect((await drugTrace.suspectFlagOf(flagId)).state).to.equal(dt.FlagState.Cleared);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Active);
    });

    for (const c of [
      {
        how: "quarantining the batch",
        resolution: dt.Resolution.Quarantined,
        event: "BatchQuarantined",
        eventArgs: (regulator: string) => [regulator, dt.QuarantineOrigin.Regulator],
        batchState: dt.BatchState.Quarantined,
        origin: dt.QuarantineOrigin.Regulator,
        flagState: dt.FlagState.Quarantined,
        unitStatus: dt.UnitStatus.Quarantined,
      },
      {
        how: "recalling the batch with the flag's evidence",
        resolution: dt.Resolution.Recalled,
        event: "BatchRecalled",
        eventArgs: (regulator: string) => [regulator, 0xffffn, dt.EVIDENCE],
        batchState: dt.BatchState.Recalled,
        origin: dt.QuarantineOrigin.None,
        flagState: dt.FlagState.Recalled,
        unitStatus: dt.UnitStatus.Recalled,
      },
    ]) {
      it(`confirms a flag by ${c.how}, once`, async function () {
        const { drugTrace, regulator, pharmacy, batchId, flagId } =
          await dt.networkHelpers.loadFixture(flaggedFixture);
        await expect(drugTrace.connect(regulator).resolveSuspect(flagId, c.resolution))
          .to.emit(drugTrace, "SuspectResolved")
          .withArgs(batchId, flagId, regulator.address, c.resolution)
          .and.to.emit(drugTrace, c.event)
          .withArgs(batchId, ...c.eventArgs(regulator.address));
        expect(await drugTrace.batchStateOf(batchId)).to.equal(c.batchState);
        expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(c.origin);
        expect((await drugTrace.suspectFlagOf(flagId)).state).to.equal(c.flagState);
        expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(0n);

        // A second flag confirmed the same way resolves without acting on the batch again.
        await drugTrace
          .connect(pharmacy)
          .flagSuspect(batchId, 5n, dt.serialOf(5), c.unitStatus, dt.EVIDENCE);
        await expect(drugTrace.connect(regulator).resolveSuspect(2n, c.resolution))
          .to.emit(drugTrace, "SuspectResolved")
          .and.not.to.emit(drugTrace, c.event);
      });
    }

    it("turns an excursion quarantine into a regulator's when confirming a flag", async function () {
      const { drugTrace, regulator, sensor, batchId, flagId } =
        await dt.networkHelpers.loadFixture(flaggedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Quarantined))
        .to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, regulator.address, dt.QuarantineOrigin.Regulator);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        dt.QuarantineOrigin.Regulator,
      );
    });

    it("reverts when quarantining a recalled batch", async function () {
      const fixture = await dt.networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, regulator, batchId, flagId } = fixture;
      await dt.refusesOnceRecalled(dt.watchTrace(fixture, [batchId]), fixture, dt.LIVE, () =>
        drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Quarantined),
      );
    });

    it("reverts for an unknown or already resolved flag", async function () {
      const fixture = await dt.networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, regulator, batchId, flagId } = fixture;
      await dt.expectRevert(
        drugTrace.connect(regulator).resolveSuspect(7n, dt.Resolution.Cleared),
        drugTrace,
        "DrugTraceUnexpectedFlagState",
        7n,
        dt.FlagState.None,
        dt.expectedStates(dt.FlagState.Open),
      );
      await drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Cleared);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceUnexpectedFlagState",
        [flagId, dt.FlagState.Cleared, dt.expectedStates(dt.FlagState.Open)],
        () => drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Recalled),
      );
    });

    it("reverts for anyone but a regulator", async function () {
      const fixture = await dt.networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, manufacturer, stranger, batchId, flagId } = fixture;
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        for (const signer of [manufacturer, stranger]) {
          await dt.expectUnauthorized(
            drugTrace.connect(signer).resolveSuspect(flagId, dt.Resolution.Recalled),
            drugTrace,
            signer.address,
            "REGULATOR_ROLE",
          );
        }
      });
    });

    dt.itRevertsWhenPaused(flaggedFixture, ({ drugTrace, regulator, flagId }) =>
      drugTrace.connect(regulator).resolveSuspect(flagId, dt.Resolution.Cleared),
    );
  });
});
