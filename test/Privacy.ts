import { expect } from "chai";
import { decodeBytes32String, encodeBytes32String, Interface } from "ethers";
import type { ParamType, Result } from "ethers";
import { network } from "hardhat";

import { copyFileSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import type { Claim, Consent, Device } from "fhir/r4.js";

import { runCareChainStory } from "../support/story.js";
import { importEpcis, readEpcisDocument } from "../sdk/drug-trace/epcis.js";
import { acceptShipment, dispense, loadSerialTree, ship } from "../sdk/drug-trace/index.js";
import { hashFhirResource } from "../sdk/fhir.js";
import { readFhirClaimTerms } from "../sdk/insurance-claim/fhir.js";
import {
  createPlan,
  createPolicy,
  fundPool,
  openPool,
  setFees,
  submitDrugClaim,
} from "../sdk/insurance-claim/index.js";
import { loadParticipants } from "../sdk/participants.js";
import { readFhirConsentTerms } from "../sdk/patient-consent/fhir.js";
import {
  grantConsent,
  latestTimestamp,
  parseCategories,
  parsePurposes,
} from "../sdk/patient-consent/index.js";
import { deployCareChain } from "../support/fixtures/suite.js";
import { drugServiceCode } from "../sdk/insurance-claim/index.js";
import {
  DrugTrace__factory,
  InsuranceClaim__factory,
  PatientConsent__factory,
} from "../typechain-types/index.js";

/*
 * Rule 1 of the design: no personal health information on chain, ever. Patients are addresses,
 * documents are hashes, reasons are codes. This test runs the demo story and scans everything it
 * put on chain: every event argument and every argument of every transaction (storage can only
 * hold what calldata brought). Only addresses, numbers (codes, amounts, dates), booleans and
 * 32-byte values are allowed; a 32-byte value that reads as text must be a GS1 product identifier
 * (GTIN, lot, serial) or a service code the story used.
 *
 * One kind of text is allowed, explicitly and nowhere else: DrugTrace's participant display names.
 * They are public company names ("Acme Pharma GmbH", "Apotheke am Markt") that the admin (with a
 * GS1 Company Prefix) or a regulator registers so that a patient reads "Dispensed by <pharmacy>"
 * instead of hex; they name a business that already publishes its name on every pack and shop
 * front, never a patient or any health data, and the contract caps them at 64 bytes without
 * control characters. Only the parameters below may carry them, and in the story only the names
 * the story registered may appear.
 */

const SUITE_ABIS = [
  DrugTrace__factory.createInterface(),
  PatientConsent__factory.createInterface(),
  InsuranceClaim__factory.createInterface(),
];

/** Parameters allowed to carry dynamic bytes: only a signature, which is not data about anyone. */
const ALLOWED_BYTES_PARAMETERS = new Set(["signature"]);

/** The only string parameters in the suite: DrugTrace's public company names (see above). */
const COMPANY_NAME_PARAMETERS = new Set([
  "bindCompanyPrefix.name",
  "transferCompanyPrefix.name",
  "setParticipantName.name",
  "ParticipantNamed.name",
]);

/** What the scan found that is not allowed, one line each. */
function findPersonalData(
  where: string,
  params: readonly ParamType[],
  values: Result,
  allowedText: ReadonlySet<string>,
  companyNames: ReadonlySet<string> = new Set(),
): string[] {
  const findings: string[] = [];
  params.forEach((param, i) => {
    const value: unknown = values[i];
    const label = `${where}.${param.name === "" ? String(i) : param.name}`;
    if (param.baseType === "tuple") {
      findings.push(
        ...findPersonalData(label, param.components ?? [], value as Result, allowedText),
      );
    } else if (param.baseType === "array") {
      for (const item of value as Result) {
        findings.push(
          ...findPersonalData(
            label,
            [param.arrayChildren as ParamType],
            [item] as unknown as Result,
            allowedText,
          ),
        );
      }
    } else if (param.type === "string") {
      const qualified = `${where.replace(/^(tx|event) /, "")}.${param.name}`;
      const allowed = COMPANY_NAME_PARAMETERS.has(qualified) && companyNames.has(String(value));
      if (!allowed) findings.push(`${label}: a string ("${String(value)}")`);
    } else if (param.type === "bytes" && !ALLOWED_BYTES_PARAMETERS.has(param.name)) {
      findings.push(`${label}: dynamic bytes`);
    } else if (param.type === "bytes32") {
      const text = readableText(String(value));
      if (text !== undefined && !allowedText.has(text)) findings.push(`${label}: text "${text}"`);
    }
  });
  return findings;
}

/** The text a bytes32 holds when it is a left-aligned printable string (3+ characters), else undefined. */
function readableText(bytes32: string): string | undefined {
  try {
    const text = decodeBytes32String(bytes32);
    return /^[\x20-\x7e]{3,}$/.test(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `scanSuite`, asserting that it read more than `atLeast` transactions and events and found
 * nothing; returns the names of the events it read.
 */
async function expectNoFindings(
  connection: Awaited<ReturnType<typeof network.create>>,
  suite: ReadonlySet<string>,
  allowedText: ReadonlySet<string>,
  companyNames: ReadonlySet<string>,
  atLeast: number,
): Promise<ReadonlySet<string>> {
  const scan = await scanSuite(connection, suite, allowedText, companyNames);
  expect(scan.transactions).to.be.greaterThan(atLeast);
  expect(scan.events).to.be.greaterThan(atLeast);
  expect(scan.findings).to.deep.equal([]);
  return scan.eventNames;
}

/** Every finding in the calls to and events of the suite's contracts, from block 0 on. */
async function scanSuite(
  connection: Awaited<ReturnType<typeof network.create>>,
  suite: ReadonlySet<string>,
  allowedText: ReadonlySet<string>,
  companyNames: ReadonlySet<string>,
): Promise<{
  findings: string[];
  transactions: number;
  events: number;
  eventNames: ReadonlySet<string>;
}> {
  const { ethers } = connection;
  const findings: string[] = [];
  const eventNames = new Set<string>();
  let transactions = 0;
  let events = 0;
  const latest = await ethers.provider.getBlockNumber();
  for (let number = 0; number <= latest; number++) {
    const block = await ethers.provider.getBlock(number, true);
    for (const tx of block?.prefetchedTransactions ?? []) {
      if (tx.to === null || !suite.has(tx.to)) continue;
      transactions++;
      const call = SUITE_ABIS.map((iface) => iface.parseTransaction({ data: tx.data })).find(
        (parsed) => parsed !== null,
      );
      if (call !== undefined) {
        findings.push(
          ...findPersonalData(
            `tx ${call.name}`,
            call.fragment.inputs,
            call.args,
            allowedText,
            companyNames,
          ),
        );
      }
      const receipt = await ethers.provider.getTransactionReceipt(tx.hash);
      for (const log of receipt?.logs ?? []) {
        if (!suite.has(log.address)) continue;
        const parsed = SUITE_ABIS.map((iface) => iface.parseLog(log)).find((p) => p !== null);
        if (parsed === undefined) continue;
        events++;
        eventNames.add(parsed.name);
        findings.push(
          ...findPersonalData(
            `event ${parsed.name}`,
            parsed.fragment.inputs,
            parsed.args,
            allowedText,
            companyNames,
          ),
        );
      }
    }
  }
  return { findings, transactions, events, eventNames };
}

describe("Privacy (no personal data on chain)", function () {
  it("finds a name hidden in a bytes32 and any free-text string (the scan can fail)", function () {
    const iface = new Interface([
      "event Leaky(bytes32 note, string reason, address patient, uint256 amount)",
    ]);
    const event = iface.getEvent("Leaky");
    if (event === null) throw new Error("no event");
    const values = iface.decodeEventLog(
      event,
      iface.encodeEventLog(event, [
        encodeBytes32String("Jane Doe"),
        "diabetes follow-up",
        "0x0000000000000000000000000000000000000001",
        5n,
      ]).data,
    );
    expect(findPersonalData("Leaky", event.inputs, values, new Set())).to.deep.equal([
      'Leaky.note: text "Jane Doe"',
      'Leaky.reason: a string ("diabetes follow-up")',
    ]);
  });

  it("lets a company name through only in a name parameter and only when registered (the scan can fail)", function () {
    const iface = new Interface([
      "event ParticipantNamed(address indexed account, string name, address indexed by)",
    ]);
    const event = iface.getEvent("ParticipantNamed");
    if (event === null) throw new Error("no event");
    const account = "0x0000000000000000000000000000000000000001";
    const decode = (name: string): Result =>
      iface.decodeEventLog(event, iface.encodeEventLog(event, [account, name, account]).data, [
        ...iface.encodeEventLog(event, [account, name, account]).topics,
      ]);
    const names = new Set(["Apotheke am Markt"]);
    const where = "event ParticipantNamed";
    expect(
      findPersonalData(where, event.inputs, decode("Apotheke am Markt"), new Set(), names),
    ).to.deep.equal([]);
    expect(
      findPersonalData(where, event.inputs, decode("Jane Doe, diabetic"), new Set(), names),
    ).to.deep.equal([`${where}.name: a string ("Jane Doe, diabetic")`]);
  });

  it("declares no string in any event or function of the suite but the company-name parameters", function () {
    for (const iface of SUITE_ABIS) {
      iface.forEachEvent((event) => {
        for (const input of event.inputs) {
          const name = `${event.name}.${input.name}`;
          if (COMPANY_NAME_PARAMETERS.has(name)) continue;
          expect(input.type, name).to.not.equal("string");
        }
      });
      iface.forEachFunction((fn) => {
        for (const input of fn.inputs) {
          const name = `${fn.name}.${input.name}`;
          if (COMPANY_NAME_PARAMETERS.has(name)) continue;
          expect(input.type, name).to.not.equal("string");
        }
      });
    }
  });

  it("leaves only addresses, codes, amounts, dates and hashes after the whole demo story", async function () {
    this.timeout(120_000);
    const connection = await network.create();
    const story = await runCareChainStory(connection, { unitCount: 1_000 });
    const suite = new Set(
      await Promise.all(
        [story.drugTrace, story.patientConsent, story.insuranceClaim].map((c) => c.getAddress()),
      ),
    );
    const companyNames = new Set(story.companyNames);
    const allowedText = new Set([
      ...story.productIdentifiers,
      decodeBytes32String(drugServiceCode(BigInt(story.productIdentifiers[0] ?? "0"))),
    ]);

    const eventNames = await expectNoFindings(connection, suite, allowedText, companyNames, 15);
    // the story's milestones, the recall included, are among what was scanned
    expect([...eventNames]).to.include.members([
      "BatchRegistered",
      "UnitDispensed",
      "SuspectFlagged",
      "BatchQuarantined",
      "BatchRecalled",
    ]);
  });
  it("leaves only addresses, codes, amounts, dates and hashes after the EPCIS and FHIR paths", async function () {
    this.timeout(120_000);
    const connection = await network.create();
    const { drugTrace, patientConsent, insuranceClaim, accounts } =
      await deployCareChain(connection);
    const examples = path.join(import.meta.dirname, "..", "examples");
    const participants = await loadParticipants(path.join(examples, "participants.json"));
    const work = mkdtempSync(path.join(tmpdir(), "carechain-privacy-"));
    // EPCIS import: the commissioning of lot A2 (GTIN, lot, expiry, root; the document stays off chain)
    copyFileSync(path.join(examples, "epcis-A2.jsonld"), path.join(work, "epcis-A2.jsonld"));
    const epcisFile = path.join(work, "epcis-A2.jsonld");
    await importEpcis(
      drugTrace.connect(accounts.manufacturer),
      await readEpcisDocument(epcisFile),
      {
        source: epcisFile,
        directory: work,
      },
    );
    const tree = await loadSerialTree(path.join(work, "09506000134352-A2.tree.json"));
    const batchId = await drugTrace.batchIdOf(9506000134352n, encodeBytes32String("A2"));
    const sent = await ship(drugTrace.connect(accounts.manufacturer), {
      batchId,
      to: accounts.pharmacy.address,
      quantity: 2n,
    });
    await acceptShipment(drugTrace.connect(accounts.pharmacy), sent.shipmentId);
    await dispense(drugTrace.connect(accounts.pharmacy), batchId, tree.proofFor("SN1001"));
    // FHIR Consent: the sample grants the insurer HPAYMT on medications
    const consent = JSON.parse(
      readFileSync(path.join(examples, "fhir-consent.json"), "utf8"),
    ) as Consent;
    const terms = readFhirConsentTerms(consent, participants);
    const now = await latestTimestamp(patientConsent);
    await grantConsent(patientConsent.connect(accounts.patient), {
      patient: terms.patient,
      grantee: terms.grantee,
      purposes: parsePurposes(terms.purposes),
      categories: parseCategories(terms.categories),
      start: now,
      end: BigInt(Date.parse(terms.until) / 1000),
    });
    // the patient lets the pharmacy bill for what it dispensed (HPAYMT on medications)
    await grantConsent(patientConsent.connect(accounts.patient), {
      patient: accounts.patient.address,
      grantee: accounts.pharmacy.address,
      purposes: parsePurposes("HPAYMT"),
      categories: parseCategories("medications"),
      start: now,
      end: now + 365n * 86_400n,
    });
    // FHIR Claim for the dispensed pack: only the canonical resource's hash goes on chain
    const token = await connection.ethers.deployContract("MockERC20", ["USD Coin", "USDC", 6]);
    await (await token.mint(accounts.insurer.address, 1_000_000_000n)).wait();
    const claims = insuranceClaim.connect(accounts.insurer);
    const pool = await openPool(claims, await token.getAddress());
    await fundPool(claims, pool.poolId, 1_000_000_000n);
    const plan = await createPlan(claims, {
      poolId: pool.poolId,
      coverageLimit: 5_000_000_000n,
      deductible: 0n,
      coinsuranceBps: 2_000,
    });
    await setFees(claims, plan.planId, [
      { serviceCode: drugServiceCode(9506000134352n), allowedAmount: 45_000_000n },
    ]);
    const policy = await createPolicy(claims, {
      planId: plan.planId,
      patient: accounts.patient.address,
      start: now - 86_400n,
      end: now + 365n * 86_400n,
    });
    const claim = JSON.parse(readFileSync(path.join(examples, "fhir-claim.json"), "utf8")) as Claim;
    const today = new Date(Number(now) * 1000).toISOString().slice(0, 10);
    claim.created = today;
    claim.item![0]!.servicedDate = today;
    const pack: Device = {
      resourceType: "Device",
      id: "pack",
      udiCarrier: [{ carrierHRF: "(01)09506000134352(10)A2(21)SN1001(17)280630" }],
    };
    claim.contained = [pack];
    const claimTerms = readFhirClaimTerms(claim, participants);
    expect(claimTerms.evidenceHash).to.equal(hashFhirResource(claim));
    await submitDrugClaim(insuranceClaim.connect(accounts.pharmacy), {
      policyId: policy.policyId,
      patient: claimTerms.patient,
      gtin: 9506000134352n,
      lot: encodeBytes32String("A2"),
      unitIndex: tree.proofFor("SN1001").index,
      serviceDate: claimTerms.serviceDate,
      billed: 60_000_000n,
      evidenceHash: claimTerms.evidenceHash,
    });

    const suite = new Set(
      await Promise.all([drugTrace, patientConsent, insuranceClaim].map((c) => c.getAddress())),
    );
    const allowedText = new Set([
      "09506000134352",
      "A2",
      ...Array.from({ length: 12 }, (_, i) => `SN${1001 + i}`),
    ]);
    // the deployment binds the demo manufacturer's prefix with its public company name
    const companyNames = new Set(["Acme Pharma GmbH"]);
    await expectNoFindings(connection, suite, allowedText, companyNames, 8);
  });
});
