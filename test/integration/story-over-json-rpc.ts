import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { ContractFactory, JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";
import type { JsonRpcSigner } from "ethers";

import { resolveSuiteAddress } from "../../tasks/lib/deployments.js";
import { formatDigitalLink, formatElementString } from "../../sdk/drug-trace/gs1.js";
import {
  DrugTrace__factory,
  InsuranceClaim__factory,
  MockERC20__factory,
  PatientConsent__factory,
} from "../../typechain-types/index.js";
import { runHardhat, startHardhatNode } from "../../support/hardhat-node.js";
import type { RunningNode, TaskRun } from "../../support/hardhat-node.js";

/*
 * The whole story over JSON-RPC, as operators would type it: a `hardhat node` child process on a
 * free 127.0.0.1 port, the suite deployed with `suite deploy` (the Ignition module), then every
 * step through the `trace`, `consent` and `claims` tasks as subprocesses. The test asserts both
 * what the tasks print and what the chain then holds.
 */

const GTIN = "09506000134352";
const LOT = "INT-1";
const UNITS = 200;
const serialOf = (i: number): string => `SN${String(i).padStart(5, "0")}`;

describe("the carechain story over JSON-RPC (hardhat node + tasks as subprocesses)", function () {
  this.timeout(600_000);

  let node: RunningNode | undefined;
  let work = "";
  let deploymentId = "";
  let provider: JsonRpcProvider;
  let accounts: string[] = [];

  /** Runs `hardhat <scope> <task> --network localhost …` against the node and the test deployment. */
  const task = (args: readonly string[]): TaskRun => {
    if (node === undefined) throw new Error("no node");
    return runHardhat(node.url, [...args.slice(0, 2), "--network", "localhost", ...args.slice(2)], {
      CARECHAIN_DEPLOYMENT_ID: deploymentId,
    });
  };
  /** Same, and fails the test with the task's own output unless it exited with `status`. */
  const expectTask = (args: readonly string[], status = 0): TaskRun => {
    const run = task(args);
    expect(
      run.status,
      `hardhat ${args.join(" ")}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    ).to.equal(status);
    return run;
  };
  const account = (i: number): string => {
    const found = accounts[i];
    if (found === undefined) throw new Error(`no account ${i}`);
    return found;
  };

  before(async function () {
    node = await startHardhatNode();
    work = mkdtempSync(path.join(tmpdir(), "carechain-integration-"));
    deploymentId = `integration-${process.pid}-${node.pid}`;
    provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true });
    accounts = (await provider.listAccounts()).map((signer) => signer.address);
  });

  after(async function () {
    provider.destroy();
    await node?.stop();
    if (work !== "") rmSync(work, { recursive: true, force: true });
    if (deploymentId !== "") {
      rmSync(path.join("ignition", "deployments", deploymentId), { recursive: true, force: true });
    }
  });

  it("runs the node as its own process and stops it by PID", function () {
    expect(node?.pid).to.be.a("number");
    expect(() => process.kill(node?.pid ?? 0, 0)).to.not.throw();
  });

  it("deploys the suite with the Ignition module, idempotently", function () {
    const first = expectTask(["suite", "deploy", "--deployment-id", deploymentId]);
    expect(first.stdout).to.match(/DrugTrace#DrugTrace\s+0x[0-9a-fA-F]{40}/);
    expect(first.stdout).to.match(/CareChain#InsuranceClaim\s+0x[0-9a-fA-F]{40}/);
    const again = expectTask(["suite", "deploy", "--deployment-id", deploymentId]);
    const addressOf = (text: string): string | undefined =>
      /DrugTrace#DrugTrace\s+(0x[0-9a-fA-F]{40})/.exec(text)?.[1];
    expect(addressOf(again.stdout)).to.equal(addressOf(first.stdout));
  });

  it("refuses a parameters file with a placeholder left, before sending anything", async function () {
    const before = await provider.getTransactionCount(account(0));
    const run = task([
      "suite",
      "deploy",
      "--deployment-id",
      `${deploymentId}-refused`,
      "--parameters",
      "ignition/parameters/testnet.example.json",
    ]);
    expect(run.status).to.equal(1);
    expect(run.stderr.trim()).to.match(
      /^error: .*CareChain\.manufacturer is "REPLACE_WITH_MANUFACTURER_ADDRESS", not an address/,
    );
    expect(run.stderr.trim().split("\n")).to.have.length(1);
    expect(await provider.getTransactionCount(account(0))).to.equal(before);
  });

  describe("the story", function () {
    let batchId = "";
    let treeFile = "";
    let expiry = "";
    let tokenAddress = "";
    const dispensedIndex = 4;
    const codeOf = (serial: string): string =>
      formatDigitalLink({ gtin: GTIN, lot: LOT, serial, expiry });

    const shipAndAccept = (from: number, to: number, quantity: number): void => {
      const shipped = expectTask([
        "trace",
        "ship",
        "--from",
        String(from),
        "--batch",
        batchId,
        "--to",
        account(to),
        "--quantity",
        String(quantity),
      ]);
      const shipmentId = /shipment\s*(?:id)?\s*:?\s*(0x[0-9a-fA-F]+|\d+)/i.exec(
        shipped.stdout,
      )?.[1];
      expect(shipmentId, shipped.stdout).to.be.a("string");
      expectTask(["trace", "accept", "--from", String(to), "--shipment", shipmentId ?? ""]);
    };

    it("registers a batch from a serial file (trace register)", async function () {
      const serialFile = path.join(work, "serials.txt");
      writeFileSync(
        serialFile,
        Array.from({ length: UNITS }, (_, i) => serialOf(i)).join("\n") + "\n",
      );
      const latest = (await provider.getBlock("latest"))?.timestamp ?? 0;
      const expiryDate = new Date((latest + 400 * 86_400) * 1000);
      const two = (n: number): string => String(n).padStart(2, "0");
      expiry = `${two(expiryDate.getUTCFullYear() % 100)}${two(expiryDate.getUTCMonth() + 1)}${two(expiryDate.getUTCDate())}`;
      const run = expectTask([
        "trace",
        "register",
        "--from",
        "1",
        "--serials",
        serialFile,
        "--gtin",
        GTIN,
        "--lot",
        LOT,
        "--expiry",
        expiry,
      ]);
      batchId = /batch(?: id)?\s*:?\s*(0x[0-9a-f]{64})/i.exec(run.stdout)?.[1] ?? "";
      treeFile = /tree(?: file)?\s*:?\s*(\S+\.tree\.json)/i.exec(run.stdout)?.[1] ?? "";
      expect(batchId, run.stdout).to.match(/^0x[0-9a-f]{64}$/);
      expect(treeFile, run.stdout).to.not.equal("");
      expect(run.stdout).to.match(/gas/i);

      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      const batch = await drugTrace.batchOf(batchId);
      expect(batch.unitCount).to.equal(BigInt(UNITS));
      expect(batch.manufacturer).to.equal(account(1));
    });

    it("hands custody manufacturer → distributor → pharmacy (trace ship / accept)", async function () {
      shipAndAccept(1, 2, 50);
      shipAndAccept(2, 3, 10);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      expect(await drugTrace.holdingOf(batchId, account(2))).to.equal(40n);
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(10n);
    });

    it("dispenses a pack at the pharmacy (trace dispense)", async function () {
      const run = expectTask([
        "trace",
        "dispense",
        "--from",
        "3",
        "--code",
        codeOf(serialOf(dispensedIndex)),
        "--tree",
        treeFile,
      ]);
      expect(run.stdout).to.match(/dispensed/i);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      expect(await drugTrace.isDispensedBy(batchId, dispensedIndex, account(3))).to.equal(true);
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(9n);
    });

    it("verifies a genuine, a forged and a copied code (trace verify)", function () {
      const genuine = expectTask([
        "trace",
        "verify",
        "--code",
        formatElementString({ gtin: GTIN, lot: LOT, serial: serialOf(5), expiry }),
        "--tree",
        treeFile,
      ]);
      expect(genuine.stdout).to.match(/Active/);
      const forged = expectTask(
        ["trace", "verify", "--code", codeOf("FAKE0001"), "--tree", treeFile],
        2,
      );
      expect(forged.stdout).to.match(/not genuine|counterfeit/i);
      const copied = expectTask(
        ["trace", "verify", "--code", codeOf(serialOf(dispensedIndex)), "--tree", treeFile],
        2,
      );
      expect(copied.stdout).to.match(/already dispensed/i);
    });

    it("refuses the copied code at the counter and raises an alert (trace dispense)", async function () {
      const run = expectTask(
        [
          "trace",
          "dispense",
          "--from",
          "3",
          "--code",
          codeOf(serialOf(dispensedIndex)),
          "--tree",
          treeFile,
        ],
        2,
      );
      expect(run.stdout + run.stderr).to.match(/NOT dispensed: .*alert raised as flag #1/);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      const flag = await drugTrace.suspectFlagOf(1n);
      expect(flag.batchId).to.equal(batchId);
      expect(flag.reporter).to.equal(account(3));
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(9n);
    });

    it("ends bad input with one clear line and a non-zero exit", function () {
      const badDigit = task([
        "trace",
        "verify",
        "--code",
        codeOf(serialOf(1)).replace(GTIN, "09506000134353"),
        "--tree",
        treeFile,
      ]);
      expect(badDigit.status).to.equal(1);
      expect(badDigit.stderr.trim()).to.match(/^error: .*check digit/);
      expect(badDigit.stderr.trim().split("\n")).to.have.length(1);
      const missing = task([
        "trace",
        "verify",
        "--code",
        codeOf(serialOf(1)),
        "--tree",
        path.join(work, "nope.json"),
      ]);
      expect(missing.status).to.equal(1);
      expect(missing.stderr.trim().split("\n")).to.have.length(1);
    });

    it("tells the journey from events (trace history)", function () {
      const run = expectTask(["trace", "history", "--batch", batchId]);
      for (const event of [
        "BatchRegistered",
        "ShipmentSent",
        "ShipmentAccepted",
        "UnitDispensed",
        "SuspectFlagged",
      ]) {
        expect(run.stdout).to.include(event);
      }
    });

    it("records the patient's signed consent for the insurer (consent sign / submit / check)", async function () {
      const grantFile = path.join(work, "grant.json");
      expectTask([
        "consent",
        "sign",
        "--from",
        "8",
        "--grantee",
        account(6),
        "--purposes",
        "HPAYMT",
        "--categories",
        "medications",
        "--days",
        "365",
        "--out",
        grantFile,
      ]);
      expectTask(["consent", "submit", "--from", "3", "--grant", grantFile]);
      const check = expectTask([
        "consent",
        "check",
        "--patient",
        account(8),
        "--grantee",
        account(6),
        "--purpose",
        "HPAYMT",
        "--categories",
        "medications",
      ]);
      expect(check.stdout).to.match(/authori[sz]ed/i);
      const consent = PatientConsent__factory.connect(resolveAddress("PatientConsent"), provider);
      expect(await consent.isAuthorized(account(8), account(6), 2, 1 << 2)).to.equal(true);
    });

    it("pays the pharmacy's claim for the dispensed pack (claims …)", async function () {
      const admin: JsonRpcSigner = await provider.getSigner(0);
      const factory = new ContractFactory(
        MockERC20__factory.abi,
        MockERC20__factory.bytecode,
        admin,
      );
      const token = MockERC20__factory.connect(
        await (await factory.deploy("USD Coin (test)", "USDC", 6)).getAddress(),
        admin,
      );
      tokenAddress = await token.getAddress();
      await (await token.mint(account(6), 100_000n * 1_000_000n)).wait();

      const pool = expectTask(["claims", "open-pool", "--from", "6", "--token", tokenAddress]);
      expect(pool.stdout).to.match(/pool\D*1\b/i);
      expectTask(["claims", "fund", "--from", "6", "--pool", "1", "--amount", "10000"]);
      expectTask(["claims", "adjuster", "--from", "6", "--pool", "1", "--account", account(7)]);
      const fees = path.join(work, "fees.json");
      writeFileSync(fees, JSON.stringify({ [GTIN]: "45.00" }));
      expectTask([
        "claims",
        "plan",
        "--from",
        "6",
        "--pool",
        "1",
        "--coverage-limit",
        "5000",
        "--deductible",
        "10",
        "--coinsurance",
        "20",
        "--fees",
        fees,
        "--appeal-days",
        "180",
      ]);
      const today = new Date(((await provider.getBlock("latest"))?.timestamp ?? 0) * 1000);
      const iso = (date: Date): string => date.toISOString().slice(0, 10);
      expectTask([
        "claims",
        "enroll",
        "--from",
        "6",
        "--plan",
        "1",
        "--patient",
        account(8),
        "--start",
        iso(new Date(today.getTime() - 86_400_000)),
        "--end",
        iso(new Date(today.getTime() + 365 * 86_400_000)),
      ]);
      const submit = [
        "claims",
        "submit",
        "--from",
        "3",
        "--policy",
        "1",
        "--patient",
        account(8),
        "--gtin",
        GTIN,
        "--lot",
        LOT,
        "--unit",
        String(dispensedIndex),
        "--billed",
        "60",
        "--date",
        iso(today),
        "--evidence",
        keccak256(toUtf8Bytes("fhir-claim:integration")),
      ];
      // The pharmacy may bill only once the patient authorizes it for payment (HPAYMT).
      const stranger = task(submit);
      expect(stranger.status).to.equal(1);
      expect(stranger.stderr.trim()).to.match(/^error: .*InsuranceClaimProviderNotAuthorized/);
      expectTask([
        "consent",
        "grant",
        "--from",
        "8",
        "--grantee",
        account(3),
        "--purposes",
        "TREAT,HPAYMT",
        "--categories",
        "medications",
        "--days",
        "30",
      ]);
      expectTask(submit);
      const refused = task(["claims", "approve", "--from", "5", "--claim", "1"]);
      expect(refused.status).to.equal(1);
      expect(refused.stderr.trim()).to.match(/^error: .*InsuranceClaimNotPoolAdjuster/);
      expectTask(["claims", "approve", "--from", "7", "--claim", "1"]);
      expectTask(["claims", "pay", "--from", "6", "--claim", "1"]);
      const eob = expectTask(["claims", "eob", "--claim", "1"]);
      expect(eob.stdout).to.match(/Plan pays\s+28\.00/);

      const claims = InsuranceClaim__factory.connect(resolveAddress("InsuranceClaim"), provider);
      expect(await claims.claimStateOf(1n)).to.equal(5n); // Paid
      expect(await token.balanceOf(account(3))).to.equal(28_000_000n);
      const poolInfo = await claims.poolOf(1n);
      expect(poolInfo.reserved).to.equal(0n);
    });

    it("reads the addresses the deployment recorded, for every task", function () {
      expect(tokenAddress).to.match(/^0x/);
      for (const contract of ["DrugTrace", "PatientConsent", "InsuranceClaim"] as const) {
        expect(resolveAddress(contract)).to.match(/^0x[0-9a-fA-F]{40}$/);
      }
    });
  });

  function resolveAddress(contract: "DrugTrace" | "PatientConsent" | "InsuranceClaim"): string {
    const previous = process.env.CARECHAIN_DEPLOYMENT_ID;
    process.env.CARECHAIN_DEPLOYMENT_ID = deploymentId;
    try {
      return resolveSuiteAddress(contract, 31337n);
    } finally {
      if (previous === undefined) delete process.env.CARECHAIN_DEPLOYMENT_ID;
      else process.env.CARECHAIN_DEPLOYMENT_ID = previous;
    }
  }
});
