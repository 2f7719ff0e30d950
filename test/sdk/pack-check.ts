import { rm } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { AbiCoder, id, JsonRpcProvider, Network, toBeHex } from "ethers";
import type { BaseContract, ContractRunner } from "ethers";
import { network } from "hardhat";

import type { DrugTrace } from "../../typechain-types/index.js";
import {
  checkPack,
  CheckUnavailableError,
  dispense,
  DISPENSED_AGE_LIMIT_DAYS,
  DISPENSED_LOOKUP_LIMIT,
  dispensedWarningOf,
  expiryMismatchOf,
  formatElementString,
  readLogsInRanges,
  readUnitJourney,
  registerBatch,
  resolverProofSource,
  serialTreeOf,
  treeProofSource,
  verificationPathOf,
} from "../../sdk/drug-trace/index.js";
import type { PackCheck, ProofSource } from "../../sdk/drug-trace/index.js";
import { formatParticipant, readDisplayName } from "../../sdk/drug-trace/participant-name.js";
import { InputError } from "../../sdk/errors.js";
import { startCappedRpc } from "../../support/capped-rpc.js";
import { startHardhatNode } from "../../support/hardhat-node.js";
import { startVerificationStub } from "../../support/verification-stub.js";

import { deployDrugTrace, staffDrugTrace } from "../fixtures/drug-trace.js";
import { caught, deliver } from "./helpers.js";

const GTIN = "09506000134352";
const LOT = "PC-1";
const SERIALS = Array.from({ length: 16 }, (_, i) => `SN${String(i + 1).padStart(4, "0")}`);
const TREE = serialTreeOf(SERIALS);
/** 2030-12-31 12:00:00 UTC: noon, not the end of the day, so a timestamp rule and a date rule differ. */
const NOON_EXPIRY = BigInt(Date.UTC(2030, 11, 31, 12) / 1000);
const DAY = 86_400n;

/**
 * The manufacturer and the pharmacy get their trade roles, the manufacturer its company prefix,
 * and the test batch (GTIN, LOT, TREE) is registered; returns its id.
 */
async function registerTestBatch(
  drugTrace: DrugTrace,
  admin: ContractRunner,
  manufacturer: ContractRunner & { readonly address: string },
  pharmacy: ContractRunner & { readonly address: string },
): Promise<string> {
  await staffDrugTrace(drugTrace, admin, { manufacturer, pharmacy });
  const { batchId } = await registerBatch(drugTrace.connect(manufacturer), {
    gtin: BigInt(GTIN),
    lot: LOT,
    expiry: NOON_EXPIRY,
    unitCount: BigInt(TREE.count),
    serialsRoot: TREE.root,
  });
  return batchId;
}

/** What the page and the counter render from a check: these must never differ. */
function decision(check: PackCheck): unknown {
  const { status, genuine, expiryMismatch, expiry, manufacturer, unit } = check;
  return { status, genuine, expiryMismatch, expiry, manufacturer, index: unit?.index };
}

