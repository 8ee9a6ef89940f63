/**
 * A binary min-heap of items under a numeric key; the engine's event queue, keyed by time. The
 * keys sit in one typed array beside the items: most comparisons end at the key, and reading it
 * there touches no item (the items are scattered over the heap; reaching them was most of a pop,
 * docs/performance.md "Trace against a bare read"). Items with equal keys are ordered by `tieLess`.
 * Sifting moves a hole rather than swapping pairs: the same comparisons and the same final layout,
 * so items that compare equal still leave in the same order.
 */
export class MinHeap<T> {
  private keys = new Float64Array(64);
  private readonly items: T[] = [];
  constructor(private readonly tieLess: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(key: number, item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    if (i >= this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const keys = this.keys;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const aboveKey = keys[parent]!;
      const above = items[parent]!;
      if (!(key < aboveKey || (key === aboveKey && this.tieLess(item, above)))) break;
      items[i] = above;
      keys[i] = aboveKey;
      i = parent;
    }
    items[i] = item;
    keys[i] = key;
  }

  pop(): T | undefined {
    const items = this.items;
    const keys = this.keys;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n > 0 && last !== undefined) {
      const lastKey = keys[n]!;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        let smallestItem = last;
        let smallestKey = lastKey;
        if (left < n) {
          const key = keys[left]!;
          if (key < smallestKey || (key === smallestKey && this.tieLess(items[left]!, smallestItem))) {
            smallest = left;
            smallestItem = items[left]!;
            smallestKey = key;
          }
        }
        if (right < n) {
          const key = keys[right]!;
          if (key < smallestKey || (key === smallestKey && this.tieLess(items[right]!, smallestItem))) {
            smallest = right;
            smallestItem = items[right]!;
            smallestKey = key;
          }
        }
        if (smallest === i) break;
        items[i] = smallestItem;
        keys[i] = smallestKey;
        i = smallest;
      }
      items[i] = last;
      keys[i] = lastKey;
    }
    return top;
  }
}
