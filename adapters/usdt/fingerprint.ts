/**
 * Explorer exports (Etherscan, TronScan, TronGrid) carry no log index, so a transfer's `seq`
 * within its transaction is a fingerprint of what it moved: the same transfer downloaded from the
 * sender's and the receiver's page, or from a node's logs, gets the same (rail, ref, seq) and is
 * stored once. 48 bits keep it a safe integer; the node's log index is kept beside it.
 *
 * The hash is cyrb53 (bryc, public domain), cut to 48 bits: it only has to tell apart the few
 * transfers of one transaction, and a SHA-256 per row was a tenth of the whole ingest time.
 *
 * `occurrence` tells apart transfers that move the same amount between the same two addresses
 * in one transaction (a batch payout paying one address twice): the second is a second transfer,
 * not a second sighting of the first. Occurrence 0 keeps the plain fingerprint.
 */
export function transferSeq(token: string, from: string, to: string, amount: bigint, occurrence = 0): number {
  // cyrb53 of `${token}|${from}|${to}|${amount}` (and `|${occurrence}` when not 0), hashed part by
  // part rather than over the joined text: one string less per row.
  const state = new Hash48();
  state.add(token);
  state.add('|');
  state.add(from);
  state.add('|');
  state.add(to);
  state.add('|');
  state.add(amount.toString());
  if (occurrence !== 0) {
    state.add('|');
    state.add(String(occurrence));
  }
  return state.digest();
}

/** cyrb53's state over text added in pieces (the same result as over their concatenation). */
class Hash48 {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  add(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
  }

  digest(): number {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 0x100000000 * (h2 & 0xffff) + (h1 >>> 0);
  }
}

/**
 * Numbers the identical transfers of a transaction within one download, in the order they are
 * listed, and returns each one's seq. A download is one file, or one `scope` of a file that
 * concatenates several (TronScan's `wallet` column, TronGrid pages keyed by account), because a
 * transfer between two watched wallets is listed once in each wallet's download.
 *
 * Bounded memory: the rows of one transaction sit together in every export seen, so forgetting
 * old transactions when the table is full loses nothing in practice.
 */
export class TransferSeqs {
  /**
   * Occurrences by scope, then transaction, then plain fingerprint: the same keys as one map over
   * `scope|ref|fingerprint` strings, without building and hashing such a string per row (the
   * ref's own string is hashed once; every reader checks a ref is 32 bytes of hex first, so no
   * two (scope, ref) pairs made one such string). `size` counts those keys, so the table empties
   * at the same row as that map would.
   */
  private readonly seen = new Map<string, Map<string, Occurrences>>();
  private size = 0;

  constructor(private readonly capacity = 50_000) {}

  next(scope: string, ref: string, token: string, from: string, to: string, amount: bigint): number {
    const first = transferSeq(token, from, to, amount);
    const earlier = this.seen.get(scope)?.get(ref)?.get(first);
    if (this.size >= this.capacity) {
      this.seen.clear();
      this.size = 0;
    }
    this.count(scope, ref, first, earlier === undefined ? 1 : earlier + 1);
    return earlier === undefined ? first : transferSeq(token, from, to, amount, earlier);
  }

  private count(scope: string, ref: string, first: number, occurrences: number): void {
    let byRef = this.seen.get(scope);
    if (byRef === undefined) {
      byRef = new Map();
      this.seen.set(scope, byRef);
    }
    const known = byRef.get(ref);
    if (known === undefined) {
      byRef.set(ref, new Occurrences(first, occurrences));
      this.size++;
    } else if (known.set(first, occurrences)) this.size++;
  }
}

/** The occurrences of each fingerprint in one transaction: nearly always one fingerprint, held without a map. */
class Occurrences {
  private more: Map<number, number> | undefined;

  constructor(
    private readonly first: number,
    private count: number,
  ) {}

  get(fingerprint: number): number | undefined {
    return fingerprint === this.first ? this.count : this.more?.get(fingerprint);
  }

  /** Sets the count; true when the fingerprint is new here. */
  set(fingerprint: number, count: number): boolean {
    if (fingerprint === this.first) {
      this.count = count;
      return false;
    }
    this.more ??= new Map();
    const isNew = !this.more.has(fingerprint);
    this.more.set(fingerprint, count);
    return isNew;
  }
}
