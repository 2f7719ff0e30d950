import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { expect } from "chai";
import { AbiCoder, encodeBytes32String, keccak256 } from "ethers";

import {
  SERIAL_TREE_FORMAT,
  buildSerialTree,
  formatSerialTreeFile,
  leafHash,
  loadSerialTree,
  readSerials,
  serialTreeFromFile,
  serialTreeOf,
  treeFileNameOf,
  verifySerialProof,
} from "../../sdk/drug-trace/index.js";
import { expectText, inputErrorOf } from "../helpers/input-error.js";

const LEAF_ENCODING = ["uint256", "bytes32"];

function serialList(count: number, prefix = "SN"): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(6, "0")}`);
}

function standardTree(serials: readonly string[]): StandardMerkleTree<[bigint, string]> {
  return StandardMerkleTree.of(
    serials.map((serial, i): [bigint, string] => [BigInt(i), encodeBytes32String(serial)]),
    LEAF_ENCODING,
  );
}

/** Whether OpenZeppelin's StandardMerkleTree.verify accepts a proof of the tree rooted at `root`. */
function ozVerifies(
  root: string,
  unit: { index: bigint; serial: string; proof: readonly string[] },
): boolean {
  return StandardMerkleTree.verify(
    root,
    LEAF_ENCODING,
    [unit.index, encodeBytes32String(unit.serial)],
    [...unit.proof],
  );
}

/** `action` (which may return a promise) is refused with an `InputError` saying `message`. */
async function expectInputError(action: () => unknown, message: string | RegExp): Promise<void> {
  expectText(await inputErrorOf(Promise.resolve().then(action)), message);
}

describe("sdk/drug-trace/serial-tree", function () {
  let dir: string;

  before(async function () {
    dir = await mkdtemp(join(tmpdir(), "carechain-serial-tree-"));
  });

  after(async function () {
    await rm(dir, { recursive: true, force: true });
  });

  /** `read` refuses each file (written with `content` first; undefined: no such file). */
  async function refusesFiles(
    read: (file: string) => Promise<unknown>,
    cases: [
      name: string,
      content: string | undefined,
      message: (file: string) => string | RegExp,
    ][],
  ): Promise<void> {
    for (const [name, content, message] of cases) {
      const file = join(dir, name);
      if (content !== undefined) await writeFile(file, content);
      await expectInputError(() => read(file), message(file));
    }
  }

  describe("leafHash", function () {
    it("is the double-hashed abi.encode(uint256, bytes32) leaf", function () {
      const encoded = AbiCoder.defaultAbiCoder().encode(LEAF_ENCODING, [
        1042n,
        encodeBytes32String("SN001041"),
      ]);
      expect(leafHash(1042n, "SN001041")).to.equal(keccak256(keccak256(encoded)));
    });

    it("matches ethers' keccak256 for many indexes and serial lengths", function () {
      for (let i = 0; i < 300; i++) {
        const serial = "Z%!_-./:;<=>?".slice(0, (i % 13) + 1) + "x".repeat(i % 8);
        const index = BigInt(i) * 0x1_0000_0001n;
        const encoded = AbiCoder.defaultAbiCoder().encode(LEAF_ENCODING, [
          index,
          encodeBytes32String(serial),
        ]);
        expect(leafHash(index, serial)).to.equal(keccak256(keccak256(encoded)));
      }
    });
  });

  describe("serialTreeOf", function () {
    for (const count of [1, 2, 3, 7, 1000]) {
      it(`gives the same root and proofs as StandardMerkleTree for ${count} serials`, function () {
        const serials = serialList(count);
        const reference = standardTree(serials);
        const tree = serialTreeOf(serials);
        expect(tree.root).to.equal(reference.root);
        expect(tree.count).to.equal(count);
        for (const [i, serial] of serials.entries()) {
          const { index, proof } = tree.proofFor(serial);
          expect(index).to.equal(BigInt(i));
          expect(proof).to.deep.equal(reference.getProof(i));
        }
      });
    }

    it("produces proofs that StandardMerkleTree.verify and verifySerialProof accept", function () {
      const tree = serialTreeOf(serialList(37));
      const { index, serial, proof } = tree.proofFor("SN000023");
      expect(ozVerifies(tree.root, { index, serial, proof })).to.be.true;
      expect(verifySerialProof(tree.root, index, serial, proof)).to.be.true;
      expect(verifySerialProof(tree.root, index + 1n, serial, proof)).to.be.false;
      expect(verifySerialProof(tree.root, index, "SN000024", proof)).to.be.false;
    });

    it("refuses an unknown serial, duplicates and an empty list", async function () {
      const tree = serialTreeOf(["A1", "A2"]);
      expect(tree.hasSerial("A1")).to.be.true;
      expect(tree.hasSerial("SNX")).to.be.false;
      await expectInputError(
        () => tree.proofFor("SNX"),
        "serial SNX is not in the tree (not saved)",
      );
      await expectInputError(() => serialTreeOf(["A1", "A1"]), "serial 1: duplicate serial A1");
      await expectInputError(() => serialTreeOf([]), /at least one serial/);
    });
  });

  describe("formatSerialTreeFile and serialTreeFromFile", function () {
    it("round-trips a tree through its JSON file without touching the disk", async function () {
      const tree = serialTreeOf(serialList(25));
      tree.gtin = "09506000134352";
      tree.lot = "ABC123";
      const text = formatSerialTreeFile(tree);
      const parsed = JSON.parse(text) as Record<string, unknown>;
      expect(parsed).to.deep.include({ format: SERIAL_TREE_FORMAT, root: tree.root, count: 25 });
      const url = "https://example.org/trees/09506000134352-ABC123.tree.json";
      const rebuilt = serialTreeFromFile(parsed, url);
      expect(rebuilt.root).to.equal(tree.root);
      expect(rebuilt.lot).to.equal("ABC123");
      expect(rebuilt.treeFile).to.equal(url);
      expect(rebuilt.proofFor("SN000017")).to.deep.equal(tree.proofFor("SN000017"));
      await expectInputError(() => rebuilt.proofFor("SNX"), `serial SNX is not in the tree ${url}`);
    });

    it("refuses a value that is not a tree file, naming its source", async function () {
      await expectInputError(
        () => serialTreeFromFile([1, 2], "t.json"),
        "tree file t.json is not a valid serial tree: not a JSON object",
      );
      await expectInputError(
        () => serialTreeFromFile(null),
        "tree file is not a valid serial tree: not a JSON object",
      );
      const good = JSON.parse(formatSerialTreeFile(serialTreeOf(["A1", "A2"]))) as Record<
        string,
        unknown
      >;
      await expectInputError(
        () => serialTreeFromFile({ ...good, count: 3 }, "t.json"),
        "tree file t.json is not a valid serial tree: root or count is missing or does not match the serials",
      );
      await expectInputError(
        () => serialTreeFromFile({ ...good, serials: ["A1", 2] }, "t.json"),
        "tree file t.json is not a valid serial tree: serials is not a list of strings",
      );
    });
  });

  describe("treeFileNameOf", function () {
    it("names a batch's published tree <GTIN-14>-<lot>.tree.json, the lot percent-encoded", function () {
      expect(treeFileNameOf("9506000134352", "ABC123")).to.equal("09506000134352-ABC123.tree.json");
      expect(treeFileNameOf("09506000134352", "A/B%1")).to.equal(
        "09506000134352-A%2FB%251.tree.json",
      );
    });

    it("refuses a bad GTIN or lot", async function () {
      await expectInputError(
        () => treeFileNameOf("09506000134353", "ABC123"),
        "GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      );
      await expectInputError(() => treeFileNameOf("09506000134352", ""), "lot is empty");
    });
  });

  describe("readSerials", function () {
    it("reads one serial per line, skipping blank lines and # comments", async function () {
      const file = join(dir, "plain.txt");
      await writeFile(file, "# batch ABC123\nSN1\r\n\n  SN2  \n# end\nSN3");
      expect(await readSerials(file)).to.deep.equal(["SN1", "SN2", "SN3"]);
    });

    it("reads the serial column of a CSV, case-insensitive, with quoted fields", async function () {
      const file = join(dir, "units.csv");
      await writeFile(
        file,
        'gtin,"Serial",note\n09506000134352,SN1,"a, b"\n09506000134352,"S""N,2",x\n',
      );
      expect(await readSerials(file)).to.deep.equal(["SN1", 'S"N,2']);
      const semicolons = join(dir, "units-semicolon.csv");
      await writeFile(semicolons, "SERIAL;lot\nSN1;L1\nSN2;L1\n");
      expect(await readSerials(semicolons)).to.deep.equal(["SN1", "SN2"]);
      const single = join(dir, "single.csv");
      await writeFile(single, "serial\nSN1\nSN2\n");
      expect(await readSerials(single)).to.deep.equal(["SN1", "SN2"]);
    });

    it("names the line of a duplicate serial", async function () {
      const file = join(dir, "serials.txt");
      const serials = Array.from({ length: 1041 }, (_, i) => `SN${String(i + 1).padStart(6, "0")}`);
      await writeFile(file, [...serials, "SN001041"].join("\n"));
      await expectInputError(
        () => readSerials(file),
        `${file} line 1042: duplicate serial SN001041`,
      );
    });

    it("names the line of a bad or too long serial", async function () {
      const file = join(dir, "bad.txt");
      await writeFile(file, "SN1\nSN 2\n");
      await expectInputError(
        () => readSerials(file),
        `${file} line 2: serial "SN 2" contains U+0020, which is not in the GS1 AI 82 character set`,
      );
      await writeFile(file, "# header\nSN1\n" + "S".repeat(21) + "\n");
      await expectInputError(
        () => readSerials(file),
        `${file} line 3: serial "${"S".repeat(21)}" is 21 characters long; GS1 allows at most 20`,
      );
    });

    it("names the line of a CSV row without a serial value", async function () {
      const file = join(dir, "short.csv");
      await writeFile(file, "lot,serial\nL1,SN1\nL1\n");
      await expectInputError(
        () => readSerials(file),
        `${file} line 3: no value in the serial column`,
      );
    });

    it("refuses a missing file, a CSV without a serial column and an empty file", async function () {
      await refusesFiles(readSerials, [
        ["nope.txt", undefined, (file) => `serial file not found: ${file}`],
        [
          "no-serial.csv",
          "gtin,lot\n1,2\n",
          (file) => `${file} line 1: CSV header has no "serial" column (found gtin, lot)`,
        ],
        ["empty.txt", "# nothing\n\n", (file) => `serial file ${file} has no serials`],
      ]);
    });
  });

  describe("buildSerialTree and loadSerialTree", function () {
    it("saves <input>.tree.json and loads it back with the same root and proofs", async function () {
      const file = join(dir, "batch.txt");
      const serials = serialList(1000);
      await writeFile(file, serials.join("\n") + "\n");
      const tree = await buildSerialTree(file, { gtin: "9506000134352", lot: "ABC123" });
      expect(tree.treeFile).to.equal(`${file}.tree.json`);
      expect(tree.root).to.equal(standardTree(serials).root);

      const saved = JSON.parse(await readFile(`${file}.tree.json`, "utf8")) as Record<
        string,
        unknown
      >;
      expect(saved).to.deep.include({
        format: SERIAL_TREE_FORMAT,
        leafEncoding: LEAF_ENCODING,
        root: tree.root,
        count: 1000,
        gtin: "09506000134352",
        lot: "ABC123",
      });
      expect(saved.serials).to.deep.equal(serials);

      const loaded = await loadSerialTree(`${file}.tree.json`);
      expect(loaded.root).to.equal(tree.root);
      expect(loaded.gtin).to.equal("09506000134352");
      expect(loaded.proofFor("SN000999")).to.deep.equal(tree.proofFor("SN000999"));
      await expectInputError(
        () => loaded.proofFor("SNX"),
        `serial SNX is not in the tree ${file}.tree.json`,
      );
    });

    it("builds 100,000 serials and its proofs verify against StandardMerkleTree.verify", async function () {
      this.timeout(60_000);
      const file = join(dir, "large.csv");
      const serials = serialList(100_000, "L");
      await writeFile(file, "serial,lot\n" + serials.map((s) => `${s},ABC123`).join("\n") + "\n");
      const phases = new Set<string>();
      const tree = await buildSerialTree(file, {
        treeFile: join(dir, "large.json"),
        onProgress: (_done, _total, phase) => phases.add(phase),
      });
      expect(tree.count).to.equal(100_000);
      expect([...phases]).to.deep.equal(["reading", "hashing"]);
      for (const i of [0, 1, 65_535, 99_999]) {
        const { index, serial, proof } = tree.proofFor(serials[i]!);
        expect(index).to.equal(BigInt(i));
        expect(proof).to.have.length.within(16, 17);
        expect(ozVerifies(tree.root, { index, serial, proof })).to.be.true;
      }
    });

    it("refuses a missing, non-JSON, foreign or tampered tree file", async function () {
      const foreign = JSON.stringify(StandardMerkleTree.of([["A"]], ["string"]).dump());
      await refusesFiles(loadSerialTree, [
        ["missing.tree.json", undefined, (file) => `tree file not found: ${file}`],
        [
          "bad.tree.json",
          "{ not json",
          (file) => `tree file ${file} is not a valid serial tree: not JSON`,
        ],
        [
          "bad.tree.json",
          foreign,
          () => /format is "standard-v1", expected "carechain-serial-tree-v1"/,
        ],
      ]);

      const source = join(dir, "tampered.txt");
      await writeFile(source, "SN1\nSN2\nSN3\n");
      const tree = await buildSerialTree(source);
      const text = await readFile(tree.treeFile!, "utf8");
      await writeFile(tree.treeFile!, text.replace('"SN2"', '"SN9"'));
      await expectInputError(
        () => loadSerialTree(tree.treeFile!),
        /its serials give root 0x[0-9a-f]{64}, not the recorded/,
      );
      await writeFile(tree.treeFile!, text.replace('"SN2"', '"SN1"'));
      await expectInputError(
        () => loadSerialTree(tree.treeFile!),
        /serials\[1\]: duplicate serial SN1/,
      );
    });

    it("refuses a missing serial file with one line", async function () {
      await refusesFiles(buildSerialTree, [
        ["absent.txt", undefined, (file) => `serial file not found: ${file}`],
      ]);
    });
  });
});
