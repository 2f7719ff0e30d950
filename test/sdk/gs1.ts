import { expect } from "chai";
import { AbiCoder, encodeBytes32String, keccak256 } from "ethers";

import {
  batchIdOf,
  companyPrefixOf,
  decodeGs1Text,
  describeNameProblem,
  encodeGs1Text,
  expiryToTimestamp,
  formatDigitalLink,
  formatDigitalLinkPath,
  formatElementString,
  formatExpiry,
  formatGtin,
  formatParticipant,
  gtinCheckDigit,
  gtinCompanyPrefix,
  gtinHasCompanyPrefix,
  gtinToUint,
  parseCompanyPrefix,
  parseDigitalLinkPath,
  parseExpiry,
  parsePackCode,
  shortAddress,
  validateGtin,
} from "../../sdk/drug-trace/index.js";
import type { PackCode } from "../../sdk/drug-trace/index.js";
import { expectText, inputErrorThrownBy } from "../helpers/input-error.js";

const DIGITAL_LINK = "https://id.gs1.org/01/09506000134352/10/ABC123/21/SN0001?17=271231";
const ELEMENT_STRING = "(01)09506000134352(10)ABC123(21)SN0001(17)271231";
const EXAMPLE: PackCode = {
  gtin: "09506000134352",
  lot: "ABC123",
  serial: "SN0001",
  expiry: "271231",
};

/** `action` is refused with an `InputError` saying `message`, on one line. */
function expectInputError(action: () => unknown, message: string | RegExp): void {
  const text = inputErrorThrownBy(action);
  expectText(text, message);
  expect(text).not.to.include("\n");
}

