import { HoptraceError } from '../model/errors.js';
import { timeOrder } from './timeOrder.js';
import type { ClusterTransfer } from './types.js';

const INITIAL_CAPACITY = 1024;
/** The largest id a Uint32 column holds; an id beyond it (or below 0, or fractional) widens the id columns. */
const MAX_U32 = 0xffff_ffff;
type IdColumn = Uint32Array | Float64Array;
type Column = Float64Array | Uint32Array | Uint8Array | BigInt64Array;
/** Marks an amount that does not fit a signed 64-bit slot; the exact value is in `largeAmounts`. */
const LARGE = -(2n ** 63n);
const MAX_SMALL = 2n ** 63n - 1n;

/**
 * Transfers in time order, held as columns rather than one object each. Clustering a case reads
 * every transfer; as objects, 5,000,000 of them took 1.8 GB of heap and most of the load time went
 * to allocating them and to the garbage collector walking them.
 * Amounts stay exact: a slot of a BigInt64Array, or a side map for the rare amount beyond 2^63 − 1
 * (an 18-decimal token's wei over about 9.2 units). Transfer and account ids are row ids, held in
 * Uint32 columns until one does not fit (then in Float64 columns, exact to 2^53). Columns take 33
 * bytes a transfer; a reader that knows the row count sizes them once (`capacity`), so loading a
 * case never copies them to grow.
 */
export class TransferColumns {
  length = 0;
  ids: IdColumn;
  from: IdColumn;
  to: IdColumn;
  time: Float64Array;
  /** Index into `assets`. */
  asset: Uint32Array;
  /** ERC-20 `decimals` is a uint8, and so is every fiat or native coin's. */
  decimals: Uint8Array;
  readonly assets: string[] = [];
  private readonly assetIndex = new Map<string, number>();
  private amounts: BigInt64Array;
  /** `amounts` as 32-bit words, for `amountNumber` (kept in step with it: constructor, grow). */
  private amountWords: Int32Array;
  private largeAmounts = new Map<number, bigint>();
  private range = { min: 0, max: 0 };
  /** The length `range` was computed at (-1: never). */
  private rangeAt = -1;

  constructor(capacity = INITIAL_CAPACITY) {
    const n = Math.max(1, capacity);
    this.ids = new Uint32Array(n);
    this.from = new Uint32Array(n);
    this.to = new Uint32Array(n);
    this.time = new Float64Array(n);
    this.asset = new Uint32Array(n);
    this.decimals = new Uint8Array(n);
    this.amounts = new BigInt64Array(n);
    this.amountWords = new Int32Array(this.amounts.buffer);
  }

  static of(transfers: Iterable<ClusterTransfer>): TransferColumns {
    const columns = new TransferColumns();
    for (const t of transfers) columns.push(t.id, t.from, t.to, t.asset, t.amount, t.time, t.decimals ?? 0);
    return columns;
  }

  push(id: number, from: number, to: number, asset: string, amount: bigint, time: number, decimals: number): void {
    // A Uint8Array would wrap a larger value silently, and detectors scale thresholds by it.
    if (!(decimals >= 0 && decimals <= 255))
      throw new HoptraceError(`transfer ${id} has ${decimals} decimals; hoptrace reads 0 to 255 (ERC-20 and TRC-20 decimals are a uint8)`);
    if (this.length === this.ids.length) this.grow();
    if (this.ids instanceof Uint32Array && !(fitsU32(id) && fitsU32(from) && fitsU32(to))) this.widenIds();
    const i = this.length++;
    this.ids[i] = id;
    this.from[i] = from;
    this.to[i] = to;
    this.time[i] = time;
    this.decimals[i] = decimals;
    this.asset[i] = this.indexOfAsset(asset);
    if (amount > MAX_SMALL || amount <= LARGE) {
      this.amounts[i] = LARGE;
      this.largeAmounts.set(i, amount);
    } else {
      this.amounts[i] = amount;
    }
  }

