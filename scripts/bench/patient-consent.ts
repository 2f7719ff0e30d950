import type { TransactionReceipt } from "ethers";

import {
  CATEGORIES,
  PURPOSES,
  grantConsent,
  grantConsentBySig,
  revokeConsent,
  revokeConsentBySig,
  revokeDelegateBySig,
  setDelegate,
  setDelegateBySig,
  signConsentGrant,
  signConsentRevocation,
  signDelegateAppointment,
  signDelegateRemoval,
} from "../../sdk/patient-consent/index.js";
import { COLD_SLOAD_GAS, TX_BASE_GAS, calldataGas } from "../../support/bench/floor.js";
import { entryOf, measureReceipt, ratioOf } from "./record.js";
import type { BenchEntry } from "./record.js";
import { BENCH_START, DAY, labelledAddress } from "./suite.js";
import type { BenchSuite } from "./suite.js";
import { TARGETS } from "./targets.js";
import { WRITES } from "./writes.js";

/** The purposes and categories every benchmark consent grants. */
export const BENCH_PURPOSES = (1 << PURPOSES.TREAT) | (1 << PURPOSES.HPAYMT);
export const BENCH_CATEGORIES =
  (1 << CATEGORIES.labs) | (1 << CATEGORIES.medications) | (1 << CATEGORIES.conditions);
const PERIOD = { start: BENCH_START, end: BENCH_START + 365n * DAY } as const;

interface TraceResult {
  readonly gas: number;
  readonly failed: boolean;
  readonly returnValue: string;
}

/**
 * Execution gas of a view call: `debug_traceCall`'s gas (the whole call as a transaction would
 * spend it) minus 21,000 and the calldata's gas, which leaves what the contract's code spent.
 * `eth_estimateGas` minus the same is returned too as a cross-check (for a call without inner
 * calls they agree).
 */
async function executionGasOfCall(
  suite: BenchSuite,
  to: string,
  data: string,
): Promise<{ traced: bigint; estimated: bigint; returnValue: string }> {
  const { connection } = suite;
  const trace = (await connection.provider.request({
    method: "debug_traceCall",
    params: [{ to, data }, "latest", { disableStorage: true, disableMemory: true }],
  })) as TraceResult;
  if (trace.failed) throw new Error(`the traced call to ${to} failed`);
  const intrinsic = TX_BASE_GAS + calldataGas(data);
  const estimate = await connection.ethers.provider.estimateGas({ to, data });
  return {
    traced: BigInt(trace.gas) - intrinsic,
    estimated: estimate - intrinsic,
    returnValue: trace.returnValue,
  };
}

/**
 * The PatientConsent part: grantConsent, grantConsentBySig, and revokeConsent and isAuthorized
 * with 1, 10 and 100 consents on one patient; then the other signed actions (revokeConsentBySig,
 * setDelegateBySig, revokeDelegateBySig) and setDelegate with a scope.
 */
