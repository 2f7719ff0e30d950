import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, ZeroHash, encodeBytes32String, keccak256 } from "ethers";
import { network } from "hardhat";

import DrugTraceModule from "../../ignition/modules/DrugTrace.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { expectNothingChanged, expectRevert, refuses } from "./expect.js";
import type { Watch } from "./expect.js";
import { BatchState, expectedStates } from "./states.js";

// What every test file of the job uses, so that it imports this one module as a namespace.
export * from "./expect.js";
export {
  UnitStatus,
  BatchState,
  ShipmentState,
  Resolution,
  QuarantineOrigin,
  FlagState,
  expectedStates,
} from "./states.js";

/*
 * What the DrugTrace tests (test/drug-trace/) share: the vocabulary and data of a batch, the
 * fixtures every group builds on, and the reader of the state a refused call must leave as it was.
 */

export const { ethers, networkHelpers, ignition } = await network.create();

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                     VOCABULARY AND DATA                    */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

export const ACTIVE = expectedStates(BatchState.Active);
export const RETURNABLE = expectedStates(
  BatchState.Active,
  BatchState.Recalled,
  BatchState.Expired,
);
export const LIVE = expectedStates(BatchState.Active, BatchState.Quarantined, BatchState.Expired);
export const QUARANTINED = expectedStates(BatchState.Quarantined);
export const REGISTERED = expectedStates(
  BatchState.Active,
  BatchState.Quarantined,
  BatchState.Recalled,
  BatchState.Expired,
);

export const DAY = 24n * 60n * 60n;
export const GTIN = 9506000134352n; // GS1's example GTIN, check digit 2
/** GTIN's GS1 Company Prefix: "9506000", the seven digits after the indicator digit. */
export const PREFIX = 9506000n;
export const PREFIX_LENGTH = 7;
export const ACME = "Acme Pharma GmbH";
export const LOT = encodeBytes32String("ABC123");
export const OTHER_LOT = encodeBytes32String("XYZ789");
export const METADATA = keccak256(encodeBytes32String("product master data"));
export const EVIDENCE = keccak256(encodeBytes32String("scan log"));
export const READING = keccak256(encodeBytes32String("logger 7 series"));
export const UNIT_COUNT = 300n;
export const SERIALS = Array.from({ length: Number(UNIT_COUNT) }, (_, i) =>
  encodeBytes32String(`SN${String(i).padStart(5, "0")}`),
);
export const TREE = StandardMerkleTree.of(
  SERIALS.map((serial, i) => [BigInt(i), serial]),
  ["uint256", "bytes32"],
);

export function serialOf(index: number): string {
  return SERIALS[index]!;
}

export function proofOf(index: number): string[] {
  return TREE.getProof(index);
}

export function batchIdOf(gtin: bigint, lot: string): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["uint64", "bytes32"], [gtin, lot]));
}

