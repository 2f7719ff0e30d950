import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { encodeBytes32String, ZeroHash } from "ethers";
import type { Claim, ExplanationOfBenefit } from "fhir/r4.js";
import { network } from "hardhat";

import { hashFhirResource, validateFhir } from "../../sdk/fhir.js";
import { drugServiceCode } from "../../sdk/insurance-claim/fee-schedule.js";
import { DEFAULT_APPEAL_WINDOW } from "../../sdk/insurance-claim/claim-rules.js";
import { claimsApprove } from "../../tasks/insurance-claim/approve.js";
import { claimsDeny } from "../../tasks/insurance-claim/deny.js";
import { claimsEobFhir } from "../../tasks/insurance-claim/eob-fhir.js";
import { claimsPay } from "../../tasks/insurance-claim/pay.js";
import { claimsSubmitFhir } from "../../tasks/insurance-claim/submit-fhir.js";
import type { SubmitArgs } from "../../tasks/insurance-claim/submit.js";
import type { TaskIo } from "../../tasks/lib/task.js";
import { code, deployClaimsSuite, usd } from "../fixtures/insurance-claim.js";
import { dispensedWithConsent } from "../helpers/drug-claims.js";
import { inputErrorOf } from "../helpers/input-error.js";

/*
 * InsuranceClaim ↔ FHIR R4: `claims submit --fhir` and `claims eob --fhir`. Resources are
 * validated with Medplum's FHIR R4 validator over the official StructureDefinitions.
 */

const connection = await network.create();
const { networkHelpers } = connection;
const loadFixture = networkHelpers.loadFixture.bind(networkHelpers);

const SAMPLE = path.join(import.meta.dirname, "..", "..", "examples", "fhir-claim.json");
const GTIN = "09506000134352";

async function fixture() {
  const s = await deployClaimsSuite(connection);
  const dir = mkdtempSync(path.join(tmpdir(), "carechain-fhir-claims-"));
  // a plan without a deductible, so approvals pay something
  await s.claims
    .connect(s.insurer)
    .createPlan(s.poolId, usd(5_000), 0n, 2_000, ZeroHash, DEFAULT_APPEAL_WINDOW);
  await s.claims
    .connect(s.insurer)
    .setFees(2n, [code("99213"), drugServiceCode(GTIN)], [usd(120), usd(45)]);
  await s.claims.connect(s.insurer).createPolicy(2n, s.patient.address, s.start, s.end);
  const participants = path.join(dir, "participants.json");
  writeFileSync(
    participants,
    JSON.stringify({
      participants: [
        { account: s.patient.address, fhir: "Patient/p1" },
        { account: s.provider.address, fhir: "Organization/clinic" },
        { account: s.pharmacy.address, fhir: "Organization/example-pharmacy" },
        { account: s.insurer.address, fhir: "Organization/example-insurer" },
        { account: s.stranger.address, fhir: "Patient/example-pseudonym" },
      ],
    }),
  );
  const today = new Date(Number(s.now) * 1000).toISOString().slice(0, 10);
  return { ...s, dir, participants, today, address: await s.claims.getAddress() };
}

type Suite = Awaited<ReturnType<typeof fixture>>;

/** A valid FHIR Claim for a service (CPT 99213, $150) on policy 2. */
function serviceClaim(s: Suite): Claim {
  return {
    resourceType: "Claim",
    identifier: [{ system: "urn:example-clinic:claim", value: "C-1" }],
    status: "active",
    type: {
      coding: [
        { system: "http://terminology.hl7.org/CodeSystem/claim-type", code: "professional" },
      ],
    },
    use: "claim",
    patient: { reference: "Patient/p1" },
    created: s.today,
    insurer: { reference: "Organization/example-insurer" },
    provider: { reference: "Organization/clinic" },
    priority: {
      coding: [{ system: "http://terminology.hl7.org/CodeSystem/processpriority", code: "normal" }],
    },
    insurance: [
      {
        sequence: 1,
        focal: true,
        coverage: { identifier: { system: "urn:carechain:insurance-claim:policy", value: "2" } },
      },
    ],
    item: [
      {
        sequence: 1,
        productOrService: { coding: [{ system: "http://www.ama-assn.org/go/cpt", code: "99213" }] },
        servicedDate: s.today,
        net: { value: 150, currency: "USD" },
      },
    ],
  };
}

function write(s: Suite, name: string, resource: unknown, space?: number): string {
  const file = path.join(s.dir, name);
  writeFileSync(file, JSON.stringify(resource, null, space));
  return file;
}

const EMPTY: SubmitArgs = {
  address: "",
  from: "",
  policy: "",
  patient: "",
  code: "",
  gtin: "",
  lot: "",
  unit: "",
  date: "",
  billed: "",
  evidence: "",
  evidenceFile: "",
  feeTree: "",
};

/** Runs a task action with an io that records what it prints; returns the printed lines. */
async function captured(action: (io: TaskIo) => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  await action({ print: (line) => out.push(line) });
  return out.join("\n");
}

