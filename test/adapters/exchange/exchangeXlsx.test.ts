import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExchangeFile, resolveExchangeLayout } from '../../../adapters/exchange/index.js';
import type { ExchangeItem, ExchangeReadOptions } from '../../../adapters/exchange/types.js';
import { fixture, hoptrace, tempDir } from '../../support/cli.js';
import { tx, writeExchangeCase } from '../../support/exchangeCase.js';
import { writeXlsxFromCsv } from '../../support/xlsxFromCsv.js';

async function readAll(path: string, options: ExchangeReadOptions = {}): Promise<{ layout: string; items: ExchangeItem[] }> {
  const { layout } = await resolveExchangeLayout(path, 'auto', options.sheet);
  const items: ExchangeItem[] = [];
  for await (const item of readExchangeFile(path, layout, options)) items.push(item);
  return { layout: layout.name, items };
}

const withoutNotes = (items: ExchangeItem[]): ExchangeItem[] => items.filter((i) => i.kind !== 'note');

describe('exchange returns as XLSX workbooks, through the same profiles', () => {
  it.each(['date-cells', 'serials'] as const)(
    'a Binance withdrawal history (own-written, real layout) as XLSX (times as %s) reads row for row as the CSV',
    async (times) => {
      const csv = fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv');
      const xlsx = join(tempDir(), 'withdrawals.xlsx');
      await writeXlsxFromCsv(csv, xlsx, { times });
      const fromCsv = await readAll(csv, { account: '4411' });
      const fromXlsx = await readAll(xlsx, { account: '4411' });
      expect(fromXlsx.layout).toBe('binance-withdrawals');
      expect(withoutNotes(fromXlsx.items)).toEqual(withoutNotes(fromCsv.items));
      const movements = fromXlsx.items.flatMap((i) =>
        i.kind === 'movement' ? [[i.record.amount, i.record.fee, i.record.txid, new Date(i.record.time).toISOString(), i.record.line]] : [],
      );
      expect(movements).toEqual([
        [1_482_650000n, 290000n, '0x8cdbb89078377c5a4a1233b324a2ab323bf7eff2a75439c20508b9d81d8f2036', '2024-04-03T18:17:29.000Z', 22],
        [25_500000n, 290000n, '0x4c5ab28113e5b52744d919dd5951119be4e2bf5bd4932e1c4f86b8d58fd75473', '2024-04-03T18:09:52.000Z', 23],
      ]);
      expect(fromXlsx.items.filter((i) => i.kind === 'skipped')).toHaveLength(22);
      expect(fromXlsx.items[0]).toEqual({ kind: 'note', message: 'sheet "Movements" (2 of 2) of the workbook' });
    },
  );

  it("OKX's `;` law-enforcement sheet as a workbook (times as Excel serials) reads as the CSV sheet does", async () => {
    const csv = fixture('okx-le-return-synthetic', 'withdrawals.csv');
    const xlsx = join(tempDir(), 'okx-production.xlsx');
    await writeXlsxFromCsv(csv, xlsx, { times: 'serials', delimiter: ';', sheetName: 'withdrawals' });
    const fromCsv = await readAll(csv);
    const fromXlsx = await readAll(xlsx);
    expect(fromXlsx.layout).toBe('okx-le-return');
    expect(withoutNotes(fromXlsx.items)).toEqual(withoutNotes(fromCsv.items));
    expect(fromXlsx.items.filter((i) => i.kind === 'movement')).toHaveLength(5);
  });

  it('title rows above the header are passed over; each movement keeps its sheet row', async () => {
    const csv = fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv');
    const xlsx = join(tempDir(), 'production.xlsx');
    await writeXlsxFromCsv(csv, xlsx, { times: 'date-cells', titleRows: ['Withdrawal records', 'User ID 4411, 2024-01-01 to 2024-06-30'] });
    const fromCsv = await readAll(csv, { account: '4411' });
    const fromXlsx = await readAll(xlsx, { account: '4411' });
    expect(fromXlsx.layout).toBe('binance-withdrawals');
    const shifted = withoutNotes(fromCsv.items).map((i) =>
      i.kind === 'movement' ? { ...i, record: { ...i.record, line: i.record.line + 2 } } : 'line' in i ? { ...i, line: i.line + 2 } : i,
    );
    expect(withoutNotes(fromXlsx.items)).toEqual(shifted);
  });

  it('--sheet names the sheet; a sheet that is not there is an error listing the sheets', async () => {
    const csv = fixture('binance-withdrawals-metko21neon', 'binance_withdrawals.csv');
    const xlsx = join(tempDir(), 'withdrawals.xlsx');
    await writeXlsxFromCsv(csv, xlsx, { times: 'date-cells', sheetName: 'Withdrawals' });
    expect((await readAll(xlsx, { account: '4411', sheet: '2' })).items.filter((i) => i.kind === 'movement')).toHaveLength(2);
    await expect(readAll(xlsx, { account: '4411', sheet: 'Deposits' })).rejects.toThrow('the workbook has no sheet "Deposits"');
    await expect(readAll(xlsx, { account: '4411', sheet: 'Summary' })).rejects.toThrow(
      'not an exchange deposit/withdrawal export hoptrace knows (sheet "Summary"',
    );
  });

  it('a return as XLSX gives the same movements, matches and trace as the same return as CSV', async () => {
    const dir = tempDir();
    const { chain, ret } = writeExchangeCase(dir);
    const xlsx = join(dir, 'binance-return.xlsx');
    await writeXlsxFromCsv(ret, xlsx, { times: 'date-cells' });
    const results = ['csv', 'xlsx'].map((kind) => {
      const db = join(dir, `${kind}.db`);
      expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
      const ingest = hoptrace(['--db', db, 'ingest', 'exchange', kind === 'csv' ? ret : xlsx]);
      expect(ingest.status).toBe(0);
      expect(ingest.stderr).toContain('profile generic (detected): 5 deposits and withdrawals, 4 matched on chain, 1 unmatched');
      const movements = (JSON.parse(hoptrace(['--db', db, 'exchange-movements', '--json']).stdout) as { source: unknown }[]).map(
        ({ source: _, ...rest }) => rest,
      );
      const trace = JSON.parse(hoptrace(['--db', db, 'trace', tx(2), '--rule', 'fifo', '--json']).stdout) as {
        held: unknown;
        endpoints: unknown;
        totals: unknown;
      };
      return { ingest: ingest.stderr, movements, held: trace.held, endpoints: trace.endpoints, totals: trace.totals };
    });
    expect(results[1]!.ingest).toContain('note: sheet "Movements" (2 of 2) of the workbook');
    expect(results[1]!.movements).toEqual(results[0]!.movements);
    expect(results[1]!.movements).toHaveLength(5);
    expect(results[1]!.held).toEqual(results[0]!.held);
    expect(results[1]!.endpoints).toEqual(results[0]!.endpoints);
    expect(results[1]!.totals).toEqual(results[0]!.totals);
  });
});

