import { HoptraceError } from '../model/errors.js';
import { timeOrder } from './timeOrder.js';
import type { ClusterTransfer } from './types.js';

const INITIAL_CAPACITY = 1024;
type Column = Float64Array | Uint32Array | Uint8Array | BigInt64Array;
/** Marks an amount that does not fit a signed 64-bit slot; the exact value is in `largeAmounts`. */
const LARGE = -(2n ** 63n);
const MAX_SMALL = 2n ** 63n - 1n;

/**
 * Transfers in time order, held as columns rather than one object each. Clustering a case reads
 * every transfer; as objects, 5,000,000 of them took 1.8 GB of heap and most of the load time went
 * to allocating them and to the garbage collector walking them.
 * Amounts stay exact: a slot of a BigInt64Array, or a side map for the rare amount beyond 2^63 − 1
 * (an 18-decimal token's wei over about 9.2 units). Columns take 45 bytes a transfer.
 */
export class TransferColumns {
  length = 0;
  ids = new Float64Array(INITIAL_CAPACITY);
  from = new Float64Array(INITIAL_CAPACITY);
  to = new Float64Array(INITIAL_CAPACITY);
  time = new Float64Array(INITIAL_CAPACITY);
  /** Index into `assets`. */
  asset = new Uint32Array(INITIAL_CAPACITY);
  /** ERC-20 `decimals` is a uint8, and so is every fiat or native coin's. */
  decimals = new Uint8Array(INITIAL_CAPACITY);
  readonly assets: string[] = [];
  private readonly assetIndex = new Map<string, number>();
  private amounts = new BigInt64Array(INITIAL_CAPACITY);
  private largeAmounts = new Map<number, bigint>();

  static of(transfers: Iterable<ClusterTransfer>): TransferColumns {
    const columns = new TransferColumns();
    for (const t of transfers) columns.push(t.id, t.from, t.to, t.asset, t.amount, t.time, t.decimals ?? 0);
    return columns;
  }

  push(id: number, from: number, to: number, asset: string, amount: bigint, time: number, decimals: number): void {
    // A Uint8Array would wrap a larger value silently, and detectors scale thresholds by it.
    if (!(decimals >= 0 && decimals <= 255)) throw new HoptraceError(`transfer ${id} has ${decimals} decimals; hoptrace reads 0 to 255 (ERC-20 and TRC-20 decimals are a uint8)`);
    if (this.length === this.ids.length) this.grow();
    const i = this.length++;
    this.ids[i] = id;
    this.from[i] = from;
    this.to[i] = to;
    this.time[i] = time;
    this.decimals[i] = decimals;
    let index = this.assetIndex.get(asset);
    if (index === undefined) {
      index = this.assets.length;
      this.assets.push(asset);
      this.assetIndex.set(asset, index);
    }
    this.asset[i] = index;
    if (amount > MAX_SMALL || amount <= LARGE) {
      this.amounts[i] = LARGE;
      this.largeAmounts.set(i, amount);
    } else {
      this.amounts[i] = amount;
    }
  }

  amount(i: number): bigint {
    const small = this.amounts[i]!;
    return small === LARGE ? this.largeAmounts.get(i)! : small;
  }

  assetOf(i: number): string {
    return this.assets[this.asset[i]!]!;
  }

  /** Row `i` as an object (for detectors and tests, which read few rows or need the object form). */
  row(i: number): ClusterTransfer {
    return { id: this.ids[i]!, from: this.from[i]!, to: this.to[i]!, asset: this.assetOf(i), amount: this.amount(i), time: this.time[i]!, decimals: this.decimals[i]! };
  }

  /** Puts the rows in (time, id) order (see timeOrder: a case file's rows are a few runs already in order). */
  sortByTime(): void {
    const n = this.length;
    const order = timeOrder(this.time, this.ids, n);
    if (!order) return;
    this.rebuildColumns(this.ids.length, (from, to) => {
      for (let i = 0; i < n; i++) to[i] = from[order[i]!]!;
    });
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

  private grow(): void {
    this.rebuildColumns(this.ids.length * 2, (from, to) => to.set(from as never));
  }

  /** Replaces every column by a new one of `capacity` rows, filled by `fill` from the old. */
  private rebuildColumns(capacity: number, fill: <T extends Column>(from: T, to: T) => void): void {
    const rebuild = <T extends Column>(old: T, make: (n: number) => T): T => {
      const next = make(capacity);
      fill(old, next);
      return next;
    };
    this.ids = rebuild(this.ids, (n) => new Float64Array(n));
    this.from = rebuild(this.from, (n) => new Float64Array(n));
    this.to = rebuild(this.to, (n) => new Float64Array(n));
    this.time = rebuild(this.time, (n) => new Float64Array(n));
    this.asset = rebuild(this.asset, (n) => new Uint32Array(n));
    this.decimals = rebuild(this.decimals, (n) => new Uint8Array(n));
    this.amounts = rebuild(this.amounts, (n) => new BigInt64Array(n));
  }
}
