import type { HardhatPlugin } from "hardhat/types/plugins";

/**
 * Checks the configuration variables (RPC URLs, the deployer key, the explorer API key) when a
 * network or task first needs them, so a missing or malformed one ends with one line saying
 * which variable and how to set it, instead of a library error.
 */
const configVariablesPlugin: HardhatPlugin = {
  id: "carechain-config-variables",
  hookHandlers: {
    configurationVariables: () => import("./config-variables-hook.js"),
    network: () => import("./network-variables-hook.js"),
  },
};

export default configVariablesPlugin;
