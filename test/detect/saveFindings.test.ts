import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/detect/types.js';
import { HoptraceError } from '../../src/model/errors.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { saveFindings } from '../../src/store/findings.js';
import { tempDir } from '../support/cli.js';
import { recordPragmaSets } from '../support/pragmaSets.js';

function caseWithAccounts(): Db {
  const db = openCaseDb(join(tempDir('hoptrace-save-findings-'), 'case.db'));
  db.prepare(
    "INSERT INTO accounts (id, rail, ident) VALUES (1, 'tron', 'T1'), (2, 'tron', 'T2'), (3, 'tron', 'T3'), (4, 'tron', 'T4'), (5, 'tron', 'T5')",
  ).run();
  return db;
}

const finding = (typology: Finding['typology'], accounts: number[], evidence: number[] = [], score = 0.5): Finding => ({ typology, accounts, evidence, score });

/** Stored ids by typology, and every (finding, account) row. */
function stored(db: Db): { ids: Record<string, number[]>; accounts: number[][] } {
  const ids: Record<string, number[]> = {};
  for (const [id, typology] of db.prepare('SELECT id, typology FROM findings ORDER BY id').raw(true).safeIntegers(false).all() as [number, string][])
    ids[typology] = [...(ids[typology] ?? []), id];
  const accounts = db
    .prepare('SELECT finding_id, account_id FROM finding_accounts ORDER BY finding_id, account_id')
    .raw(true)
    .safeIntegers(false)
    .all() as number[][];
  return { ids, accounts };
}

describe('saveFindings', () => {
  it('replaces only the typologies run, each finding numbered one past the largest id left, across the statements rows go in', () => {
    const db = caseWithAccounts();
    // 1,201 findings: more than two statements' worth; each names an account twice (stored once).
    const first = Array.from({ length: 1201 }, (_, i) => finding(i % 2 === 0 ? 'sweep' : 'fan-in', [1 + (i % 5), 1 + (i % 5)], [i], (i % 10) / 10));
    saveFindings(db, ['sweep', 'fan-in'], first, { windowMs: 1 });
    let now = stored(db);
    expect(now.ids['sweep']).toEqual(Array.from({ length: 601 }, (_, i) => 1 + 2 * i));
    expect(now.ids['fan-in']).toEqual(Array.from({ length: 600 }, (_, i) => 2 + 2 * i));
    expect(now.accounts).toEqual(Array.from({ length: 1201 }, (_, i) => [i + 1, 1 + (i % 5)]));
    const row = db.prepare('SELECT typology, params, evidence, score FROM findings WHERE id = ?').raw(true).safeIntegers(false);
    expect(row.get(1200)).toEqual(['fan-in', '{"windowMs":1}', '[1199]', 0.9]);

    saveFindings(db, ['cycle'], [finding('cycle', [2, 3]), finding('cycle', [4])], { windowMs: 2 });
    // The sweep findings go; the largest id left is cycle's 1203.
    saveFindings(db, ['sweep'], [finding('sweep', [5], [7, 8], 1)], { windowMs: 3 });
    // The cycle findings go; the largest id left is sweep's new 1204.
    saveFindings(db, ['cycle'], [finding('cycle', [1, 5])], { windowMs: 4 });
    now = stored(db);
    expect(now.ids).toEqual({ 'fan-in': Array.from({ length: 600 }, (_, i) => 2 + 2 * i), sweep: [1204], cycle: [1205] });
    expect(now.accounts).toEqual([...Array.from({ length: 600 }, (_, i) => [2 + 2 * i, 1 + ((1 + 2 * i) % 5)]), [1204, 5], [1205, 1], [1205, 5]]);
    expect(row.get(1204)).toEqual(['sweep', '{"windowMs":3}', '[7,8]', 1]);
    // Every stored finding replaced: numbered from 1 again, none of the old accounts left.
    saveFindings(db, ['cycle', 'sweep', 'fan-in', 'structuring'], [finding('structuring', [3]), finding('fan-in', [4, 2])], { windowMs: 5 });
    expect(stored(db)).toEqual({
      ids: { structuring: [1], 'fan-in': [2] },
      accounts: [
        [1, 3],
        [2, 2],
        [2, 4],
      ],
    });
    db.close();
  });

  it('writes without foreign-key checks, checks the accounts before COMMIT, and saves nothing that names an account not in the case', () => {
    const db = caseWithAccounts();
    const set = recordPragmaSets(db);
    saveFindings(db, ['cycle', 'sweep'], [finding('cycle', [1, 2]), finding('sweep', [3])], { windowMs: 1 });
    expect(set).toEqual(['foreign_keys = OFF', 'foreign_keys = 1']);
    const before = stored(db);
    const log = () => db.prepare('SELECT COUNT(*) FROM audit_log').pluck().safeIntegers(false).get();
    const entries = log();
    // Account 9 is not in the case (a source removed while detection ran).
    const bad = () => saveFindings(db, ['cycle'], [finding('cycle', [1]), finding('cycle', [2, 9])], { windowMs: 2 });
    expect(bad).toThrow(HoptraceError);
    expect(bad).toThrow('1 finding_accounts row(s) name accounts or rows that are not in the case: the findings were not saved');
    expect(stored(db)).toEqual(before);
    expect(log()).toBe(entries);
    expect(Number(db.pragma('foreign_keys', { simple: true }))).toBe(1);
    db.close();
  });
});
