import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";

import { signConsentRevocation } from "../../sdk/patient-consent/index.js";
import { IPatientConsent__factory } from "../../typechain-types/index.js";
import { expectNothingChanged, expectRefused, expectRevert } from "../helpers/expect.js";
import { gasOf } from "../helpers/gas.js";
import {
  ALL_CATEGORIES,
  ALL_PURPOSES,
  DAY,
  HOUR,
  LABS_MEDS,
  REASON,
  RECORD,
  categories,
  code,
  consentState,
  draftGrant,
  ethers,
  grantAs,
  grantDefault,
  grantMessage,
  load,
  now,
  purposes,
  sign,
  signFor,
  time,
  relayGrant,
  authorized,
  appoint,
} from "../helpers/patient-consent.js";
import type { Fixture } from "../helpers/patient-consent.js";

/*
 * Issue 11 (items 6-9) and MedRec's failures: each abuse tried by the participant who would gain
 * from it; every attempt ends in a named custom error and leaves the chain as it was.
 */

describe("PatientConsent", function () {
  describe("MedRec's failures, tried and refused", function () {
    it("a stranger cannot take over the contract or a patient's consents", async function () {
      const f = await load();
      await grantDefault(f);
      const start = await now();
      await expectNothingChanged(consentState(f), async () => {
        await expectRevert(
          f.consent.connect(f.stranger).beginDefaultAdminTransfer(f.stranger.address),
          f.consent,
          "AccessControlUnauthorizedAccount",
          f.stranger.address,
          ZeroHash,
        );
        await expectRevert(
          f.consent.connect(f.stranger).grantRole(f.EMERGENCY_ROLE, f.stranger.address),
          f.consent,
          "AccessControlUnauthorizedAccount",
          f.stranger.address,
          ZeroHash,
        );
        await expectRevert(
          grantAs(
            f,
            f.stranger,
            f.stranger.address,
            ALL_PURPOSES,
            ALL_CATEGORIES,
            start,
            start + DAY,
          ),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          f.stranger.address,
          f.patient.address,
        );
        await expectRevert(
          f.consent.connect(f.stranger).revokeConsent(f.patient.address, f.clinic.address),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          f.stranger.address,
          f.patient.address,
        );
      });
      // Not even the admin can consent on a patient's behalf.
      await expectRevert(
        grantAs(f, f.admin, f.admin.address, ALL_PURPOSES, ALL_CATEGORIES, start, start + DAY),
        f.consent,
        "PatientConsentUnauthorizedCaller",
        f.admin.address,
        f.patient.address,
      );
      expect(await f.consent.defaultAdmin()).to.equal(f.admin.address);
    });

    it("nobody overwrites a provider's consent or an anchored record", async function () {
      const f = await load();
      await grantDefault(f);
      await grantDefault(f, f.researcher);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, RECORD, LABS_MEDS);
      const start = await now();
      for (const caller of [f.stranger, f.clinic, f.researcher]) {
        await expectNothingChanged(consentState(f), async () => {
          await expectRevert(
            grantAs(
              f,
              caller,
              f.clinic.address,
              ALL_PURPOSES,
              ALL_CATEGORIES,
              start,
              start + 999n * DAY,
            ),
            f.consent,
            "PatientConsentUnauthorizedCaller",
            caller.address,
            f.patient.address,
          );
          // The clinic's own namespace holds the record already; anyone else lacks TREAT on every category.
          if (caller === f.clinic) {
            await expectRevert(
              f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, ALL_CATEGORIES),
              f.consent,
              "PatientConsentRecordAlreadyAnchored",
              f.clinic.address,
              RECORD,
            );
          } else {
            await expectRevert(
              f.consent.connect(caller).anchorRecord(f.patient.address, RECORD, ALL_CATEGORIES),
              f.consent,
              "PatientConsentNotAuthorized",
              f.patient.address,
              caller.address,
              code("TREAT"),
              ALL_CATEGORIES,
            );
          }
        });
      }
    });

    it("a guardian the patient removed stays removed: nobody else can restore it", async function () {
      const f = await load();
      const until = (await now()) + 365n * DAY;
      await appoint(f, f.guardian.address, until);
      await appoint(f, f.stranger.address, until);
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
      await expectRefused(
        consentState(f),
        () =>
          grantAs(
            f,
            f.guardian,
            f.guardian.address,
            ALL_PURPOSES,
            ALL_CATEGORIES,
            start,
            start + DAY,
          ),
        f.consent,
        "PatientConsentUnauthorizedCaller",
        f.guardian.address,
        f.patient.address,
      );
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
            grantAs(
              f,
              f.patient,
              f.clinic.address,
              purposes("TREAT"),
              LABS_MEDS,
              start,
              start + DAY,
            ),
        ],
        ["ConsentGranted", () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature)],
        ["DelegateSet", () => appoint(f, f.guardian.address, start + DAY)],
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
        grantAs(f, f.patient, f.clinic.address, purposes("TREAT"), LABS_MEDS, start, start + DAY),
      );
      expect(gas).to.be.lessThan(80_000n);
    });
  });

  describe("issue 11 items 6-9: each abuse tried by whom it would profit", function () {
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
        await grantAs(
          f,
          f.patient,
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
        await expectNothingChanged(consentState(f), async () => {
          await expectRevert(
            f.consent.connect(f.squatter).anchorRecord(f.puppet.address, RECORD, LABS_MEDS),
            f.consent,
            "PatientConsentRecordAlreadyAnchored",
            f.squatter.address,
            RECORD,
          );
          await expectRevert(
            f.consent
              .connect(f.clinic)
              .logAccess(f.patient.address, f.squatter.address, RECORD, code("TREAT")),
            f.consent,
            "PatientConsentRecordPatientMismatch",
            f.squatter.address,
            RECORD,
            f.patient.address,
          );
        });
      });
    });

    describe("stale signed grants (item 7)", function () {
      it("a grant signed before a revocation by transaction is refused after it", async function () {
        const f = await load();
        const stale = await grantMessage(f, f.patient.address, 0n);
        const signature = await signFor(f.patient, "ConsentGrant", stale, f.address);
        const start = await now();
        await grantAs(
          f,
          f.patient,
          f.clinic.address,
          purposes("TREAT"),
          LABS_MEDS,
          start,
          start + DAY,
        );
        await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.clinic).grantConsentBySig(stale, signature),
          f.consent,
          "PatientConsentSignedGrantsBlocked",
          f.patient.address,
          f.clinic.address,
        );
        expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
        // A grant by transaction (here a narrower one) lifts the block and burns the deferred nonce: the stale
        // grant can still not override it, while a grant signed afterwards works.
        await expect(
          grantAs(
            f,
            f.patient,
            f.clinic.address,
            purposes("TREAT"),
            categories("labs"),
            start,
            start + HOUR,
          ),
        )
          .to.emit(f.consent, "NonceInvalidated")
          .withArgs(f.patient.address, 0n);
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.clinic).grantConsentBySig(stale, signature),
          f.consent,
          "PatientConsentInvalidNonce",
          f.patient.address,
          1n,
          0n,
        );
        await relayGrant(f, 1n);
      });

      it("a grant signed before a signed revocation is refused after it; a later one works", async function () {
        const f = await load();
        await relayGrant(f, 0n);
        const stale = await grantMessage(f, f.patient.address, 1n);
        const staleSignature = await signFor(f.patient, "ConsentGrant", stale, f.address);
        const revocation = await signConsentRevocation(f.patient, f.address, {
          grantee: f.clinic.address,
          deadline: (await now()) + HOUR,
        });
        await f.consent
          .connect(f.relayer)
          .revokeConsentBySig(revocation.message, revocation.signature);
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.clinic).grantConsentBySig(stale, staleSignature),
          f.consent,
          "PatientConsentInvalidNonce",
          f.patient.address,
          2n,
          1n,
        );
        await relayGrant(f, 2n);
        expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(true);
      });

      it("a grantee front-running a signed revocation with a stale grant: the revocation still revokes", async function () {
        const f = await load();
        await relayGrant(f, 0n);
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
        expect(await authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
        expect(await f.consent.isRevocationNonceUsed(f.patient.address, revocation.message.nonce))
          .to.be.true;
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
      ) => grantAs(f, f.guardian, grantee, purposeMask, categoryMask, start, end);

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
        await expectRefused(
          consentState(f),
          () => grantBy(f, f.guardian.address, purposes("TREAT"), 0n, start, until),
          f.consent,
          "PatientConsentDelegateSelfGrant",
          f.patient.address,
          f.guardian.address,
        );
      });

      it("refuses an over-scope grant: a purpose or category the delegation does not name", async function () {
        const f = await load();
        const until = await delegated(f);
        const start = await now();
        for (const [purposeMask, categoryMask] of [
          [purposes("TREAT", "HMARKT"), LABS_MEDS],
          [purposes("TREAT"), categories("labs", "imaging")],
        ] as const) {
          await expectRefused(
            consentState(f),
            () => grantBy(f, f.clinic.address, purposeMask, categoryMask, start, until),
            f.consent,
            "PatientConsentBeyondDelegation",
            f.patient.address,
            f.guardian.address,
            purposeMask,
            categoryMask,
          );
        }
      });

      it("refuses protected categories without an explicit scope, allows them with one", async function () {
        const f = await load();
        const until = await delegated(f);
        const start = await now();
        const asked = categories("labs", "mental-health", "genetics");
        await expectRefused(
          consentState(f),
          () => grantBy(f, f.clinic.address, purposes("TREAT"), asked, start, until),
          f.consent,
          "PatientConsentProtectedCategoryNotDelegated",
          f.patient.address,
          f.guardian.address,
          categories("mental-health", "genetics"),
        );
        await delegated(f, LABS_MEDS | categories("mental-health", "genetics"));
        await grantBy(f, f.clinic.address, purposes("TREAT"), asked, start, until);
      });

      it("refuses a grant that outlives the delegation", async function () {
        const f = await load();
        const until = await delegated(f);
        const start = await now();
        await expectRefused(
          consentState(f),
          () => grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, until + 1n),
          f.consent,
          "PatientConsentGrantOutlivesDelegation",
          f.patient.address,
          f.guardian.address,
          until + 1n,
          until,
        );
      });

      it("refuses a delegate's grant after the delegation ended or was removed", async function () {
        const f = await load();
        const until = await delegated(f);
        await time.increaseTo(until);
        let start = await now();
        await expectRefused(
          consentState(f),
          () => grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, start + HOUR),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          f.guardian.address,
          f.patient.address,
        );
        const next = await delegated(f);
        await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
        start = await now();
        await expectRefused(
          consentState(f),
          () => grantBy(f, f.clinic.address, purposes("TREAT"), 0n, start, next),
          f.consent,
          "PatientConsentUnauthorizedCaller",
          f.guardian.address,
          f.patient.address,
        );
      });

      it("refuses a scope with an empty or undefined purpose mask or undefined categories", async function () {
        const f = await load();
        const until = (await now()) + DAY;
        await expectNothingChanged(consentState(f), async () => {
          for (const purposeMask of [0n, 1n << 14n]) {
            await expectRevert(
              f.consent.connect(f.patient).setDelegate(f.guardian.address, purposeMask, 0n, until),
              f.consent,
              "PatientConsentInvalidPurposes",
              purposeMask,
            );
          }
          await expectRevert(
            f.consent
              .connect(f.patient)
              .setDelegate(f.guardian.address, purposes("TREAT"), 1n << 12n, until),
            f.consent,
            "PatientConsentInvalidCategories",
            1n << 12n,
          );
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
        await expectRefused(
          consentState(f),
          () => f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-2")),
          f.consent,
          "PatientConsentBreakGlassCoolingDown",
          f.patient.address,
          f.responder.address,
          closedAt + cooldown,
        );
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
        await expectNothingChanged(consentState(f), async () => {
          for (const cooldown of [0n, shortest - 1n, longest + 1n]) {
            await expectRevert(
              f.consent.connect(f.admin).setBreakGlassCooldown(cooldown),
              f.consent,
              "PatientConsentBreakGlassCooldownOutOfBounds",
              cooldown,
              shortest,
              longest,
            );
          }
          await expectRevert(
            f.consent.connect(f.responder).setBreakGlassCooldown(HOUR),
            f.consent,
            "AccessControlUnauthorizedAccount",
            f.responder.address,
            ethers.ZeroHash,
          );
        });
      });
    });
  });
});
