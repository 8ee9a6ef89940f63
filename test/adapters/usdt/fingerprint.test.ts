import { describe, expect, it } from 'vitest';
import { TransferSeqs, transferSeq } from '../../../adapters/usdt/fingerprint.js';

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
});
