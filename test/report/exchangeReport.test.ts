import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { tx, writeExchangeCase } from '../support/exchangeCase.js';

// The hand-worked Binance case (test/support/exchangeCase.ts) under FIFO: the victim's 6,000 is
// credited to customer 4411 (transfer 8, linked from the deposit, transfer 3); withdrawal 1
// (transfer 9) carries 3,000 traced on chain as transfer 5 to W1; the BSC withdrawal (transfer 13)
// is not followed on chain.
const W1 = '0xF6f6F6f6f6f6F6F6F6F6F6f6f6F6f6f6F6f6f6f6';
const W2 = '0x1717171717171717171717171717171717171717';

describe('the evidence report shows the hop through the customer account at the exchange as such', () => {
  let markdown = '';
  let html = '';
  let dir = '';
  beforeAll(() => {
    dir = tempDir();
    const db = join(dir, 'case.db');
    const { chain, ret } = writeExchangeCase(dir);
    expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
    expect(hoptrace(['--db', db, 'ingest', 'exchange', ret, '--quiet']).status).toBe(0);
    expect(hoptrace(['--db', db, 'trace', tx(2), '--rule', 'fifo', '--out', join(dir, 'trace.json')]).status).toBe(0);
    for (const ext of ['md', 'html'])
      expect(hoptrace(['--db', db, 'report', join(dir, 'trace.json'), '--out', join(dir, `report.${ext}`), '--no-timestamp']).status).toBe(0);
    markdown = readFileSync(join(dir, 'report.md'), 'utf8');
    html = readFileSync(join(dir, 'report.html'), 'utf8');
  });

  const appendixRow = (transfer: number): string => markdown.split('\n').find((line) => line.startsWith(`| ${transfer} | `) && line.includes('USDT |'))!;

  it('markdown: the deposit credited to the customer, withdrawals by the customer to their on-chain destination, fees, and the one not followed', () => {
    const cells = (transfer: number): string[] => appendixRow(transfer).split(' | ').slice(1, 4);
    expect(cells(8)).toEqual(['3', 'credited to customer 4411 at Binance (the deposit of transfer 3)', '2025-03-01 12:10:00']);
    expect(cells(9)).toEqual(['4', `withdrawn by customer 4411 at Binance to ${W1} (last seen here), on chain as transfer 5`, '2025-03-01 13:53:20']);
    expect(cells(10)).toEqual(['4', 'fee of customer 4411, charged by Binance', '2025-03-01 13:53:20']);
    expect(cells(11)).toEqual(['4', `withdrawn by customer 4411 at Binance to ${W2} (last seen here), on chain as transfer 6`, '2025-03-01 14:56:40']);
    expect(cells(13)).toEqual([
      '4',
      "withdrawn by customer 4411 at Binance, not followed on chain (the return's row is not matched to a transfer in the case: hoptrace exchange-movements --unmatched)",
      '2025-03-01 15:16:40',
    ]);
    expect(markdown).toContain('### held as of 2025-03-01 15:16:40: customer 4411 at Binance — binance:4411 (freeze candidate) — 397.710000 USDT\n');
  });

  it('lists the rows of the return the chain data could not match, with the reason', () => {
    const section = markdown.slice(markdown.indexOf('## Exchange returns: deposits and withdrawals not followed on chain'), markdown.indexOf('## Checks'));
    const rows = section.split('\n').filter((line) => line.startsWith('| customer 4411'));
    // The BSC withdrawal (100 + 0.29 fee); the cancelled row was never a movement.
    expect(rows).toEqual([
      `| customer 4411 at Binance — binance:4411 (freeze candidate) | 2025-03-01 15:16:40 | withdrawal | 100.000000 USDT | 0.290000 | BSC | 0x${'0'.repeat(62)}63 | network BSC is not a chain hoptrace reads (Ethereum, Tron) | ${join(dir, 'binance-return.csv')}:6 |`,
    ]);
    expect(html).toContain('<h2>Exchange returns: deposits and withdrawals not followed on chain</h2>');
  });

  it('html: the same words in the hop cells', () => {
    expect(html).toContain('<tr><td>8</td><td>3</td><td>credited to customer 4411 at Binance (the deposit of transfer 3)</td>');
    expect(html).toContain(`<tr><td>9</td><td>4</td><td>withdrawn by customer 4411 at Binance to ${W1} (last seen here), on chain as transfer 5</td>`);
    expect(html).toContain('<tr><td>10</td><td>4</td><td>fee of customer 4411, charged by Binance</td>');
  });
});
