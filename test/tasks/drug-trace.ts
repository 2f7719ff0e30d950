import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id, keccak256, toUtf8Bytes, ZeroAddress, ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  batchIdOf,
  buildSerialTree,
  DRUG_TRACE_ROLES,
  formatExpiry,
  formatShipmentId,
  grantDrugTraceRole,
  formatParticipant,
  readBatch,
  readHolding,
  readShipment,
  readSuspectFlag,
  shortAddress,
} from "../../sdk/drug-trace/index.js";
import { describeError } from "../../sdk/errors.js";
import type { DrugTrace } from "../../typechain-types/index.js";
import { traceAccept } from "../../tasks/drug-trace/accept.js";
import { traceCancel } from "../../tasks/drug-trace/cancel.js";
import type { TraceAction, TraceIo } from "../../tasks/drug-trace/connection.js";
import { traceDispense } from "../../tasks/drug-trace/dispense.js";
import { traceExcursion } from "../../tasks/drug-trace/excursion.js";
import { traceFlag } from "../../tasks/drug-trace/flag.js";
import { traceHistory } from "../../tasks/drug-trace/history.js";
import { traceName } from "../../tasks/drug-trace/name.js";
import { tracePending } from "../../tasks/drug-trace/pending.js";
import {
  tracePrefixAdd,
  tracePrefixAuthorize,
  tracePrefixDeauthorize,
  tracePrefixList,
  tracePrefixRevoke,
  tracePrefixTransfer,
} from "../../tasks/drug-trace/prefix.js";
import { traceRecall } from "../../tasks/drug-trace/recall.js";
import { traceRegister } from "../../tasks/drug-trace/register.js";
import { traceReject } from "../../tasks/drug-trace/reject.js";
import { traceRelease } from "../../tasks/drug-trace/release.js";
import { traceResolve } from "../../tasks/drug-trace/resolve.js";
import { traceRoles } from "../../tasks/drug-trace/roles.js";
import { traceSensor } from "../../tasks/drug-trace/sensor.js";
import { traceShip } from "../../tasks/drug-trace/ship.js";
import { traceVerify } from "../../tasks/drug-trace/verify.js";
import { deployStaffedDrugTrace } from "../fixtures/drug-trace.js";
import { expectFailed, runRegistered } from "./run.js";

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                       HOW TASKS RUN                        */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

/** The chain the tasks run on: the actions take it as their connection. */
const connection = await network.create();
const { ethers, networkHelpers } = connection;

// eslint-disable-next-line no-control-regex -- strips the ANSI colours `colour` adds on a terminal
const plain = (text: string): string => text.replace(/\u001b\[\d+m/g, "");

/** A task's arguments: `--address` is the contract's unless they name another. */
type OnContract = { readonly address?: string | undefined };

/**
 * Runs a task's action on this test's chain, on the DrugTrace at `address`; returns its exit code
 * and what it printed.
 */
async function run<A extends OnContract>(
  action: TraceAction<A>,
  address: string,
  args: A,
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io: TraceIo = { print: (line) => lines.push(line) };
  const code = await action({ address, ...args }, connection, io);
  return { code, out: plain(lines.join("\n")) };
}

/** The one line `runTask` prints (after "error: ") when a task's action on `address` fails. */
async function failure<A extends OnContract>(
  action: TraceAction<A>,
  address: string,
  args: A,
): Promise<string> {
  try {
    await action({ address, ...args }, connection, { print: () => undefined });
  } catch (error) {
    return describeError(error);
  }
  throw new Error("expected the task to fail");
}

/**
 * `trace dispense` of a pack as the pharmacy is refused: exit code 2, the last line printed is
 * `verdict`, and the unit at `index` (when the batch is registered) is still not dispensed.
 * Returns what the task printed.
 */
async function expectNotDispensed(
  f: { drugTrace: DrugTrace; address: string; batchId: string },
  pack: { code: string; tree: string; index?: bigint },
  verdict: string,
): Promise<{ code: number; out: string }> {
  const refused = await run(traceDispense, f.address, {
    code: pack.code,
    tree: pack.tree,
    from: FROM.pharmacy,
  });
  expect(refused.code).to.equal(2);
  expect(refused.out.split("\n").at(-1)).to.equal(verdict);
  if (pack.index !== undefined) {
    expect(await f.drugTrace.isDispensed(f.batchId, pack.index)).to.equal(false);
  }
  return refused;
}

/** The decoded AccessControl error of a call by `account`, which lacks `role`. */
function unauthorized(account: string, role: string): string {
  return `reverted with AccessControlUnauthorizedAccount(account=${account}, neededRole=${role})`;
}

/** The one line a regulator's `trace resolve` of `flag` as `resolution` fails with. */
function failedResolve(address: string, flag: string, resolution: string): Promise<string> {
  return failure(traceResolve, address, { flag, resolution, from: FROM.regulator });
}

/** The value printed for `key` in a task's aligned key/value output. */
function field(out: string, key: string): string {
  const line = out.split("\n").find((candidate) => candidate.startsWith(`${key}  `));
  if (line === undefined) throw new Error(`no "${key}" line in:\n${out}`);
  return line.slice(key.length).trim();
}

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                          FIXTURES                          */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

const GTIN = "09506000134352";
const LOT = "ABC123";
const SERIAL_COUNT = 20;
const SERIALS = Array.from({ length: SERIAL_COUNT }, (_, i) => `SN${String(i).padStart(4, "0")}`);
const DIRECTORY = mkdtempSync(path.join(tmpdir(), "carechain-trace-tasks-"));
const SERIAL_FILE = path.join(DIRECTORY, "serials-ABC123.txt");
const TREE_FILE = path.join(DIRECTORY, `${GTIN}-${LOT}.tree.json`);
writeFileSync(SERIAL_FILE, `${SERIALS.join("\n")}\n`);

/** An expiry one year from now, as the ISO date `trace register` takes and its YYMMDD. */
const EXPIRY_DATE = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10);
const EXPIRY = BigInt(Date.parse(`${EXPIRY_DATE}T23:59:59Z`) / 1000);
const EXPIRY_YYMMDD = formatExpiry(EXPIRY);

