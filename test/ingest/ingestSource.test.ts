import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ReadItem } from '../../adapters/types.js';
import { ingestSource } from '../../src/ingest/ingestSource.js';
import { tronTransfer, useCaseDbs } from '../support/caseTotals.js';
import { tempDir } from '../support/cli.js';

const caseDb = useCaseDbs();

function sourceFile(): string {
  const path = join(tempDir(), 'source.json');
  writeFileSync(path, '{}');
  return path;
}

/** A reader that reads in batches only: ingest must never ask it for single items. */
function batchesOnly(batches: ReadItem[][]) {
  return {
    read: (): AsyncIterable<ReadItem> => {
      throw new Error('read() was called though the adapter reads in batches');
    },
    readBatches: async function* (): AsyncGenerator<ReadItem[]> {
      for (const batch of batches) yield batch;
    },
  };
}

const BATCHES: ReadItem[][] = [
  [
    { kind: 'transfer', record: tronTransfer(0, 'TA', 'TB') },
    { kind: 'reject', line: 3, reason: 'bad value' },
  ],
  [
    { kind: 'skipped', line: 4, reason: 'token JST' },
    { kind: 'transfer', record: tronTransfer(3, 'TB', 'TC') },
  ],
];

describe('ingestSource takes an adapter’s items a batch at a time when it reads so (TransferAdapter.readBatches)', () => {
  it('stores the items of every batch in order, with --skip-bad keeping the reject', async () => {
    const db = caseDb();
    const result = await ingestSource({ db, path: sourceFile(), adapter: 'test:batches', options: '{}', skipBad: true, ...batchesOnly(BATCHES) });
    expect(result).toMatchObject({ status: 'imported', rows: 2, rejected: 1, skipped: 1 });
    expect(db.prepare('SELECT ref, line FROM transfers ORDER BY id').raw().all()).toEqual([
      ['tx0', 2n],
      ['tx3', 5n],
    ]);
    expect(db.prepare('SELECT line, reason FROM rejects').raw().all()).toEqual([[3n, 'bad value']]);
  });

  it('without --skip-bad, a reject in the first batch fails the source whole: nothing of it is stored', async () => {
    const db = caseDb();
    const path = sourceFile();
    await expect(ingestSource({ db, path, adapter: 'test:batches', options: '{}', skipBad: false, ...batchesOnly(BATCHES) })).rejects.toMatchObject({
      message: 'bad value',
      file: path,
      line: 3,
    });
    expect(db.prepare('SELECT COUNT(*) FROM transfers').pluck().get()).toBe(0n);
    expect(db.prepare('SELECT COUNT(*) FROM sources').pluck().get()).toBe(0n);
  });
});
