/*
 * P-256 (secp256r1) arithmetic the SDK needs off chain: checking a public key is on the curve
 * and flipping a signature's `s` to the low half (OpenZeppelin's `P256.verify` accepts only
 * `s <= n / 2`). No signing here: signing is the passkey's job.
 */

/** The field prime p of P-256. */
export const P256_P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
/** The curve order n of P-256. */
export const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;
const P256_A = P256_P - 3n;
const P256_B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

/**
 * Whether (`qx`, `qy`) is a point of P-256 (not infinity): the check `P256.isValidPublicKey`
 * makes on chain.
 *
 * @example
 * if (!isValidP256PublicKey({ qx, qy })) throw new Error("not a passkey key");
 */
export function isValidP256PublicKey(key: { readonly qx: string; readonly qy: string }): boolean {
  let x: bigint;
  let y: bigint;
  try {
    x = BigInt(key.qx);
    y = BigInt(key.qy);
  } catch {
    return false;
  }
  if (x <= 0n || y <= 0n || x >= P256_P || y >= P256_P) return false;
  const left = (y * y) % P256_P;
  const right = (((x * x) % P256_P) * x + P256_A * x + P256_B) % P256_P;
  return left === right;
}

/**
 * `s` or `n - s`, whichever is in the low half: both verify, only the low one on chain.
 *
 * @example
 * const s = normalizeP256S(BigInt(sHex));
 */
export function normalizeP256S(s: bigint): bigint {
  return s > P256_N / 2n ? P256_N - s : s;
}
