/**
 * 32-bit hashing of texts for the in-memory tables of a load (src/store/transferKeys.ts,
 * adapters/usdt/fingerprint.ts): FNV-1a over the UTF-16 code units, then MurmurHash3's
 * finalizer so that the low bits, which pick a table slot, depend on every character.
 */
export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of `text`, continuing from `hash` (FNV_OFFSET to start). */
export function fnv1a(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a of one more unit (a separator, a small number), continuing from `hash`. */
export function fnv1aUnit(hash: number, unit: number): number {
  return Math.imul(hash ^ unit, FNV_PRIME);
}

/** MurmurHash3's 32-bit finalizer, as an unsigned number. */
export function finalMix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
