/**
 * Parsers for the JSON arrays of integers SQLite's `json_group_array` writes, straight into typed
 * arrays. `JSON.parse` made a JS array of numbers per column of a chunk (a heap number each for a
 * time past 2^31) that was then copied and collected: reading 5,250,000 transfers spent more time
 * parsing than SQLite spent scanning them (docs/performance.md, `cluster`).
 *
 * Both accept only `[]` or `[n,n,…]` with each n an optional `-` and digits, exactly as SQLite
 * writes integers, and return how many values they wrote, or -1 for anything else (a real, a text,
 * a null, more values than `out` holds): the caller then reads that chunk another way.
 */

const COMMA = 44;
const MINUS = 45;
const ZERO = 48;
const NINE = 57;
/** Up to 15 digits a double adds up exactly, whatever the digits; beyond, only a safe result is. */
const EXACT_DIGITS = 15;

/** The integers of `text` into `out` from index 0; -1 when one is not a safe integer (|n| ≤ 2^53 − 1). */
export function parseIntegers(text: string, out: Float64Array): number {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== 91 || text.charCodeAt(last) !== 93) return -1;
  if (last === 1) return 0;
  let count = 0;
  let i = 1;
  while (i < last) {
    let c = text.charCodeAt(i);
    const negative = c === MINUS;
    if (negative) c = text.charCodeAt(++i);
    const start = i;
    let value = 0;
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    const digits = i - start;
    if (digits === 0 || (digits > EXACT_DIGITS && value > Number.MAX_SAFE_INTEGER)) return -1;
    if (i < last && c !== COMMA) return -1;
    if (count === out.length) return -1;
    out[count++] = negative ? -value : value;
    i++;
  }
  // A trailing comma ("[1,]") ends the loop on the bracket without a value after it.
  return text.charCodeAt(last - 1) === COMMA ? -1 : count;
}

/** 2^32: a safe integer is written as its low and high 32-bit halves. */
const WORD = 4_294_967_296;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * The integers of `text` into `out` from index 0, exactly; -1 when one does not fit a signed 64-bit
 * slot. A safe integer is written as two 32-bit halves, not through a bigint (5,250,000 bigints
 * allocated and collected per read of a large case); only longer ones go through `BigInt`.
 */
export function parseBigIntegers(text: string, out: BigInt64Array): number {
  const last = text.length - 1;
  if (text.charCodeAt(0) !== 91 || text.charCodeAt(last) !== 93) return -1;
  if (last === 1) return 0;
  const halves = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  const [low, high] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  let count = 0;
  let i = 1;
  while (i < last) {
    const from = i;
    let c = text.charCodeAt(i);
    const negative = c === MINUS;
    if (negative) c = text.charCodeAt(++i);
    const start = i;
    let value = 0;
    while (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      c = text.charCodeAt(++i);
    }
    const digits = i - start;
    if (digits === 0 || (i < last && c !== COMMA) || count === out.length) return -1;
    if (digits <= EXACT_DIGITS || value <= Number.MAX_SAFE_INTEGER) {
      // Two's complement by halves: -v is 2^64 - v.
      let lo = value % WORD;
      let hi = (value - lo) / WORD;
      if (negative && value !== 0) {
        if (lo === 0) hi = WORD - hi;
        else {
          lo = WORD - lo;
          hi = WORD - 1 - hi;
        }
      }
      halves[2 * count + low] = lo;
      halves[2 * count + high] = hi;
      count++;
    } else {
      const exact = BigInt(text.slice(from, i));
      if (exact !== BigInt.asIntN(64, exact)) return -1;
      out[count++] = exact;
    }
    i++;
  }
  return text.charCodeAt(last - 1) === COMMA ? -1 : count;
}
