/**
 * A set of 64-bit hashes of (account id, reference), in two typed arrays (open addressing, linear
 * probing): what a bank import remembers of the references it has stored, so that a reference seen
 * once costs no query (src/store/bankMatch.ts). 8 bytes a slot, at most half the slots used past
 * the first growth, no object per entry for the garbage collector; with 64 bits, two different
 * references of a million-line statement share a hash about once in forty million statements
 * (a 32-bit hash: some hundred times in each), and a shared hash only costs the query it saves.
 */
export class RefHashSet {
  private high = new Uint32Array(1 << 16);
  private low = new Uint32Array(1 << 16);
  private mask = (1 << 16) - 1;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** Adds the hash of (accountId, ref); true when it was there already (this reference, or one sharing its hash). */
  addOrHas(accountId: number, ref: string): boolean {
    // FNV-1a and a multiply-xorshift hash of the same characters, seeded by the account.
    let a = 0x811c9dc5 ^ accountId;
    let b = 0x9e3779b9 ^ Math.imul(accountId, 0x85ebca6b);
    for (let i = 0; i < ref.length; i++) {
      const c = ref.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
    const high = a >>> 0;
    // A slot of two zero words is empty: the (rare) zero low word is stored as 1.
    const low = b >>> 0 || 1;
    let slot = high & this.mask;
    for (;;) {
      const l = this.low[slot]!;
      if (l === 0) break;
      if (l === low && this.high[slot] === high) return true;
      slot = (slot + 1) & this.mask;
    }
    this.high[slot] = high;
    this.low[slot] = low;
    this.count++;
    if (this.count * 2 > this.low.length) this.grow();
    return false;
  }

  private grow(): void {
    const { high, low } = this;
    this.high = new Uint32Array(high.length * 2);
    this.low = new Uint32Array(low.length * 2);
    this.mask = this.low.length - 1;
    for (let i = 0; i < low.length; i++) {
      const l = low[i]!;
      if (l === 0) continue;
      let slot = high[i]! & this.mask;
      while (this.low[slot] !== 0) slot = (slot + 1) & this.mask;
      this.high[slot] = high[i]!;
      this.low[slot] = l;
    }
  }
}
