import { readFileSync } from "node:fs";

import { expect } from "chai";
import { AbiCoder, ZeroAddress, ZeroHash, id, keccak256, toBeHex } from "ethers";
import type { ContractTransactionResponse, Signer } from "ethers";
import { network } from "hardhat";

import PatientConsentModule, {
  DEFAULT_MAX_BREAK_GLASS_DURATION,
} from "../ignition/modules/PatientConsent.js";
import {
  ALL_CATEGORIES_MASK,
  ALL_PURPOSES_MASK,
  CATEGORIES,
  PROTECTED_CATEGORIES_MASK,
  PURPOSES,
  buildConsentGrantTypedData,
  hashConsentGrant,
} from "../sdk/patient-consent/index.js";
import type { CategoryName, ConsentGrant, PurposeCode } from "../sdk/patient-consent/index.js";
import { IPatientConsent__factory } from "../typechain-types/index.js";

import { shouldBehaveLikeAdminPausable } from "./shared/access-and-pause.js";
import type { AdminPausable } from "./shared/access-and-pause.js";

const { ethers, networkHelpers, ignition } = await network.create();
const { time } = networkHelpers;

const HOUR = 3_600n;
const DAY = 86_400n;

/** The purpose code as the contract's `uint8 purpose`. */
const code = (purpose: PurposeCode): bigint => BigInt(PURPOSES[purpose]);
/** A mask of purposes. */
const purposes = (...codes: PurposeCode[]): bigint =>
  codes.reduce((mask, purpose) => mask | (1n << code(purpose)), 0n);
/** A mask of categories. */
const categories = (...names: CategoryName[]): bigint =>
  names.reduce((mask, name) => mask | (1n << BigInt(CATEGORIES[name])), 0n);

const LABS_MEDS = categories("labs", "medications");
const ALL_CATEGORIES = BigInt(ALL_CATEGORIES_MASK);
const ALL_PURPOSES = BigInt(ALL_PURPOSES_MASK);
const RECORD = id("salt-1|fhir-bundle-lab-report-2026-01");
const GENETIC_RECORD = id("salt-2|fhir-bundle-genome-report");
const REASON = id("salt-3|incident-2026-000123");

/** `IPatientConsent.ConsentState`. */
const State = { None: 0n, Pending: 1n, Active: 2n, Expired: 3n, Revoked: 4n } as const;
/** The expected-states bitmap for a revocation (Pending | Active). */
const REVOCABLE = toBeHex((1n << State.Pending) | (1n << State.Active), 32);

const consentIdOf = (patient: string, grantee: string, serial: bigint): string =>
  keccak256(
    AbiCoder.defaultAbiCoder().encode(["address", "address", "uint64"], [patient, grantee, serial]),
  );

async function deployConsentFixture() {
  const [admin, patient, clinic, insurer, researcher, guardian, stranger, responder, relayer] =
    await ethers.getSigners();
  const { patientConsent } = await ignition.deploy(PatientConsentModule, {
    parameters: { PatientConsent: { admin: admin!.address } },
  });
  const consent = await ethers.getContractAt("PatientConsent", await patientConsent.getAddress());
  const EMERGENCY_ROLE = await consent.EMERGENCY_ROLE();
  await consent.connect(admin).grantRole(EMERGENCY_ROLE, responder!.address);
  const wallet = await ethers.deployContract("MockERC1271Wallet", [patient!.address]);
  return {
    consent,
    address: await consent.getAddress(),
    EMERGENCY_ROLE,
    wallet,
    admin: admin!,
    patient: patient!,
    clinic: clinic!,
    insurer: insurer!,
    researcher: researcher!,
    guardian: guardian!,
    stranger: stranger!,
    responder: responder!,
    relayer: relayer!,
  };
}

type Fixture = Awaited<ReturnType<typeof deployConsentFixture>>;

const load = (): Promise<Fixture> => networkHelpers.loadFixture(deployConsentFixture);

async function now(): Promise<bigint> {
  return BigInt(await time.latest());
}

/** The patient grants `grantee` TREAT + HPAYMT on labs and medications for 30 days from now. */
async function grantDefault(f: Fixture, grantee: Signer | string = f.clinic) {
  const start = await now();
  const end = start + 30n * DAY;
  const granteeAddress = typeof grantee === "string" ? grantee : await grantee.getAddress();
  await f.consent
    .connect(f.patient)
    .grantConsent(
      f.patient.address,
      granteeAddress,
      purposes("TREAT", "HPAYMT"),
      LABS_MEDS,
      start,
      end,
    );
  return { start, end };
}

