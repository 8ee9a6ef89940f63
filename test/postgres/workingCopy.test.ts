import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openCaseDb } from '../../src/store/caseStore.js';
import { openWorkingCopy } from '../../src/store/pg/workingCopy.js';
import { storedAmount } from '../../src/store/sourceWriter.js';
import { tempDir } from '../support/cli.js';
import { copySqliteCaseToPg } from '../support/pgFromSqlite.js';
import { usePgCluster } from '../support/postgres.js';

const pgCluster = usePgCluster();

// 100 ETH in wei is past 64 bits: a case file keeps it as hex text, PostgreSQL as NUMERIC(78, 0),
// and the working copy must hold what the case file holds, or every sum over it would differ.
const AMOUNTS = [100n * 10n ** 18n, 9_223_372_036_854_775_807n, 5_000_000n, 123_456_789_012_345_678n];

describe('the working copy of a PostgreSQL case (src/store/pg/workingCopy.ts)', () => {
  it('holds every row as the case file does: amounts past 64 bits as hex text, the rest as integers', async () => {
    const file = join(tempDir(), 'case.db');
    const db = openCaseDb(file);
    db.transaction(() => {
      db.prepare("INSERT INTO sources (path, sha256, size, adapter, options, imported_at) VALUES ('wei.csv', ?, 1, 'test', '{}', '2026-01-01T00:00:00Z')").run(
        '0'.repeat(64),
      );
      db.prepare("INSERT INTO accounts (id, rail, ident) VALUES (1, 'ethereum', '0xa'), (2, 'ethereum', '0xb')").run();
      const insert = db.prepare(
        "INSERT INTO transfers (id, rail, asset, decimals, amount, from_id, to_id, time, ref, seq, source_id, line, description) VALUES (?, 'ethereum', 'ETH', 18, ?, 1, 2, ?, ?, 0, 1, ?, ?)",
      );
      for (const [i, amount] of AMOUNTS.entries())
        insert.run(i + 1, storedAmount(amount), 1_700_000_000_000 + i, `0x${i}`, i + 2, i === 0 ? 'tab\there, newline\nthere' : null);
    })();
    const rows = (d: typeof db) => d.prepare('SELECT id, amount, typeof(amount) AS kind, time, description FROM transfers ORDER BY id').all();
    const expected = rows(db);
    // Tables, indexes and triggers: the copy builds its indexes and triggers after the rows, all of them.
    const schemaOf = (d: typeof db) => d.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY type, name').all();
    const schema = schemaOf(db);
    db.close();
    expect(expected.map((r) => (r as { kind: string }).kind)).toEqual(['text', 'integer', 'integer', 'integer']);
    const cluster = pgCluster.current!;
    cluster.createDatabase('wei');
    await copySqliteCaseToPg(file, cluster.url('wei'));
    expect(cluster.psql('SELECT amount FROM transfers ORDER BY id', 'wei').trim().split('\n')).toEqual(AMOUNTS.map(String));
    const client = new pg.Client({ connectionString: cluster.url('wei') });
    await client.connect();
    try {
      const copy = await openWorkingCopy(client);
      try {
        expect(rows(copy.db)).toEqual(expected);
        expect(copy.head.seq).toBe(1);
        expect(schemaOf(copy.db)).toEqual(schema);
        expect(schema.length).toBeGreaterThan(50);
      } finally {
        copy.close();
      }
    } finally {
      await client.end();
    }
  });
});
