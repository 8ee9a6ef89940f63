/**
 * EIP-55 checksums without ethers' general-purpose path: an address's 40 hex digits are one
 * Keccak-256 block, hashed here in place (no byte-array, hex-string or hasher object per
 * address). It gives what ethers' `getAddress` gives, and was a tenth of an Etherscan import
 * that meets tens of thousands of distinct addresses (docs/performance.md).
 */

/** Rotation of each lane (x + 5y), Keccak's ρ step. */
const RHO = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];
/** Where π moves lane x + 5y: to y + 5 × ((2x + 3y) mod 5). */
const PI = RHO.map((_, i) => {
  const x = i % 5;
  const y = (i - x) / 5;
  return y + 5 * ((2 * x + 3 * y) % 5);
});
/** ι's round constants, high and low 32 bits. */
const RC_HI = new Int32Array([
  0, 0, 0x80000000, 0x80000000, 0, 0, 0x80000000, 0x80000000, 0, 0, 0, 0, 0, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0x80000000, 0, 0x80000000,
  0x80000000, 0x80000000, 0, 0x80000000,
]);
const RC_LO = new Int32Array([
  0x00000001, 0x00008082, 0x0000808a, 0x80008000, 0x0000808b, 0x80000001, 0x80008081, 0x00008009, 0x0000008a, 0x00000088, 0x80008009, 0x8000000a, 0x8000808b,
  0x0000008b, 0x00008089, 0x00008003, 0x00008002, 0x00000080, 0x0000800a, 0x8000000a, 0x80008081, 0x00008080, 0x80000001, 0x80008008,
]);

// One state for every call: nothing is allocated per address.
const hi = new Int32Array(25);
const lo = new Int32Array(25);
const bHi = new Int32Array(25);
const bLo = new Int32Array(25);
const cHi = new Int32Array(5);
const cLo = new Int32Array(5);
/** The checksummed address's character codes, `0x` first. */
const codes: number[] = Array.from({ length: 42 }, (_, i) => (i === 0 ? 48 : i === 1 ? 120 : 0));

/** Lane rotations as shifts (ρ) for the high and low words, with their destinations (π): one branch-free step per lane. */
const SWAP = RHO.map((r) => r >= 32);
const SHIFT = RHO.map((r) => r % 32);

function keccakF(): void {
  for (let round = 0; round < 24; round++) {
    // θ
    for (let x = 0; x < 5; x++) {
      cHi[x] = hi[x]! ^ hi[x + 5]! ^ hi[x + 10]! ^ hi[x + 15]! ^ hi[x + 20]!;
      cLo[x] = lo[x]! ^ lo[x + 5]! ^ lo[x + 10]! ^ lo[x + 15]! ^ lo[x + 20]!;
    }
    for (let x = 0; x < 5; x++) {
      const next = x === 4 ? 0 : x + 1;
      const prev = x === 0 ? 4 : x - 1;
      const nHi = cHi[next]!;
      const nLo = cLo[next]!;
      const dHi = cHi[prev]! ^ ((nHi << 1) | (nLo >>> 31));
      const dLo = cLo[prev]! ^ ((nLo << 1) | (nHi >>> 31));
      hi[x] = hi[x]! ^ dHi;
      lo[x] = lo[x]! ^ dLo;
      hi[x + 5] = hi[x + 5]! ^ dHi;
      lo[x + 5] = lo[x + 5]! ^ dLo;
      hi[x + 10] = hi[x + 10]! ^ dHi;
      lo[x + 10] = lo[x + 10]! ^ dLo;
      hi[x + 15] = hi[x + 15]! ^ dHi;
      lo[x + 15] = lo[x + 15]! ^ dLo;
      hi[x + 20] = hi[x + 20]! ^ dHi;
      lo[x + 20] = lo[x + 20]! ^ dLo;
    }
    // ρ and π: a rotation by 32 or more swaps the words, then rotates by the rest.
    for (let i = 0; i < 25; i++) {
      const s = SHIFT[i]!;
      const h = SWAP[i] ? lo[i]! : hi[i]!;
      const l = SWAP[i] ? hi[i]! : lo[i]!;
      const to = PI[i]!;
      if (s === 0) {
        bHi[to] = h;
        bLo[to] = l;
      } else {
        bHi[to] = (h << s) | (l >>> (32 - s));
        bLo[to] = (l << s) | (h >>> (32 - s));
      }
    }
    // χ
    for (let y = 0; y < 25; y += 5) {
      const h0 = bHi[y]!;
      const h1 = bHi[y + 1]!;
      const h2 = bHi[y + 2]!;
      const h3 = bHi[y + 3]!;
      const h4 = bHi[y + 4]!;
      const l0 = bLo[y]!;
      const l1 = bLo[y + 1]!;
      const l2 = bLo[y + 2]!;
      const l3 = bLo[y + 3]!;
      const l4 = bLo[y + 4]!;
      hi[y] = h0 ^ (~h1 & h2);
      hi[y + 1] = h1 ^ (~h2 & h3);
      hi[y + 2] = h2 ^ (~h3 & h4);
      hi[y + 3] = h3 ^ (~h4 & h0);
      hi[y + 4] = h4 ^ (~h0 & h1);
      lo[y] = l0 ^ (~l1 & l2);
      lo[y + 1] = l1 ^ (~l2 & l3);
      lo[y + 2] = l2 ^ (~l3 & l4);
      lo[y + 3] = l3 ^ (~l4 & l0);
      lo[y + 4] = l4 ^ (~l0 & l1);
    }
    // ι
    hi[0] = hi[0]! ^ RC_HI[round]!;
    lo[0] = lo[0]! ^ RC_LO[round]!;
  }
}

/** Byte `k` (< 32) of the digest: lanes are little-endian. */
function digestByte(k: number): number {
  const lane = k >> 3;
  const at = k & 7;
  return at < 4 ? (lo[lane]! >>> (8 * at)) & 0xff : (hi[lane]! >>> (8 * (at - 4))) & 0xff;
}

/**
 * `0x` and 40 lower-case hex digits → the EIP-55 form: each letter whose nibble of the
 * Keccak-256 of the 40 digits (as ASCII) is 8 or more in upper case.
 */
export function checksumLowerEvmAddress(lower: string): string {
  hi.fill(0);
  lo.fill(0);
  // The 40 ASCII digits fill lanes 0–4 (8 bytes each, little-endian).
  for (let lane = 0; lane < 5; lane++) {
    const at = 2 + 8 * lane;
    lo[lane] = lower.charCodeAt(at) | (lower.charCodeAt(at + 1) << 8) | (lower.charCodeAt(at + 2) << 16) | (lower.charCodeAt(at + 3) << 24);
    hi[lane] = lower.charCodeAt(at + 4) | (lower.charCodeAt(at + 5) << 8) | (lower.charCodeAt(at + 6) << 16) | (lower.charCodeAt(at + 7) << 24);
  }
  // Keccak's padding (0x01 … 0x80) within the 136-byte block: byte 40, and byte 135 (lane 16's last).
  lo[5] = 0x01;
  hi[16] = 0x80000000 | 0;
  keccakF();
  for (let i = 0; i < 40; i++) {
    const c = lower.charCodeAt(2 + i);
    const byte = digestByte(i >> 1);
    const nibble = i % 2 === 0 ? byte >> 4 : byte & 0x0f;
    codes[2 + i] = c >= 97 && nibble >= 8 ? c - 32 : c;
  }
  return String.fromCharCode.apply(null, codes);
}
