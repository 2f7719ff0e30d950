import type { ChainType, NetworkConnection } from "hardhat/types/network";

import { acceptShipment, batchIdOf, registerBatch, ship } from "../../sdk/drug-trace/index.js";
import type { SerialProof, SerialTree } from "../../sdk/drug-trace/index.js";
import { BENCH_EXPIRY, BENCH_GTIN, MILLION_LOT, dispensePair } from "./drug-trace.js";
import { WRITES } from "./writes.js";
import {
  approve,
  enroll,
  pay,
  setUpClaims,
  submitDrugUnit,
  submitVisit,
} from "./insurance-claim.js";
import { BASE_LIKE_ASSUMPTIONS, l2CostOf, weiToEth, weiToUsd } from "../../support/bench/l2-fee.js";
import type { L2FeeAssumptions } from "../../support/bench/l2-fee.js";
import { measureReceipt } from "./record.js";
import type { Measured } from "./record.js";
import { deployBenchSuite } from "./suite.js";

/** One operation's cost on the L2. */
export interface L2Entry {
  gas: number;
  /** The receipt's `l1GasUsed`: 16 × the Fjord estimated compressed size of the signed transaction. */
  l1DataGas: number;
  /** l1DataGas / 16: the estimated compressed size in bytes. */
  estimatedSizeBytes: number;
  l2ExecutionFeeEth: string;
  l1DataFeeEth: string;
  totalFeeEth: string;
  l2ExecutionFeeUsd: number;
  l1DataFeeUsd: number;
  totalFeeUsd: number;
  /** Which transactions, when the row adds several. */
  of?: string;
}

/** The L2 part of `bench/results.json`. */
export interface L2Results {
  network: string;
  assumptions: Record<string, string | number>;
  formula: string;
  operations: Record<string, L2Entry>;
}

function l2EntryOf(
  measured: readonly Measured[],
  assumptions: L2FeeAssumptions,
  of?: string,
): L2Entry {
  const gas = measured.reduce((sum, m) => sum + m.gas, 0n);
  const l1GasUsed = measured.reduce((sum, m) => {
    if (m.l1GasUsed === undefined) throw new Error(`receipt ${m.hash} has no l1GasUsed`);
    return sum + m.l1GasUsed;
  }, 0n);
  const cost = l2CostOf(gas, l1GasUsed, assumptions);
  return {
    gas: Number(gas),
    l1DataGas: Number(l1GasUsed),
    estimatedSizeBytes: Number(l1GasUsed) / 16,
    l2ExecutionFeeEth: weiToEth(cost.l2ExecutionFeeWei),
    l1DataFeeEth: weiToEth(cost.l1DataFeeWei),
    totalFeeEth: weiToEth(cost.totalFeeWei),
    l2ExecutionFeeUsd: weiToUsd(cost.l2ExecutionFeeWei, assumptions),
    l1DataFeeUsd: weiToUsd(cost.l1DataFeeWei, assumptions),
    totalFeeUsd: weiToUsd(cost.totalFeeWei, assumptions),
    ...(of === undefined ? {} : { of }),
  };
}

/**
 * The story on Hardhat's OP-stack simulation (`chainType: "op"`): the hot paths of the three
 * contracts, each with its L2 execution fee and its L1 data fee estimated from the receipt's
 * `l1GasUsed`.
 */
