/**
 * The accounts a trace holds a pool for, by account id and asset. Every event asks for its sender
 * and its recipient: a map per asset keyed by the account id answers without building an
 * `id|asset` string per question (docs/performance.md, "Trace against a bare read").
 */
export class ActiveAccounts<T> {
  private readonly byAsset = new Map<string, Map<number, T>>();
  /** In the order they were added, as the result lists what they hold. */
  private readonly ordered: T[] = [];

  get(accountId: number, asset: string): T | undefined {
    return this.byAsset.get(asset)?.get(accountId);
  }

  /** Adds an account not yet held. */
  add(accountId: number, asset: string, value: T): void {
    const accounts = this.byAsset.get(asset) ?? new Map<number, T>();
    if (accounts.size === 0) this.byAsset.set(asset, accounts);
    accounts.set(accountId, value);
    this.ordered.push(value);
  }

  values(): readonly T[] {
    return this.ordered;
  }
}
