import { HEURISTIC_NAMES, type HeuristicName, type MergeProposal } from './types.js';

const INITIAL_CAPACITY = 256;

/**
 * Merge proposals as columns: the pair, the heuristic, the confidence, the evidence transfer ids
 * (a slice of one pool) and the reason. At 1,000,000 accounts the heuristics propose 640,000
 * merges; as objects, each with its evidence array and its own reason string, they took 160 MB.
 * A heuristic builds one reason per group (a funder, a collector, a deposit address) and every
 * proposal of the group points to that one string.
 */
export class Proposals {
  length = 0;
  a: Float64Array;
  b: Float64Array;
  confidence: Float64Array;
  /** Index into HEURISTIC_NAMES. */
  heuristic: Uint8Array;
  /** Evidence of proposal i: pool[evidenceStart[i] … evidenceStart[i + 1]). */
  private evidenceStart: Uint32Array;
  private pool: Float64Array;
  private poolLength = 0;
  private readonly reasons: string[] = [];

  constructor(capacity = INITIAL_CAPACITY) {
    const n = Math.max(1, capacity);
    this.a = new Float64Array(n);
    this.b = new Float64Array(n);
    this.confidence = new Float64Array(n);
    this.heuristic = new Uint8Array(n);
    this.evidenceStart = new Uint32Array(n + 1);
    this.pool = new Float64Array(2 * n);
  }

  static of(proposals: Iterable<MergeProposal>): Proposals {
    const list = new Proposals();
    for (const p of proposals) list.push(p.a, p.b, p.heuristic, p.confidence, p.evidence, p.reason);
    return list;
  }

  push(a: number, b: number, heuristic: HeuristicName, confidence: number, evidence: readonly number[], reason: string): void {
    if (this.length === this.a.length) this.grow();
    while (this.poolLength + evidence.length > this.pool.length) {
      const pool = new Float64Array(this.pool.length * 2);
      pool.set(this.pool);
      this.pool = pool;
    }
    const i = this.length++;
    this.a[i] = a;
    this.b[i] = b;
    this.confidence[i] = confidence;
    this.heuristic[i] = HEURISTIC_NAMES.indexOf(heuristic);
    this.reasons[i] = reason;
    for (const id of evidence) this.pool[this.poolLength++] = id;
    this.evidenceStart[i + 1] = this.poolLength;
  }

  /** Appends proposal `i` of `from`. */
  copy(from: Proposals, i: number): void {
    this.push(from.a[i]!, from.b[i]!, from.heuristicOf(i), from.confidence[i]!, from.evidence(i), from.reason(i));
  }

  heuristicOf(i: number): HeuristicName {
    return HEURISTIC_NAMES[this.heuristic[i]!]!;
  }

  evidence(i: number): number[] {
    // A loop, not Array.from over a subarray: that went through the iterator protocol and was
    // 1.5 CPU-s of `hoptrace cluster` at 1,000,000 accounts, which asks for 340,000 merges' evidence thrice.
    const start = this.evidenceStart[i]!;
    const ids = new Array<number>(this.evidenceStart[i + 1]! - start);
    for (let k = 0; k < ids.length; k++) ids[k] = this.pool[start + k]!;
    return ids;
  }

  reason(i: number): string {
    return this.reasons[i]!;
  }

  row(i: number): MergeProposal {
    return {
      a: this.a[i]!,
      b: this.b[i]!,
      heuristic: this.heuristicOf(i),
      confidence: this.confidence[i]!,
      evidence: this.evidence(i),
      reason: this.reason(i),
    };
  }

  rows(): MergeProposal[] {
    return Array.from({ length: this.length }, (_, i) => this.row(i));
  }

  /**
   * Proposal indexes, strongest evidence first: by confidence (highest first), then by the pair's
   * smaller and larger account id, then in the order proposed.
   */
  strengthOrder(): Uint32Array {
    const { a, b, confidence } = this;
    const order = new Uint32Array(this.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    return order.sort(
      (x, y) => confidence[y]! - confidence[x]! || Math.min(a[x]!, b[x]!) - Math.min(a[y]!, b[y]!) || Math.max(a[x]!, b[x]!) - Math.max(a[y]!, b[y]!) || x - y,
    );
  }

  private grow(): void {
    const capacity = this.a.length * 2;
    const grown = <T extends Float64Array | Uint8Array | Uint32Array>(old: T, next: T): T => {
      next.set(old as never);
      return next;
    };
    this.a = grown(this.a, new Float64Array(capacity));
    this.b = grown(this.b, new Float64Array(capacity));
    this.confidence = grown(this.confidence, new Float64Array(capacity));
    this.heuristic = grown(this.heuristic, new Uint8Array(capacity));
    this.evidenceStart = grown(this.evidenceStart, new Uint32Array(capacity + 1));
  }
}
