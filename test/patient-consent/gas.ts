import { expect } from "chai";
import { toBeHex } from "ethers";

import { GAS_CEILINGS, gasOf, intrinsicGas } from "../helpers/gas.js";
import * as pc from "../helpers/patient-consent.js";

const CEILING = GAS_CEILINGS.patientConsent;

describe("PatientConsent", function () {
  describe("gas ceilings (the targets)", function () {
    async function hundredConsentsFixture() {
      const f = await pc.deployConsentFixture();
      const start = await pc.now();
      for (let i = 0; i < 100; i++) {
        const grantee = pc.ethers.Wallet.createRandom().address;
        await pc.grantTerms(f, grantee, start, start + 365n * pc.DAY);
      }
      return f;
    }

    it("grantConsent ≤ 80k and grantConsentBySig ≤ 95k", async function () {
      const f = await pc.load();
      const start = await pc.now();
      const direct = await gasOf(pc.grantTerms(f, f.clinic.address, start, start + 30n * pc.DAY));
      const grant = await pc.draftGrant(f, { grantee: f.insurer.address });
      const signed = await gasOf(
        f.consent.connect(f.relayer).grantConsentBySig(grant, await pc.sign(f, f.patient, grant)),
      );
      expect(direct).to.be.at.most(CEILING.grantConsent);
      expect(signed).to.be.at.most(CEILING.grantConsentBySig);
    });

    it("revokeConsent ≤ 35k and the same after 1 or 100 consents on the patient", async function () {
      const one = await pc.load();
      await pc.grantDefault(one);
      const afterOne = await gasOf(
        one.consent.connect(one.patient).revokeConsent(one.patient.address, one.clinic.address),
      );
      const hundred = await pc.networkHelpers.loadFixture(hundredConsentsFixture);
      await pc.grantDefault(hundred);
      const afterHundred = await gasOf(
        hundred.consent
          .connect(hundred.patient)
          .revokeConsent(hundred.patient.address, hundred.clinic.address),
      );
      expect(afterOne).to.be.at.most(CEILING.revokeConsent);
      expect(afterHundred).to.equal(afterOne);
    });

    it("isAuthorized ≤ 10k execution gas with 100 consents on the patient", async function () {
      const f = await pc.networkHelpers.loadFixture(hundredConsentsFixture);
      await pc.grantDefault(f);
      const data = f.consent.interface.encodeFunctionData("isAuthorized", [
        f.patient.address,
        f.clinic.address,
        pc.code("TREAT"),
        pc.LABS_MEDS,
      ]);
      const estimate = await pc.ethers.provider.estimateGas({ to: f.address, data });
      expect(estimate - intrinsicGas(data)).to.be.at.most(CEILING.isAuthorized);
    });

    it("isAuthorized ≤ 10k execution gas on its longest path (ETREAT through break-glass)", async function () {
      const f = await pc.networkHelpers.loadFixture(hundredConsentsFixture);
      await f.consent.connect(f.responder).breakGlass(f.patient.address, pc.REASON);
      const data = f.consent.interface.encodeFunctionData("isAuthorized", [
        f.patient.address,
        f.responder.address,
        pc.code("ETREAT"),
        pc.ALL_CATEGORIES,
      ]);
      expect(await pc.ethers.provider.call({ to: f.address, data })).to.equal(toBeHex(1n, 32));
      const estimate = await pc.ethers.provider.estimateGas({ to: f.address, data });
      expect(estimate - intrinsicGas(data)).to.be.at.most(CEILING.isAuthorized);
    });
  });
});
