import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { ok } from './support.js';

/** The sum of the `value` column of upstream transactions.csv. */
const TOTAL = '33287919.20';

interface Info {
  transfers: number;
  accounts: number;
  byAsset: { asset: string; count: number; amount: string }[];
  sources: { rows: number; duplicates: number }[];
}
const info = (db: string): Info => JSON.parse(ok(db, 'info', '--json')) as Info;

describe('a file cut in two gives the case of the whole file', () => {
  const dir = fixture('amlsim-ibm', '20K_fanin200cycle200');
  const part1 = join(dir, 'transactions.part1.csv');
  const part2 = join(dir, 'transactions.part2.csv');

  // 120,558 rows ingested several times over: minutes on a loaded machine.
  it('AMLSim in two parts, in either order: all 120,558 rows (identical rows of step 75 sit on both sides of the cut); the whole file after them adds nothing', () => {
    const whole = join(tempDir(), 'transactions.csv');
    writeFileSync(whole, readFileSync(part1, 'utf8') + readFileSync(part2, 'utf8').split('\n').slice(1).join('\n'));
    const forward = join(tempDir(), 'case.db');
    ok(forward, 'ingest', 'amlsim', part1, part2);
    const backward = join(tempDir(), 'case.db');
    ok(backward, 'ingest', 'amlsim', part2, part1);
    const a = info(forward);
    const b = info(backward);
    expect(a.transfers).toBe(120_558);
    expect(b.transfers).toBe(120_558);
    expect(b.byAsset).toEqual(a.byAsset);
    expect(b.accounts).toBe(a.accounts);
    expect(a.byAsset).toEqual([{ rail: 'bank', asset: 'AMLSIM', count: 120_558, amount: TOTAL }]);
    const run = hoptrace(['--db', forward, 'ingest', 'amlsim', whole]);
    expect(run.status, run.stderr).toBe(0);
    const again = info(forward);
    expect(again.transfers).toBe(120_558);
    expect(again.sources.map((s) => [s.rows, s.duplicates])).toEqual([
      [60_279, 0],
      [60_279, 0],
      [0, 120_558],
    ]);
  }, 900_000);

  it('a part read again in other bytes (Windows line ends) is a subset of what is stored and adds nothing', () => {
    // Simulation step 75, where the file was cut: its 66 rows in part 1 and 1,203 in part 2.
    const header = 'sourceNodeId,targetNodeId,value,time';
    const rows = (file: string): string[] =>
      readFileSync(file, 'utf8')
        .split('\n')
        .slice(1)
        .filter((l) => l.endsWith(',75'));
    const dir = tempDir();
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const aCrlf = join(dir, 'a-crlf.csv');
    writeFileSync(a, [header, ...rows(part1)].join('\n') + '\n');
    writeFileSync(b, [header, ...rows(part2)].join('\n') + '\n');
    writeFileSync(aCrlf, [header, ...rows(part1)].join('\r\n') + '\r\n');
    const total = rows(part1).length + rows(part2).length;
    const db = join(tempDir(), 'case.db');
    ok(db, 'ingest', 'amlsim', a, b, aCrlf);
    const result = info(db);
    expect(result.transfers).toBe(total);
    expect(result.sources.map((s) => [s.rows, s.duplicates])).toEqual([
      [rows(part1).length, 0],
      [rows(part2).length, 0],
      [0, rows(part1).length],
    ]);
  });
});

