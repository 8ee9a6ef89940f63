import { copyFileSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import type { TraceResult } from '../../src/model/trace.js';
import { logHead } from '../../src/store/auditLog.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { SqliteTraceLedger } from '../../src/store/traceLedger.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { traceCase } from '../../src/trace/traceCase.js';
import { readCitedCase } from '../../src/store/caseCitation.js';
import { traceResultProblems } from '../../src/report/validateTrace.js';
import { writeJson } from '../../src/report/writeJson.js';
import { writeMarkdown } from '../../src/report/writeMarkdown.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { sha256File, txHash } from '../support/reportFixtures.js';

/**
 * A trace reads the case as it stood at one moment, and cites that moment: the audit log's head
 * and the case file's SHA-256 (docs/case-file.md, "Reading while another process writes"). Here
 * another hoptrace process stores a source while the trace is under way, between two of its reads.
 *
 * The hand-made mule ledger (test/fixtures/hoptrace-made/report): the victim pays M (t2), M pays
 * W1 and W2 (t3, t5); row t6, W2 paying an exchange, arrives mid-trace.
 */
const LINES = readFileSync(fixture('hoptrace-made', 'report', 'mule-ledger.tronscan.csv'), 'utf8')
  .trimEnd()
  .split('\n');

async function prepare(): Promise<{ path: string; late: string }> {
  const dir = tempDir();
  const first = join(dir, 'first.tronscan.csv');
  const late = join(dir, 'late.tronscan.csv');
  writeFileSync(first, LINES.slice(0, 6).join('\n') + '\n');
  writeFileSync(late, [LINES[0], LINES[6]].join('\n') + '\n');
  const path = join(dir, 'case.db');
  const db = openCaseDb(path);
  await ingestUsdtFiles(db, [first]);
  db.close();
  return { path, late };
}

/** A ledger that lets `during` run once, just before it opens its first account: another process's write lands mid-trace. */
class InterruptedLedger extends SqliteTraceLedger {
  private pending: (() => void) | undefined;
  constructor(db: Db, during: () => void) {
    super(db);
    this.pending = during;
  }
  override openAccount(accountId: number, asset: string, at: LedgerTransfer, limit: number) {
    const during = this.pending;
    this.pending = undefined;
    during?.();
    return super.openAccount(accountId, asset, at, limit);
  }
}

function ingestElsewhere(path: string, file: string): void {
  const child = hoptrace(['--db', path, 'ingest', 'usdt', file, '--quiet']);
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
}

const seeds = [txHash('t2')];
const options = { rule: 'fifo' as const };
/** A result without what it cites of the file's bytes. */
const withoutHash = ({ case: { sha256, unhashed, ...cited }, ...rest }: TraceResult) => ({ ...rest, case: cited });

describe('a trace reads one state of the case, and cites that one', () => {
  it('another process storing a source mid-trace changes neither what the trace read nor the log head and hash it cites', async () => {
    const { path, late } = await prepare();
    const db = openCaseDb(path);
    try {
      const before = traceCase({ db, casePath: path, seeds, options });
      const fileBefore = sha256File(path);
      const headBefore = logHead(db).hash;
      // Its busy timeout short: a checkpoint waits for readers that keep it from writing.
      const other = openCaseDb(path, { busyTimeoutMs: 50 });
      let folded: unknown;
      const during = traceCase({
        db,
        casePath: path,
        seeds,
        options,
        ledger: new InterruptedLedger(db, () => {
          ingestElsewhere(path, late);
          // A third process folds the WAL into the file (any `hoptrace trace` does, before its own trace).
          folded = other.pragma('wal_checkpoint(TRUNCATE)');
        }),
      });
      other.close();
      expect(during.edges.map((e) => e.ref)).not.toContain(txHash('t6'));
      expect(during).toEqual(before);
      expect(during.case.logHead).toBe(headBefore);
      expect(during.case.sha256).toBe(fileBefore);
      // The checkpoint could not write into the file while the trace read it (busy = 1).
      expect((folded as { busy: bigint }[])[0]!.busy).toBe(1n);
      // The source did land: the next trace reads it, and cites the log entry that stored it.
      const after = traceCase({ db, casePath: path, seeds, options });
      expect(after.edges.map((e) => e.ref)).toContain(txHash('t6'));
      expect(after.case.logHead).toBe(logHead(db).hash);
      expect(after.case.logHead).not.toBe(headBefore);
      expect(after.case.sha256).toBe(sha256File(path));
    } finally {
      db.close();
    }
  });

  it('a read-only connection (serve) whose snapshot is partly in the WAL cites no file hash, and says why', async () => {
    const { path, late } = await prepare();
    const reader = openCaseDb(path, { readonly: true });
    try {
      const before = traceCase({ db: reader, casePath: path, seeds, options });
      expect(before.case.sha256).toBe(sha256File(path));
      expect(before.case.unhashed).toBeUndefined();
      // Stored by another process while the reader stays open: its rows stay in the WAL, which
      // only a connection that may write folds into the file.
      ingestElsewhere(path, late);
      const fileNow = sha256File(path);
      const during = traceCase({ db: reader, casePath: path, seeds, options });
      expect(during.edges.map((e) => e.ref)).toContain(txHash('t6'));
      expect(sha256File(path)).toBe(fileNow);
      expect(during.case.sha256).toBeNull();
      expect(during.case.unhashed).toBe(
        'the case file has writes not yet folded into it (its -wal file), which a read-only connection cannot fold in: a `hoptrace trace` of the case folds them in, as does closing every program that has it open',
      );
      expect(during.case.logHead).toBe(logHead(reader).hash);
      expect(withoutHash(during)).not.toEqual(withoutHash(before));
    } finally {
      reader.close();
    }
  });

  it('a connection that may write, whose checkpoint another reader holds back, cites no file hash either, and says why', async () => {
    const { path, late } = await prepare();
    // The default busy timeout (60 s): the fold waits no longer than a moment for the other reader
    // (src/store/caseCitation.ts), then the trace goes on.
    const db = openCaseDb(path);
    const reader = openCaseDb(path, { readonly: true });
    try {
      // Another program's read transaction, from before the source was stored.
      reader.exec('BEGIN');
      expect(reader.prepare('SELECT COUNT(*) FROM transfers').pluck().get()).toBe(5n);
      ingestElsewhere(path, late);
      const held = traceCase({ db, casePath: path, seeds, options });
      expect(held.edges.map((e) => e.ref)).toContain(txHash('t6'));
      expect(held.case.sha256).toBeNull();
      expect(held.case.unhashed).toBe(
        'the case file has writes not yet folded into it (its -wal file): another program had the case open and kept them from being folded in; trace again once it has finished',
      );
      expect(held.case.logHead).toBe(logHead(db).hash);
      // The report says why, in its header and its JSON.
      const markdown = writeMarkdown(held, { timestamp: null, names: null });
      expect(markdown).toContain(`SHA-256 \`not hashed: ${held.case.unhashed}; the audit log head pins its content\``);
      expect(Object.keys(JSON.parse(writeJson(held, { timestamp: null })).case)).toEqual(['path', 'sha256', 'unhashed', 'logHead', 'tool', 'version']);
      // A trace file that says so is still a trace file a report is made from; the reason is text.
      expect(traceResultProblems(JSON.parse(JSON.stringify(held)))).toEqual([]);
      expect(traceResultProblems({ ...held, case: { ...held.case, unhashed: 1 } })).toEqual(['case.unhashed is not a string']);
      // Once the reader has finished, the next trace folds the WAL in and cites the file.
      reader.exec('COMMIT');
      const after = traceCase({ db, casePath: path, seeds, options });
      expect(after.case.sha256).toBe(sha256File(path));
      expect(after.case.unhashed).toBeUndefined();
      expect(withoutHash(after)).toEqual(withoutHash(held));
    } finally {
      if (reader.inTransaction) reader.exec('COMMIT');
      reader.close();
      db.close();
    }
  });

  it('the traces of one citation (compare: one per rule) read one state, whatever is stored between them', async () => {
    const { path, late } = await prepare();
    const db = openCaseDb(path);
    try {
      const fileBefore = sha256File(path);
      const [fifo, lifo] = readCitedCase(db, path, (citation) => {
        const first = traceCase({ db, casePath: path, seeds, options, citation });
        ingestElsewhere(path, late);
        return [first, traceCase({ db, casePath: path, seeds, options: { rule: 'lifo' }, citation })];
      });
      expect(fifo!.case.sha256).toBe(fileBefore);
      expect(lifo!.case.sha256).toBe(fileBefore);
      expect(lifo!.edges.map((e) => e.ref)).not.toContain(txHash('t6'));
      expect(traceCase({ db, casePath: path, seeds, options: { rule: 'lifo' } }).edges.map((e) => e.ref)).toContain(txHash('t6'));
    } finally {
      db.close();
    }
  });

  it('a case file reached through a symbolic link: the WAL checked is the one beside the file it leads to', async () => {
    const { path, late } = await prepare();
    const link = join(tempDir(), 'linked.db');
    symlinkSync(path, link);
    const reader = openCaseDb(link, { readonly: true });
    try {
      expect(traceCase({ db: reader, casePath: link, seeds, options }).case.sha256).toBe(sha256File(path));
      ingestElsewhere(path, late);
      const during = traceCase({ db: reader, casePath: link, seeds, options });
      expect(during.edges.map((e) => e.ref)).toContain(txHash('t6'));
      expect(during.case.path).toBe(link);
      expect(during.case.sha256).toBeNull();
      expect(during.case.unhashed).toBe(
        'the case file has writes not yet folded into it (its -wal file), which a read-only connection cannot fold in: a `hoptrace trace` of the case folds them in, as does closing every program that has it open',
      );
    } finally {
      reader.close();
    }
  });

  it('a reader of the newest state (a listing left open) keeps the WAL from being emptied but not from being copied in: the trace cites the file', async () => {
    const { path, late } = await prepare();
    const db = openCaseDb(path);
    const reader = openCaseDb(path, { readonly: true });
    try {
      ingestElsewhere(path, late);
      // Another program's read transaction, begun after the source was stored: it reads from the WAL.
      reader.exec('BEGIN');
      expect(reader.prepare('SELECT COUNT(*) FROM transfers').pluck().get()).toBe(6n);
      const traced = traceCase({ db, casePath: path, seeds, options });
      expect(traced.edges.map((e) => e.ref)).toContain(txHash('t6'));
      // The WAL could not be emptied while the reader uses it, but all of it is in the file.
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      expect(traced.case.unhashed).toBeUndefined();
      expect(traced.case.sha256).toBe(sha256File(path));
      expect(traced.case.logHead).toBe(logHead(db).hash);
      reader.exec('COMMIT');
      // The same bytes as once the WAL is emptied, and the same trace.
      const after = traceCase({ db, casePath: path, seeds, options });
      expect(statSync(`${path}-wal`).size).toBe(0);
      expect(after).toEqual(traced);
    } finally {
      if (reader.inTransaction) reader.exec('COMMIT');
      reader.close();
      db.close();
    }
  });

  it('a read-only connection (serve) cites the file when another program has copied the WAL into it without emptying it', async () => {
    const { path, late } = await prepare();
    // A program that keeps the case open and checkpoints as SQLite does after a commit (PASSIVE).
    const other = openCaseDb(path);
    const reader = openCaseDb(path, { readonly: true });
    try {
      ingestElsewhere(path, late);
      expect(traceCase({ db: reader, casePath: path, seeds, options }).case.sha256).toBeNull();
      const [copied] = other.pragma('wal_checkpoint(PASSIVE)') as { busy: bigint; log: bigint; checkpointed: bigint }[];
      expect(copied!.checkpointed).toBe(copied!.log);
      expect(statSync(`${path}-wal`).size).toBeGreaterThan(0);
      const traced = traceCase({ db: reader, casePath: path, seeds, options });
      expect(traced.edges.map((e) => e.ref)).toContain(txHash('t6'));
      expect(traced.case.unhashed).toBeUndefined();
      expect(traced.case.sha256).toBe(sha256File(path));
    } finally {
      reader.close();
      other.close();
    }
  });

  it('a case file replaced while a connection has it open (a copy renamed into place): the connection reads the file it opened, and cites no hash of the new one', async () => {
    const { path, late } = await prepare();
    const reader = openCaseDb(path, { readonly: true });
    try {
      const before = traceCase({ db: reader, casePath: path, seeds, options });
      expect(before.case.sha256).toBe(sha256File(path));
      // A copy of the case with one more source, put in place of the file the reader has open.
      const copy = join(tempDir(), 'copy.db');
      copyFileSync(path, copy);
      ingestElsewhere(copy, late);
      renameSync(copy, path);
      const during = traceCase({ db: reader, casePath: path, seeds, options });
      expect(during.edges.map((e) => e.ref)).not.toContain(txHash('t6'));
      expect(withoutHash(during)).toEqual(withoutHash(before));
      expect(during.case.sha256).toBeNull();
      expect(during.case.unhashed).toBe(
        'the case file at this path is not the file this program opened and read (it was replaced or moved while the case was open): open the case again',
      );
      // Opened again, the case is the new file, and its hash is cited.
      const reopened = openCaseDb(path, { readonly: true });
      try {
        const after = traceCase({ db: reopened, casePath: path, seeds, options });
        expect(after.edges.map((e) => e.ref)).toContain(txHash('t6'));
        expect(after.case.sha256).toBe(sha256File(path));
      } finally {
        reopened.close();
      }
    } finally {
      reader.close();
    }
  });
});
