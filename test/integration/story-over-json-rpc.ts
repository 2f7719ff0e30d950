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
import { inProcessTaskRunner, runHardhat, startHardhatNode } from "../../support/hardhat-node.js";
import type { RunningNode, TaskRun, TaskRunner } from "../../support/hardhat-node.js";

/*
 * The whole story over JSON-RPC, as operators would type it: a `hardhat node` child process on a
 * free 127.0.0.1 port, the suite deployed with `suite deploy` (the Ignition module), then every
 * step through the `trace`, `consent` and `claims` tasks, given as command lines. What a shell
 * adds (argument parsing, the process's exit code and its stderr) is checked on subprocesses:
 * the first deployment, bad input, an exit code 2. The other steps run the same tasks inside
 * this process, which saves starting Node and Hardhat for each of some thirty commands. The test
 * asserts both what the tasks print and what the chain then holds.
 */

const GTIN = "09506000134352";
const LOT = "INT-1";
const UNITS = 200;
const serialOf = (i: number): string => `SN${String(i).padStart(5, "0")}`;

describe("the carechain story over JSON-RPC (hardhat node + the tasks as typed)", function () {
  this.timeout(600_000);

  let node: RunningNode | undefined;
  let work = "";
  let deploymentId = "";
  let provider: JsonRpcProvider;
  let accounts: string[] = [];

  let runInProcess: TaskRunner | undefined;
  /**
   * Runs `hardhat <scope> <task> --network localhost …` against the node and the test deployment,
   * inside this process (the same task definitions and actions, without a Node start per command).
   */
  const task = async (args: readonly string[]): Promise<TaskRun> => {
    if (runInProcess === undefined) throw new Error("no node");
    return runInProcess(args, { CARECHAIN_DEPLOYMENT_ID: deploymentId });
  };
  /** Same, as an operator types it in a shell: a `hardhat` subprocess, its real exit code and output. */
  const shell = (args: readonly string[]): TaskRun => {
    if (node === undefined) throw new Error("no node");
    return runHardhat(node.url, [...args.slice(0, 2), "--network", "localhost", ...args.slice(2)], {
      CARECHAIN_DEPLOYMENT_ID: deploymentId,
    });
  };
  /** Fails the test with the task's own output unless it exited with `status`. */
  const expectExit = (run: TaskRun, args: readonly string[], status = 0): TaskRun => {
    expect(
      run.status,
      `hardhat ${args.join(" ")}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`,
    ).to.equal(status);
    return run;
  };
  const expectTask = async (args: readonly string[], status = 0): Promise<TaskRun> =>
    expectExit(await task(args), args, status);
  const account = (i: number): string => {
    const found = accounts[i];
    if (found === undefined) throw new Error(`no account ${i}`);
    return found;
  };

  before(async function () {
    node = await startHardhatNode();
    runInProcess = await inProcessTaskRunner({ url: node.url });
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

  it("deploys the suite with the Ignition module, idempotently", async function () {
    const deploy = ["suite", "deploy", "--deployment-id", deploymentId];
    const first = expectExit(shell(deploy), deploy);
    expect(first.stdout).to.match(/DrugTrace#DrugTrace\s+0x[0-9a-fA-F]{40}/);
    expect(first.stdout).to.match(/CareChain#InsuranceClaim\s+0x[0-9a-fA-F]{40}/);
    const again = await expectTask(["suite", "deploy", "--deployment-id", deploymentId]);
    const addressOf = (text: string): string | undefined =>
      /DrugTrace#DrugTrace\s+(0x[0-9a-fA-F]{40})/.exec(text)?.[1];
    expect(addressOf(again.stdout)).to.equal(addressOf(first.stdout));
  });

  it("refuses a parameters file with a placeholder left, before sending anything", async function () {
    const before = await provider.getTransactionCount(account(0));
    const run = await task([
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
    /** `trace dispense` at the pharmacy (account 3) of the pack with `code`. */
    const dispenseAtPharmacy = (code: string): string[] => [
      "trace",
      "dispense",
      "--from",
      "3",
      "--code",
      code,
      "--tree",
      treeFile,
    ];
    /** `trace verify` of the pack with `code`. */
    const verifyWithTree = (code: string): string[] => [
      "trace",
      "verify",
      "--code",
      code,
      "--tree",
      treeFile,
    ];

    const shipAndAccept = async (from: number, to: number, quantity: number): Promise<void> => {
      const shipped = await expectTask([
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
      await expectTask(["trace", "accept", "--from", String(to), "--shipment", shipmentId ?? ""]);
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
      const run = await expectTask([
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
      await shipAndAccept(1, 2, 50);
      await shipAndAccept(2, 3, 10);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      expect(await drugTrace.holdingOf(batchId, account(2))).to.equal(40n);
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(10n);
    });

    it("dispenses a pack at the pharmacy (trace dispense)", async function () {
      const run = await expectTask(dispenseAtPharmacy(codeOf(serialOf(dispensedIndex))));
      expect(run.stdout).to.match(/dispensed/i);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      expect(await drugTrace.isDispensedBy(batchId, dispensedIndex, account(3))).to.equal(true);
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(9n);
    });

    it("verifies a genuine, a forged and a copied code (trace verify)", async function () {
      const genuine = await expectTask(
        verifyWithTree(formatElementString({ gtin: GTIN, lot: LOT, serial: serialOf(5), expiry })),
      );
      expect(genuine.stdout).to.match(/Active/);
      const forged = await expectTask(verifyWithTree(codeOf("FAKE0001")), 2);
      expect(forged.stdout).to.match(/not genuine|counterfeit/i);
      const copied = await expectTask(verifyWithTree(codeOf(serialOf(dispensedIndex))), 2);
      expect(copied.stdout).to.match(/already dispensed/i);
    });

    it("refuses the copied code at the counter and raises an alert (trace dispense)", async function () {
      const dispense = dispenseAtPharmacy(codeOf(serialOf(dispensedIndex)));
      const run = expectExit(shell(dispense), dispense, 2);
      expect(run.stdout + run.stderr).to.match(/NOT dispensed: .*alert raised as flag #1/);
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      const flag = await drugTrace.suspectFlagOf(1n);
      expect(flag.batchId).to.equal(batchId);
      expect(flag.reporter).to.equal(account(3));
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(9n);
    });

    it("refuses a serial not in the tree at the counter, with no alert (trace dispense)", async function () {
      // What the README says: a serial that is not in the batch's tree file names no unit, so
      // nothing is dispensed, nothing is sent (no flag either) and the task exits 1.
      const drugTrace = DrugTrace__factory.connect(resolveAddress("DrugTrace"), provider);
      const openFlags = await drugTrace.openFlagsOf(account(3));
      const sent = await provider.getTransactionCount(account(3));
      const run = await task(dispenseAtPharmacy(codeOf("FAKE0001")));
      expect(run.status).to.equal(1);
      expect(run.stderr.trim()).to.equal(
        `error: NOT dispensed: serial FAKE0001 is not in tree file ${treeFile} of batch ${GTIN}/${LOT} — a counterfeit code, or the wrong tree file`,
      );
      expect(await drugTrace.openFlagsOf(account(3))).to.equal(openFlags);
      expect(await provider.getTransactionCount(account(3))).to.equal(sent);
      expect(await drugTrace.holdingOf(batchId, account(3))).to.equal(9n);
    });

    it("ends bad input with one clear line and a non-zero exit", async function () {
      const badDigit = shell(verifyWithTree(codeOf(serialOf(1)).replace(GTIN, "09506000134353")));
      expect(badDigit.status).to.equal(1);
      expect(badDigit.stderr.trim()).to.match(/^error: .*check digit/);
      expect(badDigit.stderr.trim().split("\n")).to.have.length(1);
      const missing = await task([
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

    it("tells the journey from events (trace history)", async function () {
      const run = await expectTask(["trace", "history", "--batch", batchId]);
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
      await expectTask([
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
      await expectTask(["consent", "submit", "--from", "3", "--grant", grantFile]);
      const check = await expectTask([
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

      const pool = await expectTask([
        "claims",
        "open-pool",
        "--from",
        "6",
        "--token",
        tokenAddress,
      ]);
      expect(pool.stdout).to.match(/pool\D*1\b/i);
      await expectTask(["claims", "fund", "--from", "6", "--pool", "1", "--amount", "10000"]);
      await expectTask([
        "claims",
        "adjuster",
        "--from",
        "6",
        "--pool",
        "1",
        "--account",
        account(7),
      ]);
      const fees = path.join(work, "fees.json");
      writeFileSync(fees, JSON.stringify({ [GTIN]: "45.00" }));
      await expectTask([
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
      await expectTask([
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
      const stranger = await task(submit);
      expect(stranger.status).to.equal(1);
      expect(stranger.stderr.trim()).to.match(/^error: .*InsuranceClaimProviderNotAuthorized/);
      await expectTask([
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
      await expectTask(submit);
      const refused = await task(["claims", "approve", "--from", "5", "--claim", "1"]);
      expect(refused.status).to.equal(1);
      expect(refused.stderr.trim()).to.match(/^error: .*InsuranceClaimNotPoolAdjuster/);
      await expectTask(["claims", "approve", "--from", "7", "--claim", "1"]);
      await expectTask(["claims", "pay", "--from", "6", "--claim", "1"]);
      const eob = await expectTask(["claims", "eob", "--claim", "1"]);
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
