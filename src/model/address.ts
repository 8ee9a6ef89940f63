import { encodeBase58, getBytes } from 'ethers';
import { doubleSha256Prefix } from './doubleSha256.js';
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
 * Base58check's checksum: the first 4 bytes of SHA-256 twice, as a big-endian number. Both hashes
 * are one block each (src/model/doubleSha256.ts): node's one-shot `hash`, a binding call and a
 * Buffer per hash, was half of a Tron address's check.
 */
function tronChecksum(payload: Uint8Array): number {
  return doubleSha256Prefix(payload);
}

/** `41…` (21 bytes hex, with or without 0x) → `T…`. */
export function tronHexToBase58(hex: string): string {
  const trimmed = hex.trim();
  if (!TRON_HEX_SHAPE.test(trimmed)) throw new AddressError(hex, 'not a Tron hex address (41 followed by 20 bytes)');
  const payload = getBytes(trimmed.startsWith('0x') ? trimmed : '0x' + trimmed);
  const full = new Uint8Array(25);
  full.set(payload, 0);
  const checksum = tronChecksum(payload);
  full[21] = checksum >>> 24;
  full[22] = (checksum >>> 16) & 0xff;
  full[23] = (checksum >>> 8) & 0xff;
  full[24] = checksum & 0xff;
  return encodeBase58(full);
}

const BASE58_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
/** Each base58 character's value by its code (TRON_BASE58_SHAPE has checked the characters). */
const BASE58_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE58_ALPHABET.length; i++) BASE58_VALUES[BASE58_ALPHABET.charCodeAt(i)] = i;
const TWO_32 = 0x1_0000_0000;

/**
 * A base58 text (checked against TRON_BASE58_SHAPE) as 25 big-endian bytes, or undefined when its
 * value needs more (then it is no Tron address). Digit by digit into seven 32-bit limbs (a limb
 * times 58 plus the carry stays exact in a double), then into bytes: a BigInt per address and its
 * hex round trips cost more than the checksum, and limbs take a quarter of the steps of bytes.
 */
function base58Bytes(text: string): Uint8Array | undefined {
  const limbs = [0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < text.length; i++) {
    let carry = BASE58_VALUES[text.charCodeAt(i)]!;
    for (let j = 6; j >= 0; j--) {
      const value = limbs[j]! * 58 + carry;
      carry = Math.floor(value / TWO_32);
      limbs[j] = value - carry * TWO_32;
    }
    // The value only grows digit by digit: past 224 bits now, past 25 bytes at the end.
    if (carry !== 0) return undefined;
  }
  if (limbs[0]! > 0xff) return undefined;
  const bytes = new Uint8Array(25);
  bytes[0] = limbs[0]!;
  for (let j = 1; j < 7; j++) {
    const limb = limbs[j]!;
    const at = 4 * j - 3;
    bytes[at] = limb >>> 24;
    bytes[at + 1] = (limb >>> 16) & 0xff;
    bytes[at + 2] = (limb >>> 8) & 0xff;
    bytes[at + 3] = limb & 0xff;
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
  const stored = ((bytes[21]! << 24) | (bytes[22]! << 16) | (bytes[23]! << 8) | bytes[24]!) >>> 0;
  if (tronChecksum(payload) !== stored) throw new AddressError(address, 'bad base58check checksum');
  return payload;
}

/** `T…` → `41…` (lower-case hex, no 0x), verifying the base58check checksum. */
export function tronBase58ToHex(address: string): string {
  return Buffer.from(tronPayload(address)).toString('hex');
}

/** Any accepted Tron form → canonical base58check `T…`. */
export function canonicalTronAddress(address: string): string {
  const trimmed = address.trim();
  // A hex form starts with 41 or 0x41, never with the T of a base58 one.
  if (trimmed.charCodeAt(0) !== 84 && TRON_HEX_SHAPE.test(trimmed)) return tronHexToBase58(trimmed);
  tronPayload(trimmed);
  return trimmed;
}

/**
 * The canonical address an account's ident names on `rail`, when it has the shape of one there
 * (an optional `ethereum:`/`tron:` prefix allowed), or undefined when it names an account of
 * another kind (an IBAN, an exchange customer, the other chain): `trace --fetch` fetches only
 * the accounts of the chain it crawls. An address of the right shape with a wrong checksum is
 * still an error.
 */
export function addressOnRail(ident: string, rail: 'ethereum' | 'tron'): string | undefined {
  const prefixed = /^(ethereum|tron|bank):(.*)$/.exec(ident.trim());
  if (prefixed && prefixed[1] !== rail) return undefined;
  const address = (prefixed ? prefixed[2]! : ident).trim();
  if (rail === 'ethereum') return EVM_SHAPE.test(address) ? canonicalEvmAddress(address) : undefined;
  return TRON_BASE58_SHAPE.test(address) || TRON_HEX_SHAPE.test(address) ? canonicalTronAddress(address) : undefined;
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
