import { createServer } from "node:http";

import { batchIdOf, parsePackCode } from "../sdk/drug-trace/gs1.js";
import type { VerificationAnswer } from "../sdk/drug-trace/resolver-answer.js";
import type { SerialTree } from "../sdk/drug-trace/serial-merkle.js";
import { listenOnLoopback } from "./loopback-server.js";

/*
 * A stand-in for the GS1 Digital Link resolver's verification service (BRIEF API 3), for the page's
 * tests: it answers `GET /01/{gtin}/10/{lot}/21/{serial}` with the unit's proof from in-memory
 * trees, 404 problem JSON for an unknown lot or serial, and lets a test set the lookup count or
 * tamper with answers. It is not the resolver (services/resolver is): only the answer format.
 */

/** A running stub. */
export interface VerificationStub {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** Bytes of answers sent so far. */
  readonly bytesOut: { total: number };
  /** Lookups since dispensing to report for a serial (default: null, "not counted"). */
  readonly lookups: Map<string, number>;
  /** Rewrites an answer before it is sent (a dishonest resolver). */
  tamper: ((answer: Record<string, unknown>) => Record<string, unknown>) | undefined;
  close(): Promise<void>;
}

/**
 * Starts the stub on a free port of 127.0.0.1 over `trees` (keyed `<GTIN-14>/<lot>`).
 *
 * @example
 * const stub = await startVerificationStub(new Map([[`${gtin}/${lot}`, tree]]), 31337, address);
 */
export async function startVerificationStub(
  trees: ReadonlyMap<string, SerialTree>,
  chainId: number,
  contract: string,
): Promise<VerificationStub> {
  const bytesOut = { total: 0 };
  const lookups = new Map<string, number>();
  const stub: { tamper: VerificationStub["tamper"] } = { tamper: undefined };
  const server = createServer((request, response) => {
    const headers = {
      "access-control-allow-origin": "*",
      "cache-control": "no-store",
    };
    const send = (status: number, type: string, body: object): void => {
      const text = JSON.stringify(body);
      bytesOut.total += Buffer.byteLength(text);
      response.writeHead(status, { ...headers, "content-type": type });
      response.end(text);
    };
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    const match = /^\/01\/(\d{14})\/10\/([^/]+)\/21\/([^/]+)$/.exec(url.pathname);
    if (request.method !== "GET" || match === null) {
      send(400, "application/problem+json", { title: "Bad request", status: 400 });
      return;
    }
    const [, gtin = "", lotText = "", serialText = ""] = match;
    let lot: string;
    let serial: string;
    try {
      ({ lot, serial } = parsePackCode(
        `https://id.gs1.org/01/${gtin}/10/${lotText}/21/${serialText}`,
      ));
    } catch (error) {
      send(400, "application/problem+json", {
        title: "Bad request",
        status: 400,
        detail: (error as Error).message,
      });
      return;
    }
    const tree = trees.get(`${gtin}/${lot}`);
    if (tree === undefined || !tree.hasSerial(serial)) {
      send(404, "application/problem+json", { title: "Not found", status: 404 });
      return;
    }
    const { index, proof } = tree.proofFor(serial);
    const counted = lookups.get(serial);
    const answer: Omit<VerificationAnswer, "index"> & { index: string } = {
      gtin,
      lot,
      serial,
      batchId: batchIdOf(BigInt(gtin), lot),
      index: index.toString(),
      proof,
      root: tree.root,
      chainId,
      contract,
      lookups: counted === undefined ? null : { sinceDispensed: counted },
    };
    send(200, "application/json", stub.tamper?.({ ...answer }) ?? answer);
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    bytesOut,
    lookups,
    get tamper() {
      return stub.tamper;
    },
    set tamper(value) {
      stub.tamper = value;
    },
    close: listening.close,
  };
}
