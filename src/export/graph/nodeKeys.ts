import { NumberList } from '../../model/numberList.js';

/**
 * The node key of each account a whole-case export drew, for its edges: the accounts' ids in the
 * ascending order they were written (a typed list) beside their keys, found by binary search.
 * The one part of the export that grows with the case; a Map of 200,000 ids to their keys held
 * 6 MB more heap (docs/performance.md, "Export").
 */
export class NodeKeys {
  private readonly ids = new NumberList();
  private readonly keys: string[] = [];

  get size(): number {
    return this.keys.length;
  }

  /** Adds an account's key; ids must come in ascending order, as the export's account walk reads them. */
  add(id: number, key: string): void {
    const last = this.ids.length === 0 ? undefined : this.ids.values[this.ids.length - 1]!;
    if (last !== undefined && id <= last) throw new Error(`NodeKeys: account ${id} after ${last}: ids must ascend`);
    this.ids.push(id);
    this.keys.push(key);
  }

  /** The key of the account with this id, or undefined when the export drew no node for it. */
  get(id: number): string | undefined {
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
}
