import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterCase } from '../../src/cluster/clusterCase.js';
import { detectCase } from '../../src/detect/detectCase.js';
import { iterateFindings } from '../../src/store/findings.js';
import { findingsText } from '../../src/cli/run/detect.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { staleResults } from '../../src/store/staleness.js';
import { checkLog } from '../../src/store/auditLog.js';
import { selectCaseInfo } from '../../src/store/info.js';
import { verifyCase } from '../../src/ingest/verifySources.js';
import { exportGraph } from '../../src/export/graph/exportGraph.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { demoCaseCopy } from './support.js';

/**
 * Commands that read the case in several passes read one state of it (docs/case-file.md,
 * "Reading while another process writes"), whatever another hoptrace process stores meanwhile.
 * Clusters and findings are stored with the basis of the case they were computed from ("Stale
 * clusters and findings"): a source stored after they were computed and before they are stored
 * leaves them stale, not current on a case that holds that source.
 */
function tronscanSlice(from: number, to: number): string {
  const lines = readFileSync(fixture('tron-aso-nbctf-hfuhruhurr', 'trc20_xfers.part1.csv'), 'utf8').split('\n');
  const path = join(tempDir(), `tronscan-${from}-${to}.csv`);
  writeFileSync(path, [lines[0], ...lines.slice(from, to)].join('\n') + '\n');
  return path;
}

const LEDGER_HEADER = readFileSync(fixture('hoptrace-made', 'report', 'mule-ledger.tronscan.csv'), 'utf8').split('\n')[0];

function ingestElsewhere(path: string, file: string): void {
  const child = hoptrace(['--db', path, 'ingest', 'usdt', file, '--quiet']);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
}

/**
 * The case file's connection, letting `during` run once just before the first call of `method`
 * that `matches` its SQL: another process's write lands at that moment of the command.
 */
function onceBefore(db: Db, method: 'pragma' | 'prepare', matches: (sql: string) => boolean, during: () => void): Db {
  let pending: (() => void) | undefined = during;
  return new Proxy(db, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(target);
      return (sql: string, ...rest: unknown[]) => {
        if (pending && matches(sql)) {
          const run = pending;
          pending = undefined;
          run();
        }
        return (value as (sql: string, ...rest: unknown[]) => unknown).call(target, sql, ...rest);
      };
    },
  });
}

/** When a result's save begins: it turns foreign-key checks off before its write transaction (src/store/foreignKeys.ts). */
const beforeSaving = (db: Db, during: () => void): Db => onceBefore(db, 'pragma', (sql) => sql === 'foreign_keys = OFF', during);