  /**
   * Appends `count` rows given as columns, as `push` would one by one: a reader's chunk
   * (src/store/transferColumnsReader.ts). Ids are `firstId` + `idOffsets[k]`; `assetOf[k]` indexes
   * `assetNames`; amounts are signed 64-bit slots, copied as they are rather than through a bigint
   * each (5,250,000 bigints were most of the time a row took to append).
   */
  pushColumns(
    chunk: {
      firstId: number;
      idOffsets: Float64Array;
      from: Float64Array;
      to: Float64Array;
      assetOf: Float64Array;
      assetNames: readonly string[];
      amounts: BigInt64Array;
      time: Float64Array;
      decimals: Float64Array;
    },
    count: number,
  ): void {
    const { firstId, idOffsets, from, to, assetOf, time, decimals } = chunk;
    // Names are learnt as rows first use them, so `assets` lists them in the order `push` would.
    const assetIndex = new Float64Array(chunk.assetNames.length).fill(-1);
    while (this.length + count > this.ids.length) this.grow();
    const at = this.length;
    for (let k = 0; k < count; k++) {
      const id = firstId + idOffsets[k]!;
      const d = decimals[k]!;
      if (!(d >= 0 && d <= 255)) throw new HoptraceError(`transfer ${id} has ${d} decimals; hoptrace reads 0 to 255 (ERC-20 and TRC-20 decimals are a uint8)`);
      if (this.ids instanceof Uint32Array && !(fitsU32(id) && fitsU32(from[k]!) && fitsU32(to[k]!))) this.widenIds();
      const i = at + k;
      this.ids[i] = id;
      this.from[i] = from[k]!;
      this.to[i] = to[k]!;
      this.time[i] = time[k]!;
      this.decimals[i] = d;
      const a = assetOf[k]!;
      let index = assetIndex[a]!;
      if (index < 0) index = assetIndex[a] = this.indexOfAsset(chunk.assetNames[a]!);
      this.asset[i] = index;
    }
    this.amounts.set(chunk.amounts.subarray(0, count), at);
    // A slot equal to the marker of a large amount (-2^63 itself) is kept in the side map, as `push` does.
    const halves = new Uint32Array(chunk.amounts.buffer, chunk.amounts.byteOffset, count * 2);
    const [low, high] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
    for (let k = 0; k < count; k++) if (halves[2 * k + high] === 0x8000_0000 && halves[2 * k + low] === 0) this.largeAmounts.set(at + k, LARGE);
    this.length += count;
  }

  /**
   * The least and the greatest account id the transfers name, with 0 as the start of both (for
   * accountIdBound, which each heuristic asks: 10,500,000 ids at 1,000,000 accounts); computed once for the rows there are.
   */
  accountIdRange(): { min: number; max: number } {
    if (this.rangeAt !== this.length) {
      let max = 0;
      let min = 0;
      const { from, to } = this;
      for (let i = 0; i < this.length; i++) {
        const a = from[i]!;
        if (a > max) max = a;
        else if (a < min) min = a;
        const b = to[i]!;
        if (b > max) max = b;
        else if (b < min) min = b;
      }
      this.range = { min, max };
      this.rangeAt = this.length;
    }
    return this.range;
  }

  amount(i: number): bigint {
    const small = this.amounts[i]!;
    return small === LARGE ? this.largeAmounts.get(i)! : small;
  }

  /**
   * The amount of row `i` as a number when a number holds it exactly (within ±2^53), else NaN:
   * read from the slot's two 32-bit words, so no bigint is made. A detector that sums amounts over
   * every row of the case adds numbers while its sums stay exact, instead of making a bigint per
   * row and per sum (docs/performance.md, `detect`). The large-amount marker, −2^63, is NaN here.
   */
  amountNumber(i: number): number {
    const words = this.amountWords;
    const high = words[2 * i + HIGH_WORD]!;
    // |high| < 2^21: |amount| < 2^53 (the words of −2^53 itself give high = −2^21, also exact).
    if (high >= 0x20_0000 || high < -0x20_0000) return Number.NaN;
    return high * 0x1_0000_0000 + (words[2 * i + LOW_WORD]! >>> 0);
  }

  assetOf(i: number): string {
    return this.assets[this.asset[i]!]!;
  }

