import { Contract, Interface } from "ethers";
import type { ContractRunner, ContractTransactionResponse } from "ethers";

/** The slice of ERC-20 (and its metadata and OpenZeppelin errors) the SDK uses. */
export const ERC20_ABI: readonly string[] = [
  "function balanceOf(address account) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function decimals() view returns (uint8)",
  "function symbol() view returns (string)",
  "error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)",
  "error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)",
  "error ERC20InvalidApprover(address approver)",
  "error ERC20InvalidReceiver(address receiver)",
  "error ERC20InvalidSender(address sender)",
  "error ERC20InvalidSpender(address spender)",
];

/** The ERC-20 interface, for decoding token reverts next to the contract's. */
export const ERC20_INTERFACE: Interface = new Interface(ERC20_ABI);

function asBigInt(value: unknown): bigint {
  if (typeof value !== "bigint") throw new TypeError(`expected a uint256, got ${String(value)}`);
  return value;
}

/** A token's address, symbol and decimals, for showing amounts to people. */
export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
}

/**
 * Reads a token's symbol and decimals. A token without `decimals()` is taken as 18 (the ERC-20
 * default) and one without `symbol()` is shown as `tokens`.
 *
 * @example
 * const { symbol, decimals } = await readTokenInfo(provider, "0xA0b8…");
 */
export async function readTokenInfo(runner: ContractRunner, address: string): Promise<TokenInfo> {
  const token = new Contract(address, ERC20_ABI, runner);
  let decimals = 18;
  let symbol = "tokens";
  try {
    const value: unknown = await token.getFunction("decimals").staticCall();
    decimals = Number(value);
  } catch {
    // no decimals(): the ERC-20 default
  }
  try {
    const value: unknown = await token.getFunction("symbol").staticCall();
    if (typeof value === "string" && value !== "") symbol = value;
  } catch {
    // no symbol()
  }
  return { address, symbol, decimals };
}

/**
 * Reads `owner`'s balance of a token.
 *
 * @example
 * const balance = await readTokenBalance(provider, usdc, insurer);
 */
export async function readTokenBalance(
  runner: ContractRunner,
  address: string,
  owner: string,
): Promise<bigint> {
  const value: unknown = await new Contract(address, ERC20_ABI, runner)
    .getFunction("balanceOf")
    .staticCall(owner);
  return asBigInt(value);
}

/**
 * Makes sure `spender` may move `amount` of the signer's tokens, sending `approve` when the
 * allowance is lower; returns the approval transaction, or null when none was needed.
 *
 * @example
 * await ensureAllowance(insurer, usdc, insuranceClaimAddress, 1_000_000n);
 */
export async function ensureAllowance(
  runner: ContractRunner & { getAddress(): Promise<string> },
  address: string,
  spender: string,
  amount: bigint,
): Promise<ContractTransactionResponse | null> {
  const token = new Contract(address, ERC20_ABI, runner);
  const current: unknown = await token
    .getFunction("allowance")
    .staticCall(await runner.getAddress(), spender);
  if (asBigInt(current) >= amount) return null;
  const tx = (await token.getFunction("approve")(spender, amount)) as ContractTransactionResponse;
  await tx.wait();
  return tx;
}
