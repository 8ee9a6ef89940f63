import type { ReadItem } from '../../adapters/types.js';
import type { TransferRecord } from '../model/types.js';

/**
 * Rows that carry no reference (AMLSim transactions; see docs/case-file.md, "Rows without a
 * reference") are named by what they say, and identical rows of one day by an occurrence number
 * (`seq`). Which number a row gets decides whether it is new or already in the case, and a count
 * within one file cannot decide that across files: a file cut in two at a line between identical
 * rows gives part 2's first one the number part 1's already has, and the row was lost.
 *
 * So each day of a file is compared, as a whole, with the rows of that day already in the case:
 *
 * - the file holds every stored row of the day (as many times or more: a re-export, an overlap,
 *   the whole file after its parts), or the stored rows hold every row of the file's day (a part
 *   of what is stored): the same rows — identical row i of the file is stored identical row i,
 *   and a day that repeats a row k times adds max(0, k − stored) of them;
 * - neither holds the other: the file and the case hold different pieces of the day (a file cut
 *   inside it) — every row of the file's day is new, numbered after the stored ones.
 *
 * What stays ambiguous: two files that each hold part of one day and share some of its rows
 * (neither holds the other) are taken as pieces, so the shared rows are stored twice; `sources`
 * and `remove-source` let the user see and undo it. A file whose days are not grouped (a day
 * coming back after another) numbers the later rows of that day after everything stored.
 */
export interface StoredDay {
  /** Stored occurrence numbers (`seq`) of each row content (`ref`) on that day. */
  seqs: Map<string, number[]>;
}

/** Which day a transfer belongs to, and what names it (its content). */
type DayOf = (record: TransferRecord) => number;

export async function* numberContentRows(items: AsyncIterable<ReadItem>, dayOf: DayOf, stored: (day: number) => StoredDay): AsyncGenerator<ReadItem> {
  let buffer: ReadItem[] = [];
  let day: number | undefined;
  const flushed = new Set<number>();
  const flush = function* (): Generator<ReadItem> {
    if (day !== undefined) renumber(buffer, stored(day), flushed.has(day));
    if (day !== undefined) flushed.add(day);
    yield* buffer;
    buffer = [];
  };
  for await (const item of items) {
    if (item.kind === 'transfer') {
      const itemDay = dayOf(item.record);
      if (day !== undefined && itemDay !== day) yield* flush();
      day = itemDay;
    }
    buffer.push(item);
  }
  yield* flush();
}

function renumber(buffer: ReadItem[], stored: StoredDay, recurring: boolean): void {
  const counts = new Map<string, number>();
  for (const item of buffer) if (item.kind === 'transfer') counts.set(item.record.ref, (counts.get(item.record.ref) ?? 0) + 1);
  const same = !recurring && (holds(counts, stored.seqs, (n, s) => n >= s) || holds(counts, stored.seqs, (n, s) => n <= s));
  const next = new Map<string, number>();
  for (const item of buffer) {
    if (item.kind !== 'transfer') continue;
    const ref = item.record.ref;
    const i = next.get(ref) ?? 0;
    next.set(ref, i + 1);
    const seqs = stored.seqs.get(ref) ?? [];
    const after = seqs.length === 0 ? 0 : seqs[seqs.length - 1]! + 1;
    const seq = same && i < seqs.length ? seqs[i]! : same ? after + (i - seqs.length) : after + i;
    // In place: the adapter made this record for this row alone.
    item.record.seq = seq;
  }
}

/** Whether `compare(new count, stored count)` holds for every content on either side. */
function holds(counts: Map<string, number>, seqs: Map<string, number[]>, compare: (n: number, s: number) => boolean): boolean {
  for (const [ref, n] of counts) if (!compare(n, seqs.get(ref)?.length ?? 0)) return false;
  for (const [ref, s] of seqs) if (!counts.has(ref) && !compare(0, s.length)) return false;
  return true;
}
