import { hash } from 'node:crypto';
import { encodeBase58, getBytes } from 'ethers';
import { checksumLowerEvmAddress } from './eip55.js';
import { HoptraceError } from './errors.js';

/**
 * Address canonicalisation. EVM addresses are EIP-55 checksummed as ethers' getAddress does it
 * (src/model/eip55.ts; a lower- or upper-case address is accepted, a mixed-case one with a wrong
 * checksum is an error). Tron
 * addresses are base58check `T…`; hex `41…`/`0x41…` input is converted.
 */
export class AddressError extends HoptraceError {
  constructor(address: string, reason: string) {
    super(`address ${JSON.stringify(address)}: ${reason}`);
    this.name = 'AddressError';
  }
}

const EVM_SHAPE = /^0x[0-9a-fA-F]{40}$/;
/** Upper- and lower-case letters both: the case is a checksum to verify (ethers' test). */
const MIXED_CASE = /([A-F].*[a-f])|([a-f].*[A-F])/;
const TRON_BASE58_SHAPE = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;
const TRON_HEX_SHAPE = /^(?:0x)?41[0-9a-fA-F]{40}$/;

export function canonicalEvmAddress(address: string): string {
  const trimmed = address.trim();
  if (!EVM_SHAPE.test(trimmed)) throw new AddressError(address, 'not a 20-byte 0x address');
  const checksummed = checksumLowerEvmAddress(trimmed.toLowerCase());
  if (MIXED_CASE.test(trimmed) && checksummed !== trimmed) throw new AddressError(address, 'bad EIP-55 checksum (mixed case that does not match the address)');
  return checksummed;
}

/**
 * Base58check's checksum: the first 4 bytes of SHA-256 twice (node's hashing: a tenth of a pure-JS
 * SHA-256's time per address; its one-shot `hash`, without a hasher object, about two thirds of createHash's time).
 */
function tronChecksum(payload: Uint8Array): Uint8Array {
  return hash('sha256', hash('sha256', payload, 'buffer'), 'buffer').subarray(0, 4);
}

/** `41…` (21 bytes hex, with or without 0x) → `T…`. */
export function tronHexToBase58(hex: string): string {
  const trimmed = hex.trim();
  if (!TRON_HEX_SHAPE.test(trimmed)) throw new AddressError(hex, 'not a Tron hex address (41 followed by 20 bytes)');
  const payload = getBytes(trimmed.startsWith('0x') ? trimmed : '0x' + trimmed);
  const full = new Uint8Array(25);
  full.set(payload, 0);
  full.set(tronChecksum(payload), 21);
  return encodeBase58(full);
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/**
 * A base58 text (checked against TRON_BASE58_SHAPE) as 25 big-endian bytes, or undefined when its
 * value needs more (then it is no Tron address). Digit by digit into the bytes: a BigInt per
 * address and its hex round trips cost more than the checksum.
 */
function base58Bytes(text: string): Uint8Array | undefined {
  const bytes = new Uint8Array(25);
  for (let i = 0; i < text.length; i++) {
    let carry = BASE58_ALPHABET.indexOf(text[i]!);
    for (let j = 24; j >= 0; j--) {
      carry += bytes[j]! * 58;
      bytes[j] = carry & 0xff;
      carry >>>= 8;
    }
    // The value only grows digit by digit: past 25 bytes now, past them at the end.
    if (carry !== 0) return undefined;
  }
  return bytes;
}

/** The 21-byte payload of a base58check `T…` address, its checksum verified. */
function tronPayload(address: string): Uint8Array {
  const trimmed = address.trim();
  if (!TRON_BASE58_SHAPE.test(trimmed)) throw new AddressError(address, 'not a Tron base58 address (T followed by 33 characters)');
  const bytes = base58Bytes(trimmed);
  if (bytes === undefined || bytes[0] !== 0x41) throw new AddressError(address, 'does not decode to a 21-byte Tron address');
  const payload = bytes.subarray(0, 21);
  const checksum = tronChecksum(payload);
  for (let i = 0; i < 4; i++) if (checksum[i] !== bytes[21 + i]) throw new AddressError(address, 'bad base58check checksum');
  return payload;
}

/** `T…` → `41…` (lower-case hex, no 0x), verifying the base58check checksum. */
export function tronBase58ToHex(address: string): string {
  return Buffer.from(tronPayload(address)).toString('hex');
}

/** Any accepted Tron form → canonical base58check `T…`. */
export function canonicalTronAddress(address: string): string {
  const trimmed = address.trim();
  if (TRON_HEX_SHAPE.test(trimmed)) return tronHexToBase58(trimmed);
  tronPayload(trimmed);
  return trimmed;
}

/**
 * Checksumming costs ~15 µs (EVM) to ~30 µs (Tron) per address, far more than parsing a row; real
 * exports repeat the same few counterparties, so each ingest keeps a bounded cache of canonical
 * forms. Bounded so that memory stays flat on files with millions of distinct addresses.
 *
 * Two generations of `capacity` entries each: when the current one is full it becomes the old
 * one, and an old entry that is used again moves to the current one. A file with a few more
 * distinct addresses than one generation holds (50,001 over 50,000) then checksums each address
 * once, where emptying one map when full checksummed the whole set again on every wrap.
 */
export class AddressCache {
  private readonly evm: TwoGenerationCache;
  private readonly tron: TwoGenerationCache;
  constructor(capacity = 50_000) {
    this.evm = new TwoGenerationCache(capacity);
    this.tron = new TwoGenerationCache(capacity);
  }

  evmAddress(raw: string): string {
    return this.evm.get(raw, canonicalEvmAddress);
  }

  tronAddress(raw: string): string {
    return this.tron.get(raw, canonicalTronAddress);
  }
}

/**
 * A string of its own: readers hand in slices of a chunk of the file, and a slice kept as a map
 * key would keep the whole chunk alive. The concatenation is flattened into a fresh string, which
 * the slice then points into.
 */
function ownCopy(text: string): string {
  return (text + ' ').slice(0, -1);
}

/** A two-generation map (see AddressCache): at most 2 × capacity entries. */
export class TwoGenerationCache {
  private current = new Map<string, string>();
  private old = new Map<string, string>();
  constructor(private readonly capacity: number) {}

  get(raw: string, compute: (raw: string) => string): string {
    const hit = this.current.get(raw);
    if (hit !== undefined) return hit;
    const value = this.old.get(raw) ?? compute(raw);
    if (this.current.size >= this.capacity) {
      this.old = this.current;
      this.current = new Map();
    }
    this.current.set(ownCopy(raw), value);
    return value;
  }
}