describe('a bank statement without references or balances, cut between identical lines', () => {
  // Three identical card payments on one day, no reference, no balance column: nothing but their
  // number tells them apart.
  const header = 'date,amount,currency,counterparty_account,counterparty_name,description';
  const b = '2025-03-04,-12.50,EUR,,Bakkerij,Brood';
  const a = '2025-03-04,-20.00,EUR,,Koffiebar,Kaartbetaling';
  const c = '2025-03-04,-7.00,EUR,,Kiosk,Krant';
  const profile = (): string => {
    const path = join(tempDir(), 'no-balance.json');
    writeFileSync(
      path,
      JSON.stringify({
        name: 'no-balance',
        bank: 'test',
        country: 'ZZ',
        encoding: 'auto',
        delimiter: ',',
        signature: header.split(','),
        date: { column: 'date', format: 'YYYY-MM-DD' },
        timeZone: 'UTC',
        decimal: '.',
        amount: { column: 'amount' },
        currency: { column: 'currency' },
        counterparty: { account: 'counterparty_account', name: 'counterparty_name' },
        description: ['description'],
        order: 'auto',
      }),
    );
    return path;
  };
  const file = (name: string, lines: string[], eol = '\n'): string => {
    const path = join(tempDir(), name);
    writeFileSync(path, [header, ...lines].join(eol) + eol);
    return path;
  };

  it('gives the whole statement in either order; the whole, or a part again, adds nothing', () => {
    const args = ['--profile', profile(), '--account', 'NL45INGB0004123456'];
    const part1 = file('part1.csv', [b, a]);
    const part2 = file('part2.csv', [a, a, c]);
    const whole = file('whole.csv', [b, a, a, a, c]);
    const part2Crlf = file('part2-crlf.csv', [a, a, c], '\r\n');
    const expected = [{ rail: 'bank', asset: 'EUR', count: 5, amount: '79.50' }];
    const forward = join(tempDir(), 'case.db');
    ok(forward, 'ingest', 'bank', part1, part2, ...args);
    expect(info(forward).byAsset).toEqual(expected);
    const backward = join(tempDir(), 'case.db');
    ok(backward, 'ingest', 'bank', part2, part1, ...args);
    expect(info(backward).byAsset).toEqual(expected);
    const single = join(tempDir(), 'case.db');
    ok(single, 'ingest', 'bank', whole, ...args);
    expect(info(single).byAsset).toEqual(expected);
    ok(forward, 'ingest', 'bank', whole, part2Crlf, ...args);
    const after = info(forward);
    expect(after.byAsset).toEqual(expected);
    expect(after.sources.map((s) => [s.rows, s.duplicates])).toEqual([
      [2, 0],
      [3, 0],
      [0, 5],
      [0, 3],
    ]);
  });

  it('statements that each hold the day of the one before, and more (intraday, then end of day): every line once', () => {
    const args = ['--profile', profile(), '--account', 'NL45INGB0004123456'];
    const one = file('one.csv', [a]);
    const two = file('two.csv', [a, a]);
    const three = file('three.csv', [a, a, a]);
    const expected = [{ rail: 'bank', asset: 'EUR', count: 3, amount: '60.00' }];
    // Before, each statement's lines were counted once more for every statement that had shown
    // them again: the third file found three stored where two were, and added none.
    for (const order of [
      [one, two, three],
      [two, one, three],
      [three, one, two],
    ]) {
      const db = join(tempDir(), 'case.db');
      for (const statement of order) ok(db, 'ingest', 'bank', statement, ...args);
      expect(info(db).byAsset, order.join(' ')).toEqual(expected);
    }
  });

  it('with a running balance, identical lines are told apart by the balance after each', () => {
    const withBalance = 'date,amount,currency,counterparty_account,counterparty_name,reference,description,balance';
    const lines = [
      '2025-03-04,-20.00,EUR,,Koffiebar,,Kaartbetaling,80.00',
      '2025-03-04,-20.00,EUR,,Koffiebar,,Kaartbetaling,60.00',
      '2025-03-04,-20.00,EUR,,Koffiebar,,Kaartbetaling,40.00',
    ];
    const write = (name: string, rows: string[]): string => {
      const path = join(tempDir(), name);
      writeFileSync(path, [withBalance, ...rows].join('\n') + '\n');
      return path;
    };
    const args = ['--profile', 'generic', '--account', 'NL45INGB0004123456'];
    const expected = [{ rail: 'bank', asset: 'EUR', count: 3, amount: '60.00' }];
    const db = join(tempDir(), 'case.db');
    ok(db, 'ingest', 'bank', write('late.csv', lines.slice(1)), write('early.csv', lines.slice(0, 1)), ...args);
    expect(info(db).byAsset).toEqual(expected);
    ok(db, 'ingest', 'bank', write('whole.csv', lines), ...args);
    expect(info(db).byAsset).toEqual(expected);
  });
});
