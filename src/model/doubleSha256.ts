/**
 * The first 4 bytes of SHA-256(SHA-256(data)), as an unsigned big-endian number: base58check's
 * checksum (src/model/address.ts). Both hashes fit in one 64-byte block (data of at most 55 bytes,
 * then the 32-byte digest), so each is one compression over reused words, without the node binding
 * and the Buffers a call of node's `hash` costs, which were most of a Tron address's check
 * (docs/performance.md, "Ingest against a bare pipeline"). The same figures as node's SHA-256:
 * test/model/doubleSha256.test.ts.
 */
export function doubleSha256Prefix(data: Uint8Array): number {
  if (data.length > 55) throw new Error('doubleSha256Prefix: more than one block');
  W.fill(0, 0, 16);
  for (let i = 0; i < data.length; i++) W[i >> 2] = W[i >> 2]! | (data[i]! << (24 - 8 * (i & 3)));
  W[data.length >> 2] = W[data.length >> 2]! | (0x80 << (24 - 8 * (data.length & 3)));
  W[15] = data.length * 8;
  compress();
  // The digest (eight words) is the second hash's message: 32 bytes, then its padding.
  for (let i = 0; i < 8; i++) W[i] = H[i]!;
  W.fill(0, 8, 16);
  W[8] = 0x80000000 | 0;
  W[15] = 256;
  compress();
  return H[0]! >>> 0;
}

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74,
  0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d,
  0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e,
  0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
  0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL = Int32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
/** The message schedule, its first 16 words the block; and the hash state. */
const W = new Int32Array(64);
const H = new Int32Array(8);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** One SHA-256 compression of the block in W[0..15], from the initial state, into H. */
function compress(): void {
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[t] = (W[t - 16]! + s0 + W[t - 7]! + s1) | 0;
  }
  let a = INITIAL[0]!;
  let b = INITIAL[1]!;
  let c = INITIAL[2]!;
  let d = INITIAL[3]!;
  let e = INITIAL[4]!;
  let f = INITIAL[5]!;
  let g = INITIAL[6]!;
  let h = INITIAL[7]!;
  for (let t = 0; t < 64; t++) {
    const s1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const choice = (e & f) ^ (~e & g);
    const t1 = (h + s1 + choice + K[t]! + W[t]!) | 0;
    const s0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (s0 + majority) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (INITIAL[0]! + a) | 0;
  H[1] = (INITIAL[1]! + b) | 0;
  H[2] = (INITIAL[2]! + c) | 0;
  H[3] = (INITIAL[3]! + d) | 0;
  H[4] = (INITIAL[4]! + e) | 0;
  H[5] = (INITIAL[5]! + f) | 0;
  H[6] = (INITIAL[6]! + g) | 0;
  H[7] = (INITIAL[7]! + h) | 0;
}
