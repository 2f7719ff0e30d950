export * from "./gs1.js";
export * from "./serial-tree.js";
