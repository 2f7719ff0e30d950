import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { keccak256, toUtf8Bytes } from "ethers";
import type { Signer } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import {
  acceptShipment,
  bindSensor,
  buildSerialTree,
  dispense,
  encodeGs1Text,
  flagSuspect,
  formatDigitalLink,
  formatElementString,
  formatParticipant,
  parsePackCode,
  readGtinCompanyPrefix,
  readNameOf,
  recall,
  registerBatch,
  reportShipmentExcursion,
  serialTreeOf,
  setParticipantName,
  ship,
  verifyUnit,
} from "../sdk/drug-trace/index.js";
import type { SerialTree, UnitStatus } from "../sdk/drug-trace/index.js";
import {
  approveClaim,
  DEFAULT_APPEAL_WINDOW,
  createPlan,
  createPolicy,
  drugServiceCode,
  formatExplanationOfBenefits,
  formatTokenAmount,
  fundPool,
  openPool,
  payClaim,
  readExplanationOfBenefits,
  readTokenInfo,
  setAdjuster,
  setFees,
  submitDrugClaim,
} from "../sdk/insurance-claim/index.js";
import { exportEpcis } from "../sdk/drug-trace/epcis.js";
import { explanationOfBenefitOf } from "../sdk/insurance-claim/fhir.js";
import { loadParticipants } from "../sdk/participants.js";
import { exportConsentBundle } from "../sdk/patient-consent/fhir.js";
import {
  CATEGORIES,
  PURPOSES,
  checkAuthorization,
  grantConsentBySig,
  signConsentGrant,
} from "../sdk/patient-consent/index.js";
import { colour } from "../tasks/lib/terminal.js";
import { deployCareChain } from "./fixtures/suite.js";
import type { CareChainSuite } from "./fixtures/suite.js";

/** One measured step of the story. */
export interface StoryStep {
  readonly step: string;
  readonly actor: string;
  readonly gasUsed: bigint;
}

/**
 * What the story leaves behind, for the demo's summary and the privacy test: the suite's three
 * contracts and what the story put on chain.
 */
export interface StoryResult extends Pick<
  CareChainSuite,
  "drugTrace" | "patientConsent" | "insuranceClaim"
> {
  readonly steps: readonly StoryStep[];
  readonly tokenAddress: string;
  /** The GS1 lots and serials the story put on chain (product identifiers, not personal data). */
  readonly productIdentifiers: readonly string[];
  /** The public company names the story's participants carry on chain (`nameOf`). */
  readonly companyNames: readonly string[];
  readonly claimId: bigint;
}

/** Options of `runCareChainStory`. */
export interface StoryOptions {
  /** Where the narrative goes (default: nowhere). */
  readonly print?: (line: string) => void;
  /** Units in the first batch (the demo uses 10,000). */
  readonly unitCount?: number;
  /** Where to write the EPCIS and FHIR exports of the story (none when absent). */
  readonly exportDirectory?: string;
}

const GTIN = "09506000134352";
const LOT_A = "DEMO-A1";
const LOT_B = "DEMO-B2";
/** The trade partners' public company names, which a regulator registers (demo names). */
const DISTRIBUTOR_NAME = "Northwind Pharma Logistics";
const PHARMACY_NAME = "Apotheke am Markt";
const DAY = 24n * 60n * 60n;
/** The manufacturer's own recall reason code for the demo (no free text goes on chain). */
const RECALL_REASON_EXCURSION = 3n;

function serialOf(i: number): string {
  return `SN${String(i + 1).padStart(7, "0")}`;
}

/** YYMMDD of a unix timestamp (UTC), for the AI (17) of a printed code. */
function yymmdd(timestamp: bigint): string {
  const date = new Date(Number(timestamp) * 1000);
  const two = (n: number): string => String(n).padStart(2, "0");
  return `${two(date.getUTCFullYear() % 100)}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}`;
}

