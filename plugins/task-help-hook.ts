import { ArgumentType } from "hardhat/types/arguments";
import type { HardhatRuntimeEnvironmentHooks } from "hardhat/types/hooks";
import type { OptionDefinition } from "hardhat/types/arguments";
import type { Task } from "hardhat/types/tasks";

/** The task scopes carechain defines (one folder under `tasks/` each). */
const SCOPES = new Set(["trace", "consent", "claims", "suite"]);

/** Every task under `task`, itself included. */
function* allTasks(task: Task): Generator<Task> {
  yield task;
  for (const subtask of task.subtasks.values()) yield* allTasks(subtask);
}

/**
 * Hardhat registers a string option without a default only as `STRING_WITHOUT_DEFAULT`, and its
 * help prints that type name in the usage line. Once the tasks are registered (and their
 * definitions validated), carechain's such options are shown as `STRING`: they parse the same
 * (a string), stay `undefined` when not given (help shows no "(default: …)"), and the task's
 * wrapper checks the required ones (`tasks/lib/task.ts`).
 */
export default (): Promise<Partial<HardhatRuntimeEnvironmentHooks>> =>
  Promise.resolve({
    created: (_context, hre) => {
      for (const [name, root] of hre.tasks.rootTasks) {
        if (!SCOPES.has(name)) continue;
        for (const task of allTasks(root)) {
          for (const [optionName, option] of task.options) {
            if (option.type !== ArgumentType.STRING_WITHOUT_DEFAULT) continue;
            const shown: OptionDefinition = { ...option, type: ArgumentType.STRING };
            task.options.set(optionName, shown);
          }
        }
      }
      return Promise.resolve();
    },
  });
