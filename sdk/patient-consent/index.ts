/**
 * The PatientConsent SDK: the purpose and category vocabulary, periods, EIP-712 signed grants
 * and typed wrappers over the contract.
 */
export * from "./vocabulary.js";
export * from "./eip712.js";
export * from "./client.js";
