import type { HardhatPlugin } from "hardhat/types/plugins";

/**
 * Task help without Hardhat's type names: carechain's string options without a default show as
 * `--quantity <STRING>` in a task's usage line, not `--quantity <STRING_WITHOUT_DEFAULT>` (see
 * `task-help-hook.ts`).
 */
const taskHelpPlugin: HardhatPlugin = {
  id: "carechain-task-help",
  hookHandlers: {
    hre: () => import("./task-help-hook.js"),
  },
};

export default taskHelpPlugin;
