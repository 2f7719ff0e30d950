import { rm } from "node:fs/promises";

import { expect } from "chai";

import {
  VERIFICATION_LINK_TYPE,
  batchIdOf,
  parsePackCode,
  parseVerificationAnswer,
  verifySerialProof,
} from "../../sdk/drug-trace/index.js";
import type { SerialTree } from "../../sdk/drug-trace/index.js";
import { createResolverApp } from "../../services/resolver/app.js";
import { TreeDirectoryCatalogue } from "../../services/resolver/catalogue.js";
import { CONTRACT, GTIN, VERIFIER, serialList, writeTreeDirectory } from "./fixture.js";

const BASE = "https://id.pharma.example";
const PACK = `/01/${GTIN}/10/A1/21/SN000017`;
const JSON_ACCEPT = { accept: "application/json" };
const ANSWER_KEYS = [
  "batchId",
  "chainId",
  "contract",
  "gtin",
  "index",
  "lookups",
  "lot",
  "proof",
  "root",
  "serial",
];

describe("services/resolver (in-process)", function () {
  let directory: string;
  let trees: Map<string, SerialTree>;
  let catalogue: TreeDirectoryCatalogue;

  before(async function () {
    ({ directory, trees } = await writeTreeDirectory({
      A1: serialList(100),
      "B/2": serialList(5, "X"),
    }));
    catalogue = new TreeDirectoryCatalogue(directory, { warn: () => undefined });
    await catalogue.scan();
  });

  after(async function () {
    await rm(directory, { recursive: true, force: true });
  });

  function app(rateLimit = 0) {
    return createResolverApp({
      catalogue,
      chainId: 31337,
      contract: CONTRACT,
      verifierUrl: VERIFIER,
      publicUrl: BASE,
      rateLimit,
    });
  }

  async function get(path: string, headers: Record<string, string> = {}, rateLimit = 0) {
    return app(rateLimit).request(`${BASE}${path}`, { headers });
  }

  describe("the verification answer", function () {
    it("answers one pack's index, proof, root, batch, chain and contract", async function () {
      const response = await get(`${PACK}?linkType=${VERIFICATION_LINK_TYPE}`);
      expect(response.status).to.equal(200);
      expect(response.headers.get("content-type")).to.match(/^application\/json/);
      const body = (await response.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).to.deep.equal(ANSWER_KEYS);
      const answer = parseVerificationAnswer(body);
      const tree = trees.get("A1")!;
      expect(answer).to.deep.include({
        gtin: GTIN,
        lot: "A1",
        serial: "SN000017",
        index: "17",
        root: tree.root,
        chainId: 31337,
        contract: CONTRACT,
        lookups: null,
        batchId: batchIdOf(BigInt(GTIN), "A1"),
      });
      expect(answer.proof).to.deep.equal(tree.proofFor("SN000017").proof);
      expect(verifySerialProof(answer.root, 17n, "SN000017", answer.proof)).to.equal(true);
    });

    it("answers Accept: application/json the same, in every form the Digital Link standard allows", async function () {
      const expected = await (await get(PACK, JSON_ACCEPT)).json();
      for (const path of [
        `/01/9506000134352/10/A1/21/SN000017`, // GTIN-13 in the path
        `/dl/v1/01/${GTIN}/10/A1/21/SN000017`, // a path prefix
        `/01/${GTIN}/22/V1/10/A1/21/SN000017`, // a consumer product variant
        `/gtin/${GTIN}/lot/A1/ser/SN000017`, // the deprecated alphas
        `/01/${GTIN}/10/A1/21/SN000017/`, // a trailing slash
      ]) {
        const response = await get(path, JSON_ACCEPT);
        expect(response.status, path).to.equal(200);
        expect(await response.json(), path).to.deep.equal(expected);
      }
      const withExpiry = await get(`${PACK}?17=271231`, JSON_ACCEPT);
      expect(await withExpiry.json()).to.deep.equal(expected);
    });

    it("decodes percent-encoded lots", async function () {
      const response = await get(`/01/${GTIN}/10/B%2F2/21/X000003`, JSON_ACCEPT);
      expect(response.status).to.equal(200);
      const answer = parseVerificationAnswer(await response.json());
      expect([answer.lot, answer.serial, answer.index]).to.deep.equal(["B/2", "X000003", "3"]);
    });

    it("answers an unknown serial and an unknown lot with the same 404 problem", async function () {
      const unknownSerial = await get(`/01/${GTIN}/10/A1/21/SN999999`, JSON_ACCEPT);
      const unknownLot = await get(`/01/${GTIN}/10/ZZ9/21/SN000017`, JSON_ACCEPT);
      const unknownGtin = await get(`/01/4006381333931/10/A1/21/SN000017`, JSON_ACCEPT);
      // "-" is the serial of the placeholder index unknown lots are looked up in
      const placeholder = await get(`/01/${GTIN}/10/ZZ9/21/-`, JSON_ACCEPT);
      const bodies: string[] = [];
      for (const response of [unknownSerial, unknownLot, unknownGtin, placeholder]) {
        expect(response.status).to.equal(404);
        expect(response.headers.get("content-type")).to.equal("application/problem+json");
        bodies.push(await response.text());
      }
      expect(new Set(bodies).size).to.equal(1);
      expect(JSON.parse(bodies[0]!)).to.deep.equal({
        type: "about:blank",
        title: "Not Found",
        status: 404,
        detail: "no pack with this GTIN, lot and serial is registered here",
      });
    });

    it("needs the lot and the serial", async function () {
      const noSerial = await get(`/01/${GTIN}/10/A1`, JSON_ACCEPT);
      expect(noSerial.status).to.equal(400);
      expect(((await noSerial.json()) as { field: string }).field).to.equal("serial");
      const noLot = await get(`/01/${GTIN}/21/SN000017`, JSON_ACCEPT);
      expect(((await noLot.json()) as { field: string }).field).to.equal("lot");
    });
  });

  describe("bad input", function () {
    const cases: [string, string, RegExp][] = [
      [`/01/09506000134353/10/A1/21/SN1`, "gtin", /bad check digit: expected 2, found 3/],
      [`/01/${GTIN}/10/A1/21/SN0001SN0001SN0001SN0`, "serial", /21 characters long/],
      [`/01/${GTIN}/10/A%231/21/SN1`, "lot", /'#'/],
      [`/01/${GTIN}/10/A1/21/SN1?17=271331`, "expiry", /month 13/],
      [`/01/${GTIN}/10/A1/21`, "path", /AI without a value/],
      [`/01/${GTIN}/21/SN1/10/A1`, "path", /out of order/],
      [`/01/${GTIN}/10/A1?21=SN1`, "path", /belong in the path/],
      [`/01/${GTIN}/10/A%ZZ/21/SN1`, "lot", /bad percent-encoding/],
      [`/`, "path", /no \/01\/<GTIN>/],
      [`/${GTIN}-A1.tree.json`, "path", /no \/01\/<GTIN>/],
      [`/AQnYUc1gZqJaNrbVgjEy`, "path", /compressed GS1 Digital Link, which is not supported/],
    ];
    for (const [path, field, detail] of cases) {
      it(`answers ${path} with a 400 problem naming ${field}`, async function () {
        const response = await get(path, JSON_ACCEPT);
        expect(response.status).to.equal(400);
        expect(response.headers.get("content-type")).to.equal("application/problem+json");
        const body = (await response.json()) as Record<string, unknown>;
        expect(body).to.include({ type: "about:blank", title: "Bad Request", status: 400, field });
        expect(body.detail).to.match(detail);
        expect(JSON.stringify(body)).not.to.match(/\n|at .*\.ts:\d+/);
      });
    }

    it("refuses methods other than GET and HEAD", async function () {
      const response = await app().request(`${BASE}${PACK}`, { method: "POST" });
      expect(response.status).to.equal(405);
      expect(response.headers.get("content-type")).to.equal("application/problem+json");
      const head = await app().request(`${BASE}${PACK}`, { method: "HEAD", headers: JSON_ACCEPT });
      expect(head.status).to.equal(200);
    });
  });

  describe("content negotiation", function () {
    it("redirects a browser (307) to the verifier page with the Digital Link as ?code=", async function () {
      const response = await get(`/01/9506000134352/10/B%2F2/21/X000001?17=271231`, {
        accept: "text/html,application/xhtml+xml,*/*;q=0.8",
      });
      expect(response.status).to.equal(307);
      const location = new URL(response.headers.get("location")!);
      expect(location.origin + location.pathname).to.equal(VERIFIER);
      const code = location.searchParams.get("code")!;
      expect(code).to.equal(`${BASE}/01/${GTIN}/10/B%2F2/21/X000001?17=271231`);
      expect(parsePackCode(code)).to.deep.equal({
        gtin: GTIN,
        lot: "B/2",
        serial: "X000001",
        expiry: "271231",
      });
      // no Accept header at all (a plain client) gets the default link too
      expect((await get(PACK)).status).to.equal(307);
    });

    it("answers the RFC 9264 link set for Accept: application/linkset+json and ?linkType=all", async function () {
      for (const response of [
        await get(PACK, { accept: "application/linkset+json" }),
        await get(`${PACK}?linkType=all`),
      ]) {
        expect(response.status).to.equal(200);
        expect(response.headers.get("content-type")).to.equal("application/linkset+json");
        const body = (await response.json()) as { linkset: Record<string, unknown>[] };
        expect(body.linkset).to.have.length(1);
        const set = body.linkset[0]!;
        expect(set.anchor).to.equal(`${BASE}${PACK}`);
        expect(set["https://gs1.org/voc/verificationService"]).to.deep.equal([
          {
            href: `${BASE}${PACK}?linkType=gs1:verificationService`,
            title: "Verify this pack",
            type: "application/json",
          },
        ]);
        expect(set["https://gs1.org/voc/defaultLink"]).to.have.length(1);
      }
      // the link set names no serial but the one asked for, whether or not it exists
      const unknown = await get(`/01/${GTIN}/10/A1/21/SN999999?linkType=all`);
      expect(unknown.status).to.equal(200);
      expect(await unknown.text()).not.to.match(/SN0000/);
    });

    it("sends a Link header naming the verification service and allows any origin (CORS)", async function () {
      const response = await get(PACK, { ...JSON_ACCEPT, origin: "https://verify.example" });
      expect(response.headers.get("link")).to.include(
        `rel="https://gs1.org/voc/verificationService"`,
      );
      expect(response.headers.get("access-control-allow-origin")).to.equal("*");
    });
  });

  describe("rate limiting", function () {
    it("answers 429 problem JSON once a client exceeds its limit", async function () {
      const limited = app(3);
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i++) {
        last = await limited.request(`${BASE}${PACK}`, { headers: JSON_ACCEPT });
        statuses.push(last.status);
      }
      expect(statuses).to.deep.equal([200, 200, 200, 429]);
      expect(last!.headers.get("content-type")).to.equal("application/problem+json");
      expect(((await last!.json()) as { status: number }).status).to.equal(429);
    });
  });

  describe("the well-known resolver description and health check", function () {
    it("describes the resolver and counts lots without naming them", async function () {
      const description = (await (await get("/.well-known/gs1resolver")).json()) as Record<
        string,
        unknown
      >;
      expect(description).to.include({ resolverRoot: BASE });
      const health = await (await get("/healthz")).json();
      expect(health).to.deep.equal({ status: "ok", lots: 2 });
    });
  });
});
