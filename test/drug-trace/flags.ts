import { expect } from "chai";
import { id } from "ethers";

import {
  EVIDENCE,
  GTIN,
  LIVE,
  LOT,
  OTHER_LOT,
  READING,
  REGISTERED,
  batchIdOf,
  dispenseUnit,
  networkHelpers,
  proofOf,
  registeredFixture,
  serialOf,
  stockedFixture,
  traceState,
  itRevertsWhenPaused,
} from "../helpers/drug-trace.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";
import {
  BatchState,
  FlagState,
  QuarantineOrigin,
  Resolution,
  UnitStatus,
  expectedStates,
} from "../helpers/states.js";

describe("DrugTrace", function () {
  describe("flagSuspect", function () {
    it("raises a duplicate-dispense alert naming the unit and the verdict", async function () {
      const { drugTrace, pharmacy, pharmacy2, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 9);
      // At another counter the same code scans again: the tooling verifies, then flags.
      const [verdict] = await drugTrace.verifyUnit(GTIN, LOT, serialOf(9), 9n, proofOf(9));
      expect(verdict).to.equal(UnitStatus.Dispensed);
      const flag = drugTrace.connect(pharmacy2);
      expect(
        await flag.flagSuspect.staticCall(batchId, 9n, serialOf(9), verdict, EVIDENCE),
      ).to.equal(1n);
      const tx = flag.flagSuspect(batchId, 9n, serialOf(9), verdict, EVIDENCE);
      await expect(tx)
        .to.emit(drugTrace, "SuspectFlagged")
        .withArgs(batchId, 1n, pharmacy2.address, 9n, serialOf(9), UnitStatus.Dispensed, EVIDENCE);
      const block = await (await tx).getBlock();
      const record = await drugTrace.suspectFlagOf(1n);
      expect(record.batchId).to.equal(batchId);
      expect(record.reporter).to.equal(pharmacy2.address);
      expect(record.flaggedAt).to.equal(BigInt(block!.timestamp));
      expect(record.verdict).to.equal(UnitStatus.Dispensed);
      expect(record.state).to.equal(FlagState.Open);
      expect(record.evidenceHash).to.equal(EVIDENCE);
    });

    it("accepts flags from every trade role, numbered in order, each counted as open", async function () {
      const { drugTrace, manufacturer, distributor, pharmacy, batchId } =
        await networkHelpers.loadFixture(registeredFixture);
      let expected = 1n;
      for (const signer of [manufacturer, distributor, pharmacy]) {
        await expect(
          drugTrace
            .connect(signer)
            .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Unknown, EVIDENCE),
        )
          .to.emit(drugTrace, "SuspectFlagged")
          .withArgs(
            batchId,
            expected,
            signer.address,
            0n,
            serialOf(0),
            UnitStatus.Unknown,
            EVIDENCE,
          );
        expect(await drugTrace.openFlagsOf(signer.address)).to.equal(1n);
        expected += 1n;
      }
    });

    it("reverts on a batch that was never registered (attack: flags cost storage and a regulator's time)", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, pharmacy, batchId } = fixture;
      const counterfeit = batchIdOf(GTIN, OTHER_LOT);
      await expectRefused(
        traceState(fixture, [batchId, counterfeit]),
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(counterfeit, 0n, serialOf(0), UnitStatus.Unknown, EVIDENCE),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        counterfeit,
        BatchState.None,
        REGISTERED,
      );
    });

    it("reverts past the open-flag bound (flag spam) until a resolution frees a slot", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, pharmacy, regulator, batchId } = fixture;
      const max = await drugTrace.MAX_OPEN_FLAGS();
      expect(max).to.equal(32n);
      for (let i = 0n; i < max; i++) {
        await drugTrace
          .connect(pharmacy)
          .flagSuspect(batchId, i, serialOf(Number(i)), UnitStatus.Active, EVIDENCE);
      }
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(max);
      await expectRefused(
        traceState(fixture, [batchId]),
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(batchId, 40n, serialOf(40), UnitStatus.Active, EVIDENCE),
        drugTrace,
        "DrugTraceTooManyOpenFlags",
        pharmacy.address,
        max,
      );
      expect(await drugTrace.suspectFlagOf(max + 1n)).to.deep.equal(
        await drugTrace.suspectFlagOf(999n),
      );
      await drugTrace.connect(regulator).resolveSuspect(7n, Resolution.Cleared);
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(max - 1n);
      await expect(
        drugTrace
          .connect(pharmacy)
          .flagSuspect(batchId, 40n, serialOf(40), UnitStatus.Active, EVIDENCE),
      )
        .to.emit(drugTrace, "SuspectFlagged")
        .withArgs(
          batchId,
          max + 1n,
          pharmacy.address,
          40n,
          serialOf(40),
          UnitStatus.Active,
          EVIDENCE,
        );
    });

    it("reverts for anyone without a trade role", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, stranger, regulator, sensor, batchId } = fixture;
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [stranger, regulator, sensor]) {
          await expectRevert(
            drugTrace
              .connect(signer)
              .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE),
            drugTrace,
            "DrugTraceNotTradePartner",
            signer.address,
          );
        }
      });
    });

    itRevertsWhenPaused(registeredFixture, ({ drugTrace, pharmacy, batchId }) =>
      drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE),
    );
  });

  describe("resolveSuspect", function () {
    async function flaggedFixture() {
      const stocked = await stockedFixture();
      await stocked.drugTrace
        .connect(stocked.pharmacy)
        .flagSuspect(stocked.batchId, 4n, serialOf(4), UnitStatus.Active, EVIDENCE);
      return { ...stocked, flagId: 1n };
    }

    it("clears a flag and leaves the batch alone", async function () {
      const { drugTrace, regulator, batchId, flagId } =
        await networkHelpers.loadFixture(flaggedFixture);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Cleared))
        .to.emit(drugTrace, "SuspectResolved")
        .withArgs(batchId, flagId, regulator.address, Resolution.Cleared)
        .and.not.to.emit(drugTrace, "BatchQuarantined");
      expect((await drugTrace.suspectFlagOf(flagId)).state).to.equal(FlagState.Cleared);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Active);
    });

    it("confirms a flag by quarantining the batch, once", async function () {
      const { drugTrace, regulator, pharmacy, batchId, flagId } =
        await networkHelpers.loadFixture(flaggedFixture);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Quarantined))
        .to.emit(drugTrace, "SuspectResolved")
        .withArgs(batchId, flagId, regulator.address, Resolution.Quarantined)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, regulator.address, QuarantineOrigin.Regulator);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        QuarantineOrigin.Regulator,
      );
      expect((await drugTrace.suspectFlagOf(flagId)).state).to.equal(FlagState.Quarantined);
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(0n);

      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 5n, serialOf(5), UnitStatus.Quarantined, EVIDENCE);
      await expect(drugTrace.connect(regulator).resolveSuspect(2n, Resolution.Quarantined))
        .to.emit(drugTrace, "SuspectResolved")
        .and.not.to.emit(drugTrace, "BatchQuarantined");
    });

    it("confirms a flag by recalling the batch with the flag's evidence, once", async function () {
      const { drugTrace, regulator, pharmacy, batchId, flagId } =
        await networkHelpers.loadFixture(flaggedFixture);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Recalled))
        .to.emit(drugTrace, "SuspectResolved")
        .withArgs(batchId, flagId, regulator.address, Resolution.Recalled)
        .and.to.emit(drugTrace, "BatchRecalled")
        .withArgs(batchId, regulator.address, 0xffffn, EVIDENCE);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Recalled);
      expect((await drugTrace.suspectFlagOf(flagId)).state).to.equal(FlagState.Recalled);

      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 5n, serialOf(5), UnitStatus.Recalled, EVIDENCE);
      await expect(drugTrace.connect(regulator).resolveSuspect(2n, Resolution.Recalled))
        .to.emit(drugTrace, "SuspectResolved")
        .and.not.to.emit(drugTrace, "BatchRecalled");
    });

    it("turns an excursion quarantine into a regulator's when confirming a flag", async function () {
      const { drugTrace, regulator, sensor, batchId, flagId } =
        await networkHelpers.loadFixture(flaggedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Quarantined))
        .to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, regulator.address, QuarantineOrigin.Regulator);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        QuarantineOrigin.Regulator,
      );
    });

    it("reverts when quarantining a recalled batch", async function () {
      const fixture = await networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, regulator, batchId, flagId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Quarantined),
        drugTrace,
        "DrugTraceUnexpectedBatchState",
        batchId,
        BatchState.Recalled,
        LIVE,
      );
    });

    it("reverts for an unknown or already resolved flag", async function () {
      const fixture = await networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, regulator, batchId, flagId } = fixture;
      await expectRevert(
        drugTrace.connect(regulator).resolveSuspect(7n, Resolution.Cleared),
        drugTrace,
        "DrugTraceUnexpectedFlagState",
        7n,
        FlagState.None,
        expectedStates(FlagState.Open),
      );
      await drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Cleared);
      await expectRefused(
        traceState(fixture, [batchId]),
        () => drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Recalled),
        drugTrace,
        "DrugTraceUnexpectedFlagState",
        flagId,
        FlagState.Cleared,
        expectedStates(FlagState.Open),
      );
    });

    it("reverts for anyone but a regulator", async function () {
      const fixture = await networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, manufacturer, stranger, batchId, flagId } = fixture;
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [manufacturer, stranger]) {
          await expectRevert(
            drugTrace.connect(signer).resolveSuspect(flagId, Resolution.Recalled),
            drugTrace,
            "AccessControlUnauthorizedAccount",
            signer.address,
            id("REGULATOR_ROLE"),
          );
        }
      });
    });

    itRevertsWhenPaused(flaggedFixture, ({ drugTrace, regulator, flagId }) =>
      drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Cleared),
    );
  });
});
