import { expect } from "chai";
import type { BaseContract, ContractTransactionResponse, Signer } from "ethers";

/** The OpenZeppelin surface every carechain contract shares (AccessControlDefaultAdminRules + Pausable). */
export interface AdminPausable extends BaseContract {
  DEFAULT_ADMIN_ROLE(): Promise<string>;
  defaultAdmin(): Promise<string>;
  hasRole(role: string, account: string): Promise<boolean>;
  paused(): Promise<boolean>;
  pause(): Promise<ContractTransactionResponse>;
  unpause(): Promise<ContractTransactionResponse>;
  grantRole(role: string, account: string): Promise<ContractTransactionResponse>;
  renounceRole(role: string, account: string): Promise<ContractTransactionResponse>;
  beginDefaultAdminTransfer(newAdmin: string): Promise<ContractTransactionResponse>;
  connect(runner: Signer): AdminPausable;
}

/** What the shared suite needs from one contract's fixture. */
export interface AdminPausableContext {
  contract: AdminPausable;
  admin: Signer;
  stranger: Signer;
  /** The account allowed to pause (the admin, or a pauser role holder). */
  pauser: Signer;
  /** The role that may pause, for the unauthorized-account error. */
  pauserRole: string;
  /** A state-changing call that succeeds when unpaused; it must revert with EnforcedPause when paused. */
  pausableCall: () => Promise<ContractTransactionResponse>;
}

/**
 * Behaviour shared by DrugTrace, PatientConsent and InsuranceClaim: least-privilege admin through
 * AccessControlDefaultAdminRules and an emergency pause.
 */
export function shouldBehaveLikeAdminPausable(load: () => Promise<AdminPausableContext>): void {
  describe("access control and pausing (shared behaviour)", function () {
    it("makes the deployer-chosen admin the single default admin", async function () {
      const { contract, admin } = await load();
      expect(await contract.defaultAdmin()).to.equal(await admin.getAddress());
      expect(
        await contract.hasRole(await contract.DEFAULT_ADMIN_ROLE(), await admin.getAddress()),
      ).to.equal(true);
    });

    it("refuses a second default admin granted directly", async function () {
      const { contract, admin, stranger } = await load();
      const role = await contract.DEFAULT_ADMIN_ROLE();
      await expect(
        contract.connect(admin).grantRole(role, await stranger.getAddress()),
      ).to.be.revertedWithCustomError(contract, "AccessControlEnforcedDefaultAdminRules");
      expect(await contract.hasRole(role, await stranger.getAddress())).to.equal(false);
    });

    it("refuses admin functions from a stranger", async function () {
      const { contract, stranger } = await load();
      await expect(
        contract.connect(stranger).beginDefaultAdminTransfer(await stranger.getAddress()),
      )
        .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
        .withArgs(await stranger.getAddress(), await contract.DEFAULT_ADMIN_ROLE());
    });

    it("refuses pause from a stranger and stays unpaused", async function () {
      const { contract, stranger, pauserRole } = await load();
      await expect(contract.connect(stranger).pause())
        .to.be.revertedWithCustomError(contract, "AccessControlUnauthorizedAccount")
        .withArgs(await stranger.getAddress(), pauserRole);
      expect(await contract.paused()).to.equal(false);
    });

    it("pauses state changes and resumes them on unpause", async function () {
      const { contract, pauser, pausableCall } = await load();
      await expect(contract.connect(pauser).pause())
        .to.emit(contract, "Paused")
        .withArgs(await pauser.getAddress());
      expect(await contract.paused()).to.equal(true);
      await expect(pausableCall()).to.be.revertedWithCustomError(contract, "EnforcedPause");
      await expect(contract.connect(pauser).pause()).to.be.revertedWithCustomError(
        contract,
        "EnforcedPause",
      );
      await expect(contract.connect(pauser).unpause())
        .to.emit(contract, "Unpaused")
        .withArgs(await pauser.getAddress());
      const receipt = await (await pausableCall()).wait();
      expect(receipt?.status).to.equal(1);
    });

    it("refuses unpause when not paused", async function () {
      const { contract, pauser } = await load();
      await expect(contract.connect(pauser).unpause()).to.be.revertedWithCustomError(
        contract,
        "ExpectedPause",
      );
    });
  });
}
