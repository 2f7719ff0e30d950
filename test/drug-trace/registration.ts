import { expect } from "chai";
import { ZeroHash, id } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("batchIdOf", function () {
    it("is keccak256(abi.encode(gtin, lot))", async function () {
      const { drugTrace } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      expect(await drugTrace.batchIdOf(dt.GTIN, dt.LOT)).to.equal(dt.batchIdOf(dt.GTIN, dt.LOT));
    });
  });

  describe("registerBatch", function () {
    it("registers a batch whose manufacturer holds every unit", async function () {
      const { drugTrace, manufacturer, distributor } = await dt.networkHelpers.loadFixture(
        dt.deployFixture,
      );
      const expiry = BigInt(await dt.networkHelpers.time.latest()) + 365n * dt.DAY;
      const batchId = dt.batchIdOf(dt.GTIN, dt.LOT);
      const register = drugTrace.connect(manufacturer);
      expect(
        await register.registerBatch.staticCall(
          ...dt.batchArgs(dt.LOT, expiry, dt.UNIT_COUNT, dt.METADATA),
        ),
      ).to.equal(batchId);
      await expect(
        register.registerBatch(...dt.batchArgs(dt.LOT, expiry, dt.UNIT_COUNT, dt.METADATA)),
      )
        .to.emit(drugTrace, "BatchRegistered")
        .withArgs(
          batchId,
          manufacturer.address,
          dt.GTIN,
          dt.LOT,
          expiry,
          dt.UNIT_COUNT,
          dt.TREE.root,
          dt.METADATA,
        );
      const record = await drugTrace.batchOf(batchId);
      expect(record.manufacturer).to.equal(manufacturer.address);
      expect(record.expiry).to.equal(expiry);
      expect(record.unitCount).to.equal(dt.UNIT_COUNT);
      expect(record.state).to.equal(dt.BatchState.Active);
      expect(record.serialsRoot).to.equal(dt.TREE.root);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(dt.BatchState.Active);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(dt.UNIT_COUNT);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(0n);
    });

    it("accepts GTIN-13, GTIN-12 and GTIN-8 padded to 14 digits", async function () {
      const { drugTrace, admin, manufacturer } = await dt.networkHelpers.loadFixture(
        dt.deployFixture,
      );
      const expiry = BigInt(await dt.networkHelpers.time.latest()) + dt.DAY;
      // Their seven-digit prefixes after the indicator digit: 4006381, 0036000, 0000095.
      for (const prefix of [4006381n, 36000n, 95n]) {
        await drugTrace
          .connect(admin)
          .bindCompanyPrefix(prefix, dt.PREFIX_LENGTH, manufacturer.address, "");
      }
      for (const gtin of [4006381333931n, 36000291452n, 95012346n]) {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(gtin, dt.PREFIX_LENGTH, dt.LOT, expiry, 1n, dt.TREE.root, ZeroHash),
        )
          .to.emit(drugTrace, "BatchRegistered")
          .withArgs(
            dt.batchIdOf(gtin, dt.LOT),
            manufacturer.address,
            gtin,
            dt.LOT,
            expiry,
            1n,
            dt.TREE.root,
            ZeroHash,
          );
      }
    });

    it("registers the same lot under another GTIN as another batch", async function () {
      const { drugTrace, admin, manufacturer, batchId, expiry } =
        await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const otherGtin = 4006381333931n;
      await drugTrace
        .connect(admin)
        .bindCompanyPrefix(4006381n, dt.PREFIX_LENGTH, manufacturer.address, "");
      await drugTrace
        .connect(manufacturer)
        .registerBatch(otherGtin, dt.PREFIX_LENGTH, dt.LOT, expiry, 5n, dt.TREE.root, dt.METADATA);
      expect(dt.batchIdOf(otherGtin, dt.LOT)).to.not.equal(batchId);
      expect(
        await drugTrace.holdingOf(dt.batchIdOf(otherGtin, dt.LOT), manufacturer.address),
      ).to.equal(5n);
    });

    it("accepts an expiry equal to the block time", async function () {
      const { drugTrace, manufacturer } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const next = BigInt(await dt.networkHelpers.time.latest()) + 10n;
      await dt.networkHelpers.time.setNextBlockTimestamp(next);
      await drugTrace.connect(manufacturer).registerBatch(...dt.batchArgs(dt.LOT, next, 1n));
      expect(await drugTrace.batchStateOf(dt.batchIdOf(dt.GTIN, dt.LOT))).to.equal(
        dt.BatchState.Active,
      );
    });

    it("reverts when a stranger registers (attack) and changes nothing", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace, stranger } = fixture;
      await dt.refuses(
        dt.watchTrace(fixture, [dt.batchIdOf(dt.GTIN, dt.LOT)]),
        "AccessControlUnauthorizedAccount",
        [stranger.address, id("MANUFACTURER_ROLE")],
        () => drugTrace.connect(stranger).registerBatch(...dt.batchArgs(dt.LOT, 2n ** 40n, 10n)),
      );
    });

    it("reverts when a distributor registers", async function () {
      const { drugTrace, distributor } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      await dt.expectUnauthorized(
        drugTrace.connect(distributor).registerBatch(...dt.batchArgs(dt.LOT, 2n ** 40n, 10n)),
        drugTrace,
        distributor.address,
        "MANUFACTURER_ROLE",
      );
    });

    for (const [label, gtin] of [
      ["a wrong check digit", 9506000134353n],
      ["zero", 0n],
      ["15 digits", 100000000000009n],
      ["the largest uint64", 2n ** 64n - 1n],
    ] as const) {
      it(`reverts when the GTIN has ${label}`, async function () {
        const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
        const { drugTrace, manufacturer } = fixture;
        await dt.refuses(
          dt.watchTrace(fixture, [dt.batchIdOf(gtin, dt.LOT)]),
          "DrugTraceInvalidGtin",
          [gtin],
          () =>
            drugTrace
              .connect(manufacturer)
              .registerBatch(gtin, dt.PREFIX_LENGTH, dt.LOT, 2n ** 40n, 1n, dt.TREE.root, ZeroHash),
        );
      });
    }

    const badInputs = [
      {
        when: "the lot is empty",
        lot: ZeroHash,
        units: 1n,
        root: dt.TREE.root,
        error: "DrugTraceEmptyLot",
      },
      {
        when: "the unit count is zero",
        lot: dt.LOT,
        units: 0n,
        root: dt.TREE.root,
        error: "DrugTraceZeroUnitCount",
      },
      {
        when: "the serials root is zero",
        lot: dt.LOT,
        units: 1n,
        root: ZeroHash,
        error: "DrugTraceZeroSerialsRoot",
      },
    ];
    for (const c of badInputs) {
      it(`reverts when ${c.when}`, async function () {
        const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
        const { drugTrace, manufacturer } = fixture;
        await dt.refuses(dt.watchTrace(fixture, [dt.batchIdOf(dt.GTIN, c.lot)]), c.error, [], () =>
          drugTrace
            .connect(manufacturer)
            .registerBatch(dt.GTIN, dt.PREFIX_LENGTH, c.lot, 2n ** 40n, c.units, c.root, ZeroHash),
        );
      });
    }

    it("reverts when the expiry is in the past", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace, manufacturer } = fixture;
      const next = BigInt(await dt.networkHelpers.time.latest()) + 10n;
      await dt.expectNothingChanged(
        dt.traceState(fixture, [dt.batchIdOf(dt.GTIN, dt.LOT)]),
        async () => {
          await dt.networkHelpers.time.setNextBlockTimestamp(next);
          await dt.expectRevert(
            drugTrace.connect(manufacturer).registerBatch(...dt.batchArgs(dt.LOT, next - 1n, 1n)),
            drugTrace,
            "DrugTraceExpiryInPast",
            next - 1n,
            next,
          );
        },
      );
    });

    it("reverts when the (GTIN, lot) is already registered, even by its contract manufacturer", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.registeredFixture);
      const { drugTrace, manufacturer, manufacturer2, batchId, expiry } = fixture;
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address);
      await dt.refusesEach(
        dt.watchTrace(fixture, [batchId]),
        [manufacturer, manufacturer2],
        "DrugTraceBatchAlreadyRegistered",
        () => [batchId],
        (signer) =>
          drugTrace
            .connect(signer)
            .registerBatch(
              dt.GTIN,
              dt.PREFIX_LENGTH,
              dt.LOT,
              expiry,
              1n,
              id("another root"),
              ZeroHash,
            ),
      );
    });

    it("reverts when paused", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace, manufacturer, pauser } = fixture;
      await drugTrace.connect(pauser).pause();
      await dt.refuses(
        dt.watchTrace(fixture, [dt.batchIdOf(dt.GTIN, dt.LOT)]),
        "EnforcedPause",
        [],
        () => drugTrace.connect(manufacturer).registerBatch(...dt.batchArgs(dt.LOT, 2n ** 40n, 1n)),
      );
    });
  });
});