  /** Row `i` as an object (for detectors and tests, which read few rows or need the object form). */
  row(i: number): ClusterTransfer {
    return {
      id: this.ids[i]!,
      from: this.from[i]!,
      to: this.to[i]!,
      asset: this.assetOf(i),
      amount: this.amount(i),
      time: this.time[i]!,
      decimals: this.decimals[i]!,
    };
  }

  /**
   * Puts the rows in (time, id) order (see timeOrder: a case file's rows are a few runs already in
   * order). Each column is permuted in place through one scratch buffer of 8 bytes a row, so the
   * sort never holds a second copy of the columns.
   */
  sortByTime(): void {
    const n = this.length;
    const order = timeOrder(this.time, this.ids, n);
    if (!order) return;
    const scratch = new ArrayBuffer(n * 8);
    for (const column of [this.ids, this.from, this.to, this.time, this.asset, this.amounts]) permuteWords(column, order, scratch, n);
    const decimals = new Uint8Array(scratch, 0, n);
    for (let k = 0; k < n; k++) decimals[k] = this.decimals[order[k]!]!;
    this.decimals.set(decimals);
    if (this.largeAmounts.size > 0) {
      const moved = new Map<number, bigint>();
      for (let i = 0; i < n; i++) {
        const large = this.largeAmounts.get(order[i]!);
        if (large !== undefined) moved.set(i, large);
      }
      this.largeAmounts = moved;
    }
  }

  rows(): ClusterTransfer[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  private indexOfAsset(asset: string): number {
    let index = this.assetIndex.get(asset);
    if (index === undefined) {
      index = this.assets.length;
      this.assets.push(asset);
      this.assetIndex.set(asset, index);
    }
    return index;
  }

  private grow(): void {
    const capacity = this.ids.length * 2;
    const grown = <T extends Column>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      next.set(old as never);
      return next;
    };
    const idColumn = (old: IdColumn): IdColumn => (old instanceof Uint32Array ? grown(old, (n) => new Uint32Array(n)) : grown(old, (n) => new Float64Array(n)));
    this.ids = idColumn(this.ids);
    this.from = idColumn(this.from);
    this.to = idColumn(this.to);
    this.time = grown(this.time, (n) => new Float64Array(n));
    this.asset = grown(this.asset, (n) => new Uint32Array(n));
    this.decimals = grown(this.decimals, (n) => new Uint8Array(n));
    this.amounts = grown(this.amounts, (n) => new BigInt64Array(n));
    this.amountWords = new Int32Array(this.amounts.buffer);
  }

  /** Float64 id columns, for an id a Uint32 cannot hold. */
  private widenIds(): void {
    const wide = (old: IdColumn): Float64Array => {
      const next = new Float64Array(old.length);
      next.set(old);
      return next;
    };
    this.ids = wide(this.ids);
    this.from = wide(this.from);
    this.to = wide(this.to);
  }
}

/**
 * Puts the first `n` slots of a column of 4- or 8-byte values in `order`, through `scratch`, as
 * 32-bit words: one loop for every column type, the bits copied as they are. A loop per column
 * type through one generic function read every slot through a polymorphic access, and an amount
 * slot as a bigint allocated for it (5,250,000 of them per sort).
 */
function permuteWords(column: Uint32Array | Float64Array | BigInt64Array, order: Uint32Array, scratch: ArrayBuffer, n: number): void {
  const words = column.BYTES_PER_ELEMENT / 4;
  const source = new Uint32Array(column.buffer, column.byteOffset, n * words);
  const target = new Uint32Array(scratch, 0, n * words);
  if (words === 1) {
    for (let k = 0; k < n; k++) target[k] = source[order[k]!]!;
  } else {
    for (let k = 0; k < n; k++) {
      const at = 2 * order[k]!;
      target[2 * k] = source[at]!;
      target[2 * k + 1] = source[at + 1]!;
    }
  }
  source.set(target);
}

/** A slot of -2^63 read as two 32-bit halves (reading it as a bigint would allocate one). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
/** Which 32-bit word of an amount slot is its high half and which its low (amountNumber). */
const HIGH_WORD = LITTLE_ENDIAN ? 1 : 0;
const LOW_WORD = 1 - HIGH_WORD;

function fitsU32(value: number): boolean {
  return value >= 0 && value <= MAX_U32 && Number.isInteger(value);
}
