import type { BankProfile, ColumnRef } from './profile.js';

/**
 * Finding a profile's header in the first lines of a file, and its columns in that header.
 * Shared by the reader and by auto-detection, so both agree on what "this profile fits" means.
 */
export const HEADER_SEARCH_LINES = 50;

/** A header cell as profiles name columns: composed Unicode (a decomposed "Empfänger" is the same column), spaces folded, lower case. */
export function normaliseHeaderCell(cell: string): string {
  return cell
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** Splits one CSV line into cells (quotes with doubled-quote escapes); for header lines only. */
export function splitCsvLine(line: string, delimiter: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

export interface HeaderLocation {
  delimiter: string;
  /** 0-based index of the header line (header-less profiles: of the first data line). */
  lineIndex: number;
  /** Header cells as written (header-less: empty). */
  cells: string[];
  /** How many signature cells matched (auto-detection prefers the most specific profile). */
  score: number;
}

/** Where the profile's header (or first data line) is in the head of a file, if it fits at all. */
export function locateHeader(profile: BankProfile, headText: string): HeaderLocation | undefined {
  const lines = splitLines(headText);
  // The head may end mid-line: never judge the last, possibly cut, line unless it is all there is.
  const complete = lines.length > 1 ? lines.slice(0, -1) : lines;
  if (!profile.header) {
    const pattern = new RegExp(profile.linePattern ?? '^');
    let index = profile.preambleLines ?? 0;
    while (index < complete.length && complete[index]!.trim() === '') index++;
    const line = complete[index];
    if (line === undefined) return undefined;
    const delimiter = profile.delimiters.find((d) => line.includes(d)) ?? profile.delimiters[0]!;
    return pattern.test(line) ? { delimiter, lineIndex: index, cells: [], score: 1 } : undefined;
  }
  const wanted = profile.signature.map(normaliseHeaderCell);
  const first = profile.preambleLines ?? 0;
  const last = profile.preambleLines ?? Math.min(complete.length - 1, HEADER_SEARCH_LINES - 1);
  for (let index = first; index <= last && index < complete.length; index++) {
    const line = complete[index]!;
    for (const delimiter of profile.delimiters) {
      if (!line.includes(delimiter) && wanted.length > 1) continue;
      const cells = splitCsvLine(line, delimiter);
      const have = new Set(cells.map(normaliseHeaderCell));
      if (wanted.every((cell) => have.has(cell))) return { delimiter, lineIndex: index, cells, score: wanted.length };
    }
  }
  return undefined;
}

/** How many of the profile's signature cells the best line of the head has (for "nearest candidates"). */
export function signatureOverlap(profile: BankProfile, headText: string): number {
  if (!profile.header) return 0;
  const wanted = profile.signature.map(normaliseHeaderCell);
  let best = 0;
  for (const line of splitLines(headText).slice(0, HEADER_SEARCH_LINES)) {
    for (const delimiter of profile.delimiters) {
      const have = new Set(splitCsvLine(line, delimiter).map(normaliseHeaderCell));
      best = Math.max(best, wanted.filter((cell) => have.has(cell)).length);
    }
  }
  return best;
}

/** Resolves column references against a header: `Name`, `Name#2` (second of that name), or a 1-based number. */
export class ColumnIndex {
  private readonly byName = new Map<string, number[]>();

  constructor(readonly cells: readonly string[]) {
    cells.forEach((cell, index) => {
      const key = normaliseHeaderCell(cell);
      const list = this.byName.get(key);
      if (list) list.push(index);
      else this.byName.set(key, [index]);
    });
  }

  /** 0-based index, or undefined when the header has no such column. */
  find(ref: ColumnRef): number | undefined {
    if (typeof ref === 'number') return ref - 1;
    const numbered = /^(.*)#(\d+)$/.exec(ref);
    const name = normaliseHeaderCell(numbered ? numbered[1]! : ref);
    const occurrence = numbered ? Number(numbered[2]) : 1;
    return this.byName.get(name)?.[occurrence - 1];
  }
}
