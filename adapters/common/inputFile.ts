import { statSync } from 'node:fs';
import { HoptraceError } from '../../src/model/errors.js';

/**
 * Refuses an input that is not a regular file, before it is opened. hoptrace reads an input more
 * than once — its first bytes for the format, its SHA-256 for the exhibit list, then its rows — and
 * only a file gives the same bytes each time: a pipe (`/dev/stdin`, `<(…)`, mkfifo) is used up by
 * the first read, and opening it again waits for a writer that never comes (before, the command
 * hung). A missing file or a folder is left to the open, which says so.
 */
export function checkInputFile(path: string): void {
  let kind: string;
  try {
    const stat = statSync(path);
    if (stat.isFile() || stat.isDirectory()) return;
    kind = stat.isFIFO() ? 'a pipe' : stat.isSocket() ? 'a socket' : stat.isCharacterDevice() || stat.isBlockDevice() ? 'a device' : 'a special file';
  } catch {
    return;
  }
  throw new HoptraceError(`is ${kind}, not a file: hoptrace reads an input more than once (its format, its SHA-256, its rows)`, {
    file: path,
    hint: 'save it to a file and give that file',
  });
}
