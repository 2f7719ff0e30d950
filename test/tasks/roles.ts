import { expect } from "chai";
import { network } from "hardhat";

import { roleIdOf } from "../../sdk/roles.js";
import { claimsRoles } from "../../tasks/insurance-claim/roles.js";
import { consentRoles } from "../../tasks/patient-consent/roles.js";
import { deployCareChain } from "../../support/fixtures/suite.js";
import { expectFailed, runAction } from "./run.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function suiteFixture() {
  return deployCareChain(connection);
}

describe("roles tasks (claims roles, consent roles)", function () {
  it("onboards a provider, lists the roles and revokes it again (admin)", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const clinic = (await ethers.getSigners())[10]!.address;
    const address = await suite.insuranceClaim.getAddress();

    const granted = await runAction(
      claimsRoles,
      { account: clinic, grant: "provider", address },
      connection,
    );
    expect(await suite.insuranceClaim.hasRole(roleIdOf("PROVIDER"), clinic)).to.equal(true);
    expect(granted.stdout).to.match(/granted\s+PROVIDER_ROLE/);
    expect(granted.stdout).to.match(/roles\s+PROVIDER_ROLE$/);

    const revoked = await runAction(
      claimsRoles,
      { account: clinic, revoke: "PROVIDER_ROLE", address },
      connection,
    );
    expect(await suite.insuranceClaim.hasRole(roleIdOf("PROVIDER"), clinic)).to.equal(false);
    expect(revoked.stdout).to.match(/roles\s+\(none\)$/);
  });

  it("lists the default admin and an emergency responder on PatientConsent", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const address = await suite.patientConsent.getAddress();
    const responder = await runAction(
      consentRoles,
      { account: suite.accounts.emergency.address, address },
      connection,
    );
    expect(responder.stdout).to.match(/roles\s+EMERGENCY_ROLE$/);
    const admin = await runAction(
      consentRoles,
      { account: suite.accounts.admin.address, address },
      connection,
    );
    expect(admin.stdout).to.match(/roles\s+DEFAULT_ADMIN_ROLE$/);
  });

  it("refuses an unknown role word with the valid ones, and changes nothing", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const address = await suite.insuranceClaim.getAddress();
    const clinic = (await ethers.getSigners())[10]!.address;
    const refused = await runAction(
      claimsRoles,
      { account: clinic, grant: "adjuster", address },
      connection,
    );
    expectFailed(refused, "error: --grant adjuster is not one of insurer, provider, pauser");
    expect(await suite.insuranceClaim.hasRole(roleIdOf("INSURER"), clinic)).to.equal(false);
  });

  it("decodes a refusal when the signer is not the admin, and changes nothing", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const address = await suite.insuranceClaim.getAddress();
    const stranger = suite.accounts.sensor.address;
    const refused = await runAction(
      claimsRoles,
      { account: stranger, grant: "insurer", from: "5", address },
      connection,
    );
    expectFailed(
      refused,
      /^error: reverted with AccessControlUnauthorizedAccount\(account=0x[0-9a-fA-F]{40}/,
    );
    expect(await suite.insuranceClaim.hasRole(roleIdOf("INSURER"), stranger)).to.equal(false);
  });
});
