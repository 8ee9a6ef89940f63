import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fixture } from './cli.js';

/**
 * A TronGrid v1 stand-in on 127.0.0.1 replaying recorded mainnet answers (Ledger Live's fixture,
 * test/fixtures/trongrid-trc20-ledger-live): `GET /v1/accounts/{address}/transactions/trc20`
 * with `limit`, `contract_address`, `min_timestamp`, `max_timestamp`, `order_by` and opaque
 * `fingerprint` paging as TronGrid documents them. An account's history is every recorded
 * transfer it sent or received. `GET /v1/contracts/{USDT}/events` answers Tether's freeze events
 * (see ReplayBehaviour.freezeEvents) with the same paging.
 */
export interface ReplayBehaviour {
  /** Answer the first request with 429 and this Retry-After (seconds). */
  tooManyFirst?: number;
  /** Answer 500 to every request for this page number (2 = the second page). */
  failOnPage?: number;
  /** Answer `{"success": false}` to everything. */
  refuse?: boolean;
  /** Cut this page's body in half (a dropped connection behind a proxy that still says 200). */
  truncatePage?: number;
  /**
   * USDT balances (base units) that `GET /v1/accounts/{address}` answers, in TronGrid's documented
   * shape (`data[0].trc20: [{contract: balance}]`); an address not listed is unknown to TronGrid
   * (`data: []`). Not recorded answers: the tests set the figures they then expect.
   */
  balances?: Record<string, string>;
  /**
   * What `GET /v1/contracts/{USDT}/events` answers, in TronGrid's event shape (`event_name`,
   * `block_timestamp`, `result: {_user: "0x…"}`). Default: Tether's 5,807 real Tron
   * `AddedBlackList` events from the Dune export (test/fixtures/usdt-blacklist-dune-criptoanalyst),
   * re-shaped (that export has no block numbers or tx hashes); tests add the events they expect.
   */
  freezeEvents?: ReplayEvent[] | undefined;
}

export interface ReplayEvent {
  event_name: 'AddedBlackList' | 'RemovedBlackList' | 'DestroyedBlackFunds';
  block_timestamp: number;
  block_number?: number;
  transaction_id?: string;
  event_index?: number;
  result: Record<string, string>;
}

