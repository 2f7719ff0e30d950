import { HardhatPluginError } from "@nomicfoundation/hardhat-errors";

const PLUGIN_ID = "carechain";

/** What each kind of variable must look like, and an example that says how to set it. */
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

function howToSet(name: string): string {
  const example = FORMATS.find(({ pattern }) => pattern.test(name))?.example ?? "<value>";
  return `set it in .env (see .env.example) or export ${name}=${example}`;
}

/** The one-line error for a variable that is not set. */
export function missingVariable(name: string): HardhatPluginError {
  return new HardhatPluginError(PLUGIN_ID, `${name} is not set: ${howToSet(name)}`);
}

/**
 * Checks a configuration variable's value against the format its name implies (`*_RPC_URL`,
 * `*_PRIVATE_KEY`, `*_API_KEY`) and returns it trimmed; an empty or malformed value ends with one
 * line naming the variable and how to set it.
 */
export function checkVariable(name: string, value: string): string {
  const trimmed = value.trim();
  if (trimmed === "") throw missingVariable(name);
  const format = FORMATS.find(({ pattern }) => pattern.test(name));
  if (format !== undefined && !format.test(trimmed)) {
    throw new HardhatPluginError(PLUGIN_ID, `${name} is not ${format.expected}: ${howToSet(name)}`);
  }
  return trimmed;
}
