import { expect } from "chai";
import { id, toBeHex, ZeroHash } from "ethers";

import {
  batchIdOf,
  DRUG_TRACE_ROLES,
  expiryToTimestamp,
  nameDrugTraceRevertValue,
  toGs1Bytes32,
} from "../../sdk/drug-trace/index.js";
import {
  formatCentiCelsius,
  parseBatchOption,
  parseCelsiusOption,
  parseExpiryOption,
  parseFlagOption,
  parseQuantityOption,
  parseReasonCodeOption,
  parseResolutionOption,
  parseRoleOption,
  parseVerdictOption,
} from "../../tasks/drug-trace/options.js";
import { parseAddressOption, parseUintOption, selectSigner } from "../../tasks/lib/options.js";
import { inputErrorThrownBy as refusal } from "../helpers/input-error.js";

describe("DrugTrace SDK options", function () {
  describe("parseBatchOption", function () {
    it("takes a batch id, or a GTIN and lot", function () {
      const batchId = batchIdOf(9506000134352n, "ABC123");
      expect(parseBatchOption({ batch: batchId.toUpperCase().replace("0X", "0x") })).to.deep.equal({
        batchId,
      });
      expect(parseBatchOption({ gtin: "9506000134352", lot: "ABC123" })).to.deep.equal({
        batchId,
        gtin: "09506000134352",
        lot: "ABC123",
      });
    });

    it("refuses neither, both, half and malformed forms", function () {
      expect(refusal(() => parseBatchOption({}))).to.equal(
        "--batch <id> or --gtin <GTIN> with --lot <lot> is required",
      );
      expect(refusal(() => parseBatchOption({ batch: ZeroHash, lot: "A" }))).to.equal(
        "name the batch either by --batch <id> or by --gtin and --lot, not both",
      );
      expect(refusal(() => parseBatchOption({ gtin: "9506000134352" }))).to.equal(
        "--lot is required (the batch's lot, with --gtin)",
      );
      expect(refusal(() => parseBatchOption({ batch: "0xabc" }))).to.equal(
        "--batch 0xabc is not a batch id (0x and 64 hex digits); or name the batch with --gtin and --lot",
      );
      expect(refusal(() => parseBatchOption({ gtin: "9506000134352", lot: "A B" }))).to.equal(
        '--lot "A B" contains U+0020, which is not in the GS1 AI 82 character set',
      );
    });
  });

  describe("numbers", function () {
    it("parses quantities, reason codes and flags within their ranges", function () {
      expect(parseQuantityOption("1_000")).to.equal(1000n);
      expect(parseQuantityOption("0x10")).to.equal(16n);
      expect(refusal(() => parseQuantityOption("4294967296"))).to.equal(
        "--quantity 4294967296 is out of range: 1 to 4294967295",
      );
      expect(refusal(() => parseQuantityOption(undefined))).to.equal(
        "--quantity is required (a whole number from 1 to 4294967295)",
      );
      expect(parseReasonCodeOption("65534")).to.equal(65534n);
      expect(refusal(() => parseReasonCodeOption("65535"))).to.equal(
        "--reason 65535 is out of range: 0 to 65534",
      );
      expect(parseFlagOption("#3")).to.equal(3n);
      expect(refusal(() => parseUintOption("-1", "--index", { max: 10n }))).to.equal(
        "--index -1 is not a whole number",
      );
    });

    it("parses temperatures to hundredths of a degree and prints them back", function () {
      expect(parseCelsiusOption("9.5")).to.equal(950n);
      expect(parseCelsiusOption("-25")).to.equal(-2500n);
      expect(parseCelsiusOption("8,25 °C")).to.equal(825n);
      expect(parseCelsiusOption("327.67")).to.equal(32_767n);
      expect(refusal(() => parseCelsiusOption("327.68"))).to.equal(
        "--extreme 327.68 is out of range: -327.68 to 327.67 °C",
      );
      expect(refusal(() => parseCelsiusOption("9.555"))).to.equal(
        "--extreme 9.555 is not a temperature in °C with at most two decimals, e.g. 9.5 or -25",
      );
      expect(formatCentiCelsius(-2505n)).to.equal("-25.05 °C");
      expect(formatCentiCelsius(950n)).to.equal("9.50 °C");
    });
  });

  describe("parseExpiryOption", function () {
    it("reads YYMMDD and ISO dates as the end of that day, a date-time as given", function () {
      expect(parseExpiryOption("271231")).to.equal(1830297599n);
      expect(parseExpiryOption("2027-12-31")).to.equal(1830297599n);
      expect(parseExpiryOption("270200")).to.equal(expiryToTimestamp("270228"));
      expect(parseExpiryOption("2027-12-31T12:00:00Z")).to.equal(1830254400n);
      expect(parseExpiryOption("2027-12-31T13:00:00+01:00")).to.equal(1830254400n);
    });

    it("refuses what is no date", function () {
      expect(refusal(() => parseExpiryOption("2027-02-30"))).to.equal(
        "--expiry 2027-02-30 is not a calendar date",
      );
      expect(refusal(() => parseExpiryOption("31/12/2027"))).to.equal(
        "--expiry 31/12/2027 is neither YYMMDD nor an ISO date (2027-12-31) or date-time with a zone (2027-12-31T12:00:00Z)",
      );
      expect(refusal(() => parseExpiryOption("271331"))).to.equal(
        "expiry 271331 has month 13; expected 01 to 12",
      );
    });
  });

  describe("words", function () {
    it("reads roles, verdicts and resolutions in any case", function () {
      expect(parseRoleOption("Dispenser", "--grant")).to.equal("DISPENSER");
      expect(parseRoleOption("SENSOR_ROLE", "--grant")).to.equal("SENSOR");
      expect(parseVerdictOption("dispensed")).to.equal("Dispensed");
      expect(parseResolutionOption("RECALLED")).to.equal("Recalled");
      expect(refusal(() => parseVerdictOption("fake"))).to.equal(
        "--verdict fake is not one of unknown, active, dispensed, recalled, quarantined, expired",
      );
    });
  });

  describe("addresses and accounts", function () {
    const accounts = [
      { address: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266" },
      { address: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" },
    ];

    it("picks a signer by index (default 0) or address", function () {
      expect(selectSigner(accounts, undefined)).to.equal(accounts[0]);
      expect(selectSigner(accounts, "1")).to.equal(accounts[1]);
      expect(selectSigner(accounts, accounts[1]!.address.toLowerCase())).to.equal(accounts[1]);
      expect(refusal(() => selectSigner(accounts, "2"))).to.equal(
        "--from 2: this network has 2 accounts (0 to 1)",
      );
      expect(
        refusal(() => selectSigner(accounts, "0x0000000000000000000000000000000000000001")),
      ).to.equal(
        "--from 0x0000000000000000000000000000000000000001 is not one of this network's configured accounts",
      );
      expect(refusal(() => selectSigner([], "0"))).to.equal(
        "this network has no accounts configured: set its private key (see .env.example)",
      );
    });

    it("offers the checksummed form of a mistyped address", function () {
      expect(
        refusal(() => parseAddressOption("0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "--to")),
      ).to.equal(
        "--to 0xF39Fd6e51aad88F6F4ce6aB8827279cffFb92266 has a bad checksum: did you mean 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266?",
      );
    });
  });

  describe("nameDrugTraceRevertValue", function () {
    it("names roles, states, expected states, serials and shows shipment ids in hex", function () {
      expect(
        nameDrugTraceRevertValue(
          "AccessControlUnauthorizedAccount",
          "neededRole",
          DRUG_TRACE_ROLES.SENSOR,
        ),
      ).to.equal("SENSOR_ROLE");
      expect(
        nameDrugTraceRevertValue("AccessControlUnauthorizedAccount", "neededRole", ZeroHash),
      ).to.equal("DEFAULT_ADMIN_ROLE");
      expect(
        nameDrugTraceRevertValue("AccessControlUnauthorizedAccount", "neededRole", id("X")),
      ).to.equal(undefined);
      expect(nameDrugTraceRevertValue("DrugTraceUnexpectedBatchState", "current", 3n)).to.equal(
        "Recalled",
      );
      expect(nameDrugTraceRevertValue("DrugTraceUnexpectedFlagState", "current", 2n)).to.equal(
        "Cleared",
      );
      expect(
        nameDrugTraceRevertValue(
          "DrugTraceUnexpectedBatchState",
          "expectedStates",
          toBeHex(0b11010, 32),
        ),
      ).to.equal("Active|Recalled|Expired");
      expect(
        nameDrugTraceRevertValue("DrugTraceUnitNotInBatch", "serial", toGs1Bytes32("SN0001")),
      ).to.equal("SN0001");
      expect(nameDrugTraceRevertValue("DrugTraceNotShipmentSender", "shipmentId", 12n)).to.equal(
        "0x0c",
      );
      // evidence hashes and other bytes32 values stay as they are
      expect(
        nameDrugTraceRevertValue("DrugTraceBatchAlreadyRegistered", "batchId", ZeroHash),
      ).to.equal(undefined);
    });
  });
});