export function shipmentIdOf(sequence: bigint, sender: string): bigint {
  return (sequence << 160n) | BigInt(sender);
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                          FIXTURES                          */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

export async function deployFixture() {
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

/**
 * The arguments of `registerBatch` for lot `lot` of the fixture GTIN (under the fixture prefix)
 * with the fixture serial tree: `registerBatch(...batchArgs(LOT, expiry, 10n))`.
 */
export function batchArgs(
  lot: string,
  expiry: bigint,
  unitCount: bigint,
  metadata: string = ZeroHash,
): [bigint, number, string, bigint, bigint, string, string] {
  return [GTIN, PREFIX_LENGTH, lot, expiry, unitCount, TREE.root, metadata];
}

export async function registeredFixture() {
  const deployment = await deployFixture();
  const expiry = BigInt(await networkHelpers.time.latest()) + 365n * DAY;
  await deployment.drugTrace
    .connect(deployment.manufacturer)
    .registerBatch(...batchArgs(LOT, expiry, UNIT_COUNT, METADATA));
  return { ...deployment, batchId: batchIdOf(GTIN, LOT), expiry };
}

/** Manufacturer → distributor 200 units (accepted, shipment 1), distributor → pharmacy 50 (accepted, 2). */
export async function stockedFixture() {
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
export async function pendingFixture() {
  const stocked = await stockedFixture();
  const { drugTrace, batchId, manufacturer, distributor } = stocked;
  await drugTrace.connect(manufacturer).ship(batchId, distributor.address, 30n);
  return { ...stocked, pending: shipmentIdOf(3n, manufacturer.address) };
}

export type Fixture = Awaited<ReturnType<typeof deployFixture>>;

/**
 * A reader of everything a failed call must leave as it was (for `expectNothingChanged`): the
 * pause flag, the batches `batchIds` (holdings, dispensed bits), the shipments `shipmentIds`, the
 * first suspect flags, and every party's names, custody links and prefix authorizations.
 */
export function traceState(
  fixture: Fixture,
  batchIds: readonly string[],
  shipmentIds: readonly bigint[] = [],
): () => Promise<unknown[]> {
  return async () => {
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
    return seen;
  };
}

/** `traceState` with the DrugTrace contract, for `refuses`. */
export function watchTrace(
  fixture: Fixture,
  batchIds: readonly string[],
  shipmentIds: readonly bigint[] = [],
): Watch {
  return { read: traceState(fixture, batchIds, shipmentIds), contract: fixture.drugTrace };
}

/** `call` reverts with `DrugTraceUnexpectedBatchState(batchId, current, expected)` of `drugTrace`. */
export function revertsInBatchState(
  drugTrace: DrugTrace,
  call: Promise<unknown>,
  batchId: string,
  current: bigint,
  expected: string,
): Promise<void> {
  return expectRevert(call, drugTrace, "DrugTraceUnexpectedBatchState", batchId, current, expected);
}

/**
 * The regulator recalls the fixture's batch; then `call()` reverts with
 * `DrugTraceUnexpectedBatchState(batchId, Recalled, expected)` and changes nothing `watch` reads.
 */
export async function refusesOnceRecalled(
  watch: Watch,
  fixture: Fixture & { batchId: string },
  expected: string,
  call: () => Promise<unknown>,
): Promise<void> {
  const { drugTrace, regulator, batchId } = fixture;
  await drugTrace.connect(regulator).recall(batchId, 1n, EVIDENCE);
  await refuses(
    watch,
    "DrugTraceUnexpectedBatchState",
    [batchId, BatchState.Recalled, expected],
    call,
  );
}

/**
 * Each of `signers` makes `call(signer)` and each is refused with `error(…args(signer))` of the
 * watched contract; the state `watch` reads is the same after all of them.
 */
export async function refusesEach(
  watch: Watch,
  signers: readonly Fixture["stranger"][],
  error: string,
  args: (signer: Fixture["stranger"]) => unknown[],
  call: (signer: Fixture["stranger"]) => Promise<unknown>,
): Promise<void> {
  await expectNothingChanged(watch.read, async () => {
    for (const signer of signers) {
      await expectRevert(call(signer), watch.contract, error, ...args(signer));
    }
  });
}

/**
 * `reporter` flags unit `index` of `batchId` with `verdict` and the fixture evidence, and the
 * `SuspectFlagged` event numbers the flag `flagId`.
 */
export async function expectFlagged(
  drugTrace: DrugTrace,
  reporter: Fixture["stranger"],
  batchId: string,
  index: number,
  verdict: bigint,
  flagId: bigint,
): Promise<void> {
  const serial = serialOf(index);
  await expect(drugTrace.connect(reporter).flagSuspect(batchId, index, serial, verdict, EVIDENCE))
    .to.emit(drugTrace, "SuspectFlagged")
    .withArgs(batchId, flagId, reporter.address, BigInt(index), serial, verdict, EVIDENCE);
}

export async function dispenseUnit(drugTrace: DrugTrace, batchId: string, index: number) {
  return drugTrace.dispense(batchId, index, serialOf(index), proofOf(index));
}

/**
 * `it("reverts when paused")` for one function: from `fixture`, the pauser pauses and `call`
 * reverts with `EnforcedPause`.
 */
export function itRevertsWhenPaused<F extends Fixture>(
  fixture: () => Promise<F>,
  call: (f: F) => Promise<unknown>,
): void {
  it("reverts when paused", async function () {
    const f = await networkHelpers.loadFixture(fixture);
    await f.drugTrace.connect(f.pauser).pause();
    await expectRevert(call(f), f.drugTrace, "EnforcedPause");
  });
}
