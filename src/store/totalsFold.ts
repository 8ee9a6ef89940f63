import type { Db } from './caseStore.js';

/** Past this many (account, side, asset) entries a fold gives up and the grouped pass is used: memory stays bounded. */
const MAX_ENTRIES = 200_000;
/** Amounts a double holds exactly: past them the fold gives up. */
const SAFE = 9_007_199_254_740_991n;
/** Amounts past 64 bits are stored as TEXT (storedAmount): `account_totals` only counts them. */
const INT64_MAX = (1n << 63n) - 1n;

/** Slots a side's table starts with (a power of two; it doubles when half full). */
const INITIAL_SLOTS = 1024;
/** Counts are held in 32 bits: past them the fold gives up. */
const INT32_MAX = 0x7fffffff;

/**
 * One side (sent or received) of one asset's sums, by account id: for each account, its
 * transfers (`n`), of them the amounts stored as TEXT (`text`), and the sums `hi` and `lo`. An
 * open-addressing table in typed arrays, at most half full: a `Map` of an object per account cost
 * two hashed look-ups per transfer and an object per entry (docs/performance.md, "Ingest against
 * a bare pipeline").
 */
class SideTable {
  /** An account id per slot; 0 for an empty one (ids start at 1). */
  ids = new Int32Array(INITIAL_SLOTS);
  n = new Int32Array(INITIAL_SLOTS);
  text = new Int32Array(INITIAL_SLOTS);
  hi = new Float64Array(INITIAL_SLOTS);
  lo = new Float64Array(INITIAL_SLOTS);
  size = 0;
  private shift = 32 - Math.log2(INITIAL_SLOTS);

  /** The slot holding `id`, or the empty slot where it would go. */
  find(id: number): number {
    const mask = this.ids.length - 1;
    let slot = Math.imul(id, 0x9e3779b1) >>> this.shift;
    for (let held = this.ids[slot]!; held !== 0 && held !== id; held = this.ids[slot]!) slot = (slot + 1) & mask;
    return slot;
  }

  /** Makes the empty slot `slot` (from `find`) hold `id`; returns where it is after the table grew. */
  claim(slot: number, id: number): number {
    this.ids[slot] = id;
    if (2 * ++this.size <= this.ids.length) return slot;
    this.grow();
    return this.find(id);
  }

  /** The account ids held, in ascending order. */
  sortedIds(): Int32Array {
    const ids = new Int32Array(this.size);
    let k = 0;
    for (const id of this.ids) if (id !== 0) ids[k++] = id;
    return ids.sort();
  }

  private grow(): void {
    const old = { ids: this.ids, n: this.n, text: this.text, hi: this.hi, lo: this.lo };
    const slots = 2 * old.ids.length;
    this.ids = new Int32Array(slots);
    this.n = new Int32Array(slots);
    this.text = new Int32Array(slots);
    this.hi = new Float64Array(slots);
    this.lo = new Float64Array(slots);
    this.shift--;
    for (let from = 0; from < old.ids.length; from++) {
      const id = old.ids[from]!;
      if (id === 0) continue;
      const to = this.find(id);
      this.ids[to] = id;
      this.n[to] = old.n[from]!;
      this.text[to] = old.text[from]!;
      this.hi[to] = old.hi[from]!;
      this.lo[to] = old.lo[from]!;
    }
  }
}

interface Group {
  asset: string;
  decimals: number;
  /** Sent (side 0), received (side 1). */
  sides: [SideTable, SideTable];
}

/**
 * The `account_totals` rows of the transfers a source stores, summed as it stores them, so that
 * the commit writes them instead of grouping the new transfers again with two sorts of them
 * (src/store/accountTotals.ts, refreshAccountTotals; docs/performance.md). Every source keeps
 * them this way, explorer exports and bank statements alike (SourceWriter). The same rows as the
 * grouped pass: `hi` sums amount / 10^9 truncated, `lo` amount % 10^9 (signs as SQLite's), an
 * amount stored as TEXT (past 64 bits) is only counted (`text_rows`).
 *
 * It gives up (`abandoned`) when it cannot be exact in plain numbers (an amount past 2^53, a sum
 * that would pass it) or would grow past MAX_ENTRIES; the grouped pass then runs as before. It is
 * used only when it covers every transfer past the mark (`covers`): not when the case's totals
 * were behind its transfers before the source.
 */
export class TotalsFold {
  private groups: Group[] = [];
  private last: Group | undefined;
  private entries = 0;
  /** Net transfers folded (deleted ones subtracted). */
  private rows = 0;
  abandoned = false;

