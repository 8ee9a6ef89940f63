/**
 * How many blocks one `eth_getLogs` asks for. Nodes and providers cap a query by block range
 * (Alchemy 2,000, many 10,000) or by results (Infura 10,000 logs): a refused range is halved, and
 * a range that came back small is doubled for the next query, so sparse history is crossed in few
 * queries and dense history in many small ones.
 */
export class BlockSpan {
  private span: number;

  constructor(
    initial: number,
    private readonly max: number,
    /** Results under this count mean the span can grow. */
    private readonly growBelow = 1000,
  ) {
    this.span = Math.max(1, Math.min(initial, max));
  }

  get current(): number {
    return this.span;
  }

  /** The node refused `tried` blocks: the next queries ask for half. */
  refused(tried: number): void {
    this.span = Math.max(1, Math.min(this.span, Math.floor(tried / 2)));
  }

  /** `tried` blocks came back with `results` logs. */
  succeeded(tried: number, results: number): void {
    if (results < this.growBelow && tried >= this.span) this.span = Math.min(this.max, this.span * 2);
  }
}
