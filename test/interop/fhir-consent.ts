import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import type { Bundle, Consent } from "fhir/r4.js";
import { network } from "hardhat";

import { validateFhir } from "../../sdk/fhir.js";
import {
  parseCategories,
  parsePurposes,
  parseSignedConsentGrant,
  readConsent,
} from "../../sdk/patient-consent/index.js";
import { consentExport } from "../../tasks/patient-consent/export.js";
import { consentGrant } from "../../tasks/patient-consent/grant.js";
import { consentSign } from "../../tasks/patient-consent/sign.js";
import { deployConsentOn } from "../helpers/patient-consent.js";
import type { Connection } from "../helpers/patient-consent.js";
import { runAction } from "../tasks/run.js";

/*
 * PatientConsent ↔ FHIR R4 Consent: `consent grant --fhir`, `consent sign --fhir` and
 * `consent export --fhir`, validated with Medplum's FHIR R4 validator over the official
 * StructureDefinitions.
 */

const SAMPLE = path.join(import.meta.dirname, "..", "..", "examples", "fhir-consent.json");

async function deployment(connection: Connection) {
  const deployed = await deployConsentOn(connection);
  const { patient, clinic, insurer } = deployed;
  const dir = mkdtempSync(path.join(tmpdir(), "carechain-fhir-consent-"));
  const participants = path.join(dir, "participants.json");
  writeFileSync(
    participants,
    JSON.stringify({
      participants: [
        { account: patient.address, fhir: "Patient/example-pseudonym" },
        { account: insurer.address, fhir: "Organization/example-insurer" },
        { account: clinic.address, fhir: "Organization/clinic" },
      ],
    }),
  );
  return { ...deployed, dir, participants, connection };
}

type Deployment = Awaited<ReturnType<typeof deployment>>;

/**
 * `consent grant --fhir` as the patient (account 1) of `resource`, written to `name` in the folder
 * of `on` (default: `d`), onto the contract of `on`, with the participants of `d`.
 */
async function grantFhir(d: Deployment, resource: unknown, name: string, on: Deployment = d) {
  const file = path.join(on.dir, name);
  writeFileSync(file, JSON.stringify(resource));
  const args = { fhir: file, participants: d.participants, from: "1", address: on.address };
  return { file, result: await runAction(consentGrant, args, on.connection) };
}

function sample(): Consent {
  return JSON.parse(readFileSync(SAMPLE, "utf8")) as Consent;
}

