import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { HoptraceError } from '../../src/model/errors.js';
import { openCaseDb, type Db } from '../../src/store/caseStore.js';
import { tempDir } from './cli.js';

/** Cases per adapter: ≥ 300 in `npm test`, FUZZ_RUNS=10000 in `npm run fuzz`. */
export const FUZZ_RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

/** Mutations of a real file: byte flips, insertions, deletions, truncation, huge fields, encodings. */
export function mutatedBytes(original: Buffer): fc.Arbitrary<Buffer> {
  const position = fc.nat({ max: Math.max(0, original.length - 1) });
  const flip = fc.tuple(position, fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
    const copy = Buffer.from(original);
    copy[at] = byte;
    return copy;
  });
  const insert = fc
    .tuple(position, fc.uint8Array({ minLength: 1, maxLength: 16 }))
    .map(([at, bytes]) => Buffer.concat([original.subarray(0, at), Buffer.from(bytes), original.subarray(at)]));
  const remove = fc.tuple(position, fc.integer({ min: 1, max: 64 })).map(([at, n]) => Buffer.concat([original.subarray(0, at), original.subarray(at + n)]));
  const truncate = position.map((at) => original.subarray(0, at));
  const special = fc.constantFrom('"', ',', ';', '\n', '\r', '\u0000', '{', '}', '[', ']', '-', 'e', '1e309', 'NaN', '\uFEFF', '\u00e9', '0x', 'T');
  const token = fc.tuple(position, special).map(([at, s]) => Buffer.concat([original.subarray(0, at), Buffer.from(s, 'utf8'), original.subarray(at)]));
  const huge = fc
    .tuple(position, fc.integer({ min: 1_000, max: 200_000 }))
    .map(([at, n]) => Buffer.concat([original.subarray(0, at), Buffer.alloc(n, 0x37), original.subarray(at)]));
  const latin1 = fc.constant(Buffer.from(original.toString('utf8').replace(/a/g, '\u00e4'), 'latin1'));
  const utf16 = fc.constant(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(original.toString('utf8'), 'utf16le')]));
  const deepJson = fc.integer({ min: 100, max: 5_000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth)));
  const several = fc.array(fc.oneof(flip, insert, remove, token), { minLength: 2, maxLength: 6 }).map((list) => list[list.length - 1]!);
  return fc.oneof(
    { weight: 4, arbitrary: flip },
    { weight: 3, arbitrary: insert },
    { weight: 3, arbitrary: remove },
    { weight: 2, arbitrary: truncate },
    { weight: 3, arbitrary: token },
    { weight: 1, arbitrary: huge },
    { weight: 1, arbitrary: latin1 },
    { weight: 1, arbitrary: utf16 },
    { weight: 1, arbitrary: deepJson },
    { weight: 2, arbitrary: several },
  );
}

const count = (db: Db, table: string): number => Number(db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get());

/**
 * Feeds mutated copies of a real fixture to an ingest function. Every outcome must be a clean
 * import or a HoptraceError naming the file (with a line whenever the problem is a row); a failed
 * import must leave the case file exactly as it was. Anything else (a TypeError, a RangeError, a
 * hang past the test timeout, an unhandled rejection) fails the property.
 */
export async function fuzzIngest(
  fixturePath: string,
  ingest: (db: Db, path: string) => Promise<unknown>,
  options: { runs?: number; maxLines?: number } = {},
): Promise<{ imported: number; rejected: number }> {
  const runs = options.runs ?? FUZZ_RUNS;
  // Large real files are cut to their first lines (header included): the mutations matter, not the bulk.
  const full = readFileSync(fixturePath);
  const original = options.maxLines === undefined ? full : Buffer.from(full.toString('utf8').split('\n').slice(0, options.maxLines).join('\n') + '\n');
  const dir = tempDir('hoptrace-fuzz-');
  const db = openCaseDb(join(dir, 'case.db'));
  const outcome = { imported: 0, rejected: 0 };
  let n = 0;
  try {
    await fc.assert(
      fc.asyncProperty(mutatedBytes(original), async (bytes) => {
        const path = join(dir, `input-${n++}${fixturePath.slice(fixturePath.lastIndexOf('.'))}`);
        writeFileSync(path, bytes);
        const before = { transfers: count(db, 'transfers'), sources: count(db, 'sources'), tags: count(db, 'tags'), rejects: count(db, 'rejects') };
        try {
          await ingest(db, path);
          outcome.imported++;
        } catch (error) {
          if (!(error instanceof HoptraceError)) throw error;
          if (error.file !== path) throw new Error(`error does not name the file: ${error.describe()}`);
          const after = { transfers: count(db, 'transfers'), sources: count(db, 'sources'), tags: count(db, 'tags'), rejects: count(db, 'rejects') };
          if (JSON.stringify(after) !== JSON.stringify(before))
            throw new Error(`failed import changed the case file: ${JSON.stringify(before)} → ${JSON.stringify(after)}`);
          if (db.inTransaction) throw new Error('a transaction was left open');
          outcome.rejected++;
        }
      }),
      { numRuns: runs, seed: 20261125, endOnFailure: true },
    );
  } finally {
    db.close();
  }
  return outcome;
}
