import { Wallet, dataSlice, getAddress, id } from "ethers";
import type { Signer } from "ethers";
import type { ChainType, NetworkConnection } from "hardhat/types/network";

import { deployCareChain } from "../../support/fixtures/suite.js";
import type {
  DrugTrace,
  InsuranceClaim,
  MockERC20,
  PatientConsent,
} from "../../typechain-types/index.js";

/**
 * The benchmark's chain starts at this time (2033-05-18), so timestamps in calldata (expiry,
 * periods, service dates) and hence calldata gas are the same on every run.
 */
export const BENCH_START = 2_000_000_000n;

export const DAY = 86_400n;

/** The deployed suite, its token and the accounts that play each part. */
export interface BenchSuite {
  readonly connection: NetworkConnection<ChainType>;
  readonly drugTrace: DrugTrace;
  readonly patientConsent: PatientConsent;
  readonly insuranceClaim: InsuranceClaim;
  readonly usdc: MockERC20;
  readonly admin: Signer;
  readonly manufacturer: Signer;
  readonly distributor: Signer;
  /** Dispenser in DrugTrace and provider in InsuranceClaim (the CareChain module's account 3). */
  readonly pharmacy: Signer;
  readonly regulator: Signer;
  readonly insurer: Signer;
  readonly adjuster: Signer;
  /** Account `i` of the node (the module gives 0 to 9 roles; 10 to 19 are free). */
  account(i: number): Signer;
}

/**
 * Moves the chain's clock to `BENCH_START` and deploys the suite through the `CareChain` Ignition
 * module (the path users take), plus a 6-decimal mock USDC.
 *
 * @example
 * const suite = await deployBenchSuite(await network.create());
 */
export async function deployBenchSuite(
  connection: NetworkConnection<ChainType>,
): Promise<BenchSuite> {
  const { ethers, networkHelpers } = connection;
  if (BigInt(await networkHelpers.time.latest()) < BENCH_START) {
    await networkHelpers.time.increaseTo(BENCH_START);
  }
  const { drugTrace, patientConsent, insuranceClaim, accounts } = await deployCareChain(connection);
  const signers = await ethers.getSigners();
  const account = (i: number): Signer => {
    const signer = signers[i];
    if (signer === undefined) throw new Error(`the network has no account ${i}`);
    return signer;
  };
  const usdc = await ethers.deployContract("MockERC20", ["USD Coin", "USDC", 6]);
  await usdc.waitForDeployment();
  return {
    connection,
    drugTrace,
    patientConsent,
    insuranceClaim,
    usdc,
    admin: accounts.admin,
    manufacturer: accounts.manufacturer,
    distributor: accounts.distributor,
    pharmacy: accounts.pharmacy,
    regulator: accounts.regulator,
    insurer: accounts.insurer,
    adjuster: accounts.adjuster,
    account,
  };
}

/**
 * `count` funded wallets with keys derived from `label`, the same on every run.
 *
 * @example
 * const providers = await fundedWallets(suite, "provider", 100);
 */
export async function fundedWallets(
  suite: BenchSuite,
  label: string,
  count: number,
): Promise<Wallet[]> {
  const { ethers, networkHelpers } = suite.connection;
  const wallets: Wallet[] = [];
  for (let i = 0; i < count; i++) {
    const wallet = new Wallet(id(`carechain bench key ${label} ${i}`), ethers.provider);
    await networkHelpers.setBalance(wallet.address, 10n ** 20n);
    wallets.push(wallet);
  }
  return wallets;
}

/**
 * A distinct address per `i`, the same on every run (consent grantees need no key).
 *
 * @example
 * labelledAddress("grantee", 7);
 */
export function labelledAddress(label: string, i: number): string {
  return getAddress(dataSlice(id(`carechain bench ${label} ${i}`), 12));
}
