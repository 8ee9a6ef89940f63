import { finalMix, fnv1a, fnv1aUnit, FNV_OFFSET } from '../../src/model/textHash.js';

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

/** Entries a table starts with (it doubles as it fills), and characters of refs. */
const INITIAL_ENTRIES = 1024;
const INITIAL_CHARS = 1024 * 66;

/**
 * Numbers the identical transfers of a transaction within one download, in the order they are
 * listed, and returns each one's seq. A download is one file, or one `scope` of a file that
 * concatenates several (TronScan's `wallet` column, TronGrid pages keyed by account), because a
 * transfer between two watched wallets is listed once in each wallet's download.
 *
 * Bounded memory: the rows of one transaction sit together in every export seen, so forgetting
 * old transactions when the table is full loses nothing in practice.
 *
 * The (scope, ref) keys are held outside the JS heap: a hash table in typed arrays whose entries
 * keep the ref's characters in an arena of their own. Held as a `Map` keyed by the ref strings,
 * each file's refs lived as long as the file and died together, so V8 moved them to its old
 * generation first: 45 of the 72 MB promoted while importing 300,000 TronGrid transfers, which
 * only full collections free (docs/performance.md, "Ingest against a bare pipeline"). Refs are
 * compared character by character, so the answer is the map's, exactly.
 */
export class TransferSeqs {
  /** Scopes by small number (a download has one, or one per wallet). */
  private readonly scopes = new Map<string, number>();
  /** Open addressing, at most half full: an entry's index + 1, 0 for an empty slot. */
  private slots = new Int32Array(2 * INITIAL_ENTRIES);
  /** Per entry (a scope and ref): its hash, scope, where its characters start and how many. */
  private hashes = new Uint32Array(INITIAL_ENTRIES);
  private scopeOf = new Int32Array(INITIAL_ENTRIES);
  private starts = new Int32Array(INITIAL_ENTRIES);
  private lengths = new Int32Array(INITIAL_ENTRIES);
  /** Per entry: its first fingerprint and how often it was seen; any other fingerprints in `more`. */
  private firsts = new Float64Array(INITIAL_ENTRIES);
  private counts = new Float64Array(INITIAL_ENTRIES);
  /** Fingerprints after an entry's first (a transaction moving several things): rare. */
  private readonly more = new Map<number, Map<number, number>>();
  /** The refs' characters, entry after entry. */
  private chars = new Uint16Array(INITIAL_CHARS);
  private used = 0;
  private entries = 0;
  /** Fingerprints held, summed over the entries: the table empties when this reaches `capacity`. */
  private size = 0;

  constructor(private readonly capacity = 50_000) {}

  next(scope: string, ref: string, token: string, from: string, to: string, amount: bigint): number {
    const first = transferSeq(token, from, to, amount);
    let scopeId = this.scopes.get(scope);
    if (scopeId === undefined) {
      scopeId = this.scopes.size;
      this.scopes.set(scope, scopeId);
    }
    const hash = refHash(scopeId, ref);
    let entry = this.find(scopeId, ref, hash);
    const earlier = entry < 0 ? undefined : this.occurrences(entry, first);
    if (this.size >= this.capacity) {
      this.clear();
      entry = -1;
    }
    const occurrences = earlier === undefined ? 1 : earlier + 1;
    if (entry < 0) {
      this.add(scopeId, ref, hash, first, occurrences);
      this.size++;
    } else if (this.setOccurrences(entry, first, occurrences)) this.size++;
    return earlier === undefined ? first : transferSeq(token, from, to, amount, earlier);
  }

  /** The entry of (scope, ref), or -1. */
  private find(scopeId: number, ref: string, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0) return -1;
      const entry = stored - 1;
      if (this.hashes[entry] === hash && this.scopeOf[entry] === scopeId && this.sameRef(entry, ref)) return entry;
    }
  }

  private sameRef(entry: number, ref: string): boolean {
    if (this.lengths[entry] !== ref.length) return false;
    const start = this.starts[entry]!;
    for (let i = 0; i < ref.length; i++) if (this.chars[start + i] !== ref.charCodeAt(i)) return false;
    return true;
  }

  private occurrences(entry: number, fingerprint: number): number | undefined {
    return this.firsts[entry] === fingerprint ? this.counts[entry] : this.more.get(entry)?.get(fingerprint);
  }

  /** Sets an entry's count of a fingerprint; true when the fingerprint is new to it. */
  private setOccurrences(entry: number, fingerprint: number, count: number): boolean {
    if (this.firsts[entry] === fingerprint) {
      this.counts[entry] = count;
      return false;
    }
    let others = this.more.get(entry);
    if (others === undefined) {
      others = new Map();
      this.more.set(entry, others);
    }
    const isNew = !others.has(fingerprint);
    others.set(fingerprint, count);
    return isNew;
  }

  private add(scopeId: number, ref: string, hash: number, fingerprint: number, count: number): void {
    if (this.entries === this.hashes.length) this.growEntries();
    if (2 * (this.entries + 1) > this.slots.length) this.growSlots();
    while (this.used + ref.length > this.chars.length) this.chars = grown(this.chars, this.chars.length * 2);
    const entry = this.entries++;
    this.hashes[entry] = hash;
    this.scopeOf[entry] = scopeId;
    this.starts[entry] = this.used;
    this.lengths[entry] = ref.length;
    this.firsts[entry] = fingerprint;
    this.counts[entry] = count;
    for (let i = 0; i < ref.length; i++) this.chars[this.used + i] = ref.charCodeAt(i);
    this.used += ref.length;
    this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = this.hashes[entry]! & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private growEntries(): void {
    const length = this.hashes.length * 2;
    this.hashes = grown(this.hashes, length);
    this.scopeOf = grown(this.scopeOf, length);
    this.starts = grown(this.starts, length);
    this.lengths = grown(this.lengths, length);
    this.firsts = grown(this.firsts, length);
    this.counts = grown(this.counts, length);
  }

  private growSlots(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let entry = 0; entry < this.entries; entry++) this.place(entry);
  }

  private clear(): void {
    this.slots.fill(0);
    this.more.clear();
    this.entries = 0;
    this.used = 0;
    this.size = 0;
  }
}

/** A copy of `array` with room for `length` elements. */
function grown<T extends Int32Array | Uint32Array | Float64Array | Uint16Array>(array: T, length: number): T {
  const copy = new (array.constructor as new (length: number) => T)(length);
  copy.set(array);
  return copy;
}

/** A 32-bit hash of a scope's number and a ref's characters. */
function refHash(scopeId: number, ref: string): number {
  return finalMix(fnv1a(fnv1aUnit(FNV_OFFSET, scopeId), ref));
}
