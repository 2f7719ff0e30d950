// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title MockPatientConsent
/// @notice Test double of PatientConsent's `isAuthorized`: the answer is set per (patient, grantee, purpose),
/// with the data categories it covers. Not deployed outside tests.
/// @dev Does not inherit IPatientConsent on purpose: that interface grows with PatientConsent, this mock only
/// answers the one question InsuranceClaim asks.
contract MockPatientConsent {
    struct Grant {
        bool allowed;
        uint32 categories;
    }

    mapping(address patient => mapping(address grantee => mapping(uint8 purpose => Grant))) private _grants;

    /// @notice Sets the answer for (`patient`, `grantee`, `purpose`): authorized when `allowed` and the asked
    /// categories are all in `categories`.
    function setAuthorization(
        address patient,
        address grantee,
        uint8 purpose,
        bool allowed,
        uint32 categories
    ) external {
        _grants[patient][grantee][purpose] = Grant(allowed, categories);
    }

    /// @notice Same signature and meaning as `IPatientConsent.isAuthorized`.
    function isAuthorized(
        address patient,
        address grantee,
        uint8 purpose,
        uint32 categories
    ) external view returns (bool) {
        Grant storage grant = _grants[patient][grantee][purpose];
        return grant.allowed && (categories & ~grant.categories) == 0;
    }
}
