import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small HTTP proxy in front of the local node that behaves like public providers do: it
 * refuses wide eth_getLogs ranges (EIP-1474 code -32005), answers 429 now and then, can slow
 * down, and can start failing with 503 after a number of eth_getLogs (a node going away mid-fetch).
 */
export interface ProxyBehaviour {
  /** Refuse eth_getLogs spanning more blocks than this. */
  maxRange?: number;
  /** Every n-th request gets a 429 with Retry-After: 0. */
  tooManyEvery?: number;
  /** After this many eth_getLogs answers, every request gets 503. */
  failAfterLogs?: number;
  delayMs?: number;
  /** Only the first n requests are delayed by delayMs (a node that stalls, then recovers). */
  stallFirst?: number;
  /** Damage the `data` of the first log in every eth_getLogs answer. */
  corruptLogs?: boolean;
  /** Required `authorization` header value; others get 401. */
  authorization?: string;
}

export interface RpcProxy {
  url: string;
  behaviour: ProxyBehaviour;
  counts: { requests: number; getLogs: number; refused: number; tooMany: number; failed: number; unauthorised: number };
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

export async function startRpcProxy(target: string, behaviour: ProxyBehaviour): Promise<RpcProxy> {
  const counts = { requests: 0, getLogs: 0, refused: 0, tooMany: 0, failed: 0, unauthorised: 0 };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      counts.requests++;
      if (behaviour.delayMs && (behaviour.stallFirst === undefined || counts.requests <= behaviour.stallFirst))
        await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
      if (behaviour.authorization !== undefined && request.headers.authorization !== behaviour.authorization) {
        counts.unauthorised++;
        response.writeHead(401).end('unauthorised');
        return;
      }
      if (behaviour.tooManyEvery && counts.requests % behaviour.tooManyEvery === 0) {
        counts.tooMany++;
        response.writeHead(429, { 'retry-after': '0' }).end('{"error":"rate limited"}');
        return;
      }
      const payload = JSON.parse(body) as { id: number; method: string; params: { fromBlock?: string; toBlock?: string }[] };
      if (payload.method === 'eth_getLogs') {
        if (behaviour.failAfterLogs !== undefined && counts.getLogs >= behaviour.failAfterLogs) {
          counts.failed++;
          response.writeHead(503).end('node unavailable');
          return;
        }
        const filter = payload.params[0] ?? {};
        const span = Number(BigInt(filter.toBlock ?? '0x0') - BigInt(filter.fromBlock ?? '0x0')) + 1;
        if (behaviour.maxRange !== undefined && span > behaviour.maxRange) {
          counts.refused++;
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(
            JSON.stringify({ jsonrpc: '2.0', id: payload.id, error: { code: -32005, message: `query exceeds max block range ${behaviour.maxRange}` } }),
          );
          return;
        }
        counts.getLogs++;
      }
      const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      let answer = Buffer.from(await upstream.arrayBuffer());
      if (behaviour.corruptLogs && payload.method === 'eth_getLogs') {
        const parsed = JSON.parse(answer.toString('utf8')) as { result?: { data: string }[] };
        if (parsed.result?.[0]) parsed.result[0].data = '0x12';
        answer = Buffer.from(JSON.stringify(parsed));
      }
      response.writeHead(upstream.status, { 'content-type': 'application/json' });
      response.end(answer);
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    behaviour,
    counts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
