import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TransferSeqs, transferSeq } from '../../../adapters/usdt/fingerprint.js';
import { prng } from '../../support/prng.js';

/**
 * The table as it was kept in maps (scope, then ref, then fingerprint), the reference the
 * typed-array table must answer like: row for row, through its clearings.
 */
class MapSeqs {
  private readonly seen = new Map<string, Map<string, Map<number, number>>>();
  private size = 0;
  constructor(private readonly capacity = 50_000) {}

  next(scope: string, ref: string, token: string, from: string, to: string, amount: bigint): number {
    const first = transferSeq(token, from, to, amount);
    const earlier = this.seen.get(scope)?.get(ref)?.get(first);
    if (this.size >= this.capacity) {
      this.seen.clear();
      this.size = 0;
    }
    const byRef = this.seen.get(scope) ?? new Map<string, Map<number, number>>();
    this.seen.set(scope, byRef);
    const byFingerprint = byRef.get(ref) ?? new Map<number, number>();
    byRef.set(ref, byFingerprint);
    if (!byFingerprint.has(first)) this.size++;
    byFingerprint.set(first, earlier === undefined ? 1 : earlier + 1);
    return earlier === undefined ? first : transferSeq(token, from, to, amount, earlier);
  }
}

const TX1 = 'a'.repeat(64);
const TX2 = 'b'.repeat(64);
const TOKEN = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';

describe('TransferSeqs: identical transfers of one transaction are numbered per download', () => {
  it('the second and third identical transfer get the occurrence fingerprints; another scope or amount starts again', () => {
    const seqs = new TransferSeqs();
    const plain = transferSeq(TOKEN, 'TA', 'TB', 5n);
    expect(plain).toBe(transferSeq(TOKEN, 'TA', 'TB', 5n, 0));
    expect([1, 2, 3].map(() => seqs.next('', TX1, TOKEN, 'TA', 'TB', 5n))).toEqual([
      plain,
      transferSeq(TOKEN, 'TA', 'TB', 5n, 1),
      transferSeq(TOKEN, 'TA', 'TB', 5n, 2),
    ]);
    expect(new Set([plain, transferSeq(TOKEN, 'TA', 'TB', 5n, 1), transferSeq(TOKEN, 'TA', 'TB', 5n, 2)]).size).toBe(3);
    // Another wallet's download of the same transaction lists the same transfer: the same seq.
    expect(seqs.next('TWALLET', TX1, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 6n)).toBe(transferSeq(TOKEN, 'TA', 'TB', 6n));
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 6n)).toBe(transferSeq(TOKEN, 'TA', 'TB', 6n, 1));
    expect(seqs.next('', TX2, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
  });

  it('forgets everything when it holds `capacity` transfers, except the one being counted', () => {
    const seqs = new TransferSeqs(2);
    const plain = transferSeq(TOKEN, 'TA', 'TB', 5n);
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
    expect(seqs.next('', TX2, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
    // Full (2 transfers): this row still counts as TX1's second, then the table holds only it.
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 5n)).toBe(transferSeq(TOKEN, 'TA', 'TB', 5n, 1));
    expect(seqs.next('', TX2, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 5n)).toBe(transferSeq(TOKEN, 'TA', 'TB', 5n, 2));
    // Each clearing forgot TX2, while TX1, counted at that moment, keeps its count.
    expect(seqs.next('', TX2, TOKEN, 'TA', 'TB', 5n)).toBe(plain);
    expect(seqs.next('', TX1, TOKEN, 'TA', 'TB', 5n)).toBe(transferSeq(TOKEN, 'TA', 'TB', 5n, 3));
  });

  it('gives the same figures whichever token came before (the state after the token is kept for the last one)', () => {
    const ETH = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
    // cyrb53 over the joined text, as computed before the token's state was kept.
    const expected = [202779186238012, 219800933063758, 112228067576093, 201213491207425, 198819529675094, 227178734227460];
    const figures = () => [
      transferSeq(TOKEN, 'TA', 'TB', 5n),
      transferSeq(ETH, 'TA', 'TB', 5n),
      transferSeq(TOKEN, 'TA', 'TB', 5n, 1),
      transferSeq('', '', '', 0n),
      transferSeq(TOKEN, 'TA', 'TB', 18_446_744_073_709_551_616n),
      transferSeq(ETH, 'TA', 'TB', 5n, 2),
    ];
    expect(figures()).toEqual(expected);
    expect(figures().reverse()).toEqual([...expected].reverse());
  });

  it('answers row for row as the maps did, through growth, clearings, scopes and refs of any text', () => {
    const random = prng(24);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const hex = (n: number): string => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
    // Refs that share a prefix or a length, empty ones, and ones past Latin-1.
    const refs = [
      ...Array.from({ length: 3_000 }, () => hex(64)),
      ...Array.from({ length: 300 }, () => '0x' + hex(64)),
      '',
      'a',
      'ab',
      'bank-ref-Ω',
      'Zürich/42',
      '😀',
    ];
    const scopes = ['', 'TWALLET1', 'TWALLET2', 'x/y'];
    const parties = ['TA', 'TB'];
    for (const capacity of [7, 500, 50_000]) {
      const table = new TransferSeqs(capacity);
      const reference = new MapSeqs(capacity);
      const got: number[] = [];
      const expected: number[] = [];
      let counted = 0;
      // Most rows reuse one of the last few refs, as the legs of a transaction sit together.
      const recent: string[] = [];
      for (let row = 0; row < 60_000; row++) {
        const ref = recent.length > 0 && random() < 0.6 ? pick(recent) : pick(refs);
        recent.push(ref);
        if (recent.length > 6) recent.shift();
        const scope = random() < 0.8 ? '' : pick(scopes);
        const args = [scope, ref, TOKEN, pick(parties), pick(parties), BigInt(Math.floor(random() * 2))] as const;
        got.push(table.next(...args));
        expected.push(reference.next(...args));
        if (expected[row] !== transferSeq(args[2], args[3], args[4], args[5])) counted++;
      }
      expect(got).toEqual(expected);
      // Rows that were a second or later occurrence: the comparison covered counting, not only first sightings.
      expect(counted).toBeGreaterThan(1_000);
    }
  });

  it("keeps its refs off V8's heap, where a file's refs all lived as long as the file", () => {
    // 50,000 distinct refs of 64 hex characters, as a TronGrid file of 50,000 transfers brings;
    // old-generation growth measured in a fresh process after a full collection, the table kept.
    const script = `
      const { TransferSeqs } = await import(${JSON.stringify(fileURLToPath(new URL('../../../adapters/usdt/fingerprint.ts', import.meta.url)))});
      const refs = Array.from({ length: 50000 }, (_, i) => (i.toString(16) + 'f'.repeat(64)).slice(0, 64));
      globalThis.gc();
      const before = (await import('node:v8')).getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;
      const table = new TransferSeqs();
      for (const ref of refs) table.next('', ref.split('').join(''), 'T', 'TA', 'TB', 5n);
      globalThis.gc();
      const after = (await import('node:v8')).getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_used_size;
      console.log(JSON.stringify({ grown: after - before, kept: table.next('', refs[0], 'T', 'TA', 'TB', 5n) }));`;
    const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const { grown, kept } = JSON.parse(run.stdout) as { grown: number; kept: number };
    // The first ref is still held: its transfer, seen again, is its second occurrence.
    expect(kept).toBe(transferSeq('T', 'TA', 'TB', 5n, 1));
    expect(grown).toBeLessThan(1_000_000);
  });
});
