import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import { listenOnLoopback } from "./loopback-server.js";

/*
 * A JSON-RPC proxy in front of a node that refuses `eth_getLogs` over more than `maxRange`
 * blocks, the way public providers do (Alchemy, Infura, QuickNode… each cap it, most at a few
 * thousand to 10,000 blocks). Tests of the log readers and the verifier page talk to it instead
 * of the node. It counts the log queries it answered and refused.
 */

/** A running capped proxy. */
export interface CappedRpc {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** `eth_getLogs` calls answered / refused so far. */
  readonly logQueries: { answered: number; refused: number };
  /** Bytes of JSON-RPC answers sent so far. */
  readonly bytesOut: { total: number };
  close(): Promise<void>;
}

interface RpcRequest {
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: unknown;
}

function blockOf(value: unknown): number | undefined {
  return typeof value === "string" && /^0x[0-9a-f]+$/i.test(value) ? Number(value) : undefined;
}

async function bodyOf(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Starts the proxy on a free port of 127.0.0.1. Ranges given as tags ("latest", "earliest") are
 * refused too unless the node's head makes them small: callers should pass numbers.
 *
 * @example
 * const rpc = await startCappedRpc(node.url, 10_000);
 * const provider = new JsonRpcProvider(rpc.url);
 */
export async function startCappedRpc(target: string, maxRange: number): Promise<CappedRpc> {
  const logQueries = { answered: 0, refused: 0 };
  const bytesOut = { total: 0 };
  const refusal = (request: RpcRequest): object | undefined => {
    if (request.method !== "eth_getLogs" || !Array.isArray(request.params)) return undefined;
    const filter = request.params[0] as { fromBlock?: unknown; toBlock?: unknown } | undefined;
    const from = blockOf(filter?.fromBlock) ?? 0;
    const to = blockOf(filter?.toBlock);
    if (to !== undefined && to - from + 1 <= maxRange) {
      logQueries.answered++;
      return undefined;
    }
    logQueries.refused++;
    return {
      jsonrpc: "2.0",
      id: request.id ?? null,
      error: { code: -32005, message: `query exceeds max block range ${maxRange}` },
    };
  };
  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-headers": "content-type",
    "access-control-allow-methods": "POST, OPTIONS",
  };
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    if (request.method === "OPTIONS") {
      response.writeHead(204, cors);
      response.end();
      return;
    }
    const body = await bodyOf(request);
    let parsed: RpcRequest | RpcRequest[];
    try {
      parsed = JSON.parse(body) as RpcRequest | RpcRequest[];
    } catch {
      response.writeHead(400, cors);
      response.end();
      return;
    }
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    const refused = requests.map(refusal);
    let answer: string;
    if (refused.every((entry) => entry !== undefined)) {
      answer = JSON.stringify(Array.isArray(parsed) ? refused : refused[0]);
    } else if (refused.some((entry) => entry !== undefined)) {
      // a batch mixing refused and forwarded calls: forward one by one
      const answers = await Promise.all(
        requests.map(async (one, i) => {
          const refusedOne = refused[i];
          if (refusedOne !== undefined) return refusedOne;
          const forwarded = await fetch(target, {
            method: "POST",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(one),
          });
          return (await forwarded.json()) as object;
        }),
      );
      answer = JSON.stringify(answers);
    } else {
      const forwarded = await fetch(target, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      answer = await forwarded.text();
    }
    bytesOut.total += Buffer.byteLength(answer);
    response.writeHead(200, { ...cors, "content-type": "application/json" });
    response.end(answer);
  };
  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(502, cors);
      response.end();
    });
  });
  const listening = await listenOnLoopback(server);
  return {
    url: listening.url,
    logQueries,
    bytesOut,
    close: listening.close,
  };
}
