import { expect } from "chai";
import { ZeroHash, toBeHex } from "ethers";
import { readFileSync } from "node:fs";

import PatientConsentModule from "../../ignition/modules/PatientConsent.js";
import { DEFAULT_MAX_BREAK_GLASS_DURATION } from "../../ignition/modules/PatientConsent.js";
import { IPatientConsent__factory } from "../../typechain-types/index.js";
import * as pc from "../helpers/patient-consent.js";
import { shouldBehaveLikeAdminPausable } from "../shared/access-and-pause.js";
import type { AdminPausable } from "../shared/access-and-pause.js";

describe("PatientConsent", function () {
  describe("deployment (Ignition module)", function () {
    it("makes the chosen admin the default admin with a 24-hour break-glass window", async function () {
      const f = await pc.load();
      expect(await f.consent.defaultAdmin()).to.equal(f.admin.address);
      expect(await f.consent.defaultAdminDelay()).to.equal(0n);
      expect(await f.consent.maxBreakGlassDuration()).to.equal(DEFAULT_MAX_BREAK_GLASS_DURATION);
      expect(DEFAULT_MAX_BREAK_GLASS_DURATION).to.equal(24n * pc.HOUR);
      expect(await f.consent.paused()).to.equal(false);
    });

    it("grants no role but the admin's", async function () {
      const { patientConsent } = await pc.ignition.deploy(PatientConsentModule, {
        parameters: { PatientConsent: { maxBreakGlassDuration: 2n * pc.HOUR } },
      });
      const consent = await pc.ethers.getContractAt(
        "PatientConsent",
        await patientConsent.getAddress(),
      );
      const [deployer] = await pc.ethers.getSigners();
      expect(await consent.defaultAdmin()).to.equal(deployer!.address);
      expect(await consent.maxBreakGlassDuration()).to.equal(2n * pc.HOUR);
      expect(await consent.hasRole(await consent.EMERGENCY_ROLE(), deployer!.address)).to.equal(
        false,
      );
    });

    it("emits MaxBreakGlassDurationSet from the constructor", async function () {
      const [admin] = await pc.ethers.getSigners();
      const deployed = await pc.ethers.deployContract("PatientConsent", [
        0n,
        admin!.address,
        6n * pc.HOUR,
      ]);
      await expect(deployed.deploymentTransaction())
        .to.emit(deployed, "MaxBreakGlassDurationSet")
        .withArgs(0n, 6n * pc.HOUR);
    });

    it("reverts when the break-glass duration is out of bounds", async function () {
      const [admin] = await pc.ethers.getSigners();
      const factory = await pc.ethers.getContractFactory("PatientConsent");
      await pc.expectRevert(
        factory.deploy(0n, admin!.address, 60n),
        factory,
        "PatientConsentBreakGlassDurationOutOfBounds",
        60n,
        15n * 60n,
        72n * pc.HOUR,
      );
    });

    it("exposes the EIP-712 domain 'carechain PatientConsent' version 1 (ERC-5267)", async function () {
      const f = await pc.load();
      const domain = await f.consent.eip712Domain();
      expect(domain.name).to.equal("carechain PatientConsent");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal((await pc.ethers.provider.getNetwork()).chainId);
      expect(domain.verifyingContract).to.equal(f.address);
    });

    it("supports the IPatientConsent and AccessControl interfaces (ERC-165)", async function () {
      const f = await pc.load();
      const iface = IPatientConsent__factory.createInterface();
      let interfaceId = 0n;
      iface.forEachFunction((fragment) => {
        interfaceId ^= BigInt(fragment.selector);
      });
      expect(await f.consent.supportsInterface(toBeHex(interfaceId, 4))).to.equal(true);
      expect(await f.consent.supportsInterface("0x7965db0b")).to.equal(true); // IAccessControl
      expect(await f.consent.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  describe("vocabulary", function () {
    const source = readFileSync("contracts/libraries/ConsentVocabulary.sol", "utf8");
    const library = (name: string): string => {
      const start = source.indexOf(`library ${name} {`);
      return source.slice(start, source.indexOf("\n}", start));
    };
    const solidityName = (word: string): string => word.toUpperCase().replaceAll("-", "_");

    it("numbers every purpose as the SDK does", function () {
      const body = library("PurposeOfUse");
      const declared = new Map(
        [...body.matchAll(/uint8 internal constant (\w+) = (\d+);/g)].map((m) => [
          m[1]!,
          Number(m[2]),
        ]),
      );
      declared.delete("COUNT");
      expect(Object.fromEntries(declared)).to.deep.equal({ ...pc.PURPOSES });
      expect(body).to.contain(
        `uint8 internal constant COUNT = ${Object.keys(pc.PURPOSES).length};`,
      );
    });

    it("puts every category on the SDK's bit", function () {
      const body = library("DataCategory");
      const declared = Object.fromEntries(
        [...body.matchAll(/uint32 internal constant (\w+) = 1 << (\d+);/g)].map((m) => [
          m[1]!,
          Number(m[2]),
        ]),
      );
      const expected = Object.fromEntries(
        Object.entries(pc.CATEGORIES).map(([word, bit]) => [solidityName(word), bit]),
      );
      expect(declared).to.deep.equal(expected);
      expect(body).to.contain(
        `uint8 internal constant COUNT = ${Object.keys(pc.CATEGORIES).length};`,
      );
    });

    it("exposes counts and the protected mask equal to the SDK's", async function () {
      const f = await pc.load();
      expect(await f.consent.PURPOSE_COUNT()).to.equal(BigInt(Object.keys(pc.PURPOSES).length));
      expect(await f.consent.CATEGORY_COUNT()).to.equal(BigInt(Object.keys(pc.CATEGORIES).length));
      expect(await f.consent.PROTECTED_CATEGORIES()).to.equal(BigInt(pc.PROTECTED_CATEGORIES_MASK));
    });

    it("documents the same numbering in the interface's NatSpec", function () {
      const natspec = readFileSync("contracts/interfaces/IPatientConsent.sol", "utf8");
      for (const [purpose, value] of Object.entries(pc.PURPOSES)) {
        expect(natspec, purpose).to.match(new RegExp(`\\b${value} ${purpose}\\b`));
      }
    });

    it("accepts every SDK purpose and category and refuses the next bit", async function () {
      const f = await pc.load();
      const start = await pc.now();
      const grant = (p: bigint, c: bigint) =>
        pc.grantAs(f, f.patient, f.clinic.address, p, c, start, start + pc.DAY);
      await expect(grant(pc.ALL_PURPOSES, pc.ALL_CATEGORIES)).to.emit(f.consent, "ConsentGranted");
      const nextPurpose = 1n << BigInt(Object.keys(pc.PURPOSES).length);
      const nextCategory = 1n << BigInt(Object.keys(pc.CATEGORIES).length);
      await pc.expectRevert(
        grant(nextPurpose, 0n),
        f.consent,
        "PatientConsentInvalidPurposes",
        nextPurpose,
      );
      await pc.expectRevert(
        grant(pc.purposes("TREAT"), nextCategory),
        f.consent,
        "PatientConsentInvalidCategories",
        nextCategory,
      );
    });
  });

  shouldBehaveLikeAdminPausable(async () => {
    const f = await pc.load();
    return {
      contract: f.consent as unknown as AdminPausable,
      admin: f.admin,
      stranger: f.stranger,
      pauser: f.admin,
      pauserRole: ZeroHash,
      pausableCall: async () => {
        const start = await pc.now();
        return pc.grantTreatment(f, start, start + pc.DAY);
      },
    };
  });
});
