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
    const rows = (file: string): string[] => readFileSync(file, 'utf8').split('\n').slice(1).filter((l) => l.endsWith(',75'));
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