/** A pack's Digital Link, with the expiry printed on it (the registered one by default; none for ""). */
function codeOf(serial: string, expiry: string = EXPIRY_YYMMDD): string {
  const query = expiry === "" ? "" : `?17=${expiry}`;
  return `https://id.gs1.org/01/${GTIN}/10/${LOT}/21/${serial}${query}`;
}

/** DrugTrace staffed (`deployStaffedDrugTrace`), and account 7 a second pharmacy. */
async function rolesFixture() {
  const f = await deployStaffedDrugTrace(connection);
  await grantDrugTraceRole(f.drugTrace.connect(f.admin), "DISPENSER", f.pharmacy2.address);
  return f;
}

/** Signers are picked by index, as `--from 1` on the command line: */
const FROM = {
  admin: "0",
  manufacturer: "1",
  distributor: "2",
  pharmacy: "3",
  regulator: "4",
  sensor: "5",
  stranger: "6",
  pharmacy2: "7",
};

/** A batch registered with `trace register`. */
async function registeredFixture() {
  const f = await rolesFixture();
  rmSync(TREE_FILE, { force: true });
  const registered = await run(traceRegister, f.address, {
    serials: SERIAL_FILE,
    gtin: GTIN,
    lot: LOT,
    expiry: EXPIRY_DATE,
    metadata: id("product master data"),
    from: FROM.manufacturer,
  });
  return { ...f, registered, batchId: batchIdOf(BigInt(GTIN), LOT) };
}

/** Ships `quantity` units from one account to another with `trace ship` and `trace accept`. */
async function handOver(
  address: string,
  from: string,
  to: string,
  toIndex: string,
  quantity: number,
): Promise<string> {
  const shipped = await run(traceShip, address, {
    gtin: GTIN,
    lot: LOT,
    to,
    quantity: String(quantity),
    from,
  });
  const shipment = field(shipped.out, "shipment");
  await run(traceAccept, address, { shipment, from: toIndex });
  return shipment;
}

/** The batch registered and 5 units handed over manufacturer → distributor → pharmacy. */
async function stockedFixture() {
  const f = await registeredFixture();
  await handOver(f.address, FROM.manufacturer, f.distributor.address, FROM.distributor, 10);
  await handOver(f.address, FROM.distributor, f.pharmacy.address, FROM.pharmacy, 5);
  return f;
}

after(function () {
  rmSync(DIRECTORY, { recursive: true, force: true });
});

/*´:°•.°+.*•´.*:˚.°*.˚•´.°:°•.°•.*•´.*:˚.°*.˚•´.°:°•.°+.*•´.*:*/
/*                           TESTS                            */
/*.•°:°.´+˚.*°.˚:*.´•*.+°.•°:´*.´•*.•°.•°:°.´:•˚°.*°.˚:*.´+°.•*/

