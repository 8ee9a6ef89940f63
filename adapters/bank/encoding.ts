import { TextDecoder } from 'node:util';
import { decodeWhole, sniffBom, type TextEncoding } from '../common/text.js';
import type { ProfileEncoding } from './profile.js';

/**
 * Picks the encoding of a statement from its first bytes when the profile says `auto`: a
 * byte-order mark; UTF-16 without one (every other byte zero in ASCII text); UTF-8 when the head
 * decodes as UTF-8; otherwise Windows-1252, the encoding of German, Austrian and Dutch bank
 * exports (ISO-8859-1 is its subset for every printable character).
 */
export function resolveEncoding(head: Uint8Array, declared: ProfileEncoding): TextEncoding {
  const bom = sniffBom(head);
  if (bom) return bom.encoding;
  if (declared !== 'auto') return declared;
  const sample = head.subarray(0, Math.min(head.length, 4096));
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < sample.length; i++) if (sample[i] === 0) i % 2 === 0 ? zeroEven++ : zeroOdd++;
  if (sample.length >= 4 && zeroOdd > sample.length / 4 && zeroEven === 0) return 'utf-16le';
  if (sample.length >= 4 && zeroEven > sample.length / 4 && zeroOdd === 0) return 'utf-16be';
  return isUtf8Head(head) ? 'utf-8' : 'windows-1252';
}

/** Valid UTF-8, allowing the head to end inside a multi-byte character. */
export function isUtf8Head(head: Uint8Array): boolean {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    decoder.decode(head, { stream: true });
    return true;
  } catch {
    return false;
  }
}

/** Decodes the head for detection, leniently (a cut character at the end must not fail detection). */
export function decodeHeadAs(head: Uint8Array, encoding: TextEncoding): string {
  const bom = sniffBom(head);
  const body = bom ? head.subarray(bom.bomLength) : head;
  return decodeWhole(new TextDecoder(encoding === 'latin1' ? 'windows-1252' : encoding, { fatal: false, ignoreBOM: true }), body);
}
