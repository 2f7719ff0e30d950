import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import {
  AbiCoder,
  encodeBytes32String,
  id,
  keccak256,
  toBeHex,
  ZeroAddress,
  ZeroHash,
} from "ethers";
import { network } from "hardhat";

import DrugTraceModule from "../ignition/modules/DrugTrace.js";
import { IDrugTrace__factory } from "../typechain-types/index.js";
import type { DrugTrace } from "../typechain-types/index.js";
import { shouldBehaveLikeAdminPausable } from "./shared/access-and-pause.js";

const { ethers, networkHelpers, ignition } = await network.create();

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                     VOCABULARY AND DATA                    */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

const UnitStatus = {
  Unknown: 0n,
  Active: 1n,
  Dispensed: 2n,
  Recalled: 3n,
  Quarantined: 4n,
  Expired: 5n,
};
const BatchState = { None: 0n, Active: 1n, Quarantined: 2n, Recalled: 3n, Expired: 4n };
const ShipmentState = { None: 0n, Pending: 1n, Accepted: 2n, Rejected: 3n, Cancelled: 4n };
const Resolution = { Cleared: 0n, Quarantined: 1n, Recalled: 2n };
const FlagState = { None: 0n, Open: 1n, Cleared: 2n, Quarantined: 3n, Recalled: 4n };
const QuarantineOrigin = { None: 0n, Excursion: 1n, Regulator: 2n };

/** An expected-states bitmap as the contract's errors carry it. */
function states(...allowed: bigint[]): string {
  return toBeHex(
    allowed.reduce((mask, state) => mask | (1n << state), 0n),
    32,
  );
}
const ACTIVE = states(BatchState.Active);
const RETURNABLE = states(BatchState.Active, BatchState.Recalled, BatchState.Expired);
const LIVE = states(BatchState.Active, BatchState.Quarantined, BatchState.Expired);
const QUARANTINED = states(BatchState.Quarantined);
const REGISTERED = states(
  BatchState.Active,
  BatchState.Quarantined,
  BatchState.Recalled,
  BatchState.Expired,
);

const DAY = 24n * 60n * 60n;
const GTIN = 9506000134352n; // GS1's example GTIN, check digit 2
/** GTIN's GS1 Company Prefix: "9506000", the seven digits after the indicator digit. */
const PREFIX = 9506000n;
const PREFIX_LENGTH = 7;
const ACME = "Acme Pharma GmbH";
const LOT = encodeBytes32String("ABC123");
const OTHER_LOT = encodeBytes32String("XYZ789");
const METADATA = keccak256(encodeBytes32String("product master data"));
const EVIDENCE = keccak256(encodeBytes32String("scan log"));
const READING = keccak256(encodeBytes32String("logger 7 series"));
const UNIT_COUNT = 300n;
const SERIALS = Array.from({ length: Number(UNIT_COUNT) }, (_, i) =>
  encodeBytes32String(`SN${String(i).padStart(5, "0")}`),
);
const TREE = StandardMerkleTree.of(
  SERIALS.map((serial, i) => [BigInt(i), serial]),
  ["uint256", "bytes32"],
);

function serialOf(index: number): string {
  return SERIALS[index]!;
}

function proofOf(index: number): string[] {
  return TREE.getProof(index);
}

function batchIdOf(gtin: bigint, lot: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "bytes32"], [gtin, lot]));
}

function shipmentIdOf(sequence: bigint, sender: string): bigint {
  return (sequence << 160n) | BigInt(sender);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                          FIXTURES                          */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

async function deployFixture() {
  const signers = await ethers.getSigners();
  const [admin, manufacturer, manufacturer2, distributor, pharmacy, pharmacy2] = signers;
  const [regulator, sensor, pauser, stranger] = signers.slice(6);
  const { drugTrace: deployed } = await ignition.deploy(DrugTraceModule, {
    parameters: { DrugTrace: { admin: admin!.address } },
  });
  const drugTrace = await ethers.getContractAt("DrugTrace", await deployed.getAddress());
  const asAdmin = drugTrace.connect(admin);
  await asAdmin.grantRole(await drugTrace.MANUFACTURER_ROLE(), manufacturer!.address);
  await asAdmin.grantRole(await drugTrace.MANUFACTURER_ROLE(), manufacturer2!.address);
  await asAdmin.grantRole(await drugTrace.DISTRIBUTOR_ROLE(), distributor!.address);
  await asAdmin.grantRole(await drugTrace.DISPENSER_ROLE(), pharmacy!.address);
  await asAdmin.grantRole(await drugTrace.DISPENSER_ROLE(), pharmacy2!.address);
  await asAdmin.grantRole(await drugTrace.REGULATOR_ROLE(), regulator!.address);
  await asAdmin.grantRole(await drugTrace.SENSOR_ROLE(), sensor!.address);
  await asAdmin.grantRole(await drugTrace.PAUSER_ROLE(), pauser!.address);
  await asAdmin.bindCompanyPrefix(PREFIX, PREFIX_LENGTH, manufacturer!.address, ACME);
  // The sensor watches the manufacturer's warehouse.
  await drugTrace.connect(manufacturer).bindSensor(sensor!.address);
  return {
    drugTrace,
    admin: admin!,
    manufacturer: manufacturer!,
    manufacturer2: manufacturer2!,
    distributor: distributor!,
    pharmacy: pharmacy!,
    pharmacy2: pharmacy2!,
    regulator: regulator!,
    sensor: sensor!,
    pauser: pauser!,
    stranger: stranger!,
  };
}

async function registeredFixture() {
  const deployment = await deployFixture();
  const expiry = BigInt(await networkHelpers.time.latest()) + 365n * DAY;
  await deployment.drugTrace
    .connect(deployment.manufacturer)
    .registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, UNIT_COUNT, TREE.root, METADATA);
  return { ...deployment, batchId: batchIdOf(GTIN, LOT), expiry };
}

/** Manufacturer → distributor 200 units (accepted, shipment 1), distributor → pharmacy 50 (accepted, 2). */
async function stockedFixture() {
  const registered = await registeredFixture();
  const { drugTrace, batchId, manufacturer, distributor, pharmacy } = registered;
  await drugTrace.connect(manufacturer).ship(batchId, distributor.address, 200n);
  const toDistributor = shipmentIdOf(1n, manufacturer.address);
  await drugTrace.connect(distributor).acceptShipment(toDistributor);
  await drugTrace.connect(distributor).ship(batchId, pharmacy.address, 50n);
  const toPharmacy = shipmentIdOf(2n, distributor.address);
  await drugTrace.connect(pharmacy).acceptShipment(toPharmacy);
  return { ...registered, toDistributor, toPharmacy };
}

/** `stockedFixture` plus a pending manufacturer → distributor shipment of 30 (shipment 3). */
async function pendingFixture() {
  const stocked = await stockedFixture();
  const { drugTrace, batchId, manufacturer, distributor } = stocked;
  await drugTrace.connect(manufacturer).ship(batchId, distributor.address, 30n);
  return { ...stocked, pending: shipmentIdOf(3n, manufacturer.address) };
}

