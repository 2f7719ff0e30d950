import { expect } from "chai";
import { AbiCoder, id, zeroPadValue } from "ethers";
import { network } from "hardhat";

import {
  calldataFloorGas,
  calldataGas,
  describeFloor,
  floorOf,
  logGas,
  storageGas,
} from "../support/bench/floor.js";
import { BASE_LIKE_ASSUMPTIONS, l1DataFee, l2CostOf, weiToUsd } from "../support/bench/l2-fee.js";

const { ethers } = await network.create();

const TRANSFER_TOPIC = id("Transfer(address,address,uint256)");
const ALICE = "0x00000000000000000000000000000000000a11ce";
const BOB = "0x0000000000000000000000000000000000000b0b";

describe("bench floor", function () {
  describe("calldataGas", function () {
    it("charges 4 gas per zero byte and 16 per non-zero byte", function () {
      expect(calldataGas("0x")).to.equal(0n);
      expect(calldataGas("0x00")).to.equal(4n);
      expect(calldataGas("0xff")).to.equal(16n);
      // transfer(address,uint256) to 0x…0b0b of 1000: selector 4 + 32 + 32 bytes, 8 of them non-zero.
      const data =
        "0xa9059cbb" +
        zeroPadValue(BOB, 32).slice(2) +
        AbiCoder.defaultAbiCoder().encode(["uint256"], [1000n]).slice(2);
      expect(calldataGas(data)).to.equal(8n * 16n + 60n * 4n);
    });

    it("applies the EIP-7623 floor of 21,000 + 10 per token", function () {
      // one zero byte is one token, one non-zero byte four
      expect(calldataFloorGas("0x00ff")).to.equal(21_000n + 10n * 5n);
    });
  });

  describe("logGas", function () {
    it("charges 375 + 375 per topic + 8 per data byte (an ERC-20 Transfer: 1,756)", function () {
      const log = {
        topics: [TRANSFER_TOPIC, zeroPadValue(ALICE, 32), zeroPadValue(BOB, 32)],
        data: AbiCoder.defaultAbiCoder().encode(["uint256"], [1000n]),
      };
      expect(logGas(log)).to.equal(375n + 3n * 375n + 32n * 8n);
      expect(logGas({ topics: [], data: "0x" })).to.equal(375n);
    });

    it("prices the Transfer log of a real receipt at 1,756", async function () {
      const token = await ethers.deployContract("MockERC20", ["Test", "TST", 6]);
      const [holder] = await ethers.getSigners();
      await (await token.mint(holder!.address, 1000n)).wait();
      const receipt = await (await token.transfer(BOB, 1n)).wait();
      const [log] = receipt!.logs;
      expect(logGas(log!)).to.equal(1_756n);
    });
  });

  describe("storageGas", function () {
    it("prices a cold 0 → non-zero slot at 22,100 and a non-zero update at 5,000", function () {
      expect(
        storageGas([
          { change: "set", what: "a", slots: 2 },
          { change: "update", what: "b" },
        ]),
      ).to.equal(2n * 22_100n + 5_000n);
    });
  });

  describe("floorOf", function () {
    it("adds 21,000, calldata, storage and logs, and explains it in one line", function () {
      const writes = [{ change: "set", what: "the consent" }] as const;
      const floor = floorOf({
        data: "0x00ff",
        logs: [{ topics: [TRANSFER_TOPIC], data: "0x" }],
        writes,
      });
      expect(floor.total).to.equal(21_000n + 20n + 22_100n + 750n);
      expect(describeFloor(floor, writes)).to.equal(
        "21,000 + calldata 20 (2 B) + storage 22,100 (set 22,100: the consent) + logs 750 (1 log)",
      );
    });

    it("takes the EIP-7623 calldata floor when it is higher", function () {
      const data = `0x${"ff".repeat(1000)}`;
      const floor = floorOf({ data, logs: [], writes: [] });
      expect(floor.total).to.equal(21_000n + 10n * 4_000n);
      expect(describeFloor(floor, [])).to.contain("EIP-7623");
    });

    it("counts the receipt's gas as at least its floor for a real transfer", async function () {
      const token = await ethers.deployContract("MockERC20", ["Test", "TST", 6]);
      const [holder] = await ethers.getSigners();
      await (await token.mint(holder!.address, 1000n)).wait();
      await (await token.transfer(BOB, 1n)).wait();
      const tx = await token.transfer(BOB, 1n);
      const receipt = await tx.wait();
      const floor = floorOf({
        data: tx.data,
        logs: receipt!.logs,
        writes: [{ change: "update", what: "each balance", slots: 2 }],
      });
      expect(receipt!.gasUsed >= floor.total).to.equal(true);
      expect(floor.total).to.equal(21_000n + calldataGas(tx.data) + 10_000n + 1_756n);
    });
  });
});

describe("bench L2 fee", function () {
  it("prices l1GasUsed with the Fjord formula", function () {
    // 100 estimated bytes (l1GasUsed 1,600) at the assumed prices:
    // 1,600 × (16 × 2,269 × 1e9 + 1,055,762 × 1e9) / 16e6
    const expected = (1_600n * (16n * 2_269n * 10n ** 9n + 1_055_762n * 10n ** 9n)) / 16_000_000n;
    expect(l1DataFee(1_600n, BASE_LIKE_ASSUMPTIONS)).to.equal(expected);
    const cost = l2CostOf(50_000n, 1_600n, BASE_LIKE_ASSUMPTIONS);
    expect(cost.l2ExecutionFeeWei).to.equal(50_000n * 10_000_000n);
    expect(cost.totalFeeWei).to.equal(cost.l2ExecutionFeeWei + expected);
    expect(weiToUsd(10n ** 18n, BASE_LIKE_ASSUMPTIONS)).to.equal(3_000);
  });
});