/**
 * Runs the carechain story with real transactions on a connection: deploys the suite through
 * the `CareChain` Ignition module, then a batch's journey from the packaging line to a paid
 * pharmacy claim. Used by `npm run demo` (which prints it) and by the privacy test.
 *
 * @example
 * const connection = await network.create();
 * const { steps } = await runCareChainStory(connection, { print: console.log });
 */
export async function runCareChainStory(
  connection: NetworkConnection,
  options: StoryOptions = {},
): Promise<StoryResult> {
  const print = options.print ?? ((): void => undefined);
  const unitCount = options.unitCount ?? 10_000;
  const { ethers } = connection;
  const steps: StoryStep[] = [];
  const measure = (step: string, actor: string, gasUsed: bigint): void => {
    steps.push({ step, actor, gasUsed });
  };
  print(colour.bold("1. Deploy the suite (Ignition module CareChain)"));
  const { drugTrace, patientConsent, insuranceClaim, accounts } = await deployCareChain(connection);
  const {
    admin,
    manufacturer,
    distributor,
    pharmacy,
    regulator,
    sensor,
    insurer,
    adjuster,
    patient,
  } = accounts;
  const addressOf = (signer: Signer): Promise<string> => signer.getAddress();
  /** A participant as people see it: "Acme Pharma GmbH (0x7099…79C8)". */
  const who = async (signer: Signer): Promise<string> => {
    const address = await addressOf(signer);
    return formatParticipant(await readNameOf(drugTrace, address), address);
  };
  print(`   DrugTrace       ${await drugTrace.getAddress()}`);
  print(`   PatientConsent  ${await patientConsent.getAddress()}`);
  print(`   InsuranceClaim  ${await insuranceClaim.getAddress()}`);
  const brand = await readGtinCompanyPrefix(drugTrace, BigInt(GTIN));
  print(
    `   GS1 Company Prefix ${brand?.prefix.digits ?? "?"} bound to ${await who(manufacturer)}: only it (or a contract manufacturer it authorizes) registers GTIN ${GTIN}`,
  );
  const namedDistributor = await setParticipantName(
    drugTrace.connect(regulator),
    await addressOf(distributor),
    DISTRIBUTOR_NAME,
  );
  measure("setParticipantName (distributor)", "regulator", namedDistributor.gasUsed);
  const namedPharmacy = await setParticipantName(
    drugTrace.connect(regulator),
    await addressOf(pharmacy),
    PHARMACY_NAME,
  );
  measure("setParticipantName (pharmacy)", "regulator", namedPharmacy.gasUsed);
  print(
    `   the regulator names the trade partners: ${await who(distributor)}, ${await who(pharmacy)}`,
  );

  const work = mkdtempSync(path.join(tmpdir(), "carechain-story-"));
  try {
    // ── DrugTrace ─────────────────────────────────────────────────────────────────────────────
    print(
      colour.bold(
        `\n2. ${await who(manufacturer)} registers lot ${LOT_A}: ${unitCount.toLocaleString("en")} serialized packs`,
      ),
    );
    const serialFile = path.join(work, `${GTIN}-${LOT_A}.txt`);
    writeFileSync(
      serialFile,
      Array.from({ length: unitCount }, (_, i) => serialOf(i)).join("\n") + "\n",
    );
    const tree: SerialTree = await buildSerialTree(serialFile, { gtin: GTIN, lot: LOT_A });
    const now = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    const expiry = now + 730n * DAY;
    const registered = await registerBatch(drugTrace.connect(manufacturer), {
      gtin: BigInt(GTIN),
      lot: LOT_A,
      expiry,
      unitCount: BigInt(tree.count),
      serialsRoot: tree.root,
      metadataHash: keccak256(toUtf8Bytes(`packaging-line-report:${GTIN}:${LOT_A}`)),
    });
    measure(
      `registerBatch (${unitCount.toLocaleString("en")} units)`,
      "manufacturer",
      registered.gasUsed,
    );
    print(`   batch ${registered.batchId}`);
    print(
      `   Merkle root ${tree.root}; tree file for trading partners: ${path.basename(tree.treeFile ?? "")}`,
    );

    print(
      colour.bold(
        "\n3. Custody: manufacturer → distributor → pharmacy, each hand-off accepted by the receiver",
      ),
    );
    const toDistributor = await ship(drugTrace.connect(manufacturer), {
      batchId: registered.batchId,
      to: await addressOf(distributor),
      quantity: 500n,
    });
    measure("ship (manufacturer → distributor)", "manufacturer", toDistributor.gasUsed);
    const accepted1 = await acceptShipment(
      drugTrace.connect(distributor),
      toDistributor.shipmentId,
    );
    measure("acceptShipment", "distributor", accepted1.gasUsed);
    const toPharmacy = await ship(drugTrace.connect(distributor), {
      batchId: registered.batchId,
      to: await addressOf(pharmacy),
      quantity: 100n,
    });
    measure("ship (distributor → pharmacy)", "distributor", toPharmacy.gasUsed);
    const accepted2 = await acceptShipment(drugTrace.connect(pharmacy), toPharmacy.shipmentId);
    measure("acceptShipment", "pharmacy", accepted2.gasUsed);
    print(
      `   500 packs shipped to and accepted by ${await who(distributor)}; 100 of them by ${await who(pharmacy)}`,
    );

    const codeOf = (serial: string): string =>
      formatDigitalLink({ gtin: GTIN, lot: LOT_A, serial, expiry: yymmdd(expiry) });
    const verifyCode = async (code: string, proofTree: SerialTree): Promise<UnitStatus> => {
      const pack = parsePackCode(code);
      const unit = proofTree.hasSerial(pack.serial)
        ? proofTree.proofFor(pack.serial)
        : { index: 0n, serial: pack.serial, proof: [] };
      const verdict = await verifyUnit(drugTrace, {
        gtin: BigInt(pack.gtin),
        lot: pack.lot,
        ...unit,
      });
      return verdict.status;
    };

    const dispensedSerial = serialOf(41);
    print(colour.bold(`\n4. The pharmacy scans a pack and dispenses it`));
    print(`   code ${codeOf(dispensedSerial)}`);
    const before = await verifyCode(codeOf(dispensedSerial), tree);
    const dispensed = await dispense(
      drugTrace.connect(pharmacy),
      registered.batchId,
      tree.proofFor(dispensedSerial),
    );
    measure("dispense (14-level proof)", "pharmacy", dispensed.gasUsed);
    print(`   verdict before dispensing: ${colour.green(before)}; unit decommissioned`);
    print(`   dispensed by ${await who(pharmacy)}; made by ${await who(manufacturer)}`);

    print(colour.bold("\n5. Anyone verifies packs (a free view call)"));
    const genuine = formatElementString({
      gtin: GTIN,
      lot: LOT_A,
      serial: serialOf(42),
      expiry: yymmdd(expiry),
    });
    const forgedSerial = "FAKE0001";
    const forgedTree = serialTreeOf([forgedSerial]);
    const verdicts: [string, string, UnitStatus][] = [
      ["genuine pack", genuine, await verifyCode(genuine, tree)],
      ["forged code", codeOf(forgedSerial), await verifyCode(codeOf(forgedSerial), forgedTree)],
      [
        "copied code (already dispensed)",
        codeOf(dispensedSerial),
        await verifyCode(codeOf(dispensedSerial), tree),
      ],
    ];
    for (const [label, code, status] of verdicts) {
      const shown = status === "Active" ? colour.green(status) : colour.red(status);
      print(`   ${label.padEnd(32)} ${shown.padEnd(12)} ${code}`);
    }
    const copied = tree.proofFor(dispensedSerial);
    const alert = await flagSuspect(drugTrace.connect(pharmacy), {
      batchId: registered.batchId,
      index: copied.index,
      serial: copied.serial,
      verdict: "Dispensed",
      evidenceHash: keccak256(toUtf8Bytes(`scan-log:${codeOf(dispensedSerial)}`)),
    });
    measure("flagSuspect (copied code scanned again)", "pharmacy", alert.gasUsed);
    print(`   the copied code raised suspect flag #${alert.flagId} for the regulator`);

    print(
      colour.bold(`\n6. Cold chain: lot ${LOT_B} in transit goes out of range and is quarantined`),
    );
    const treeB = serialTreeOf(Array.from({ length: 1_000 }, (_, i) => serialOf(i)));
    const batchB = await registerBatch(drugTrace.connect(manufacturer), {
      gtin: BigInt(GTIN),
      lot: LOT_B,
      expiry,
      unitCount: BigInt(treeB.count),
      serialsRoot: treeB.root,
    });
    const inTransit = await ship(drugTrace.connect(manufacturer), {
      batchId: batchB.batchId,
      to: await addressOf(distributor),
      quantity: 200n,
    });
    // The truck's logger acts for the distributor alone, and only on goods in its care.
    const bound = await bindSensor(drugTrace.connect(distributor), await addressOf(sensor));
    measure("bindSensor (the distributor's truck logger)", "distributor", bound.gasUsed);
    const excursion = await reportShipmentExcursion(drugTrace.connect(sensor), {
      shipmentId: inTransit.shipmentId,
      readingHash: keccak256(toUtf8Bytes(`logger-export:${LOT_B}:truck-7`)),
      extremeCentiCelsius: 1250n,
    });
    measure("reportShipmentExcursion (12.50 °C)", "sensor", excursion.gasUsed);
    print(
      `   ${await who(distributor)}'s truck logger reports 12.50 °C on the shipment it is receiving; ${await who(manufacturer)} or a regulator may release the batch`,
    );
    const quarantined = await verifyUnit(drugTrace, {
      gtin: BigInt(GTIN),
      lot: LOT_B,
      ...treeB.proofFor(serialOf(7)),
    });
    print(`   a pack of ${LOT_B} now verifies as ${colour.yellow(quarantined.status)}`);

    print(
      colour.bold(
        `\n7. ${await who(manufacturer)} recalls lot ${LOT_B}: its packs may never be dispensed`,
      ),
    );
    const recalled = await recall(drugTrace.connect(manufacturer), {
      batchId: batchB.batchId,
      reasonCode: RECALL_REASON_EXCURSION,
      evidenceHash: keccak256(toUtf8Bytes(`recall-notice:${GTIN}:${LOT_B}`)),
    });
    measure(`recall (lot ${LOT_B}, after the excursion)`, "manufacturer", recalled.gasUsed);
    const afterRecall = await verifyUnit(drugTrace, {
      gtin: BigInt(GTIN),
      lot: LOT_B,
      ...treeB.proofFor(serialOf(7)),
    });
    print(
      `   reason code ${RECALL_REASON_EXCURSION} and the recall notice's hash on chain; a pack of ${LOT_B} now verifies as ${colour.red(afterRecall.status)} (final: no release undoes a recall)`,
    );

    // ── PatientConsent ───────────────────────────────────────────────────────────────────────
    print(
      colour.bold(
        "\n8. The patient signs consents for the insurer and the pharmacy (EIP-712, gasless for the patient)",
      ),
    );
    const insurerAddress = await addressOf(insurer);
    const patientAddress = await addressOf(patient);
    const latest = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    const signed = await signConsentGrant(patient, await patientConsent.getAddress(), {
      grantee: insurerAddress,
      purposes: 1n << BigInt(PURPOSES.HPAYMT),
      categories: 1n << BigInt(CATEGORIES.medications),
      start: latest,
      end: latest + 365n * DAY,
      deadline: latest + DAY,
    });
    const granted = await grantConsentBySig(patientConsent.connect(pharmacy), signed);
    measure("grantConsentBySig (submitted by the pharmacy)", "pharmacy", granted.gasUsed);
    const allowed = await checkAuthorization(
      patientConsent,
      patientAddress,
      insurerAddress,
      PURPOSES.HPAYMT,
      1 << CATEGORIES.medications,
    );
    print(
      `   consent ${granted.consentId}: insurer may use medications data for HPAYMT → ${String(allowed)}`,
    );
    // The care relationship: the pharmacy may treat (dispense) and bill the patient's plan (HPAYMT);
    // InsuranceClaim refuses claims from a provider the patient has not authorized for payment.
    const pharmacyAddress = await addressOf(pharmacy);
    const signedForPharmacy = await signConsentGrant(patient, await patientConsent.getAddress(), {
      grantee: pharmacyAddress,
      purposes: (1n << BigInt(PURPOSES.TREAT)) | (1n << BigInt(PURPOSES.HPAYMT)),
      categories: 1n << BigInt(CATEGORIES.medications),
      start: latest,
      end: latest + 365n * DAY,
      deadline: latest + DAY,
    });
    const grantedToPharmacy = await grantConsentBySig(
      patientConsent.connect(pharmacy),
      signedForPharmacy,
    );
    measure("grantConsentBySig (pharmacy: TREAT, HPAYMT)", "pharmacy", grantedToPharmacy.gasUsed);
    print(
      `   consent ${grantedToPharmacy.consentId}: pharmacy may dispense and bill (TREAT, HPAYMT) on medications`,
    );

    // ── InsuranceClaim ───────────────────────────────────────────────────────────────────────
    print(
      colour.bold("\n9. The insurer opens and funds a USDC pool, a plan and the patient's policy"),
    );
    const token = await ethers.deployContract("MockERC20", ["USD Coin (test)", "USDC", 6], admin);
    const tokenAddress = await token.getAddress();
    const usdc = (amount: bigint): bigint => amount * 1_000_000n;
    await (await token.mint(insurerAddress, usdc(100_000n))).wait();
    const pool = await openPool(insuranceClaim.connect(insurer), tokenAddress);
    measure("openPool", "insurer", pool.receipt.gasUsed);
    const funded = await fundPool(insuranceClaim.connect(insurer), pool.poolId, usdc(50_000n));
    measure("fundPool", "insurer", funded.receipt.gasUsed);
    await setAdjuster(
      insuranceClaim.connect(insurer),
      pool.poolId,
      await addressOf(adjuster),
      true,
    );
    const plan = await createPlan(insuranceClaim.connect(insurer), {
      poolId: pool.poolId,
      coverageLimit: usdc(5_000n),
      deductible: usdc(10n),
      coinsuranceBps: 2_000,
      appealWindow: DEFAULT_APPEAL_WINDOW,
    });
    measure("createPlan", "insurer", plan.receipt.gasUsed);
    await setFees(insuranceClaim.connect(insurer), plan.planId, [
      { serviceCode: drugServiceCode(BigInt(GTIN)), allowedAmount: usdc(45n) },
    ]);
    const policy = await createPolicy(insuranceClaim.connect(insurer), {
      planId: plan.planId,
      patient: patientAddress,
      start: latest - DAY,
      end: latest + 365n * DAY,
    });
    measure("createPolicy", "insurer", policy.receipt.gasUsed);
    print(
      `   pool #${pool.poolId} funded with ${formatTokenAmount(funded.credited, 6)} USDC; plan #${plan.planId}: ` +
        "coverage 5,000, deductible 10, coinsurance 20 %, appeals within 180 days, allowed 45.00 for this GTIN",
    );

    print(
      colour.bold(
        "\n10. The pharmacy claims the dispensed pack; the adjuster approves; the insurer pays",
      ),
    );
    const claimTime = BigInt((await ethers.provider.getBlock("latest"))?.timestamp ?? 0);
    const claim = await submitDrugClaim(insuranceClaim.connect(pharmacy), {
      policyId: policy.policyId,
      patient: patientAddress,
      gtin: BigInt(GTIN),
      lot: encodeGs1Text(LOT_A),
      unitIndex: copied.index,
      serviceDate: claimTime,
      billed: usdc(60n),
      evidenceHash: keccak256(toUtf8Bytes(`fhir-claim:${registered.batchId}:${copied.index}`)),
    });
    measure("submitDrugClaim", "pharmacy", claim.receipt.gasUsed);
    const decision = await approveClaim(insuranceClaim.connect(adjuster), claim.claimId);
    measure("approveClaim", "adjuster", decision.receipt.gasUsed);
    const paid = await payClaim(insuranceClaim.connect(insurer), claim.claimId);
    measure("payClaim", "insurer", paid.receipt.gasUsed);
    print(
      `   claim #${claim.claimId} ${decision.outcome.toLowerCase()}; ${formatTokenAmount(paid.amount, 6)} USDC paid to the pharmacy`,
    );

    print(colour.bold("\n11. Explanation of benefits"));
    const statement = await readExplanationOfBenefits(insuranceClaim, claim.claimId);
    const tokenInfo = await readTokenInfo(ethers.provider, tokenAddress);
    for (const line of formatExplanationOfBenefits(statement, tokenInfo).split("\n"))
      print(`   ${line}`);

    if (options.exportDirectory !== undefined) {
      print(
        colour.bold(
          "\n12. Exports for the industry's systems (validated with GS1's and HL7's tooling)",
        ),
      );
      const directory = options.exportDirectory;
      mkdirSync(directory, { recursive: true });
      const participants = await loadParticipants(
        path.join(import.meta.dirname, "..", "examples", "participants.json"),
      );
      const epcis = await exportEpcis(drugTrace, {
        batchId: registered.batchId,
        tree,
        participants,
      });
      const epcisFile = path.join(directory, `${GTIN}-${LOT_A}.epcis.jsonld`);
      writeFileSync(epcisFile, `${JSON.stringify(epcis.document, null, 2)}\n`);
      const { insurer: poolInsurer } = await insuranceClaim.poolOf(pool.poolId);
      const { chainId } = await ethers.provider.getNetwork();
      const eob = explanationOfBenefitOf(statement, {
        token: tokenInfo,
        insurer: poolInsurer,
        chainId,
        participants,
      });
      const eobFile = path.join(directory, `claim-${claim.claimId}.eob.fhir.json`);
      writeFileSync(eobFile, `${JSON.stringify(eob, null, 2)}\n`);
      const { bundle } = await exportConsentBundle(patientConsent, patientAddress, {
        participants,
      });
      const consentFile = path.join(directory, "patient-consents.fhir.json");
      writeFileSync(consentFile, `${JSON.stringify(bundle, null, 2)}\n`);
      print(
        `   EPCIS 2.0 history of ${LOT_A} (${epcis.document.epcisBody.eventList.length} events): ${epcisFile}`,
      );
      print(`   FHIR R4 ExplanationOfBenefit of claim #${claim.claimId}:       ${eobFile}`);
      print(`   FHIR R4 Bundle of the patient's Consents:         ${consentFile}`);
    }

    return {
      steps,
      drugTrace,
      patientConsent,
      insuranceClaim,
      tokenAddress,
      productIdentifiers: [
        GTIN,
        LOT_A,
        LOT_B,
        ...Array.from({ length: unitCount }, (_, i) => serialOf(i)),
        forgedSerial,
      ],
      companyNames: [
        await readNameOf(drugTrace, await addressOf(manufacturer)),
        DISTRIBUTOR_NAME,
        PHARMACY_NAME,
      ],
      claimId: claim.claimId,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
