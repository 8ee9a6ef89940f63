/**
 * Per-account working values of a pass over every transfer, in flat typed arrays indexed by account
 * id (ids are the case's row ids: dense from 1). A bigint or a number per account in a JS array
 * cost a heap object each: the sweep heuristic's balances took 400 MB at 1,000,000 accounts.
 */

const MAX_U64 = 2n ** 64n - 1n;

/** Non-negative bigint balances; the rare one beyond 2^64 − 1 is kept exactly in a side map. */
export class AccountBalances {
  private readonly small: BigUint64Array;
  private readonly large = new Map<number, bigint>();

  constructor(size: number) {
    this.small = new BigUint64Array(size);
  }

  get(account: number): bigint {
    if (this.large.size > 0) {
      const large = this.large.get(account);
      if (large !== undefined) return large;
    }
    return this.small[account]!;
  }

  /** `value` must not be negative. */
  set(account: number, value: bigint): void {
    if (value > MAX_U64) {
      this.large.set(account, value);
      this.small[account] = 0n;
      return;
    }
    if (this.large.size > 0) this.large.delete(account);
    this.small[account] = value;
  }
}

/** A number (a time in ms, an account id) per account, NaN while it has none. */
export function unsetSlots(size: number): Float64Array {
  return new Float64Array(size).fill(Number.NaN);
}
