import { createHash } from 'node:crypto';
import { encodeBase58 } from 'ethers';
import { describe, expect, it } from 'vitest';
import { canonicalTronAddress, tronBase58ToHex, tronHexToBase58 } from '../../src/model/address.js';
import { doubleSha256Prefix } from '../../src/model/doubleSha256.js';
import { prng } from '../support/prng.js';

const sha256 = (data: Uint8Array): Buffer => createHash('sha256').update(data).digest();
const randomBytes = (random: () => number, length: number): Uint8Array => Uint8Array.from({ length }, () => Math.floor(random() * 256));

describe("base58check's checksum, computed in one block per hash", () => {
  it("is the first 4 bytes of node's SHA-256 twice, for every length that fits one block", () => {
    const random = prng(2024);
    const mismatches: string[] = [];
    for (let length = 0; length <= 55; length++) {
      for (let k = 0; k < 60; k++) {
        const data = randomBytes(random, length);
        const expected = sha256(sha256(data)).readUInt32BE(0);
        if (doubleSha256Prefix(data) !== expected) mismatches.push(Buffer.from(data).toString('hex'));
      }
    }
    expect(mismatches).toEqual([]);
    // A known value: SHA-256(SHA-256("")) begins 5df6e0e2.
    expect(doubleSha256Prefix(new Uint8Array(0))).toBe(0x5df6e0e2);
    expect(() => doubleSha256Prefix(new Uint8Array(56))).toThrow('more than one block');
  });

  it('gives the Tron addresses node and ethers give, and refuses each with one character changed', () => {
    const random = prng(41);
    const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
    for (let k = 0; k < 2_000; k++) {
      const payload = Uint8Array.from([0x41, ...randomBytes(random, 20)]);
      const hex = Buffer.from(payload).toString('hex');
      const reference = encodeBase58(Uint8Array.from([...payload, ...sha256(sha256(payload)).subarray(0, 4)]));
      expect(tronHexToBase58(hex)).toBe(reference);
      expect(canonicalTronAddress(reference)).toBe(reference);
      expect(tronBase58ToHex(reference)).toBe(hex);
      // One character after the T replaced by another of the alphabet: no longer this address.
      const at = 1 + Math.floor(random() * 33);
      const other = alphabet[(alphabet.indexOf(reference[at]!) + 1 + Math.floor(random() * 57)) % 58]!;
      const changed = reference.slice(0, at) + other + reference.slice(at + 1);
      expect(() => canonicalTronAddress(changed)).toThrow(/checksum|does not decode/);
    }
  });
});
