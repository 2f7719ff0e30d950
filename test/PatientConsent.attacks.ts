import { expect } from "chai";
import { TypedDataEncoder, id } from "ethers";
import type { Signer } from "ethers";
import { network } from "hardhat";

import PatientConsentModule from "../ignition/modules/PatientConsent.js";
import {
  CATEGORIES,
  CONSENT_REVOCATION_TYPE_STRING,
  DELEGATE_APPOINTMENT_TYPE_STRING,
  DELEGATE_REMOVAL_TYPE_STRING,
  PURPOSES,
  buildConsentActionTypedData,
  buildConsentGrantTypedData,
  hashConsentAction,
  parseSignedConsentAction,
  randomUnorderedNonce,
  recoverConsentActionSigner,
  serializeSignedConsentAction,
  signConsentRevocation,
  signDelegateAppointment,
  signDelegateRemoval,
} from "../sdk/patient-consent/index.js";
import type {
  CategoryName,
  ConsentActionMessages,
  ConsentActionType,
  ConsentGrant,
  ConsentRevocation,
  DelegateAppointment,
  DelegateRemoval,
  PurposeCode,
} from "../sdk/patient-consent/index.js";
import type { PatientConsent } from "../typechain-types/index.js";

/*
 * Issue 11 (items 6-9) and the signed patient actions of issue 14, each abuse tried by the
 * participant who would gain from it: every attempt ends in a named custom error and leaves the
 * chain as it was.
 */

const { ethers, networkHelpers, ignition } = await network.create();
const { time } = networkHelpers;

const HOUR = 3_600n;
const DAY = 86_400n;
const code = (purpose: PurposeCode): bigint => BigInt(PURPOSES[purpose]);
const purposes = (...codes: PurposeCode[]): bigint =>
  codes.reduce((mask, purpose) => mask | (1n << code(purpose)), 0n);
const categories = (...names: CategoryName[]): bigint =>
  names.reduce((mask, name) => mask | (1n << BigInt(CATEGORIES[name])), 0n);
const LABS_MEDS = categories("labs", "medications");
const RECORD = id("salt-1|fhir-bundle-lab-report");

async function deploy(admin: string): Promise<PatientConsent> {
  const { patientConsent } = await ignition.deploy(PatientConsentModule, {
    parameters: { PatientConsent: { admin } },
  });
  return ethers.getContractAt("PatientConsent", await patientConsent.getAddress());
}