describe("trace tasks", function () {
  describe("trace register", function () {
    it("builds and saves the tree, registers, prints id, root, units, tree file and gas", async function () {
      const { drugTrace, registered, batchId, manufacturer } =
        await networkHelpers.loadFixture(registeredFixture);
      expect(registered.code).to.equal(0);
      const tree = JSON.parse(readFileSync(TREE_FILE, "utf8")) as Record<string, unknown>;
      expect(tree).to.include({ gtin: GTIN, lot: LOT, count: SERIAL_COUNT });
      expect(field(registered.out, "batch id")).to.equal(batchId);
      expect(field(registered.out, "serials root")).to.equal(tree.root);
      expect(field(registered.out, "units")).to.equal("20");
      expect(field(registered.out, "tree file")).to.equal(TREE_FILE);
      expect(field(registered.out, "expiry")).to.equal(`${EXPIRY_DATE}T23:59:59Z`);
      expect(field(registered.out, "gas used")).to.match(/^\d{2},\d{3} gas$/);
      // the key column is aligned
      const valueColumns = registered.out.split("\n").map((line) => line.search(/ {2}\S/));
      expect(new Set(valueColumns).size).to.equal(1);

      expect(await readBatch(drugTrace, batchId)).to.deep.include({
        state: "Active",
        manufacturer: manufacturer.address,
        expiry: EXPIRY,
        unitCount: 20n,
        serialsRoot: tree.root,
      });
    });

    it("shows progress on the progress stream, saves the tree where --tree says, hashes --metadata files", async function () {
      const { drugTrace, address } = await networkHelpers.loadFixture(rolesFixture);
      const written: string[] = [];
      const stderr = {
        isTTY: false,
        write: (chunk: string) => written.push(chunk),
      } as unknown as NodeJS.WriteStream;
      const treeFile = path.join(DIRECTORY, "lot-p1.tree.json");
      const metadataFile = path.join(DIRECTORY, "master-data.json");
      writeFileSync(metadataFile, '{"name":"product master data"}');
      const lines: string[] = [];
      const code = await traceRegister(
        {
          serials: SERIAL_FILE,
          gtin: GTIN,
          lot: "P1",
          expiry: EXPIRY_YYMMDD,
          metadata: metadataFile,
          tree: treeFile,
          from: FROM.manufacturer,
          address,
        },
        connection,
        { print: (line) => lines.push(line), progress: stderr },
      );
      expect(code).to.equal(0);
      const size = readFileSync(SERIAL_FILE).length;
      expect(written.join("")).to.equal(
        `reading serial file (bytes): ${size}/${size}\nhashing serial tree (leaves): 20/20\n`,
      );
      const out = plain(lines.join("\n"));
      expect(field(out, "tree file")).to.equal(treeFile);
      expect(field(out, "metadata hash")).to.equal(keccak256(readFileSync(metadataFile)));
      const batch = await readBatch(drugTrace, batchIdOf(BigInt(GTIN), "P1"));
      expect(batch.serialsRoot).to.equal(
        (JSON.parse(readFileSync(treeFile, "utf8")) as { root: string }).root,
      );
    });

    it("keeps the tree file of a registered batch when a later registration is refused", async function () {
      const { address } = await networkHelpers.loadFixture(registeredFixture);
      const before = readFileSync(TREE_FILE, "utf8");
      expect(
        await failure(traceRegister, address, {
          serials: SERIAL_FILE,
          gtin: GTIN,
          lot: LOT,
          expiry: EXPIRY_YYMMDD,
          from: FROM.manufacturer,
        }),
      ).to.equal(
        `reverted with DrugTraceBatchAlreadyRegistered(batchId=${batchIdOf(BigInt(GTIN), LOT)})`,
      );
      expect(
        await failure(traceRegister, address, {
          serials: SERIAL_FILE,
          gtin: GTIN,
          lot: "OTHER",
          expiry: EXPIRY_YYMMDD,
          tree: TREE_FILE,
          from: FROM.manufacturer,
        }),
      ).to.equal(
        `tree file ${TREE_FILE} already holds batch ${GTIN}/${LOT}: give another tree file (--tree) for ${GTIN}/OTHER`,
      );
      expect(readFileSync(TREE_FILE, "utf8")).to.equal(before);
    });
  });

  describe("trace ship, accept, reject, cancel, pending", function () {
    it("ships, lists the shipment as pending both ways, accepts", async function () {
      const { drugTrace, address, batchId, manufacturer, distributor } =
        await networkHelpers.loadFixture(registeredFixture);
      const shipped = await run(traceShip, address, {
        batch: batchId,
        to: distributor.address,
        quantity: "7",
        from: FROM.manufacturer,
      });
      expect(shipped.code).to.equal(0);
      const shipment = field(shipped.out, "shipment");
      expect(field(shipped.out, "quantity")).to.equal("7");
      expect(field(shipped.out, "next")).to.equal(
        `the recipient runs: npx hardhat trace accept --shipment ${shipment}`,
      );
      expect((await readShipment(drugTrace, BigInt(shipment))).state).to.equal("Pending");

      const incoming = await run(tracePending, address, { from: FROM.distributor });
      expect(incoming.out).to.match(
        new RegExp(
          `in: accept or reject\\s+${shipment}\\s+${batchId}\\s+${manufacturer.address}\\s+7`,
        ),
      );
      const outgoing = await run(tracePending, address, { account: manufacturer.address });
      expect(outgoing.out).to.match(
        new RegExp(`out: may cancel\\s+${shipment}\\s+${batchId}\\s+${distributor.address}\\s+7`),
      );

      const accepted = await run(traceAccept, address, { shipment, from: FROM.distributor });
      expect(field(accepted.out, "accepted")).to.equal(shipment);
      expect(field(accepted.out, "units now held by")).to.equal(distributor.address);
      expect(await readHolding(drugTrace, batchId, distributor.address)).to.equal(7n);
      expect((await run(tracePending, address, { from: FROM.distributor })).out).to.equal(
        `no shipments in transit to or from ${distributor.address}`,
      );
    });

    it("rejects and cancels: the units go back to the sender", async function () {
      const { drugTrace, address, batchId, manufacturer, distributor } =
        await networkHelpers.loadFixture(registeredFixture);
      const ship = async () =>
        field(
          (
            await run(traceShip, address, {
              gtin: GTIN,
              lot: LOT,
              to: distributor.address,
              quantity: "3",
              from: FROM.manufacturer,
            })
          ).out,
          "shipment",
        );
      const first = await ship();
      const rejected = await run(traceReject, address, { shipment: first, from: FROM.distributor });
      expect(field(rejected.out, "rejected")).to.equal(first);
      expect(field(rejected.out, "units now held by")).to.equal(manufacturer.address);

      const second = await ship();
      const cancelled = await run(traceCancel, address, {
        shipment: second,
        from: FROM.manufacturer,
      });
      expect(field(cancelled.out, "cancelled")).to.equal(second);
      expect(await readHolding(drugTrace, batchId, manufacturer.address)).to.equal(20n);
      expect((await readShipment(drugTrace, BigInt(second))).state).to.equal("Cancelled");
    });
  });

  describe("trace dispense and trace verify", function () {
    it("verify says Active with the pack's facts and holders, exit code 0", async function () {
      const { address, batchId, manufacturer, distributor, pharmacy } =
        await networkHelpers.loadFixture(stockedFixture);
      const verified = await run(traceVerify, address, { code: codeOf("SN0004"), tree: TREE_FILE });
      expect(verified.code).to.equal(0);
      expect(field(verified.out, "verdict")).to.equal("Active — genuine, may be dispensed");
      expect(field(verified.out, "GTIN")).to.equal(GTIN);
      expect(field(verified.out, "lot")).to.equal(LOT);
      expect(field(verified.out, "serial")).to.equal("SN0004");
      expect(field(verified.out, "unit")).to.equal("index 4");
      expect(field(verified.out, "expiry")).to.equal(EXPIRY_DATE);
      expect(field(verified.out, "manufacturer")).to.equal(
        formatParticipant("Acme Pharma GmbH", manufacturer.address),
      );
      expect(field(verified.out, "batch")).to.equal(batchId);
      expect(field(verified.out, "holders")).to.equal(
        `${formatParticipant("Acme Pharma GmbH", manufacturer.address)}: 10, ${shortAddress(distributor.address)}: 5, ${shortAddress(pharmacy.address)}: 5`,
      );
    });

    it("register → ship → accept → dispense → verify → history", async function () {
      const { drugTrace, address, batchId, manufacturer, distributor, pharmacy } =
        await networkHelpers.loadFixture(stockedFixture);
      const code = `(01)${GTIN}(10)${LOT}(21)SN0007(17)${EXPIRY_YYMMDD}`;
      const dispensed = await run(traceDispense, address, {
        code,
        tree: TREE_FILE,
        from: FROM.pharmacy,
      });
      expect(dispensed.code).to.equal(0);
      expect(field(dispensed.out, "dispensed")).to.equal(code);
      expect(field(dispensed.out, "unit")).to.equal(`index 7 of batch ${batchId}`);
      expect(field(dispensed.out, "gas used")).to.match(/^\d{2},\d{3} gas$/);
      expect(await drugTrace.isDispensed(batchId, 7n)).to.equal(true);
      expect(await readHolding(drugTrace, batchId, pharmacy.address)).to.equal(4n);

      const verified = await run(traceVerify, address, { code, tree: TREE_FILE });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "verdict")).to.equal(
        "Dispensed — already dispensed: possible copied code",
      );

      const history = await run(traceHistory, address, { gtin: GTIN, lot: LOT });
      expect(history.code).to.equal(0);
      expect(field(history.out, "batch")).to.equal(batchId);
      expect(field(history.out, "lot")).to.equal(LOT);
      expect(field(history.out, "state")).to.equal("Active");
      const table = history.out.split("\n\n")[1]!.split("\n");
      expect(table[0]).to.match(/^time\s+block\s+event\s+actor\s+details$/);
      const rows = table.slice(2);
      expect(rows.map((row) => row.split(/\s+/)[2])).to.deep.equal([
        "BatchRegistered",
        "ShipmentSent",
        "ShipmentAccepted",
        "ShipmentSent",
        "ShipmentAccepted",
        "UnitDispensed",
      ]);
      expect(rows[0]).to.match(
        new RegExp(
          `^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\s+\\d+\\s+BatchRegistered\\s+Acme Pharma GmbH \\(${shortAddress(manufacturer.address)}\\)\\s+GTIN ${GTIN}, 20 units`,
        ),
      );
      expect(rows[2]).to.match(
        new RegExp(`ShipmentAccepted\\s+${shortAddress(distributor.address)}\\s+10 units`),
      );
      expect(rows[5]).to.match(
        new RegExp(`UnitDispensed\\s+${shortAddress(pharmacy.address)}\\s+unit 7$`),
      );

      // from a later block on, only the later events (the header still describes the batch)
      const dispensedAt = Number(rows[5]!.split(/\s+/)[1]);
      const recent = await run(traceHistory, address, {
        batch: batchId,
        fromBlock: String(dispensedAt),
      });
      expect(field(recent.out, "units")).to.equal("20");
      expect(recent.out.split("\n\n")[1]!.split("\n").slice(2)).to.have.length(1);
      const none = await run(traceHistory, address, {
        batch: batchId,
        fromBlock: String(dispensedAt + 1),
      });
      expect(none.out.split("\n").at(-1)).to.equal(`no events from block ${dispensedAt + 1} on`);
    });

    it("a copied code is NOT dispensed: an alert is raised with the verdict, exit code 2", async function () {
      const { drugTrace, address, batchId, pharmacy2 } =
        await networkHelpers.loadFixture(stockedFixture);
      await handOver(address, FROM.distributor, pharmacy2.address, FROM.pharmacy2, 2);
      const code = codeOf("SN0003");
      expect(
        (await run(traceDispense, address, { code, tree: TREE_FILE, from: FROM.pharmacy })).code,
      ).to.equal(0);

      // the same code on a second pack, at another pharmacy
      const holding = await readHolding(drugTrace, batchId, pharmacy2.address);
      const copied = await run(traceDispense, address, {
        code,
        tree: TREE_FILE,
        from: FROM.pharmacy2,
      });
      expect(copied.code).to.equal(2);
      const lines = copied.out.split("\n");
      expect(lines.at(-1)).to.equal(
        "NOT dispensed: Dispensed (already dispensed: possible copied code) — alert raised as flag #1",
      );
      expect(field(copied.out, "verdict")).to.equal(
        "Dispensed — already dispensed: possible copied code",
      );
      expect(await readHolding(drugTrace, batchId, pharmacy2.address)).to.equal(holding);
      expect(await readSuspectFlag(drugTrace, 1n)).to.deep.include({
        state: "Open",
        batchId,
        reporter: pharmacy2.address,
        verdict: "Dispensed",
        evidenceHash: keccak256(toUtf8Bytes(code)),
      });
      const history = await run(traceHistory, address, { batch: batchId });
      expect(history.out).to.match(
        new RegExp(
          `SuspectFlagged\\s+${shortAddress(pharmacy2.address)}\\s+flag 1: unit 3 verified Dispensed`,
        ),
      );
    });

    it("through the registered task: exit code 2 and the red line, nothing on stderr", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      const code = codeOf("SN0001");
      await run(traceDispense, address, { code, tree: TREE_FILE, from: FROM.pharmacy });
      const again = await runRegistered(
        ["trace", "dispense"],
        { code, tree: TREE_FILE, from: FROM.pharmacy, address },
        connection,
      );
      expect(again.exitCode).to.equal(2);
      expect(again.stderr).to.equal("");
      expect(again.stdout.split("\n").at(-1)).to.equal(
        "NOT dispensed: Dispensed (already dispensed: possible copied code) — alert raised as flag #1",
      );
      const verified = await runRegistered(
        ["trace", "verify"],
        { code: codeOf("SN0002"), tree: TREE_FILE, address },
        connection,
      );
      expect(verified.exitCode).to.equal(0);
      expect(verified.stdout).to.contain("verdict       Active — genuine, may be dispensed");
    });

    it("a printed expiry that disagrees with the registered one is suspect: not dispensed, alert with verdict Active", async function () {
      const { drugTrace, address, batchId, pharmacy } =
        await networkHelpers.loadFixture(stockedFixture);
      const code = codeOf("SN0005", "300101");
      const verified = await run(traceVerify, address, { code, tree: TREE_FILE });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "verdict")).to.equal(
        `SUSPECT — expiry mismatch (pack says 2030-01-01, registered ${EXPIRY_DATE}): suspect pack`,
      );
      expect(field(verified.out, "expiry")).to.equal(`${EXPIRY_DATE} (the pack says 2030-01-01)`);

      await expectNotDispensed(
        { drugTrace, address, batchId },
        { code, tree: TREE_FILE, index: 5n },
        `NOT dispensed: expiry mismatch (pack says 2030-01-01, registered ${EXPIRY_DATE}): suspect pack — alert raised as flag #1`,
      );
      expect(await readSuspectFlag(drugTrace, 1n)).to.deep.include({
        verdict: "Active",
        reporter: pharmacy.address,
      });
    });

    it("a serial not in the tree verifies as Unknown (a counterfeit is an answer, not an error)", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      const verified = await run(traceVerify, address, {
        code: codeOf("FAKE0001", ""),
        tree: TREE_FILE,
      });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "verdict")).to.equal(
        "Unknown — not genuine / counterfeit: no registered unit has this code",
      );
      expect(field(verified.out, "unit")).to.equal(`not in tree file ${TREE_FILE}`);
      expect(field(verified.out, "manufacturer")).to.equal("—");
      expect(field(verified.out, "expiry")).to.equal("—");
    });

    it("a recalled batch is not dispensed: the alert carries Recalled", async function () {
      const { drugTrace, address, batchId } = await networkHelpers.loadFixture(stockedFixture);
      const recalled = await run(traceRecall, address, {
        gtin: GTIN,
        lot: LOT,
        reason: "7",
        evidence: id("lab report"),
        from: FROM.regulator,
      });
      expect(recalled.code).to.equal(0);
      expect(field(recalled.out, "batch state")).to.equal("Recalled");
      expect(field(recalled.out, "reason code")).to.equal("7");
      await expectNotDispensed(
        { drugTrace, address, batchId },
        { code: codeOf("SN0009"), tree: TREE_FILE, index: 9n },
        "NOT dispensed: Recalled (batch recalled: do not dispense) — alert raised as flag #1",
      );
    });
  });

  describe("verdicts that depend on time and on registration", function () {
    it("an expired pack verifies as Expired (exit 2) and is not dispensed", async function () {
      const { drugTrace, address, batchId } = await networkHelpers.loadFixture(stockedFixture);
      await networkHelpers.time.increaseTo(EXPIRY + 1n);
      const verified = await run(traceVerify, address, { code: codeOf("SN0006"), tree: TREE_FILE });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "verdict")).to.equal("Expired — expired: do not dispense");
      await expectNotDispensed(
        { drugTrace, address, batchId },
        { code: codeOf("SN0006"), tree: TREE_FILE, index: 6n },
        "NOT dispensed: Expired (expired: do not dispense) — alert raised as flag #1",
      );
    });

    it("a code of a batch nobody registered is Unknown: not dispensed, no flag on chain (the contract refuses flags on unregistered batches)", async function () {
      const { drugTrace, address, pharmacy } = await networkHelpers.loadFixture(stockedFixture);
      const ghostTree = path.join(DIRECTORY, "ghost.tree.json");
      await buildSerialTree(SERIAL_FILE, { gtin: GTIN, lot: "GHOST1", treeFile: ghostTree });
      const code = `(01)${GTIN}(10)GHOST1(21)SN0001`;
      const verified = await run(traceVerify, address, { code, tree: ghostTree });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "holders")).to.equal("—");

      const refused = await expectNotDispensed(
        { drugTrace, address, batchId: batchIdOf(BigInt(GTIN), "GHOST1") },
        { code, tree: ghostTree },
        "NOT dispensed: Unknown (not genuine / counterfeit: no registered unit has this code) — batch not registered: report the pack to the regulator",
      );
      expect(field(refused.out, "alert")).to.equal(
        "none on chain: no batch with this GTIN and lot is registered",
      );
      expect((await readSuspectFlag(drugTrace, 1n)).state).to.equal("None");
      expect(await drugTrace.openFlagsOf(pharmacy.address)).to.equal(0n);
      expect(await failure(traceHistory, address, { gtin: GTIN, lot: "GHOST1" })).to.match(
        /^unknown batch 0x[0-9a-f]{64}: no batch with that id/,
      );
    });
  });

  describe("trace prefix, name and sensor", function () {
    const RIVAL = "Rival Generics Ltd";

    it("adds, lists, authorizes, transfers and revokes a prefix, printing names beside addresses", async function () {
      const { drugTrace, address, manufacturer, stranger, pharmacy2 } =
        await networkHelpers.loadFixture(rolesFixture);
      const added = await run(tracePrefixAdd, address, {
        prefix: "0614141",
        owner: stranger.address,
        name: RIVAL,
        from: FROM.admin,
      });
      expect(field(added.out, "prefix")).to.equal("0614141 (7 digits)");
      expect(field(added.out, "owner")).to.equal(formatParticipant(RIVAL, stranger.address));
      expect(field(added.out, "gas used")).to.match(/^\d[\d,]* gas$/);

      const authorized = await run(tracePrefixAuthorize, address, {
        prefix: "9506000",
        manufacturer: pharmacy2.address,
        from: FROM.manufacturer,
      });
      expect(field(authorized.out, "authorized")).to.equal(shortAddress(pharmacy2.address));

      const listed = await run(tracePrefixList, address, {});
      const rows = listed.out.split("\n").slice(2);
      expect(rows[0]).to.match(
        new RegExp(`^0614141\\s+${RIVAL} \\(${shortAddress(stranger.address)}\\)\\s+\\(none\\)$`),
      );
      expect(rows[1]).to.match(
        new RegExp(
          `^9506000\\s+Acme Pharma GmbH \\(${shortAddress(manufacturer.address)}\\)\\s+${shortAddress(pharmacy2.address)}$`,
        ),
      );

      await run(tracePrefixDeauthorize, address, {
        prefix: "9506000",
        manufacturer: pharmacy2.address,
        from: FROM.manufacturer,
      });
      expect(await drugTrace.isContractManufacturer(9506000n, 7, pharmacy2.address)).to.equal(
        false,
      );

      const moved = await run(tracePrefixTransfer, address, {
        prefix: "0614141",
        to: pharmacy2.address,
        name: "Buyer AG",
        from: FROM.admin,
      });
      expect(field(moved.out, "previous owner")).to.equal(
        formatParticipant(RIVAL, stranger.address),
      );
      expect(field(moved.out, "owner")).to.equal(formatParticipant("Buyer AG", pharmacy2.address));

      const revoked = await run(tracePrefixRevoke, address, {
        prefix: "0614141",
        from: FROM.admin,
      });
      expect(field(revoked.out, "owner")).to.equal("(none)");
      expect((await run(tracePrefixList, address, {})).out).to.not.contain("0614141");
    });

    it("ends bad prefixes, names and refused calls with one clear line; nothing changes", async function () {
      const { drugTrace, address, stranger } = await networkHelpers.loadFixture(rolesFixture);
      const add = (args: Record<string, string>): Promise<string> =>
        failure(tracePrefixAdd, address, {
          prefix: "0614141",
          owner: stranger.address,
          name: RIVAL,
          from: FROM.admin,
          ...args,
        });
      expect(await add({ prefix: "06141" })).to.equal(
        "--prefix: company prefix 06141 has 5 digits; a GS1 Company Prefix has 6 to 12",
      );
      expect(await add({ prefix: "06141A1" })).to.equal(
        '--prefix: company prefix "06141A1" must contain digits only',
      );
      expect(await add({ prefix: "" })).to.match(/^--prefix is required/);
      expect(await add({ name: "" })).to.equal(
        `--name is required: ${stranger.address} has no public company name yet`,
      );
      expect(await add({ name: "x".repeat(65) })).to.equal(
        `--name: name "${"x".repeat(65)}" is 65 bytes long; at most 64 (UTF-8)`,
      );
      expect(await add({ prefix: "950600" })).to.equal(
        "reverted with DrugTraceCompanyPrefixOverlaps(prefix=950600, prefixLength=6)",
      );
      expect(await add({ from: FROM.regulator })).to.match(
        /^reverted with AccessControlUnauthorizedAccount\(account=0x[0-9a-fA-F]{40}, neededRole=DEFAULT_ADMIN_ROLE\)$/,
      );
      expect(
        await failure(tracePrefixAuthorize, address, {
          prefix: "9506000",
          manufacturer: stranger.address,
          from: FROM.stranger,
        }),
      ).to.equal(
        `reverted with DrugTraceNotCompanyPrefixOwner(prefix=9506000, prefixLength=7, account=${stranger.address})`,
      );
      expect((await drugTrace.prefixBindingOf(614141n, 7)).owner).to.equal(ZeroAddress);
    });

    it("lets a regulator name a pharmacy; roles, history and verify show the name", async function () {
      const { address, pharmacy } = await networkHelpers.loadFixture(rolesFixture);
      const named = await run(traceName, address, {
        account: pharmacy.address,
        name: "Apotheke am Markt",
        from: FROM.regulator,
      });
      expect(field(named.out, "account")).to.equal(
        formatParticipant("Apotheke am Markt", pharmacy.address),
      );
      const roles = await run(traceRoles, address, { account: pharmacy.address });
      expect(field(roles.out, "name")).to.equal("Apotheke am Markt");
      const byPharmacy = {
        account: pharmacy.address,
        name: "Acme Pharma GmbH",
        from: FROM.pharmacy,
      };
      expect(await failure(traceName, address, byPharmacy)).to.equal(
        unauthorized(pharmacy.address, "REGULATOR_ROLE"),
      );
    });

    it("binds and unbinds a sensor; an excursion in transit goes through --shipment", async function () {
      const { address, batchId, manufacturer, distributor, sensor } =
        await networkHelpers.loadFixture(stockedFixture);
      const roles = await run(traceRoles, address, { account: sensor.address });
      expect(field(roles.out, "sensor of")).to.equal(
        formatParticipant("Acme Pharma GmbH", manufacturer.address),
      );
      await run(traceSensor, address, {
        sensor: sensor.address,
        unbind: true,
        from: FROM.manufacturer,
      });
      const bound = await run(traceSensor, address, {
        sensor: sensor.address,
        from: FROM.distributor,
      });
      expect(field(bound.out, "custodian")).to.equal(shortAddress(distributor.address));
      const shipped = await run(traceShip, address, {
        batch: batchId,
        to: distributor.address,
        quantity: "1",
        from: FROM.manufacturer,
      });
      const shipment = field(shipped.out, "shipment");
      const reported = await run(traceExcursion, address, {
        shipment,
        reading: ZeroHash.replace(/0$/, "1"),
        extreme: "9.5",
        from: FROM.sensor,
      });
      expect(field(reported.out, "excursion")).to.equal(batchId);
      expect(field(reported.out, "custodian")).to.equal(shortAddress(distributor.address));
      expect(field(reported.out, "batch state")).to.equal("Quarantined (now)");
      expect(
        await failure(traceExcursion, address, {
          shipment,
          batch: batchId,
          reading: ZeroHash,
          extreme: "9.5",
          from: FROM.sensor,
        }),
      ).to.equal("give --shipment or the batch (--batch, or --gtin and --lot), not both");
      const released = await run(traceRelease, address, {
        batch: batchId,
        from: FROM.manufacturer,
      });
      expect(field(released.out, "batch state")).to.equal("Active");
    });
  });

  describe("trace excursion, release, flag, resolve", function () {
    it("an excursion quarantines (verify: Quarantined, exit 2); release makes it Active again", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      const readingFile = path.join(DIRECTORY, "logger-7.csv");
      writeFileSync(readingFile, "time,celsius\n2027-01-01T00:00:00Z,9.5\n");
      const reported = await run(traceExcursion, address, {
        gtin: GTIN,
        lot: LOT,
        reading: readingFile,
        extreme: "9.5",
        from: FROM.sensor,
      });
      expect(field(reported.out, "extreme")).to.equal("9.50 °C");
      expect(field(reported.out, "reading hash")).to.equal(keccak256(readFileSync(readingFile)));
      expect(field(reported.out, "batch state")).to.equal("Quarantined (now)");

      const verified = await run(traceVerify, address, { code: codeOf("SN0000"), tree: TREE_FILE });
      expect(verified.code).to.equal(2);
      expect(field(verified.out, "verdict")).to.equal(
        "Quarantined — batch quarantined: hold the pack, do not dispense",
      );

      const released = await run(traceRelease, address, {
        gtin: GTIN,
        lot: LOT,
        from: FROM.manufacturer,
      });
      expect(field(released.out, "batch state")).to.equal("Active");
      expect(
        (await run(traceVerify, address, { code: codeOf("SN0000"), tree: TREE_FILE })).code,
      ).to.equal(0);
    });

    it("flags a unit by code and tree, and a regulator resolves it as quarantined", async function () {
      const { drugTrace, address, batchId, distributor } =
        await networkHelpers.loadFixture(stockedFixture);
      const flagged = await run(traceFlag, address, {
        code: codeOf("SN0011"),
        tree: TREE_FILE,
        verdict: "active",
        from: FROM.distributor,
      });
      expect(field(flagged.out, "flag")).to.equal("#1");
      expect(field(flagged.out, "unit")).to.equal("index 11, serial SN0011");
      expect(field(flagged.out, "evidence hash")).to.equal(ZeroHash);
      expect(await readSuspectFlag(drugTrace, 1n)).to.deep.include({
        reporter: distributor.address,
        verdict: "Active",
        state: "Open",
      });

      const byIndex = await run(traceFlag, address, {
        batch: batchId,
        serial: "SN0012",
        index: "12",
        verdict: "unknown",
        from: FROM.distributor,
      });
      expect(field(byIndex.out, "flag")).to.equal("#2");

      const resolved = await run(traceResolve, address, {
        flag: "#1",
        resolution: "quarantined",
        from: FROM.regulator,
      });
      expect(field(resolved.out, "resolved")).to.equal("flag #1: Quarantined");
      expect(field(resolved.out, "batch state")).to.equal("Quarantined (quarantined now)");
      expect((await readSuspectFlag(drugTrace, 1n)).state).to.equal("Quarantined");
    });
  });

  describe("trace roles", function () {
    it("grants by word and lists an account's roles", async function () {
      const { drugTrace, address, stranger } = await networkHelpers.loadFixture(rolesFixture);
      const granted = await run(traceRoles, address, {
        account: stranger.address,
        grant: "Dispenser",
        from: FROM.admin,
      });
      expect(field(granted.out, "granted")).to.equal("DISPENSER_ROLE");
      expect(field(granted.out, "roles")).to.equal("DISPENSER_ROLE");
      expect(await drugTrace.hasRole(DRUG_TRACE_ROLES.DISPENSER, stranger.address)).to.equal(true);
      const admin = await run(traceRoles, address, {
        account: (await ethers.getSigners())[0]!.address,
      });
      expect(field(admin.out, "roles")).to.equal("DEFAULT_ADMIN_ROLE");
      const revoked = await run(traceRoles, address, {
        account: stranger.address,
        revoke: "dispenser_role",
        from: FROM.admin,
      });
      expect(field(revoked.out, "roles")).to.equal("(none)");
    });
  });

  describe("bad input ends with one clear line", function () {
    it("a bad check digit", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      expect(
        await failure(traceVerify, address, {
          code: `(01)09506000134353(10)${LOT}(21)SN0001`,
          tree: TREE_FILE,
        }),
      ).to.equal("GTIN 09506000134353 has a bad check digit: expected 2, found 3");
      expect(
        await failure(traceRegister, address, {
          serials: SERIAL_FILE,
          gtin: "9506000134353",
          lot: "X1",
          expiry: EXPIRY_YYMMDD,
          from: FROM.manufacturer,
        }),
      ).to.equal("GTIN 9506000134353 has a bad check digit: expected 2, found 3");
    });

    it("a serial not in the tree at dispensing: nothing dispensed", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      expect(
        await failure(traceDispense, address, {
          code: codeOf("FAKE0001"),
          tree: TREE_FILE,
          from: FROM.pharmacy,
        }),
      ).to.equal(
        `NOT dispensed: serial FAKE0001 is not in tree file ${TREE_FILE} of batch ${GTIN}/${LOT} — a counterfeit code, or the wrong tree file`,
      );
    });

    it("a code of another batch than the tree file's", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      expect(
        await failure(traceVerify, address, {
          code: `(01)${GTIN}(10)LOT9(21)SN0001`,
          tree: TREE_FILE,
        }),
      ).to.equal(
        `the code's lot LOT9 is not the lot ${LOT} of tree file ${TREE_FILE}: use the tree file of the code's batch`,
      );
    });

    it("an unknown batch, shipment or flag", async function () {
      const { address, distributor } = await networkHelpers.loadFixture(stockedFixture);
      const unknown = id("no such batch");
      expect(
        await failure(traceShip, address, {
          batch: unknown,
          to: distributor.address,
          quantity: "1",
          from: FROM.manufacturer,
        }),
      ).to.equal(
        `unknown batch ${unknown}: no batch with that id is registered on DrugTrace ${address}`,
      );
      expect(await failure(traceHistory, address, { gtin: GTIN, lot: "NOPE" })).to.equal(
        `unknown batch ${batchIdOf(BigInt(GTIN), "NOPE")}: no batch with that id is registered and no event names it`,
      );
      expect(
        await failure(traceAccept, address, { shipment: "0x99", from: FROM.distributor }),
      ).to.equal("unknown shipment 0x99: no shipment has that id");
      expect(await failedResolve(address, "4", "cleared")).to.equal(
        "unknown flag #4: no suspect flag has that number",
      );
    });

    it("a missing file", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      const missing = path.join(DIRECTORY, "missing.txt");
      expect(
        await failure(traceRegister, address, {
          serials: missing,
          gtin: GTIN,
          lot: "X1",
          expiry: EXPIRY_YYMMDD,
          from: FROM.manufacturer,
        }),
      ).to.equal(`serial file not found: ${missing}`);
      expect(
        await failure(traceVerify, address, { code: codeOf("SN0001"), tree: missing }),
      ).to.equal(`tree file not found: ${missing}`);
      expect(
        await failure(traceRecall, address, {
          gtin: GTIN,
          lot: LOT,
          reason: "1",
          evidence: missing,
          from: FROM.regulator,
        }),
      ).to.equal(`--evidence file not found: ${missing}`);
    });

    it("a wrong role: the decoded custom error names the role; nothing changes", async function () {
      const { drugTrace, address, batchId, distributor, stranger } =
        await networkHelpers.loadFixture(stockedFixture);
      const holding = await readHolding(drugTrace, batchId, distributor.address);
      const cases: [() => Promise<string>, string][] = [
        // a distributor holds stock but is no dispenser: verify passes, dispense is refused
        [
          () =>
            failure(traceDispense, address, {
              code: codeOf("SN0002"),
              tree: TREE_FILE,
              from: FROM.distributor,
            }),
          unauthorized(distributor.address, "DISPENSER_ROLE"),
        ],
        [
          () =>
            failure(traceRoles, address, {
              account: stranger.address,
              grant: "regulator",
              from: FROM.stranger,
            }),
          unauthorized(stranger.address, "DEFAULT_ADMIN_ROLE"),
        ],
        [
          () =>
            failure(traceRecall, address, { batch: batchId, reason: "1", from: FROM.distributor }),
          `reverted with DrugTraceNotManufacturerOrRegulator(batchId=${batchId}, account=${distributor.address})`,
        ],
      ];
      for (const [attempt, message] of cases) expect(await attempt()).to.equal(message);
      expect(await drugTrace.isDispensed(batchId, 2n)).to.equal(false);
      expect(await readHolding(drugTrace, batchId, distributor.address)).to.equal(holding);
      expect((await readBatch(drugTrace, batchId)).state).to.equal("Active");
    });

    it("a refused shipment or a settled one: the decoded custom error with names", async function () {
      const { address, batchId, stranger, distributor } =
        await networkHelpers.loadFixture(stockedFixture);
      expect(
        await failure(traceShip, address, {
          batch: batchId,
          to: stranger.address,
          quantity: "1",
          from: FROM.manufacturer,
        }),
      ).to.equal(`reverted with DrugTraceNotTradePartner(account=${stranger.address})`);
      const shipment = await handOver(
        address,
        FROM.manufacturer,
        distributor.address,
        FROM.distributor,
        1,
      );
      expect(await failure(traceAccept, address, { shipment, from: FROM.distributor })).to.equal(
        `shipment ${shipment} is Accepted; this needs it Pending (DrugTraceUnexpectedShipmentState)`,
      );
      expect(
        await failure(traceRelease, address, { batch: batchId, from: FROM.manufacturer }),
      ).to.equal(
        `batch ${batchId} is Active; this needs it Quarantined (DrugTraceUnexpectedBatchState)`,
      );
    });

    it("malformed numbers, words, addresses and accounts", async function () {
      const { address, distributor } = await networkHelpers.loadFixture(stockedFixture);
      const ship = (overrides: Record<string, string>) =>
        failure(traceShip, address, {
          gtin: GTIN,
          lot: LOT,
          to: distributor.address,
          quantity: "1",
          from: FROM.manufacturer,
          ...overrides,
        });
      expect(await ship({ quantity: "0" })).to.equal(
        "--quantity 0 is out of range: 1 to 4294967295",
      );
      expect(await ship({ quantity: "ten" })).to.equal("--quantity ten is not a whole number");
      expect(await ship({ to: "0x1234" })).to.equal("--to 0x1234 is not an address");
      expect(await ship({ from: "42" })).to.equal(
        "--from 42: this network has 20 accounts (0 to 19)",
      );
      expect(await ship({ batch: id("x") })).to.equal(
        "name the batch either by --batch <id> or by --gtin and --lot, not both",
      );
      expect(await ship({ address: distributor.address })).to.equal(
        `no contract at ${distributor.address} on chain 31337: check --address or --network`,
      );
      expect(
        await failure(traceExcursion, address, {
          gtin: GTIN,
          lot: LOT,
          reading: ZeroHash,
          extreme: "hot",
          from: FROM.sensor,
        }),
      ).to.equal(
        "--extreme hot is not a temperature in °C with at most two decimals, e.g. 9.5 or -25",
      );
      expect(await failedResolve(address, "1", "maybe")).to.equal(
        "--resolution maybe is not one of cleared, quarantined, recalled",
      );
      expect(
        await failure(traceRoles, address, { account: distributor.address, grant: "owner" }),
      ).to.equal(
        "--grant owner is not one of manufacturer, distributor, dispenser, regulator, sensor, pauser",
      );
    });

    it("through the registered task: one red line on stderr and exit code 1", async function () {
      const { address } = await networkHelpers.loadFixture(stockedFixture);
      const refused = await runRegistered(
        ["trace", "accept"],
        { shipment: "12", from: FROM.distributor, address },
        connection,
      );
      expectFailed(refused, "error: unknown shipment 0x0c: no shipment has that id");
      const noCode = await runRegistered(
        ["trace", "verify"],
        { tree: TREE_FILE, address },
        connection,
      );
      expect(noCode.stderr).to.equal(
        "error: --code is required (the pack's Digital Link URI, element string or scanned text)",
      );
      expect(noCode.exitCode).to.equal(1);
    });
  });

  describe("shipment ids", function () {
    it("prints the id in hex, accepted in hex or decimal", async function () {
      const { drugTrace, address, distributor } =
        await networkHelpers.loadFixture(registeredFixture);
      const shipped = await run(traceShip, address, {
        gtin: GTIN,
        lot: LOT,
        to: distributor.address,
        quantity: "1",
        from: FROM.manufacturer,
      });
      const shipment = BigInt(field(shipped.out, "shipment"));
      expect(formatShipmentId(shipment)).to.equal(field(shipped.out, "shipment"));
      await run(traceAccept, address, { shipment: shipment.toString(), from: FROM.distributor });
      expect((await readShipment(drugTrace, shipment)).state).to.equal("Accepted");
    });
  });
});
