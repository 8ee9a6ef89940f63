/**
 * Union-find over account ids 0 … size − 1 in typed arrays (path halving, union by size); each
 * root keeps its members' entity labels. Maps of parents and sizes took a hash entry per account.
 */
export class UnionFind {
  private readonly parent: Int32Array;
  private readonly size: Uint32Array;
  readonly labels = new Map<number, Set<string>>();

  constructor(size: number) {
    this.parent = new Int32Array(size);
    for (let i = 0; i < size; i++) this.parent[i] = i;
    this.size = new Uint32Array(size).fill(1);
  }

  find(x: number): number {
    const parent = this.parent;
    let node = x;
    while (parent[node] !== node) {
      const grand = parent[parent[node]!]!;
      parent[node] = grand;
      node = grand;
    }
    return node;
  }

  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size[ra]! < this.size[rb]!) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra]! += this.size[rb]!;
    // Most roots have no labels; a set is made only when one side has some.
    const la = this.labels.get(ra);
    const lb = this.labels.get(rb);
    if (lb) {
      this.labels.set(ra, la ? new Set([...la, ...lb]) : lb);
      this.labels.delete(rb);
    }
    return ra;
  }

  /** Components of two or more ids, each in ascending order, ordered by their smallest id. */
  components(): number[][] {
    const byRoot = new Map<number, number[]>();
    for (let id = 0; id < this.parent.length; id++) {
      const root = this.find(id);
      if (this.size[root]! < 2) continue;
      // Pushed, not spread: copying the list per member would be quadratic in a large cluster.
      let members = byRoot.get(root);
      if (!members) byRoot.set(root, (members = []));
      members.push(id);
    }
    return [...byRoot.values()];
  }
}
