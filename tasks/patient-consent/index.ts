import type { TaskDefinition } from "hardhat/types/tasks";

/** The `consent …` tasks: the command line for patients, delegates and providers. */
export const consentTasks: TaskDefinition[] = [];
