import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExchangeFile, readLayoutRows, resolveExchangeLayout } from '../../../adapters/exchange/index.js';
import type { ExchangeItem, ExchangeReadOptions, RowResult } from '../../../adapters/exchange/types.js';
import { fixture, tempDir } from '../../support/cli.js';

async function rowsOf(path: string): Promise<{ layout: string; rows: { line: number; result: RowResult }[] }> {
  const { layout } = await resolveExchangeLayout(path, 'auto');
  const rows: { line: number; result: RowResult }[] = [];
  for await (const item of readLayoutRows(path, layout, {})) if (item.kind === 'row') rows.push({ line: item.line, result: item.result });
  return { layout: layout.name, rows };
}

async function itemsOf(path: string, options: ExchangeReadOptions = {}): Promise<ExchangeItem[]> {
  const { layout } = await resolveExchangeLayout(path, 'auto');
  const items: ExchangeItem[] = [];
  for await (const item of readExchangeFile(path, layout, options)) items.push(item);
  return items;
}

describe('Bittrex exports (real rotki fixtures)', () => {
  it('the 2023 transaction history: a withdrawal with its ETH address and tx hash, a deposit with only a tx id; signs dropped', async () => {
    const { layout, rows } = await rowsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history.csv'));
    expect(layout).toBe('bittrex-transactions');
    expect(rows).toEqual([
      {
        line: 2,
        result: {
          kind: 'movement',
          direction: 'withdrawal',
          asset: 'ETH',
          amount: '0.20084931',
          fee: '0',
          address: '0x95222290DD7278Aa3Ddd389Cc1E1d165CC4BAfe5',
          txid: '0xecac30357b613f6bcb5bc148fdd1d608bd94021e95a59233003948fde0c7c4d9',
          time: '2023-03-07 07:51:43.043',
          status: 'completed',
        },
      },
      {
        line: 3,
        result: {
          kind: 'movement',
          direction: 'deposit',
          asset: 'BCHA',
          amount: '0.00000001',
          fee: '0',
          address: '',
          txid: '1A313456CCEA5AF45B334881513CF472',
          time: '2021-09-28 22:35:21.970',
          status: 'completed',
        },
      },
    ]);
    // Neither is USDT: both are counted as skipped, with the reason.
    expect(await itemsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history.csv'), { account: 'B1' })).toEqual([
      { kind: 'skipped', line: 2, reason: 'asset ETH: only USDT is traced through exchanges' },
      { kind: 'skipped', line: 3, reason: 'asset BCHA: only USDT is traced through exchanges' },
    ]);
  });

  it('the 2017 deposit history (blank first line, US dates) and the older upper-case one', async () => {
    const recent = await rowsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history_deposits.csv'));
    expect(recent.layout).toBe('bittrex-deposits');
    expect(recent.rows).toEqual([
      {
        line: 3,
        result: {
          kind: 'movement',
          direction: 'deposit',
          asset: 'BTC',
          amount: '1',
          fee: '0',
          address: '3bamsmdamsd',
          txid: 'aaaa',
          time: '2017-05-21 13:37:47',
          status: 'completed',
          statusText: '',
        },
      },
    ]);
    const old = await rowsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history_deposits_old.csv'));
    expect(old.layout).toBe('bittrex-deposits');
    expect(old.rows).toEqual([
      {
        line: 3,
        result: {
          kind: 'movement',
          direction: 'deposit',
          asset: 'BTC',
          amount: '0.001',
          fee: '0',
          address: '3m',
          txid: 'a5577',
          time: '2017-01-01 12:21:38Z',
          status: 'completed',
          statusText: 'CONFIRMED',
        },
      },
    ]);
  });

  it('the 2017 withdrawal history (TxCost is the fee) and the older one (Closed is the debit time)', async () => {
    const recent = await rowsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history_withdrawals.csv'));
    expect(recent.layout).toBe('bittrex-withdrawals');
    expect(recent.rows).toEqual([
      {
        line: 3,
        result: {
          kind: 'movement',
          direction: 'withdrawal',
          asset: 'ETH',
          amount: '1',
          fee: '0.006',
          address: '0x123',
          txid: '0x',
          time: '2015-12-31 15:33:44',
          status: 'completed',
          statusText: '',
        },
      },
    ]);
    const old = await rowsOf(fixture('exchange-exports-rotki', 'bittrex_tx_history_withdrawals_old.csv'));
    expect(old.layout).toBe('bittrex-withdrawals');
    expect(old.rows).toEqual([
      {
        line: 3,
        result: {
          kind: 'movement',
          direction: 'withdrawal',
          asset: 'BTC',
          amount: '1',
          fee: '0',
          address: '',
          txid: 'Aaaa',
          time: '2023-11-01 23:36:47Z',
          status: 'completed',
          statusText: 'PAID',
        },
      },
    ]);
  });

  it('a USDT withdrawal in the 2017 layout becomes a movement; a canceled one is skipped', async () => {
    const path = join(tempDir(), 'withdrawals.csv');
    const header = readFileSync(fixture('exchange-exports-rotki', 'bittrex_tx_history_withdrawals.csv'), 'utf8').split('\n')[1];
    writeFileSync(
      path,
      `\n${header}\nb1,USDT,250.5,TYV35f7LNqoXVKczpEstr6UPb6jia34CzG,3/2/2025 4:05:06 PM,TRUE,FALSE,1,${'ab'.repeat(32)},FALSE,FALSE\n` +
        `b2,USDT,10,TYV35f7LNqoXVKczpEstr6UPb6jia34CzG,3/2/2025 4:06:00 PM,TRUE,FALSE,1,,TRUE,FALSE\n`,
    );
    expect(await itemsOf(path, { account: 'B1' })).toEqual([
      {
        kind: 'movement',
        record: {
          exchange: 'bittrex',
          account: 'B1',
          direction: 'withdrawal',
          asset: 'USDT',
          amount: 250_500000n,
          fee: 1_000000n,
          decimals: 6,
          address: 'TYV35f7LNqoXVKczpEstr6UPb6jia34CzG',
          txid: 'ab'.repeat(32),
          time: Date.UTC(2025, 2, 2, 16, 5, 6),
          line: 3,
        },
      },
      { kind: 'skipped', line: 4, reason: 'status "canceled" is not completed' },
    ]);
  });
});

