/**
 * A binary min-heap; the engine's event queue. Sifting moves a hole rather than swapping pairs
 * (a swap by destructuring allocated an array per step): the same comparisons and the same final
 * layout, so items that compare equal still leave in the same order.
 */
export class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (!this.less(item, above)) break;
      items[i] = above;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    const n = items.length;
    if (n > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        let smallestItem = last;
        if (left < n && this.less(items[left]!, smallestItem)) {
          smallest = left;
          smallestItem = items[left]!;
        }
        if (right < n && this.less(items[right]!, smallestItem)) {
          smallest = right;
          smallestItem = items[right]!;
        }
        if (smallest === i) break;
        items[i] = smallestItem;
        i = smallest;
      }
      items[i] = last;
    }
    return top;
  }
}