export async function benchL2(
  connection: NetworkConnection<ChainType>,
  million: { readonly tree: SerialTree; readonly units: readonly SerialProof[] },
): Promise<L2Results> {
  const assumptions = BASE_LIKE_ASSUMPTIONS;
  const suite = await deployBenchSuite(connection);
  const { drugTrace, manufacturer, distributor, pharmacy } = suite;
  const measured: Record<string, Measured[]> = {};
  const asManufacturer = drugTrace.connect(manufacturer);
  const asDistributor = drugTrace.connect(distributor);

  const registered = await registerBatch(asManufacturer, {
    gtin: BENCH_GTIN,
    lot: MILLION_LOT,
    expiry: BENCH_EXPIRY,
    unitCount: BigInt(million.tree.count),
    serialsRoot: million.tree.root,
  });
  measured.registerBatch = [
    await measureReceipt(connection, registered.receipt, WRITES.registerBatch),
  ];
  const batchId = batchIdOf(BENCH_GTIN, MILLION_LOT);
  const distributorAddress = await distributor.getAddress();
  // The first release also starts the shipment counter and the released count: steady state after it.
  const release = await ship(asManufacturer, { batchId, to: distributorAddress, quantity: 1000n });
  await acceptShipment(asDistributor, release.shipmentId);
  const shipped = await ship(asManufacturer, { batchId, to: distributorAddress, quantity: 1000n });
  measured.ship = [await measureReceipt(connection, shipped.receipt, WRITES.ship)];
  const accepted = await acceptShipment(asDistributor, shipped.shipmentId);
  measured.acceptShipment = [
    await measureReceipt(connection, accepted.receipt, WRITES.acceptShipment),
  ];
  const onward = await ship(asDistributor, {
    batchId,
    to: await pharmacy.getAddress(),
    quantity: 100n,
  });
  await acceptShipment(drugTrace.connect(pharmacy), onward.shipmentId);
  const [unitA, unitB] = million.units;
  if (unitA === undefined || unitB === undefined) throw new Error("no units to dispense");
  const { first, shared } = await dispensePair(suite, batchId, [unitA, unitB], () => undefined);
  if (shared === undefined) throw new Error("the two units do not share a bitmap word");
  measured["dispense:depth20 (first unit of its bitmap word)"] = [first];
  measured["dispense:depth20 (shared bitmap word)"] = [shared];

  const setup = await setUpClaims(suite, suite.account(15));
  const enrollment = await enroll(suite, setup, suite.account(8));
  measured.grantConsent = [
    await measureReceipt(connection, enrollment.grantConsent, [
      { change: "set", what: "the consent (one packed slot)" },
    ]),
  ];
  measured.createPolicy = [enrollment.createPolicy];
  const visit = await submitVisit(suite, enrollment, setup.clinic, "l2 visit");
  measured.submitClaim = [visit.measured];
  // The visit meets the deductible, so the pharmacy claim below pays out (and transfers).
  await approve(suite, visit.claimId);
  await submitDrugUnit(suite, enrollment, MILLION_LOT, unitA, true);
  const drugClaim = await submitDrugUnit(suite, enrollment, MILLION_LOT, unitB, false);
  const approved = await approve(suite, drugClaim.claimId);
  const paid = await pay(suite, drugClaim.claimId);
  measured.submitDrugClaim = [drugClaim.measured];
  measured.approveClaim = [approved];
  measured.payClaim = [paid];
  const paidClaim = [drugClaim.measured, approved, paid];

  const operations: Record<string, L2Entry> = {};
  for (const [name, list] of Object.entries(measured)) {
    operations[name] = l2EntryOf(list, assumptions);
  }
  operations["a paid pharmacy claim"] = l2EntryOf(
    paidClaim,
    assumptions,
    "submitDrugClaim + approveClaim + payClaim",
  );
  return {
    network:
      'hardhatOp: Hardhat\'s in-process OP-stack simulation (network.create({ network: "hardhatOp", chainType: "op" }))',
    assumptions: {
      description: assumptions.description,
      l1BaseFeeWei: assumptions.l1BaseFeeWei.toString(),
      l1BlobBaseFeeWei: assumptions.l1BlobBaseFeeWei.toString(),
      baseFeeScalar: Number(assumptions.baseFeeScalar),
      blobBaseFeeScalar: Number(assumptions.blobBaseFeeScalar),
      l2GasPriceWei: assumptions.l2GasPriceWei.toString(),
      ethUsd: assumptions.ethUsd,
    },
    formula:
      "l1DataFee = l1DataGas × (16 × baseFeeScalar × l1BaseFee + blobBaseFeeScalar × l1BlobBaseFee) / (16 × 1e6) (Fjord, with l1DataGas = the receipt's l1GasUsed = 16 × estimated compressed size); l2ExecutionFee = gas × L2 gas price",
    operations,
  };
}
