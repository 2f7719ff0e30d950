import { expect } from "chai";
import { toBeHex } from "ethers";

import { GAS_CEILINGS, gasOf, intrinsicGas } from "../helpers/gas.js";
import {
  ALL_CATEGORIES,
  DAY,
  LABS_MEDS,
  REASON,
  code,
  deployConsentFixture,
  draftGrant,
  ethers,
  grantDefault,
  load,
  networkHelpers,
  now,
  purposes,
  sign,
} from "../helpers/patient-consent.js";

const CEILING = GAS_CEILINGS.patientConsent;

describe("PatientConsent", function () {
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
      expect(direct).to.be.at.most(CEILING.grantConsent);
      expect(signed).to.be.at.most(CEILING.grantConsentBySig);
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
      expect(afterOne).to.be.at.most(CEILING.revokeConsent);
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
      expect(estimate - intrinsicGas(data)).to.be.at.most(CEILING.isAuthorized);
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
      expect(estimate - intrinsicGas(data)).to.be.at.most(CEILING.isAuthorized);
    });
  });
});