export async function benchPatientConsent(
  suite: BenchSuite,
  print: (line: string) => void,
): Promise<Record<string, BenchEntry>> {
  const { connection, patientConsent } = suite;
  const entries: Record<string, BenchEntry> = {};
  const consentAddress = await patientConsent.getAddress();

  print("granting 1, 10 and 100 consents on three patients…");
  const patients = [
    { after: 1, signer: suite.account(10) },
    { after: 10, signer: suite.account(11) },
    { after: 100, signer: suite.account(12) },
  ];
  for (const { after, signer } of patients) {
    const patient = await signer.getAddress();
    const asPatient = patientConsent.connect(signer);
    const grantee = (i: number): string => labelledAddress(`grantee of ${after}`, i);
    let lastGrantGas = 0n;
    for (let i = 0; i < after; i++) {
      const granted = await grantConsent(asPatient, {
        patient,
        grantee: grantee(i),
        purposes: BENCH_PURPOSES,
        categories: BENCH_CATEGORIES,
        ...PERIOD,
      });
      if (after === 1) {
        entries.grantConsent = entryOf(
          await measureReceipt(connection, granted.receipt, WRITES.grantConsent),
          {
            target: TARGETS.grantConsent,
            notes: "A patient's consent to a grantee it has never consented to before.",
          },
        );
      }
      lastGrantGas = granted.gasUsed;
    }
    if (after === 100) {
      const first = entries.grantConsent;
      if (first !== undefined) first.gasOfHundredthGrant = Number(lastGrantGas);
    }

    // isAuthorized: a view, measured as execution gas; one cold SLOAD of the consent is its floor.
    const data = patientConsent.interface.encodeFunctionData("isAuthorized", [
      patient,
      grantee(after - 1),
      PURPOSES.TREAT,
      1 << CATEGORIES.labs,
    ]);
    const call = await executionGasOfCall(suite, consentAddress, data);
    if (BigInt(call.returnValue) !== 1n) throw new Error("isAuthorized answered false");
    const gas = Number(call.traced);
    const floor = Number(COLD_SLOAD_GAS);
    entries[`isAuthorized:after${after}`] = {
      gas,
      floor,
      ratio: ratioOf(gas, floor),
      target: TARGETS.isAuthorized,
      met: gas <= TARGETS.isAuthorized,
      floorExplained:
        "execution only (a view: no intrinsic gas, no calldata): one cold SLOAD 2,100 of the packed consent slot",
      executionGas: gas,
      estimateGasExecution: Number(call.estimated),
      method:
        "debug_traceCall gas − 21,000 − calldata gas (eth_estimateGas − the same agrees: estimateGasExecution)",
      notes: `The patient has ${after} consent${after === 1 ? "" : "s"}; the answer is true (the covering consent is found directly by (patient, grantee)).`,
    };

    const revoked = await revokeConsent(asPatient, patient, grantee(0));
    entries[`revokeConsent:after${after}`] = entryOf(
      await measureReceipt(connection, revoked.receipt, WRITES.revokeConsent),
      { target: TARGETS.revokeConsent },
    );
  }

  // grantConsentBySig: a relayer submits the patient's EIP-712 grant.
  const signer = suite.account(13);
  const relayer = patientConsent.connect(suite.account(14));
  for (const [i, key] of ["grantConsentBySig:first-signature", "grantConsentBySig"].entries()) {
    const signed = await signConsentGrant(signer, consentAddress, {
      grantee: labelledAddress("signed grantee", i),
      purposes: BENCH_PURPOSES,
      categories: BENCH_CATEGORIES,
      ...PERIOD,
      deadline: PERIOD.start + 7n * DAY,
    });
    const granted = await grantConsentBySig(relayer, signed);
    const first = i === 0;
    entries[key] = entryOf(
      await measureReceipt(
        connection,
        granted.receipt,
        first ? WRITES.grantConsentBySigFirst : WRITES.grantConsentBySig,
      ),
      {
        target: TARGETS.grantConsentBySig,
        notes: first
          ? "The patient's first signed grant: its nonce goes from 0 to 1. ECDSA recovery (3,000 gas precompile) is outside the floor."
          : "A patient who has signed before (steady state). ECDSA recovery (3,000 gas precompile) is outside the floor.",
      },
    );
  }

  // The other signed actions, relayed for the same patient (account 13, which has signed before),
  // and a delegate appointed by transaction (account 17), in this order.
  const guardian = labelledAddress("guardian", 0);
  const scope = { purposes: BENCH_PURPOSES, categories: BENCH_CATEGORIES, until: PERIOD.end };
  const deadline = PERIOD.start + 7n * DAY;
  const actions: readonly {
    readonly key: keyof typeof WRITES & keyof typeof TARGETS;
    readonly notes: string;
    readonly send: () => Promise<{ readonly receipt: TransactionReceipt }>;
  }[] = [
    {
      key: "revokeConsentBySig",
      notes:
        "A relayer submits the patient's signed revocation with a random unordered nonce (the SDK default), which opens a new bitmap word; a nonce in a word already used costs 17,100 less. ECDSA recovery is outside the floor.",
      send: async () =>
        revokeConsentBySig(
          relayer,
          await signConsentRevocation(signer, consentAddress, {
            grantee: labelledAddress("signed grantee", 1),
            deadline,
          }),
        ),
    },
    {
      key: "setDelegate",
      notes: "A patient appoints a guardian with a scope (purposes, categories) until a date.",
      send: () =>
        setDelegate(patientConsent.connect(suite.account(17)), { delegate: guardian, ...scope }),
    },
    {
      key: "setDelegateBySig",
      notes:
        "A relayer submits the patient's signed appointment of a scoped guardian. ECDSA recovery is outside the floor.",
      send: async () =>
        setDelegateBySig(
          relayer,
          await signDelegateAppointment(signer, consentAddress, {
            delegate: guardian,
            ...scope,
            deadline,
          }),
        ),
    },
    {
      key: "revokeDelegateBySig",
      notes:
        "A relayer submits the patient's signed removal of a guardian (random unordered nonce: a new bitmap word). The cleared slot's refund is outside the floor.",
      send: async () =>
        revokeDelegateBySig(
          relayer,
          await signDelegateRemoval(signer, consentAddress, { delegate: guardian, deadline }),
        ),
    },
  ];
  for (const { key, notes, send } of actions) {
    const { receipt } = await send();
    entries[key] = entryOf(await measureReceipt(connection, receipt, WRITES[key]), {
      target: TARGETS[key],
      notes,
    });
  }
  return entries;
}
