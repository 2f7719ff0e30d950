import { expect } from "chai";
import { ZeroAddress, ZeroHash } from "ethers";

import {
  DAY,
  GTIN,
  LOT,
  OTHER_LOT,
  PREFIX,
  PREFIX_LENGTH,
  TREE,
  batchIdOf,
  deployFixture,
  networkHelpers,
  traceState,
} from "../helpers/drug-trace.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";

describe("DrugTrace", function () {
  describe("company prefixes", function () {
    const RIVAL = "Rival Generics Ltd";
    /** A GTIN under the rival's prefix 4006381 (GTIN-13 4006381333931). */
    const RIVAL_GTIN = 4006381333931n;
    const RIVAL_PREFIX = 4006381n;

    /** The rival manufacturer (manufacturer2) owns prefix 4006381. */
    async function prefixesFixture() {
      const deployment = await deployFixture();
      const { drugTrace, admin, manufacturer2 } = deployment;
      await drugTrace
        .connect(admin)
        .bindCompanyPrefix(RIVAL_PREFIX, PREFIX_LENGTH, manufacturer2.address, RIVAL);
      return deployment;
    }

    it("binds a prefix with its owner's public name, and finds it from a GTIN", async function () {
      const { drugTrace, admin, manufacturer2 } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        drugTrace
          .connect(admin)
          .bindCompanyPrefix(RIVAL_PREFIX, PREFIX_LENGTH, manufacturer2.address, RIVAL),
      )
        .to.emit(drugTrace, "CompanyPrefixBound")
        .withArgs(RIVAL_PREFIX, PREFIX_LENGTH, manufacturer2.address, admin.address, 1n)
        .and.to.emit(drugTrace, "ParticipantNamed")
        .withArgs(manufacturer2.address, RIVAL, admin.address);
      expect(await drugTrace.nameOf(manufacturer2.address)).to.equal(RIVAL);
      const [prefix, prefixLength, owner] = await drugTrace.companyPrefixOf(RIVAL_GTIN);
      expect([prefix, prefixLength, owner]).to.deep.equal([
        RIVAL_PREFIX,
        BigInt(PREFIX_LENGTH),
        manufacturer2.address,
      ]);
      expect(await drugTrace.companyPrefixOf(36000291452n)).to.deep.equal([0n, 0n, ZeroAddress]);
    });

    it("keeps leading zeros apart: 0614141 and 614141 are different prefixes", async function () {
      const { drugTrace, admin, manufacturer, manufacturer2 } =
        await networkHelpers.loadFixture(deployFixture);
      await drugTrace.connect(admin).bindCompanyPrefix(614141n, 7, manufacturer.address, "");
      await drugTrace.connect(admin).bindCompanyPrefix(614141n, 6, manufacturer2.address, RIVAL);
      expect((await drugTrace.prefixBindingOf(614141n, 7)).owner).to.equal(manufacturer.address);
      expect((await drugTrace.prefixBindingOf(614141n, 6)).owner).to.equal(manufacturer2.address);
    });

    it("reverts when a manufacturer registers a batch of another owner's prefix (attack) and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer2 } = fixture;
      const batchId = batchIdOf(GTIN, LOT);
      await expectRefused(
        traceState(fixture, [batchId]),
        () =>
          drugTrace
            .connect(manufacturer2)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
        drugTrace,
        "DrugTraceGtinNotAuthorized",
        GTIN,
        PREFIX_LENGTH,
        manufacturer2.address,
      );
    });

    it("reverts when a manufacturer squats a lot the brand owner has not registered yet (attack), so the real batch still registers", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2 } = fixture;
      const expiry = BigInt(await networkHelpers.time.latest()) + DAY;
      const batchId = batchIdOf(GTIN, OTHER_LOT);
      await expectNothingChanged(traceState(fixture, [batchId]), async () => {
        // Under its own prefix's length and under every other length: never the brand owner's GTIN.
        for (const prefixLength of [6, 7, 8, 12]) {
          await expectRevert(
            drugTrace
              .connect(manufacturer2)
              .registerBatch(GTIN, prefixLength, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash),
            drugTrace,
            "DrugTraceGtinNotAuthorized",
            GTIN,
            prefixLength,
            manufacturer2.address,
          );
        }
      });
      await drugTrace
        .connect(manufacturer)
        .registerBatch(GTIN, PREFIX_LENGTH, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash);
      expect((await drugTrace.batchOf(batchId)).manufacturer).to.equal(manufacturer.address);
    });

    it("lets an authorized contract manufacturer register, and refuses it once revoked (attack) with nothing changed", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2 } = fixture;
      const expiry = BigInt(await networkHelpers.time.latest()) + DAY;
      await expect(
        drugTrace
          .connect(manufacturer)
          .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
      )
        .to.emit(drugTrace, "ContractManufacturerAuthorized")
        .withArgs(PREFIX, PREFIX_LENGTH, manufacturer2.address, manufacturer.address);
      await drugTrace
        .connect(manufacturer2)
        .registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, 1n, TREE.root, ZeroHash);
      expect((await drugTrace.batchOf(batchIdOf(GTIN, LOT))).manufacturer).to.equal(
        manufacturer2.address,
      );
      await expect(
        drugTrace
          .connect(manufacturer)
          .deauthorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
      )
        .to.emit(drugTrace, "ContractManufacturerDeauthorized")
        .withArgs(PREFIX, PREFIX_LENGTH, manufacturer2.address, manufacturer.address);
      const batchId = batchIdOf(GTIN, OTHER_LOT);
      await expectRefused(
        traceState(fixture, [batchId]),
        () =>
          drugTrace
            .connect(manufacturer2)
            .registerBatch(GTIN, PREFIX_LENGTH, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash),
        drugTrace,
        "DrugTraceGtinNotAuthorized",
        GTIN,
        PREFIX_LENGTH,
        manufacturer2.address,
      );
    });

    it("voids contract manufacturers when the prefix moves, and refuses everyone once it is revoked", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, admin, manufacturer, manufacturer2, distributor } = fixture;
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address);
      await expect(
        drugTrace
          .connect(admin)
          .transferCompanyPrefix(PREFIX, PREFIX_LENGTH, distributor.address, "Buyer AG"),
      )
        .to.emit(drugTrace, "CompanyPrefixTransferred")
        .withArgs(
          PREFIX,
          PREFIX_LENGTH,
          manufacturer.address,
          distributor.address,
          admin.address,
          2n,
        );
      expect(
        await drugTrace.isContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
      ).to.equal(false);
      await expect(drugTrace.connect(admin).revokeCompanyPrefix(PREFIX, PREFIX_LENGTH))
        .to.emit(drugTrace, "CompanyPrefixRevoked")
        .withArgs(PREFIX, PREFIX_LENGTH, distributor.address, admin.address);
      await expectRevert(
        drugTrace
          .connect(manufacturer)
          .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
        drugTrace,
        "DrugTraceGtinNotAuthorized",
        GTIN,
        PREFIX_LENGTH,
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
        const fixture = await networkHelpers.loadFixture(deployFixture);
        const { drugTrace, admin, manufacturer2 } = fixture;
        await expectRefused(
          traceState(fixture, []),
          () =>
            drugTrace
              .connect(admin)
              .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
          drugTrace,
          error,
          ...args,
        );
      });
    }

    it("reverts on a registration stating a prefix length outside 6 to 12", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await expectNothingChanged(traceState(fixture, [batchIdOf(GTIN, LOT)]), async () => {
        for (const prefixLength of [0, 5, 13, 255]) {
          await expectRevert(
            drugTrace
              .connect(manufacturer)
              .registerBatch(GTIN, prefixLength, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
            drugTrace,
            "DrugTraceInvalidPrefixLength",
            prefixLength,
          );
        }
      });
    });

    it("reverts on a bound, overlapping, unnamed or unbound prefix, and for anyone but the admin", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, admin, regulator, manufacturer, manufacturer2, distributor } = fixture;
      await expectNothingChanged(traceState(fixture, []), async () => {
        await expectRevert(
          drugTrace
            .connect(admin)
            .bindCompanyPrefix(PREFIX, PREFIX_LENGTH, manufacturer2.address, RIVAL),
          drugTrace,
          "DrugTraceCompanyPrefixAlreadyBound",
          PREFIX,
          PREFIX_LENGTH,
          manufacturer.address,
        );
        for (const [prefix, prefixLength] of [
          [950600n, 6],
          [95060001n, 8],
        ] as const) {
          await expectRevert(
            drugTrace
              .connect(admin)
              .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
            drugTrace,
            "DrugTraceCompanyPrefixOverlaps",
            prefix,
            prefixLength,
          );
        }
        await expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, ""),
          drugTrace,
          "DrugTraceInvalidName",
          "",
        );
        await expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, "A\nB"),
          drugTrace,
          "DrugTraceInvalidName",
          "A\nB",
        );
        await expectRevert(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, ZeroAddress, RIVAL),
          drugTrace,
          "DrugTraceZeroAccount",
        );
        await expectRevert(
          drugTrace.connect(admin).revokeCompanyPrefix(123456n, 6),
          drugTrace,
          "DrugTraceCompanyPrefixNotBound",
          123456n,
          6,
        );
        await expectRevert(
          drugTrace.connect(admin).transferCompanyPrefix(123456n, 6, distributor.address, RIVAL),
          drugTrace,
          "DrugTraceCompanyPrefixNotBound",
          123456n,
          6,
        );
        for (const signer of [regulator, manufacturer]) {
          await expectRevert(
            drugTrace
              .connect(signer)
              .transferCompanyPrefix(PREFIX, PREFIX_LENGTH, signer.address, "Thief Ltd"),
            drugTrace,
            "AccessControlUnauthorizedAccount",
            signer.address,
            ZeroHash,
          );
        }
      });
    });

    it("reverts when anyone but the owner authorizes or deauthorizes a contract manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2, admin } = fixture;
      await expectNothingChanged(traceState(fixture, []), async () => {
        for (const signer of [manufacturer2, admin]) {
          await expectRevert(
            drugTrace
              .connect(signer)
              .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
            drugTrace,
            "DrugTraceNotCompanyPrefixOwner",
            PREFIX,
            PREFIX_LENGTH,
            signer.address,
          );
        }
        await expectRevert(
          drugTrace
            .connect(manufacturer)
            .deauthorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
          drugTrace,
          "DrugTraceNotContractManufacturer",
          PREFIX,
          PREFIX_LENGTH,
          manufacturer2.address,
        );
        await expectRevert(
          drugTrace
            .connect(manufacturer)
            .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, ZeroAddress),
          drugTrace,
          "DrugTraceZeroAccount",
        );
      });
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address);
      await expectRevert(
        drugTrace
          .connect(manufacturer)
          .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
        drugTrace,
        "DrugTraceContractManufacturerAlreadyAuthorized",
        PREFIX,
        PREFIX_LENGTH,
        manufacturer2.address,
      );
    });
  });
});