  /** Adds a stored transfer (`sign` 1) or takes a deleted one out again (-1). */
  add(fromId: number, toId: number, asset: string, decimals: number, amount: bigint, sign: 1 | -1 = 1): void {
    if (this.abandoned) return;
    let hi = 0;
    let lo = 0;
    let text = 0;
    if (amount > INT64_MAX || amount < -INT64_MAX) text = sign;
    else if (amount > SAFE || amount < -SAFE) return this.abandon();
    else {
      // JavaScript's remainder truncates toward zero, as SQLite's integer division and remainder do.
      const value = Number(amount);
      lo = value % 1_000_000_000;
      hi = (value - lo) / 1_000_000_000;
    }
    const group = this.groupOf(asset, decimals);
    this.rows += sign;
    this.addTo(group.sides[0], fromId, sign, sign * hi, sign * lo, text);
    this.addTo(group.sides[1], toId, sign, sign * hi, sign * lo, text);
  }

  /** Adds another fold's sums (a SourceBatch's source, when it commits). */
  absorb(other: TotalsFold): void {
    if (this.abandoned) return;
    if (other.abandoned) return this.abandon();
    this.rows += other.rows;
    for (const g of other.groups) {
      const group = this.groupOf(g.asset, g.decimals);
      for (const side of [0, 1] as const) {
        const t = g.sides[side];
        for (let slot = 0; slot < t.ids.length; slot++) {
          const id = t.ids[slot]!;
          if (id !== 0) this.addTo(group.sides[side], id, t.n[slot]!, t.hi[slot]!, t.lo[slot]!, t.text[slot]!);
        }
      }
    }
  }

  /** Whether the fold holds every transfer past `through`: then `write` stands for the grouped pass. */
  covers(db: Db, through: number): boolean {
    if (this.abandoned) return false;
    return Number(db.prepare('SELECT COUNT(*) FROM transfers WHERE id > ?').pluck().get(through)) === this.rows;
  }

  /** Adds the sums to `account_totals`, as the grouped pass's upsert does. */
  write(db: Db): void {
    const upsert = db.prepare(
      `INSERT INTO account_totals (account_id, side, asset, decimals, n, hi, lo, text_rows) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + excluded.n, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows`,
    );
    for (const group of this.groups) {
      for (const side of [0, 1] as const) {
        // In key order: the table is clustered on (account_id, side, …).
        const t = group.sides[side];
        for (const id of t.sortedIds()) {
          const slot = t.find(id);
          // An account whose only transfers here were taken out again has no row, as in the grouped pass.
          if (t.n[slot] !== 0)
            upsert.run(id, side, group.asset, group.decimals, BigInt(t.n[slot]!), BigInt(t.hi[slot]!), BigInt(t.lo[slot]!), BigInt(t.text[slot]!));
        }
      }
    }
  }

  private groupOf(asset: string, decimals: number): Group {
    const last = this.last;
    if (last !== undefined && last.asset === asset && last.decimals === decimals) return last;
    let group = this.groups.find((g) => g.asset === asset && g.decimals === decimals);
    if (group === undefined) {
      group = { asset, decimals, sides: [new SideTable(), new SideTable()] };
      this.groups.push(group);
    }
    this.last = group;
    return group;
  }

  private addTo(side: SideTable, id: number, n: number, hi: number, lo: number, text: number): void {
    if (this.abandoned) return;
    // Ids outside the table's 32 bits are left to the grouped pass.
    if (!(id >= 1 && id <= INT32_MAX)) return this.abandon();
    let slot = side.find(id);
    if (side.ids[slot] === 0) {
      slot = side.claim(slot, id);
      if (++this.entries > MAX_ENTRIES) return this.abandon();
    }
    const count = side.n[slot]! + n;
    const texts = side.text[slot]! + text;
    const sumHi = side.hi[slot]! + hi;
    const sumLo = side.lo[slot]! + lo;
    // Two exact sums whose total passes 2^53 give a double past it: the check sees every sum that is no longer exact.
    if (!Number.isSafeInteger(sumHi) || !Number.isSafeInteger(sumLo) || Math.abs(count) > INT32_MAX || Math.abs(texts) > INT32_MAX) return this.abandon();
    side.n[slot] = count;
    side.text[slot] = texts;
    side.hi[slot] = sumHi;
    side.lo[slot] = sumLo;
  }

  private abandon(): void {
    this.abandoned = true;
    this.groups = [];
    this.last = undefined;
  }
}
