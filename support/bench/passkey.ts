import { concat, getBytes, sha256, toBeHex } from "ethers";
import type { ChainType, NetworkConnection } from "hardhat/types/network";

import { formatNumber } from "../../tasks/lib/terminal.js";
import {
  signConsentActionWithPasskey,
  signConsentGrantWithPasskey,
} from "../../sdk/passkey/index.js";
import { createSoftwarePasskey } from "../../sdk/passkey/software-passkey.js";
import { parseDerSignature } from "../../sdk/passkey/webauthn.js";
import { deployPasskeyFixture, draftGrant } from "../fixtures/passkey.js";

/*
 * What a patient's passkey actions cost: the one-time account deployment, a signed grant and a
 * signed revocation, each submitted by the relay, on a chain with the P-256 precompile and on
 * one without it (OpenZeppelin's Solidity verifier). The software passkey signs exactly what a
 * phone does, with a production-length origin in the client data.
 */

/** The goals with the precompile (issue 14). */
export const PASSKEY_GOALS = { grant: 120_000, revoke: 70_000 } as const;

/** One chain's measurements. */
export interface PasskeyBenchRow {
  readonly chain: string;
  readonly precompile: string;
  readonly deployAccount: number;
  readonly firstGrant: number;
  readonly grant: number;
  readonly revoke: number;
}

const ORIGIN = { rpId: "consent.carechain.example", origin: "https://consent.carechain.example" };

/** Whether 0x100 verifies a genuine P-256 signature on this chain. */
async function hasP256Precompile(connection: NetworkConnection<ChainType>): Promise<boolean> {
  const passkey = createSoftwarePasskey(ORIGIN);
  const assertion = await passkey.getAssertion(new Uint8Array(32));
  const { r, s } = parseDerSignature(assertion.signature);
  const hash = sha256(
    concat([
      assertion.authenticatorData,
      sha256(new TextEncoder().encode(assertion.clientDataJSON)),
    ]),
  );
  const answer = await connection.ethers.provider.call({
    to: "0x0000000000000000000000000000000000000100",
    data: concat([hash, r, s, passkey.publicKey.qx, passkey.publicKey.qy]),
  });
  return answer === toBeHex(1n, 32);
}

async function gasOf(
  sent: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>,
): Promise<number> {
  const receipt = await (await sent).wait();
  if (receipt === null) throw new Error("no receipt");
  return Number(receipt.gasUsed);
}

/** Measures one chain. */
export async function benchPasskeyOn(
  connection: NetworkConnection<ChainType>,
  chain: string,
  precompileName: string,
): Promise<PasskeyBenchRow> {
  const f = await deployPasskeyFixture(connection);
  const passkey = createSoftwarePasskey(ORIGIN);
  const target = { chainId: f.chainId, consentAddress: f.consentAddress };
  const { qx, qy } = passkey.publicKey;
  const account = await f.factory.accountOf(qx, qy);
  const deployAccount = await gasOf(f.factory.connect(f.relayer).createAccount(qx, qy));
  const now = BigInt((await connection.ethers.provider.getBlock("latest"))?.timestamp ?? 0);
  // Two signed grants: the first moves the account's nonce from 0 to 1, the second is steady.
  const grants: number[] = [];
  for (const [nonce, grantee] of [f.clinic.address, f.insurer.address].entries()) {
    const signed = await signConsentGrantWithPasskey(
      passkey,
      target,
      draftGrant(account, grantee, now, BigInt(nonce)),
    );
    grants.push(
      await gasOf(f.consent.connect(f.relayer).grantConsentBySig(signed.grant, signed.signature)),
    );
  }
  const [firstGrant = 0, grant = 0] = grants;
  const revocation = await signConsentActionWithPasskey(passkey, target, "ConsentRevocation", {
    patient: account,
    grantee: f.clinic.address,
    nonce: BigInt(`0x${Buffer.from(getBytes(sha256("0x01"))).toString("hex")}`),
    deadline: now + 3_600n,
  });
  const revoke = await gasOf(
    f.consent.connect(f.relayer).revokeConsentBySig(revocation.message, revocation.signature),
  );
  const present = await hasP256Precompile(connection);
  return {
    chain,
    precompile: present ? precompileName : "none (OpenZeppelin's Solidity P-256 verifier)",
    deployAccount,
    firstGrant,
    grant,
    revoke,
  };
}

/** The markdown section for bench/RESULTS.md. */
export function renderPasskeySection(rows: readonly PasskeyBenchRow[]): string {
  const lines = [
    "## Passkey accounts (patients without a wallet)",
    "",
    "Gas used (receipt, as the relay pays it) by a patient's passkey account (`PatientAccount`, an",
    "ERC-1271 account with ERC-7739 and WebAuthn, cloned by `PatientAccountFactory`): the one-time",
    "deployment, a signed grant (first: the patient's nonce 0 → 1; steady: a later one) and a signed",
    "revocation. The client data carries a production-length origin",
    `(\`${ORIGIN.origin}\`). Goals with the precompile: grant ≤ ${formatNumber(PASSKEY_GOALS.grant)}, revoke ≤ ${formatNumber(PASSKEY_GOALS.revoke)}.`,
    "",
    "| chain | P-256 verification | deploy account | first grant | grant | revoke | goals met? |",
    "| ----- | ------------------ | -------------: | ----------: | ----: | -----: | ---------- |",
    ...rows.map((row) => {
      const withPrecompile = !row.precompile.startsWith("none");
      const met = withPrecompile
        ? row.grant <= PASSKEY_GOALS.grant && row.revoke <= PASSKEY_GOALS.revoke
          ? "yes"
          : "**no**"
        : "(no goal without the precompile)";
      return `| ${row.chain} | ${row.precompile} | ${formatNumber(row.deployAccount)} | ${formatNumber(row.firstGrant)} | ${formatNumber(row.grant)} | ${formatNumber(row.revoke)} | ${met} |`;
    }),
    "",
    "Where the precompile exists: RIP-7212 `P256VERIFY` at `0x100` (3,450 gas) on OP-stack chains",
    "since the Fjord upgrade (OP Mainnet, Base, and other OP-stack L2s) and on other rollups that",
    "adopted RIP-7212 (e.g. Polygon PoS, zkSync Era, Arbitrum since ArbOS 31); EIP-7951 puts the same",
    "precompile at the same address on Ethereum L1 from the Osaka upgrade (Fusaka), at 6,900 gas.",
    "OpenZeppelin's `P256.verify` calls `0x100` and falls back to its Solidity verifier where it",
    "is absent, so the same account works everywhere, only cheaper where the precompile exists.",
    "",
  ];
  return lines.join("\n");
}
