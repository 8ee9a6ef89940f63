import { finalMix, fnv1a, fnv1aUnit, FNV_OFFSET } from '../model/textHash.js';

/**
 * The (rail, ref, seq) keys of the transfers of a load that writes into a case without transfers
 * while the case's unique index on them (transfers_key) waits to be built after the rows, as the
 * secondary indexes do (docs/case-file.md, "Large imports"). A key hashes to a slot by its
 * (rail, ref), so one probe finds both what the index answered: the transfer already stored under
 * the same key (a duplicate, recorded as a sighting) and the transfers stored under the same
 * rail and ref (those a new transfer may contradict, sourceWriter.ts: CONFLICTS).
 *
 * Only hashes and ids are held, 12 bytes a slot in typed arrays (no object per key for the
 * garbage collector): a hash that matches is a candidate, which the writer reads back by id
 * (the table's own rowid) before it calls it the same. An id whose row was rolled back or taken
 * out again reads back as another transfer or as none, so a key left behind is harmless.
 *
 * Bounded: past MAX_KEYS keys `add` answers false and the writer builds the index instead.
 */
const FIRST_SLOTS = 1 << 16;
/** 2^22 slots at most (48 MB), half of them used: 2,097,152 keys. */
const MAX_SLOTS = 1 << 22;
export const MAX_KEYS = MAX_SLOTS / 2;

export class TransferKeys {
  /** A second hash of (rail, ref), to tell apart the keys that share a slot's run. */
  private refTags = new Uint32Array(FIRST_SLOTS);
  /** A hash of seq. */
  private seqTags = new Uint32Array(FIRST_SLOTS);
  /** The transfer's id; 0 marks an empty slot (rowids start at 1). */
  private ids = new Uint32Array(FIRST_SLOTS);
  private mask = FIRST_SLOTS - 1;
  private count = 0;
  /** Of the last lookup: where its key goes, and its tags. */
  private slot = 0;
  private refTag = 0;
  private seqTag = 0;
  /** Filled by `lookup`: ids stored under a key with the same (rail, ref) hashes. */
  readonly sameRef: number[] = [];
  /** Filled by `lookup`: of those, the ids whose seq hash is the same too. */
  readonly sameKey: number[] = [];

  private readonly maxKeys: number;

  /** `maxKeys`: at most MAX_KEYS (a test's smaller figure reaches the bound sooner). */
  constructor(maxKeys = MAX_KEYS) {
    this.maxKeys = Math.min(maxKeys, MAX_KEYS);
  }

  get size(): number {
    return this.count;
  }

  /** Finds the ids stored under keys that hash as (rail, ref, seq) does (`sameRef`, `sameKey`); `add` then stores this key. */
  lookup(rail: string, ref: string, seq: number): void {
    this.refTag = refHash(rail, ref);
    this.seqTag = seqHash(seq);
    this.sameRef.length = 0;
    this.sameKey.length = 0;
    const { ids, refTags, seqTags, mask } = this;
    let slot = this.refTag & mask;
    for (;;) {
      const id = ids[slot]!;
      if (id === 0) break;
      if (refTags[slot] === this.refTag) {
        this.sameRef.push(id);
        if (seqTags[slot] === this.seqTag) this.sameKey.push(id);
      }
      slot = (slot + 1) & mask;
    }
    this.slot = slot;
  }

  /**
   * Stores `id` under the key of the last `lookup` (no other key added in between); false, and
   * nothing stored, when the table holds `maxKeys` keys already.
   */
  add(id: number): boolean {
    if (this.count >= this.maxKeys || id < 1 || id > 0xffffffff) return false;
    this.ids[this.slot] = id;
    this.refTags[this.slot] = this.refTag;
    this.seqTags[this.slot] = this.seqTag;
    this.count++;
    if (this.count * 2 > this.ids.length && this.ids.length < MAX_SLOTS) this.grow();
    return true;
  }

  private grow(): void {
    const { ids, refTags, seqTags } = this;
    const slots = ids.length * 2;
    this.ids = new Uint32Array(slots);
    this.refTags = new Uint32Array(slots);
    this.seqTags = new Uint32Array(slots);
    this.mask = slots - 1;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === 0) continue;
      let slot = refTags[i]! & this.mask;
      while (this.ids[slot] !== 0) slot = (slot + 1) & this.mask;
      this.ids[slot] = id;
      this.refTags[slot] = refTags[i]!;
      this.seqTags[slot] = seqTags[i]!;
    }
  }
}

/** FNV-1a over rail, a separator and ref, mixed: the slot is its low bits. */
function refHash(rail: string, ref: string): number {
  return finalMix(fnv1a(fnv1aUnit(fnv1a(FNV_OFFSET, rail), 0x7c), ref));
}

/** seq, an integer of up to 53 bits: its low 32 bits, then the rest, mixed. */
function seqHash(seq: number): number {
  return finalMix(Math.imul(finalMix(seq >>> 0), 0x9e3779b1) ^ Math.floor(seq / 4294967296));
}
