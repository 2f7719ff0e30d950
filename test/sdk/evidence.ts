import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes, ZeroHash } from "ethers";

import { hashEvidence, hashOptionalEvidence } from "../../tasks/lib/evidence.js";
import { inputErrorOf as refusal } from "../helpers/input-error.js";

const DIRECTORY = mkdtempSync(path.join(tmpdir(), "carechain-evidence-"));

describe("evidence hashing", function () {
  after(function () {
    rmSync(DIRECTORY, { recursive: true, force: true });
  });

  describe("hashEvidence", function () {
    it("passes a 32-byte hash through, lower-cased", async function () {
      const hash = keccak256(toUtf8Bytes("scan log"));
      expect(await hashEvidence(hash.toUpperCase().replace("0X", "0x"))).to.equal(hash);
    });

    it("hashes a file's bytes with keccak256", async function () {
      const file = path.join(DIRECTORY, "photo.bin");
      const bytes = Uint8Array.from([0, 1, 2, 250, 251, 252]);
      writeFileSync(file, bytes);
      expect(await hashEvidence(file)).to.equal(keccak256(bytes));
    });

    it("refuses a missing file, a short hash, a directory and nothing, naming the option", async function () {
      const missing = path.join(DIRECTORY, "missing.json");
      expect(await refusal(hashEvidence(missing, "--evidence"))).to.equal(
        `--evidence file not found: ${missing}`,
      );
      expect(await refusal(hashEvidence("0x1234", "--reading"))).to.equal(
        "--reading 0x1234 is neither a 32-byte hash (0x and 64 hex digits, found 4) nor a file",
      );
      expect(await refusal(hashEvidence(DIRECTORY, "--metadata"))).to.equal(
        `--metadata ${DIRECTORY} is not a file`,
      );
      expect(await refusal(hashEvidence("  "))).to.equal(
        "evidence is empty: give a file or a 0x… 32-byte hash",
      );
    });
  });

  describe("hashOptionalEvidence", function () {
    it("is the zero hash when nothing is given", async function () {
      expect(await hashOptionalEvidence(undefined)).to.equal(ZeroHash);
      expect(await hashOptionalEvidence("")).to.equal(ZeroHash);
      const hash = keccak256(toUtf8Bytes("x"));
      expect(await hashOptionalEvidence(hash)).to.equal(hash);
    });
  });
});
