export * from "./client.js";
export * from "./gs1.js";
export * from "./serial-tree.js";