describe('a result computed before another process stores a source is stored as stale', () => {
  it('clusters', async () => {
    const path = demoCaseCopy();
    const db = openCaseDb(path);
    try {
      await clusterCase(db);
      expect(staleResults(db)).toEqual([]);
      let stored = false;
      await clusterCase(
        beforeSaving(db, () => {
          ingestElsewhere(path, tronscanSlice(1, 11));
          stored = true;
        }),
      );
      expect(stored).toBe(true);
      expect(staleResults(db)).toEqual(['clusters']);
      // Computed again, on the case as it now is: current.
      await clusterCase(db);
      expect(staleResults(db)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('findings, with the seeds’ trace read in the same state', () => {
    const path = demoCaseCopy();
    const db = openCaseDb(path);
    const seed = 'account:DE68500105174417320965';
    try {
      detectCase(db, undefined, {}, { seeds: [seed] });
      expect(staleResults(db)).toEqual(expect.not.arrayContaining(['findings']));
      let stored = false;
      detectCase(
        beforeSaving(db, () => {
          ingestElsewhere(path, tronscanSlice(1, 11));
          stored = true;
        }),
        undefined,
        {},
        { seeds: [seed] },
      );
      expect(stored).toBe(true);
      expect(staleResults(db)).toContain('findings');
      detectCase(db, undefined, {}, { seeds: [seed] });
      expect(staleResults(db)).toEqual(expect.not.arrayContaining(['findings']));
    } finally {
      db.close();
    }
  });
});

describe('an export reads one state of the case', () => {
  it('a source stored between its nodes and its edges is not in it: the same bytes as an export before', () => {
    const path = demoCaseCopy();
    const dir = tempDir();
    // A transfer between two accounts the demo case holds: it would join the edges of nodes already written.
    const lateTransfer = (txId: string): string => {
      const file = join(dir, `${txId.slice(0, 8)}.tronscan.csv`);
      const row = `TYaR4cFtrJgk4idVZbKdcVsWGMWJNgQHir,1744200000000,${txId},False,0,TYaR4cFtrJgk4idVZbKdcVsWGMWJNgQHir,,TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT,,5000000000,TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t,USDT,Tether USD,6,trc20,2,SUCCESS,SUCCESS`;
      writeFileSync(file, `${LEDGER_HEADER}\n${row}\n`);
      return file;
    };
    const txIds = {
      account: '7f0b3c1e9a2d4c6b8e0f1a3c5e7d9b2f4a6c8e0d2b4f6a8c0e2d4b6f8a0c2e4d',
      cluster: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f809',
    };
    const db = openCaseDb(path);
    try {
      for (const level of ['account', 'cluster'] as const) {
        const before = join(dir, `before-${level}.graphml`);
        const during = join(dir, `during-${level}.graphml`);
        exportGraph(db, { format: 'graphml', out: before, level });
        const late = lateTransfer(txIds[level]);
        const edgesPass = (sql: string): boolean => sql.startsWith('SELECT id, from_id, to_id, ref, seq, time');
        let stored = false;
        exportGraph(
          onceBefore(db, 'prepare', edgesPass, () => {
            ingestElsewhere(path, late);
            stored = true;
          }),
          { format: 'graphml', out: during, level },
        );
        expect(stored).toBe(true);
        expect(readFileSync(during, 'utf8')).toBe(readFileSync(before, 'utf8'));
      }
      // The sources did land: the next export holds their transfers.
      const after = join(dir, 'after.graphml');
      exportGraph(db, { format: 'graphml', out: after });
      for (const txId of Object.values(txIds)) expect(readFileSync(after, 'utf8')).toContain(txId);
    } finally {
      db.close();
    }
  });
});

/** The demo case with its findings, and a second connection to it: another analyst's. */
function withDetectedCase(check: (db: Db, other: Db) => void): void {
  const path = demoCaseCopy();
  const db = openCaseDb(path);
  const other = openCaseDb(path);
  try {
    detectCase(db);
    check(db, other);
  } finally {
    other.close();
    db.close();
  }
}

describe('a listing of findings reads one state of them', () => {
  it('a detect by another connection, replacing the findings mid-listing, is not half listed', () => {
    withDetectedCase((db, other) => {
      const whole = [...iterateFindings(db, { pageSize: 2 })];
      expect(whole.length).toBe(10);
      const listing = iterateFindings(db, { pageSize: 2 });
      const listed = [listing.next().value!];
      expect(listed[0]!.typology).toBe('fan-out');
      // Another analyst's detect replaces the pass-through findings, the next listed, with those of a narrower band.
      detectCase(other, ['pass-through'], { passThroughShare: 0.99 });
      for (const finding of { [Symbol.iterator]: () => listing }) listed.push(finding);
      expect(listed).toEqual(whole);
      // The listing has ended: the next one reads the findings as they now are.
      const now = [...iterateFindings(db, { pageSize: 2 })];
      expect(now).toEqual([...iterateFindings(other)]);
      expect(now.filter((f) => f.typology === 'pass-through').map((f) => f.params['passThroughShare'])).toEqual(Array(8).fill(0.99));
    });
  });

  it('the text listing: the counts and the findings listed from one state', () => {
    withDetectedCase((db, other) => {
      const whole = [...findingsText(db, undefined, 2)];
      const text = findingsText(db, undefined, 2);
      const lines = [text.next().value!];
      expect(lines[0]).toBe('pass-through             8 findings\n');
      detectCase(other, ['fan-in'], { fanK: 2 });
      for (const line of { [Symbol.iterator]: () => text }) lines.push(line);
      expect(lines).toEqual(whole);
      expect(whole).not.toContain('fan-in                   8 findings\n');
      expect([...findingsText(db, undefined, 2)]).toContain('fan-in                   8 findings\n');
    });
  });
});

describe('checks and summaries read one state of the case', () => {
  it('verify: an entry another process logs between reading the log and its recorded head is no alarm', async () => {
    const path = demoCaseCopy();
    const db = openCaseDb(path);
    try {
      const recordedHead = (sql: string): boolean => sql === "SELECT value FROM meta WHERE key = 'log_head'";
      const log = checkLog(onceBefore(db, 'prepare', recordedHead, () => ingestElsewhere(path, tronscanSlice(1, 11))));
      expect(log.problems).toEqual([]);
      expect(log.ok).toBe(true);
      const result = await verifyCase(onceBefore(db, 'prepare', recordedHead, () => ingestElsewhere(path, tronscanSlice(11, 21))));
      expect(result.log.problems).toEqual([]);
      expect(result.ok).toBe(true);
      // Each check saw the log before the source it overlapped; the next sees it after.
      expect(checkLog(db).entries).toBe(result.log.entries + 1);
    } finally {
      db.close();
    }
  });

  it('info: the transfers counted agree with the transfers by asset', () => {
    const path = demoCaseCopy();
    const db = openCaseDb(path);
    try {
      const before = selectCaseInfo(db);
      const counted = (sql: string): boolean => sql === 'SELECT COUNT(*) FROM transfers';
      const during = selectCaseInfo(onceBefore(db, 'prepare', counted, () => ingestElsewhere(path, tronscanSlice(1, 11))));
      expect(during).toEqual(before);
      expect(during.transfers).toBe(during.byAsset.reduce((sum, a) => sum + a.count, 0));
      expect(selectCaseInfo(db).transfers).toBe(before.transfers + 10);
    } finally {
      db.close();
    }
  });
});
