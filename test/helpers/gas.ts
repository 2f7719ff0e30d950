import type { ContractTransactionResponse } from "ethers";

/*
 * Every gas ceiling the TypeScript tests assert, in one place (gas per transaction unless said
 * otherwise). They are the contract issues' targets with headroom over the measured cost; the
 * benchmarks (`npm run bench`) measure, these only catch a regression. `.gas-snapshot` and
 * `snapshots/` record the exact costs.
 */
export const GAS_CEILINGS = {
  drugTrace: {
    /** Prefix-ownership check included, for 1 and 1,000,000 units and for a contract manufacturer. */
    registerBatch: 85_000n,
    /** What 1,000,000 units may cost over 1 unit: two more non-zero calldata bytes (16 gas each). */
    registerBatchUnitCountCalldata: 32n,
    /** A repeat release by the manufacturer (measured 88.4k). */
    ship: 92_000n,
    /** A distributor's first release onward (measured 86.3k). */
    shipOnward: 94_000n,
    /** The first shipment of the contract and of the batch (measured 120.5k). */
    firstShip: 128_000n,
    /** Measured 41.8k. */
    acceptShipment: 45_000n,
    /** The recipient's first units of the batch (measured 58.9k). */
    firstAcceptShipment: 63_000n,
    /** With a 20-level proof, a unit in an opened bitmap word (measured 66.2k). */
    dispense: 70_000n,
    /** With a 20-level proof, the first unit of a bitmap word (measured 100.4k). */
    dispenseFirstOfWord: 106_000n,
    /** Measured 34.9k. */
    recall: 40_000n,
  },
  patientConsent: {
    grantConsent: 80_000n,
    grantConsentBySig: 95_000n,
    /** However many consents the patient has. */
    revokeConsent: 35_000n,
    /** Execution gas, with 100 consents on the patient, on its longest path too. */
    isAuthorized: 10_000n,
  },
  insuranceClaim: {
    createPolicy: 150_000n,
    /** Consent check included (with the mock and with the real PatientConsent). */
    submitClaim: 130_000n,
    approveClaim: 80_000n,
    payClaim: 90_000n,
    /** createPolicy + submitClaim + approveClaim + payClaim. */
    lifecycle: 450_000n,
    /** Per claim, in a batch of 100 paid to providers that never held the token. */
    payClaimsPerClaimOf100: 50_000n,
    voidClaim: 60_000n,
  },
} as const;

/** The gas a transaction used, once mined. */
export async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  return receipt!.gasUsed;
}

/** The intrinsic gas of a call with calldata `data` (21,000 plus 4 per zero and 16 per other byte). */
export function intrinsicGas(data: string): bigint {
  let gas = 21_000n;
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === "00" ? 4n : 16n;
  return gas;
}
