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

/** The order of secp256k1: a private key is a number in [1, n - 1]. */
const SECP256K1_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Whether `value` is still the placeholder `.env.example` holds for a variable of this kind (an
 * `<…>` slot, an `example.org`/`example.com` host, the all-zero key), so that copying the file
 * unchanged ends with "replace X in .env" rather than a failed request or an invalid-key error.
 */
function isPlaceholder(value: string): boolean {
  if (/[<>]/.test(value)) return true;
  if (/^https?:\/\/([^/]*\.)?example\.(org|com|net)([:/]|$)/i.test(value)) return true;
  return /^(0x)?0{64}$/.test(value);
}

/** The problem with one variable's value, or undefined when it is fine. */
function problemOf(name: string, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === "") return `${name} is not set: ${howToSet(name)}`;
  if (isPlaceholder(trimmed)) {
    return `replace ${name} in .env: it still holds the placeholder from .env.example`;
  }
  const format = FORMATS.find(({ pattern }) => pattern.test(name));
  if (format !== undefined && !format.test(trimmed)) {
    return `${name} is not ${format.expected}: ${howToSet(name)}`;
  }
  if (/_PRIVATE_KEY$/.test(name) && BigInt(`0x${trimmed.replace(/^0x/, "")}`) >= SECP256K1_ORDER) {
    return `${name} is not a valid private key (it must be below the secp256k1 order): ${howToSet(name)}`;
  }
  return undefined;
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
  checkVariables([[name, value]]);
  return value.trim();
}

/**
 * Checks several variables at once and ends with one line per problem (each variable that is
 * missing, malformed or still a placeholder), so a user who copied `.env.example` unchanged is
 * told every value to replace in one go.
 */
export function checkVariables(variables: Iterable<readonly [name: string, value: string]>): void {
  const problems: string[] = [];
  for (const [name, value] of variables) {
    const problem = problemOf(name, value);
    if (problem !== undefined) problems.push(problem);
  }
  if (problems.length === 1) throw new HardhatPluginError(PLUGIN_ID, problems[0] ?? "");
  if (problems.length > 1) {
    const heading = `${problems.length} configuration variables to fix (nothing was sent):`;
    throw new HardhatPluginError(PLUGIN_ID, [heading, ...problems].join("\n"));
  }
}
