/**
 * The InsuranceClaim SDK: the adjudication math, token amounts with decimals, fee schedules and
 * their Merkle trees, typed contract wrappers and the explanation-of-benefits statement.
 */
export * from "./adjudication.js";
export * from "./amounts.js";
export * from "./claim-rules.js";
export * from "./client.js";
export * from "./fee-schedule.js";
export * from "./reason-codes.js";
export * from "./statement.js";
export * from "./token.js";
