import { expect } from "chai";
import { encodeBytes32String, id, ZeroAddress } from "ethers";
import { network } from "hardhat";

import type { DrugTrace } from "../../typechain-types/index.js";
import {
  acceptShipment,
  batchIdOf,
  cancelShipment,
  decodeShipmentId,
  describeHistoryDetails,
  dispense,
  DRUG_TRACE_ROLES,
  flagSuspect,
  formatShipmentId,
  grantDrugTraceRole,
  pauseDrugTrace,
  readBatch,
  readBatchHistory,
  readHolders,
  readHolding,
  readPendingShipments,
  readShipment,
  readSuspectFlag,
  readTradeRoles,
  readUnitJourney,
  recall,
  registerBatch,
  rejectShipment,
  releaseQuarantine,
  reportExcursion,
  resolveSuspect,
  serialTreeOf,
  ship,
  toGs1Bytes32,
  unpauseDrugTrace,
  verifyUnit,
} from "../../sdk/drug-trace/index.js";
import { ContractRevertError, InputError } from "../../sdk/errors.js";
import { formatTimestamp } from "../../sdk/format.js";

import { deployStaffedDrugTrace } from "../fixtures/drug-trace.js";
import { caught, deliver } from "./helpers.js";

const GTIN = 9506000134352n;
const LOT = "ABC123";
const SERIALS = Array.from({ length: 12 }, (_, i) => `SN${String(i + 1).padStart(4, "0")}`);
const TREE = serialTreeOf(SERIALS);
const EVIDENCE = id("evidence");

const connection = await network.create();
const { ethers, networkHelpers } = connection;

/** Flags unit 0 (serial SN0001) of the batch as verified Dispensed: a copied code. */
function flagCopiedFirstUnit(asDispenser: DrugTrace, batchId: string) {
  return flagSuspect(asDispenser, {
    batchId,
    index: 0n,
    serial: "SN0001",
    verdict: "Dispensed",
    evidenceHash: EVIDENCE,
  });
}

async function clientFixture() {
  const f = await deployStaffedDrugTrace(connection);
  const { drugTrace, admin, manufacturer } = f;
  await grantDrugTraceRole(drugTrace.connect(admin), "PAUSER", admin.address);
  const expiry = BigInt(await networkHelpers.time.latest()) + 365n * 86_400n;
  const { batchId } = await registerBatch(drugTrace.connect(manufacturer), {
    gtin: GTIN,
    lot: LOT,
    expiry,
    unitCount: BigInt(TREE.count),
    serialsRoot: TREE.root,
    metadataHash: id("metadata"),
  });
  return { ...f, batchId, expiry };
}

