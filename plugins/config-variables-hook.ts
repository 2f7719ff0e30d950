import { HardhatPluginError } from "@nomicfoundation/hardhat-errors";
import type { ConfigurationVariableHooks } from "hardhat/types/hooks";

const PLUGIN_ID = "carechain";

/** What each variable must look like, and an example that says how to set it. */
const FORMATS: readonly {
  pattern: RegExp;
  test: (value: string) => boolean;
  expected: string;
  example: string;
}[] = [
  {
    pattern: /_RPC_URL$/,
    test: (value) => /^https?:\/\/[^\s]+$/.test(value),
    expected: "an http(s) URL",
    example: "https://sepolia.example.org/v3/<key>",
  },
  {
    pattern: /_PRIVATE_KEY$/,
    test: (value) => /^(0x)?[0-9a-fA-F]{64}$/.test(value),
    expected: "a 32-byte hex private key",
    example: "0x<64 hex digits>",
  },
  {
    pattern: /_API_KEY$/,
    test: (value) => /^\S+$/.test(value),
    expected: "an API key without spaces",
    example: "<your explorer API key>",
  },
];

export default (): Promise<Partial<ConfigurationVariableHooks>> =>
  Promise.resolve({
    fetchValue: async (context, variable, next) => {
      const format = FORMATS.find(({ pattern }) => pattern.test(variable.name));
      const howToSet = `set it in .env (see .env.example) or export ${variable.name}=${format?.example ?? "<value>"}`;
      let value: string;
      try {
        value = await next(context, variable);
      } catch {
        throw new HardhatPluginError(PLUGIN_ID, `${variable.name} is not set: ${howToSet}`);
      }
      if (format !== undefined && !format.test(value.trim())) {
        throw new HardhatPluginError(
          PLUGIN_ID,
          `${variable.name} is not ${format.expected}: ${howToSet}`,
        );
      }
      return value.trim();
    },
  });