describe("PatientConsent FHIR R4", function () {
  it("the sample Consent (examples/fhir-consent.json) is valid FHIR R4", function () {
    expect(validateFhir(sample())).to.deep.equal([]);
  });

  it("grants from a FHIR Consent, exports it as a valid Bundle, and the export grants the same on a fresh deployment", async function () {
    const connection = await network.create();
    const d = await deployment(connection);
    const resource = sample();
    resource.provision!.class!.push({
      system: "http://hl7.org/fhir/resource-types",
      code: "Observation",
    });
    resource.provision!.securityLabel = [
      { system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "PSY" },
    ];
    const { result: granted } = await grantFhir(d, resource, "consent.json");
    expect(granted.exitCode, granted.stderr).to.equal(0);
    const view = await readConsent(d.consent, d.patient.address, d.insurer.address);
    expect(view.state).to.equal("Active");
    expect(view.purposes).to.equal(BigInt(parsePurposes("HPAYMT")));
    expect(view.categories).to.equal(BigInt(parseCategories("medications,labs,mental-health")));
    expect(view.end).to.equal(BigInt(Date.parse("2027-11-25T00:00:00Z") / 1000));

    const bundleFile = path.join(d.dir, "bundle.json");
    const exported = await runAction(
      consentExport,
      {
        fhir: bundleFile,
        patient: d.patient.address,
        participants: d.participants,
        address: d.address,
      },
      d.connection,
    );
    expect(exported.stdout).to.contain(`wrote 1 Consent resource(s) of ${d.patient.address}`);
    const bundle = JSON.parse(readFileSync(bundleFile, "utf8")) as Bundle;
    expect(validateFhir(bundle)).to.deep.equal([]);
    const consent = bundle.entry?.[0]?.resource as Consent;
    expect(consent.status).to.equal("active");
    expect(consent.identifier?.[0]).to.deep.equal({
      system: "urn:carechain:patient-consent:consent",
      value: view.consentId,
    });
    expect(consent.patient).to.deep.equal({ reference: "Patient/example-pseudonym" });
    expect(consent.provision?.actor?.[0]?.reference).to.deep.equal({
      reference: "Organization/example-insurer",
    });
    expect(consent.provision?.purpose).to.deep.equal([
      { system: "http://terminology.hl7.org/CodeSystem/v3-ActReason", code: "HPAYMT" },
    ]);
    expect(consent.provision?.class?.map((c) => c.code)).to.deep.equal([
      "MedicationStatement",
      "Observation",
    ]);
    expect(consent.provision?.securityLabel?.map((c) => c.code)).to.deep.equal(["PSY"]);

    // the exported Consent grants the same on a fresh deployment
    const fresh = await deployment(await network.create());
    const { result: regranted } = await grantFhir(d, consent, "again.json", fresh);
    expect(regranted.exitCode, regranted.stderr).to.equal(0);
    const copy = await readConsent(fresh.consent, d.patient.address, d.insurer.address);
    expect([copy.purposes, copy.categories, copy.end]).to.deep.equal([
      view.purposes,
      view.categories,
      view.end,
    ]);
  });

  it("signs a grant from a FHIR Consent for anyone to submit", async function () {
    const d = await deployment(await network.create());
    const out = path.join(d.dir, "grant.json");
    const signed = await runAction(
      consentSign,
      {
        fhir: SAMPLE,
        participants: d.participants,
        from: "1",
        address: d.address,
        deadlineDays: "7",
        out,
      },
      d.connection,
    );
    expect(signed.exitCode, signed.stderr).to.equal(0);
    const grant = parseSignedConsentGrant(readFileSync(out, "utf8")).grant;
    expect(grant.patient).to.equal(d.patient.address);
    expect(grant.grantee).to.equal(d.insurer.address);
    expect(grant.purposes).to.equal(BigInt(parsePurposes("HPAYMT")));
    expect(grant.categories).to.equal(BigInt(parseCategories("medications")));
  });

  it("refuses what the chain cannot hold, one line per problem, and sends nothing", async function () {
    const connection = await network.create();
    const d = await deployment(connection);
    const resource = sample();
    resource.provision!.provision = [
      {
        type: "deny",
        class: [{ system: "http://hl7.org/fhir/resource-types", code: "Observation" }],
      },
    ];
    resource.provision!.data = [{ meaning: "instance", reference: { reference: "Observation/1" } }];
    resource.provision!.actor!.push({
      role: {
        coding: [
          { system: "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", code: "IRCP" },
        ],
      },
      reference: { reference: "Organization/clinic" },
    });
    resource.provision!.purpose!.push({ system: "http://example.org/purposes", code: "X" });
    const block = await connection.ethers.provider.getBlockNumber();
    const { file, result } = await grantFhir(d, resource, "bad.json");
    expect(result.exitCode).to.equal(1);
    expect(result.stderr.split("\n")).to.deep.equal([
      `error: ${file} cannot be granted on chain (4 problems, nothing sent):`,
      "Consent.provision.provision: nested provisions (exceptions) cannot be represented on chain: a consent is one permit",
      "Consent.provision.data: data-level provisions (specific resources) cannot be represented on chain: consent covers whole categories",
      "Consent.provision.actor: has 2 actors; a consent on chain names one grantee: one Consent per grantee",
      "Consent.provision.purpose[1]: http://example.org/purposes|X is not a code carechain maps: use http://terminology.hl7.org/CodeSystem/v3-ActReason",
    ]);
    const invalid = { ...sample(), status: undefined };
    const { result: second } = await grantFhir(d, invalid, "bad.json");
    expect(second.stderr.split("\n")).to.deep.equal([
      `error: ${file} is not a valid FHIR R4 resource (1 problem, nothing sent):`,
      "Consent.status: Missing required property",
    ]);
    const typed = await runAction(
      consentGrant,
      { fhir: SAMPLE, grantee: d.clinic.address, from: "1", address: d.address },
      d.connection,
    );
    expect(typed.stderr).to.equal(
      "error: --fhir takes grantee, purposes, categories, period and patient from the Consent: drop --grantee",
    );
    expect(await connection.ethers.provider.getBlockNumber()).to.equal(block);
  });
});
