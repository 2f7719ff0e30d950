/*
 * Typed wrappers over a `DrugTrace` contract, one module per part of its job; this file gathers
 * them so `sdk/drug-trace/client.js` keeps exporting everything it did.
 */
export * from "./vocabulary.js";
export * from "./contract.js";
export * from "./batches.js";
export * from "./custody.js";
export * from "./flags.js";
export * from "./roles.js";
export * from "./prefixes.js";
export * from "./history.js";
