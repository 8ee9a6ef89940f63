/**
 * The (rail, ref) pairs of the transfers a SourceBatch's sources stored, as a bit filter: a
 * transfer can contradict only a transfer of another source with the same rail and ref
 * (sourceWriter.ts, CONFLICTS), so in a batch begun on a case without transfers a source's
 * conflict check needs to look only at its transfers whose pair the filter may hold. A bit set by
 * another pair with the same hash costs one look-up too many; a stored pair is never missed.
 *
 * 2^25 bits (4 MB, whatever the batch's size): at 1,000,000 stored pairs about 3 % of a source's
 * transfers are looked up for nothing, instead of all of them.
 */
const BITS = 25;

export class RefFilter {
  /** Pairs of the sources committed in the batch. */
  private readonly stored = new Int32Array(1 << (BITS - 5));
  /** Bits of the source being written, set in `stored` when it commits. */
  private current: number[] = [];

  /** Whether a committed source may have stored this pair; records it for the current source. */
  seenBefore(rail: string, ref: string): boolean {
    const bit = pairHash(rail, ref);
    this.current.push(bit);
    return ((this.stored[bit >>> 5] ?? 0) & (1 << (bit & 31))) !== 0;
  }

  commitCurrent(): void {
    const { stored } = this;
    for (const bit of this.current) stored[bit >>> 5] = (stored[bit >>> 5] ?? 0) | (1 << (bit & 31));
    this.current = [];
  }

  dropCurrent(): void {
    this.current = [];
  }
}

/** FNV-1a over rail, a separator and ref, folded to BITS bits. */
function pairHash(rail: string, ref: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < rail.length; i++) h = Math.imul(h ^ rail.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ 0x7c, 0x01000193);
  for (let i = 0; i < ref.length; i++) h = Math.imul(h ^ ref.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> BITS)) & ((1 << BITS) - 1);
}
