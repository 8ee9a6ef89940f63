/**
 * An id range at most this many times the number of keys is indexed directly (4 bytes a slot, so
 * at most 16 bytes a key); a sparser one is searched.
 */
const DENSE_SLOTS_PER_KEY = 4;

/** Numbers a chunk of ids or key ends holds (128 KiB). */
const CHUNK_SHIFT = 14;
const CHUNK_NUMBERS = 1 << CHUNK_SHIFT;
/** Bytes a chunk of keys' characters holds; a key may run on into the next chunk. */
const CHUNK_BYTES = 1 << 18;
/** Keys of printable ASCII go in the byte chunks (a key with any other character is kept as itself). */
const PRINTABLE_ASCII = /^[ -~]*$/;

/**
 * The node key of each account a whole-case export drew, for its edges: the accounts' ids in the
 * ascending order they were written beside their keys. The one part of the export that grows with
 * the case (docs/performance.md, "Export"). Account ids are mostly dense, so the first look-up
 * builds a typed index from id to position: a binary search per edge end, 2,000,000 of them for
 * 1,000,000 edges, took 1.5 of the export's 12.5 CPU-s. Sparse ids are found by binary search.
 *
 * Everything is kept outside the JS heap and in chunks that are filled, never copied: a printable
 * ASCII key's characters in chunks of bytes (read back as a new string per look-up; a key with any
 * other character is kept as itself), ids and the keys' end offsets in chunks of numbers. As 200,000
 * strings the keys were 7 MB of live heap, which V8 let grow to twice that in garbage before a
 * collection; and lists that doubled as they filled left each outgrown array behind until one
 * (ids, ends and bytes: 14 MB at 200,000 keys, where the export's peak RSS was 71 MB at 20,000).
 */
export class NodeKeys {
  private readonly ids = new ChunkedNumbers();
  /** Offset just past each key's characters in the byte chunks (as if they were one run of bytes). */
  private readonly ends = new ChunkedNumbers();
  private readonly bytes: Buffer[] = [];
  private used = 0;
  /** Keys with a character beyond printable ASCII, by position (they take no bytes). */
  private readonly wide = new Map<number, string>();
  /** Position of the key of id `first + i` at `i`, -1 for none; undefined until built, or when ids are sparse. */
  private index: Int32Array | undefined;
  private indexed = false;
  private first = 0;

  get size(): number {
    return this.ids.length;
  }

  /** Adds an account's key; ids must come in ascending order, as the export's account walk reads them. */
  add(id: number, key: string): void {
    const last = this.ids.length === 0 ? undefined : this.ids.at(this.ids.length - 1);
    if (last !== undefined && id <= last) throw new Error(`NodeKeys: account ${id} after ${last}: ids must ascend`);
    if (PRINTABLE_ASCII.test(key)) this.storeBytes(key);
    else this.wide.set(this.ids.length, key);
    this.ids.push(id);
    this.ends.push(this.used);
    this.indexed = false;
    this.index = undefined;
  }

  /** The key of the account with this id, or undefined when the export drew no node for it. */
  get(id: number): string | undefined {
    if (!this.indexed) this.buildIndex();
    const index = this.index;
    if (index !== undefined) {
      const at = id - this.first;
      const position = at >= 0 && at < index.length ? index[at]! : -1;
      return position >= 0 ? this.keyAt(position) : undefined;
    }
    let low = 0;
    let high = this.ids.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = this.ids.at(middle);
      if (at < id) low = middle + 1;
      else if (at > id) high = middle - 1;
      else return this.keyAt(middle);
    }
    return undefined;
  }

  private storeBytes(key: string): void {
    let written = 0;
    while (written < key.length) {
      const chunk = Math.floor(this.used / CHUNK_BYTES);
      if (chunk === this.bytes.length) this.bytes.push(Buffer.allocUnsafe(CHUNK_BYTES));
      const offset = this.used - chunk * CHUNK_BYTES;
      const part = Math.min(key.length - written, CHUNK_BYTES - offset);
      this.bytes[chunk]!.write(key.slice(written, written + part), offset, 'latin1');
      written += part;
      this.used += part;
    }
  }

  private keyAt(position: number): string {
    if (this.wide.size > 0) {
      const key = this.wide.get(position);
      if (key !== undefined) return key;
    }
    const start = position === 0 ? 0 : this.ends.at(position - 1);
    const end = this.ends.at(position);
    const chunk = Math.floor(start / CHUNK_BYTES);
    const offset = start - chunk * CHUNK_BYTES;
    if (end - chunk * CHUNK_BYTES <= CHUNK_BYTES) return this.bytes[chunk]!.toString('latin1', offset, end - chunk * CHUNK_BYTES);
    // A key that runs on into the next chunk(s).
    let key = '';
    for (let at = start; at < end; ) {
      const c = Math.floor(at / CHUNK_BYTES);
      const stop = Math.min(end, (c + 1) * CHUNK_BYTES);
      key += this.bytes[c]!.toString('latin1', at - c * CHUNK_BYTES, stop - c * CHUNK_BYTES);
      at = stop;
    }
    return key;
  }

  private buildIndex(): void {
    this.indexed = true;
    const count = this.ids.length;
    if (count === 0) return;
    const first = this.ids.at(0);
    const slots = this.ids.at(count - 1) - first + 1;
    if (slots > DENSE_SLOTS_PER_KEY * count) return;
    const index = new Int32Array(slots).fill(-1);
    for (let i = 0; i < count; i++) index[this.ids.at(i) - first] = i;
    this.index = index;
    this.first = first;
  }
}

/** Numbers in float64 chunks of a fixed size, added as they fill: a list that never copies itself to grow. */
class ChunkedNumbers {
  private readonly chunks: Float64Array[] = [];
  length = 0;

  push(value: number): void {
    const offset = this.length & (CHUNK_NUMBERS - 1);
    if (offset === 0) this.chunks.push(new Float64Array(CHUNK_NUMBERS));
    this.chunks[this.chunks.length - 1]![offset] = value;
    this.length++;
  }

  /** The `i`-th number; positions are far below 2^31 (no JS list holds that many). */
  at(i: number): number {
    return this.chunks[i >>> CHUNK_SHIFT]![i & (CHUNK_NUMBERS - 1)]!;
  }
}
