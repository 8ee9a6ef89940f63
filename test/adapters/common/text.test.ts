import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDecoder } from 'node:util';
import { describe, expect, it } from 'vitest';
import { decodeHead, decodeWhole, readTextChunks, type TextEncoding } from '../../../adapters/common/text.js';
import { decodeHeadAs } from '../../../adapters/bank/encoding.js';
import { tempDir } from '../../support/cli.js';

/** The size readTextChunks reads at a time. */
const CHUNK = 65_536;

function file(bytes: Buffer): string {
  const path = join(tempDir(), 'text.txt');
  writeFileSync(path, bytes);
  return path;
}

/** ASCII lines of 63 letters and a newline, `length` bytes in all. */
function asciiLines(length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = i % 64 === 63 ? 10 : 97 + (i % 26);
  return bytes;
}

/** `bytes` written over `base` at `at`. */
function withBytes(base: Buffer, at: number, bytes: number[]): Buffer {
  const out = Buffer.from(base);
  Buffer.from(bytes).copy(out, at);
  return out;
}

async function readAllText(path: string, encoding?: TextEncoding): Promise<{ chunks: string[]; error?: { message: string; line: number | undefined } }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of readTextChunks(path, encoding)) chunks.push(chunk);
  } catch (error) {
    return { chunks, error: { message: (error as Error).message, line: (error as { line?: number }).line } };
  }
  return { chunks };
}

/** The whole file decoded at once, strictly: what the chunks must add up to. */
const wholly = (bytes: Buffer): string => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);

/** The line a byte offset is on (1-based). */
const lineAt = (bytes: Buffer, offset: number): number => 1 + bytes.subarray(0, offset).filter((b) => b === 10).length;

describe('readTextChunks: ASCII chunks taken as they are, every other chunk decoded strictly', () => {
  it('gives the text of ASCII and UTF-8 files whatever falls on a chunk boundary', async () => {
    const ascii = asciiLines(200_000);
    const cases: Buffer[] = [
      ascii,
      // A 3-byte character across the first boundary, a 4-byte one across the second.
      withBytes(withBytes(ascii, CHUNK - 1, [0xe2, 0x82, 0xac]), 2 * CHUNK - 2, [0xf0, 0x9f, 0x92, 0xb0]),
      // A 2-byte character ending exactly at the first boundary, then ASCII chunks.
      withBytes(ascii, CHUNK - 2, [0xc3, 0xa9]),
      // A 2-byte character starting exactly at the third boundary.
      withBytes(ascii, 3 * CHUNK, [0xc3, 0xa9]),
      // A UTF-8 byte-order mark, removed.
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), ascii]),
    ];
    for (const bytes of cases) {
      const { chunks, error } = await readAllText(file(bytes));
      expect(error).toBeUndefined();
      const body = bytes[0] === 0xef ? bytes.subarray(3) : bytes;
      expect(chunks.join('')).toBe(wholly(body));
    }
    expect((await readAllText(file(ascii))).chunks.map((c) => c.length)).toEqual([CHUNK, CHUNK, CHUNK, 200_000 - 3 * CHUNK]);
  });

  it('refuses a byte that is not UTF-8 in an otherwise ASCII file, on its line, wherever it falls', async () => {
    const ascii = asciiLines(200_000);
    const bad = 'bytes that are not valid UTF-8';
    // A continuation byte alone, at the start of the second chunk.
    let bytes = withBytes(ascii, CHUNK, [0x80]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, CHUNK) });
    // A character cut short at the end of the first chunk, ASCII after it.
    bytes = withBytes(ascii, CHUNK - 2, [0xe2, 0x82]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, CHUNK - 2) });
    // The same on a line of its own, two bytes long, then ASCII.
    bytes = withBytes(ascii, CHUNK - 3, [0x0a, 0xe2, 0x82]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, CHUNK - 2) });
    // Two bytes no character starts with, ending the first chunk on a line of their own.
    bytes = withBytes(ascii, CHUNK - 3, [0x0a, 0xe0, 0x80]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, CHUNK - 2) });
    // A UTF-16 surrogate written as UTF-8, inside the third chunk.
    bytes = withBytes(ascii, 2 * CHUNK + 1000, [0xed, 0xa0, 0x80]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, 2 * CHUNK + 1000) });
    // An overlong form of '/'.
    bytes = withBytes(ascii, 5000, [0xc0, 0xaf]);
    expect((await readAllText(file(bytes))).error).toEqual({ message: bad, line: lineAt(bytes, 5000) });
    // Cut short at the very end.
    bytes = Buffer.concat([ascii, Buffer.from([0xe2, 0x82])]);
    expect((await readAllText(file(bytes))).error).toEqual({
      message: 'file ends inside a multi-byte character (truncated?)',
      line: lineAt(bytes, bytes.length),
    });
    // A NUL byte in an ASCII chunk.
    bytes = withBytes(ascii, CHUNK + 70, [0]);
    const nul = await readAllText(file(bytes));
    expect(nul.error).toEqual({
      message: 'NUL bytes in the text: the file looks like UTF-16 without a byte-order mark, or is not text',
      line: lineAt(bytes, CHUNK + 70),
    });
  });

  it('reads Windows-1252 when asked, and UTF-16 by its byte-order mark', async () => {
    const ascii = asciiLines(140_000);
    // € and Ÿ in Windows-1252, in the second chunk after an ASCII first one.
    const cp1252 = withBytes(ascii, CHUNK + 10, [0x80, 0x9f]);
    const read = await readAllText(file(cp1252), 'windows-1252');
    expect(read.error).toBeUndefined();
    const text = ascii.toString('latin1');
    expect(read.chunks.join('')).toBe(`${text.slice(0, CHUNK + 10)}€Ÿ${text.slice(CHUNK + 12)}`);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('date,amount\n2024-03-05,5000.00\n'.repeat(5000), 'utf16le')]);
    const wide = await readAllText(file(utf16));
    expect(wide.error).toBeUndefined();
    expect(wide.chunks.join('')).toBe('date,amount\n2024-03-05,5000.00\n'.repeat(5000));
  });
});

describe('decodeWhole: a whole buffer decoded as the Encoding standard says', () => {
  // Windows-1252 at 0x80–0x9F: five bytes it leaves undefined map to the C1 controls of the same value.
  const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
  const high = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i));

  it('gives Windows-1252’s characters for 0x80–0x9F, where a plain decode gave control characters', () => {
    expect(decodeWhole(new TextDecoder('windows-1252', { fatal: true }), high)).toBe(CP1252_HIGH);
    expect(decodeWhole(new TextDecoder('latin1'), high)).toBe(CP1252_HIGH);
    expect(decodeHeadAs(high, 'windows-1252')).toBe(CP1252_HIGH);
    expect(decodeHeadAs(high, 'latin1')).toBe(CP1252_HIGH);
    expect(decodeHead(high, 'windows-1252')).toBe(CP1252_HIGH);
  });

  it('still refuses UTF-8 cut short when strict, and marks it when lenient', () => {
    const cut = Buffer.from([0x41, 0xe2, 0x82]);
    expect(() => decodeWhole(new TextDecoder('utf-8', { fatal: true }), cut)).toThrow(TypeError);
    expect(decodeWhole(new TextDecoder('utf-8'), cut)).toBe('A\ufffd');
  });
});
