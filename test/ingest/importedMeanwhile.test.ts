import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestBankFiles } from '../../src/ingest/ingestBank.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { selectSources } from '../../src/store/sources.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';

/**
 * Two ingests of one file at once (docs/case-file.md, "One file, one reading"): the second checks
 * again once its write transaction holds the case. Here another hoptrace process imports the file
 * just before this one's transaction begins, after this one's first check found nothing.
 */
function beforeWriting(db: Db, during: () => void): Db {
  let pending: (() => void) | undefined = during;
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== 'exec') return value.bind(target);
      return (sql: string) => {
        if (pending && sql === 'BEGIN IMMEDIATE') {
          const run = pending;
          pending = undefined;
          run();
        }
        return (value as (sql: string) => unknown).call(target, sql);
      };
    },
  });
}

const STATEMENT = join(fixture('..', '..', 'samples', 'bank'), 'mule-kevin-schulz.csv');
const EXPORT = join(fixture('..', '..', 'samples', 'usdt'), 'eth-platform-and-collector.etherscan.csv');

function elsewhere(path: string, args: string[]): void {
  const child = hoptrace(['--db', path, ...args, '--quiet']);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
}

describe('a file imported by another process while this one read it', () => {
  it('read another way (another --account): refused, not stored twice', async () => {
    const path = join(tempDir(), 'case.db');
    const db = openCaseDb(path);
    try {
      const other = () => elsewhere(path, ['ingest', 'bank', STATEMENT, '--profile', 'generic', '--account', 'DE77100100100123456789']);
      await expect(ingestBankFiles(beforeWriting(db, other), [STATEMENT], { profile: 'generic', account: 'DE29100100100987654321' })).rejects.toThrow(
        /already imported as source 1 \(options bank:generic .*"account":"DE77100100100123456789".*; now .*"account":"DE29100100100987654321"/,
      );
      expect(selectSources(db).map((s) => s.id)).toEqual([1]);
    } finally {
      db.close();
    }
  });

  it('read the same way: reported as already imported, not a failed unique key', async () => {
    const path = join(tempDir(), 'case.db');
    const db = openCaseDb(path);
    try {
      const [result] = await ingestUsdtFiles(
        beforeWriting(db, () => elsewhere(path, ['ingest', 'usdt', EXPORT])),
        [EXPORT],
      );
      expect(result).toMatchObject({ status: 'already-imported', existing: { id: 1 } });
      expect(selectSources(db).map((s) => s.id)).toEqual([1]);
    } finally {
      db.close();
    }
  });
});
