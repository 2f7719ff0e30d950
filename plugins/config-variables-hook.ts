import type { ConfigurationVariableHooks } from "hardhat/types/hooks";

import { checkVariable, missingVariable } from "./variable-formats.js";

/** Variables that come from a plugin (the keystore) rather than the environment. */
export default (): Promise<Partial<ConfigurationVariableHooks>> =>
  Promise.resolve({
    fetchValue: async (context, variable, next) => {
      let value: string;
      try {
        value = await next(context, variable);
      } catch {
        throw missingVariable(variable.name);
      }
      return checkVariable(variable.name, value);
    },
  });
