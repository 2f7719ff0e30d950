export * from "./client.js";
export * from "./gs1.js";
export * from "./serial-tree.js";
export * from "./counter.js";
export * from "./options.js";
export * from "./registration.js";
