import { expect } from "chai";
import { ZeroHash, id } from "ethers";

import {
  DAY,
  GTIN,
  LOT,
  METADATA,
  PREFIX,
  PREFIX_LENGTH,
  TREE,
  UNIT_COUNT,
  batchIdOf,
  deployFixture,
  networkHelpers,
  registeredFixture,
  traceState,
} from "../helpers/drug-trace.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";
import { BatchState } from "../helpers/states.js";

describe("DrugTrace", function () {
  describe("batchIdOf", function () {
    it("is keccak256(abi.encode(gtin, lot))", async function () {
      const { drugTrace } = await networkHelpers.loadFixture(deployFixture);
      expect(await drugTrace.batchIdOf(GTIN, LOT)).to.equal(batchIdOf(GTIN, LOT));
    });
  });

  describe("registerBatch", function () {
    it("registers a batch whose manufacturer holds every unit", async function () {
      const { drugTrace, manufacturer, distributor } =
        await networkHelpers.loadFixture(deployFixture);
      const expiry = BigInt(await networkHelpers.time.latest()) + 365n * DAY;
      const batchId = batchIdOf(GTIN, LOT);
      const register = drugTrace.connect(manufacturer);
      expect(
        await register.registerBatch.staticCall(
          GTIN,
          PREFIX_LENGTH,
          LOT,
          expiry,
          UNIT_COUNT,
          TREE.root,
          METADATA,
        ),
      ).to.equal(batchId);
      await expect(
        register.registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, UNIT_COUNT, TREE.root, METADATA),
      )
        .to.emit(drugTrace, "BatchRegistered")
        .withArgs(
          batchId,
          manufacturer.address,
          GTIN,
          LOT,
          expiry,
          UNIT_COUNT,
          TREE.root,
          METADATA,
        );
      const record = await drugTrace.batchOf(batchId);
      expect(record.manufacturer).to.equal(manufacturer.address);
      expect(record.expiry).to.equal(expiry);
      expect(record.unitCount).to.equal(UNIT_COUNT);
      expect(record.state).to.equal(BatchState.Active);
      expect(record.serialsRoot).to.equal(TREE.root);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Active);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(0n);
    });

    it("accepts GTIN-13, GTIN-12 and GTIN-8 padded to 14 digits", async function () {
      const { drugTrace, admin, manufacturer } = await networkHelpers.loadFixture(deployFixture);
      const expiry = BigInt(await networkHelpers.time.latest()) + DAY;
      // Their seven-digit prefixes after the indicator digit: 4006381, 0036000, 0000095.
      for (const prefix of [4006381n, 36000n, 95n]) {
        await drugTrace
          .connect(admin)
          .bindCompanyPrefix(prefix, PREFIX_LENGTH, manufacturer.address, "");
      }
      for (const gtin of [4006381333931n, 36000291452n, 95012346n]) {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(gtin, PREFIX_LENGTH, LOT, expiry, 1n, TREE.root, ZeroHash),
        )
          .to.emit(drugTrace, "BatchRegistered")
          .withArgs(
            batchIdOf(gtin, LOT),
            manufacturer.address,
            gtin,
            LOT,
            expiry,
            1n,
            TREE.root,
            ZeroHash,
          );
      }
    });

    it("registers the same lot under another GTIN as another batch", async function () {
      const { drugTrace, admin, manufacturer, batchId, expiry } =
        await networkHelpers.loadFixture(registeredFixture);
      const otherGtin = 4006381333931n;
      await drugTrace
        .connect(admin)
        .bindCompanyPrefix(4006381n, PREFIX_LENGTH, manufacturer.address, "");
      await drugTrace
        .connect(manufacturer)
        .registerBatch(otherGtin, PREFIX_LENGTH, LOT, expiry, 5n, TREE.root, METADATA);
      expect(batchIdOf(otherGtin, LOT)).to.not.equal(batchId);
      expect(await drugTrace.holdingOf(batchIdOf(otherGtin, LOT), manufacturer.address)).to.equal(
        5n,
      );
    });

    it("accepts an expiry equal to the block time", async function () {
      const { drugTrace, manufacturer } = await networkHelpers.loadFixture(deployFixture);
      const next = BigInt(await networkHelpers.time.latest()) + 10n;
      await networkHelpers.time.setNextBlockTimestamp(next);
      await drugTrace
        .connect(manufacturer)
        .registerBatch(GTIN, PREFIX_LENGTH, LOT, next, 1n, TREE.root, ZeroHash);
      expect(await drugTrace.batchStateOf(batchIdOf(GTIN, LOT))).to.equal(BatchState.Active);
    });

    it("reverts when a stranger registers (attack) and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, stranger } = fixture;
      await expectRefused(
        traceState(fixture, [batchIdOf(GTIN, LOT)]),
        () =>
          drugTrace
            .connect(stranger)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
        drugTrace,
        "AccessControlUnauthorizedAccount",
        stranger.address,
        id("MANUFACTURER_ROLE"),
      );
    });

    it("reverts when a distributor registers", async function () {
      const { drugTrace, distributor } = await networkHelpers.loadFixture(deployFixture);
      await expectRevert(
        drugTrace
          .connect(distributor)
          .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
        drugTrace,
        "AccessControlUnauthorizedAccount",
        distributor.address,
        id("MANUFACTURER_ROLE"),
      );
    });

    for (const [label, gtin] of [
      ["a wrong check digit", 9506000134353n],
      ["zero", 0n],
      ["15 digits", 100000000000009n],
      ["the largest uint64", 2n ** 64n - 1n],
    ] as const) {
      it(`reverts when the GTIN has ${label}`, async function () {
        const fixture = await networkHelpers.loadFixture(deployFixture);
        const { drugTrace, manufacturer } = fixture;
        await expectRefused(
          traceState(fixture, [batchIdOf(gtin, LOT)]),
          () =>
            drugTrace
              .connect(manufacturer)
              .registerBatch(gtin, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
          drugTrace,
          "DrugTraceInvalidGtin",
          gtin,
        );
      });
    }

    const badInputs = [
      {
        when: "the lot is empty",
        lot: ZeroHash,
        units: 1n,
        root: TREE.root,
        error: "DrugTraceEmptyLot",
      },
      {
        when: "the unit count is zero",
        lot: LOT,
        units: 0n,
        root: TREE.root,
        error: "DrugTraceZeroUnitCount",
      },
      {
        when: "the serials root is zero",
        lot: LOT,
        units: 1n,
        root: ZeroHash,
        error: "DrugTraceZeroSerialsRoot",
      },
    ];
    for (const c of badInputs) {
      it(`reverts when ${c.when}`, async function () {
        const fixture = await networkHelpers.loadFixture(deployFixture);
        const { drugTrace, manufacturer } = fixture;
        await expectRefused(
          traceState(fixture, [batchIdOf(GTIN, c.lot)]),
          () =>
            drugTrace
              .connect(manufacturer)
              .registerBatch(GTIN, PREFIX_LENGTH, c.lot, 2n ** 40n, c.units, c.root, ZeroHash),
          drugTrace,
          c.error,
        );
      });
    }

    it("reverts when the expiry is in the past", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      const next = BigInt(await networkHelpers.time.latest()) + 10n;
      await expectNothingChanged(traceState(fixture, [batchIdOf(GTIN, LOT)]), async () => {
        await networkHelpers.time.setNextBlockTimestamp(next);
        await expectRevert(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, next - 1n, 1n, TREE.root, ZeroHash),
          drugTrace,
          "DrugTraceExpiryInPast",
          next - 1n,
          next,
        );
      });
    });

    it("reverts when the (GTIN, lot) is already registered, even by its contract manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, manufacturer2, batchId, expiry } = fixture;
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address);
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        for (const signer of [manufacturer, manufacturer2]) {
          await expectRevert(
            drugTrace
              .connect(signer)
              .registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, 1n, id("another root"), ZeroHash),
            drugTrace,
            "DrugTraceBatchAlreadyRegistered",
            batchId,
          );
        }
      });
    });

    it("reverts when paused", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer, pauser } = fixture;
      await drugTrace.connect(pauser).pause();
      await expectRefused(
        traceState(fixture, [batchIdOf(GTIN, LOT)]),
        () =>
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
        drugTrace,
        "EnforcedPause",
      );
    });
  });
});