describe("sdk/drug-trace/pack-check", function () {
  describe("expiryMismatchOf (the one expiry rule)", function () {
    it("the same UTC day agrees whatever the registered time of day", function () {
      for (const hour of [0, 12, 23]) {
        const registered = BigInt(Date.UTC(2030, 11, 31, hour, 59, 59) / 1000);
        expect(expiryMismatchOf("301231", registered)).to.equal(undefined);
      }
    });

    it("day 00 is the month's last day; another day is a mismatch with both dates", function () {
      expect(expiryMismatchOf("301200", NOON_EXPIRY)).to.equal(undefined);
      expect(expiryMismatchOf("301130", NOON_EXPIRY)).to.deep.equal({
        printed: "2030-11-30",
        registered: "2030-12-31",
      });
      expect(expiryMismatchOf(undefined, NOON_EXPIRY)).to.equal(undefined);
    });
  });

  describe("dispensedWarningOf (the patient's dispensing rule)", function () {
    const now = 2_000_000_000n;
    it(`warns above ${DISPENSED_LOOKUP_LIMIT} lookups, not at it`, function () {
      const facts = { dispensedAt: now - 60n, now };
      expect(
        dispensedWarningOf({ ...facts, lookupsSinceDispensed: DISPENSED_LOOKUP_LIMIT }),
      ).to.equal(undefined);
      expect(dispensedWarningOf({ ...facts, lookupsSinceDispensed: null })).to.equal(undefined);
      expect(
        dispensedWarningOf({ ...facts, lookupsSinceDispensed: DISPENSED_LOOKUP_LIMIT + 1 }),
      ).to.equal(
        `its code was looked up ${DISPENSED_LOOKUP_LIMIT + 1} times since it was dispensed`,
      );
    });

    it(`warns when dispensed more than ${DISPENSED_AGE_LIMIT_DAYS} days ago, not at it`, function () {
      const limit = BigInt(DISPENSED_AGE_LIMIT_DAYS) * DAY;
      expect(
        dispensedWarningOf({ dispensedAt: now - limit, lookupsSinceDispensed: null, now }),
      ).to.equal(undefined);
      expect(
        dispensedWarningOf({ dispensedAt: now - limit - DAY, lookupsSinceDispensed: 0, now }),
      ).to.equal(`it was dispensed ${DISPENSED_AGE_LIMIT_DAYS + 1} days ago`);
      expect(
        dispensedWarningOf({ dispensedAt: undefined, lookupsSinceDispensed: null, now }),
      ).to.equal(undefined);
    });
  });

  describe("verificationPathOf", function () {
    it("percent-encodes lot and serial, '.' and '..' included", function () {
      expect(verificationPathOf({ gtin: GTIN, lot: "A/B", serial: ".." })).to.equal(
        `/01/${GTIN}/10/A%2FB/21/%2E%2E`,
      );
    });
  });

  describe("checkPack over a tree file and over a resolver", function () {
    let drugTrace: DrugTrace;
    let resolver: Awaited<ReturnType<typeof startVerificationStub>>;
    let pharmacyAddress: string;

    before(async function () {
      const connection = await network.create();
      const { ethers } = connection;
      const [admin, manufacturer, pharmacy] = await ethers.getSigners();
      if (admin === undefined || manufacturer === undefined || pharmacy === undefined) {
        throw new Error("too few accounts");
      }
      pharmacyAddress = pharmacy.address;
      drugTrace = await deployDrugTrace(connection, admin.address);
      const batchId = await registerTestBatch(drugTrace, admin, manufacturer, pharmacy);
      await deliver(drugTrace, batchId, manufacturer, pharmacy, 4n);
      await dispense(drugTrace.connect(pharmacy), batchId, TREE.proofFor("SN0002"));
      const chainId = Number((await ethers.provider.getNetwork()).chainId);
      resolver = await startVerificationStub(
        new Map([[`${GTIN}/${LOT}`, TREE]]),
        chainId,
        await drugTrace.getAddress(),
      );
    });

    after(async function () {
      await resolver.close();
    });

    const codes: [string, string | undefined][] = [
      ["SN0001", "301231"], // printed day = registered day (registered at noon)
      ["SN0001", "301200"], // day 00
      ["SN0001", "301230"], // a day early: suspect
      ["SN0001", undefined], // no printed expiry
      ["SN0002", "301231"], // dispensed
      ["SN9999", "301231"], // not in the batch
    ];

    it("the counter's source (tree file) and the page's (resolver) decide every pack the same", async function () {
      for (const [serial, expiry] of codes) {
        const code = formatElementString({
          gtin: GTIN,
          lot: LOT,
          serial,
          ...(expiry === undefined ? {} : { expiry }),
        });
        const counter = await checkPack(drugTrace, code, treeProofSource(TREE));
        const page = await checkPack(drugTrace, code, resolverProofSource(resolver.url));
        expect(decision(page), code).to.deep.equal(decision(counter));
        expect(page.answerProblem, code).to.equal(undefined);
      }
    });

    it("the registered noon expiry and the printed day agree: genuine at the counter and on the page", async function () {
      const code = formatElementString({
        gtin: GTIN,
        lot: LOT,
        serial: "SN0001",
        expiry: "301231",
      });
      const check = await checkPack(drugTrace, code, resolverProofSource(resolver.url));
      expect([check.status, check.genuine, check.expiryMismatch]).to.deep.equal([
        "Active",
        true,
        undefined,
      ]);
    });

    it("a dispensed pack: who and when, no warning just after, a warning after many lookups", async function () {
      const code = formatElementString({ gtin: GTIN, lot: LOT, serial: "SN0002" });
      const fresh = await checkPack(drugTrace, code, resolverProofSource(resolver.url), {
        dispensing: true,
      });
      expect(fresh.status).to.equal("Dispensed");
      expect(fresh.dispensing?.dispenser).to.equal(pharmacyAddress);
      expect(fresh.dispensedWarning).to.equal(undefined);
      resolver.lookups.set("SN0002", 40);
      try {
        const copied = await checkPack(drugTrace, code, resolverProofSource(resolver.url), {
          dispensing: true,
        });
        expect(copied.dispensedWarning).to.equal(
          "its code was looked up 40 times since it was dispensed",
        );
      } finally {
        resolver.lookups.delete("SN0002");
      }
    });

    it("a dishonest resolver cannot make a pack genuine: another pack's proof, another root, another deployment", async function () {
      const code = formatElementString({ gtin: GTIN, lot: LOT, serial: "SN0003" });
      const other = TREE.proofFor("SN0009");
      const tampers: [
        (answer: Record<string, unknown>) => Record<string, unknown>,
        string,
        string,
      ][] = [
        [
          (a) => ({ ...a, index: other.index.toString(), proof: other.proof }),
          "Unknown",
          "its proof does not verify",
        ],
        [(a) => ({ ...a, root: id("forged") }), "Active", "is not the registered"],
        [
          (a) => ({ ...a, contract: "0x000000000000000000000000000000000000dEaD" }),
          "Active",
          "it answers for contract",
        ],
        [(a) => ({ ...a, chainId: 1 }), "Active", "it answers for chain 1"],
      ];
      for (const [tamper, status, problem] of tampers) {
        resolver.tamper = tamper;
        try {
          const check = await checkPack(drugTrace, code, resolverProofSource(resolver.url));
          // the chain decides: a forged root or deployment claim with a true proof stays genuine on THIS chain
          expect(check.status, problem).to.equal(status);
          expect(check.answerProblem ?? "", problem).to.include(problem);
        } finally {
          resolver.tamper = undefined;
        }
      }
    });

    it("a tree file of another batch is the operator's mistake: InputError, as before", async function () {
      const code = formatElementString({ gtin: GTIN, lot: LOT, serial: "SN0001" });
      const wrong = serialTreeOf(["X1", "X2"]);
      const error = await caught(checkPack(drugTrace, code, treeProofSource(wrong)));
      expect(error).to.be.instanceOf(InputError);
      expect((error as Error).message).to.include("is not the serial tree of batch");
    });

    it("a resolver that is down or failing is CheckUnavailableError (not a verdict)", async function () {
      const code = formatElementString({ gtin: GTIN, lot: LOT, serial: "SN0001" });
      const down: ProofSource = resolverProofSource("http://127.0.0.1:9", { timeoutMs: 2_000 });
      expect(await caught(checkPack(drugTrace, code, down))).to.be.instanceOf(
        CheckUnavailableError,
      );
      const failing = resolverProofSource("http://resolver.invalid", {
        fetch: () =>
          Promise.resolve(
            new Response(JSON.stringify({ title: "Too Many Requests" }), { status: 429 }),
          ),
      });
      const error = await caught(checkPack(drugTrace, code, failing));
      expect(error).to.be.instanceOf(CheckUnavailableError);
      expect((error as Error).message).to.equal(
        "the resolver at http://resolver.invalid answered HTTP 429 (Too Many Requests)",
      );
    });
  });

  describe("participant names", function () {
    const runner = (answer: string): ContractRunner => ({
      provider: null,
      call: () => Promise.resolve(answer),
    });
    const target = {
      getAddress: () => Promise.resolve("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
    };
    const account = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    it("reads nameOf when the contract has it", async function () {
      const encoded = AbiCoder.defaultAbiCoder().encode(["string"], ["Acme Pharma GmbH"]);
      expect(await readDisplayName({ ...target, runner: runner(encoded) }, account)).to.equal(
        "Acme Pharma GmbH",
      );
    });

    it("degrades to no name when the contract has no nameOf (empty answer)", async function () {
      expect(await readDisplayName({ ...target, runner: runner("0x") }, account)).to.equal("");
    });

    it("formats a participant with the short address beside its name", function () {
      expect(formatParticipant("Acme Pharma GmbH", account)).to.equal(
        "Acme Pharma GmbH (0x7099…79C8)",
      );
      expect(formatParticipant("", account)).to.equal("0x7099…79C8");
    });

    it("reads the deployed DrugTrace's names (none set: empty), whether or not it has nameOf yet", async function () {
      const connection = await network.create();
      const [admin] = await connection.ethers.getSigners();
      if (admin === undefined) throw new Error("no account");
      // untyped, as the page holds a deployment it did not build
      const contract: BaseContract = await deployDrugTrace(connection, admin.address);
      const hasNames = contract.interface.getFunction("nameOf") !== null;
      const expected = hasNames
        ? ((await contract.getFunction("nameOf").staticCall(account)) as string)
        : "";
      expect(await readDisplayName(contract, account)).to.equal(expected);
    });
  });

  describe("journey reads against a provider that caps eth_getLogs at 10,000 blocks", function () {
    it("reads a journey registered a million blocks ago, in windows the provider accepts", async function () {
      this.timeout(240_000);
      const node = await startHardhatNode();
      const capped = await startCappedRpc(node.url, 10_000);
      try {
        const connection = await network.create({
          network: "localhost",
          override: { url: node.url },
        });
        const [admin, manufacturer, pharmacy] = await connection.ethers.getSigners();
        if (admin === undefined || manufacturer === undefined || pharmacy === undefined) {
          throw new Error("too few accounts");
        }
        const deploymentId = `capped-logs-${process.pid}`;
        const drugTrace = await deployDrugTrace(connection, admin.address, deploymentId);
        const address = await drugTrace.getAddress();
        const batchId = await registerTestBatch(drugTrace, admin, manufacturer, pharmacy);
        await connection.provider.request({ method: "hardhat_mine", params: [toBeHex(1_000_000)] });
        await deliver(drugTrace, batchId, manufacturer, pharmacy, 2n);
        const unit = TREE.proofFor("SN0004");
        await dispense(drugTrace.connect(pharmacy), batchId, unit);

        // the page's view: a read-only provider through the capped endpoint
        const chain = Network.from(31337n);
        const reader = new JsonRpcProvider(capped.url, chain, {
          staticNetwork: chain,
          batchMaxCount: 1,
        });
        const readOnly = drugTrace.connect(reader);
        // the cap is real: one query over the whole range is refused
        const refused = await caught(
          reader.getLogs({ address, fromBlock: 0, toBlock: await reader.getBlockNumber() }),
        );
        expect((refused as Error).message).to.include("exceeds max block range 10000");

        const journey = await readUnitJourney(readOnly, batchId, unit.index, 0);
        expect(journey.map((row) => row.event)).to.deep.equal([
          "BatchRegistered",
          "ShipmentSent",
          "ShipmentAccepted",
          "UnitDispensed",
        ]);
        expect(journey[1]!.block - journey[0]!.block).to.be.greaterThan(1_000_000);
        // with the cap known, exactly ceil(range / 10,000) windows per query
        const before = capped.logQueries.answered;
        const logs = await readLogsInRanges(
          reader,
          { address },
          { fromBlock: 0, maxRange: 10_000 },
        );
        const head = await reader.getBlockNumber();
        expect(capped.logQueries.answered - before).to.equal(Math.ceil((head + 1) / 10_000));
        expect(logs.length).to.be.greaterThan(3);

        const check = await checkPack(
          readOnly,
          formatElementString({ gtin: GTIN, lot: LOT, serial: "SN0004" }),
          treeProofSource(TREE),
          {
            dispensing: true,
            fromBlock: { fromBlock: 0, maxRange: 10_000 },
          },
        );
        expect(check.dispensing?.dispenser).to.equal(pharmacy.address);
        reader.destroy();
      } finally {
        await capped.close();
        await node.stop();
        await rm(path.join("ignition", "deployments", `capped-logs-${process.pid}`), {
          recursive: true,
          force: true,
        });
      }
    });
  });
});
