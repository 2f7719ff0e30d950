import { formatEther } from "ethers";

/*
 * What a transaction costs on an OP-stack L2 (Base, OP Mainnet): L2 execution (gas used × L2 gas
 * price) plus the L1 data fee for posting it to Ethereum. Since Fjord the L1 data fee is
 *
 *   l1FeeScaled         = baseFeeScalar · l1BaseFee · 16 + blobBaseFeeScalar · l1BlobBaseFee
 *   estimatedSizeScaled = max(100 · 1e6, −42,585,600 + 836,500 · fastlzSize)
 *   l1Fee               = estimatedSizeScaled · l1FeeScaled / 1e12
 *
 * and the receipt's `l1GasUsed` is estimatedSizeScaled · 16 / 1e6 (16 gas per estimated
 * compressed byte), so l1Fee = l1GasUsed · l1FeeScaled / (16 · 1e6). Hardhat's OP simulation
 * reports `l1GasUsed` but runs with zero scalars (its `l1Fee` is 0), so the fee is estimated here
 * from the receipt's `l1GasUsed` and the assumptions below.
 */

/** The prices an L2 cost estimate assumes. */
export interface L2FeeAssumptions {
  /** What the numbers stand for, in words. */
  readonly description: string;
  /** L1 (Ethereum) base fee, wei per gas. */
  readonly l1BaseFeeWei: bigint;
  /** L1 blob base fee, wei per blob gas. */
  readonly l1BlobBaseFeeWei: bigint;
  /** The L2's `GasPriceOracle.baseFeeScalar()` (scaled by 1e6). */
  readonly baseFeeScalar: bigint;
  /** The L2's `GasPriceOracle.blobBaseFeeScalar()` (scaled by 1e6). */
  readonly blobBaseFeeScalar: bigint;
  /** L2 gas price (base fee + priority fee), wei per gas. */
  readonly l2GasPriceWei: bigint;
  /** US dollars per ether. */
  readonly ethUsd: number;
}

/**
 * Assumptions for a Base-mainnet-like chain. The scalars are of the order Base has used since
 * Ecotone (read the live ones from GasPriceOracle at 0x420000000000000000000000000000000000000F);
 * a 1 gwei blob base fee is deliberately pessimistic (it often sits at its 1 wei minimum); the L2
 * gas price is five times Base's 0.002 gwei minimum base fee.
 */
export const BASE_LIKE_ASSUMPTIONS: L2FeeAssumptions = {
  description:
    "Base-mainnet-like: baseFeeScalar 2,269, blobBaseFeeScalar 1,055,762, L1 base fee 1 gwei, L1 blob base fee 1 gwei, L2 gas price 0.01 gwei, ETH at $3,000",
  l1BaseFeeWei: 1_000_000_000n,
  l1BlobBaseFeeWei: 1_000_000_000n,
  baseFeeScalar: 2_269n,
  blobBaseFeeScalar: 1_055_762n,
  l2GasPriceWei: 10_000_000n,
  ethUsd: 3_000,
};

/** The cost of one transaction on the L2, in wei. */
export interface L2Cost {
  readonly l2ExecutionFeeWei: bigint;
  readonly l1DataFeeWei: bigint;
  readonly totalFeeWei: bigint;
}

/**
 * The Fjord L1 data fee of a transaction whose receipt reports `l1GasUsed`.
 *
 * @example
 * l1DataFee(1_600n, BASE_LIKE_ASSUMPTIONS); // 100 estimated bytes
 */
export function l1DataFee(l1GasUsed: bigint, assumptions: L2FeeAssumptions): bigint {
  const l1FeeScaled =
    assumptions.baseFeeScalar * assumptions.l1BaseFeeWei * 16n +
    assumptions.blobBaseFeeScalar * assumptions.l1BlobBaseFeeWei;
  return (l1GasUsed * l1FeeScaled) / (16n * 1_000_000n);
}

/**
 * The L2 cost of a transaction: execution (gas used × L2 gas price) and L1 data.
 *
 * @example
 * const { totalFeeWei } = l2CostOf(60_000n, 1_600n, BASE_LIKE_ASSUMPTIONS);
 */
export function l2CostOf(
  gasUsed: bigint,
  l1GasUsed: bigint,
  assumptions: L2FeeAssumptions,
): L2Cost {
  const l2ExecutionFeeWei = gasUsed * assumptions.l2GasPriceWei;
  const l1DataFeeWei = l1DataFee(l1GasUsed, assumptions);
  return { l2ExecutionFeeWei, l1DataFeeWei, totalFeeWei: l2ExecutionFeeWei + l1DataFeeWei };
}

/**
 * Wei as ether, for tables: `formatEther`'s decimal string.
 *
 * @example
 * weiToEth(600_000_000_000n); // "0.0000006"
 */
export function weiToEth(wei: bigint): string {
  return formatEther(wei);
}

/**
 * Wei as US dollars at the assumed price, rounded to a millionth of a dollar.
 *
 * @example
 * weiToUsd(600_000_000_000n, BASE_LIKE_ASSUMPTIONS); // 0.0018
 */
export function weiToUsd(wei: bigint, assumptions: L2FeeAssumptions): number {
  const microUsd = (wei * BigInt(Math.round(assumptions.ethUsd * 1_000_000))) / 10n ** 18n;
  return Number(microUsd) / 1_000_000;
}
