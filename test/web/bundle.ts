import { expect } from "chai";

import { buildWebPage } from "../../support/web-page.js";

// The page imports the SDK itself (one implementation of GS1 parsing, trees and proofs), so the
// SDK modules it uses must stay free of Node APIs. esbuild bundles for browsers and fails on any
// `node:` import; this runs in `npm test`, the full browser test is `npm run test:web`.
describe("web/verifier.ts", function () {
  it("bundles for browsers with the SDK, without Node built-ins", async function () {
    this.timeout(60_000);
    const { bytes } = await buildWebPage({ write: false });
    expect(bytes).to.be.within(50_000, 1_000_000);
  });
});
