import { expect } from "chai";

import {
  parseDateOption,
  parseIdListOption,
  parseIdOption,
  parseOptionalAddressOption,
  parseUintOption,
} from "../../tasks/lib/options.js";
import { expectText, inputErrorThrownBy as refusal } from "../helpers/input-error.js";

/** Each parse is refused with an `InputError` saying its message (equal, or matching a pattern). */
function expectRefusals(cases: [parse: () => unknown, message: string | RegExp][]): void {
  for (const [parse, message] of cases) expectText(refusal(parse), message);
}

describe("tasks/lib/options", function () {
  describe("parseIdOption", function () {
    it("reads positive ids in decimal or hex", function () {
      expect(parseIdOption("3", "--claim")).to.equal(3n);
      expect(parseIdOption(" 0x10 ", "--claim")).to.equal(16n);
    });

    it("refuses zero, words and absence with one line naming the option", function () {
      expectRefusals([
        [() => parseIdOption("0", "--pool"), "--pool 0 is not a positive whole number"],
        [() => parseIdOption("abc", "--claim"), "--claim abc is not a positive whole number"],
        [() => parseIdOption("", "--claim"), "--claim is required (a positive whole number)"],
      ]);
    });
  });

  describe("parseUintOption", function () {
    it("without a max reads any whole number from min", function () {
      expect(parseUintOption("0", "--nonce")).to.equal(0n);
      expect(refusal(() => parseUintOption("-1", "--nonce"))).to.equal(
        "--nonce -1 is not a whole number",
      );
    });
  });

  describe("parseIdListOption", function () {
    it("reads lists and ranges", function () {
      expect(parseIdListOption("1, 4-6,9", "--ids")).to.deep.equal([1n, 4n, 5n, 6n, 9n]);
    });

    it("refuses reversed or long ranges, bad items and empty lists", function () {
      expect(parseIdListOption("1-10000", "--ids")).to.have.length(10_000);
      expectRefusals([
        [
          () => parseIdListOption("6-4", "--ids"),
          "--ids: 6-4 is not a range of at most 10,000 ids",
        ],
        [
          () => parseIdListOption("1-10001", "--ids"),
          "--ids: 1-10001 is not a range of at most 10,000 ids",
        ],
        [() => parseIdListOption("1,x", "--ids"), "--ids x is not a positive whole number"],
        [() => parseIdListOption(",", "--ids"), "--ids lists no ids, e.g. 1,2,3"],
      ]);
    });
  });

  describe("parseDateOption", function () {
    it("reads ISO dates (start or end of day), date-times and, when allowed, unix seconds", function () {
      expect(parseDateOption("2025-12-31", "--end")).to.equal(1_767_139_200n);
      expect(parseDateOption("2025-12-31", "--end", { endOfDay: true })).to.equal(1_767_225_599n);
      expect(parseDateOption("2025-12-31T12:00", "--end", { endOfDay: true })).to.equal(
        1_767_182_400n,
      );
      expect(parseDateOption("1767139200", "--date", { unixSeconds: true })).to.equal(
        1_767_139_200n,
      );
    });

    it("refuses what is not a date, a day that does not exist, and seconds unless allowed", function () {
      expectRefusals([
        [
          () => parseDateOption("01/02/2025", "--start", { unixSeconds: true }),
          "--start '01/02/2025' is not a date: use YYYY-MM-DD, an ISO date-time such as 2026-01-31T09:00:00Z, or unix seconds",
        ],
        [
          () => parseDateOption("2025-02-30", "--date"),
          "--date '2025-02-30' is not a calendar date",
        ],
        [() => parseDateOption("1767139200", "--until"), /^--until '1767139200' is not a date/],
      ]);
    });
  });

  describe("parseOptionalAddressOption", function () {
    it("is undefined when absent, checksummed when given", function () {
      expect(parseOptionalAddressOption(undefined, "--patient")).to.equal(undefined);
      expect(parseOptionalAddressOption("  ", "--patient")).to.equal(undefined);
      expect(
        parseOptionalAddressOption("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc", "--patient"),
      ).to.equal("0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC");
      expect(refusal(() => parseOptionalAddressOption("bob", "--patient"))).to.equal(
        "--patient bob is not an address",
      );
    });
  });
});
