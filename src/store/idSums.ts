/** Slots a table starts with (a power of two). */
const FIRST_SLOTS = 1 << 12;
/** Numbers per slot: the id, then its four sums. */
const STRIDE = 5;
const TWO_32 = 4_294_967_296;

/**
 * Four sums per account id — a count, two amount parts and a count of TEXT amounts, as an
 * `account_totals` row holds them (src/store/totalsFold.ts) — in one typed array addressed by the
 * id's hash, probing linearly: no Map entry and no object per account, and a slot's id and sums
 * side by side, so an add reads one place in memory. An import adds to two of these per transfer;
 * as a Map of objects that was a tenth of a 300,000-transfer TronGrid import's CPU time
 * (docs/performance.md, "Ingest against a bare pipeline").
 *
 * Ids are positive integers up to 2^53 (SQLite rowids); 0 marks an empty slot. The table is never
 * more than half full; its owner bounds how many ids it takes.
 */
export class IdSums {
  /** Per slot: id, count, hi, lo, text. */
  private slots = new Float64Array(FIRST_SLOTS * STRIDE);
  /** log2 of the slots. */
  private bits = 12;
  /** Ids held. */
  size = 0;
  /** Set once a sum is no longer an integer a double holds exactly (past 2^53). */
  inexact = false;

  /** Adds to the sums of `id`; answers whether the id is new to the table. */
  add(id: number, count: number, hi: number, lo: number, text: number): boolean {
    const at = this.slotOf(id);
    const slots = this.slots;
    const fresh = slots[at] === 0;
    if (fresh) {
      if (2 * (this.size + 1) > slots.length / STRIDE) {
        this.grow();
        return this.add(id, count, hi, lo, text);
      }
      slots[at] = id;
      this.size++;
    }
    slots[at + 1]! += count;
    slots[at + 2]! += hi;
    slots[at + 3]! += lo;
    slots[at + 4]! += text;
    // Two exact sums whose total passes 2^53 give a double past it: the check sees every sum that is no longer exact.
    if (!Number.isSafeInteger(slots[at + 2]) || !Number.isSafeInteger(slots[at + 3])) this.inexact = true;
    return fresh;
  }

  /** Each id with its sums, in ascending order of id. */
  forEachById(visit: (id: number, count: number, hi: number, lo: number, text: number) => void): void {
    const { slots } = this;
    const held = new Float64Array(this.size);
    let k = 0;
    for (let at = 0; at < slots.length; at += STRIDE) if (slots[at] !== 0) held[k++] = slots[at]!;
    held.sort();
    for (const id of held) {
      const at = this.slotOf(id);
      visit(id, slots[at + 1]!, slots[at + 2]!, slots[at + 3]!, slots[at + 4]!);
    }
  }

  /** Where the slot holding `id` starts in `slots`, or the empty one where it goes. */
  private slotOf(id: number): number {
    const { slots } = this;
    const mask = (1 << this.bits) - 1;
    // Fibonacci hashing of the id's two 32-bit halves: its top bits are the slot.
    let slot = Math.imul((id >>> 0) ^ Math.imul(Math.floor(id / TWO_32), 0x85ebca6b), 0x9e3779b1) >>> (32 - this.bits);
    for (;;) {
      const held = slots[slot * STRIDE]!;
      if (held === id || held === 0) return slot * STRIDE;
      slot = (slot + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2);
    this.bits++;
    for (let from = 0; from < old.length; from += STRIDE) {
      const id = old[from]!;
      if (id === 0) continue;
      const to = this.slotOf(id);
      for (let k = 0; k < STRIDE; k++) this.slots[to + k] = old[from + k]!;
    }
  }
}