describe('Poloniex withdrawal history (real cryptoTaxes demo export)', () => {
  it('the tx hash is read out of the status "COMPLETE: …"', async () => {
    const { layout, rows } = await rowsOf(fixture('exchange-demo-cryptotaxes', 'poloniex', 'withdrawalHistory.csv'));
    expect(layout).toBe('poloniex-withdrawals');
    expect(rows).toEqual([
      {
        line: 2,
        result: {
          kind: 'movement',
          direction: 'withdrawal',
          asset: 'BTC',
          amount: '2.183',
          fee: '0',
          address: '1DkxCYpopLQpLUf8gUFBSjK9TPNmGLzJcd',
          txid: '562b5f12cbb8818224dca96872be5151587520252cb3bcc6e293e41b26c1a28b',
          time: '2018-01-17 22:26:34',
          status: 'completed',
          statusText: 'COMPLETE: 562b5f12cbb8818224dca96872be5151587520252cb3bcc6e293e41b26c1a28b',
        },
      },
    ]);
  });
});

describe('OKX law-enforcement return (synthetic values in the documented layout)', () => {
  it('deposits: on-chain ones with address and tx hash, the INNER_ transfer as internal, TRX skipped; the account from uuid', async () => {
    const items = await itemsOf(fixture('okx-le-return-synthetic', 'deposits.csv'));
    expect(
      items.map((i) =>
        i.kind === 'movement'
          ? [
              i.record.line,
              i.record.account,
              i.record.direction,
              i.record.amount,
              i.record.address,
              i.record.txid,
              i.record.internal,
              new Date(i.record.time).toISOString(),
            ]
          : i,
      ),
    ).toEqual([
      [
        2,
        '77120045',
        'deposit',
        3000_000000n,
        'TTpKHSFUdoi9j2zacMcRx522rztL61ojFS',
        '0000000000000000000000000000000000000000000000000000000000007a01',
        undefined,
        '2025-03-01T10:05:00.000Z',
      ],
      [
        3,
        '77120045',
        'deposit',
        7500_000000n,
        'TTpKHSFUdoi9j2zacMcRx522rztL61ojFS',
        '0000000000000000000000000000000000000000000000000000000000007a03',
        undefined,
        '2025-03-01T12:05:00.000Z',
      ],
      [
        4,
        '77120045',
        'deposit',
        1200_000000n,
        'INNER_5512034_3',
        '5512034_3_7_0_88213_0_WALLET',
        'another OKX account (INNER_5512034_3)',
        '2025-03-01T12:30:00.000Z',
      ],
      { kind: 'skipped', line: 5, reason: 'asset TRX: only USDT is traced through exchanges' },
    ]);
  });

  it('withdrawals: the chain name is the network; the Omni row to a numeric account is internal; debited at the creation time', async () => {
    const items = await itemsOf(fixture('okx-le-return-synthetic', 'withdrawals.csv'));
    expect(
      items.map((i) =>
        i.kind === 'movement'
          ? [i.record.line, i.record.direction, i.record.network, i.record.amount, i.record.address, i.record.internal, new Date(i.record.time).toISOString()]
          : i,
      ),
    ).toEqual([
      [2, 'withdrawal', 'TRC20', 4000_000000n, 'TYV35f7LNqoXVKczpEstr6UPb6jia34CzG', undefined, '2025-03-01T13:55:00.000Z'],
      [3, 'withdrawal', 'Polygon', 2000_000000n, '0x2828282828282828282828282828282828282828', undefined, '2025-03-01T15:00:00.000Z'],
      [4, 'withdrawal', 'TRC20', 3500_000000n, 'TC5JCohoPT1H58KvCCUdbHAwncsoaMMHHZ', undefined, '2025-03-01T15:55:00.000Z'],
      [5, 'withdrawal', undefined, 1000_000000n, '88213', 'OKX account 88213', '2025-03-01T17:00:00.000Z'],
      [6, 'withdrawal', 'TRC20', 600_000000n, 'TDdY8szRJThjfDsPbVZnZHf4hKVbn8DQFn', undefined, '2025-03-01T18:00:00.000Z'],
    ]);
  });
});
