import { referenceFor } from '../../adapters/bank/bankLine.js';
import type { BankItem } from '../../adapters/bank/bankLine.js';
import type { StoredBankDay } from '../store/bankLineRefs.js';
import { flattenBatches, singletonBatches } from '../../adapters/bank/stage.js';

/** What the case holds of one account's day; `recurring`: the day came earlier in this file too. */
type StoredBankDayLookup = (own: string, time: number, contents: ReadonlyMap<string, number>, recurring: boolean) => StoredBankDay;
/** Whether the case holds none of the account's lines of that day, whatever they are (StoredBankDays.holdsNone). */
type HoldsNone = (own: string, time: number, recurring: boolean) => boolean;

/**
 * Bank lines without a bank reference are named by their content and their occurrence among
 * identical lines of the day (adapters/bank/bankLine.ts). As for AMLSim rows
 * (contentOccurrences.ts), each account's day of a file is compared as a whole with what the case
 * holds of it: the file holds all the stored lines of that day, or the case all of the file's —
 * the same lines, a line repeated k times adds max(0, k − stored); neither — different pieces of
 * the day (a statement cut inside it), every line new. A running balance in the line's content
 * already tells identical lines apart; this decides for statements without one
 * (docs/case-file.md, "Rows without a reference").
 *
 * A day is gathered — its lines and every item after them held until the day ends — only where
 * the case may hold some of it (`holdsNone` says not: a new account's day that has not come
 * before in the file, the usual first statement of an account). Such a day keeps the numbers the
 * lines were read with, so its items pass on as they come: a statement with a few reference-less
 * lines is not held in memory from one of them to the next. `holdsNone` is asked when the day's
 * first line comes, with everything before it stored: what the case holds then is what it holds
 * when the day ends, since nothing is stored in between.
 */
export function numberBankLines(items: AsyncIterable<BankItem>, stored: StoredBankDayLookup, holdsNone?: HoldsNone): AsyncGenerator<BankItem> {
  return flattenBatches(numberBankLineBatches(singletonBatches(items), stored, holdsNone));
}

/**
 * numberBankLines over batches (readBankItemBatches). The case is asked about a day only once
 * every item before it has been passed on — and so stored, since the consumer takes a batch
 * whole before asking for the next — as when the items went one at a time.
 */
export async function* numberBankLineBatches(
  batches: AsyncIterable<readonly BankItem[]>,
  stored: StoredBankDayLookup,
  holdsNone?: HoldsNone,
): AsyncGenerator<BankItem[]> {
  let out: BankItem[] = [];
  let buffer: BankItem[] = [];
  let day: string | undefined;
  /** The day being read is one the case holds none of: its items are not held. */
  let passing = false;
  const flushed = new Set<string>();
  const endDay = (): void => {
    if (day === undefined) return;
    if (!passing) {
      renumber(buffer, stored, flushed.has(day));
      for (const item of buffer) out.push(item);
      buffer = [];
    }
    flushed.add(day);
    day = undefined;
    passing = false;
  };
  for await (const batch of batches) {
    for (const item of batch) {
      if (item.kind === 'line' && item.line.content) {
        const itemDay = `${item.line.own}\u0000${item.line.record.time}`;
        if (day !== undefined && itemDay !== day) endDay();
        if (day === undefined) {
          if (out.length > 0) {
            yield out;
            out = [];
          }
          passing = holdsNone?.(item.line.own, item.line.record.time, flushed.has(itemDay)) ?? false;
        }
        day = itemDay;
      } else if (day === undefined) {
        // No day is being gathered: the item passes on as it comes (a statement whose lines all
        // carry a bank reference is never held in memory).
        out.push(item);
        continue;
      }
      if (passing) out.push(item);
      else buffer.push(item);
    }
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  endDay();
  if (out.length > 0) yield out;
}

function renumber(buffer: BankItem[], stored: StoredBankDayLookup, recurring: boolean): void {
  const lines = buffer.flatMap((item) => (item.kind === 'line' && item.line.content ? [item.line] : []));
  const first = lines[0];
  if (!first) return;
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line.content!.prefix, (counts.get(line.content!.prefix) ?? 0) + 1);
  const day = stored(first.own, first.record.time, counts, recurring);
  if (day.total === 0 && day.occurrences.size === 0) return;
  let matched = 0;
  let subset = true;
  for (const [content, n] of counts) {
    const s = day.occurrences.get(content)?.length ?? 0;
    matched += Math.min(n, s);
    if (n > s) subset = false;
  }
  // matched can exceed the day's total when a merged payment carries the other side's booking day.
  const same = !recurring && (matched >= day.total || subset);
  const next = new Map<string, number>();
  const renamed = new Map<string, string>();
  for (const line of lines) {
    const content = line.content!;
    const i = next.get(content.prefix) ?? 0;
    next.set(content.prefix, i + 1);
    const seqs = day.occurrences.get(content.prefix) ?? [];
    const after = seqs.length === 0 ? 0 : seqs[seqs.length - 1]! + 1;
    const occurrence = same && i < seqs.length ? seqs[i]! : same ? after + (i - seqs.length) : after + i;
    if (occurrence === content.occurrence) continue;
    const ref = referenceFor(content.prefix, occurrence);
    renamed.set(line.record.ref, ref);
    line.content = { prefix: content.prefix, occurrence };
    line.record = { ...line.record, ref };
  }
  if (renamed.size === 0) return;
  // A fee beside a line (Revolut) carries the line's reference with /fee.
  for (const item of buffer) {
    if (item.kind !== 'line' || item.line.content || !item.line.record.ref.endsWith('/fee')) continue;
    const base = renamed.get(item.line.record.ref.slice(0, -'/fee'.length));
    if (base !== undefined) item.line.record = { ...item.line.record, ref: base + '/fee' };
  }
}
