import { expect } from "chai";
import { ZeroHash, id } from "ethers";
import type { ContractTransactionResponse } from "ethers";

import { signConsentRevocation } from "../../sdk/patient-consent/index.js";
import type { ConsentGrant } from "../../sdk/patient-consent/index.js";
import { IPatientConsent__factory } from "../../typechain-types/index.js";
import { gasOf } from "../helpers/gas.js";
import * as pc from "../helpers/patient-consent.js";
import type { Fixture } from "../helpers/patient-consent.js";

/*
 * Issue 11 (items 6-9) and MedRec's failures: each abuse tried by the participant who would gain
 * from it; every attempt ends in a named custom error and leaves the chain as it was.
 */

describe("PatientConsent", function () {
  describe("MedRec's failures, tried and refused", function () {
    it("a stranger cannot take over the contract or a patient's consents", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      const start = await pc.now();
      const stranger = f.consent.connect(f.stranger);
      const attempts: [() => Promise<unknown>, string, unknown[]][] = [
        [
          () => stranger.beginDefaultAdminTransfer(f.stranger.address),
          "AccessControlUnauthorizedAccount",
          [f.stranger.address, ZeroHash],
        ],
        [
          () => stranger.grantRole(f.EMERGENCY_ROLE, f.stranger.address),
          "AccessControlUnauthorizedAccount",
          [f.stranger.address, ZeroHash],
        ],
        [
          () => pc.grantEverything(f, f.stranger, f.stranger.address, start),
          "PatientConsentUnauthorizedCaller",
          [f.stranger.address, f.patient.address],
        ],
        [
          () => stranger.revokeConsent(f.patient.address, f.clinic.address),
          "PatientConsentUnauthorizedCaller",
          [f.stranger.address, f.patient.address],
        ],
      ];
      await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
        for (const [call, error, args] of attempts) {
          await pc.expectRevert(call(), f.consent, error, ...args);
        }
      });
      // Not even the admin can consent on a patient's behalf.
      await pc.refusesUnauthorizedCaller(f, f.admin, () =>
        pc.grantEverything(f, f.admin, f.admin.address, start),
      );
      expect(await f.consent.defaultAdmin()).to.equal(f.admin.address);
    });

    it("nobody overwrites a provider's consent or an anchored record", async function () {
      const f = await pc.load();
      await pc.grantDefault(f);
      await pc.grantDefault(f, f.researcher);
      await f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS);
      const start = await pc.now();
      for (const caller of [f.stranger, f.clinic, f.researcher]) {
        await pc.refusesUnauthorizedCaller(f, caller, () =>
          pc.grantEverything(f, caller, f.clinic.address, start, start + 999n * pc.DAY),
        );
        // The clinic's own namespace holds the record already; anyone else lacks TREAT on every category.
        const [error, ...args]: [string, ...unknown[]] =
          caller === f.clinic
            ? ["PatientConsentRecordAlreadyAnchored", f.clinic.address, pc.RECORD]
            : [
                "PatientConsentNotAuthorized",
                f.patient.address,
                caller.address,
                pc.code("TREAT"),
                pc.ALL_CATEGORIES,
              ];
        await pc.refuses(pc.watchConsent(f), error, args, () =>
          f.consent.connect(caller).anchorRecord(f.patient.address, pc.RECORD, pc.ALL_CATEGORIES),
        );
      }
    });

    it("a guardian the patient removed stays removed: nobody else can restore it", async function () {
      const f = await pc.load();
      const until = (await pc.now()) + 365n * pc.DAY;
      await pc.appoint(f, f.guardian.address, until);
      await pc.appoint(f, f.stranger.address, until);
      await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
      // Every other party tries the only door there is: setDelegate appoints for the caller alone.
      for (const caller of [f.guardian, f.stranger, f.admin, f.clinic]) {
        await f.consent
          .connect(caller)
          .setDelegate(
            caller === f.guardian ? f.stranger.address : f.guardian.address,
            pc.ALL_PURPOSES,
            pc.ALL_CATEGORIES,
            until,
          );
      }
      expect(await f.consent.isDelegate(f.patient.address, f.guardian.address)).to.equal(false);
      expect(await f.consent.delegationEndOf(f.patient.address, f.guardian.address)).to.equal(0n);
      const start = await pc.now();
      await pc.refusesUnauthorizedCaller(f, f.guardian, () =>
        pc.grantEverything(f, f.guardian, f.guardian.address, start),
      );
    });

    it("every state change emits an event", async function () {
      const f = await pc.load();
      const start = await pc.now();
      const grant = await pc.draftGrant(f, { grantee: f.insurer.address });
      const signature = await pc.sign(f, f.patient, grant);
      const steps: [string, () => Promise<ContractTransactionResponse>][] = [
        ["ConsentGranted", () => pc.grantWith(f, { start })],
        ["ConsentGranted", () => f.consent.connect(f.relayer).grantConsentBySig(grant, signature)],
        ["DelegateSet", () => pc.appoint(f, f.guardian.address, start + pc.DAY)],
        ["DelegateRevoked", () => f.consent.connect(f.patient).revokeDelegate(f.guardian.address)],
        ["NonceInvalidated", () => f.consent.connect(f.patient).invalidateNonce()],
        [
          "RecordAnchored",
          () =>
            f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS),
        ],
        ["AccessLogged", () => pc.logAs(f, f.clinic, f.clinic.address, pc.RECORD, "TREAT")],
        [
          "BreakGlassOpened",
          () => f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON),
        ],
        ["BreakGlassEnded", () => f.consent.connect(f.responder).endBreakGlass(f.patient.address)],
        [
          "ConsentRevoked",
          () => f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address),
        ],
        [
          "MaxBreakGlassDurationSet",
          () => f.consent.connect(f.admin).setMaxBreakGlassDuration(pc.HOUR),
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
      const f = await pc.load();
      const { end } = await pc.grantDefault(f); // TREAT + HPAYMT on labs + medications, 30 days
      const ask = (purpose: bigint, mask: bigint) =>
        f.consent.isAuthorized(f.patient.address, f.clinic.address, purpose, mask);
      expect(await ask(pc.code("TREAT"), pc.LABS_MEDS)).to.equal(true);
      expect(await ask(pc.code("HMARKT"), 0n)).to.equal(false); // purpose
      expect(await ask(pc.code("TREAT"), pc.categories("substance-use"))).to.equal(false); // scope
      await pc.time.increaseTo(end);
      expect(await ask(pc.code("TREAT"), pc.LABS_MEDS)).to.equal(false); // expiry
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
      const f = await pc.load();
      const start = await pc.now();
      const gas = await gasOf(pc.grantWith(f, { start }));
      expect(gas).to.be.lessThan(80_000n);
    });
  });

  describe("issue 11 items 6-9: each abuse tried by whom it would profit", function () {
    describe("record namespaces (item 6)", function () {
      it("a squatter's anchor of the real hash (front-run or guessed) occupies only its own namespace", async function () {
        const f = await pc.load();
        const start = await pc.now();
        // The squatter's puppet "patient" consents to the squatter, which anchors the real hash first.
        await pc.grantWith(f, {
          patient: f.puppet.address,
          by: f.puppet,
          grantee: f.squatter.address,
          start,
        });
        await f.consent.connect(f.squatter).anchorRecord(f.puppet.address, pc.RECORD, pc.LABS_MEDS);
        // The real provider still anchors it, for the real patient, in its own namespace.
        await pc.grantWith(f, { start });
        await expect(
          f.consent.connect(f.clinic).anchorRecord(f.patient.address, pc.RECORD, pc.LABS_MEDS),
        )
          .to.emit(f.consent, "RecordAnchored")
          .withArgs(pc.RECORD, f.patient.address, f.clinic.address, pc.LABS_MEDS);
        expect((await f.consent.recordOf(f.clinic.address, pc.RECORD)).patient).to.equal(
          f.patient.address,
        );
        // Its access logging works, naming its namespace.
        await expect(pc.logAs(f, f.clinic, f.clinic.address, pc.RECORD, "TREAT")).to.emit(
          f.consent,
          "AccessLogged",
        );
        // The squatter can neither take the clinic's namespace nor pass its record off as the patient's.
        await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
          await pc.expectRevert(
            f.consent.connect(f.squatter).anchorRecord(f.puppet.address, pc.RECORD, pc.LABS_MEDS),
            f.consent,
            "PatientConsentRecordAlreadyAnchored",
            f.squatter.address,
            pc.RECORD,
          );
          await pc.expectRevert(
            pc.logAs(f, f.clinic, f.squatter.address, pc.RECORD, "TREAT"),
            f.consent,
            "PatientConsentRecordPatientMismatch",
            f.squatter.address,
            pc.RECORD,
            f.patient.address,
          );
        });
      });
    });

    describe("stale signed grants (item 7)", function () {
      /** The clinic's `stale` grant is refused (the patient's nonce is at `current`); a fresh one with `current` works. */
      async function staleRefusedFreshWorks(
        f: Fixture,
        stale: ConsentGrant,
        signature: string,
        current: bigint,
      ) {
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentInvalidNonce",
          [f.patient.address, current, stale.nonce],
          () => f.consent.connect(f.clinic).grantConsentBySig(stale, signature),
        );
        await pc.relayGrant(f, current);
      }

      it("a grant signed before a revocation by transaction is refused after it", async function () {
        const f = await pc.load();
        const stale = await pc.grantMessage(f, f.patient.address, 0n);
        const signature = await pc.signFor(f.patient, "ConsentGrant", stale, f.address);
        const start = await pc.now();
        await pc.grantWith(f, { start });
        await f.consent.connect(f.patient).revokeConsent(f.patient.address, f.clinic.address);
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentSignedGrantsBlocked",
          [f.patient.address, f.clinic.address],
          () => f.consent.connect(f.clinic).grantConsentBySig(stale, signature),
        );
        expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
        // A grant by transaction (here a narrower one) lifts the block and burns the deferred nonce: the stale
        // grant can still not override it, while a grant signed afterwards works.
        await expect(
          pc.grantWith(f, { categories: pc.categories("labs"), start, end: start + pc.HOUR }),
        )
          .to.emit(f.consent, "NonceInvalidated")
          .withArgs(f.patient.address, 0n);
        await staleRefusedFreshWorks(f, stale, signature, 1n);
      });

      /** A relayed grant (nonce 0), a second grant signed but not sent (nonce 1), a signed revocation. */
      async function staleGrantAndRevocation(f: Fixture) {
        await pc.relayGrant(f, 0n);
        const stale = await pc.grantMessage(f, f.patient.address, 1n);
        const staleSignature = await pc.signFor(f.patient, "ConsentGrant", stale, f.address);
        const revocation = await signConsentRevocation(f.patient, f.address, {
          grantee: f.clinic.address,
          deadline: (await pc.now()) + pc.HOUR,
        });
        return { stale, staleSignature, revocation };
      }

      it("a grant signed before a signed revocation is refused after it; a later one works", async function () {
        const f = await pc.load();
        const { stale, staleSignature, revocation } = await staleGrantAndRevocation(f);
        await pc.relayAction(f, revocation);
        await staleRefusedFreshWorks(f, stale, staleSignature, 2n);
        expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(true);
      });

      it("a grantee front-running a signed revocation with a stale grant: the revocation still revokes", async function () {
        const f = await pc.load();
        const { stale, staleSignature, revocation } = await staleGrantAndRevocation(f);
        // The clinic sees the revocation coming and submits its stale grant first (consuming nonce 1).
        await f.consent.connect(f.clinic).grantConsentBySig(stale, staleSignature);
        await expect(pc.relayAction(f, revocation))
          .to.emit(f.consent, "ConsentRevoked")
          .withArgs(
            await f.consent.consentIdOf(f.patient.address, f.clinic.address),
            f.patient.address,
            f.clinic.address,
            f.patient.address,
          );
        expect(await pc.authorized(f, f.clinic.address, "TREAT", 0n)).to.equal(false);
        expect(await f.consent.isRevocationNonceUsed(f.patient.address, revocation.message.nonce))
          .to.be.true;
      });
    });

    describe("scoped delegates (item 8)", function () {
      async function delegated(f: Fixture, scopeCategories = pc.LABS_MEDS) {
        const until = (await pc.now()) + 30n * pc.DAY;
        await f.consent
          .connect(f.patient)
          .setDelegate(f.guardian.address, pc.purposes("TREAT", "HPAYMT"), scopeCategories, until);
        return until;
      }
      const grantBy = (
        f: Fixture,
        grantee: string,
        purposeMask: bigint,
        categoryMask: bigint,
        start: bigint,
        end: bigint,
      ) => pc.grantAs(f, f.guardian, grantee, purposeMask, categoryMask, start, end);

      it("grants inside its scope and records the scope", async function () {
        const f = await pc.load();
        const until = await delegated(f);
        const delegation = await f.consent.delegationOf(f.patient.address, f.guardian.address);
        expect([delegation.purposes, delegation.categories, delegation.until]).to.deep.equal([
          pc.purposes("TREAT", "HPAYMT"),
          pc.LABS_MEDS,
          until,
        ]);
        const start = await pc.now();
        await expect(grantBy(f, f.clinic.address, pc.purposes("TREAT"), pc.LABS_MEDS, start, until))
          .to.emit(f.consent, "ConsentGranted")
          .withArgs(
            await f.consent.computeConsentId(f.patient.address, f.clinic.address, 1n),
            f.patient.address,
            f.clinic.address,
            pc.purposes("TREAT"),
            pc.LABS_MEDS,
            start,
            until,
            f.guardian.address,
          );
      });

      /** The refusals of a delegate's grant right after `delegated`: each case's error, arguments and grant. */
      const refusals: Record<
        string,
        (f: Fixture, start: bigint, until: bigint) => [string, unknown[], () => Promise<unknown>]
      > = {
        "refuses a delegate's self-grant": (f, start, until) => [
          "PatientConsentDelegateSelfGrant",
          [f.patient.address, f.guardian.address],
          () => grantBy(f, f.guardian.address, pc.purposes("TREAT"), 0n, start, until),
        ],
        "refuses an over-scope grant: a purpose the delegation does not name": (
          f,
          start,
          until,
        ) => {
          const purposeMask = pc.purposes("TREAT", "HMARKT");
          return [
            "PatientConsentBeyondDelegation",
            [f.patient.address, f.guardian.address, purposeMask, pc.LABS_MEDS],
            () => grantBy(f, f.clinic.address, purposeMask, pc.LABS_MEDS, start, until),
          ];
        },
        "refuses an over-scope grant: a category the delegation does not name": (
          f,
          start,
          until,
        ) => {
          const categoryMask = pc.categories("labs", "imaging");
          const treat = pc.purposes("TREAT");
          return [
            "PatientConsentBeyondDelegation",
            [f.patient.address, f.guardian.address, treat, categoryMask],
            () => grantBy(f, f.clinic.address, treat, categoryMask, start, until),
          ];
        },
        "refuses a grant that outlives the delegation": (f, start, until) => [
          "PatientConsentGrantOutlivesDelegation",
          [f.patient.address, f.guardian.address, until + 1n, until],
          () => grantBy(f, f.clinic.address, pc.purposes("TREAT"), 0n, start, until + 1n),
        ],
      };
      for (const [name, refusal] of Object.entries(refusals)) {
        it(name, async function () {
          const f = await pc.load();
          const until = await delegated(f);
          const [error, args, grant] = refusal(f, await pc.now(), until);
          await pc.refuses(pc.watchConsent(f), error, args, grant);
        });
      }

      it("refuses protected categories without an explicit scope, allows them with one", async function () {
        const f = await pc.load();
        const until = await delegated(f);
        const start = await pc.now();
        const asked = pc.categories("labs", "mental-health", "genetics");
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentProtectedCategoryNotDelegated",
          [f.patient.address, f.guardian.address, pc.categories("mental-health", "genetics")],
          () => grantBy(f, f.clinic.address, pc.purposes("TREAT"), asked, start, until),
        );
        await delegated(f, pc.LABS_MEDS | pc.categories("mental-health", "genetics"));
        await grantBy(f, f.clinic.address, pc.purposes("TREAT"), asked, start, until);
      });

      it("refuses a delegate's grant after the delegation ended or was removed", async function () {
        const f = await pc.load();
        const until = await delegated(f);
        await pc.time.increaseTo(until);
        let start = await pc.now();
        await pc.refusesUnauthorizedCaller(f, f.guardian, () =>
          grantBy(f, f.clinic.address, pc.purposes("TREAT"), 0n, start, start + pc.HOUR),
        );
        const next = await delegated(f);
        await f.consent.connect(f.patient).revokeDelegate(f.guardian.address);
        start = await pc.now();
        await pc.refusesUnauthorizedCaller(f, f.guardian, () =>
          grantBy(f, f.clinic.address, pc.purposes("TREAT"), 0n, start, next),
        );
      });

      it("refuses a scope with an empty or undefined purpose mask or undefined categories", async function () {
        const f = await pc.load();
        const until = (await pc.now()) + pc.DAY;
        await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
          for (const purposeMask of [0n, 1n << 14n]) {
            await pc.expectRevert(
              f.consent.connect(f.patient).setDelegate(f.guardian.address, purposeMask, 0n, until),
              f.consent,
              "PatientConsentInvalidPurposes",
              purposeMask,
            );
          }
          await pc.expectRevert(
            f.consent
              .connect(f.patient)
              .setDelegate(f.guardian.address, pc.purposes("TREAT"), 1n << 12n, until),
            f.consent,
            "PatientConsentInvalidCategories",
            1n << 12n,
          );
        });
      });
    });

    describe("break-glass cooldown (item 9)", function () {
      it("refuses a new window within the cooldown after the last one closed; every window is logged", async function () {
        const f = await pc.load();
        const cooldown = await f.consent.breakGlassCooldown();
        expect(cooldown).to.equal(await f.consent.DEFAULT_BREAK_GLASS_COOLDOWN());
        await f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-1"));
        await f.consent.connect(f.responder).endBreakGlass(f.patient.address);
        const closedAt = await pc.now();
        await pc.refuses(
          pc.watchConsent(f),
          "PatientConsentBreakGlassCoolingDown",
          [f.patient.address, f.responder.address, closedAt + cooldown],
          () => f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-2")),
        );
        await pc.time.setNextBlockTimestamp(closedAt + cooldown);
        await expect(f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-2")))
          .to.emit(f.consent, "BreakGlassOpened")
          .withArgs(
            2n,
            f.patient.address,
            f.responder.address,
            id("incident-2"),
            closedAt + cooldown + pc.DAY,
          );
        const opened = await f.consent.queryFilter(
          f.consent.filters.BreakGlassOpened(undefined, f.patient.address),
        );
        expect(opened.map((log) => log.args.breakGlassId)).to.deep.equal([1n, 2n]);
      });

      it("the cooldown is per (responder, patient): another patient is not blocked", async function () {
        const f = await pc.load();
        await f.consent.connect(f.responder).breakGlass(f.patient.address, id("incident-1"));
        await f.consent.connect(f.responder).breakGlass(f.puppet.address, id("incident-2"));
      });

      it("the admin sets the cooldown within bounds; others cannot", async function () {
        const f = await pc.load();
        await expect(f.consent.connect(f.admin).setBreakGlassCooldown(2n * pc.HOUR))
          .to.emit(f.consent, "BreakGlassCooldownSet")
          .withArgs(24n * pc.HOUR, 2n * pc.HOUR);
        expect(await f.consent.breakGlassCooldown()).to.equal(2n * pc.HOUR);
        const [shortest, longest] = [
          await f.consent.SHORTEST_BREAK_GLASS_COOLDOWN(),
          await f.consent.LONGEST_BREAK_GLASS_COOLDOWN(),
        ];
        expect([shortest, longest]).to.deep.equal([pc.HOUR, 30n * pc.DAY]);
        await pc.expectNothingChanged(pc.consentStateOf(f), async () => {
          for (const cooldown of [0n, shortest - 1n, longest + 1n]) {
            await pc.expectRevert(
              f.consent.connect(f.admin).setBreakGlassCooldown(cooldown),
              f.consent,
              "PatientConsentBreakGlassCooldownOutOfBounds",
              cooldown,
              shortest,
              longest,
            );
          }
          await pc.expectRevert(
            f.consent.connect(f.responder).setBreakGlassCooldown(pc.HOUR),
            f.consent,
            "AccessControlUnauthorizedAccount",
            f.responder.address,
            pc.ethers.ZeroHash,
          );
        });
      });
    });
  });
});
