import { createRequire } from "node:module";

import { expect } from "chai";
import hre from "hardhat";

import { SOLC_VERSION } from "../hardhat.config.js";

const require = createRequire(import.meta.url);

describe("compiler", function () {
  it("loads the exact solc version the config names", function () {
    const solc = require("solc") as { version(): string };
    // solc reports e.g. "0.8.30+commit.73712a01.Emscripten.clang"
    expect(solc.version().split("+")[0]).to.equal(SOLC_VERSION);
  });

  it("compiles with the pinned npm compiler and never a downloaded one", function () {
    const compilers = hre.config.solidity.profiles.default?.compilers ?? [];
    expect(compilers.length).to.be.greaterThan(0);
    for (const compiler of compilers) {
      expect(compiler.version).to.equal(SOLC_VERSION);
      expect(compiler.path).to.equal(require.resolve("solc/soljson.js"));
    }
  });
});
