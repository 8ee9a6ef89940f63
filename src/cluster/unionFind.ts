/** Union-find with path halving and union by size; each root keeps its members' entity labels. */
export class UnionFind {
  private readonly parent = new Map<number, number>();
  private readonly size = new Map<number, number>();
  readonly labels = new Map<number, Set<string>>();

  find(x: number): number {
    let node = x;
    if (!this.parent.has(node)) {
      this.parent.set(node, node);
      this.size.set(node, 1);
    }
    while (this.parent.get(node) !== node) {
      const grand = this.parent.get(this.parent.get(node)!)!;
      this.parent.set(node, grand);
      node = grand;
    }
    return node;
  }

  union(a: number, b: number): number {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if ((this.size.get(ra) ?? 1) < (this.size.get(rb) ?? 1)) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, (this.size.get(ra) ?? 1) + (this.size.get(rb) ?? 1));
    // Most roots have no labels; a set is made only when one side has some.
    const la = this.labels.get(ra);
    const lb = this.labels.get(rb);
    if (lb) {
      this.labels.set(ra, la ? new Set([...la, ...lb]) : lb);
      this.labels.delete(rb);
    }
    return ra;
  }

  members(): Map<number, number[]> {
    const groups = new Map<number, number[]>();
    for (const node of this.parent.keys()) {
      const root = this.find(node);
      // Pushed, not spread: copying the list per member would be quadratic in a large cluster.
      let members = groups.get(root);
      if (!members) groups.set(root, (members = []));
      members.push(node);
    }
    return groups;
  }
}