describe("DrugTrace SDK client", function () {
  describe("writes", function () {
    it("registers a batch under the id GS1 tooling computes, with a serial tree's root", async function () {
      const { drugTrace, batchId, manufacturer, expiry } =
        await networkHelpers.loadFixture(clientFixture);
      expect(batchId).to.equal(batchIdOf(GTIN, LOT));
      const batch = await readBatch(drugTrace, batchId);
      expect(batch).to.deep.equal({
        batchId,
        state: "Active",
        manufacturer: manufacturer.address,
        expiry,
        unitCount: 12n,
        quarantineOrigin: "None",
        serialsRoot: TREE.root,
      });
      expect(await readHolding(drugTrace, batchId, manufacturer.address)).to.equal(12n);
    });

    it("ships, accepts, rejects and cancels, returning ids and quantities from events", async function () {
      const { drugTrace, batchId, manufacturer, distributor } =
        await networkHelpers.loadFixture(clientFixture);
      const sent = await ship(drugTrace.connect(manufacturer), {
        batchId,
        to: distributor.address,
        quantity: 5n,
      });
      expect(decodeShipmentId(sent.shipmentId)).to.deep.equal({
        sender: manufacturer.address,
        sequence: 1n,
      });
      expect(sent.gasUsed).to.equal(sent.receipt.gasUsed);
      const view = await readShipment(drugTrace, sent.shipmentId);
      expect(view.state).to.equal("Pending");
      expect(view.recipient).to.equal(distributor.address);

      const accepted = await acceptShipment(drugTrace.connect(distributor), sent.shipmentId);
      expect(accepted).to.include({
        batchId,
        sender: manufacturer.address,
        recipient: distributor.address,
        quantity: 5n,
      });

      const second = await ship(drugTrace.connect(manufacturer), {
        batchId,
        to: distributor.address,
        quantity: 2n,
      });
      expect(
        (await rejectShipment(drugTrace.connect(distributor), second.shipmentId)).quantity,
      ).to.equal(2n);
      const third = await ship(drugTrace.connect(manufacturer), {
        batchId,
        to: distributor.address,
        quantity: 1n,
      });
      await cancelShipment(drugTrace.connect(manufacturer), third.shipmentId);
      expect((await readShipment(drugTrace, third.shipmentId)).state).to.equal("Cancelled");
      expect(await readHolding(drugTrace, batchId, manufacturer.address)).to.equal(7n);
    });

    it("dispenses with a serial tree's proof and verifies units in words", async function () {
      const { drugTrace, batchId, manufacturer, distributor, pharmacy, stranger } =
        await networkHelpers.loadFixture(clientFixture);
      await deliver(drugTrace, batchId, manufacturer, pharmacy, 3n);
      const dispensed = await dispense(
        drugTrace.connect(pharmacy),
        batchId,
        TREE.proofFor("SN0002"),
      );
      expect(dispensed.gasUsed > 0n).to.equal(true);

      const reader = drugTrace.connect(stranger);
      const gone = await verifyUnit(reader, { gtin: GTIN, lot: LOT, ...TREE.proofFor("SN0002") });
      expect(gone.status).to.equal("Dispensed");
      const active = await verifyUnit(reader, { gtin: GTIN, lot: LOT, ...TREE.proofFor("SN0003") });
      expect(active.status).to.equal("Active");
      expect(active.manufacturer).to.equal(manufacturer.address);
      const forged = await verifyUnit(reader, {
        gtin: GTIN,
        lot: LOT,
        ...TREE.proofFor("SN0003"),
        serial: "SN9999",
      });
      expect(forged).to.deep.equal({ status: "Unknown", expiry: 0n, manufacturer: ZeroAddress });
      expect(await readTradeRoles(drugTrace, distributor.address)).to.deep.equal(["DISTRIBUTOR"]);
      expect(await readTradeRoles(drugTrace, stranger.address)).to.deep.equal([]);
    });

    it("flags, resolves, quarantines, releases and recalls, saying what changed", async function () {
      const { drugTrace, batchId, pharmacy, regulator, sensor, manufacturer } =
        await networkHelpers.loadFixture(clientFixture);
      const { flagId } = await flagCopiedFirstUnit(drugTrace.connect(pharmacy), batchId);
      expect(flagId).to.equal(1n);
      const flag = await readSuspectFlag(drugTrace, flagId);
      expect(flag).to.include({ state: "Open", verdict: "Dispensed", reporter: pharmacy.address });

      const cleared = await resolveSuspect(drugTrace.connect(regulator), flagId, "Cleared");
      expect(cleared).to.include({ batchId, batchQuarantined: false, batchRecalled: false });

      const excursion = await reportExcursion(drugTrace.connect(sensor), {
        batchId,
        readingHash: id("reading"),
        extremeCentiCelsius: -250n,
      });
      expect(excursion.batchQuarantined).to.equal(true);
      expect((await readBatch(drugTrace, batchId)).state).to.equal("Quarantined");
      await releaseQuarantine(drugTrace.connect(manufacturer), batchId);
      await recall(drugTrace.connect(regulator), {
        batchId,
        reasonCode: 4n,
        evidenceHash: EVIDENCE,
      });
      expect((await readBatch(drugTrace, batchId)).state).to.equal("Recalled");
    });

    it("pauses and unpauses", async function () {
      const { drugTrace, admin } = await networkHelpers.loadFixture(clientFixture);
      await pauseDrugTrace(drugTrace.connect(admin));
      expect(await drugTrace.paused()).to.equal(true);
      await unpauseDrugTrace(drugTrace.connect(admin));
      expect(await drugTrace.paused()).to.equal(false);
    });
  });

  describe("reverts", function () {
    it("surface as ContractRevertError with the custom error's name and arguments", async function () {
      const { drugTrace, batchId, manufacturer, pharmacy } =
        await networkHelpers.loadFixture(clientFixture);
      await deliver(drugTrace, batchId, manufacturer, pharmacy, 2n);
      await dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0005"));

      const error = await caught(
        dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0005")),
      );
      expect(error).to.be.instanceOf(ContractRevertError);
      const revert = error as ContractRevertError;
      expect(revert.errorName).to.equal("DrugTraceUnitAlreadyDispensed");
      expect(revert.args).to.deep.equal({ batchId, index: 4n });
      expect(revert.message).to.equal(
        `reverted with DrugTraceUnitAlreadyDispensed(batchId=${batchId}, index=4)`,
      );
    });

    it("say a batch's state by name, and change nothing", async function () {
      const { drugTrace, batchId, manufacturer } = await networkHelpers.loadFixture(clientFixture);
      const before = await readBatch(drugTrace, batchId);
      const error = await caught(releaseQuarantine(drugTrace.connect(manufacturer), batchId));
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).message).to.equal(
        `batch ${batchId} is Active; this needs it Quarantined (DrugTraceUnexpectedBatchState)`,
      );
      expect(await readBatch(drugTrace, batchId)).to.deep.equal(before);
    });

    it("say a shipment's state by name, and change nothing", async function () {
      const { drugTrace, batchId, manufacturer, pharmacy } =
        await networkHelpers.loadFixture(clientFixture);
      const { shipmentId } = await deliver(drugTrace, batchId, manufacturer, pharmacy, 2n);
      const [shipment, held] = await Promise.all([
        readShipment(drugTrace, shipmentId),
        readHolding(drugTrace, batchId, pharmacy.address),
      ]);
      const error = await caught(acceptShipment(drugTrace.connect(pharmacy), shipmentId));
      expect((error as ContractRevertError).message).to.match(
        new RegExp(
          `^shipment ${formatShipmentId(shipmentId)} is Accepted(, which this does not allow|; this needs it Pending) \\(DrugTraceUnexpectedShipmentState\\)$`,
        ),
      );
      expect(await readShipment(drugTrace, shipmentId)).to.deep.equal(shipment);
      expect(await readHolding(drugTrace, batchId, pharmacy.address)).to.equal(held);
    });

    it("say a suspect flag's state by name, and change nothing", async function () {
      const { drugTrace, batchId, pharmacy, regulator } =
        await networkHelpers.loadFixture(clientFixture);
      const { flagId } = await flagCopiedFirstUnit(drugTrace.connect(pharmacy), batchId);
      await resolveSuspect(drugTrace.connect(regulator), flagId, "Cleared");
      const [flag, batch] = await Promise.all([
        readSuspectFlag(drugTrace, flagId),
        readBatch(drugTrace, batchId),
      ]);
      const error = await caught(resolveSuspect(drugTrace.connect(regulator), flagId, "Recalled"));
      expect((error as ContractRevertError).message).to.match(
        /^flag 1 is Cleared(, which this does not allow|; this needs it Open) \(DrugTraceUnexpectedFlagState\)$/,
      );
      expect(await readSuspectFlag(drugTrace, flagId)).to.deep.equal(flag);
      expect(await readBatch(drugTrace, batchId)).to.deep.equal(batch);
    });

    it("name OpenZeppelin's access-control error and the trade-partner check", async function () {
      const { drugTrace, batchId, manufacturer, stranger, expiry } =
        await networkHelpers.loadFixture(clientFixture);
      const refused = (await caught(
        registerBatch(drugTrace.connect(stranger), {
          gtin: GTIN,
          lot: "OTHER",
          expiry,
          unitCount: 1n,
          serialsRoot: TREE.root,
        }),
      )) as ContractRevertError;
      expect(refused).to.be.instanceOf(ContractRevertError);
      expect(refused.errorName).to.equal("AccessControlUnauthorizedAccount");
      expect(refused.args).to.deep.equal({
        account: stranger.address,
        neededRole: DRUG_TRACE_ROLES.MANUFACTURER,
      });

      const noPartner = (await caught(
        ship(drugTrace.connect(manufacturer), { batchId, to: stranger.address, quantity: 1n }),
      )) as ContractRevertError;
      expect(noPartner.errorName).to.equal("DrugTraceNotTradePartner");
      expect(noPartner.args).to.deep.equal({ account: stranger.address });
    });

    it("reject GS1 text that cannot be a lot or serial before sending anything", async function () {
      const { drugTrace, batchId, pharmacy } = await networkHelpers.loadFixture(clientFixture);
      const error = await caught(
        dispense(drugTrace.connect(pharmacy), batchId, { index: 0n, serial: "SN 1", proof: [] }),
      );
      expect(error).to.be.instanceOf(InputError);
      expect(toGs1Bytes32("SN0001")).to.equal(encodeBytes32String("SN0001"));
      expect(toGs1Bytes32(encodeBytes32String("SN0001"))).to.equal(encodeBytes32String("SN0001"));
    });
  });

  describe("history", function () {
    async function journeyFixture() {
      const base = await clientFixture();
      const { drugTrace, batchId, manufacturer, distributor, pharmacy, regulator } = base;
      const first = await ship(drugTrace.connect(manufacturer), {
        batchId,
        to: distributor.address,
        quantity: 8n,
      });
      await acceptShipment(drugTrace.connect(distributor), first.shipmentId);
      const second = await ship(drugTrace.connect(distributor), {
        batchId,
        to: pharmacy.address,
        quantity: 3n,
      });
      await acceptShipment(drugTrace.connect(pharmacy), second.shipmentId);
      await dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0001"));
      const pending = await ship(drugTrace.connect(distributor), {
        batchId,
        to: pharmacy.address,
        quantity: 2n,
      });
      await flagCopiedFirstUnit(drugTrace.connect(pharmacy), batchId);
      await resolveSuspect(drugTrace.connect(regulator), 1n, "Recalled");
      return { ...base, pendingId: pending.shipmentId };
    }

    it("rebuilds the journey from events, oldest first, with actors and typed details", async function () {
      const { drugTrace, batchId, manufacturer, distributor, pharmacy, regulator } =
        await networkHelpers.loadFixture(journeyFixture);
      const rows = await readBatchHistory(drugTrace, batchId);
      expect(rows.map((row) => [row.event, row.actor])).to.deep.equal([
        ["BatchRegistered", manufacturer.address],
        ["ShipmentSent", manufacturer.address],
        ["ShipmentAccepted", distributor.address],
        ["ShipmentSent", distributor.address],
        ["ShipmentAccepted", pharmacy.address],
        ["UnitDispensed", pharmacy.address],
        ["ShipmentSent", distributor.address],
        ["SuspectFlagged", pharmacy.address],
        ["SuspectResolved", regulator.address],
        ["BatchRecalled", regulator.address],
      ]);
      const registered = rows[0]!;
      if (registered.event !== "BatchRegistered") throw new Error("unexpected first row");
      expect(registered.details.gtin).to.equal(GTIN);
      expect(registered.details.unitCount).to.equal(12n);
      const block = await ethers.provider.getBlock(registered.block);
      expect(registered.timestamp).to.equal(BigInt(block!.timestamp));
      expect(rows.map((row) => describeHistoryDetails(row))).to.include.members([
        `GTIN 09506000134352, 12 units, expiry ${formatTimestamp(registered.details.expiry)}`,
        `8 units ${manufacturer.address} → ${distributor.address} (shipment 1)`,
        "unit 0",
        "flag 1: unit 0 verified Dispensed",
        "flag 1: Recalled",
        "suspect flag confirmed",
      ]);
    });

    it("lists the holders, largest first, and the shipments still in transit", async function () {
      const { drugTrace, batchId, manufacturer, distributor, pharmacy, pendingId } =
        await networkHelpers.loadFixture(journeyFixture);
      expect(await readHolders(drugTrace, batchId)).to.deep.equal([
        { holder: manufacturer.address, quantity: 4n },
        { holder: distributor.address, quantity: 3n },
        { holder: pharmacy.address, quantity: 2n },
      ]);
      const pending = await readPendingShipments(drugTrace, batchId);
      expect(pending.map((shipment) => [shipment.shipmentId, shipment.quantity])).to.deep.equal([
        [pendingId, 2n],
      ]);
    });

    it("reads one pack's journey: the batch's events and only that unit's dispensing", async function () {
      const { drugTrace, batchId, manufacturer, pharmacy } =
        await networkHelpers.loadFixture(clientFixture);
      await deliver(drugTrace, batchId, manufacturer, pharmacy, 4n);
      await dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0001"));
      await dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0003"));
      await recall(drugTrace.connect(manufacturer), {
        batchId,
        reasonCode: 2n,
        evidenceHash: EVIDENCE,
      });

      const journey = await readUnitJourney(drugTrace, batchId, 2n);
      expect(journey.map((row) => row.event)).to.deep.equal([
        "BatchRegistered",
        "ShipmentSent",
        "ShipmentAccepted",
        "UnitDispensed",
        "BatchRecalled",
      ]);
      const dispensed = journey[3]!;
      if (dispensed.event !== "UnitDispensed") throw new Error("unexpected row");
      expect(dispensed.details.index).to.equal(2n);
      expect(dispensed.actor).to.equal(pharmacy.address);
      const all = await readBatchHistory(drugTrace, batchId);
      expect(journey).to.deep.equal(
        all.filter((row) => row.event !== "UnitDispensed" || row.details.index === 2n),
      );
      expect(
        (await readUnitJourney(drugTrace, batchId, 5n)).map((row) => row.event),
      ).to.not.include("UnitDispensed");
    });

    it("starts from a given block", async function () {
      const { drugTrace, batchId } = await networkHelpers.loadFixture(journeyFixture);
      const latest = await ethers.provider.getBlockNumber();
      const rows = await readBatchHistory(drugTrace, batchId, latest);
      expect(rows.map((row) => row.event)).to.deep.equal(["SuspectResolved", "BatchRecalled"]);
    });
  });
});
