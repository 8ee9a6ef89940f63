import { isAscii } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { open } from 'node:fs/promises';
import { HoptraceError } from '../../src/model/errors.js';
import { readFileChunks } from './fileChunks.js';
import { checkInputFile } from './inputFile.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'latin1';

/** Reads the first bytes of a file, for format detection and encoding sniffing. */
export async function readHeadBytes(path: string, size = 65536): Promise<Buffer> {
  const unreadable = (error: NodeJS.ErrnoException): never => {
    const reason = error.code === 'ENOENT' ? 'no such file' : error.code === 'EISDIR' ? 'is a directory, not a file' : `cannot read: ${error.message}`;
    throw new HoptraceError(reason, { file: path });
  };
  checkInputFile(path);
  const handle = await open(path, 'r').catch(unreadable);
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0).catch(unreadable);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** The encoding a byte-order mark announces, if any. */
export function sniffBom(head: Uint8Array): { encoding: TextEncoding; bomLength: number } | undefined {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  return undefined;
}

/** Decodes the head for detection (lenient: detection must not fail on a cut multibyte char). */
export function decodeHead(head: Uint8Array, encoding?: TextEncoding): string {
  const bom = sniffBom(head);
  const chosen = encoding ?? bom?.encoding ?? 'utf-8';
  const body = bom && (encoding === undefined || encoding === bom.encoding) ? head.subarray(bom.bomLength) : head;
  return decodeWhole(decoderFor(chosen, false), body);
}

/**
 * All of `bytes` decoded, as `decoder.decode(bytes)` should give it. Node 20's TextDecoder decodes
 * Windows-1252 (and `latin1`, its label in the Encoding standard) as ISO-8859-1 when it is not
 * streaming: bytes 0x80–0x9F become control characters, € U+0080 and Š U+008A, where streaming
 * gives € and Š. Decoded as a stream and then flushed, the text is the standard's, in every
 * encoding: a mis-decoded name is a wrong figure in court.
 */
export function decodeWhole(decoder: TextDecoder, bytes: Uint8Array): string {
  return decoder.decode(bytes, { stream: true }) + decoder.decode();
}

function decoderFor(encoding: TextEncoding, fatal: boolean): TextDecoder {
  const label = encoding === 'latin1' ? 'windows-1252' : encoding;
  return new TextDecoder(label, { fatal, ignoreBOM: true });
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Bytes read at a time: 64 KiB. Readers parse a chunk's records in one batch, and everything in a
 * batch lives until its last record is stored, so V8's young-generation collections copy the
 * batch's not-yet-stored records again and again; at 1 MiB this was a fifth of a large import's
 * time (300,000 Etherscan rows: collection pauses 4.3 s → 2.1 s at 64 KiB).
 */
const CHUNK_BYTES = 1 << 16;

/**
 * Streams a file as decoded text chunks. A BOM picks the encoding and is removed; otherwise
 * `encoding` (default UTF-8) is used, strictly: a byte sequence that is not valid in it is an
 * error naming the line, because a mis-decoded name or reference is a wrong figure in court.
 */
export async function* readTextChunks(path: string, encoding?: TextEncoding, onBytes?: (bytesRead: number) => void): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  // ASCII bytes are the same characters in UTF-8 and in Windows-1252: a chunk of ASCII alone is
  // copied as it is, when the decoder holds no unfinished character of the chunk before. Most
  // exports are ASCII throughout, and the decoder took a tenth of reading a TronGrid page
  // (docs/performance.md, "Ingest against a bare pipeline"); any other chunk is decoded, strictly.
  let asciiAsIs = false;
  let decoderIdle = true;
  let line = 1;
  let bytesRead = 0;
  try {
    for await (const raw of readFileChunks(path, CHUNK_BYTES)) {
      let chunk = raw;
      bytesRead += chunk.length;
      onBytes?.(bytesRead);
      if (decoder === undefined) {
        const bom = sniffBom(chunk);
        if (bom && encoding !== undefined && encoding !== bom.encoding && !(encoding === 'utf-8' && bom.encoding === 'utf-8')) {
          throw new HoptraceError(`file starts with a ${bom.encoding} byte-order mark but ${encoding} was asked for`, { file: path, line: 1 });
        }
        const chosen = bom?.encoding ?? encoding ?? 'utf-8';
        decoder = decoderFor(chosen, true);
        asciiAsIs = chosen === 'utf-8' || chosen === 'windows-1252' || chosen === 'latin1';
        if (bom) chunk = chunk.subarray(bom.bomLength);
      }
      let text: string;
      if (asciiAsIs && decoderIdle && isAscii(chunk)) text = chunk.toString('latin1');
      else {
        try {
          text = decoder.decode(chunk, { stream: true });
        } catch {
          throw invalidEncoding(path, line + firstBadLine(chunk), encoding);
        }
        // A chunk that ends in an ASCII byte leaves no character unfinished; another may.
        if (chunk.length > 0) decoderIdle = chunk[chunk.length - 1]! < 0x80;
      }
      // UTF-16 without a byte-order mark decodes "validly" as UTF-8 with a NUL after every ASCII
      // character; no export hoptrace reads has NUL bytes, so they mean a wrong encoding.
      const nul = text.indexOf('\u0000');
      if (nul >= 0) {
        throw new HoptraceError('NUL bytes in the text: the file looks like UTF-16 without a byte-order mark, or is not text', {
          file: path,
          line: line + countNewlines(text.slice(0, nul)),
          hint: 're-export it as UTF-8',
        });
      }
      line += countNewlines(text);
      if (text.length > 0) yield text;
    }
    if (decoder === undefined) return;
    let rest: string;
    try {
      rest = decoder.decode();
    } catch {
      throw new HoptraceError('file ends inside a multi-byte character (truncated?)', { file: path, line });
    }
    if (rest.length > 0) yield rest;
  } catch (error) {
    if (error instanceof HoptraceError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new HoptraceError(code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`, { file: path });
  }
}

// The decoder does not say where it failed; re-decoding line by line finds the first bad line.
function firstBadLine(chunk: Buffer): number {
  let start = 0;
  let offset = 0;
  const strict = new TextDecoder('utf-8', { fatal: true });
  while (start < chunk.length) {
    const end = chunk.indexOf(0x0a, start);
    const stop = end < 0 ? chunk.length : end;
    try {
      strict.decode(chunk.subarray(start, stop));
    } catch {
      if (end >= 0 || stop - start > 4) return offset;
      // The chunk's last few bytes may be a character the next chunk finishes: bad only if no byte can.
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(chunk.subarray(start, stop), { stream: true });
      } catch {
        return offset;
      }
    }
    if (end < 0) break;
    start = end + 1;
    offset++;
  }
  // Every line of the chunk is valid alone: what failed is a character the chunk before left
  // unfinished, on the line this chunk starts on.
  return 0;
}

function invalidEncoding(path: string, line: number, encoding: TextEncoding | undefined): HoptraceError {
  return new HoptraceError(`bytes that are not valid ${encoding ?? 'UTF-8'}`, {
    file: path,
    line,
    hint: encoding ? 'check the file is the export you expect' : 'the file is not UTF-8 (Latin-1 or Windows-1252?): re-export it as UTF-8',
  });
}

/** Reads a whole (JSON) document as text; these formats come as bounded pages. */
export async function readWholeText(path: string, onBytes?: (bytesRead: number) => void): Promise<string> {
  let text = '';
  for await (const chunk of readTextChunks(path, undefined, onBytes)) text += chunk;
  return text;
}
