import { formatLocalDate, type LocalDate } from '../../src/model/localDate.js';
import type { StatementRow, StatementItem } from './statementRow.js';

/**
 * Exports list their lines oldest first (most) or newest first (ING, Lloyds, Schwab, N26 …).
 * The running-balance check and the order of same-day payments depend on which, so a profile
 * may say it, or leave it to `auto`: the first pair of consecutive lines whose balances follow
 * in exactly one direction decides; without balances, the first change of date does.
 */
export type KnownOrder = 'oldest-first' | 'newest-first';

/** Filled in by `decideOrder` before it lets the first line through; read by the later stages. */
export interface OrderDecision {
  order?: KnownOrder;
}

const DECISION_BUFFER = 10_000;

function compareDates(a: LocalDate, b: LocalDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function chainKey(row: StatementRow): string {
  return row.account + '\u0000' + row.currency;
}

function followsFrom(earlier: StatementRow, later: StatementRow): boolean {
  return earlier.balance !== undefined && later.balance !== undefined && later.balance === earlier.balance + later.amount - (later.fee ?? 0n);
}

/** What a pair of consecutive lines says about the order, if anything. */
function orderFromBalances(previous: StatementRow, current: StatementRow): KnownOrder | undefined {
  const oldestFirst = followsFrom(previous, current);
  const newestFirst = followsFrom(current, previous);
  if (oldestFirst && !newestFirst) return 'oldest-first';
  if (newestFirst && !oldestFirst) return 'newest-first';
  return undefined;
}

export async function* decideOrder(items: AsyncIterable<StatementItem>, declared: KnownOrder | 'auto', decision: OrderDecision): AsyncGenerator<StatementItem> {
  if (declared !== 'auto') {
    decision.order = declared;
    yield* items;
    return;
  }
  const buffered: StatementItem[] = [];
  const lastByChain = new Map<string, StatementRow>();
  let byDate: { order: KnownOrder; lines: string } | undefined;
  let hasBalances = false;
  const fallback = (): StatementItem => {
    decision.order = byDate?.order ?? 'oldest-first';
    return {
      kind: 'note',
      message: byDate ? `lines taken as ${byDate.order} from the dates of lines ${byDate.lines} (no two consecutive balances decide)` : 'lines taken as oldest-first (neither balances nor dates say)',
    };
  };
  for await (const item of items) {
    if (decision.order !== undefined) {
      yield item;
      continue;
    }
    buffered.push(item);
    if (item.kind === 'row') {
      const row = item.row;
      const key = chainKey(row);
      const previous = lastByChain.get(key);
      if (row.balance !== undefined) hasBalances = true;
      if (previous) {
        const fromBalances = orderFromBalances(previous, row);
        if (fromBalances) {
          decision.order = fromBalances;
          yield { kind: 'note', message: `lines are ${fromBalances} (from the running balances of lines ${previous.line} and ${row.line})` };
        } else if (!byDate && compareDates(previous.date, row.date) !== 0) {
          byDate = { order: compareDates(previous.date, row.date) < 0 ? 'oldest-first' : 'newest-first', lines: `${previous.line} and ${row.line}` };
          if (!hasBalances) {
            decision.order = byDate.order;
            yield { kind: 'note', message: `lines are ${byDate.order} (from the dates of lines ${byDate.lines})` };
          }
        }
      }
      lastByChain.set(key, row);
    }
    if (decision.order === undefined && buffered.length >= DECISION_BUFFER) yield fallback();
    if (decision.order !== undefined) yield* buffered.splice(0);
  }
  if (decision.order === undefined) {
    yield fallback();
    yield* buffered.splice(0);
  }
}

/**
 * Same-day lines in the order they happened: a newest-first export lists them backwards, and
 * the tracer orders same-day bank payments by the order they are stored (DESIGN: within a day,
 * statement order). Only one day's lines are held at a time.
 */
export async function* chronological<T>(items: AsyncIterable<T>, decision: OrderDecision, dateOf: (item: T) => LocalDate | undefined): AsyncGenerator<T> {
  const day: T[] = [];
  let dayKey = '';
  for await (const item of items) {
    const date = decision.order === 'newest-first' ? dateOf(item) : undefined;
    if (date === undefined) {
      yield item;
      continue;
    }
    const key = formatLocalDate(date);
    if (key !== dayKey) {
      yield* day.splice(0).reverse();
      dayKey = key;
    }
    day.push(item);
  }
  yield* day.splice(0).reverse();
}