describe("sdk/drug-trace/gs1", function () {
  describe("gtinCheckDigit", function () {
    it("computes the GS1 mod-10 check digit", function () {
      expect(gtinCheckDigit("0950600013435")).to.equal(2);
      expect(gtinCheckDigit("400638133393")).to.equal(1); // GTIN-13 4006381333931
      expect(gtinCheckDigit("9638507")).to.equal(4); // GTIN-8 96385074
    });
  });

  describe("validateGtin", function () {
    it("pads GTIN-8, -12 and -13 to 14 digits", function () {
      expect(validateGtin("96385074")).to.equal("00000096385074");
      expect(validateGtin("036000291452")).to.equal("00036000291452");
      expect(validateGtin("9506000134352")).to.equal("09506000134352");
      expect(validateGtin("09506000134352")).to.equal("09506000134352");
    });

    it("names the expected and found check digit", function () {
      expectInputError(
        () => validateGtin("09506000134353"),
        "GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      );
    });

    it("refuses wrong lengths and non-digits", function () {
      expectInputError(() => validateGtin("123456789"), /has 9 digits; expected 8, 12, 13 or 14/);
      expectInputError(() => validateGtin("0950600013435A"), /must contain digits only/);
    });
  });

  describe("gtinToUint and formatGtin", function () {
    it("round-trips the on-chain uint64", function () {
      expect(gtinToUint("09506000134352")).to.equal(9506000134352n);
      expect(formatGtin(9506000134352n)).to.equal("09506000134352");
    });

    it("refuses out-of-range values and bad check digits", function () {
      expectInputError(() => formatGtin(0n), /not a 1 to 14 digit number/);
      expectInputError(() => formatGtin(100_000_000_000_000n), /not a 1 to 14 digit number/);
      expectInputError(() => formatGtin(9506000134353n), /bad check digit: expected 2, found 3/);
    });
  });

  describe("parsePackCode", function () {
    it("parses the design's Digital Link and element string to the same fields", function () {
      expect(parsePackCode(DIGITAL_LINK)).to.deep.equal(EXAMPLE);
      expect(parsePackCode(ELEMENT_STRING)).to.deep.equal(EXAMPLE);
    });

    it("round-trips through formatDigitalLink and formatElementString", function () {
      expect(formatDigitalLink(parsePackCode(DIGITAL_LINK))).to.equal(DIGITAL_LINK);
      expect(formatElementString(parsePackCode(ELEMENT_STRING))).to.equal(ELEMENT_STRING);
      expect(parsePackCode(formatDigitalLink(EXAMPLE, "https://brand.example/dl/"))).to.deep.equal(
        EXAMPLE,
      );
    });

    it("accepts element strings in any AI order, with spaces, and without expiry", function () {
      expect(
        parsePackCode("(01) 09506000134352 (10) ABC123 (21) SN0001 (17) 271231"),
      ).to.deep.equal(EXAMPLE);
      expect(parsePackCode("(21)SN0001(17)271231(10)ABC123(01)09506000134352")).to.deep.equal(
        EXAMPLE,
      );
      expect(parsePackCode("(01)09506000134352(10)ABC123(21)SN0001")).to.deep.equal({
        gtin: "09506000134352",
        lot: "ABC123",
        serial: "SN0001",
      });
    });

    it("accepts any host, a path prefix, percent-encoding and a GTIN-13 in a Digital Link", function () {
      const code = parsePackCode(
        "https://pharma.example/p/01/9506000134352/10/A%2FB-1/21/S%25N1?17=271200&x=y",
      );
      expect(code).to.deep.equal({
        gtin: "09506000134352",
        lot: "A/B-1",
        serial: "S%N1",
        expiry: "271200",
      });
      expect(parsePackCode(formatDigitalLink(code))).to.deep.equal(code);
    });

    it("parses a raw scanner string with GS separators and a symbology prefix", function () {
      const raw = "01095060001343521727123110ABC123\x1d21SN0001";
      expect(parsePackCode(raw)).to.deep.equal(EXAMPLE);
      expect(parsePackCode("]d2" + raw + "\r\n")).to.deep.equal(EXAMPLE);
      // a soft hyphen pasted from a document is not data
      expect(parsePackCode("0109506000134352172712311\u00ad0ABC123\x1d21SN0001")).to.deep.equal(
        EXAMPLE,
      );
      expect(
        parsePackCode("]d2\x1d010950600013435221SN0001\x1d10ABC123\x1d17271231"),
      ).to.deep.equal(EXAMPLE);
    });

    it("refuses a bad check digit", function () {
      expectInputError(
        () => parsePackCode("(01)09506000134353(10)ABC123(21)SN0001"),
        "GTIN 09506000134353 has a bad check digit: expected 2, found 3",
      );
    });

    it("refuses a lot or serial outside the GS1 AI 82 character set", function () {
      expectInputError(
        () => parsePackCode("https://id.gs1.org/01/09506000134352/10/ABC123/21/SN%20001"),
        `serial (21) "SN 001" contains U+0020, which is not in the GS1 AI 82 character set`,
      );
      expectInputError(
        () => parsePackCode("(01)09506000134352(10)AB#1(21)SN0001"),
        `lot (10) "AB#1" contains '#', which is not in the GS1 AI 82 character set`,
      );
    });

    it("refuses a serial longer than 20 characters", function () {
      expectInputError(
        () => parsePackCode("(01)09506000134352(10)ABC123(21)SN0001SN0001SN0001SN0"),
        `serial (21) "SN0001SN0001SN0001SN0" is 21 characters long; GS1 allows at most 20`,
      );
    });

    it("names every missing AI", function () {
      expectInputError(
        () => parsePackCode("(01)09506000134352(17)271231"),
        "pack code lacks lot (10), serial (21): (01)09506000134352(17)271231",
      );
      expectInputError(
        () => parsePackCode("https://id.gs1.org/01/09506000134352/10/ABC123"),
        /lacks serial \(21\)/,
      );
    });

    it("refuses a bad expiry, conflicting AIs and unknown raw AIs", function () {
      expectInputError(() => parsePackCode(ELEMENT_STRING.replace("271231", "271331")), /month 13/);
      expectInputError(
        () => parsePackCode("(01)09506000134352(10)ABC123(21)SN0001(21)SN0002"),
        "AI (21) appears twice with different values: SN0001 and SN0002",
      );
      expectInputError(
        () => parsePackCode("010950600013435288XYZ"),
        /unknown GS1 Application Identifier/,
      );
      expectInputError(() => parsePackCode("01095060001343"), /AI \(01\) needs 14 characters/);
      expectInputError(
        () => parsePackCode("https://id.gs1.org/01/09506000134352/21/SN0001/10/ABC123"),
        /out of order/,
      );
      expectInputError(() => parsePackCode("  "), "pack code is empty");
    });
  });

  // Cases from the GS1 General Specifications (section 7.8: element strings, FNC1, the table
  // of predefined lengths; section 5.1.2: symbology identifiers) and the GS1 Digital Link URI
  // syntax standard (path, key qualifiers, query, percent-encoding).
  describe("parsePackCode, as the GS1 standards say", function () {
    const PACK = { gtin: "09506000134352", lot: "A1", serial: "SN0001" };
    const GS = "\x1d";

    it("splits raw element strings with any valid AI by the table of predefined lengths", function () {
      const cases = [
        // AI 90 (internal, 2 digits, variable) and 250 (secondary serial, 3 digits, variable)
        `010950600013435290ABC-9${GS}250XYZ${GS}10A1${GS}21SN0001`,
        // AI 3103 (net weight, 4 digits, predefined 6) and 11 (production date) need no GS
        `010950600013435231030001251126010110A1${GS}21SN0001`,
        // AI 410 (ship-to GLN, 3 digits, predefined 13) and 7003 (4 digits, not predefined: GS)
        `0109506000134352410950600013435270032601312359${GS}10A1${GS}21SN0001`,
        // AI 714 (national healthcare reimbursement number), 8004 (GIAI), 242 (made-to-order)
        `010950600013435221SN0001${GS}714AB1234${GS}8004950600013435X${GS}242123${GS}10A1`,
        // a GS after a predefined-length value is allowed, and at the very end
        `0109506000134352${GS}10A1${GS}21SN0001${GS}`,
      ];
      for (const raw of cases) expect(parsePackCode(raw), raw).to.deep.equal(PACK);
      expectInputError(
        () => parsePackCode(`01095060001343520512${GS}10A1${GS}21SN0001`),
        /unknown GS1 Application Identifier at "0512/,
      );
      expectInputError(
        () => parsePackCode(`010950600013435231030001${GS}10A1${GS}21SN0001`),
        /AI \(3103\) needs 6 characters/,
      );
    });

    it("accepts a symbology identifier before a Digital Link, an element string or a raw string", function () {
      const link = "https://id.gs1.org/01/09506000134352/10/A1/21/SN0001";
      const raw = `010950600013435210A1${GS}21SN0001`;
      for (const code of [
        `]Q1${link}`,
        `]d1${link}`,
        `]Q3${raw}`,
        `]d2${raw}`,
        `]C1${raw}`,
        `]e0${raw}`,
        `]J1${raw}`,
        `]d2(01)09506000134352(10)A1(21)SN0001`,
      ]) {
        expect(parsePackCode(code), code).to.deep.equal(PACK);
      }
    });

    it("keeps lots and serials . and .. in Digital Link paths, literal or percent-encoded", function () {
      const cases: [string, string, string][] = [
        ["/10/./21/..", ".", ".."],
        ["/10/%2E/21/%2e%2E", ".", ".."],
        ["/10/../21/.", "..", "."],
        ["/10/.%2E/21/A.B", "..", "A.B"],
      ];
      for (const [path, lot, serial] of cases) {
        const code = parsePackCode(`https://id.gs1.org/01/09506000134352${path}`);
        expect([code.lot, code.serial], path).to.deep.equal([lot, serial]);
      }
    });

    it("formats Digital Links that its parser always reads back", function () {
      const tricky = [
        ".",
        "..",
        "...",
        "A/B",
        "%",
        "%2E",
        "?x",
        "a&b=c",
        "+1",
        ";,:",
        "'()*!",
        `"<>`,
      ];
      for (const lot of tricky) {
        for (const serial of [".", "..", "S/1", "x?y"]) {
          const code = { gtin: "09506000134352", lot, serial, expiry: "271231" };
          const link = formatDigitalLink(code, "https://pharma.example/dl");
          expect(parsePackCode(link), link).to.deep.equal(code);
          expect(parseDigitalLinkPath(formatDigitalLinkPath(code))).to.deep.include({
            gtin: code.gtin,
            lot,
            serial,
          });
        }
      }
      expect(formatDigitalLink({ ...PACK, lot: ".", serial: ".." })).to.equal(
        "https://id.gs1.org/01/09506000134352/10/%2E/21/%2E%2E",
      );
      expectInputError(
        () => formatDigitalLink(PACK, "https://id.gs1.org/?x=1"),
        /must be an origin with an optional path prefix/,
      );
    });

    it("needs exactly 14 digits for (01) in an element string; short GTINs only in Digital Link paths", function () {
      expectInputError(
        () => parsePackCode("(01)9506000134352(10)A1(21)SN0001"),
        `GTIN (01) "9506000134352" in an element string must be exactly 14 digits (pad a shorter GTIN with zeros)`,
      );
      expectInputError(
        () => parsePackCode(`019506000134352${GS}10A1${GS}21SN0001`),
        /AI \(01\) needs 14 characters/,
      );
      expect(parsePackCode("https://id.gs1.org/01/9506000134352/10/A1/21/SN0001")).to.deep.equal(
        PACK,
      );
      expect(parsePackCode("https://id.gs1.org/01/96385074/10/A1/21/SN0001").gtin).to.equal(
        "00000096385074",
      );
    });

    it("accepts only http and https Digital Links", function () {
      expect(parsePackCode("HTTPS://ID.GS1.ORG/01/09506000134352/10/A1/21/SN0001")).to.deep.equal(
        PACK,
      );
      expect(parsePackCode("http://id.gs1.org/01/09506000134352/10/A1/21/SN0001")).to.deep.equal(
        PACK,
      );
      for (const scheme of ["ftp", "file", "javascript", "urn"]) {
        expectInputError(
          () => parsePackCode(`${scheme}://id.gs1.org/01/09506000134352/10/A1/21/SN0001`),
          new RegExp(`must be an http or https URI, not ${scheme}`),
        );
      }
      expectInputError(
        () => parsePackCode("https:///01/09506000134352/10/A1/21/SN0001"),
        /is not a valid URI: it needs https:\/\/<host>/,
      );
    });

    it("accepts key qualifiers only in the path", function () {
      for (const query of ["21=SN0001", "10=A1&21=SN0001", "22=V1&21=SN0001", "ser=SN0001"]) {
        expectInputError(
          () => parsePackCode(`https://id.gs1.org/01/09506000134352/10/A1?${query}`),
          /belong in the path/,
        );
      }
      expectInputError(
        () => parsePackCode("https://id.gs1.org/01/09506000134352/10/A1/21/SN0001/17/271231"),
        /only the key qualifiers 22, 10 and 21 may follow it/,
      );
      // data attributes and other parameters in the query are fine; bad ones are named
      expect(
        parsePackCode(
          "https://id.gs1.org/01/09506000134352/10/A1/21/SN0001?exp=271231&3103=000125&linkType=all#x",
        ),
      ).to.deep.equal({ ...PACK, expiry: "271231" });
      expectInputError(
        () => parsePackCode("https://id.gs1.org/01/09506000134352/10/A1/21/SN0001?17=2712"),
        /AI \(17\) needs 6 characters/,
      );
    });

    it("trims whitespace and line breaks at both ends", function () {
      for (const code of [
        "\r\n\t https://id.gs1.org/01/09506000134352/10/A1/21/SN0001 \r\n",
        "\n(01)09506000134352(10)A1(21)SN0001\n",
        `\r\n]d2010950600013435210A1${GS}21SN0001\r\n`,
        `\u00a0010950600013435210A1${GS}21SN0001\u2028`,
      ]) {
        expect(parsePackCode(code), JSON.stringify(code)).to.deep.equal(PACK);
      }
    });

    it("refuses compressed Digital Links with a clear message", function () {
      expectInputError(
        () => parsePackCode("https://id.gs1.org/AQnYUc1gZqJaNrbVgjEyMD-aWQ"),
        /looks like a compressed GS1 Digital Link, which is not supported: scan or type the uncompressed link/,
      );
    });
  });

  describe("expiry", function () {
    const now = new Date(Date.UTC(2026, 5, 1));

    it("ends the expiry day at 23:59:59 UTC", function () {
      expect(parseExpiry("271231", now).toISOString()).to.equal("2027-12-31T23:59:59.000Z");
      expect(expiryToTimestamp("271231", now)).to.equal(
        BigInt(Date.UTC(2027, 11, 31, 23, 59, 59) / 1000),
      );
    });

    it("reads day 00 as the last day of the month, February included", function () {
      expect(parseExpiry("280200", now).toISOString()).to.equal("2028-02-29T23:59:59.000Z");
      expect(parseExpiry("270200", now).toISOString()).to.equal("2027-02-28T23:59:59.000Z");
      expect(parseExpiry("270400", now).toISOString()).to.equal("2027-04-30T23:59:59.000Z");
      expect(formatExpiry(expiryToTimestamp("280200", now))).to.equal("280229");
    });

    it("picks the century GS1's way: within -49..+50 years of now", function () {
      expect(parseExpiry("760101", now).getUTCFullYear()).to.equal(2076);
      expect(parseExpiry("770101", now).getUTCFullYear()).to.equal(1977);
      expect(parseExpiry("990101", new Date(Date.UTC(2050, 0, 1))).getUTCFullYear()).to.equal(2099);
      expect(parseExpiry("010101", new Date(Date.UTC(2099, 0, 1))).getUTCFullYear()).to.equal(2101);
    });

    it("refuses impossible dates", function () {
      expectInputError(() => parseExpiry("270230", now), /2027-02 has 28 days/);
      expectInputError(() => parseExpiry("270001", now), /month 00/);
      expectInputError(() => parseExpiry("27123", now), /six digits YYMMDD/);
    });

    it("formats a timestamp back to YYMMDD", function () {
      expect(formatExpiry(expiryToTimestamp("271231"))).to.equal("271231");
      expectInputError(() => formatExpiry(1n << 48n), /not a uint48/);
    });
  });

  describe("on-chain encodings", function () {
    it("encodes lots and serials as left-aligned bytes32", function () {
      expect(encodeGs1Text("ABC123")).to.equal(encodeBytes32String("ABC123"));
      expect(decodeGs1Text(encodeGs1Text("ABC123"))).to.equal("ABC123");
      expectInputError(() => encodeGs1Text(""), "lot or serial is empty");
      expectInputError(() => encodeGs1Text("A".repeat(21)), /21 characters long/);
      expectInputError(() => decodeGs1Text("0x12"), /not a bytes32/);
    });

    it("computes the batch id as keccak256(abi.encode(uint64, bytes32))", function () {
      const expected = keccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["uint64", "bytes32"],
          [9506000134352n, encodeBytes32String("ABC123")],
        ),
      );
      expect(batchIdOf(9506000134352n, "ABC123")).to.equal(expected);
      expectInputError(() => batchIdOf(9506000134353n, "ABC123"), /bad check digit/);
    });
  });

  describe("GS1 Company Prefix", function () {
    it("keeps leading zeros: digits, value and length", function () {
      expect(parseCompanyPrefix("0614141")).to.deep.equal({
        digits: "0614141",
        value: 614141n,
        length: 7,
      });
      expect(companyPrefixOf(614141n, 7).digits).to.equal("0614141");
      expect(companyPrefixOf(614141n, 6).digits).to.equal("614141");
    });

    it("refuses fewer than 6 or more than 12 digits, and anything but digits", function () {
      expectInputError(
        () => parseCompanyPrefix("06141"),
        /has 5 digits; a GS1 Company Prefix has 6 to 12/,
      );
      expectInputError(() => parseCompanyPrefix("0614141000001"), /has 13 digits/);
      expectInputError(() => parseCompanyPrefix("06141A1"), /must contain digits only/);
      expectInputError(() => parseCompanyPrefix("-614141"), /must contain digits only/);
    });

    it("reads a GTIN's prefix after its indicator digit, as the contract does", function () {
      expect(gtinCompanyPrefix(9506000134352n, 7).digits).to.equal("9506000");
      expect(gtinCompanyPrefix(36000291452n, 7).digits).to.equal("0036000");
      expect(gtinCompanyPrefix(9506000134352n, 12).digits).to.equal("950600013435");
      expect(gtinHasCompanyPrefix(9506000134352n, parseCompanyPrefix("950600"))).to.equal(true);
      expect(gtinHasCompanyPrefix(9506000134352n, parseCompanyPrefix("0950600"))).to.equal(false);
    });
  });

  describe("participants", function () {
    const ADDRESS = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

    it("formats a name with the short checksummed address, or the short address alone", function () {
      expect(shortAddress(ADDRESS)).to.equal("0x7099…79C8");
      expect(formatParticipant("Acme Pharma GmbH", ADDRESS)).to.equal(
        "Acme Pharma GmbH (0x7099…79C8)",
      );
      expect(formatParticipant("", ADDRESS)).to.equal("0x7099…79C8");
      expect(formatParticipant("Evil\u001b[2J\nCorp", ADDRESS)).to.equal(
        "Evil[2JCorp (0x7099…79C8)",
      );
    });

    it("checks names as the contract does: 64 bytes of UTF-8, no control characters", function () {
      expect(describeNameProblem("Apotheke am Markt")).to.equal(undefined);
      expect(describeNameProblem("ü".repeat(32))).to.equal(undefined);
      expect(describeNameProblem("ü".repeat(33))).to.match(/66 bytes long; at most 64/);
      expect(describeNameProblem("A\tB")).to.match(/control character/);
    });
  });
});
