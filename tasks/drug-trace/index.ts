import type { TaskDefinition } from "hardhat/types/tasks";

/** The `trace …` tasks: the command line for manufacturers, distributors, pharmacies and regulators. */
export const traceTasks: TaskDefinition[] = [];
