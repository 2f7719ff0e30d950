import type { TaskDefinition } from "hardhat/types/tasks";

/** The `claims …` tasks: the command line for insurers, adjusters and providers. */
export const claimsTasks: TaskDefinition[] = [];