type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/** Everything a failed call must leave as it was, serialized for comparison. */
async function observe(
  fixture: Fixture,
  batchIds: readonly string[],
  shipmentIds: readonly bigint[] = [],
): Promise<string> {
  const { drugTrace } = fixture;
  const parties = [
    fixture.manufacturer,
    fixture.manufacturer2,
    fixture.distributor,
    fixture.pharmacy,
    fixture.pharmacy2,
    fixture.stranger,
  ].map((signer) => signer.address);
  const seen: unknown[] = [await drugTrace.paused()];
  for (const batchId of batchIds) {
    seen.push(await drugTrace.batchOf(batchId));
    for (const party of parties) seen.push(await drugTrace.holdingOf(batchId, party));
    for (const index of [0n, 1n, 2n, 255n, 256n]) {
      seen.push(await drugTrace.isDispensed(batchId, index));
    }
  }
  for (const shipmentId of shipmentIds) seen.push(await drugTrace.shipmentOf(shipmentId));
  for (const flagId of [1n, 2n, 3n]) seen.push(await drugTrace.suspectFlagOf(flagId));
  for (const party of [...parties, fixture.sensor.address, fixture.regulator.address]) {
    seen.push(
      await drugTrace.openFlagsOf(party),
      await drugTrace.nameOf(party),
      await drugTrace.custodianOf(party),
      await drugTrace.isContractManufacturer(PREFIX, PREFIX_LENGTH, party),
    );
  }
  seen.push(await drugTrace.prefixBindingOf(PREFIX, PREFIX_LENGTH));
  seen.push(await drugTrace.prefixBindingOf(4006381n, PREFIX_LENGTH));
  return JSON.stringify(seen, (_, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

/** Runs `refusal` (which asserts the revert) and asserts that it changed nothing observable. */
async function expectNothingChanged(
  fixture: Fixture,
  batchIds: readonly string[],
  shipmentIds: readonly bigint[],
  refusal: () => Promise<void>,
): Promise<void> {
  const before = await observe(fixture, batchIds, shipmentIds);
  await refusal();
  expect(await observe(fixture, batchIds, shipmentIds)).to.equal(before);
}

async function dispenseUnit(drugTrace: DrugTrace, batchId: string, index: number) {
  return drugTrace.dispense(batchId, index, serialOf(index), proofOf(index));
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           TESTS                            */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

describe("DrugTrace", function () {
  shouldBehaveLikeAdminPausable(async () => {
    const { drugTrace, admin, stranger, pauser, manufacturer } =
      await networkHelpers.loadFixture(deployFixture);
    const expiry = BigInt(await networkHelpers.time.latest()) + 365n * DAY;
    return {
      contract: drugTrace,
      admin,
      stranger,
      pauser,
      pauserRole: await drugTrace.PAUSER_ROLE(),
      pausableCall: () =>
        drugTrace
          .connect(manufacturer)
          .registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, 1n, TREE.root, METADATA),
    };
  });

  describe("deployment", function () {
    it("names its roles keccak256 of their names", async function () {
      const { drugTrace } = await networkHelpers.loadFixture(deployFixture);
      expect(await drugTrace.MANUFACTURER_ROLE()).to.equal(id("MANUFACTURER_ROLE"));
      expect(await drugTrace.DISTRIBUTOR_ROLE()).to.equal(id("DISTRIBUTOR_ROLE"));
      expect(await drugTrace.DISPENSER_ROLE()).to.equal(id("DISPENSER_ROLE"));
      expect(await drugTrace.REGULATOR_ROLE()).to.equal(id("REGULATOR_ROLE"));
      expect(await drugTrace.SENSOR_ROLE()).to.equal(id("SENSOR_ROLE"));
      expect(await drugTrace.PAUSER_ROLE()).to.equal(id("PAUSER_ROLE"));
      expect(await drugTrace.SUSPECT_CONFIRMED_REASON()).to.equal(0xffffn);
    });

    it("answers ERC-165 for IDrugTrace and IAccessControl", async function () {
      const { drugTrace } = await networkHelpers.loadFixture(deployFixture);
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
      const { stranger } = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace } = await ignition.deploy(DrugTraceModule, {
        parameters: { DrugTrace: { admin: stranger.address, adminTransferDelay: 3600n } },
      });
      const typed = await ethers.getContractAt("DrugTrace", await drugTrace.getAddress());
      expect(await typed.defaultAdmin()).to.equal(stranger.address);
      expect(await typed.defaultAdminDelay()).to.equal(3600n);
    });
  });

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
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        await expect(
          drugTrace
            .connect(stranger)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
        )
          .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
          .withArgs(stranger.address, id("MANUFACTURER_ROLE"));
      });
    });

    it("reverts when a distributor registers", async function () {
      const { drugTrace, distributor } = await networkHelpers.loadFixture(deployFixture);
      await expect(
        drugTrace
          .connect(distributor)
          .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
      )
        .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
        .withArgs(distributor.address, id("MANUFACTURER_ROLE"));
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
        await expectNothingChanged(fixture, [batchIdOf(gtin, LOT)], [], async () => {
          await expect(
            drugTrace
              .connect(manufacturer)
              .registerBatch(gtin, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidGtin")
            .withArgs(gtin);
        });
      });
    }

    it("reverts when the lot is empty", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await expectNothingChanged(fixture, [batchIdOf(GTIN, ZeroHash)], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, ZeroHash, 2n ** 40n, 1n, TREE.root, ZeroHash),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceEmptyLot");
      });
    });

    it("reverts when the unit count is zero", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 0n, TREE.root, ZeroHash),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroUnitCount");
      });
    });

    it("reverts when the serials root is zero", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, ZeroHash, ZeroHash),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroSerialsRoot");
      });
    });

    it("reverts when the expiry is in the past", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      const next = BigInt(await networkHelpers.time.latest()) + 10n;
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        await networkHelpers.time.setNextBlockTimestamp(next);
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, next - 1n, 1n, TREE.root, ZeroHash),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceExpiryInPast")
          .withArgs(next - 1n, next);
      });
    });

    it("reverts when the (GTIN, lot) is already registered, even by its contract manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, manufacturer2, batchId, expiry } = fixture;
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [manufacturer, manufacturer2]) {
          await expect(
            drugTrace
              .connect(signer)
              .registerBatch(GTIN, PREFIX_LENGTH, LOT, expiry, 1n, id("another root"), ZeroHash),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceBatchAlreadyRegistered")
            .withArgs(batchId);
        }
      });
    });

    it("reverts when paused", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer, pauser } = fixture;
      await drugTrace.connect(pauser).pause();
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
        ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
      });
    });
  });

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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer2)
            .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 10n, TREE.root, ZeroHash),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceGtinNotAuthorized")
          .withArgs(GTIN, PREFIX_LENGTH, manufacturer2.address);
      });
    });

    it("reverts when a manufacturer squats a lot the brand owner has not registered yet (attack), so the real batch still registers", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2 } = fixture;
      const expiry = BigInt(await networkHelpers.time.latest()) + DAY;
      const batchId = batchIdOf(GTIN, OTHER_LOT);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        // Under its own prefix's length and under every other length: never the brand owner's GTIN.
        for (const prefixLength of [6, 7, 8, 12]) {
          await expect(
            drugTrace
              .connect(manufacturer2)
              .registerBatch(GTIN, prefixLength, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceGtinNotAuthorized")
            .withArgs(GTIN, prefixLength, manufacturer2.address);
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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(
          drugTrace
            .connect(manufacturer2)
            .registerBatch(GTIN, PREFIX_LENGTH, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceGtinNotAuthorized")
          .withArgs(GTIN, PREFIX_LENGTH, manufacturer2.address);
      });
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
      await expect(
        drugTrace
          .connect(manufacturer)
          .registerBatch(GTIN, PREFIX_LENGTH, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
      )
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceGtinNotAuthorized")
        .withArgs(GTIN, PREFIX_LENGTH, manufacturer.address);
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
        await expectNothingChanged(fixture, [], [], async () => {
          await expect(
            drugTrace
              .connect(admin)
              .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
          )
            .to.be.revertedWithCustomError(drugTrace, error)
            .withArgs(...args);
        });
      });
    }

    it("reverts on a registration stating a prefix length outside 6 to 12", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, manufacturer } = fixture;
      await expectNothingChanged(fixture, [batchIdOf(GTIN, LOT)], [], async () => {
        for (const prefixLength of [0, 5, 13, 255]) {
          await expect(
            drugTrace
              .connect(manufacturer)
              .registerBatch(GTIN, prefixLength, LOT, 2n ** 40n, 1n, TREE.root, ZeroHash),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidPrefixLength")
            .withArgs(prefixLength);
        }
      });
    });

    it("reverts on a bound, overlapping, unnamed or unbound prefix, and for anyone but the admin", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, admin, regulator, manufacturer, manufacturer2, distributor } = fixture;
      await expectNothingChanged(fixture, [], [], async () => {
        await expect(
          drugTrace
            .connect(admin)
            .bindCompanyPrefix(PREFIX, PREFIX_LENGTH, manufacturer2.address, RIVAL),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceCompanyPrefixAlreadyBound")
          .withArgs(PREFIX, PREFIX_LENGTH, manufacturer.address);
        for (const [prefix, prefixLength] of [
          [950600n, 6],
          [95060001n, 8],
        ] as const) {
          await expect(
            drugTrace
              .connect(admin)
              .bindCompanyPrefix(prefix, prefixLength, manufacturer2.address, RIVAL),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceCompanyPrefixOverlaps")
            .withArgs(prefix, prefixLength);
        }
        await expect(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, ""),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidName")
          .withArgs("");
        await expect(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, distributor.address, "A\nB"),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidName")
          .withArgs("A\nB");
        await expect(
          drugTrace.connect(admin).bindCompanyPrefix(123456n, 6, ZeroAddress, RIVAL),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroAccount");
        await expect(drugTrace.connect(admin).revokeCompanyPrefix(123456n, 6))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceCompanyPrefixNotBound")
          .withArgs(123456n, 6);
        await expect(
          drugTrace.connect(admin).transferCompanyPrefix(123456n, 6, distributor.address, RIVAL),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceCompanyPrefixNotBound")
          .withArgs(123456n, 6);
        for (const signer of [regulator, manufacturer]) {
          await expect(
            drugTrace
              .connect(signer)
              .transferCompanyPrefix(PREFIX, PREFIX_LENGTH, signer.address, "Thief Ltd"),
          )
            .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, ZeroHash);
        }
      });
    });

    it("reverts when anyone but the owner authorizes or deauthorizes a contract manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(prefixesFixture);
      const { drugTrace, manufacturer, manufacturer2, admin } = fixture;
      await expectNothingChanged(fixture, [], [], async () => {
        for (const signer of [manufacturer2, admin]) {
          await expect(
            drugTrace
              .connect(signer)
              .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotCompanyPrefixOwner")
            .withArgs(PREFIX, PREFIX_LENGTH, signer.address);
        }
        await expect(
          drugTrace
            .connect(manufacturer)
            .deauthorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotContractManufacturer")
          .withArgs(PREFIX, PREFIX_LENGTH, manufacturer2.address);
        await expect(
          drugTrace
            .connect(manufacturer)
            .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, ZeroAddress),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroAccount");
      });
      await drugTrace
        .connect(manufacturer)
        .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address);
      await expect(
        drugTrace
          .connect(manufacturer)
          .authorizeContractManufacturer(PREFIX, PREFIX_LENGTH, manufacturer2.address),
      )
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceContractManufacturerAlreadyAuthorized")
        .withArgs(PREFIX, PREFIX_LENGTH, manufacturer2.address);
    });
  });

  describe("setParticipantName and nameOf", function () {
    it("lets a regulator name a pharmacy, rename and clear; nameOf is empty for the unnamed", async function () {
      const { drugTrace, regulator, pharmacy, manufacturer, stranger } =
        await networkHelpers.loadFixture(deployFixture);
      expect(await drugTrace.nameOf(manufacturer.address)).to.equal(ACME);
      expect(await drugTrace.nameOf(stranger.address)).to.equal("");
      await expect(
        drugTrace.connect(regulator).setParticipantName(pharmacy.address, "Apotheke am Markt"),
      )
        .to.emit(drugTrace, "ParticipantNamed")
        .withArgs(pharmacy.address, "Apotheke am Markt", regulator.address);
      expect(await drugTrace.nameOf(pharmacy.address)).to.equal("Apotheke am Markt");
      await drugTrace.connect(regulator).setParticipantName(pharmacy.address, "");
      expect(await drugTrace.nameOf(pharmacy.address)).to.equal("");
    });

    it("reverts for anyone but a regulator (attack: a pharmacy naming itself after a brand) and on a bad name", async function () {
      const fixture = await networkHelpers.loadFixture(deployFixture);
      const { drugTrace, regulator, pharmacy } = fixture;
      const long = "x".repeat(65);
      await expectNothingChanged(fixture, [], [], async () => {
        await expect(drugTrace.connect(pharmacy).setParticipantName(pharmacy.address, ACME))
          .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
          .withArgs(pharmacy.address, id("REGULATOR_ROLE"));
        await expect(drugTrace.connect(regulator).setParticipantName(pharmacy.address, long))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidName")
          .withArgs(long);
        await expect(
          drugTrace.connect(regulator).setParticipantName(ZeroAddress, "X"),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroAccount");
      });
      // 64 bytes of UTF-8 is the limit, not 64 characters.
      await drugTrace.connect(regulator).setParticipantName(pharmacy.address, "ü".repeat(32));
      await expect(
        drugTrace.connect(regulator).setParticipantName(pharmacy.address, "ü".repeat(33)),
      ).to.be.revertedWithCustomError(drugTrace, "DrugTraceInvalidName");
    });
  });

  describe("ship", function () {
    it("moves units from the sender's holding into a pending shipment to the named recipient", async function () {
      const { drugTrace, manufacturer, distributor, batchId } =
        await networkHelpers.loadFixture(registeredFixture);
      const shipmentId = shipmentIdOf(1n, manufacturer.address);
      expect(
        await drugTrace.connect(manufacturer).ship.staticCall(batchId, distributor.address, 120n),
      ).to.equal(shipmentId);
      const tx = drugTrace.connect(manufacturer).ship(batchId, distributor.address, 120n);
      await expect(tx)
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(batchId, shipmentId, distributor.address, manufacturer.address, 120n);
      const block = await (await tx).getBlock();
      const record = await drugTrace.shipmentOf(shipmentId);
      expect(record.sender).to.equal(manufacturer.address);
      expect(record.recipient).to.equal(distributor.address);
      expect(record.batchId).to.equal(batchId);
      expect(record.quantity).to.equal(120n);
      expect(record.shippedAt).to.equal(BigInt(block!.timestamp));
      expect(record.state).to.equal(ShipmentState.Pending);
      expect(await drugTrace.shipmentStateOf(shipmentId)).to.equal(ShipmentState.Pending);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT - 120n);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(0n);
    });

    it("numbers shipments in sequence with the sender in the low 160 bits", async function () {
      const { drugTrace, distributor, pharmacy, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await expect(drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n))
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(
          batchId,
          shipmentIdOf(3n, distributor.address),
          pharmacy.address,
          distributor.address,
          1n,
        );
      await expect(drugTrace.connect(pharmacy).ship(batchId, distributor.address, 1n))
        .to.emit(drugTrace, "ShipmentSent")
        .withArgs(
          batchId,
          shipmentIdOf(4n, pharmacy.address),
          distributor.address,
          pharmacy.address,
          1n,
        );
    });

    it("lets a pharmacy return stock to its distributor", async function () {
      const { drugTrace, distributor, pharmacy, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await drugTrace.connect(distributor).acceptShipment(shipmentIdOf(3n, pharmacy.address));
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(0n);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(200n);
    });

    it("lets a holder whose trade role was revoked send its stock back", async function () {
      const { drugTrace, admin, distributor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(admin).revokeRole(id("DISTRIBUTOR_ROLE"), distributor.address);
      await expect(
        drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n),
      ).to.emit(drugTrace, "ShipmentSent");
    });

    it("allows returns to the manufacturer after a recall", async function () {
      const { drugTrace, regulator, distributor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(regulator).recall(batchId, 7n, EVIDENCE);
      await drugTrace.connect(distributor).ship(batchId, manufacturer.address, 150n);
      const shipmentId = shipmentIdOf(3n, distributor.address);
      await expect(drugTrace.connect(manufacturer).acceptShipment(shipmentId))
        .to.emit(drugTrace, "ShipmentAccepted")
        .withArgs(batchId, shipmentId, manufacturer.address, distributor.address, 150n);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT - 50n);
    });

    it("allows returns to the manufacturer after expiry", async function () {
      const { drugTrace, distributor, manufacturer, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.increaseTo(expiry + 1n);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Expired);
      await expect(drugTrace.connect(distributor).ship(batchId, manufacturer.address, 10n)).to.emit(
        drugTrace,
        "ShipmentSent",
      );
    });

    it("reverts when the quantity is zero", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, distributor, batchId } = fixture;
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(1n, manufacturer.address)],
        async () => {
          await expect(
            drugTrace.connect(manufacturer).ship(batchId, distributor.address, 0n),
          ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroQuantity");
        },
      );
    });

    it("reverts when shipping to oneself", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, batchId } = fixture;
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(1n, manufacturer.address)],
        async () => {
          await expect(drugTrace.connect(manufacturer).ship(batchId, manufacturer.address, 1n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceShipmentToSelf")
            .withArgs(manufacturer.address);
        },
      );
    });

    it("reverts when the recipient holds no trade role (attack), whatever else it holds", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, stranger, regulator, sensor, pauser, batchId } = fixture;
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(1n, manufacturer.address)],
        async () => {
          for (const to of [
            stranger.address,
            regulator.address,
            sensor.address,
            pauser.address,
            ZeroAddress,
          ]) {
            await expect(drugTrace.connect(manufacturer).ship(batchId, to, 1n))
              .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotTradePartner")
              .withArgs(to);
          }
        },
      );
    });

    it("reverts when the batch is not registered", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, distributor } = fixture;
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expect(drugTrace.connect(manufacturer).ship(unknown, distributor.address, 1n))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(unknown, BatchState.None, ACTIVE);
    });

    it("reverts when shipping a recalled batch onward and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, regulator, distributor, pharmacy, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 7n, EVIDENCE);
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(3n, distributor.address)],
        async () => {
          await expect(drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
            .withArgs(batchId, BatchState.Recalled, ACTIVE);
        },
      );
    });

    it("reverts when shipping an expired batch onward", async function () {
      const { drugTrace, distributor, pharmacy, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.increaseTo(expiry + 1n);
      await expect(drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(batchId, BatchState.Expired, ACTIVE);
    });

    it("reverts when shipping a quarantined batch, even back to the manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, distributor, manufacturer, pharmacy, batchId } = fixture;
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250);
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(3n, distributor.address)],
        async () => {
          await expect(drugTrace.connect(distributor).ship(batchId, manufacturer.address, 1n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
            .withArgs(batchId, BatchState.Quarantined, RETURNABLE);
          await expect(drugTrace.connect(distributor).ship(batchId, pharmacy.address, 1n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
            .withArgs(batchId, BatchState.Quarantined, ACTIVE);
        },
      );
    });

    it("reverts when the sender holds too few units, or none", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, distributor, pharmacy, pharmacy2, stranger, batchId } = fixture;
      await expectNothingChanged(
        fixture,
        [batchId],
        [shipmentIdOf(3n, pharmacy.address)],
        async () => {
          await expect(drugTrace.connect(pharmacy).ship(batchId, distributor.address, 51n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceInsufficientHolding")
            .withArgs(batchId, pharmacy.address, 50n, 51n);
          await expect(drugTrace.connect(stranger).ship(batchId, pharmacy2.address, 1n))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceInsufficientHolding")
            .withArgs(batchId, stranger.address, 0n, 1n);
        },
      );
    });

    it("reverts when paused", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, manufacturer, distributor, pauser, batchId } = fixture;
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(manufacturer).ship(batchId, distributor.address, 1n),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("acceptShipment", function () {
    it("credits the named recipient and closes the shipment", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await expect(drugTrace.connect(distributor).acceptShipment(pending))
        .to.emit(drugTrace, "ShipmentAccepted")
        .withArgs(batchId, pending, distributor.address, manufacturer.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(ShipmentState.Accepted);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(150n + 30n);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT - 230n);
    });

    it("settles a shipment whatever happened to the batch meanwhile", async function () {
      const { drugTrace, regulator, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await drugTrace.connect(distributor).acceptShipment(pending);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(180n);
    });

    it("reverts when someone the sender did not name claims the custody (attack)", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, manufacturer, pharmacy, stranger, batchId, pending } = fixture;
      await expectNothingChanged(fixture, [batchId], [pending], async () => {
        for (const claimant of [stranger, pharmacy, manufacturer]) {
          await expect(drugTrace.connect(claimant).acceptShipment(pending))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotShipmentRecipient")
            .withArgs(pending, claimant.address);
        }
      });
    });

    it("reverts for an unknown shipment", async function () {
      const { drugTrace, distributor, manufacturer } =
        await networkHelpers.loadFixture(pendingFixture);
      const unknown = shipmentIdOf(9n, manufacturer.address);
      await expect(drugTrace.connect(distributor).acceptShipment(unknown))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
        .withArgs(unknown, ShipmentState.None, states(ShipmentState.Pending));
    });

    it("reverts when the shipment was already accepted, rejected or cancelled", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, manufacturer, distributor, batchId, pending, toDistributor } = fixture;
      await expectNothingChanged(fixture, [batchId], [toDistributor], async () => {
        await expect(drugTrace.connect(distributor).acceptShipment(toDistributor))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
          .withArgs(toDistributor, ShipmentState.Accepted, states(ShipmentState.Pending));
      });
      await drugTrace.connect(manufacturer).cancelShipment(pending);
      await expect(drugTrace.connect(distributor).acceptShipment(pending))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
        .withArgs(pending, ShipmentState.Cancelled, states(ShipmentState.Pending));
    });

    it("reverts when paused", async function () {
      const { drugTrace, distributor, pauser, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(distributor).acceptShipment(pending),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("rejectShipment", function () {
    it("returns the units to the sender", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await expect(drugTrace.connect(distributor).rejectShipment(pending))
        .to.emit(drugTrace, "ShipmentRejected")
        .withArgs(batchId, pending, distributor.address, manufacturer.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(ShipmentState.Rejected);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT - 200n);
      expect(await drugTrace.holdingOf(batchId, distributor.address)).to.equal(150n);
    });

    it("reverts when anyone but the recipient rejects", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, manufacturer, stranger, batchId, pending } = fixture;
      await expectNothingChanged(fixture, [batchId], [pending], async () => {
        for (const signer of [manufacturer, stranger]) {
          await expect(drugTrace.connect(signer).rejectShipment(pending))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotShipmentRecipient")
            .withArgs(pending, signer.address);
        }
      });
    });

    it("reverts when the shipment is no longer pending", async function () {
      const { drugTrace, distributor, pending } = await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(distributor).rejectShipment(pending);
      await expect(drugTrace.connect(distributor).rejectShipment(pending))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
        .withArgs(pending, ShipmentState.Rejected, states(ShipmentState.Pending));
    });

    it("reverts when paused", async function () {
      const { drugTrace, distributor, pauser, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(distributor).rejectShipment(pending),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("cancelShipment", function () {
    it("returns the units to the sender before acceptance", async function () {
      const { drugTrace, manufacturer, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await expect(drugTrace.connect(manufacturer).cancelShipment(pending))
        .to.emit(drugTrace, "ShipmentCancelled")
        .withArgs(batchId, pending, manufacturer.address, distributor.address, 30n);
      expect(await drugTrace.shipmentStateOf(pending)).to.equal(ShipmentState.Cancelled);
      expect(await drugTrace.holdingOf(batchId, manufacturer.address)).to.equal(UNIT_COUNT - 200n);
    });

    it("reverts when anyone but the sender cancels", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, distributor, stranger, batchId, pending } = fixture;
      await expectNothingChanged(fixture, [batchId], [pending], async () => {
        for (const signer of [distributor, stranger]) {
          await expect(drugTrace.connect(signer).cancelShipment(pending))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotShipmentSender")
            .withArgs(pending, signer.address);
        }
      });
    });

    it("reverts after acceptance", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, manufacturer, distributor, batchId, pending } = fixture;
      await drugTrace.connect(distributor).acceptShipment(pending);
      await expectNothingChanged(fixture, [batchId], [pending], async () => {
        await expect(drugTrace.connect(manufacturer).cancelShipment(pending))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
          .withArgs(pending, ShipmentState.Accepted, states(ShipmentState.Pending));
      });
    });

    it("reverts when paused", async function () {
      const { drugTrace, manufacturer, pauser, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(manufacturer).cancelShipment(pending),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("dispense", function () {
    it("decommissions a unit, attributes it to the dispenser and takes it from its holding", async function () {
      const { drugTrace, pharmacy, pharmacy2, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await expect(dispenseUnit(drugTrace.connect(pharmacy), batchId, 7))
        .to.emit(drugTrace, "UnitDispensed")
        .withArgs(batchId, 7n, pharmacy.address, serialOf(7));
      expect(await drugTrace.isDispensed(batchId, 7n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 6n)).to.equal(false);
      expect(await drugTrace.isDispensedBy(batchId, 7n, pharmacy.address)).to.equal(true);
      expect(await drugTrace.isDispensedBy(batchId, 7n, pharmacy2.address)).to.equal(false);
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(49n);
      const [status] = await drugTrace.verifyUnit(GTIN, LOT, serialOf(7), 7n, proofOf(7));
      expect(status).to.equal(UnitStatus.Dispensed);
    });

    it("dispenses units on both sides of a bitmap word boundary (255, 256)", async function () {
      const { drugTrace, pharmacy, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 255);
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 256);
      expect(await drugTrace.isDispensed(batchId, 255n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 256n)).to.equal(true);
      expect(await drugTrace.isDispensed(batchId, 254n)).to.equal(false);
      expect(await drugTrace.isDispensed(batchId, 257n)).to.equal(false);
      expect(await drugTrace.isDispensedBy(batchId, 256n, pharmacy.address)).to.equal(true);
    });

    it("dispenses up to the expiry second", async function () {
      const { drugTrace, pharmacy, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.setNextBlockTimestamp(expiry);
      await expect(dispenseUnit(drugTrace.connect(pharmacy), batchId, 0)).to.emit(
        drugTrace,
        "UnitDispensed",
      );
    });

    it("reverts when a copied serial is dispensed a second time (attack), by anyone", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, distributor, pharmacy, pharmacy2, batchId } = fixture;
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 5n);
      await drugTrace.connect(pharmacy2).acceptShipment(shipmentIdOf(3n, distributor.address));
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 2);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const dispenser of [pharmacy, pharmacy2]) {
          await expect(dispenseUnit(drugTrace.connect(dispenser), batchId, 2))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitAlreadyDispensed")
            .withArgs(batchId, 2n);
        }
      });
    });

    it("reverts on a forged proof (attack): wrong serial, wrong index, another unit's proof, no proof", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, pharmacy, batchId } = fixture;
      const forged = encodeBytes32String("SN-COUNTERFEIT");
      const asPharmacy = drugTrace.connect(pharmacy);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(asPharmacy.dispense(batchId, 1n, forged, proofOf(1)))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitNotInBatch")
          .withArgs(batchId, 1n, forged);
        await expect(asPharmacy.dispense(batchId, 2n, serialOf(1), proofOf(1)))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitNotInBatch")
          .withArgs(batchId, 2n, serialOf(1));
        await expect(asPharmacy.dispense(batchId, 1n, serialOf(1), proofOf(2)))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitNotInBatch")
          .withArgs(batchId, 1n, serialOf(1));
        await expect(asPharmacy.dispense(batchId, 1n, serialOf(1), []))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitNotInBatch")
          .withArgs(batchId, 1n, serialOf(1));
      });
    });

    it("reverts for an index at or past the unit count", async function () {
      const { drugTrace, pharmacy, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await expect(
        drugTrace.connect(pharmacy).dispense(batchId, UNIT_COUNT, serialOf(0), proofOf(0)),
      )
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnitNotInBatch")
        .withArgs(batchId, UNIT_COUNT, serialOf(0));
    });

    it("reverts when the dispenser holds no stock of the batch (attack)", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, pharmacy2, batchId } = fixture;
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(dispenseUnit(drugTrace.connect(pharmacy2), batchId, 0))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceInsufficientHolding")
          .withArgs(batchId, pharmacy2.address, 0n, 1n);
      });
    });

    it("reverts when a distributor holding stock dispenses", async function () {
      const { drugTrace, distributor, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await expect(dispenseUnit(drugTrace.connect(distributor), batchId, 0))
        .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
        .withArgs(distributor.address, id("DISPENSER_ROLE"));
    });

    it("reverts for a recalled unit (attack)", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, manufacturer, pharmacy, batchId } = fixture;
      await drugTrace.connect(manufacturer).recall(batchId, 2n, EVIDENCE);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(dispenseUnit(drugTrace.connect(pharmacy), batchId, 0))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Recalled, ACTIVE);
      });
    });

    it("reverts for a quarantined unit (attack)", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, pharmacy, batchId } = fixture;
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, -350);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(dispenseUnit(drugTrace.connect(pharmacy), batchId, 0))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Quarantined, ACTIVE);
      });
    });

    it("reverts for an expired unit (attack), from the second after expiry", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, pharmacy, batchId, expiry } = fixture;
      await networkHelpers.time.increaseTo(expiry);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(dispenseUnit(drugTrace.connect(pharmacy), batchId, 0))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Expired, ACTIVE);
      });
    });

    it("reverts for an unregistered batch", async function () {
      const { drugTrace, pharmacy } = await networkHelpers.loadFixture(stockedFixture);
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expect(dispenseUnit(drugTrace.connect(pharmacy), unknown, 0))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(unknown, BatchState.None, ACTIVE);
    });

    it("reverts when paused", async function () {
      const { drugTrace, pharmacy, pauser, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("verifyUnit", function () {
    it("says Active, with expiry and manufacturer, to anyone for free", async function () {
      const { drugTrace, stranger, manufacturer, expiry } =
        await networkHelpers.loadFixture(registeredFixture);
      const verdict = await drugTrace
        .connect(stranger)
        .verifyUnit(GTIN, LOT, serialOf(3), 3n, proofOf(3));
      expect(verdict.status).to.equal(UnitStatus.Active);
      expect(verdict.expiry).to.equal(expiry);
      expect(verdict.manufacturer).to.equal(manufacturer.address);
    });

    it("says Unknown, vouching for nothing, for a counterfeit or unregistered code", async function () {
      const { drugTrace } = await networkHelpers.loadFixture(registeredFixture);
      const cases: [bigint, string, string, bigint, string[]][] = [
        [GTIN, OTHER_LOT, serialOf(3), 3n, proofOf(3)], // no such batch
        [GTIN, LOT, encodeBytes32String("SN-FAKE"), 3n, proofOf(3)], // serial not in the tree
        [GTIN, LOT, serialOf(3), 4n, proofOf(3)], // wrong index
        [GTIN, LOT, serialOf(3), 3n, proofOf(4)], // wrong proof
        [GTIN, LOT, serialOf(3), UNIT_COUNT + 3n, proofOf(3)], // past the count
        [4006381333931n, LOT, serialOf(3), 3n, proofOf(3)], // another GTIN
      ];
      for (const [gtin, lot, serial, index, proof] of cases) {
        const verdict = await drugTrace.verifyUnit(gtin, lot, serial, index, proof);
        expect(verdict.status).to.equal(UnitStatus.Unknown);
        expect(verdict.expiry).to.equal(0n);
        expect(verdict.manufacturer).to.equal(ZeroAddress);
      }
    });

    it("says Recalled, Quarantined and Expired for such batches", async function () {
      const { drugTrace, regulator, sensor, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      const verify = async () =>
        (await drugTrace.verifyUnit(GTIN, LOT, serialOf(0), 0n, proofOf(0))).status;
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      expect(await verify()).to.equal(UnitStatus.Quarantined);
      await drugTrace.connect(regulator).releaseQuarantine(batchId);
      expect(await verify()).to.equal(UnitStatus.Active);
      await networkHelpers.time.increaseTo(expiry + 1n);
      expect(await verify()).to.equal(UnitStatus.Expired);
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      expect(await verify()).to.equal(UnitStatus.Recalled);
    });

    it("ranks Dispensed over Recalled, Recalled over Quarantined, Quarantined over Expired", async function () {
      const { drugTrace, pharmacy, regulator, sensor, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      const verify = async (index: number) =>
        (await drugTrace.verifyUnit(GTIN, LOT, serialOf(index), BigInt(index), proofOf(index)))
          .status;
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 5);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      await networkHelpers.time.increaseTo(expiry + 1n);
      expect(await verify(5)).to.equal(UnitStatus.Dispensed);
      expect(await verify(6)).to.equal(UnitStatus.Quarantined);
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      expect(await verify(5)).to.equal(UnitStatus.Dispensed);
      expect(await verify(6)).to.equal(UnitStatus.Recalled);
    });

    it("still answers while paused", async function () {
      const { drugTrace, pauser } = await networkHelpers.loadFixture(registeredFixture);
      await drugTrace.connect(pauser).pause();
      const verdict = await drugTrace.verifyUnit(GTIN, LOT, serialOf(0), 0n, proofOf(0));
      expect(verdict.status).to.equal(UnitStatus.Active);
    });
  });

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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [stranger, manufacturer2, distributor]) {
          await expect(drugTrace.connect(signer).recall(batchId, 1n, EVIDENCE))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotManufacturerOrRegulator")
            .withArgs(batchId, signer.address);
        }
      });
    });

    it("reverts when the batch's manufacturer lost its role", async function () {
      const { drugTrace, admin, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(admin).revokeRole(id("MANUFACTURER_ROLE"), manufacturer.address);
      await expect(drugTrace.connect(manufacturer).recall(batchId, 1n, EVIDENCE))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotManufacturerOrRegulator")
        .withArgs(batchId, manufacturer.address);
    });

    it("reverts when already recalled, and for an unregistered batch", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, regulator, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Recalled, LIVE);
      });
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expect(drugTrace.connect(regulator).recall(unknown, 1n, EVIDENCE))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(unknown, BatchState.None, LIVE);
    });

    it("reverts when paused", async function () {
      const { drugTrace, regulator, pauser, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

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
      await expectNothingChanged(fixture, [batchId, counterfeit], [], async () => {
        await expect(
          drugTrace
            .connect(pharmacy)
            .flagSuspect(counterfeit, 0n, serialOf(0), UnitStatus.Unknown, EVIDENCE),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(counterfeit, BatchState.None, REGISTERED);
      });
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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(
          drugTrace
            .connect(pharmacy)
            .flagSuspect(batchId, 40n, serialOf(40), UnitStatus.Active, EVIDENCE),
        )
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceTooManyOpenFlags")
          .withArgs(pharmacy.address, max);
      });
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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [stranger, regulator, sensor]) {
          await expect(
            drugTrace
              .connect(signer)
              .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE),
          )
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotTradePartner")
            .withArgs(signer.address);
        }
      });
    });

    it("reverts when paused", async function () {
      const { drugTrace, pharmacy, pauser, batchId } =
        await networkHelpers.loadFixture(registeredFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace
          .connect(pharmacy)
          .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Quarantined))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Recalled, LIVE);
      });
    });

    it("reverts for an unknown or already resolved flag", async function () {
      const fixture = await networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, regulator, batchId, flagId } = fixture;
      await expect(drugTrace.connect(regulator).resolveSuspect(7n, Resolution.Cleared))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedFlagState")
        .withArgs(7n, FlagState.None, states(FlagState.Open));
      await drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Cleared);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Recalled))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedFlagState")
          .withArgs(flagId, FlagState.Cleared, states(FlagState.Open));
      });
    });

    it("reverts for anyone but a regulator", async function () {
      const fixture = await networkHelpers.loadFixture(flaggedFixture);
      const { drugTrace, manufacturer, stranger, batchId, flagId } = fixture;
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [manufacturer, stranger]) {
          await expect(drugTrace.connect(signer).resolveSuspect(flagId, Resolution.Recalled))
            .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, id("REGULATOR_ROLE"));
        }
      });
    });

    it("reverts when paused", async function () {
      const { drugTrace, regulator, pauser, flagId } =
        await networkHelpers.loadFixture(flaggedFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(regulator).resolveSuspect(flagId, Resolution.Cleared),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("reportExcursion", function () {
    it("quarantines the batch and records the reading", async function () {
      const { drugTrace, sensor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, READING, 1250n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, QuarantineOrigin.Excursion);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
      expect((await drugTrace.batchOf(batchId)).quarantineOrigin).to.equal(
        QuarantineOrigin.Excursion,
      );
    });

    it("records a further reading on a quarantined batch without quarantining it again", async function () {
      const { drugTrace, sensor, manufacturer, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 1250);
      await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, -2000))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, manufacturer.address, READING, -2000n)
        .and.not.to.emit(drugTrace, "BatchQuarantined");
    });

    it("quarantines an expired batch", async function () {
      const { drugTrace, sensor, batchId, expiry } =
        await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.increaseTo(expiry + 1n);
      await drugTrace.connect(sensor).reportExcursion(batchId, READING, 900);
      expect(await drugTrace.batchStateOf(batchId)).to.equal(BatchState.Quarantined);
    });

    it("reverts for a recalled or unregistered batch", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, regulator, batchId } = fixture;
      await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 900))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
          .withArgs(batchId, BatchState.Recalled, LIVE);
      });
      const unknown = batchIdOf(GTIN, OTHER_LOT);
      await expect(drugTrace.connect(sensor).reportExcursion(unknown, READING, 900))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(unknown, BatchState.None, LIVE);
    });

    it("reverts for anyone but a sensor", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, regulator, manufacturer, batchId } = fixture;
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [regulator, manufacturer]) {
          await expect(drugTrace.connect(signer).reportExcursion(batchId, READING, 900))
            .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
            .withArgs(signer.address, id("SENSOR_ROLE"));
        }
      });
    });

    it("reverts when paused", async function () {
      const { drugTrace, sensor, pauser, batchId } =
        await networkHelpers.loadFixture(stockedFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(sensor).reportExcursion(batchId, READING, 900),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });

    it("reverts for a sensor whose custodian never held the batch (attack: a leaked key) and changes nothing", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceBatchNotInCustody")
          .withArgs(batchId, pharmacy2.address, sensor.address);
      });
    });

    it("reverts for a sensor that no custodian bound", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceSensorNotBound")
          .withArgs(sensor.address);
      });
    });

    it("reverts once the custodian shipped its whole holding away", async function () {
      const fixture = await networkHelpers.loadFixture(stockedFixture);
      const { drugTrace, sensor, manufacturer, distributor, pharmacy, batchId } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy).bindSensor(sensor.address);
      await drugTrace.connect(pharmacy).ship(batchId, distributor.address, 50n);
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(sensor).reportExcursion(batchId, READING, 2500))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceBatchNotInCustody")
          .withArgs(batchId, pharmacy.address, sensor.address);
      });
    });
  });

  describe("reportShipmentExcursion", function () {
    it("quarantines the batch of a shipment the custodian sent or receives", async function () {
      const { drugTrace, sensor, manufacturer, distributor, batchId, pending } =
        await networkHelpers.loadFixture(pendingFixture);
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(distributor).bindSensor(sensor.address);
      await expect(drugTrace.connect(sensor).reportShipmentExcursion(pending, READING, 950))
        .to.emit(drugTrace, "ExcursionReported")
        .withArgs(batchId, sensor.address, distributor.address, READING, 950n)
        .and.to.emit(drugTrace, "BatchQuarantined")
        .withArgs(batchId, sensor.address, QuarantineOrigin.Excursion);
    });

    it("reverts for a shipment between others, and for a settled one", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, sensor, manufacturer, pharmacy2, batchId, pending, toPharmacy } = fixture;
      await drugTrace.connect(manufacturer).unbindSensor(sensor.address);
      await drugTrace.connect(pharmacy2).bindSensor(sensor.address);
      await expectNothingChanged(fixture, [batchId], [pending, toPharmacy], async () => {
        await expect(drugTrace.connect(sensor).reportShipmentExcursion(pending, READING, 950))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceBatchNotInCustody")
          .withArgs(batchId, pharmacy2.address, sensor.address);
        await expect(drugTrace.connect(sensor).reportShipmentExcursion(toPharmacy, READING, 950))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedShipmentState")
          .withArgs(toPharmacy, ShipmentState.Accepted, states(ShipmentState.Pending));
      });
    });
  });

  describe("bindSensor and unbindSensor", function () {
    it("binds a sensor to the calling trade partner; its custodian or a regulator unbinds it", async function () {
      const { drugTrace, sensor, manufacturer, distributor, regulator } =
        await networkHelpers.loadFixture(deployFixture);
      expect(await drugTrace.custodianOf(sensor.address)).to.equal(manufacturer.address);
      await expect(drugTrace.connect(regulator).unbindSensor(sensor.address))
        .to.emit(drugTrace, "SensorUnbound")
        .withArgs(sensor.address, manufacturer.address, regulator.address);
      await expect(drugTrace.connect(distributor).bindSensor(sensor.address))
        .to.emit(drugTrace, "SensorBound")
        .withArgs(sensor.address, distributor.address);
      await expect(drugTrace.connect(distributor).unbindSensor(sensor.address))
        .to.emit(drugTrace, "SensorUnbound")
        .withArgs(sensor.address, distributor.address, distributor.address);
      expect(await drugTrace.custodianOf(sensor.address)).to.equal(ZeroAddress);
    });

    it("reverts when another trade partner takes over a bound sensor (attack) or a stranger binds or unbinds", async function () {
      const fixture = await networkHelpers.loadFixture(registeredFixture);
      const { drugTrace, sensor, manufacturer, distributor, stranger, batchId } = fixture;
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(distributor).bindSensor(sensor.address))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceSensorAlreadyBound")
          .withArgs(sensor.address, manufacturer.address);
        await expect(drugTrace.connect(distributor).unbindSensor(sensor.address))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotSensorCustodian")
          .withArgs(sensor.address, distributor.address);
        await expect(drugTrace.connect(stranger).bindSensor(stranger.address))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotTradePartner")
          .withArgs(stranger.address);
        await expect(
          drugTrace.connect(distributor).bindSensor(ZeroAddress),
        ).to.be.revertedWithCustomError(drugTrace, "DrugTraceZeroAccount");
        await expect(drugTrace.connect(distributor).unbindSensor(distributor.address))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceSensorNotBound")
          .withArgs(distributor.address);
      });
    });
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
      await expectNothingChanged(fixture, [batchId], [], async () => {
        await expect(drugTrace.connect(manufacturer).releaseQuarantine(batchId))
          .to.be.revertedWithCustomError(drugTrace, "DrugTraceQuarantinedByRegulator")
          .withArgs(batchId, manufacturer.address);
      });
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
      await expect(drugTrace.connect(regulator).releaseQuarantine(batchId))
        .to.be.revertedWithCustomError(drugTrace, "DrugTraceUnexpectedBatchState")
        .withArgs(batchId, BatchState.Active, QUARANTINED);
    });

    it("reverts for a stranger, a sensor or another manufacturer", async function () {
      const fixture = await networkHelpers.loadFixture(quarantinedFixture);
      const { drugTrace, stranger, sensor, manufacturer2, batchId } = fixture;
      await expectNothingChanged(fixture, [batchId], [], async () => {
        for (const signer of [stranger, sensor, manufacturer2]) {
          await expect(drugTrace.connect(signer).releaseQuarantine(batchId))
            .to.be.revertedWithCustomError(drugTrace, "DrugTraceNotManufacturerOrRegulator")
            .withArgs(batchId, signer.address);
        }
      });
    });

    it("reverts when paused", async function () {
      const { drugTrace, regulator, pauser, batchId } =
        await networkHelpers.loadFixture(quarantinedFixture);
      await drugTrace.connect(pauser).pause();
      await expect(
        drugTrace.connect(regulator).releaseQuarantine(batchId),
      ).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
    });
  });

  describe("pause", function () {
    it("stops every state change while views keep answering", async function () {
      const fixture = await networkHelpers.loadFixture(pendingFixture);
      const { drugTrace, pauser, manufacturer, distributor, pharmacy, regulator, sensor } = fixture;
      const { batchId, pending, expiry } = fixture;
      await drugTrace
        .connect(pharmacy)
        .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE);
      await drugTrace.connect(pauser).pause();
      const calls = [
        () =>
          drugTrace
            .connect(manufacturer)
            .registerBatch(GTIN, PREFIX_LENGTH, OTHER_LOT, expiry, 1n, TREE.root, ZeroHash),
        () => drugTrace.connect(manufacturer).ship(batchId, distributor.address, 1n),
        () => drugTrace.connect(distributor).acceptShipment(pending),
        () => drugTrace.connect(distributor).rejectShipment(pending),
        () => drugTrace.connect(manufacturer).cancelShipment(pending),
        () => dispenseUnit(drugTrace.connect(pharmacy), batchId, 0),
        () => drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE),
        () =>
          drugTrace
            .connect(pharmacy)
            .flagSuspect(batchId, 0n, serialOf(0), UnitStatus.Active, EVIDENCE),
        () => drugTrace.connect(regulator).resolveSuspect(1n, Resolution.Cleared),
        () => drugTrace.connect(sensor).reportExcursion(batchId, READING, 900),
        () => drugTrace.connect(regulator).releaseQuarantine(batchId),
      ];
      await expectNothingChanged(
        fixture,
        [batchId, batchIdOf(GTIN, OTHER_LOT)],
        [pending],
        async () => {
          for (const call of calls) {
            await expect(call()).to.be.revertedWithCustomError(drugTrace, "EnforcedPause");
          }
        },
      );
      expect(await drugTrace.holdingOf(batchId, pharmacy.address)).to.equal(50n);
      expect((await drugTrace.shipmentOf(pending)).state).to.equal(ShipmentState.Pending);
    });

    it("is refused to the default admin without the pauser role", async function () {
      const { drugTrace, admin } = await networkHelpers.loadFixture(deployFixture);
      await expect(drugTrace.connect(admin).pause())
        .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
        .withArgs(admin.address, id("PAUSER_ROLE"));
    });

    it("refuses unpause to a stranger", async function () {
      const { drugTrace, pauser, stranger } = await networkHelpers.loadFixture(deployFixture);
      await drugTrace.connect(pauser).pause();
      await expect(drugTrace.connect(stranger).unpause())
        .to.be.revertedWithCustomError(drugTrace, "AccessControlUnauthorizedAccount")
        .withArgs(stranger.address, id("PAUSER_ROLE"));
      expect(await drugTrace.paused()).to.equal(true);
    });
  });

  describe("conservation", function () {
    it("keeps holdings + in transit = registered − dispensed along a journey", async function () {
      const { drugTrace, manufacturer, distributor, pharmacy, pharmacy2, batchId } =
        await networkHelpers.loadFixture(pendingFixture);
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 0);
      await dispenseUnit(drugTrace.connect(pharmacy), batchId, 256);
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 20n);
      await drugTrace.connect(pharmacy2).rejectShipment(shipmentIdOf(4n, distributor.address));
      await drugTrace.connect(distributor).ship(batchId, pharmacy2.address, 15n);

      let held = 0n;
      for (const holder of [manufacturer, distributor, pharmacy, pharmacy2]) {
        held += await drugTrace.holdingOf(batchId, holder.address);
      }
      const inTransit =
        (await drugTrace.shipmentOf(shipmentIdOf(3n, manufacturer.address))).quantity +
        (await drugTrace.shipmentOf(shipmentIdOf(5n, distributor.address))).quantity;
      expect(held + inTransit).to.equal(UNIT_COUNT - 2n);
    });
  });
});
