import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";

import * as dt from "../helpers/drug-trace.js";

describe("DrugTrace", function () {
  describe("company prefixes", function () {
    const RIVAL = "Rival Generics Ltd";
    /** A GTIN under the rival's prefix 4006381 (GTIN-13 4006381333931). */
    const RIVAL_GTIN = 4006381333931n;
    const RIVAL_PREFIX = 4006381n;

    /** The rival manufacturer (manufacturer2) owns prefix 4006381. */
    async function prefixesFixture() {
      const deployment = await dt.deployFixture();
      const { drugTrace, admin, manufacturer2 } = deployment;
      await drugTrace
        .connect(admin)
        .bindCompanyPrefix(RIVAL_PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, RIVAL);
      return deployment;
    }

    it("binds a prefix with its owner's public name, and finds it from a GTIN", async function () {
      const { drugTrace, admin, manufacturer2 } = await dt.networkHelpers.loadFixture(
        dt.deployFixture,
      );
      await expect(
        drugTrace
          .connect(admin)
          .bindCompanyPrefix(RIVAL_PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, RIVAL),
      )
        .to.emit(drugTrace, "CompanyPrefixBound")
        .withArgs(RIVAL_PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, admin.address, 1n)
        .and.to.emit(drugTrace, "ParticipantNamed")
        .withArgs(manufacturer2.address, RIVAL, admin.address);
      expect(await drugTrace.nameOf(manufacturer2.address)).to.equal(RIVAL);
      const [prefix, prefixLength, owner] = await drugTrace.companyPrefixOf(RIVAL_GTIN);
      expect([prefix, prefixLength, owner]).to.deep.equal([
        RIVAL_PREFIX,
        BigInt(dt.PREFIX_LENGTH),
        manufacturer2.address,
      ]);
      expect(await drugTrace.companyPrefixOf(36000291452n)).to.deep.equal([0n, 0n, ZeroAddress]);
    });

    it("keeps leading zeros apart: 0614141 and 614141 are different prefixes", async function () {
      const { drugTrace, admin, manufacturer, manufacturer2 } = await dt.networkHelpers.loadFixture(
        dt.deployFixture,
      );
      await drugTrace.connect(admin).bindCompanyPrefix(614141n, 7, manufacturer.address, "");
      await drugTrace.connect(admin).bindCompanyPrefix(614141n, 6, manufacturer2.address, RIVAL);
      expect((await drugTrace.prefixBindingOf(614141n, 7)).owner).to.equal(manufacturer.address);
      expect((await drugTrace.prefixBindingOf(614141n, 6)).owner).to.equal(manufacturer2.address);
    });

    it("reverts when a manufacturer registers a batch of another owner's prefix (attack) and changes nothing", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer2 } = fixture;
      const batchId = dt.batchIdOf(dt.GTIN, dt.LOT);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceGtinNotAuthorized",
        [dt.GTIN, dt.PREFIX_LENGTH, manufacturer2.address],
        () =>
          drugTrace.connect(manufacturer2).registerBatch(...dt.batchArgs(dt.LOT, 2n ** 40n, 10n)),
      );
    });

    it("reverts when a manufacturer squats a lot the brand owner has not registered yet (attack), so the real batch still registers", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2 } = fixture;
      const expiry = BigInt(await dt.networkHelpers.time.latest()) + dt.DAY;
      const batchId = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.expectNothingChanged(dt.traceState(fixture, [batchId]), async () => {
        // Under its own prefix's length and under every other length: never the brand owner's GTIN.
        for (const prefixLength of [6, 7, 8, 12]) {
          await dt.expectRevert(
            drugTrace
              .connect(manufacturer2)
              .registerBatch(
                dt.GTIN,
                prefixLength,
                dt.OTHER_LOT,
                expiry,
                1n,
                dt.TREE.root,
                ZeroHash,
              ),
            drugTrace,
            "DrugTraceGtinNotAuthorized",
            dt.GTIN,
            prefixLength,
            manufacturer2.address,
          );
        }
      });
      await drugTrace
        .connect(manufacturer)
        .registerBatch(...dt.batchArgs(dt.OTHER_LOT, expiry, 1n));
      expect((await drugTrace.batchOf(batchId)).manufacturer).to.equal(manufacturer.address);
    });

    it("lets an authorized contract manufacturer register, and refuses it once revoked (attack) with nothing changed", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2 } = fixture;
      const expiry = BigInt(await dt.networkHelpers.time.latest()) + dt.DAY;
      await expect(
        drugTrace
          .connect(manufacturer)
          .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
      )
        .to.emit(drugTrace, "ContractManufacturerAuthorized")
        .withArgs(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, manufacturer.address);
      await drugTrace.connect(manufacturer2).registerBatch(...dt.batchArgs(dt.LOT, expiry, 1n));
      expect((await drugTrace.batchOf(dt.batchIdOf(dt.GTIN, dt.LOT))).manufacturer).to.equal(
        manufacturer2.address,
      );
      await expect(
        drugTrace
          .connect(manufacturer)
          .deauthorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
      )
        .to.emit(drugTrace, "ContractManufacturerDeauthorized")
        .withArgs(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, manufacturer.address);
      const batchId = dt.batchIdOf(dt.GTIN, dt.OTHER_LOT);
      await dt.refuses(
        dt.watchTrace(fixture, [batchId]),
        "DrugTraceGtinNotAuthorized",
        [dt.GTIN, dt.PREFIX_LENGTH, manufacturer2.address],
        () =>
          drugTrace.connect(manufacturer2).registerBatch(...dt.batchArgs(dt.OTHER_LOT, expiry, 1n)),
      );
    });

    it("voids contract manufacturers when the prefix moves, and refuses everyone once it is revoked", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, admin, manufacturer, manufacturer2, distributor } = fixture;
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address);
      await expect(
        drugTrace
          .connect(admin)
          .transferCompanyPrefix(dt.PREFIX, dt.PREFIX_LENGTH, distributor.address, "Buyer AG"),
      )
        .to.emit(drugTrace, "CompanyPrefixTransferred")
        .withArgs(
          dt.PREFIX,
          dt.PREFIX_LENGTH,
          manufacturer.address,
          distributor.address,
          admin.address,
          2n,
        );
      expect(
        await drugTrace.isContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
      ).to.equal(false);
      await expect(drugTrace.connect(admin).revokeCompanyPrefix(dt.PREFIX, dt.PREFIX_LENGTH))
        .to.emit(drugTrace, "CompanyPrefixRevoked")
        .withArgs(dt.PREFIX, dt.PREFIX_LENGTH, distributor.address, admin.address);
      await dt.expectRevert(
        drugTrace.connect(manufacturer).registerBatch(...dt.batchArgs(dt.LOT, 2n ** 40n, 1n)),
        drugTrace,
        "DrugTraceGtinNotAuthorized",
        dt.GTIN,
        dt.PREFIX_LENGTH,
        manufacturer.address,
      );
    });

    for (const [label, prefix, prefixLength, error, args] of [
      ["5 digits", 61414n, 5, "DrugTraceInvalidPrefixLength", [5]],
      ["13 digits", 1234567890123n, 13, "DrugTraceInvalidPrefixLength", [13]],
      [
        "more digits than its length (a bad digit)",
        10000000n,
        7,
        "DrugTraceInvalidCompanyPrefix",
        [10000000n, 7],
      ],
    ] as const) {
      it(`reverts when a prefix has ${label} and changes nothing`, async function () {
        const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
        const { drugTrace, admin, manufacturer2 } = fixture;
        await dt.refuses(dt.watchTrace(fixture, []), error, [...args], () =>
          drugTrace
            .connect(admin)
            .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
        );
      });
    }

    it("reverts on a registration stating a prefix length outside 6 to 12", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await dt.expectNothingChanged(
        dt.traceState(fixture, [dt.batchIdOf(dt.GTIN, dt.LOT)]),
        async () => {
          for (const prefixLength of [0, 5, 13, 255]) {
            await dt.expectRevert(
              drugTrace
                .connect(manufacturer)
                .registerBatch(
                  dt.GTIN,
                  prefixLength,
                  dt.LOT,
                  2n ** 40n,
                  1n,
                  dt.TREE.root,
                  ZeroHash,
                ),
              drugTrace,
              "DrugTraceInvalidPrefixLength",
              prefixLength,
            );
          }
        },
      );
    });

    it("reverts on a bound, overlapping, unnamed or unbound prefix, and for anyone but the admin", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, admin, regulator, manufacturer, manufacturer2, distributor } = fixture;
      await dt.expectNothingChanged(dt.traceState(fixture, []), async () => {
        await dt.expectRevert(
          drugTrace
            .connect(admin)
            .bindCompanyPrefix(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address, RIVAL),
          drugTrace,
          "DrugTraceCompanyPrefixAlreadyBound",
          dt.PREFIX,
          dt.PREFIX_LENGTH,
          manufacturer.address,
        );
        for (const [prefix, prefixLength] of [
          [950600n, 6],
          [95060001n, 8],
        ] as const) {
          await dt.expectRevert(
            drugTrace
              .connect(admin)
              .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
            drugTrace,
            "DrugTraceCompanyPrefixOverlaps",
            prefix,
            prefixLength,
          );
        }
        await dt.expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, ""),
          drugTrace,
          "DrugTraceInvalidName",
          "",
        );
        await dt.expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, "A\nB"),
          drugTrace,
          "DrugTraceInvalidName",
          "A\nB",
        );
        await dt.expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, ZeroAddress, RIVAL),
          drugTrace,
          "DrugTraceZeroAccount",
        );
        await dt.expectRevert(
          drugTrace.connect(admin).revokeCompanyPrefix(123456n, 6),
          drugTrace,
          "DrugTraceCompanyPrefixNotBound",
          123456n,
          6,
        );
        await dt.expectRevert(
          drugTrace.connect(admin).transferCompanyPrefix(123456n, 6, distributor.address, RIVAL),
          drugTrace,
          "DrugTraceCompanyPrefixNotBound",
          123456n,
          6,
        );
        for (const signer of [regulator, manufacturer]) {
          await dt.expectRevert(
            drugTrace
              .connect(signer)
              .transferCompanyPrefix(dt.PREFIX, dt.PREFIX_LENGTH, signer.address, "Thief Ltd"),
            drugTrace,
            "AccessControlUnauthorizedAccount",
            signer.address,
            ZeroHash,
          );
        }
      });
    });

    it("reverts when anyone but the owner authorizes or deauthorizes a contract manufacturer", async function () {
      const fixture = await dt.networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2, admin } = fixture;
      await dt.expectNothingChanged(dt.traceState(fixture, []), async () => {
        for (const signer of [manufacturer2, admin]) {
          await dt.expectRevert(
            drugTrace
              .connect(signer)
              .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
            drugTrace,
            "DrugTraceNotCompanyPrefixOwner",
            dt.PREFIX,
            dt.PREFIX_LENGTH,
            signer.address,
          );
        }
        await dt.expectRevert(
          drugTrace
            .connect(manufacturer)
            .deauthorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
          drugTrace,
          "DrugTraceNotContractManufacturer",
          dt.PREFIX,
          dt.PREFIX_LENGTH,
          manufacturer2.address,
        );
        await dt.expectRevert(
          drugTrace
            .connect(manufacturer)
            .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, ZeroAddress),
          drugTrace,
          "DrugTraceZeroAccount",
        );
      });
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address);
      await dt.expectRevert(
        drugTrace
          .connect(manufacturer)
          .authorizeContractManufacturer(dt.PREFIX, dt.PREFIX_LENGTH, manufacturer2.address),
        drugTrace,
        "DrugTraceContractManufacturerAlreadyAuthorized",
        dt.PREFIX,
        dt.PREFIX_LENGTH,
        manufacturer2.address,
      );
    });
  });
});
