import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExchangeFile, resolveExchangeLayout } from '../../../adapters/exchange/index.js';
import type { ExchangeItem, ExchangeReadOptions } from '../../../adapters/exchange/types.js';
import { fixture, tempDir } from '../../support/cli.js';

async function readAll(path: string, options: ExchangeReadOptions = {}): Promise<{ layout: string; items: ExchangeItem[] }> {
  const { layout } = await resolveExchangeLayout(path, 'auto');
  const items: ExchangeItem[] = [];
  for await (const item of readExchangeFile(path, layout, options)) items.push(item);
  return { layout: layout.name, items };
}

const count = (items: ExchangeItem[], kind: ExchangeItem['kind']): number => items.filter((i) => i.kind === kind).length;

describe('exchange layouts on real exports and on our own files in their real layouts', () => {
  it('Binance withdrawal history (24 rows): the 2 USDT withdrawals, 22 rows of other coins (2 of them rejected) skipped', async () => {
    const { layout, items } = await readAll(fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv'), { account: '4411' });
    expect(layout).toBe('binance-withdrawals');
    const movements = items.flatMap((i) => (i.kind === 'movement' ? [i.record] : []));
    expect(
      movements.map((m) => [m.exchange, m.account, m.direction, m.network, m.amount, m.fee, m.address, m.txid, new Date(m.time).toISOString(), m.line]),
    ).toEqual([
      [
        'binance',
        '4411',
        'withdrawal',
        'BSC',
        1_482_650000n,
        290000n,
        '0x81c482cd718ff49cC72C26F9B7e2b28F844D919f',
        '0x8cdbb89078377c5a4a1233b324a2ab323bf7eff2a75439c20508b9d81d8f2036',
        '2024-04-03T18:17:29.000Z',
        22,
      ],
      [
        'binance',
        '4411',
        'withdrawal',
        'BSC',
        25_500000n,
        290000n,
        '0x81c482cd718ff49cC72C26F9B7e2b28F844D919f',
        '0x4c5ab28113e5b52744d919dd5951119be4e2bf5bd4932e1c4f86b8d58fd75473',
        '2024-04-03T18:09:52.000Z',
        23,
      ],
    ]);
    expect(count(items, 'skipped')).toBe(22);
    expect(count(items, 'reject')).toBe(0);
  });

  it('Binance withdrawal history without --account is an error naming the file and line', async () => {
    const path = fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv');
    await expect(readAll(path)).rejects.toThrow('the binance-withdrawals export does not name the customer account');
  });

  it('Binance transaction statement (27 rows): the account from User_ID; ETH deposits are not traced, so all 27 are skipped', async () => {
    const { layout, items } = await readAll(fixture('binance-statement-privatefolio', 'binance.csv'));
    expect(layout).toBe('binance-statement');
    expect(count(items, 'movement')).toBe(0);
    expect(count(items, 'skipped')).toBe(27);
    expect(items.find((i) => i.kind === 'note')).toEqual({ kind: 'note', message: '25 rows are not deposits or withdrawals (trades, fees, staking): skipped' });
  });

  it('Kraken ledger (21 rows): the credited USDT deposit and the USDT withdrawal; pending deposit rows, trades, staking and other assets skipped', async () => {
    const { layout, items } = await readAll(fixture('kraken-ledger-feelhip', 'ledgers.csv'), { account: 'AA11' });
    expect(layout).toBe('kraken-ledger');
    const movements = items.flatMap((i) => (i.kind === 'movement' ? [i.record] : []));
    expect(movements.map((m) => [m.exchange, m.account, m.direction, m.asset, m.amount, m.fee, m.txid, new Date(m.time).toISOString(), m.line])).toEqual([
      ['kraken', 'AA11', 'deposit', 'USDT', 1500_000000n, 0n, undefined, '2022-03-02T10:58:09.000Z', 5],
      ['kraken', 'AA11', 'withdrawal', 'USDT', 190_000000n, 2_500000n, undefined, '2022-03-09T08:30:00.000Z', 18],
    ]);
    expect(count(items, 'skipped')).toBe(19);
    // The same deposit (refid QDAR3F6-…) pending at 10:21:44, credited at 10:58:09: only the credited row counts.
    expect(items.find((i) => i.kind === 'skipped' && i.line === 4)).toEqual({
      kind: 'skipped',
      line: 4,
      reason: 'pending row (no ledger id): the credited row follows',
    });
    expect(count(items, 'reject')).toBe(0);
  });

  it('Bybit funding statement: UID preamble read as the account; no deposit or withdrawal rows', async () => {
    const { layout, items } = await readAll(fixture('exchange-layouts-everytrade', 'bybiteu_fund_v001.csv'));
    expect(layout).toBe('bybit-funding');
    expect(count(items, 'skipped')).toBe(4);
  });

  it('a USDT deposit in the Binance deposit-history layout (TRC20, no Network column) is read with its address and tx hash', async () => {
    const dir = tempDir();
    const path = join(dir, 'deposit_history.csv');
    writeFileSync(
      path,
      '\uFEFFDate(UTC),Coin,Amount,TransactionFee,Address,TXID,SourceAddress,PaymentID,Status\n' +
        '2025-03-01 10:20:00,USDT,"1,250.5",0,TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx,9c8f4d1e2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5,,,Completed\n' +
        '2025-03-01 11:00:00,USDT,300,0,TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx,,,,Pending\n',
    );
    const { layout, items } = await readAll(path, { account: '4411' });
    expect(layout).toBe('binance-deposits');
    expect(items).toEqual([
      {
        kind: 'movement',
        record: {
          exchange: 'binance',
          account: '4411',
          direction: 'deposit',
          asset: 'USDT',
          amount: 1_250_500000n,
          fee: 0n,
          decimals: 6,
          address: 'TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx',
          txid: '9c8f4d1e2b3a4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5',
          time: Date.UTC(2025, 2, 1, 10, 20, 0),
          line: 2,
        },
      },
      { kind: 'skipped', line: 3, reason: 'status "Pending" is not completed' },
    ]);
  });

  it('a bank statement given to ingest exchange names what it expected', async () => {
    const dir = tempDir();
    const path = join(dir, 'statement.csv');
    writeFileSync(path, 'Date,Description,Amount,Balance\n2025-01-01,Rent,-900.00,100.00\n');
    await expect(resolveExchangeLayout(path, 'auto')).rejects.toThrow('not an exchange deposit/withdrawal export hoptrace knows');
  });

  it('a bad time or amount is a reject with its line', async () => {
    const dir = tempDir();
    const path = join(dir, 'ret.csv');
    writeFileSync(
      path,
      'exchange,account,direction,asset,network,amount,fee,address,txid,time,status\nokx,77,deposit,USDT,TRC20,12x,0,,,2025-01-01T00:00:00Z,completed\nokx,77,deposit,USDT,TRC20,12,0,,,01/02/2025,completed\n',
    );
    const { items } = await readAll(path);
    expect(items).toEqual([
      { kind: 'reject', line: 2, reason: expect.stringContaining('12x') },
      { kind: 'reject', line: 3, reason: 'time "01/02/2025" is not a UTC date and time (YYYY-MM-DD HH:MM:SS)' },
    ]);
  });
});
