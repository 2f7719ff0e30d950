import { expect } from "chai";

import { InputError } from "../../sdk/errors.js";
import { batchIdOf, parseVerificationAnswer, serialTreeOf } from "../../sdk/drug-trace/index.js";
import type { VerificationAnswer } from "../../sdk/drug-trace/index.js";

const GTIN = "09506000134352";

function validAnswer(): VerificationAnswer {
  const tree = serialTreeOf(["SN0001", "SN0002", "SN0003"]);
  return {
    gtin: GTIN,
    lot: "A1",
    serial: "SN0002",
    batchId: batchIdOf(BigInt(GTIN), "A1"),
    index: "1",
    proof: tree.proofFor("SN0002").proof,
    root: tree.root,
    chainId: 31337,
    contract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    lookups: null,
  };
}

function expectRefused(data: unknown, message: RegExp): void {
  let thrown: unknown;
  try {
    parseVerificationAnswer(data);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).to.be.instanceOf(InputError);
  expect((thrown as Error).message).to.match(/^resolver answer is not valid: /);
  expect((thrown as Error).message).to.match(message);
}

describe("sdk/drug-trace/resolver-answer", function () {
  describe("parseVerificationAnswer", function () {
    it("accepts the resolver's answer, with or without lookups", function () {
      const answer = validAnswer();
      expect(parseVerificationAnswer(JSON.parse(JSON.stringify(answer)))).to.deep.equal(answer);
      const counted = { ...answer, lookups: { sinceDispensed: 3 } };
      expect(parseVerificationAnswer(counted).lookups).to.deep.equal({ sinceDispensed: 3 });
    });

    it("checksums the contract and lower-cases hashes", function () {
      const answer = validAnswer();
      const parsed = parseVerificationAnswer({
        ...answer,
        contract: answer.contract.toLowerCase(),
        root: answer.root.toUpperCase().replace("0X", "0x"),
      });
      expect(parsed.contract).to.equal(answer.contract);
      expect(parsed.root).to.equal(answer.root);
    });

    const broken: [string, (a: Record<string, unknown>) => void, RegExp][] = [
      ["not an object", () => undefined, /not a JSON object/],
      ["a short GTIN", (a) => (a.gtin = "9506000134352"), /gtin .* is not 14 digits/],
      ["a bad check digit", (a) => (a.gtin = "09506000134353"), /bad check digit/],
      ["a lot outside GS1 AI 82", (a) => (a.lot = "A 1"), /lot "A 1" contains U\+0020/],
      ["a missing serial", (a) => delete a.serial, /serial is not a string/],
      [
        "another batch's id",
        (a) => (a.batchId = batchIdOf(BigInt(GTIN), "A2")),
        /is not the batch id/,
      ],
      ["a negative index", (a) => (a.index = "-1"), /index "-1"/],
      ["a numeric index", (a) => (a.index = 1), /index is not a string/],
      ["a malformed proof", (a) => (a.proof = ["0x12"]), /proof is not a list/],
      ["a bad root", (a) => (a.root = "0x"), /root is not a bytes32/],
      ["a string chain id", (a) => (a.chainId = "31337"), /chainId/],
      ["a bad contract", (a) => (a.contract = "0x1234"), /contract "0x1234"/],
      ["a bad lookup count", (a) => (a.lookups = { sinceDispensed: -1 }), /lookups/],
      ["absent lookups", (a) => delete a.lookups, /lookups/],
    ];
    for (const [what, change, message] of broken) {
      it(`refuses ${what}`, function () {
        if (what === "not an object") {
          expectRefused([validAnswer()], message);
          return;
        }
        const answer = { ...validAnswer() } as Record<string, unknown>;
        change(answer);
        expectRefused(answer, message);
      });
    }
  });
});