async function fixture() {
  const [admin, patient, clinic, squatter, puppet, guardian, stranger, responder, relayer] =
    await ethers.getSigners();
  const consent = await deploy(admin!.address);
  await consent.connect(admin).grantRole(await consent.EMERGENCY_ROLE(), responder!.address);
  const wallet = await ethers.deployContract("MockERC1271Wallet", [patient!.address]);
  // A second deployment on the same chain, for cross-contract replays.
  const other = await ethers.deployContract("PatientConsent", [0n, admin!.address, DAY]);
  return {
    consent,
    other,
    wallet,
    walletAddress: await wallet.getAddress(),
    address: await consent.getAddress(),
    admin: admin!,
    patient: patient!,
    clinic: clinic!,
    squatter: squatter!,
    puppet: puppet!,
    guardian: guardian!,
    stranger: stranger!,
    responder: responder!,
    relayer: relayer!,
  };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;
const load = (): Promise<Fixture> => networkHelpers.loadFixture(fixture);
const now = async (): Promise<bigint> => BigInt(await time.latest());

/** Everything an attempt could have touched, for the patient and the wallet, as one string. */
async function chainState(f: Fixture): Promise<string> {
  const { consent } = f;
  const parts: unknown[] = [];
  for (const patient of [f.patient.address, f.walletAddress, f.puppet.address]) {
    for (const other of [f.clinic, f.squatter, f.guardian, f.stranger, f.responder]) {
      parts.push(
        await consent.consentOf(patient, other.address),
        await consent.delegationOf(patient, other.address),
        await consent.breakGlassOf(patient, other.address),
        await consent.recordOf(other.address, RECORD),
      );
    }
    parts.push(await consent.nonces(patient));
  }
  parts.push(
    await consent.breakGlassCooldown(),
    await consent.maxBreakGlassDuration(),
    await consent.paused(),
  );
  return JSON.stringify(parts, (_key, value: unknown) =>
    typeof value === "bigint" ? value.toString() : value,
  );
}

async function expectUnchanged(f: Fixture, attempt: () => Promise<void>): Promise<void> {
  const before = await chainState(f);
  await attempt();
  expect(await chainState(f)).to.equal(before);
}

/** Signs any action's typed data for `contract` on `chainId` with `signer`'s key. */
async function signFor<K extends ConsentActionType>(
  signer: Signer,
  primaryType: K,
  message: ConsentActionMessages[K],
  contract: string,
  chainId = 31337n,
): Promise<string> {
  const typed =
    primaryType === "ConsentGrant"
      ? buildConsentGrantTypedData(chainId, contract, message as ConsentGrant)
      : buildConsentActionTypedData(primaryType, chainId, contract, message);
  return signer.signTypedData(typed.domain, typed.types, typed.message);
}

async function grantMessage(
  f: Fixture,
  patient: string,
  nonce: bigint,
  grantee = f.clinic.address,
): Promise<ConsentGrant> {
  const start = await now();
  return {
    patient,
    grantee,
    purposes: purposes("TREAT"),
    categories: LABS_MEDS,
    start,
    end: start + 30n * DAY,
    nonce,
    deadline: start + DAY,
  };
}

describe("PatientConsent attacks (issue 11 items 6-9, signed actions)", function () {
  describe("record namespaces (item 6)", function () {
    it("a squatter's anchor of the real hash (front-run or guessed) occupies only its own namespace", async function () {
      const f = await load();
      const start = await now();
      // The squatter's puppet "patient" consents to the squatter, which anchors the real hash first.
      await f.consent
        .connect(f.puppet)
        .grantConsent(
          f.puppet.address,
          f.squatter.address,
          purposes("TREAT"),
          LABS_MEDS,
          start,
          start + DAY,
        );
      await f.consent.connect(f.squatter).anchorRecord(f.puppet.address, RECORD, LABS_MEDS);
      // The real provider still anchors it, for the real patient, in its own namespace.
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
      await expect(f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS))
        .to.emit(f.consent, "RecordAnchored")
        .withArgs(RECORD, f.patient.address, f.clinic.address, LABS_MEDS);
      expect((await f.consent.recordOf(f.clinic.address, RECORD)).patient).to.equal(
        f.patient.address,
      );
      // Its access logging works, naming its namespace.
      await expect(
        f.consent
          .connect(f.clinic)
          .logAccess(f.patient.address, f.clinic.address, RECORD, code("TREAT")),
      ).to.emit(f.consent, "AccessLogged");
      // The squatter can neither take the clinic's namespace nor pass its record off as the patient's.
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.squatter).anchorRecord(f.puppet.address, RECORD, LABS_MEDS),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentRecordAlreadyAnchored")
          .withArgs(f.squatter.address, RECORD);
        await expect(
          f.consent
            .connect(f.clinic)
            .logAccess(f.patient.address, f.squatter.address, RECORD, code("TREAT")),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentRecordPatientMismatch")
          .withArgs(f.squatter.address, RECORD, f.patient.address);
      });
    });
  });

  describe("stale signed grants (item 7)", function () {
    it("a grant signed before a revocation by transaction is refused after it", async function () {
      const f = await load();
      const stale = await grantMessage(f, f.patient.address, 0n);
      const signature = await signFor(f.patient, "ConsentGrant", stale, f.address);
      const start = await now();
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
      await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.clinic).grantConsentBySig(stale, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentSignedGrantsBlocked")
          .withArgs(f.patient.address, f.clinic.address);
      });
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
      // A grant by transaction (here a narrower one) lifts the block and burns the deferred nonce: the stale
      // grant can still not override it, while a grant signed afterwards works.
      await expect(
        f.consent
          .connect(f.patient)
          .grantConsent(
            f.patient.address,
            f.clinic.address,
            purposes("TREAT"),
            categories("labs"),
            start,
            start + HOUR,
          ),
      )
        .to.emit(f.consent, "NonceInvalidated")
        .withArgs(f.patient.address, 0n);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.clinic).grantConsentBySig(stale, signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, 1n, 0n);
      });
      const fresh = await grantMessage(f, f.patient.address, 1n);
      await f.consent
        .connect(f.relayer)
        .grantConsentBySig(fresh, await signFor(f.patient, "ConsentGrant", fresh, f.address));
    });

    it("a grant signed before a signed revocation is refused after it; a later one works", async function () {
      const f = await load();
      const first = await grantMessage(f, f.patient.address, 0n);
      await f.consent
        .connect(f.relayer)
        .grantConsentBySig(first, await signFor(f.patient, "ConsentGrant", first, f.address));
      const stale = await grantMessage(f, f.patient.address, 1n);
      const staleSignature = await signFor(f.patient, "ConsentGrant", stale, f.address);
      const revocation = await signConsentRevocation(f.patient, f.address, {
        grantee: f.clinic.address,
        deadline: (await now()) + HOUR,
      });
      await f.consent
        .connect(f.relayer)
        .revokeConsentBySig(revocation.message, revocation.signature);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.clinic).grantConsentBySig(stale, staleSignature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, 2n, 1n);
      });
      const fresh = await grantMessage(f, f.patient.address, 2n);
      await f.consent
        .connect(f.relayer)
        .grantConsentBySig(fresh, await signFor(f.patient, "ConsentGrant", fresh, f.address));
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(true);
    });

    it("a grantee front-running a signed revocation with a stale grant: the revocation still revokes", async function () {
      const f = await load();
      const first = await grantMessage(f, f.patient.address, 0n);
      await f.consent
        .connect(f.relayer)
        .grantConsentBySig(first, await signFor(f.patient, "ConsentGrant", first, f.address));
      const stale = await grantMessage(f, f.patient.address, 1n);
      const staleSignature = await signFor(f.patient, "ConsentGrant", stale, f.address);
      const revocation = await signConsentRevocation(f.patient, f.address, {
        grantee: f.clinic.address,
        deadline: (await now()) + HOUR,
      });
      // The clinic sees the revocation coming and submits its stale grant first (consuming nonce 1).
      await f.consent.connect(f.clinic).grantConsentBySig(stale, staleSignature);
      await expect(
        f.consent.connect(f.relayer).revokeConsentBySig(revocation.message, revocation.signature),
      )
        .to.emit(f.consent, "ConsentRevoked")
        .withArgs(
          await f.consent.consentIdOf(f.patient.address, f.clinic.address),
          f.patient.address,
          f.clinic.address,
          f.patient.address,
        );
      expect(
        await f.consent.isAuthorized(f.patient.address, f.clinic.address, code("TREAT"), 0n),
      ).to.equal(false);
      expect(await f.consent.isRevocationNonceUsed(f.patient.address, revocation.message.nonce)).to
        .be.true;
    });
  });

  describe("scoped delegates (item 8)", function () {
    async function delegated(f: Fixture, scopeCategories = LABS_MEDS) {
      const until = (await now()) + 30n * DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, purposes("TREAT", "HPAYMT"), scopeCategories, until);
      return until;
    }
    const grantBy = (
      f: Fixture,
      grantee: string,
      purposeMask: bigint,
      categoryMask: bigint,
      start: bigint,
      end: bigint,
    ) =>
      f.consent
        .connect(f.guardian)
        .grantConsent(f.patient.address, grantee, purposeMask, categoryMask, start, end);

    it("grants inside its scope and records the scope", async function () {
      const f = await load();
      const until = await delegated(f);
      const delegation = await f.consent.delegationOf(f.patient.address, f.guardian.address);
      expect([delegation.purposes, delegation.categories, delegation.until]).to.deep.equal([
        purposes("TREAT", "HPAYMT"),
        LABS_MEDS,
        until,
      ]);
      const start = await now();
      await expect(grantBy(f, f.clinic.address, purposes("TREAT"), LABS_MEDS, start, until))
        .to.emit(f.consent, "ConsentGranted")
        .withArgs(
          await f.consent.computeConsentId(f.patient.address, f.clinic.address, 1n),
          f.patient.address,
          f.clinic.address,
          purposes("TREAT"),
          LABS_MEDS,
          start,
          until,
          f.guardian.address,
        );
    });

    it("refuses a delegate's self-grant", async function () {
      const f = await load();
      const until = await delegated(f);
      const start = await now();
      await expectUnchanged(f, async () => {
        await expect(grantBy(f, f.guardian.address, purposes("TREAT"), 0n, start, until))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentDelegateSelfGrant")
          .withArgs(f.patient.address, f.guardian.address);
      });
    });

    it("refuses an over-scope grant: a purpose or category the delegation does not name", async function () {
      const f = await load();
      const until = await delegated(f);
      const start = await now();
      for (const [purposeMask, categoryMask] of [
        [purposes("TREAT", "HMARKT"), LABS_MEDS],
        [purposes("TREAT"), categories("labs", "imaging")],
      ] as const) {
        await expectUnchanged(f, async () => {
          await expect(grantBy(f, f.clinic.address, purposeMask, categoryMask, start, until))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentBeyondDelegation")
            .withArgs(f.patient.address, f.guardian.address, purposeMask, categoryMask);
        });
      }
    });

    it("refuses protected categories without an explicit scope, allows them with one", async function () {
      const f = await load();
      const until = await delegated(f);
      const start = await now();
      const asked = categories("labs", "mental-health", "genetics");
      await expectUnchanged(f, async () => {
        await expect(grantBy(f, f.clinic.address, purposes("TREAT"), asked, start, until))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentProtectedCategoryNotDelegated")
          .withArgs(f.patient.address, f.guardian.address, categories("mental-health", "genetics"));
      });
      await delegated(f, LABS_MEDS | categories("mental-health", "genetics"));
      await grantBy(f, f.clinic.address, purposes("TREAT"), asked, start, until);
    });

    it("refuses a grant that outlives the delegation", async function () {
      const f = await load();
      const until = await delegated(f);
      const start = await now();
      await expectUnchanged(f, async () => {
        await expect(grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, until + 1n))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentGrantOutlivesDelegation")
          .withArgs(f.patient.address, f.guardian.address, until + 1n, until);
      });
    });

    it("refuses a delegate's grant after the delegation ended or was removed", async function () {
      const f = await load();
      const until = await delegated(f);
      await time.increaseTo(until);
      let start = await now();
      await expectUnchanged(f, async () => {
        await expect(grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, start + HOUR))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
          .withArgs(f.guardian.address, f.patient.address);
      });
      const next = await delegated(f);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      start = await now();
      await expectUnchanged(f, async () => {
        await expect(grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, next))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentUnauthorizedCaller")
          .withArgs(f.guardian.address, f.patient.address);
      });
    });

    it("refuses a scope with an empty or undefined purpose mask or undefined categories", async function () {
      const f = await load();
      const until = (await now()) + DAY;
      await expectUnchanged(f, async () => {
        for (const purposeMask of [0n, 1n << 14n]) {
          await expect(
            f.consent.connect(f.patient).setDelegate(f.guardian.address, purposeMask, 0n, until),
          )
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidPurposes")
            .withArgs(purposeMask);
        }
        await expect(
          f.consent
            .connect(f.patient)
            .setDelegate(f.guardian.address, purposes("TREAT"), 1n << 12n, until),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidCategories")
          .withArgs(1n << 12n);
      });
    });
  });

  describe("break-glass cooldown (item 9)", function () {
    it("refuses a new window within the cooldown after the last one closed; every window is logged", async function () {
      const f = await load();
      const cooldown = await f.consent.breakGlassCooldown();
      expect(cooldown).to.equal(await f.consent.DEFAULT_BREAK_GLASS_COOLDOWN());
      await f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-1"));
      await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
      const closedAt = await now();
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-2")))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassCoolingDown")
          .withArgs(f.patient.address, f.responder.address, closedAt + cooldown);
      });
      await time.setNextBlockTimestamp(closedAt + cooldown);
      await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-2")))
        .to.emit(f.consent, "BreakGlassOpened")
        .withArgs(
          2n,
          f.patient.address,
          f.responder.address,
          id("incident-2"),
          closedAt + cooldown + DAY,
        );
      const opened = await f.consent.queryFilter(
        f.consent.filters.BreakGlassOpened(undefined, f.patient.address),
      );
      expect(opened.map((log) => log.args.breakGlassId)).to.deep.equal([1n, 2n]);
    });

    it("the cooldown is per (responder, patient): another patient is not blocked", async function () {
      const f = await load();
      await f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-1"));
      await f.consent.connect(f.responder).breakGlass(f.puppet.address, id("incident-2"));
    });

    it("the admin sets the cooldown within bounds; others cannot", async function () {
      const f = await load();
      await expect(f.consent.connect(f.admin).setBreakGlassCooldown(2n * HOUR))
        .to.emit(f.consent, "BreakGlassCooldownSet")
        .withArgs(24n * HOUR, 2n * HOUR);
      expect(await f.consent.breakGlassCooldown()).to.equal(2n * HOUR);
      const [shortest, longest] = [
        await f.consent.SHORTEST_BREAK_GLASS_COOLDOWN(),
        await f.consent.LONGEST_BREAK_GLASS_COOLDOWN(),
      ];
      expect([shortest, longest]).to.deep.equal([HOUR, 30n * DAY]);
      await expectUnchanged(f, async () => {
        for (const cooldown of [0n, shortest - 1n, longest + 1n]) {
          await expect(f.consent.connect(f.admin).setBreakGlassCooldown(cooldown))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentBreakGlassCooldownOutOfBounds")
            .withArgs(cooldown, shortest, longest);
        }
        await expect(f.consent.connect(f.responder).setBreakGlassCooldown(HOUR))
          .to.be.revertedWithCustomError(f.consent, "AccessControlUnauthorizedAccount")
          .withArgs(f.responder.address, ethers.ZeroHash);
      });
    });
  });

  describe("signed actions: digests and type strings match the SDK", function () {
    it("each digest view equals the SDK's hash, and the type strings are API 2's", async function () {
      const f = await load();
      expect(CONSENT_REVOCATION_TYPE_STRING).to.equal(
        "ConsentRevocation(address patient,address grantee,uint256 nonce,uint256 deadline)",
      );
      expect(DELEGATE_APPOINTMENT_TYPE_STRING).to.equal(
        "DelegateAppointment(address patient,address delegate,uint32 purposes,uint32 categories,uint48 until,uint256 nonce,uint256 deadline)",
      );
      expect(DELEGATE_REMOVAL_TYPE_STRING).to.equal(
        "DelegateRemoval(address patient,address delegate,uint256 nonce,uint256 deadline)",
      );
      const revocation: ConsentRevocation = {
        patient: f.patient.address,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline: 123n,
      };
      const appointment: DelegateAppointment = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        purposes: 5n,
        categories: 0x300n,
        until: 999n,
        nonce: 7n,
        deadline: 123n,
      };
      const removal: DelegateRemoval = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        nonce: 42n,
        deadline: 123n,
      };
      expect(await f.consent.consentRevocationDigest(revocation)).to.equal(
        hashConsentAction("ConsentRevocation", 31337n, f.address, revocation),
      );
      expect(await f.consent.delegateAppointmentDigest(appointment)).to.equal(
        hashConsentAction("DelegateAppointment", 31337n, f.address, appointment),
      );
      expect(await f.consent.delegateRemovalDigest(removal)).to.equal(
        hashConsentAction("DelegateRemoval", 31337n, f.address, removal),
      );
      expect(
        TypedDataEncoder.hash(
          {
            name: "carechain PatientConsent",
            version: "1",
            chainId: 31337n,
            verifyingContract: f.address,
          },
          {
            DelegateRemoval: [
              { name: "patient", type: "address" },
              { name: "delegate", type: "address" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          removal,
        ),
      ).to.equal(await f.consent.delegateRemovalDigest(removal));
    });

    it("serializes and parses each signed action, recovering the signer", async function () {
      const f = await load();
      const deadline = (await now()) + HOUR;
      for (const signed of [
        await signConsentRevocation(f.patient, f.address, { grantee: f.clinic.address, deadline }),
        await signDelegateAppointment(f.patient, f.address, {
          delegate: f.guardian.address,
          purposes: purposes("TREAT"),
          categories: LABS_MEDS,
          until: deadline + DAY,
          deadline,
        }),
        await signDelegateRemoval(f.patient, f.address, { delegate: f.guardian.address, deadline }),
      ]) {
        const parsed = parseSignedConsentAction(serializeSignedConsentAction(signed));
        expect(parsed).to.deep.equal(signed);
        expect(recoverConsentActionSigner(parsed)).to.equal(f.patient.address);
      }
      expect(() => parseSignedConsentAction('{"primaryType":"Other"}')).to.throw(
        "signed action: domain is missing",
      );
    });
  });

  describe("signed actions: the full lifecycle by signature, EOA and ERC-1271", function () {
    for (const kind of ["EOA", "ERC-1271 wallet"] as const) {
      it(`appoints, revokes and removes by signature (${kind})`, async function () {
        const f = await load();
        const patient = kind === "EOA" ? f.patient.address : f.walletAddress;
        const deadline = (await now()) + HOUR;
        const until = (await now()) + 30n * DAY;
        const appointment = await signDelegateAppointment(f.patient, f.address, {
          patient,
          delegate: f.guardian.address,
          purposes: purposes("TREAT"),
          categories: LABS_MEDS,
          until,
          deadline,
        });
        await expect(
          f.consent.connect(f.relayer).setDelegateBySig(appointment.message, appointment.signature),
        )
          .to.emit(f.consent, "DelegateSet")
          .withArgs(patient, f.guardian.address, purposes("TREAT"), LABS_MEDS, until);
        const start = await now();
        await f.consent
          .connect(f.guardian)
          .grantConsent(patient, f.clinic.address, purposes("TREAT"), LABS_MEDS, start, until);

        const revocation = await signConsentRevocation(f.patient, f.address, {
          patient,
          grantee: f.clinic.address,
          deadline,
        });
        await expect(
          f.consent.connect(f.relayer).revokeConsentBySig(revocation.message, revocation.signature),
        )
          .to.emit(f.consent, "ConsentRevoked")
          .withArgs(
            await f.consent.computeConsentId(patient, f.clinic.address, 1n),
            patient,
            f.clinic.address,
            patient,
          );

        const removal = await signDelegateRemoval(f.patient, f.address, {
          patient,
          delegate: f.guardian.address,
          deadline,
        });
        await expect(
          f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature),
        )
          .to.emit(f.consent, "DelegateRevoked")
          .withArgs(patient, f.guardian.address);
        expect(await f.consent.isDelegate(patient, f.guardian.address)).to.equal(false);
        expect(await f.consent.isRevocationNonceUsed(patient, removal.message.nonce)).to.equal(
          true,
        );
      });
    }

    it("revocations and removals by signature work while paused; appointments do not", async function () {
      const f = await load();
      const deadline = (await now()) + HOUR;
      const until = (await now()) + 30n * DAY;
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, purposes("TREAT"), LABS_MEDS, until);
      const start = await now();
      await f.consent
        .connect(f.patient)
        .grantConsent(f.patient.address, f.clinic.address, purposes("TREAT"), 0n, start, until);
      const appointment = await signDelegateAppointment(f.patient, f.address, {
        delegate: f.stranger.address,
        purposes: purposes("TREAT"),
        categories: 0n,
        until,
        deadline,
      });
      await f.consent.connect(f.admin).pause();
      await expectUnchanged(f, async () => {
        await expect(
          f.consent.connect(f.relayer).setDelegateBySig(appointment.message, appointment.signature),
        ).to.be.revertedWithCustomError(f.consent, "EnforcedPause");
      });
      const revocation = await signConsentRevocation(f.patient, f.address, {
        grantee: f.clinic.address,
        deadline,
      });
      await f.consent
        .connect(f.relayer)
        .revokeConsentBySig(revocation.message, revocation.signature);
      const removal = await signDelegateRemoval(f.patient, f.address, {
        delegate: f.guardian.address,
        deadline,
      });
      await f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature);
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
    });

    it("a removal voids an appointment signed before it (the stale appointment cannot restore the delegate)", async function () {
      const f = await load();
      const deadline = (await now()) + HOUR;
      const until = (await now()) + 30n * DAY;
      const stale = await signDelegateAppointment(f.patient, f.address, {
        delegate: f.guardian.address,
        purposes: purposes("TREAT"),
        categories: 0n,
        until,
        deadline,
      });
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, purposes("TREAT"), 0n, until);
      const removal = await signDelegateRemoval(f.patient, f.address, {
        delegate: f.guardian.address,
        deadline,
      });
      await f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature);
      await expectUnchanged(f, async () => {
        await expect(f.consent.connect(f.guardian).setDelegateBySig(stale.message, stale.signature))
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, 1n, 0n);
      });
    });
  });

  describe("signed actions: replay, another chain, another contract, wrong signer, expired, wrong nonce", function () {
    /** A fresh, valid signed action of each kind, with the ways to break it. */
    async function cases(f: Fixture) {
      const deadline = (await now()) + HOUR;
      const until = (await now()) + 30n * DAY;
      const start = await now();
      await f.consent
        .connect(f.patient)
        .grantConsent(f.patient.address, f.clinic.address, purposes("TREAT"), 0n, start, until);
      await f.consent
        .connect(f.patient)
        .setDelegate(f.guardian.address, purposes("TREAT"), 0n, until);
      const revocation: ConsentRevocation = {
        patient: f.patient.address,
        grantee: f.clinic.address,
        nonce: randomUnorderedNonce(),
        deadline,
      };
      const appointment: DelegateAppointment = {
        patient: f.patient.address,
        delegate: f.stranger.address,
        purposes: purposes("TREAT"),
        categories: 0n,
        until,
        nonce: await f.consent.nonces(f.patient.address),
        deadline,
      };
      const removal: DelegateRemoval = {
        patient: f.patient.address,
        delegate: f.guardian.address,
        nonce: randomUnorderedNonce(),
        deadline,
      };
      return [
        {
          name: "DelegateAppointment" as const,
          message: appointment,
          submit: (c: PatientConsent, m: DelegateAppointment, s: string) =>
            c.connect(f.relayer).setDelegateBySig(m, s),
        },
        {
          name: "ConsentRevocation" as const,
          message: revocation,
          submit: (c: PatientConsent, m: ConsentRevocation, s: string) =>
            c.connect(f.relayer).revokeConsentBySig(m, s),
        },
        {
          name: "DelegateRemoval" as const,
          message: removal,
          submit: (c: PatientConsent, m: DelegateRemoval, s: string) =>
            c.connect(f.relayer).revokeDelegateBySig(m, s),
        },
      ];
    }

    it("refuses a replay of each signed action", async function () {
      const f = await load();
      for (const c of await cases(f)) {
        const submit = c.submit as (
          p: PatientConsent,
          m: typeof c.message,
          s: string,
        ) => Promise<unknown>;
        const signature = await signFor(f.patient, c.name, c.message, f.address);
        await submit(f.consent, c.message, signature);
        await expectUnchanged(f, async () => {
          const replay = expect(submit(f.consent, c.message, signature)).to.be;
          if (c.name === "DelegateAppointment") {
            await replay.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce");
          } else {
            await replay
              .revertedWithCustomError(f.consent, "PatientConsentNonceAlreadyUsed")
              .withArgs(f.patient.address, c.message.nonce);
          }
        });
      }
    });

    it("refuses each signed action signed for another chain, another contract or by another key", async function () {
      const f = await load();
      const otherAddress = await f.other.getAddress();
      for (const c of await cases(f)) {
        const submit = c.submit as (
          p: PatientConsent,
          m: typeof c.message,
          s: string,
        ) => Promise<unknown>;
        const forged = [
          await signFor(f.patient, c.name, c.message, f.address, 1n),
          await signFor(f.patient, c.name, c.message, otherAddress),
          await signFor(f.stranger, c.name, c.message, f.address),
          await signFor(f.guardian, c.name, c.message, f.address),
        ];
        for (const signature of forged) {
          await expectUnchanged(f, async () => {
            await expect(submit(f.consent, c.message, signature))
              .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
              .withArgs(f.patient.address);
          });
        }
      }
    });

    it("refuses each signed action after its deadline", async function () {
      const f = await load();
      const all = await cases(f);
      const signatures = await Promise.all(
        all.map((c) => signFor(f.patient, c.name, c.message, f.address)),
      );
      await time.increaseTo(all[0]!.message.deadline + 1n);
      for (const [i, c] of all.entries()) {
        const submit = c.submit as (
          p: PatientConsent,
          m: typeof c.message,
          s: string,
        ) => Promise<unknown>;
        await expectUnchanged(f, async () => {
          await expect(submit(f.consent, c.message, signatures[i]!))
            .to.be.revertedWithCustomError(f.consent, "PatientConsentSignatureExpired")
            .withArgs(c.message.deadline);
        });
      }
    });

    it("refuses an appointment with a wrong nonce, and any tampered field", async function () {
      const f = await load();
      const [first, second, third] = await cases(f);
      const appointment = { message: first!.message as DelegateAppointment };
      const revocation = { message: second!.message as ConsentRevocation };
      const removal = { message: third!.message as DelegateRemoval };
      const ahead = { ...appointment.message, nonce: appointment.message.nonce + 1n };
      await expectUnchanged(f, async () => {
        await expect(
          f.consent
            .connect(f.relayer)
            .setDelegateBySig(
              ahead,
              await signFor(f.patient, "DelegateAppointment", ahead, f.address),
            ),
        )
          .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidNonce")
          .withArgs(f.patient.address, ahead.nonce - 1n, ahead.nonce);
      });
      // A relay that tampers with what the patient signed: a wider scope, another grantee or delegate.
      const tampered: [ConsentActionType, () => Promise<unknown>][] = [
        [
          "DelegateAppointment",
          async () =>
            f.consent
              .connect(f.relayer)
              .setDelegateBySig(
                { ...appointment.message, categories: 0xfffn },
                await signFor(f.patient, "DelegateAppointment", appointment.message, f.address),
              ),
        ],
        [
          "ConsentRevocation",
          async () =>
            f.consent
              .connect(f.relayer)
              .revokeConsentBySig(
                { ...revocation.message, grantee: f.stranger.address },
                await signFor(f.patient, "ConsentRevocation", revocation.message, f.address),
              ),
        ],
        [
          "DelegateRemoval",
          async () =>
            f.consent
              .connect(f.relayer)
              .revokeDelegateBySig(
                { ...removal.message, delegate: f.stranger.address },
                await signFor(f.patient, "DelegateRemoval", removal.message, f.address),
              ),
        ],
      ];
      for (const [, attempt] of tampered) {
        await expectUnchanged(f, async () => {
          await expect(attempt())
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
            .withArgs(f.patient.address);
        });
      }
    });

    it("an ERC-1271 wallet that refuses its key makes every signed action fail", async function () {
      const f = await load();
      await f.wallet.connect(f.patient).setRefuseAll(true);
      const deadline = (await now()) + HOUR;
      const revocation = await signConsentRevocation(f.patient, f.address, {
        patient: f.walletAddress,
        grantee: f.clinic.address,
        deadline,
      });
      const appointment = await signDelegateAppointment(f.patient, f.address, {
        patient: f.walletAddress,
        delegate: f.guardian.address,
        purposes: purposes("TREAT"),
        categories: 0n,
        until: deadline + DAY,
        deadline,
      });
      const removal = await signDelegateRemoval(f.patient, f.address, {
        patient: f.walletAddress,
        delegate: f.guardian.address,
        deadline,
      });
      await expectUnchanged(f, async () => {
        for (const attempt of [
          f.consent.connect(f.relayer).revokeConsentBySig(revocation.message, revocation.signature),
          f.consent.connect(f.relayer).setDelegateBySig(appointment.message, appointment.signature),
          f.consent.connect(f.relayer).revokeDelegateBySig(removal.message, removal.signature),
        ]) {
          await expect(attempt)
            .to.be.revertedWithCustomError(f.consent, "PatientConsentInvalidSignature")
            .withArgs(f.walletAddress);
        }
      });
    });
  });
});
