import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchTronFreezeEvents } from '../../src/fetch/tronFreezeEvents.js';
import { tempDir } from '../support/cli.js';
import { recordedTransfers, recordedTronFreezes, startTronReplay, type ReplayEvent, type TronReplay } from '../support/tronReplay.js';
import { hoptraceAsync as hoptrace } from '../support/usdtCase.js';

// TXVj38… holds 41.499389 traced USDT (the recorded Ledger Live history); TronGrid says it holds
// 20 USDT now. Its hex form (without 41) is what TronGrid's event API puts in `_user`.
const WALLET = 'TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx';
const WALLET_HEX = '0xec20315a879c48f5e3a6a1c9826d5225f8b658b8';
const T1 = Date.UTC(2025, 5, 1, 12, 0, 0);

interface Status {
  wallets: {
    ident: string;
    tracedHeld: string;
    balanceNow: string | null;
    blacklisted: boolean;
    blacklistedSince: string | null;
    destroyed: string;
    freezableNow: string | null;
    events: { event: string; time: string; tx: string | null; origin: string }[];
  }[];
}

describe('Tether freeze events on Tron, fetched live from a TronGrid-compatible event API', () => {
  let replay: TronReplay;
  let traceFile: string;
  let db: string;
  beforeAll(async () => {
    replay = await startTronReplay({ balances: { [WALLET]: '20000000' } });
    const dir = tempDir();
    db = join(dir, 'case.db');
    traceFile = join(dir, 'trace.json');
    const payer = recordedTransfers().find((t) => t.from.startsWith('TJtEyS'))!.from;
    const traced = await hoptrace(['--db', db, 'trace', `account:${payer}`, '--fetch', 'tron', '--api', replay.url, '--out', traceFile, '--quiet']);
    expect(traced.status, traced.stderr).toBe(0);
  });
  afterAll(async () => {
    await replay?.close();
  });

  it("reads Tether's 5,807 real Tron AddedBlackList events page by page, addresses decoded from TronGrid's hex", async () => {
    replay.behaviour.freezeEvents = undefined;
    const before = replay.requests.length;
    const events = await fetchTronFreezeEvents(replay.url, 'replay');
    expect(events).toHaveLength(5807);
    // The newest one in the Dune export: 0xd954…42ac, whose base58 form the data collector computed independently.
    expect(events.at(-1)).toEqual({
      rail: 'tron',
      address: 'TVnLbTBVBfNNoPHFyb281m6ybYQtfdGVDn',
      event: 'added',
      time: Date.UTC(2026, 2, 9, 22, 45, 21),
      origin: 'replay AddedBlackList',
    });
    // 30 pages of 200 AddedBlackList events, one (empty) page each of the other two events.
    const asked = replay.requests.slice(before);
    expect(asked.map((r) => r.query['event_name'])).toEqual([...Array(30).fill('AddedBlackList'), 'RemovedBlackList', 'DestroyedBlackFunds']);
    expect(
      asked.every(
        (r) =>
          r.path === '/v1/contracts/TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t/events' &&
          r.query['only_confirmed'] === 'true' &&
          r.query['order_by'] === 'block_timestamp,asc',
      ),
    ).toBe(true);
  });

  async function statusWith(events: ReplayEvent[]): Promise<Status['wallets'][number]> {
    replay.behaviour.freezeEvents = [...recordedTronFreezes(), ...events];
    const run = await hoptrace(['--db', db, 'status', traceFile, '--api', replay.url, '--json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    return (JSON.parse(run.stdout) as Status).wallets.find((w) => w.ident === WALLET)!;
  }

  const added = (time: number, tx: string): ReplayEvent => ({
    event_name: 'AddedBlackList',
    block_timestamp: time,
    block_number: 72_000_000 + (time - T1) / 3000,
    transaction_id: tx,
    event_index: 0,
    result: { '0': WALLET_HEX, _user: WALLET_HEX },
  });

  it('a wallet Tether blacklisted: frozen since the event, nothing freezable now', async () => {
    const wallet = await statusWith([added(T1, 'AA'.repeat(32))]);
    expect([wallet.tracedHeld, wallet.balanceNow, wallet.blacklisted, wallet.blacklistedSince, wallet.freezableNow]).toEqual([
      '41.499389',
      '20.000000',
      true,
      '2025-06-01T12:00:00.000Z',
      '0.000000',
    ]);
    expect(wallet.events).toEqual([
      { event: 'added', time: '2025-06-01T12:00:00.000Z', tx: 'aa'.repeat(32), origin: `${replay.url}/ AddedBlackList block 72000000` },
    ]);
  });

  it('blacklisted and then removed: not frozen, min(traced, balance) freezable', async () => {
    const removed: ReplayEvent = {
      event_name: 'RemovedBlackList',
      block_timestamp: T1 + 60_000,
      transaction_id: 'bb'.repeat(32),
      result: { _user: WALLET_HEX },
    };
    const wallet = await statusWith([added(T1, 'aa'.repeat(32)), removed]);
    expect([wallet.blacklisted, wallet.freezableNow, wallet.events.map((e) => e.event)]).toEqual([false, '20.000000', ['added', 'removed']]);
  });

  it('funds destroyed: the burned amount is reported, nothing freezable', async () => {
    const destroyed: ReplayEvent = {
      event_name: 'DestroyedBlackFunds',
      block_timestamp: T1 + 120_000,
      transaction_id: 'cc'.repeat(32),
      result: { _blackListedUser: WALLET_HEX, _balance: '20000000' },
    };
    const wallet = await statusWith([added(T1, 'aa'.repeat(32)), destroyed]);
    expect([wallet.blacklisted, wallet.destroyed, wallet.freezableNow]).toEqual([true, '20.000000', '0.000000']);
  });

  it('an event the API cannot have decoded is an error, not a silent "not frozen"', async () => {
    replay.behaviour.freezeEvents = [{ event_name: 'AddedBlackList', block_timestamp: T1, result: { who: WALLET_HEX } }];
    const run = await hoptrace(['--db', db, 'status', traceFile, '--api', replay.url, '--json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('returned a AddedBlackList event it does not decode');
  });
});
