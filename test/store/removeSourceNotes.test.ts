import { describe, expect, it } from 'vitest';
import { openCaseDb, toNumber } from '../../src/store/caseStore.js';
import { insertClusterAssertion } from '../../src/store/clusterAssertions.js';
import { insertNote } from '../../src/store/notes.js';
import { hoptrace } from '../support/cli.js';
import { demoCaseCopy, ok } from './support.js';

/**
 * remove-source takes investigators' notes and cluster assertions on what it removes with it
 * (docs/case-file.md, "Removing a source"): they annotate transfers and accounts no longer in the
 * case. It says so, in its output and in its log entry, as for everything else it removes.
 */
describe('remove-source and the investigators’ notes on what it removes', () => {
  it('counts them in its output and its audit-log entry', () => {
    const path = demoCaseCopy();
    const db = openCaseDb(path);
    let source: number;
    try {
      source = toNumber(db.prepare("SELECT id FROM sources WHERE path LIKE '%eth-platform-and-collector.etherscan.csv'").pluck().get());
      const transfer = toNumber(db.prepare('SELECT MIN(id) FROM transfers WHERE source_id = ?').pluck().get(source));
      // Accounts only this source's transfers mention: they go with it.
      const only = (
        db
          .prepare(
            `SELECT a.id FROM accounts a WHERE EXISTS (SELECT 1 FROM transfers t WHERE (t.from_id = a.id OR t.to_id = a.id) AND t.source_id = @s)
               AND NOT EXISTS (SELECT 1 FROM transfers t WHERE (t.from_id = a.id OR t.to_id = a.id) AND t.source_id <> @s)
               AND NOT EXISTS (SELECT 1 FROM tags WHERE account_id = a.id) ORDER BY a.id`,
          )
          .pluck()
          .all({ s: source }) as bigint[]
      ).map(toNumber);
      expect(only.length).toBeGreaterThanOrEqual(2);
      insertNote(db, { transferId: transfer }, 'asked the exchange about this one', '2026-12-06T07:00:00.000Z');
      insertNote(db, { accountId: only[0]! }, 'the collector, per the informant', '2026-12-06T07:01:00.000Z');
      insertClusterAssertion(db, { a: only[0]!, b: only[1]!, same: true, reason: 'same operator' }, '2026-12-06T07:02:00.000Z');
    } finally {
      db.close();
    }
    const run = hoptrace(['--db', path, 'remove-source', String(source)]);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/; with them 2 investigator's notes and 1 cluster assertion on what was removed\n$/);
    const entry = (JSON.parse(ok(path, 'log', '--json')) as { action: string; changes: Record<string, number> }[]).at(-1)!;
    expect(entry.action).toBe('remove-source');
    expect(entry.changes).toMatchObject({ notesRemoved: 2, assertionsRemoved: 1 });
    const after = openCaseDb(path, { readonly: true });
    try {
      expect(after.prepare('SELECT COUNT(*) FROM notes').pluck().get()).toBe(0n);
      expect(after.prepare('SELECT COUNT(*) FROM cluster_assertions').pluck().get()).toBe(0n);
    } finally {
      after.close();
    }
    ok(path, 'verify');
  });
});
