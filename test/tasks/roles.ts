import { expect } from "chai";
import { network } from "hardhat";

import { describeError } from "../../sdk/errors.js";
import { roleIdOf } from "../../sdk/roles.js";
import { runRoles } from "../../tasks/lib/roles.js";
import { deployCareChain } from "../../support/fixtures/suite.js";

const connection = await network.create();

/** The one line a failed task prints (after "error: "). */
async function failure(action: Promise<unknown>): Promise<string> {
  try {
    await action;
  } catch (error) {
    return describeError(error);
  }
  throw new Error("expected the task to fail");
}
const { ethers, networkHelpers } = connection;

async function suiteFixture() {
  return deployCareChain(connection);
}

describe("roles tasks (claims roles, consent roles)", function () {
  const ROLES = ["INSURER", "PROVIDER", "PAUSER"];

  it("onboards a provider, lists the roles and revokes it again (admin)", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const clinic = (await ethers.getSigners())[10]!.address;
    const address = await suite.insuranceClaim.getAddress();
    const printed: string[] = [];
    const print = (text: string): void => {
      printed.push(text);
    };

    await runRoles(
      { account: clinic, grant: "provider", address },
      ethers,
      "InsuranceClaim",
      ROLES,
      print,
    );
    expect(await suite.insuranceClaim.hasRole(roleIdOf("PROVIDER"), clinic)).to.equal(true);
    expect(printed.at(-1)).to.match(/granted\s+PROVIDER_ROLE/);
    expect(printed.at(-1)).to.match(/roles\s+PROVIDER_ROLE$/);

    await runRoles(
      { account: clinic, revoke: "PROVIDER_ROLE", address },
      ethers,
      "InsuranceClaim",
      ROLES,
      print,
    );
    expect(await suite.insuranceClaim.hasRole(roleIdOf("PROVIDER"), clinic)).to.equal(false);
    expect(printed.at(-1)).to.match(/roles\s+\(none\)$/);
  });

  it("lists the default admin and an emergency responder on PatientConsent", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const printed: string[] = [];
    const address = await suite.patientConsent.getAddress();
    await runRoles(
      { account: suite.accounts.emergency.address, address },
      ethers,
      "PatientConsent",
      ["EMERGENCY"],
      (text) => {
        printed.push(text);
      },
    );
    expect(printed[0]).to.match(/roles\s+EMERGENCY_ROLE$/);
    await runRoles(
      { account: suite.accounts.admin.address, address },
      ethers,
      "PatientConsent",
      ["EMERGENCY"],
      (text) => {
        printed.push(text);
      },
    );
    expect(printed[1]).to.match(/roles\s+DEFAULT_ADMIN_ROLE$/);
  });

  it("refuses an unknown role word with the valid ones, and changes nothing", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const address = await suite.insuranceClaim.getAddress();
    const clinic = (await ethers.getSigners())[10]!.address;
    expect(
      await failure(
        runRoles(
          { account: clinic, grant: "adjuster", address },
          ethers,
          "InsuranceClaim",
          ROLES,
          () => undefined,
        ),
      ),
    ).to.equal("--grant adjuster is not one of insurer, provider, pauser");
    expect(await suite.insuranceClaim.hasRole(roleIdOf("INSURER"), clinic)).to.equal(false);
  });

  it("decodes a refusal when the signer is not the admin, and changes nothing", async function () {
    const suite = await networkHelpers.loadFixture(suiteFixture);
    const address = await suite.insuranceClaim.getAddress();
    const stranger = suite.accounts.sensor.address;
    expect(
      await failure(
        runRoles(
          { account: stranger, grant: "insurer", from: "5", address },
          ethers,
          "InsuranceClaim",
          ROLES,
          () => undefined,
        ),
      ),
    ).to.match(/^reverted with AccessControlUnauthorizedAccount\(account=0x[0-9a-fA-F]{40}/);
    expect(await suite.insuranceClaim.hasRole(roleIdOf("INSURER"), stranger)).to.equal(false);
  });
});