/** Tether's real Tron AddedBlackList events (Dune export), oldest first, in TronGrid's event shape. */
export function recordedTronFreezes(): ReplayEvent[] {
  return readFileSync(fixture('usdt-blacklist-dune-criptoanalyst', 'usdt_blacklist.csv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((line) => line.endsWith(',tron'))
    .map((line) => {
      const [address, time] = line.split(',');
      return {
        event_name: 'AddedBlackList' as const,
        block_timestamp: Date.parse(time!.replace(' UTC', 'Z').replace(' ', 'T')),
        result: { _user: address!, '0': address! },
      };
    })
    .reverse();
}

export interface TronReplay {
  url: string;
  behaviour: ReplayBehaviour;
  requests: { path: string; query: Record<string, string>; apiKey: string | undefined; status: number }[];
  /** SHA-256 of every 200 body sent, in order. */
  bodies: string[];
  close(): Promise<void>;
}

interface RecordedTransfer {
  transaction_id: string;
  token_info: { address: string };
  block_timestamp: number;
  from: string;
  to: string;
}

export function recordedTransfers(): RecordedTransfer[] {
  const document = JSON.parse(readFileSync(fixture('trongrid-trc20-ledger-live', 'fetchTronAccountTxsTrc20.fixture.json'), 'utf8')) as Record<
    string,
    { data: RecordedTransfer[] }
  >;
  return Object.values(document).flatMap((page) => page.data);
}

export async function startTronReplay(behaviour: ReplayBehaviour = {}): Promise<TronReplay> {
  const recorded = recordedTransfers();
  const requests: TronReplay['requests'] = [];
  const bodies: string[] = [];
  let freezes: ReplayEvent[] | undefined;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://replay');
    const query = Object.fromEntries(url.searchParams);
    const apiKey = request.headers['tron-pro-api-key'];
    const reply = (status: number, body: string, headers: Record<string, string> = {}): void => {
      requests.push({ path: url.pathname, query, apiKey: typeof apiKey === 'string' ? apiKey : undefined, status });
      if (status === 200) bodies.push(createHash('sha256').update(body).digest('hex'));
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body);
    };
    const account = /^\/v1\/accounts\/(T[1-9A-HJ-NP-Za-km-z]{33})$/.exec(url.pathname);
    if (account) {
      const balance = behaviour.balances?.[account[1]!];
      const data = balance === undefined ? [] : [{ address: account[1], balance: 0, trc20: [{ TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t: balance }] }];
      return reply(200, JSON.stringify({ data, success: true, meta: { at: 1739546767075, page_size: data.length } }));
    }
    if (/^\/v1\/contracts\/TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t\/events$/.test(url.pathname)) {
      const limit = Math.min(200, Number(query['limit'] ?? 20));
      const offset = query['fingerprint'] ? (JSON.parse(Buffer.from(query['fingerprint'], 'base64url').toString('utf8')) as { offset: number }).offset : 0;
      const ascending = query['order_by'] === 'block_timestamp,asc';
      if (!behaviour.freezeEvents && !freezes) freezes = recordedTronFreezes();
      const all = (behaviour.freezeEvents ?? freezes ?? [])
        .filter((e) => !query['event_name'] || e.event_name === query['event_name'])
        .sort((a, b) => (ascending ? a.block_timestamp - b.block_timestamp : b.block_timestamp - a.block_timestamp));
      const data = all.slice(offset, offset + limit);
      const fingerprint = Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url');
      return reply(
        200,
        JSON.stringify({ data, success: true, meta: { at: 1739546767075, page_size: data.length, ...(offset + limit < all.length ? { fingerprint } : {}) } }),
      );
    }
    const match = /^\/v1\/accounts\/(T[1-9A-HJ-NP-Za-km-z]{33})\/transactions\/trc20$/.exec(url.pathname);
    if (!match) return reply(404, '{"success":false,"error":"not found"}');
    if (behaviour.tooManyFirst !== undefined && requests.length === 0)
      return reply(429, '{"success":false,"error":"rate limited"}', { 'retry-after': String(behaviour.tooManyFirst) });
    if (behaviour.refuse) return reply(200, JSON.stringify({ success: false, error: 'account query not allowed' }));
    const limit = Math.min(200, Number(query['limit'] ?? 20));
    const offset = query['fingerprint'] ? (JSON.parse(Buffer.from(query['fingerprint'], 'base64url').toString('utf8')) as { offset: number }).offset : 0;
    const page = Math.floor(offset / limit) + 1;
    if (behaviour.failOnPage === page) return reply(500, '{"success":false,"error":"internal error"}');
    const address = match[1]!;
    const ascending = query['order_by'] === 'block_timestamp,asc';
    const history = recorded
      .filter((t) => t.from === address || t.to === address)
      .filter((t) => !query['contract_address'] || t.token_info.address === query['contract_address'])
      .filter((t) => !query['min_timestamp'] || t.block_timestamp >= Number(query['min_timestamp']))
      .filter((t) => !query['max_timestamp'] || t.block_timestamp <= Number(query['max_timestamp']))
      .sort((a, b) => (ascending ? a.block_timestamp - b.block_timestamp : b.block_timestamp - a.block_timestamp));
    const data = history.slice(offset, offset + limit);
    const more = offset + limit < history.length;
    const fingerprint = Buffer.from(JSON.stringify({ offset: offset + limit })).toString('base64url');
    const meta = { at: 1739546767075, page_size: data.length, ...(more ? { fingerprint, links: { next: `${url.pathname}?fingerprint=${fingerprint}` } } : {}) };
    const body = JSON.stringify({ data, success: true, meta });
    return reply(200, behaviour.truncatePage === page ? body.slice(0, Math.floor(body.length / 2)) : body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, behaviour, requests, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