/** Everything a failed call could have touched, as one comparable string. */
async function chainState(f: Fixture): Promise<string> {
  const { consent, patient } = f;
  const parts: unknown[] = [];
  for (const other of [f.clinic, f.insurer, f.researcher, f.guardian, f.stranger, f.responder]) {
    parts.push(
      await consent.consentOf(patient.address, other.address),
      await consent.consentStateOf(patient.address, other.address),
      await consent.delegationOf(patient.address, other.address),
      await consent.breakGlassOf(patient.address, other.address),
    );
  }
  parts.push(
    await consent.consentOf(await f.wallet.getAddress(), f.clinic.address),
    await consent.nonces(patient.address),
    await consent.nonces(await f.wallet.getAddress()),
    await consent.recordOf(f.clinic.address, RECORD),
    await consent.recordOf(f.researcher.address, GENETIC_RECORD),
    await consent.recordOf(f.researcher.address, RECORD),
    await consent.recordOf(f.stranger.address, RECORD),
    await consent.breakGlassCooldown(),
    await consent.maxBreakGlassDuration(),
    await consent.paused(),
    await consent.hasRole(f.EMERGENCY_ROLE, f.responder.address),
  );
  return JSON.stringify(parts, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

/** Runs `attempt` (which asserts a revert) and checks that no state changed. */
async function expectUnchanged(f: Fixture, attempt: () => Promise<void>): Promise<void> {
  const before = await chainState(f);
  await attempt();
  expect(await chainState(f)).to.equal(before);
}

/** A grant with defaults (TREAT on labs + medications to the clinic for 30 days, deadline in a day). */
async function draftGrant(
  f: Fixture,
  overrides: Partial<ConsentGrant> = {},
): Promise<ConsentGrant> {
  const start = await now();
  return {
    patient: f.patient.address,
    grantee: f.clinic.address,
    purposes: purposes("TREAT"),
    categories: LABS_MEDS,
    start,
    end: start + 30n * DAY,
    nonce: await f.consent.nonces(overrides.patient ?? f.patient.address),
    deadline: start + DAY,
    ...overrides,
  };
}

/** Signs `grant` with `signer` for `verifyingContract` on `chainId` (defaults: the fixture's). */
async function sign(
  f: Fixture,
  signer: Signer,
  grant: ConsentGrant,
  domain: { chainId?: bigint; verifyingContract?: string } = {},
): Promise<string> {
  const chainId = domain.chainId ?? (await ethers.provider.getNetwork()).chainId;
  const typed = buildConsentGrantTypedData(chainId, domain.verifyingContract ?? f.address, grant);
  return signer.signTypedData(typed.domain, typed.types, typed.message);
}

/** The gas an eth_call spends executing, without the 21,000 intrinsic gas and calldata. */
function intrinsicGas(data: string): bigint {
  let gas = 21_000n;
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === "00" ? 4n : 16n;
  return gas;
}

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

describe("PatientConsent", function () {
  describe("deployment (Ignition module)", function () {
    it("makes the chosen admin the default admin with a 24-hour break-glass window", async function () {
      const f = await load();
      expect(await f.consent.defaultAdmin()).to.equal(f.admin.address);
      expect(await f.consent.defaultAdminDelay()).to.equal(0n);
      expect(await f.consent.maxBreakGlassDuration()).to.equal(DEFAULT_MAX_BREAK_GLASS_DURATION);
      expect(DEFAULT_MAX_BREAK_GLASS_DURATION).to.equal(24n * HOUR);
      expect(await f.consent.paused()).to.equal(false);
    });

    it("grants no role but the admin's", async function () {
      const { patientConsent } = await ignition.deploy(PatientConsentModule, {
        parameters: { PatientConsent: { maxBreakGlassDuration: 2n * HOUR } },
      });
      const consent = await ethers.getContractAt(
        "PatientConsent",
        await patientConsent.getAddress(),
      );
      const [deployer] = await ethers.getSigners();
      expect(await consent.defaultAdmin()).to.equal(deployer!.address);
      expect(await consent.maxBreakGlassDuration()).to.equal(2n * HOUR);
      expect(await consent.hasRole(await consent.EMERGENCY_ROLE(), deployer!.address)).to.equal(
        false,
      );
    });

    it("emits MaxBreakGlassDurationSet from the constructor", async function () {
      const [admin] = await ethers.getSigners();
      const deployed = await ethers.deployContract("PatientConsent", [
        0n,
        admin!.address,
        6n * HOUR,
      ]);
      await expect(deployed.deploymentTransaction())
        .to.emit(deployed, "MaxBreakGlassDurationSet")
        .withArgs(0n, 6n * HOUR);
    });

    it("reverts when the break-glass duration is out of bounds", async function () {
      const [admin] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("PatientConsent");
      await expect(factory.deploy(0n, admin!.address, 60n))
        .to.be.revertedWithCustomError(factory, "PatientConsentBreakGlassDurationOutOfBounds")
        .withArgs(60n, 15n * 60n, 72n * HOUR);
    });

    it("exposes the EIP-712 domain 'carechain PatientConsent' version 1 (ERC-5267)", async function () {
      const f = await load();
      const domain = await f.consent.eip712Domain();
      expect(domain.name).to.equal("carechain PatientConsent");
      expect(domain.version).to.equal("1");
      expect(domain.chainId).to.equal((await ethers.provider.getNetwork()).chainId);
      expect(domain.verifyingContract).to.equal(f.address);
    });

    it("supports the IPatientConsent and AccessControl interfaces (ERC-165)", async function () {
      const f = await load();
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
      expect(Object.fromEntries(declared)).to.deep.equal({ ...PURPOSES });
      expect(body).to.contain(`uint8 internal constant COUNT = ${Object.keys(PURPOSES).length};`);
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
        Object.entries(CATEGORIES).map(([word, bit]) => [solidityName(word), bit]),
      );
      expect(declared).to.deep.equal(expected);
      expect(body).to.contain(`uint8 internal constant COUNT = ${Object.keys(CATEGORIES).length};`);
    });

    it("exposes counts and the protected mask equal to the SDK's", async function () {
      const f = await load();
      expect(await f.consent.PURPOSE_COUNT()).to.equal(BigInt(Object.keys(PURPOSES).length));
      expect(await f.consent.CATEGORY_COUNT()).to.equal(BigInt(Object.keys(CATEGORIES).length));
      expect(await f.consent.PROTECTED_CATEGORIES()).to.equal(BigInt(PROTECTED_CATEGORIES_MASK));
    });

    it("documents the same numbering in the interface's NatSpec", function () {
      const natspec = readFileSync("contracts/interfaces/IPatientConsent.sol", "utf8");
      for (const [purpose, value] of Object.entries(PURPOSES)) {
        expect(natspec, purpose).to.match(new RegExp(`\\b${value} ${purpose}\\b`));
      }
    });

    it("accepts every SDK purpose and category and refuses the next bit", async function () {
      const f = await load();
      const start = await now();
      const grant = (p: bigint, c: bigint) =>
        f.consent
          .connect(f.patient)
          .grantConsent(f.patient.address, f.clinic.address, p, c, start, start + DAY);
      await expect(grant(ALL_PURPOSES, ALL_CATEGORIES)).to.emit(f.consent, "ConsentGranted");
      const nextPurpose = 1n << BigInt(Object.keys(PURPOSES).length);
      const nextCategory = 1n << BigInt(Object.keys(CATEGORIES).length);
      await expect(grant(nextPurpose, 0n))
        .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidPurposes")
        .withArgs(nextPurpose);
      await expect(grant(purposes("TREAT"), nextCategory))
        .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidCategories")
        .withArgs(nextCategory);
    });
  });

  describe("grantConsent", function () {
    it("records the patient's consent and emits ConsentGranted with its id", async function () {
      const f = await load();
      const start = await now();
      const end = start + 30n * DAY;
      const p = purposes("TREAT", "HPAYMT");
      const expectedId = consentIdOf(f.patient.address, f.clinic.address, 1n);
      expect(
        await f.consent
          .connect(f.patient)
          .grantConsent.staticCall(f.patient.address, f.clinic.address, p, LABS_MEDS, start, end),
      ).to.equal(expectedId);
      await expect(
        f.consent
          .connect(f.patient)
          .grantConsent(f.patient.address, f.clinic.address, p, LABS_MEDS, start, end),
      )
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          expectedId,
          f.patient.address,
          f.clinic.address,
          p,
          LABS_MEDS,
          start,
          end,
          f.patient.address,
        );
      const stored = await f.consent.consentOf(f.patient.address, f.clinic.address);
      expect([
        stored.purposes,
        stored.categories,
        stored.start,
        stored.end,
        stored.serial,
        stored.revoked,
      ]).to.deep.equal([p, LABS_MEDS, start, end, 1n, false]);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Active,
      );
      expect(await f.consent.consentIdOf(f.patient.address, f.clinic.address)).to.equal(expectedId);
      expect(await f.consent.computeConsentId(f.patient.address, f.clinic.address, 1n)).to.equal(
        expectedId,
      );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), LABS_MEDS),
      ).to.equal(true);
    });

    it("lets an active delegate grant for the patient (grantedBy = the delegate)", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + 365n * DAY);
      const start = await now();
      await expect(
        f.consent
          .connect(f.guardian)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("TREAT"),
            0n,
            start,
            start + DAY,
          ),
      )
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          0n,
          start,
          start + DAY,
          f.guardian.address,
        );
    });

    it("keeps a consent with a future start pending until it starts", async function () {
      const f = await load();
      const start = (await now()) + 10n * DAY;
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          LABS_MEDS,
          start,
          start + DAY,
        );
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Pending,
      );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
      await time.increaseTo(start);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Active,
      );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(true);
    });

    it("replaces the pair's previous consent with the next serial", async function () {
      const f = await load();
      await grantDefault(f);
      const start = await now();
      await expect(
        f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("HRESCH"),
            categories("genetics"),
            start,
            start + DAY,
          ),
      )
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 2n),
          f.patient.address,
          f.clinic.address,
          purposes("HRESCH"),
          categories("genetics"),
          start,
          start + DAY,
          f.patient.address,
        );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
      expect(
        await f.consent.isAuthorized(
          f.patient.address,
          f.clinic.address,
          code("HRESCH"),
          categories("genetics"),
        ),
      ).to.equal(true);
    });

    it("starts over after a revocation", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await grantDefault(f);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Active,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).serial).to.equal(2n);
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await load();
      const start = await now();
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(caller)
              .grantConsent(
                f.patient.address,
                caller.address,
                purposes("TREAT"),
                LABS_MEDS,
                start,
                start + DAY,
              ),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
            .withArgs(caller.address, f.patient.address);
        });
      }
    });

    it("reverts when the delegation has expired or was revoked", async function () {
      const f = await load();
      const until = (await now()) + DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until + DAY);
      await f.consent.connect(f.patient).revokeDelegate(f.stranger.address);
      await time.increaseTo(until);
      const start = await now();
      for (const former of [f.guardian, f.stranger]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(former)
              .grantConsent(
                f.patient.address,
                f.clinic.address,
                purposes("TREAT"),
                0n,
                start,
                start + DAY,
              ),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
            .withArgs(former.address, f.patient.address);
        });
      }
    });

    it("reverts when the grantee is the zero address or the patient", async function () {
      const f = await load();
      const start = await now();
      for (const grantee of [ZeroAddress, f.patient.address]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(f.patient)
              .grantConsent(f.patient.address, grantee, purposes("TREAT"), 0n, start, start + DAY),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidGrantee")
            .withArgs(grantee);
        });
      }
    });

    it("reverts when the purposes are empty or undefined", async function () {
      const f = await load();
      const start = await now();
      for (const mask of [0n, 1n << 14n, 1n << 31n, purposes("TREAT") | (1n << 20n)]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(f.patient)
              .grantConsent(f.patient.address, f.clinic.address, mask, 0n, start, start + DAY),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidPurposes")
            .withArgs(mask);
        });
      }
    });

    it("reverts when the categories have an undefined bit", async function () {
      const f = await load();
      const start = await now();
      for (const mask of [1n << 12n, LABS_MEDS | (1n << 31n)]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(f.patient)
              .grantConsent(
                f.patient.address,
                f.clinic.address,
                purposes("TREAT"),
                mask,
                start,
                start + DAY,
              ),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidCategories")
            .withArgs(mask);
        });
      }
    });

    it("reverts when the period is empty, inverted or over", async function () {
      const f = await load();
      const t = await now();
      for (const [start, end] of [
        [t + DAY, t + DAY],
        [t + 2n * DAY, t + DAY],
        [t - 2n * DAY, t - DAY],
        [t - DAY, t],
      ] as const) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(f.patient)
              .grantConsent(f.patient.address, f.clinic.address, purposes("TREAT"), 0n, start, end),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidPeriod")
            .withArgs(start, end);
        });
      }
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      const start = await now();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.patient)
            .grantConsent(
              f.patient.address,
              f.clinic.address,
              purposes("TREAT"),
              0n,
              start,
              start + DAY,
            ),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("grantConsentBySig", function () {
    it("records a grant the patient signed, submitted by a relayer", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      expect(await f.consent.consentGrantDigest(grant)).to.equal(
        hashConsentGrant((await ethers.provider.getNetwork()).chainId, f.address, grant),
      );
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          grant.purposes,
          grant.categories,
          grant.start,
          grant.end,
          f.patient.address,
        );
      expect(await f.consent.nonces(f.patient.address)).to.equal(1n);
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), LABS_MEDS),
      ).to.equal(true);
    });

    it("accepts a signature until and including its deadline", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      await time.setNextBlockTimestamp(grant.deadline);
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature)).to.emit(
        f.consent,
        "ConsentGranted",
      );
    });

    it("reverts on replay", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      await f.consent.connect(f.relayer).grantConsentBySig(grant, signature);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, 1n, 0n);
      });
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Revoked,
      );
    });

    it("reverts when the nonce is ahead of the patient's", async function () {
      const f = await load();
      const grant = await draftGrant(f, { nonce: 1n });
      const signature = await sign(f, f.patient, grant);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, 0n, 1n);
      });
    });

    it("reverts when the deadline has passed", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      await time.setNextBlockTimestamp(grant.deadline + 1n);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentSignatureExpired")
          .withArgs(grant.deadline);
      });
    });

    it("reverts when someone other than the patient signed", async function () {
      const f = await load();
      const grant = await draftGrant(f, { grantee: f.stranger.address });
      for (const signer of [f.stranger, f.clinic, f.admin]) {
        const signature = await sign(f, signer, grant);
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.stranger).grantConsentBySig(grant, signature))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
            .withArgs(f.patient.address);
        });
      }
    });

    it("reverts when the signed grant was altered", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      for (const altered of [
        { ...grant, categories: ALL_CATEGORIES },
        { ...grant, purposes: ALL_PURPOSES },
        { ...grant, grantee: f.stranger.address },
        { ...grant, end: grant.end + 365n * DAY },
        { ...grant, deadline: grant.deadline + 365n * DAY },
      ]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.relayer).grantConsentBySig(altered, signature))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
            .withArgs(f.patient.address);
        });
      }
    });

    it("reverts when the signature is for another chain id", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant, { chainId: 1n });
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
          .withArgs(f.patient.address);
      });
    });

    it("reverts when the signature is for another PatientConsent contract", async function () {
      const f = await load();
      const other = await ethers.deployContract("PatientConsent", [0n, f.admin.address, DAY]);
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant, {
        verifyingContract: await other.getAddress(),
      });
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
          .withArgs(f.patient.address);
      });
      // The same signature is good where it was meant to go.
      await expect(other.connect(f.relayer).grantConsentBySig(grant, signature)).to.emit(
        other,
        "ConsentGranted",
      );
    });

    it("reverts when the signature is malformed", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      for (const signature of ["0x", "0x1234", `0x${"00".repeat(65)}`]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
            .withArgs(f.patient.address);
        });
      }
    });

    it("accepts an ERC-1271 wallet's signature", async function () {
      const f = await load();
      const walletAddress = await f.wallet.getAddress();
      const grant = await draftGrant(f, { patient: walletAddress });
      const signature = await sign(f, f.patient, grant); // the wallet's owner key signs
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          consentIdOf(walletAddress, f.clinic.address, 1n),
          walletAddress,
          f.clinic.address,
          grant.purposes,
          grant.categories,
          grant.start,
          grant.end,
          walletAddress,
        );
      expect(await f.consent.nonces(walletAddress)).to.equal(1n);
      expect(
        await f.consent.isAuthorized(walletAddress, f.clinic.address, code("TREAT"), LABS_MEDS),
      ).to.equal(true);
    });

    it("reverts when the ERC-1271 wallet refuses the signature", async function () {
      const f = await load();
      const walletAddress = await f.wallet.getAddress();
      const grant = await draftGrant(f, { patient: walletAddress });
      const byStranger = await sign(f, f.stranger, grant);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, byStranger))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
          .withArgs(walletAddress);
      });
      const byOwner = await sign(f, f.patient, grant);
      await f.wallet.connect(f.patient).setRefuseAll(true);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, byOwner))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
          .withArgs(walletAddress);
      });
    });

    it("reverts when the signed grant itself is invalid", async function () {
      const f = await load();
      const grant = await draftGrant(f, { grantee: ZeroAddress });
      const signature = await sign(f, f.patient, grant);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidGrantee")
          .withArgs(ZeroAddress);
      });
    });

    it("reverts when paused", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      await f.consent.connect(f.admin).pause();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.relayer).grantConsentBySig(grant, signature),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("invalidateNonce", function () {
    it("burns the nonce so a handed-over signature can no longer be submitted", async function () {
      const f = await load();
      const grant = await draftGrant(f);
      const signature = await sign(f, f.patient, grant);
      await expect(f.consent.connect(f.patient).invalidateNonce())
        .to.emit(f.consent, "NonceInvalidated")
        .withArgs(f.patient.address, 0n);
      expect(await f.consent.nonces(f.patient.address)).to.equal(1n);
      await expect(f.consent.connect(f.relayer).grantConsentBySig(grant, signature))
        .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
        .withArgs(f.patient.address, 1n, 0n);
    });

    it("works while paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.patient).invalidateNonce())
        .to.emit(f.consent, "NonceInvalidated")
        .withArgs(f.patient.address, 0n);
    });
  });

  describe("revokeConsent", function () {
    it("revokes at once and emits ConsentRevoked with the grant's id", async function () {
      const f = await load();
      await grantDefault(f);
      const consentId = consentIdOf(f.patient.address, f.clinic.address, 1n);
      await expect(f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(consentId, f.patient.address, f.clinic.address, f.patient.address);
      expect(await f.consent.consentStateOf(f.patient.address, f.clinic.address)).to.equal(
        State.Revoked,
      );
      expect((await f.consent.consentOf(f.patient.address, f.clinic.address)).revoked).to.equal(
        true,
      );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
    });

    it("lets an active delegate revoke (revokedBy = the delegate)", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await expect(f.consent.connect(f.guardian).revokeConsent(f.patient.address, f.clinic.address))
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(
          consentIdOf(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          f.guardian.address,
        );
    });

    it("revokes a consent that has not started yet", async function () {
      const f = await load();
      const start = (await now()) + DAY;
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          0n,
          start,
          start + DAY,
        );
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await time.increaseTo(start + 1n);
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
    });

    it("works while paused: withdrawing consent is never blocked", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await expect(
        f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
      ).to.emit(f.consent, "ConsentRevoked");
    });

    it("reverts when the caller is neither the patient nor an active delegate", async function () {
      const f = await load();
      await grantDefault(f);
      for (const caller of [f.stranger, f.clinic, f.admin]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(caller).revokeConsent(f.patient.address, f.clinic.address))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
            .withArgs(caller.address, f.patient.address);
        });
      }
    });

    it("reverts when there is no live consent (never granted, revoked, expired)", async function () {
      const f = await load();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnexpectedConsentState")
          .withArgs(f.patient.address, f.clinic.address, State.None, REVOCABLE);
      });
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnexpectedConsentState")
          .withArgs(f.patient.address, f.clinic.address, State.Revoked, REVOCABLE);
      });
      const { end } = await grantDefault(f, f.insurer);
      await time.increaseTo(end);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.patient).revokeConsent(f.patient.address, f.insurer.address),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnexpectedConsentState")
          .withArgs(f.patient.address, f.insurer.address, State.Expired, REVOCABLE);
      });
    });
  });

  describe("setDelegate", function () {
    it("appoints a delegate until a date and emits DelegateSet", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await expect(
        f.consent
          .connect(f.patient)
          .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until),
      )
        .to.emit(f.consent, "DelegateSet")
        .withArgs(f.patient.address, f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until,
      );
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
      await time.increaseTo(until);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("re-dates an existing delegate", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await expect(
        f.consent
          .connect(f.patient)
          .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until - 20n * DAY),
      )
        .to.emit(f.consent, "DelegateSet")
        .withArgs(
          f.patient.address,
          f.guardian.address,
          ALL_PURPOSES,
          ALL_CATEGORIES,
          until - 20n * DAY,
        );
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(
        until - 20n * DAY,
      );
    });

    it("lets a delegate appoint only for its own account, never for the patient", async function () {
      const f = await load();
      const until = (await now()) + 30n * DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await expect(
        f.consent
          .connect(f.guardian)
          .setDelegate(f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until),
      )
        .to.emit(f.consent, "DelegateSet")
        .withArgs(f.guardian.address, f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      expect(await f.consent.isDelegate(f.patient.address, f.stranger.address)).to.equal(false);
      const start = await now();
      await expect(
        f.consent
          .connect(f.stranger)
          .grantConsent(
            f.patient.address,
            f.stranger.address,
            purposes("TREAT"),
            0n,
            start,
            start + DAY,
          ),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
        .withArgs(f.stranger.address, f.patient.address);
    });

    it("reverts when the delegate is the zero address or the patient", async function () {
      const f = await load();
      const until = (await now()) + DAY;
      for (const delegate of [ZeroAddress, f.patient.address]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent.connect(f.patient).setDelegate(delegate, ALL_PURPOSES, ALL_CATEGORIES, until),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidDelegate")
            .withArgs(delegate);
        });
      }
    });

    it("reverts when the end is not in the future", async function () {
      const f = await load();
      const t = await now();
      for (const until of [0n, t - DAY, t]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(f.patient)
              .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidDelegationEnd")
            .withArgs(until);
        });
      }
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      const until = (await now()) + DAY;
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.patient)
            .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("revokeDelegate", function () {
    it("removes the delegate at once and emits DelegateRevoked", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address))
        .to.emit(f.consent, "DelegateRevoked")
        .withArgs(f.patient.address, f.guardian.address);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(0n);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address)).to.emit(
        f.consent,
        "DelegateRevoked",
      );
    });

    it("reverts when the delegate is not active (never appointed, removed, expired)", async function () {
      const f = await load();
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentDelegateNotActive")
          .withArgs(f.patient.address, f.guardian.address);
      });
      const until = (await now()) + DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.patient).revokeDelegate(f.guardian.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentDelegateNotActive")
          .withArgs(f.patient.address, f.guardian.address);
      });
      await time.increaseTo(until);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.patient).revokeDelegate(f.stranger.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentDelegateNotActive")
          .withArgs(f.patient.address, f.stranger.address);
      });
    });

    it("reverts when anyone but the patient tries to remove the patient's delegate", async function () {
      const f = await load();
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, (await now()) + DAY);
      for (const caller of [f.stranger, f.admin, f.guardian]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(caller).revokeDelegate(f.guardian.address))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentDelegateNotActive")
            .withArgs(caller.address, f.guardian.address);
        });
      }
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(true);
    });
  });

  describe("anchorRecord", function () {
    it("anchors a record hash by a provider authorized for TREAT and emits RecordAnchored", async function () {
      const f = await load();
      await grantDefault(f);
      await time.setNextBlockTimestamp((await now()) + 10n);
      const at = (await now()) + 10n;
      await expect(
        f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs")),
      )
        .to.emit(f.consent, "RecordAnchored")
        .withArgs(RECORD, f.patient.address, f.clinic.address, categories("labs"));
      const record = await f.consent.recordOf(f.clinic.address, RECORD);
      expect([record.patient, record.categories, record.anchoredAt]).to.deep.equal([
        f.patient.address,
        categories("labs"),
        at,
      ]);
    });

    it("reverts when the record hash is zero", async function () {
      const f = await load();
      await grantDefault(f);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, ZeroHash, categories("labs")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidRecordHash")
          .withArgs(ZeroHash);
      });
    });

    it("reverts when the categories are empty or undefined", async function () {
      const f = await load();
      await grantDefault(f);
      for (const mask of [0n, 1n << 12n]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, mask))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidCategories")
            .withArgs(mask);
        });
      }
    });

    it("reverts when the provider already anchored the record in its namespace", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs"));
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentRecordAlreadyAnchored")
          .withArgs(f.clinic.address, RECORD);
      });
    });

    it("reverts when the provider is not authorized for TREAT on every category", async function () {
      const f = await load();
      const start = await now();
      // HPAYMT only, for the insurer; TREAT on labs only, for the clinic.
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.insurer.address,
          purposes("HPAYMT"),
          ALL_CATEGORIES,
          start,
          start + DAY,
        );
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          categories("labs"),
          start,
          start + DAY,
        );
      const attempts: [Signer & { address: string }, bigint][] = [
        [f.stranger, categories("labs")],
        [f.insurer, categories("labs")],
        [f.clinic, categories("labs", "genetics")],
      ];
      for (const [caller, mask] of attempts) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent.connect(caller).anchorRecord(f.patient.address, GENETIC_RECORD, mask),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
            .withArgs(f.patient.address, caller.address, code("TREAT"), mask);
        });
      }
    });

    it("reverts when the TREAT consent was revoked or expired", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      const { end } = await grantDefault(f, f.researcher);
      for (const caller of [f.clinic]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, categories("labs")),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
            .withArgs(f.patient.address, caller.address, code("TREAT"), categories("labs"));
        });
      }
      await time.increaseTo(end);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.researcher)
            .anchorRecord(f.patient.address, RECORD, categories("labs")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
          .withArgs(f.patient.address, f.researcher.address, code("TREAT"), categories("labs"));
      });
    });

    it("reverts for a break-glass responder: emergency access does not anchor records", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.responder)
            .anchorRecord(f.patient.address, RECORD, categories("labs")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
          .withArgs(f.patient.address, f.responder.address, code("TREAT"), categories("labs"));
      });
    });

    it("reverts when paused", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.admin).pause();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, categories("labs")),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("logAccess", function () {
    async function anchoredFixture() {
      const f = await deployConsentFixture();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      const start = await now();
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.researcher.address,
          purposes("TREAT", "HRESCH"),
          ALL_CATEGORIES,
          start,
          start + DAY,
        );
      await f.consent
        .connect(f.researcher)
        .anchorRecord(f.patient.address, GENETIC_RECORD, categories("genetics"));
      return f;
    }
    const loadAnchored = () => networkHelpers.loadFixture(anchoredFixture);

    it("logs an access covered by a consent, with the consent's id", async function () {
      const f = await loadAnchored();
      await grantDefault(f, f.insurer);
      await expect(
        f.consent
          .connect(f.insurer)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HPAYMT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          RECORD,
          f.insurer.address,
          f.clinic.address,
          code("HPAYMT"),
          consentIdOf(f.patient.address, f.insurer.address, 1n),
          0n,
        );
    });

    it("logs a break-glass access flagged with the window's id", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expect(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.researcher.address, GENETIC_RECORD, code("ETREAT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          GENETIC_RECORD,
          f.responder.address,
          f.researcher.address,
          code("ETREAT"),
          ZeroHash,
          1n,
        );
    });

    it("reverts when the record is not anchored", async function () {
      const f = await loadAnchored();
      const unknown = id("never anchored");
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, unknown, code("TREAT")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnknownRecord")
          .withArgs(f.clinic.address, unknown);
      });
    });

    it("reverts when the record is about another patient", async function () {
      const f = await loadAnchored();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.clinic)
            .logAccess(f.stranger.address, f.clinic.address, RECORD, code("TREAT")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentRecordPatientMismatch")
          .withArgs(f.clinic.address, RECORD, f.stranger.address);
      });
    });

    it("reverts without a covering consent: no consent, wrong purpose, categories not covered", async function () {
      const f = await loadAnchored();
      const attempts: [Signer & { address: string }, string, string, bigint, bigint][] = [
        [f.stranger, f.clinic.address, RECORD, code("TREAT"), LABS_MEDS],
        [f.clinic, f.clinic.address, RECORD, code("HRESCH"), LABS_MEDS],
        [f.clinic, f.researcher.address, GENETIC_RECORD, code("TREAT"), categories("genetics")],
        [f.clinic, f.clinic.address, RECORD, code("ETREAT"), LABS_MEDS],
        [f.clinic, f.clinic.address, RECORD, 200n, LABS_MEDS],
      ];
      for (const [caller, provider, record, purpose, mask] of attempts) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent.connect(caller).logAccess(f.patient.address, provider, record, purpose),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
            .withArgs(f.patient.address, caller.address, purpose, mask);
        });
      }
    });

    it("reverts once the consent is revoked or over", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
          .withArgs(f.patient.address, f.clinic.address, code("TREAT"), LABS_MEDS);
      });
      const end = (await f.consent.consentOf(f.patient.address, f.researcher.address)).end;
      await time.setNextBlockTimestamp(end - 1n);
      await expect(
        f.consent
          .connect(f.researcher)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HRESCH")),
      ).to.emit(f.consent, "AccessLogged");
      await time.setNextBlockTimestamp(end);
      await expect(
        f.consent
          .connect(f.researcher)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("HRESCH")),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
        .withArgs(f.patient.address, f.researcher.address, code("HRESCH"), LABS_MEDS);
    });

    it("reverts when paused", async function () {
      const f = await loadAnchored();
      await f.consent.connect(f.admin).pause();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("breakGlass", function () {
    it("opens an audited ETREAT window on every category for the set duration", async function () {
      const f = await load();
      const openedAt = (await now()) + 5n;
      await time.setNextBlockTimestamp(openedAt);
      const end = openedAt + DEFAULT_MAX_BREAK_GLASS_DURATION;
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(1n, f.patient.address, f.responder.address, REASON, end);
      const window = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      expect([window.id, window.openedAt, window.end]).to.deep.equal([1n, openedAt, end]);
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.responder.address, purpose, mask);
      expect(await ask(code("ETREAT"), ALL_CATEGORIES)).to.equal(true);
      expect(await ask(code("ETREAT"), BigInt(PROTECTED_CATEGORIES_MASK))).to.equal(true);
      expect(await ask(code("ETREAT"), 0xffffffffn)).to.equal(true);
      expect(await ask(code("TREAT"), 0n)).to.equal(false);
      expect(await ask(code("HRESCH"), 0n)).to.equal(false);
    });

    it("never outlives its window", async function () {
      const f = await load();
      await grantDefault(f);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await time.setNextBlockTimestamp(end - 1n);
      await expect(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("ETREAT")),
      )
        .to.emit(f.consent, "AccessLogged")
        .withArgs(
          f.patient.address,
          RECORD,
          f.responder.address,
          f.clinic.address,
          code("ETREAT"),
          ZeroHash,
          1n,
        );
      await time.setNextBlockTimestamp(end);
      await expect(
        f.consent
          .connect(f.responder)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("ETREAT")),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
        .withArgs(f.patient.address, f.responder.address, code("ETREAT"), LABS_MEDS);
      await networkHelpers.mine(); // a block at `end`: the view now answers at the window's end
      expect(
        await f.consent.isAuthorized(f.patient.address, f.responder.address, code("ETREAT"), 0n),
      ).to.equal(false);
    });

    it("closes when the responder loses EMERGENCY_ROLE", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).revokeRole(f.EMERGENCY_ROLE, f.responder.address);
      expect(
        await f.consent.isAuthorized(f.patient.address, f.responder.address, code("ETREAT"), 0n),
      ).to.equal(false);
    });

    it("keeps an open window's end when the admin changes the duration", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const before = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await f.consent.connect(f.admin).setMaxBreakGlassDuration(15n * 60n);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        before.end,
      );
    });

    it("numbers windows contract-wide and reopens after one closed", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).grantRole(f.EMERGENCY_ROLE, f.clinic.address);
      await expect(f.consent.connect(f.clinic).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(
          2n,
          f.patient.address,
          f.clinic.address,
          REASON,
          (await now()) + 1n + DEFAULT_MAX_BREAK_GLASS_DURATION,
        );
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await time.increase(await f.consent.breakGlassCooldown());
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, REASON))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(
          3n,
          f.patient.address,
          f.responder.address,
          REASON,
          (await now()) + 1n + DEFAULT_MAX_BREAK_GLASS_DURATION,
        );
    });

    it("reverts when the caller lacks EMERGENCY_ROLE", async function () {
      const f = await load();
      for (const caller of [f.stranger, f.clinic, f.admin, f.patient]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(caller).breakGlass(f.patient.address, REASON))
            .to.be.revertedWithCustomError(f.consent, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, f.EMERGENCY_ROLE);
        });
      }
    });

    it("reverts when the patient is the zero address or the responder", async function () {
      const f = await load();
      for (const patient of [ZeroAddress, f.responder.address]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.responder).breakGlass(patient, REASON))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidPatient")
            .withArgs(patient);
        });
      }
    });

    it("reverts without a reason hash", async function () {
      const f = await load();
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, ZeroHash))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidReason")
          .withArgs(ZeroHash);
      });
    });

    it("reverts when the responder's window on the patient is still open", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const { end } = await f.consent.breakGlassOf(f.patient.address, f.responder.address);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, REASON))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassAlreadyOpen")
          .withArgs(f.patient.address, f.responder.address, end);
      });
    });

    it("reverts when paused", async function () {
      const f = await load();
      await f.consent.connect(f.admin).pause();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.responder).breakGlass(f.patient.address, REASON),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
    });
  });

  describe("endBreakGlass", function () {
    it("closes the window now and emits BreakGlassEnded", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const closedAt = (await now()) + 60n;
      await time.setNextBlockTimestamp(closedAt);
      await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
        .to.emit(f.consent, "BreakGlassEnded")
        .withArgs(1n, f.patient.address, f.responder.address);
      expect((await f.consent.breakGlassOf(f.patient.address, f.responder.address)).end).to.equal(
        closedAt,
      );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.responder.address, code("ETREAT"), 0n),
      ).to.equal(false);
    });

    it("works while paused", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await f.consent.connect(f.admin).pause();
      await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address)).to.emit(
        f.consent,
        "BreakGlassEnded",
      );
    });

    it("reverts when no window is open (never opened, ended, over, someone else's)", async function () {
      const f = await load();
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassNotOpen")
          .withArgs(f.patient.address, f.responder.address);
      });
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.stranger).endBreakGlass(f.patient.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassNotOpen")
          .withArgs(f.patient.address, f.stranger.address);
      });
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassNotOpen")
          .withArgs(f.patient.address, f.responder.address);
      });
      await time.increase(await f.consent.breakGlassCooldown());
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      await time.increase(DEFAULT_MAX_BREAK_GLASS_DURATION);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).endBreakGlass(f.patient.address))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassNotOpen")
          .withArgs(f.patient.address, f.responder.address);
      });
    });
  });

  describe("setMaxBreakGlassDuration", function () {
    it("sets the duration within bounds and emits MaxBreakGlassDurationSet", async function () {
      const f = await load();
      for (const duration of [15n * 60n, 72n * HOUR, 6n * HOUR]) {
        const previous = await f.consent.maxBreakGlassDuration();
        await expect(f.consent.connect(f.admin).setMaxBreakGlassDuration(duration))
          .to.emit(f.consent, "MaxBreakGlassDurationSet")
          .withArgs(previous, duration);
        expect(await f.consent.maxBreakGlassDuration()).to.equal(duration);
      }
      expect(await f.consent.SHORTEST_BREAK_GLASS()).to.equal(15n * 60n);
      expect(await f.consent.LONGEST_BREAK_GLASS()).to.equal(72n * HOUR);
    });

    it("reverts when out of bounds", async function () {
      const f = await load();
      for (const duration of [0n, 15n * 60n - 1n, 72n * HOUR + 1n]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(f.admin).setMaxBreakGlassDuration(duration))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassDurationOutOfBounds")
            .withArgs(duration, 15n * 60n, 72n * HOUR);
        });
      }
    });

    it("reverts when the caller is not the admin", async function () {
      const f = await load();
      for (const caller of [f.stranger, f.responder]) {
        await expectUnchanged(f, async () => {
          await expect(f.consent.connect(caller).setMaxBreakGlassDuration(HOUR))
            .to.be.revertedWithCustomError(f.consent, "AccessControlUnauthorizedAccount")
            .withArgs(caller.address, ZeroHash);
        });
      }
    });
  });

  shouldBehaveLikeAdminPausable(async () => {
    const f = await load();
    return {
      contract: f.consent as unknown as AdminPausable,
      admin: f.admin,
      stranger: f.stranger,
      pauser: f.admin,
      pauserRole: ZeroHash,
      pausableCall: async () => {
        const start = await now();
        return f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("TREAT"),
            0n,
            start,
            start + DAY,
          );
      },
    };
  });

  describe("isAuthorized", function () {
    it("answers exactly: purpose bit set, categories a subset, inside the period, not revoked", async function () {
      const f = await load();
      const start = (await now()) + 100n;
      const end = start + DAY;
      await f.consent
        .connect(f.patient)
        .grantConsent(
          f.patient.address,
          f.clinic.address,
          purposes("TREAT", "HPAYMT"),
          LABS_MEDS,
          start,
          end,
        );
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.clinic.address, purpose, mask);
      expect(await ask(code("TREAT"), 0n)).to.equal(false); // not started
      await time.increaseTo(start);
      expect(await ask(code("TREAT"), 0n)).to.equal(true);
      expect(await ask(code("HPAYMT"), LABS_MEDS)).to.equal(true);
      expect(await ask(code("TREAT"), categories("labs"))).to.equal(true);
      expect(await ask(code("TREAT"), categories("labs", "imaging"))).to.equal(false);
      expect(await ask(code("TREAT"), categories("mental-health"))).to.equal(false);
      expect(await ask(code("HRESCH"), 0n)).to.equal(false);
      expect(await ask(code("ETREAT"), 0n)).to.equal(false);
      expect(await ask(31n, 0n)).to.equal(false);
      expect(await ask(32n, 0n)).to.equal(false);
      expect(await ask(255n, 0n)).to.equal(false);
      expect(
        await f.consent.isAuthorized(f.patient.address, f.stranger.address, code("TREAT"), 0n),
      ).to.equal(false);
      expect(
        await f.consent.isAuthorized(f.clinic.address, f.patient.address, code("TREAT"), 0n),
      ).to.equal(false);
      await time.increaseTo(end);
      expect(await ask(code("TREAT"), 0n)).to.equal(false); // over
    });
  });

  describe("MedRec's failures, tried and refused", function () {
    it("a stranger cannot take over the contract or a patient's consents", async function () {
      const f = await load();
      await grantDefault(f);
      const start = await now();
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.stranger).beginDefaultAdminTransfer(f.stranger.address))
          .to.be.revertedWithCustomError(f.consent, "AccessControlUnauthorizedAccount")
          .withArgs(f.stranger.address, ZeroHash);
        await expect(f.consent.connect(f.stranger).grantRole(f.EMERGENCY_ROLE, f.stranger.address))
          .to.be.revertedWithCustomError(f.consent, "AccessControlUnauthorizedAccount")
          .withArgs(f.stranger.address, ZeroHash);
        await expect(
          f.consent
            .connect(f.stranger)
            .grantConsent(
              f.patient.address,
              f.stranger.address,
              ALL_PURPOSES,
              ALL_CATEGORIES,
              start,
              start + DAY,
            ),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
          .withArgs(f.stranger.address, f.patient.address);
        await expect(
          f.consent.connect(f.stranger).revokeConsent(f.patient.address, f.clinic.address),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
          .withArgs(f.stranger.address, f.patient.address);
      });
      // Not even the admin can consent on a patient's behalf.
      await expect(
        f.consent
          .connect(f.admin)
          .grantConsent(
            f.patient.address,
            f.admin.address,
            ALL_PURPOSES,
            ALL_CATEGORIES,
            start,
            start + DAY,
          ),
      )
        .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
        .withArgs(f.admin.address, f.patient.address);
      expect(await f.consent.defaultAdmin()).to.equal(f.admin.address);
    });

    it("nobody overwrites a provider's consent or an anchored record", async function () {
      const f = await load();
      await grantDefault(f);
      await grantDefault(f, f.researcher);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      const start = await now();
      for (const caller of [f.stranger, f.clinic, f.researcher]) {
        await expectUnchanged(f, async () => {
          await expect(
            f.consent
              .connect(caller)
              .grantConsent(
                f.patient.address,
                f.clinic.address,
                ALL_PURPOSES,
                ALL_CATEGORIES,
                start,
                start + 999n * DAY,
              ),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
            .withArgs(caller.address, f.patient.address);
          // The clinic's own namespace holds the record already; anyone else lacks TREAT on every category.
          if (caller === f.clinic) {
            await expect(
              f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, ALL_CATEGORIES),
            )
              .to.be.revertedWithCustomError(f.consent, "PatientConsentRecordAlreadyAnchored")
              .withArgs(f.clinic.address, RECORD);
          } else {
            await expect(
              f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, ALL_CATEGORIES),
            )
              .to.be.revertedWithCustomError(f.consent, "PatientConsentNotAuthorized")
              .withArgs(f.patient.address, caller.address, code("TREAT"), ALL_CATEGORIES);
          }
        });
      }
    });

    it("a guardian the patient removed stays removed: nobody else can restore it", async function () {
      const f = await load();
      const until = (await now()) + 365n * DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.stranger.address, ALL_PURPOSES, ALL_CATEGORIES, until);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      // Every other party tries the only door there is: setDelegate appoints for the caller alone.
      for (const caller of [f.guardian, f.stranger, f.admin, f.clinic]) {
        await f.consent
          .connect(caller)
          .setDelegate(
            caller === f.guardian ? f.stranger.address : f.guardian.address,
            ALL_PURPOSES,
            ALL_CATEGORIES,
            until,
          );
      }
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(0n);
      const start = await now();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.guardian)
            .grantConsent(
              f.patient.address,
              f.guardian.address,
              ALL_PURPOSES,
              ALL_CATEGORIES,
              start,
              start + DAY,
            ),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
          .withArgs(f.guardian.address, f.patient.address);
      });
    });

    it("every state change emits an event", async function () {
      const f = await load();
      const start = await now();
      const grant = await draftGrant(f, { grantee: f.insurer.address });
      const signature = await sign(f, f.patient, grant);
      const steps: [string, () => Promise<ContractTransactionResponse>][] = [
        [
          "ConsentGranted",
          () =>
            f.consent
              .connect(f.patient)
              .grantConsent(
                f.patient.address,
                f.clinic.address,
                purposes("TREAT"),
                LABS_MEDS,
                start,
                start + DAY,
              ),
        ],
        ["ConsentGranted", () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature)],
        [
          "DelegateSet",
          () =>
            f.consent
              .connect(f.patient)
              .setDelegate(f.guardian.address, ALL_PURPOSES, ALL_CATEGORIES, start + DAY),
        ],
        ["DelegateRevoked", () => f.consent.connect(f.patient).revokeDelegate(f.guardian.address)],
        ["NonceInvalidated", () => f.consent.connect(f.patient).invalidateNonce()],
        [
          "RecordAnchored",
          () => f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS),
        ],
        [
          "AccessLogged",
          () =>
            f.consent
              .connect(f.clinic)
              .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
        ],
        [
          "BreakGlassOpened",
          () => f.consent.connect(f.responder).breakGlass(f.patient.address, REASON),
        ],
        ["BreakGlassEnded", () => f.consent.connect(f.responder).endBreakGlass(f.patient.address)],
        [
          "ConsentRevoked",
          () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        ],
        [
          "MaxBreakGlassDurationSet",
          () => f.consent.connect(f.admin).setMaxBreakGlassDuration(HOUR),
        ],
        ["Paused", () => f.consent.connect(f.admin).pause()],
        ["Unpaused", () => f.consent.connect(f.admin).unpause()],
      ];
      for (const [event, step] of steps) {
        const receipt = await (await step()).wait();
        const names = receipt!.logs.map((log) => f.consent.interface.parseLog(log)?.name);
        expect(names, event).to.include(event);
      }
    });

    it("purpose, scope and expiry are enforced", async function () {
      const f = await load();
      const { end } = await grantDefault(f); // TREAT + HPAYMT on labs + medications, 30 days
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.clinic.address, purpose, mask);
      expect(await ask(code("TREAT"), LABS_MEDS)).to.equal(true);
      expect(await ask(code("HMARKT"), 0n)).to.equal(false); // purpose
      expect(await ask(code("TREAT"), categories("substance-use"))).to.equal(false); // scope
      await time.increaseTo(end);
      expect(await ask(code("TREAT"), LABS_MEDS)).to.equal(false); // expiry
    });

    it("nothing personal goes on chain: only addresses, hashes, numbers and flags", function () {
      const allowed = /^(address|bytes32|bytes4|bool|uint\d+|int\d+|tuple)(\[\])?$/;
      const iface = IPatientConsent__factory.createInterface();
      const types: string[] = [];
      const collect = (
        params: readonly { type: string; components: readonly unknown[] | null }[],
      ): void => {
        for (const param of params) {
          types.push(param.type);
          if (param.components !== null) collect(param.components as typeof params);
        }
      };
      iface.forEachEvent((event) => {
        collect(event.inputs);
      });
      iface.forEachError((error) => {
        collect(error.inputs);
      });
      iface.forEachFunction((fn) => {
        // The signature bytes of the signed actions (…BySig) are the only dynamic input.
        collect(
          fn.inputs.filter((input) => !(fn.name.endsWith("BySig") && input.name === "signature")),
        );
        collect(fn.outputs);
      });
      const offending = types.filter((type) => !allowed.test(type));
      expect(offending).to.deep.equal([]);
    });

    it("granting a new provider costs a small fraction of MedRec's 1.2M gas", async function () {
      const f = await load();
      const start = await now();
      const gas = await gasOf(
        f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("TREAT"),
            LABS_MEDS,
            start,
            start + DAY,
          ),
      );
      expect(gas).to.be.lessThan(80_000n);
    });
  });

  describe("gas ceilings (the targets)", function () {
    async function hundredConsentsFixture() {
      const f = await deployConsentFixture();
      const start = await now();
      for (let i = 0; i < 100; i++) {
        const grantee = ethers.Wallet.createRandom().address;
        await f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            grantee,
            purposes("TREAT", "HPAYMT"),
            LABS_MEDS,
            start,
            start + 365n * DAY,
          );
      }
      return f;
    }

    it("grantConsent ≤ 80k and grantConsentBySig ≤ 95k", async function () {
      const f = await load();
      const start = await now();
      const direct = await gasOf(
        f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("TREAT", "HPAYMT"),
            LABS_MEDS,
            start,
            start + 30n * DAY,
          ),
      );
      const grant = await draftGrant(f, { grantee: f.insurer.address });
      const signed = await gasOf(
        f.consent.connect(f.relayer).grantConsentBySig(grant, await sign(f, f.patient, grant)),
      );
      expect(direct).to.be.at.most(80_000n);
      expect(signed).to.be.at.most(95_000n);
    });

    it("revokeConsent ≤ 35k and the same after 1 or 100 consents on the patient", async function () {
      const one = await load();
      await grantDefault(one);
      const afterOne = await gasOf(
        one.consent.connect(one.patient).revokeConsent(one.patient.address, one.clinic.address),
      );
      const hundred = await networkHelpers.loadFixture(hundredConsentsFixture);
      await grantDefault(hundred);
      const afterHundred = await gasOf(
        hundred.consent
          .connect(hundred.patient)
          .revokeConsent(hundred.patient.address, hundred.clinic.address),
      );
      expect(afterOne).to.be.at.most(35_000n);
      expect(afterHundred).to.equal(afterOne);
    });

    it("isAuthorized ≤ 10k execution gas with 100 consents on the patient", async function () {
      const f = await networkHelpers.loadFixture(hundredConsentsFixture);
      await grantDefault(f);
      const data = f.consent.interface.encodeFunctionData("isAuthorized", [
        f.patient.address,
        f.clinic.address,
        code("TREAT"),
        LABS_MEDS,
      ]);
      const estimate = await ethers.provider.estimateGas({ to: f.address, data });
      expect(estimate - intrinsicGas(data)).to.be.at.most(10_000n);
    });

    it("isAuthorized ≤ 10k execution gas on its longest path (ETREAT through break-glass)", async function () {
      const f = await networkHelpers.loadFixture(hundredConsentsFixture);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, REASON);
      const data = f.consent.interface.encodeFunctionData("isAuthorized", [
        f.patient.address,
        f.responder.address,
        code("ETREAT"),
        ALL_CATEGORIES,
      ]);
      expect(await ethers.provider.call({ to: f.address, data })).to.equal(toBeHex(1n, 32));
      const estimate = await ethers.provider.estimateGas({ to: f.address, data });
      expect(estimate - intrinsicGas(data)).to.be.at.most(10_000n);
    });
  });
});
