import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";

import {
  batchOfTreeFileName,
  openSerialIndex,
  serialIndexFileFor,
  serialIndexOf,
  verifySerialProof,
} from "../../sdk/drug-trace/index.js";
import { SerialMerkleTree, formatSerialTreeFile } from "../../sdk/drug-trace/serial-merkle.js";
import { inputErrorOf } from "../helpers/input-error.js";
import { GTIN, serialList, writeTreeDirectory } from "../resolver/fixture.js";

/** Opening `treeFile` (by default without an index file) is refused with an `InputError`. */
async function expectRefused(
  treeFile: string,
  message: RegExp,
  options: Parameters<typeof openSerialIndex>[1] = { indexFile: false },
): Promise<void> {
  expect(await inputErrorOf(openSerialIndex(treeFile, options))).to.match(message);
}

describe("sdk/drug-trace/serial-index", function () {
  let directory: string;
  let treeFile: string;
  const serials = serialList(1000);

  before(async function () {
    ({ directory } = await writeTreeDirectory({ "A/1": serials }));
    treeFile = path.join(directory, `${GTIN}-A%2F1.tree.json`);
  });

  after(async function () {
    await rm(directory, { recursive: true, force: true });
  });

  it("answers every serial's index and a proof that verifies, and nothing for others", async function () {
    const index = await openSerialIndex(treeFile);
    expect([index.gtin, index.lot, index.count]).to.deep.equal([GTIN, "A/1", 1000]);
    for (const [i, serial] of serials.entries()) {
      const unit = index.lookup(serial);
      expect(unit?.index).to.equal(i);
      expect(verifySerialProof(index.root, BigInt(i), serial, unit!.proof)).to.equal(true);
    }
    for (const unknown of ["SN001000", "SN00000", "sn000001", "X"]) {
      expect(index.lookup(unknown)).to.equal(undefined);
    }
  });

  it("saves its index file once and reads it back for the same tree file", async function () {
    const indexFile = serialIndexFileFor(treeFile);
    const first = await stat(indexFile);
    const reopened = await openSerialIndex(treeFile);
    expect((await stat(indexFile)).mtimeMs).to.equal(first.mtimeMs);
    expect(reopened.lookup("SN000999")?.index).to.equal(999);
  });

  it("rebuilds a damaged or stale index file", async function () {
    const indexFile = serialIndexFileFor(treeFile);
    const bytes = await readFile(indexFile);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    await writeFile(indexFile, bytes.subarray(0, 100));
    const index = await openSerialIndex(treeFile);
    expect(index.lookup("SN000500")?.index).to.equal(500);
    expect((await stat(indexFile)).size).to.be.greaterThan(1000 * 16);
  });

  it("refuses a tree file whose name names another batch, and a missing one", async function () {
    const text = await readFile(treeFile, "utf8");
    const renamed = path.join(directory, `${GTIN}-B1.tree.json`);
    await writeFile(renamed, text);
    await expectRefused(
      renamed,
      /records GTIN 09506000134352 lot A\/1, but its name says .* lot B1/,
    );
    await expectRefused(path.join(directory, "missing.tree.json"), /^tree file not found: /, {});
  });

  it("refuses a tree file with duplicate serials or a wrong root", async function () {
    const duplicated = new SerialMerkleTree(["S1", "S2", "S1"], new Map());
    duplicated.gtin = GTIN;
    duplicated.lot = "D1";
    const file = path.join(directory, `${GTIN}-D1.tree.json`);
    await writeFile(file, formatSerialTreeFile(duplicated));
    await expectRefused(file, /is not a valid serial tree: duplicate serial S1 \(units 0 and 2\)/);
    const text = (await readFile(file, "utf8")).replace(duplicated.root, `0x${"11".repeat(32)}`);
    await writeFile(file, text);
    await expectRefused(file, /its serials give root 0x[0-9a-f]{64}, not the recorded 0x1111/);
  });

  it("reads the batch from a tree file name", function () {
    expect(batchOfTreeFileName(`/x/${GTIN}-A%2F1.tree.json`)).to.deep.equal({
      gtin: GTIN,
      lot: "A/1",
    });
    expect(batchOfTreeFileName(`${GTIN}-...tree.json`)).to.deep.equal({ gtin: GTIN, lot: ".." });
    expect(batchOfTreeFileName("09506000134353-A1.tree.json")).to.equal(undefined);
    expect(batchOfTreeFileName("serials.txt.tree.json")).to.equal(undefined);
  });

  it("builds in memory too", function () {
    const index = serialIndexOf(["S1", "S2", "S3"], "9506000134352", "L");
    expect(index.lookup("S3")?.index).to.equal(2);
    expect(index.gtin).to.equal(GTIN);
  });
});
