import type { Consent } from "fhir/r4.js";

import { InputError } from "../../sdk/errors.js";
import { readFhirResource } from "../../sdk/fhir.js";
import { isGiven } from "../lib/options.js";
import { loadParticipants } from "../../sdk/participants.js";
import { readFhirConsentTerms } from "../../sdk/patient-consent/fhir.js";

/** The options of `consent grant` and `consent sign` a FHIR Consent gives. */
export interface ConsentFhirOptions {
  grantee?: string;
  purposes?: string;
  categories?: string;
  start?: string;
  until?: string;
  days?: string;
  patient?: string;
  fhir?: string;
  participants?: string;
}

/**
 * `--fhir <Consent.json> [--participants <file>]`: the grantee, purposes, categories, period and
 * patient of `consent grant` / `consent sign`, from a validated FHIR R4 Consent. Options the
 * Consent gives may not be typed as well.
 */
export async function consentOptionsFromFhir(
  args: ConsentFhirOptions & { readonly fhir: string },
): Promise<
  Required<
    Pick<ConsentFhirOptions, "grantee" | "purposes" | "categories" | "until" | "patient">
  > & { start?: string; days?: undefined }
> {
  const typed = (
    ["grantee", "purposes", "categories", "start", "until", "days", "patient"] as const
  ).filter((option) => isGiven(args[option]));
  if (typed.length > 0) {
    throw new InputError(
      `--fhir takes grantee, purposes, categories, period and patient from the Consent: drop ${typed.map((option) => `--${option}`).join(", ")}`,
    );
  }
  const participants = await loadParticipants(
    isGiven(args.participants) ? args.participants : undefined,
  );
  const resource = await readFhirResource<Consent>(args.fhir, "Consent");
  const terms = readFhirConsentTerms(resource, participants, args.fhir);
  return {
    grantee: terms.grantee,
    purposes: terms.purposes,
    categories: terms.categories,
    until: terms.until,
    patient: terms.patient,
    ...(terms.start === undefined ? {} : { start: terms.start }),
    days: undefined,
  };
}
