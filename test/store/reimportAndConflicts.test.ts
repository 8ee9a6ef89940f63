import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, ROOT, tempDir } from '../support/cli.js';
import { demoCaseCopy, infoJson, ok } from './support.js';

const sample = (...parts: string[]): string => join(ROOT, 'samples', ...parts);

describe('one file, one reading: the same bytes with other options are refused', () => {
  it('refuses a wrong --account on a statement already in the case, leaving the case and its log unchanged', () => {
    const db = demoCaseCopy();
    const before = infoJson(db);
    const logBefore = ok(db, 'log', '--json');
    const kevin = sample('bank', 'mule-kevin-schulz.csv');
    const run = hoptrace(['--db', db, 'ingest', 'bank', kevin, '--profile', 'generic', '--account', 'NL36INGB0007654321']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `hoptrace: ${kevin}: already imported as source 1 (options bank:generic {"account":"DE29100100100987654321"}; now bank:generic {"account":"NL36INGB0007654321"}) — remove-source 1 first to import it differently\n`,
    );
    expect(infoJson(db)).toBe(before);
    expect(ok(db, 'log', '--json')).toBe(logBefore);
    // The same reading again is an idempotent no-op.
    const same = hoptrace(['--db', db, 'ingest', 'bank', kevin, '--profile', 'generic', '--account', 'DE29100100100987654321']);
    expect(same.status).toBe(0);
    expect(same.stderr).toContain('already imported (source 1');
    expect(infoJson(db)).toBe(before);
  });

  it('refuses another --token on a USDT export and another --format on a tag list', () => {
    const db = demoCaseCopy();
    const before = infoJson(db);
    const tronscan = sample('usdt', 'tron-collector-and-peel-chain.tronscan.csv');
    const usdt = hoptrace(['--db', db, 'ingest', 'usdt', tronscan, '--token', 'all']);
    expect(usdt.status).toBe(1);
    expect(usdt.stderr).toMatch(
      /^hoptrace: .*tron-collector-and-peel-chain\.tronscan\.csv: already imported as source 6 \(options usdt:tronscan \{"token":"usdt"\}; now usdt:tronscan \{"token":"all"\}\) — remove-source 6 first to import it differently\n$/,
    );
    const tags = hoptrace(['--db', db, 'ingest', 'tags', sample('attribution', 'demo-tags.csv'), '--format', 'tagpack']);
    expect(tags.status).toBe(1);
    expect(tags.stderr).toContain(
      'demo-tags.csv: already imported as source 10 (options tags:csv; now tags:tagpack) — remove-source 10 first to import it differently',
    );
    expect(infoJson(db)).toBe(before);
  });
});

describe('a row that contradicts a stored transfer is an error', () => {
  // 40 rows of a real TronScan export; the copy changes one quant by one base unit.
  function exports(): { original: string; altered: string; line: number } {
    const dir = tempDir();
    const lines = readFileSync(fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'), 'utf8').split('\n').slice(0, 41);
    const original = join(dir, 'original.csv');
    writeFileSync(original, lines.join('\n') + '\n');
    const altered = lines.slice();
    const cells = altered[7]!.split(',');
    expect(cells[9]).toBe('1000000000');
    cells[9] = '1000000001';
    altered[7] = cells.join(',');
    const alteredPath = join(dir, 'altered.csv');
    writeFileSync(alteredPath, altered.join('\n') + '\n');
    return { original, altered: alteredPath, line: 8 };
  }

  it('fails the file, naming the stored transfer, its source line and both amounts; nothing stored', () => {
    const { original, altered, line } = exports();
    const db = join(tempDir(), 'case.db');
    ok(db, 'ingest', 'usdt', original);
    const before = infoJson(db);
    const transfer = JSON.parse(ok(db, 'log', '--json')).length;
    const run = hoptrace(['--db', db, 'ingest', 'usdt', altered]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`^hoptrace: ${altered}:${line}: conflicts with transfer 7 from ${original}:${line} \\(amount 1000\\.000001 vs 1000\\.000000\\) — `),
    );
    expect(infoJson(db)).toBe(before);
    expect(JSON.parse(ok(db, 'log', '--json')).length).toBe(transfer);
  });

  it('with --skip-bad records the row as rejected and stores no second transfer', () => {
    const { original, altered, line } = exports();
    const db = join(tempDir(), 'case.db');
    ok(db, 'ingest', 'usdt', original);
    const before = JSON.parse(infoJson(db)) as { transfers: number; byAsset: unknown };
    hoptrace(['--db', db, 'ingest', 'usdt', altered, '--skip-bad']);
    const after = JSON.parse(infoJson(db)) as {
      transfers: number;
      byAsset: unknown;
      rejects: { path: string; line: number; reason: string }[];
      sources: { rows: number; duplicates: number; rejected: number }[];
    };
    expect(after.transfers).toBe(before.transfers);
    expect(after.byAsset).toEqual(before.byAsset);
    expect(after.rejects).toEqual([
      { sourceId: 2, path: altered, line, reason: `conflicts with transfer 7 from ${original}:${line} (amount 1000.000001 vs 1000.000000)` },
    ]);
    // 40 rows: 39 transfers (one row moved another token), of which the altered one is rejected.
    expect(after.sources[1]).toMatchObject({ rows: 0, duplicates: 38, skipped: 1, rejected: 1 });
  });
});