describe('errors in a workbook name the file and the sheet row', () => {
  it('a bad amount in row 3 of the sheet: FILE:3, nothing stored', async () => {
    const dir = tempDir();
    const csv = join(dir, 'ret.csv');
    writeFileSync(
      csv,
      'exchange,account,direction,asset,network,amount,fee,address,txid,time,status\nokx,77,deposit,USDT,TRC20,12,0,,,2025-01-01T00:00:00Z,completed\nokx,77,deposit,USDT,TRC20,12x,0,,,2025-01-02T00:00:00Z,completed\n',
    );
    const xlsx = join(dir, 'ret.xlsx');
    await writeXlsxFromCsv(csv, xlsx, { times: 'date-cells' });
    const db = join(dir, 'case.db');
    const run = hoptrace(['--db', db, 'ingest', 'exchange', xlsx]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^hoptrace: ${xlsx.replace(/[.]/g, '\\.')}:3: .*12x`));
    // Nothing stored, and no case file made (docs/cli.md, "The case file").
    expect(existsSync(db)).toBe(false);
  });
});

describe('a real Binance workbook that is not a deposit/withdrawal history', () => {
  it('the 2018 trade history (cryptoTaxes demo, XLSX) is refused naming its sheet and header', async () => {
    const path = fixture('exchange-demo-cryptotaxes', 'binance', 'TradeHistory.xlsx');
    await expect(resolveExchangeLayout(path, 'auto')).rejects.toThrow(
      'not an exchange deposit/withdrawal export hoptrace knows (sheet "tradeHistory", header: "Date,Market,Type,Price,Amount,Total,Fee,Fee Coin")',
    );
  });
});
