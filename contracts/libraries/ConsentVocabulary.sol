// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title PurposeOfUse
/// @notice HL7 v3 PurposeOfUse codes (the FHIR Consent `provision.purpose` value set) as the `uint8 purpose` of
/// `PatientConsent`; a consent carries a set of them as a `uint32` mask with bit `purpose` set.
/// @dev The same table lives once in the SDK (`sdk/patient-consent/vocabulary.ts`, `PURPOSES`); a test checks
/// that both agree. Codes are append-only: a new code takes the next number and `COUNT` grows.
library PurposeOfUse {
    /// @dev Treatment.
    uint8 internal constant TREAT = 0;
    /// @dev Emergency treatment; also what a break-glass window grants.
    uint8 internal constant ETREAT = 1;
    /// @dev Healthcare payment (what an insurer asks for before paying a claim).
    uint8 internal constant HPAYMT = 2;
    /// @dev Healthcare operations.
    uint8 internal constant HOPERAT = 3;
    /// @dev Healthcare research.
    uint8 internal constant HRESCH = 4;
    /// @dev Public health.
    uint8 internal constant PUBHLTH = 5;
    /// @dev Care management.
    uint8 internal constant CAREMGT = 6;
    /// @dev Coverage under a policy or program.
    uint8 internal constant COVERAGE = 7;
    /// @dev Health system administration.
    uint8 internal constant HSYSADMIN = 8;
    /// @dev Patient requested.
    uint8 internal constant PATRQT = 9;
    /// @dev Family requested.
    uint8 internal constant FAMRQT = 10;
    /// @dev Legal.
    uint8 internal constant HLEGAL = 11;
    /// @dev Marketing.
    uint8 internal constant HMARKT = 12;
    /// @dev Clinical trial research.
    uint8 internal constant CLINTRCH = 13;

    /// @dev How many purposes are defined (codes `0 .. COUNT - 1`).
    uint8 internal constant COUNT = 14;
    /// @dev The mask with every defined purpose's bit set.
    uint32 internal constant ALL = uint32((1 << COUNT) - 1);
}

/// @title DataCategory
/// @notice Categories of health data as bits of the `uint32 categories` mask of `PatientConsent`; each constant is
/// the category's mask (`1 << bit`), so masks combine with `|`.
/// @dev The same table (bit positions) lives once in the SDK (`sdk/patient-consent/vocabulary.ts`, `CATEGORIES`);
/// a test checks that both agree. The last four are specially protected and never implied by another category.
library DataCategory {
    /// @dev Demographics (bit 0).
    uint32 internal constant DEMOGRAPHICS = 1 << 0;
    /// @dev Conditions and problems (bit 1).
    uint32 internal constant CONDITIONS = 1 << 1;
    /// @dev Medications (bit 2).
    uint32 internal constant MEDICATIONS = 1 << 2;
    /// @dev Allergies and intolerances (bit 3).
    uint32 internal constant ALLERGIES = 1 << 3;
    /// @dev Laboratory results (bit 4).
    uint32 internal constant LABS = 1 << 4;
    /// @dev Imaging (bit 5).
    uint32 internal constant IMAGING = 1 << 5;
    /// @dev Clinical notes (bit 6).
    uint32 internal constant NOTES = 1 << 6;
    /// @dev Immunizations (bit 7).
    uint32 internal constant IMMUNIZATIONS = 1 << 7;
    /// @dev Mental health (bit 8, protected).
    uint32 internal constant MENTAL_HEALTH = 1 << 8;
    /// @dev Substance use disorder records under 42 CFR Part 2 (bit 9, protected).
    uint32 internal constant SUBSTANCE_USE = 1 << 9;
    /// @dev Genetics (bit 10, protected).
    uint32 internal constant GENETICS = 1 << 10;
    /// @dev Sexual and reproductive health (bit 11, protected).
    uint32 internal constant SEXUAL_REPRODUCTIVE_HEALTH = 1 << 11;

    /// @dev How many categories are defined (bits `0 .. COUNT - 1`).
    uint8 internal constant COUNT = 12;
    /// @dev The mask with every defined category's bit set.
    uint32 internal constant ALL = uint32((1 << COUNT) - 1);
    /// @dev The specially protected categories' mask.
    uint32 internal constant PROTECTED = MENTAL_HEALTH | SUBSTANCE_USE | GENETICS | SEXUAL_REPRODUCTIVE_HEALTH;
}
