import { NumberList } from '../../model/numberList.js';

/**
 * An id range at most this many times the number of keys is indexed directly (4 bytes a slot, so
 * at most 16 bytes a key); a sparser one is searched.
 */
const DENSE_SLOTS_PER_KEY = 4;

/**
 * The node key of each account a whole-case export drew, for its edges: the accounts' ids in the
 * ascending order they were written (a typed list) beside their keys. The one part of the export
 * that grows with the case; a Map of 200,000 ids to their keys held 6 MB more heap
 * (docs/performance.md, "Export"). Account ids are mostly dense, so the first look-up builds a
 * typed index from id to position: a binary search per edge end, 2,000,000 of them for
 * 1,000,000 edges, took 1.5 of the export's 12.5 CPU-s. Sparse ids are found by binary search.
 */
export class NodeKeys {
  private readonly ids = new NumberList();
  private readonly keys: string[] = [];
  /** Position of the key of id `first + i` at `i`, -1 for none; undefined until built, or when ids are sparse. */
  private index: Int32Array | undefined;
  private indexed = false;
  private first = 0;

  get size(): number {
    return this.keys.length;
  }

  /** Adds an account's key; ids must come in ascending order, as the export's account walk reads them. */
  add(id: number, key: string): void {
    const last = this.ids.length === 0 ? undefined : this.ids.values[this.ids.length - 1]!;
    if (last !== undefined && id <= last) throw new Error(`NodeKeys: account ${id} after ${last}: ids must ascend`);
    this.ids.push(id);
    this.keys.push(key);
    this.indexed = false;
    this.index = undefined;
  }

  /** The key of the account with this id, or undefined when the export drew no node for it. */
  get(id: number): string | undefined {
    if (!this.indexed) this.buildIndex();
    const index = this.index;
    if (index !== undefined) {
      const at = id - this.first;
      const position = at >= 0 && at < index.length ? index[at]! : -1;
      return position >= 0 ? this.keys[position] : undefined;
    }
    const ids = this.ids.values;
    let low = 0;
    let high = this.ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = ids[middle]!;
      if (at < id) low = middle + 1;
      else if (at > id) high = middle - 1;
      else return this.keys[middle];
    }
    return undefined;
  }

  private buildIndex(): void {
    this.indexed = true;
    const count = this.ids.length;
    if (count === 0) return;
    const ids = this.ids.values;
    const first = ids[0]!;
    const slots = ids[count - 1]! - first + 1;
    if (slots > DENSE_SLOTS_PER_KEY * count) return;
    const index = new Int32Array(slots).fill(-1);
    for (let i = 0; i < count; i++) index[ids[i]! - first] = i;
    this.index = index;
    this.first = first;
  }
}
