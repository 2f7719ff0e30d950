import { expect } from "chai";
import hre, { network } from "hardhat";
import type { Task } from "hardhat/types/tasks";

// The help text `npx hardhat <task> --help` prints, as Hardhat's command line renders it.
import { getHelpString } from "../../node_modules/hardhat/dist/src/internal/cli/help/get-help-string.js";
import type { RegisteredTask } from "../../tasks/lib/option-definitions.js";
import { expectFailed, runRegistered } from "./run.js";

const connection = await network.create();

/** Every task of carechain's scopes that runs something (not the scope's own empty task). */
function carechainTasks(): Task[] {
  const found: Task[] = [];
  const visit = (task: Task): void => {
    if (!task.isEmpty) found.push(task);
    for (const subtask of task.subtasks.values()) visit(subtask);
  };
  for (const scope of ["trace", "consent", "claims", "suite"]) visit(hre.tasks.getTask(scope));
  return found;
}

async function registered(task: Task): Promise<RegisteredTask> {
  const load = task.actions[0].action;
  if (typeof load !== "function") throw new Error(`${task.id.join(" ")} has no lazy action`);
  return ((await load()) as unknown as { default: RegisteredTask }).default;
}

describe("task help and required options", function () {
  it("every task's --help names no Hardhat type like STRING_WITHOUT_DEFAULT and no empty default", async function () {
    const tasks = carechainTasks();
    expect(tasks.length).to.be.greaterThan(50);
    for (const task of tasks) {
      const help = await getHelpString(task, new Map());
      const name = task.id.join(" ");
      expect(help, name).to.not.contain("WITHOUT_DEFAULT");
      expect(help, name).to.not.match(/\(default: \)/);
      expect(help, name).to.contain("Usage: hardhat [GLOBAL OPTIONS]");
    }
  });

  it("every option whose help starts 'Required:' is checked before the task runs, and only those", async function () {
    for (const task of carechainTasks()) {
      const declared = [...task.options.values()]
        .filter((option) => option.description.startsWith("Required: "))
        .map((option) => option.name);
      const checked = (await registered(task)).required.map((option) => option.name);
      expect(checked, task.id.join(" ")).to.deep.equal(declared);
    }
  });

  it("a missing required option ends with one line naming it and what to give, before any connection", async function () {
    const ship = await runRegistered(
      ["trace", "ship"],
      { batch: `0x${"11".repeat(32)}`, to: "0x0000000000000000000000000000000000000001" },
      connection,
    );
    expectFailed(ship, "error: --quantity is required (the number of units)");
    const plan = await runRegistered(
      ["claims", "plan"],
      { pool: "1", fees: "fees.csv", coverageLimit: " " },
      connection,
    );
    expect(plan.stderr).to.equal(
      "error: --coverage-limit is required (the most a policy pays over its period, in whole tokens, e.g. 5000)",
    );
  });
});
