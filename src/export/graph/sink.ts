import { closeSync, fchmodSync, openSync, realpathSync, renameSync, rmSync, type Stats, statSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const CHUNK = 4 << 20;

/**
 * A buffered, synchronous file writer: streams large exports with bounded memory. Text is encoded
 * into one 4 MB buffer as it comes and written when full: appending to a string made a rope of
 * thousands of pieces that each write had to flatten and encode again (a quarter of a
 * 1,000,000-edge GraphML export).
 */
export class FileSink {
  private fd: number | undefined;
  private readonly buffer = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  /** The hidden file written first; undefined when the target is written in place (not a regular file). */
  private readonly partial: string | undefined;
  private readonly target: string;
  /** The permissions of the file replaced, kept by the new one. */
  private readonly mode: number | undefined;

  /**
   * Writes to a hidden file beside `path` (in `tempFolder`, when `path`'s folder is not there yet),
   * put in place by commit(): an export that fails half-way (a bad option found late, a trace of
   * another case, a full disk) leaves no half-written file, and an earlier export at `path` as it
   * was (docs/cli.md, "Errors and exit codes": nothing half-written). A symbolic link is followed
   * (the file it names is replaced, the link stays), the replaced file's permissions are kept, and
   * what is not a regular file (`/dev/stdout`, a pipe) is written in place, as a shell would.
   */
  constructor(path: string, tempFolder?: string) {
    const existing = statOrUndefined(path);
    if (existing && !existing.isFile()) {
      this.target = path;
      this.partial = undefined;
      this.mode = undefined;
      this.fd = openSync(path, 'w');
      return;
    }
    this.target = existing ? realpathSync(path) : path;
    this.mode = existing ? existing.mode & 0o7777 : undefined;
    this.partial = join(tempFolder ?? dirname(this.target), `.${basename(this.target)}.${process.pid}.partial`);
    this.fd = openSync(this.partial, 'w');
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 4 bytes for 2 units).
    if (this.used + text.length * 3 > CHUNK) {
      this.flush();
      if (text.length * 3 > CHUNK) {
        writeSync(this.open(), text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** Bytes as they are (a PDF), after what is buffered. */
  writeBytes(bytes: Uint8Array): void {
    this.flush();
    let written = 0;
    while (written < bytes.length) written += writeSync(this.open(), bytes, written, bytes.length - written);
  }

  flush(): void {
    let written = 0;
    while (written < this.used) written += writeSync(this.open(), this.buffer, written, this.used - written);
    this.used = 0;
  }

  /** The file written whole: put in place at its path. */
  commit(): void {
    this.flush();
    const fd = this.open();
    if (this.mode !== undefined) fchmodSync(fd, this.mode);
    closeSync(fd);
    this.fd = undefined;
    if (this.partial !== undefined) renameSync(this.partial, this.target);
  }

  /** The export failed: what was written goes, and the path is left as it was (written in place: what went is gone). */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    if (this.partial !== undefined) rmSync(this.partial, { force: true });
  }

  private open(): number {
    if (this.fd === undefined) throw new Error(`${this.target}: written after it was committed or discarded`);
    return this.fd;
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point
const NEEDS_ESCAPE = /[&<>"'\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

/**
 * XML text and attribute escaping; control characters XML 1.0 forbids are replaced by U+FFFD. Most
 * values (refs, amounts, times, addresses) need none: one test returns them as they are, where six
 * replacements each cost a third of a 1,000,000-edge GraphML export.
 */
export function escapeXml(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return (
    value
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the control characters XML forbids is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}
