import type { NetworkHooks } from "hardhat/types/hooks";

import { checkVariables } from "./variable-formats.js";

/** The names of the configuration variables a network's config refers to. */
function variableNames(value: unknown, found: Set<string> = new Set<string>()): Set<string> {
  if (value === null || typeof value !== "object") return found;
  const record = value as Record<string, unknown>;
  if (record._type === "ResolvedConfigurationVariable" && typeof record.name === "string") {
    found.add(record.name);
    return found;
  }
  for (const child of Array.isArray(value) ? value : Object.values(record))
    variableNames(child, found);
  return found;
}

/**
 * Hardhat reads a configuration variable set in the environment without consulting any plugin,
 * so its format is checked here, before a connection to the network that uses it is made.
 */
export default (): Promise<Partial<NetworkHooks>> =>
  Promise.resolve({
    newConnection: async (context, next) => {
      const name = context.globalOptions.network;
      const network = typeof name === "string" ? context.config.networks[name] : undefined;
      const set: [string, string][] = [];
      for (const variable of variableNames(network)) {
        const value = process.env[variable];
        if (value !== undefined) set.push([variable, value]);
      }
      checkVariables(set);
      return next(context);
    },
  });
