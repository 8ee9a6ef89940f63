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
  // part rather than over the joined text: one string less per row. The state after `${token}|`
  // is kept for the last token: nearly every row of an export moves the same one.
  if (token !== prefixToken) {
    h1 = SEED1;
    h2 = SEED2;
    add(token);
    add('|');
    prefixToken = token;
    prefix1 = h1;
    prefix2 = h2;
  }
  h1 = prefix1;
  h2 = prefix2;
  add(from);
  add('|');
  add(to);
  add('|');
  add(amount.toString());
  if (occurrence !== 0) {
    add('|');
    add(String(occurrence));
  }
  return digest();
}

// cyrb53's state, held in module variables rather than an object per row (the hash runs to the
// end within one call, so no two rows share it).
const SEED1 = 0xdeadbeef;
const SEED2 = 0x41c6ce57;
let h1 = SEED1;
let h2 = SEED2;
let prefixToken: string | undefined;
let prefix1 = 0;
let prefix2 = 0;

/** Adds text to the state (the same result as over the concatenation of everything added). */
function add(text: string): void {
  let a = h1;
  let b = h2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 2654435761);
    b = Math.imul(b ^ c, 1597334677);
  }
  h1 = a;
  h2 = b;
}

function digest(): number {
  let a = h1;
  let b = h2;
  a = Math.imul(a ^ (a >>> 16), 2246822507);
  a ^= Math.imul(b ^ (b >>> 13), 3266489909);
  b = Math.imul(b ^ (b >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  return 0x100000000 * (b & 0xffff) + (a >>> 0);
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
    // One look-up of the scope and one of the ref per row, then one write.
    let byRef = this.seen.get(scope);
    let known = byRef?.get(ref);
    const earlier = known?.get(first);
    if (this.size >= this.capacity) {
      this.seen.clear();
      this.size = 0;
      byRef = undefined;
      known = undefined;
    }
    const occurrences = earlier === undefined ? 1 : earlier + 1;
    if (byRef === undefined) {
      byRef = new Map();
      this.seen.set(scope, byRef);
    }
    if (known === undefined) {
      byRef.set(ref, new Occurrences(first, occurrences));
      this.size++;
    } else if (known.set(first, occurrences)) this.size++;
    return earlier === undefined ? first : transferSeq(token, from, to, amount, earlier);
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