async function submitFhir(s: Suite, args: Partial<SubmitArgs> & { fhir: string }): Promise<string> {
  return captured((io) =>
    claimsSubmitFhir(
      { ...EMPTY, address: s.address, participants: s.participants, ...args },
      connection,
      io,
    ),
  );
}

describe("InsuranceClaim FHIR R4", function () {
  it("the sample Claim (examples/fhir-claim.json) is valid FHIR R4", function () {
    expect(validateFhir(JSON.parse(readFileSync(SAMPLE, "utf8")))).to.deep.equal([]);
  });

  describe("claims submit --fhir", function () {
    it("submits a service Claim as its provider, with the canonical resource's hash as evidence", async function () {
      const s = await loadFixture(fixture);
      const claim = serviceClaim(s);
      // whitespace and key order do not change the evidence hash
      const file = write(s, "claim.json", { item: claim.item, ...claim }, 2);
      const out = await submitFhir(s, { fhir: file });
      expect(out).to.match(
        /^submitted claim 1 on policy 2\nbilled\s+150\.00 USDC\nallowed\s+120\.00 USDC$/m,
      );
      expect(out).to.include(`Evidence: ${hashFhirResource(claim)}`);
      const [submitted] = await s.claims.queryFilter(s.claims.filters.ClaimSubmitted(1n));
      expect(submitted?.args.evidenceHash).to.equal(hashFhirResource(claim));
      expect(submitted?.args.provider).to.equal(s.provider.address);
      expect(submitted?.args.serviceCode).to.equal(code("99213"));
    });

    it("submits a pharmacy Claim for a dispensed pack named by its GS1 element string", async function () {
      const s = await loadFixture(fixture);
      await dispensedWithConsent(s, BigInt(GTIN), encodeBytes32String("A1"), 0n);
      const claim = JSON.parse(readFileSync(SAMPLE, "utf8")) as Claim;
      claim.created = s.today;
      claim.item![0]!.servicedDate = s.today;
      claim.insurance[0]!.coverage = {
        identifier: { system: "urn:carechain:insurance-claim:policy", value: "2" },
      };
      claim.patient = { reference: "Patient/p1" };
      const out = await submitFhir(s, { fhir: write(s, "drug.json", claim), unit: "0" });
      expect(out).to.match(
        /^submitted claim 1 on policy 2\nbilled\s+60\.00 USDC\nallowed\s+45\.00 USDC$/m,
      );
      const [unit] = await s.claims.queryFilter(s.claims.filters.DrugUnitClaimed(1n));
      expect(unit?.args.unitIndex).to.equal(0n);
    });

    it("ends a mismatch with the policy or the signer with one line and sends nothing", async function () {
      const s = await loadFixture(fixture);
      const block = await connection.ethers.provider.getBlockNumber();
      const stranger = { ...serviceClaim(s), patient: { reference: "Patient/example-pseudonym" } };
      expect(await inputErrorOf(submitFhir(s, { fhir: write(s, "a.json", stranger) }))).to.equal(
        `the Claim's patient is ${s.stranger.address}; policy 2 covers ${s.patient.address}`,
      );
      expect(
        await inputErrorOf(submitFhir(s, { fhir: write(s, "b.json", serviceClaim(s)), from: "0" })),
      ).to.equal(
        `the Claim's provider is ${s.provider.address}, but ${s.admin.address} would sign (--from)`,
      );
      const otherInsurer = { ...serviceClaim(s), insurer: { reference: "Organization/clinic" } };
      expect(
        await inputErrorOf(submitFhir(s, { fhir: write(s, "c.json", otherInsurer) })),
      ).to.equal(
        `the Claim's insurer is ${s.provider.address}; policy 2 is paid by ${s.insurer.address}`,
      );
      const euros = serviceClaim(s);
      euros.item![0]!.net = { value: 150, currency: "EUR" };
      expect(await inputErrorOf(submitFhir(s, { fhir: write(s, "d.json", euros) }))).to.equal(
        "the Claim bills in EUR; policy 2's pool pays in USDC",
      );
      expect(
        await inputErrorOf(
          submitFhir(s, { fhir: write(s, "e.json", serviceClaim(s)), policy: "1" }),
        ),
      ).to.equal("--policy 1 differs from the Claim's coverage (policy 2)");
      expect(await connection.ethers.provider.getBlockNumber()).to.equal(block);
    });

    it("ends an invalid or unmappable Claim with one line per problem and sends nothing", async function () {
      const s = await loadFixture(fixture);
      const block = await connection.ethers.provider.getBlockNumber();
      const invalid = serviceClaim(s) as unknown as Record<string, unknown>;
      delete invalid.patient;
      invalid.created = "yesterday";
      const file = write(s, "invalid.json", invalid);
      expect((await inputErrorOf(submitFhir(s, { fhir: file }))).split("\n")).to.deep.equal([
        `${file} is not a valid FHIR R4 resource (2 problems, nothing sent):`,
        "Claim.patient: Missing required property",
        "Claim.created: Invalid dateTime format",
      ]);
      const unmapped = serviceClaim(s);
      unmapped.provider = { reference: "Organization/unknown" };
      unmapped.item!.push({ ...unmapped.item![0]!, sequence: 2 });
      const second = write(s, "unmapped.json", unmapped);
      expect((await inputErrorOf(submitFhir(s, { fhir: second }))).split("\n")).to.deep.equal([
        `${second} cannot be submitted (2 problems, nothing sent):`,
        "Claim.provider.reference: Organization/unknown is in no participants file entry (--participants) that gives its account",
        "Claim.item: has 2 items; a claim on chain is one service or one dispensed pack: submit one Claim per item",
      ]);
      expect(
        await inputErrorOf(
          submitFhir(s, { fhir: write(s, "f.json", serviceClaim(s)), code: "99213" }),
        ),
      ).to.equal(
        "--fhir takes patient, service, date, amount and evidence from the Claim: drop --code",
      );
      const notClaim = write(s, "g.json", { resourceType: "Patient" });
      expect(await inputErrorOf(submitFhir(s, { fhir: notClaim }))).to.equal(
        `${notClaim} is a Patient; expected a FHIR Claim`,
      );
      expect(await connection.ethers.provider.getBlockNumber()).to.equal(block);
    });
  });

  describe("claims eob --fhir", function () {
    it("writes a paid claim's ExplanationOfBenefit (valid R4, CARIN-shaped adjudication, payment identified by its transaction)", async function () {
      const s = await loadFixture(fixture);
      await submitFhir(s, { fhir: write(s, "claim.json", serviceClaim(s)) });
      await captured((io) =>
        claimsApprove({ address: s.address, from: "2", claim: "1" }, connection, io),
      );
      await captured((io) =>
        claimsPay(
          {
            address: s.address,
            from: "1",
            claim: "1",
            ids: "",
            pool: "",
            allApproved: false,
            chunk: "",
          },
          connection,
          io,
        ),
      );
      const file = path.join(s.dir, "eob.json");
      const out = await captured((io) =>
        claimsEobFhir(
          { address: s.address, from: "", claim: "1", fhir: file, participants: s.participants },
          connection,
          io,
        ),
      );
      expect(out).to.include("(Paid, outcome complete)");
      const eob = JSON.parse(readFileSync(file, "utf8")) as ExplanationOfBenefit;
      expect(validateFhir(eob)).to.deep.equal([]);
      expect(eob.patient).to.deep.equal({ reference: "Patient/p1" });
      expect(eob.provider).to.deep.equal({ reference: "Organization/clinic" });
      expect(eob.insurer).to.deep.equal({ reference: "Organization/example-insurer" });
      expect(eob.identifier?.[0]?.value).to.equal("1");
      const amounts: Record<string, number | undefined> = Object.fromEntries(
        (eob.item?.[0]?.adjudication ?? []).map((a): [string, number | undefined] => [
          a.category.coding?.[0]?.code ?? "",
          a.amount?.value,
        ]),
      );
      expect(amounts).to.deep.equal({
        submitted: 150,
        noncovered: 30,
        eligible: 120,
        deductible: 0,
        coinsurance: 24,
        memberliability: 24,
        benefit: 96,
        paidtoprovider: 96,
      });
      const [paid] = await s.claims.queryFilter(s.claims.filters.ClaimPaid(1n));
      expect(eob.payment?.identifier).to.deep.equal({
        system: "urn:eip155:31337:transaction",
        value: paid?.transactionHash,
      });
      expect(eob.payment?.amount).to.deep.equal({ value: 96, currency: "USD" });
    });

    it("gives a denied claim's reason as an X12 claim adjustment reason code, and accounts without an entry as identifiers", async function () {
      const s = await loadFixture(fixture);
      await submitFhir(s, { fhir: write(s, "claim.json", serviceClaim(s)) });
      await captured((io) =>
        claimsDeny({ address: s.address, from: "2", claim: "1", reason: "50" }, connection, io),
      );
      const file = path.join(s.dir, "eob.json");
      await captured((io) =>
        claimsEobFhir({ address: s.address, from: "", claim: "1", fhir: file }, connection, io),
      );
      const eob = JSON.parse(readFileSync(file, "utf8")) as ExplanationOfBenefit;
      expect(validateFhir(eob)).to.deep.equal([]);
      expect(eob.outcome).to.equal("complete");
      expect(eob.patient).to.deep.equal({
        identifier: { system: "urn:carechain:account", value: s.patient.address },
      });
      const reason = eob.item?.[0]?.adjudication?.find(
        (a) => a.category.coding?.[0]?.code === "denialreason",
      );
      expect(reason?.reason?.coding?.[0]).to.include({
        system: "https://x12.org/codes/claim-adjustment-reason-codes",
        code: "50",
      });
      expect(eob.payment).to.equal(undefined);
    });
  });
});
