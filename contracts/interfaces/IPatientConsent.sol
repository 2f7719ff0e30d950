// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title IPatientConsent
/// @notice Purpose- and time-bound consent to health data, following the HL7 FHIR Consent resource.
/// @dev Purposes of use are HL7 v3 PurposeOfUse codes numbered as in `sdk/patient-consent/vocabulary.ts`
/// (0 TREAT, 1 ETREAT, 2 HPAYMT, 3 HOPERAT, 4 HRESCH, 5 PUBHLTH, ...). Data categories are a bitmask whose
/// bit positions are listed in the same file.
interface IPatientConsent {
    /// @notice Whether `grantee` may act for `purpose` on every data category in `categories` of
    /// `patient`'s data right now, through a consent or an open break-glass window.
    /// @dev Constant time: no loop over the patient's consents. The one check other contracts call.
    /// @param patient The patient's address.
    /// @param grantee The address asking for access.
    /// @param purpose The purpose-of-use code.
    /// @param categories The data categories asked for (bitmask); zero asks for the purpose alone.
    /// @return True when a live consent (or break-glass window) covers the purpose and every category.
    function isAuthorized(
        address patient,
        address grantee,
        uint8 purpose,
        uint32 categories
    ) external view returns (bool);
}
