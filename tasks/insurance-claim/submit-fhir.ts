import type { Claim } from "fhir/r4.js";

import { loadSerialTree } from "../../sdk/drug-trace/serial-tree.js";
import { InputError } from "../../sdk/errors.js";
import { readFhirResource } from "../../sdk/fhir.js";
import { checkFhirClaimTerms, readFhirClaimTerms } from "../../sdk/insurance-claim/fhir.js";
import { isGiven, parseIdOption } from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { connectClaims, policyToken } from "./arguments.js";
import { EXIT_OK } from "../lib/task.js";
import type { ExitCode, TaskConnection, TaskIo } from "../lib/task.js";
import { claimsSubmit } from "./submit.js";
import type { SubmitArgs } from "./submit.js";

/** The `claims submit` options a FHIR Claim replaces. */
const FROM_THE_CLAIM = [
  "patient",
  "code",
  "gtin",
  "lot",
  "date",
  "billed",
  "evidence",
  "evidenceFile",
] as const;

/**
 * `claims submit --fhir <Claim.json> [--participants <file>] [--policy <id>] [--tree <file> | --unit <index>]`:
 * validates the FHIR R4 Claim, takes patient, provider, insurer, service (a code, or a drug by GTIN
 * with its dispensed pack), date and amount from it (accounts through the participants file),
 * checks them against the policy and the signer, and submits as `claims submit` does with the
 * hash of the canonical Claim as evidence. `--from` defaults to the Claim's provider.
 */
export async function claimsSubmitFhir(
  args: SubmitArgs & { readonly fhir: string },
  connection: TaskConnection,
  io: TaskIo,
): Promise<ExitCode> {
  const given = FROM_THE_CLAIM.filter((option) => isGiven(args[option]));
  if (given.length > 0) {
    throw new InputError(
      `--fhir takes patient, service, date, amount and evidence from the Claim: drop ${given.map((option) => `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}`,
    );
  }
  const participants = await loadParticipants(
    isGiven(args.participants) ? args.participants : undefined,
  );
  const claim = await readFhirResource<Claim>(args.fhir, "Claim");
  const terms = readFhirClaimTerms(claim, participants, args.fhir);
  const policyOption = isGiven(args.policy) ? parseIdOption(args.policy, "--policy") : undefined;
  if (
    policyOption !== undefined &&
    terms.policyId !== undefined &&
    policyOption !== terms.policyId
  ) {
    throw new InputError(
      `--policy ${policyOption} differs from the Claim's coverage (policy ${terms.policyId})`,
    );
  }
  const policyId = policyOption ?? terms.policyId;
  if (policyId === undefined) {
    throw new InputError(
      "the Claim names no policy (insurance.coverage.identifier in urn:carechain:insurance-claim:policy): give --policy",
    );
  }
  const from = isGiven(args.from) ? args.from : terms.provider;
  const { claims, signer } = await connectClaims(connection, {
    address: args.address,
    from,
  });
  await checkFhirClaimTerms(
    claims,
    terms,
    policyId,
    signer.address,
    await policyToken(claims, policyId),
  );

  const service: { -readonly [K in "code" | "gtin" | "lot" | "unit"]?: string } = {
    code: "",
    gtin: "",
    lot: "",
    unit: "",
  };
  if (terms.service.kind === "drug") {
    const { pack } = terms.service;
    let unit = args.unit;
    if (isGiven(args.tree)) {
      const tree = await loadSerialTree(args.tree);
      if (
        (tree.gtin !== undefined && tree.gtin !== pack.gtin) ||
        (tree.lot !== undefined && tree.lot !== pack.lot)
      ) {
        throw new InputError(
          `--tree ${args.tree} is batch ${tree.gtin ?? "?"}/${tree.lot ?? "?"}, the Claim's pack ${pack.gtin}/${pack.lot}`,
        );
      }
      const index = tree.proofFor(pack.serial).index.toString();
      if (isGiven(unit) && unit.trim() !== index) {
        throw new InputError(
          `--unit ${unit} differs from serial ${pack.serial}'s index ${index} in --tree`,
        );
      }
      unit = index;
    }
    if (!isGiven(unit)) {
      throw new InputError(
        `give --tree (the batch's serial tree) or --unit to find serial ${pack.serial}'s unit index`,
      );
    }
    Object.assign(service, { gtin: pack.gtin, lot: pack.lot, unit });
  } else {
    service.code = terms.service.code;
  }
  const submitted = await claimsSubmit(
    {
      ...args,
      ...service,
      from,
      policy: policyId.toString(),
      patient: terms.patient,
      date: terms.serviceDate.toString(),
      billed: terms.billed,
      evidence: terms.evidenceHash,
      evidenceFile: "",
      fhir: "",
    },
    connection,
    io,
  );
  if (submitted !== EXIT_OK) return submitted;
  io.print(
    `Evidence: ${terms.evidenceHash}, the keccak256 of the canonical (RFC 8785) FHIR Claim ${args.fhir}.`,
  );
  return EXIT_OK;
}
