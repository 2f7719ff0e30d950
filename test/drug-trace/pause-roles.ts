import { expect } from "chai";
import { id, toBeHex } from "ethers";

import DrugTraceModule from "../../ignition/modules/DrugTrace.js";
import { IDrugTrace__factory } from "../../typechain-types/index.js";
import * as dt from "../helpers/drug-trace.js";
import { shouldBehaveLikeAdminPausable } from "../shared/access-and-pause.js";

describe("DrugTrace", function () {
  shouldBehaveLikeAdminPausable(async () => {
    const { drugTrace, admin, stranger, pauser, manufacturer } =
      await dt.networkHelpers.loadFixture(dt.deployFixture);
    const expiry = BigInt(await dt.networkHelpers.time.latest()) + 365n * dt.DAY;
    return {
      contract: drugTrace,
      admin,
      stranger,
      pauser,
      pauserRole: await drugTrace.PAUSER_ROLE(),
      pausableCall: () =>
        drugTrace
          .connect(manufacturer)
          .registerBatch(...dt.batchArgs(dt.LOT, expiry, 1n, dt.METADATA)),
    };
  });

  describe("deployment", function () {
    it("names its roles keccak256 of their names", async function () {
      const { drugTrace } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      expect(await drugTrace.MANUFACTURER_ROLE()).to.equal(id("MANUFACTURER_ROLE"));
      expect(await drugTrace.DISTRIBUTOR_ROLE()).to.equal(id("DISTRIBUTOR_ROLE"));
      expect(await drugTrace.DISPENSER_ROLE()).to.equal(id("DISPENSER_ROLE"));
      expect(await drugTrace.REGULATOR_ROLE()).to.equal(id("REGULATOR_ROLE"));
      expect(await drugTrace.SENSOR_ROLE()).to.equal(id("SENSOR_ROLE"));
      expect(await drugTrace.PAUSER_ROLE()).to.equal(id("PAUSER_ROLE"));
      expect(await drugTrace.SUSPECT_CONFIRMED_REASON()).to.equal(0xffffn);
    });

    it("answers ERC-165 for IDrugTrace and IAccessControl", async function () {
      const { drugTrace } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const iface = IDrugTrace__factory.createInterface();
      let interfaceId = 0n;
      iface.forEachFunction((fn) => {
        interfaceId ^= BigInt(fn.selector);
      });
      expect(await drugTrace.supportsInterface(toBeHex(interfaceId, 4))).to.equal(true);
      expect(await drugTrace.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await drugTrace.supportsInterface("0xffffffff")).to.equal(false);
    });

    it("takes the admin and transfer delay as Ignition parameters", async function () {
      const { stranger } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      const { drugTrace } = await dt.ignition.deploy(DrugTraceModule, {
        parameters: { DrugTrace: { admin: stranger.address, adminTransferDelay: 3600n } },
      });
      const typed = await dt.ethers.getContractAt("DrugTrace", await drugTrace.getAddress());
      expect(await typed.defaultAdmin()).to.equal(stranger.address);
      expect(await typed.defaultAdminDelay()).to.equal(3600n);
    });
  });

  describe("pause", function () {
    it("stops every state change while views keep answering", async function () {
      const fixture = await dt.networkHelpers.loadFixture(dt.pendingFixture);
      const { drugTrace, pauser, manufacturer, distributor, pharmacy, regulator, sensor } = fixture;
      const { batchId, pending, expiry } = fixture;
      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 0n, dt.serialOf(0), dt.UnitStatus.Active, dt.EVIDENCE);
      await drugTrace.connect(pauser).pause();
      const calls = [
        () =>
          drugTrace.connect(manufacturer).registerBatch(...dt.batchArgs(dt.OTHER_LOT, expiry, 1n)),
        () => drugTrace.connect(manufacturer).ship(batchId, distributor.address, 1n),
        () => drugTrace.connect(distributor).acceptShipment(pending),
        () => drugTrace.connect(distributor).rejectShipment(pending),
        () => drugTrace.connect(manufacturer).cancelShipment(pending),
        () => dt.dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
        () => drugTrace.connect(regulator).recall(batchId, 1n, dt.EVIDENCE),
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(batchId, 0n, dt.serialOf(0), dt.UnitStatus.Active, dt.EVIDENCE),
        () => drugTrace.connect(regulator).resolveSuspect(1n, dt.Resolution.Cleared),
        () => drugTrace.connect(sensor).reportExcursion(batchId, dt.READING, 900),
        () => drugTrace.connect(regulator).releaseQuarantine(batchId),
      ];
      await dt.expectNothingChanged(
        dt.traceState(fixture, [batchId, dt.batchIdOf(dt.GTIN, dt.OTHER_LOT)], [pending]),
        async () => {
          for (const call of calls) {
            await dt.expectRevert(call(), drugTrace, "EnforcedPause");
          }
        },
      );
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(50n);
      expect((await drugTrace.shipmentOf(pending)).state).to.equal(dt.ShipmentState.Pending);
    });

    it("is refused to the default admin without the pauser role", async function () {
      const { drugTrace, admin } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      await dt.expectUnauthorized(
        drugTrace.connect(admin).pause(),
        drugTrace,
        admin.address,
        "PAUSER_ROLE",
      );
    });

    it("refuses unpause to a stranger", async function () {
      const { drugTrace, pauser, stranger } = await dt.networkHelpers.loadFixture(dt.deployFixture);
      await drugTrace.connect(pauser).pause();
      await dt.expectUnauthorized(
        drugTrace.connect(stranger).unpause(),
        drugTrace,
        stranger.address,
        "PAUSER_ROLE",
      );
      expect(await drugTrace.paused()).to.equal(true);
    });
  });
});
