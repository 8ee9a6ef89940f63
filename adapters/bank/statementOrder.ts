import { formatLocalDate, type LocalDate } from '../../src/model/localDate.js';
import { runStage, type Stage } from './stage.js';
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

/** Holds lines back until their order is known (a profile's `order`, or `auto`), then lets everything through. */
export class OrderStage implements Stage<StatementItem, StatementItem> {
  private readonly buffered: StatementItem[] = [];
  private readonly lastByChain = new Map<string, StatementRow>();
  private byDate: { order: KnownOrder; lines: string } | undefined;
  /** Same-day balances decide only when nothing else does: banks sort a day's lines (SameDayOrderStage). */
  private bySameDay: { order: KnownOrder; lines: string } | undefined;
  private hasBalances = false;

  constructor(
    declared: KnownOrder | 'auto',
    private readonly decision: OrderDecision,
  ) {
    if (declared !== 'auto') decision.order = declared;
  }

  push(item: StatementItem, out: StatementItem[]): void {
    if (this.decision.order !== undefined) {
      out.push(item);
      return;
    }
    this.buffered.push(item);
    if (item.kind === 'row') this.learn(item.row, out);
    if (this.decision.order === undefined && this.buffered.length >= DECISION_BUFFER) out.push(this.fallback());
    if (this.decision.order !== undefined) out.push(...this.buffered.splice(0));
  }

  end(out: StatementItem[]): void {
    if (this.decision.order !== undefined) return;
    out.push(this.fallback());
    out.push(...this.buffered.splice(0));
  }

  private learn(row: StatementRow, out: StatementItem[]): void {
    const key = chainKey(row);
    const previous = this.lastByChain.get(key);
    if (row.balance !== undefined) this.hasBalances = true;
    this.lastByChain.set(key, row);
    if (!previous) return;
    const fromBalances = orderFromBalances(previous, row);
    if (fromBalances && compareDates(previous.date, row.date) === 0) {
      this.bySameDay ??= { order: fromBalances, lines: `${previous.line} and ${row.line}` };
    } else if (fromBalances) {
      this.decision.order = fromBalances;
      out.push({ kind: 'note', message: `lines are ${fromBalances} (from the running balances of lines ${previous.line} and ${row.line})` });
    } else if (!this.byDate && compareDates(previous.date, row.date) !== 0) {
      this.byDate = { order: compareDates(previous.date, row.date) < 0 ? 'oldest-first' : 'newest-first', lines: `${previous.line} and ${row.line}` };
      if (!this.hasBalances) {
        this.decision.order = this.byDate.order;
        out.push({ kind: 'note', message: `lines are ${this.byDate.order} (from the dates of lines ${this.byDate.lines})` });
      }
    }
  }

  private fallback(): StatementItem {
    const byDate = this.byDate;
    const bySameDay = this.bySameDay;
    this.decision.order = byDate?.order ?? bySameDay?.order ?? 'oldest-first';
    return {
      kind: 'note',
      message: byDate
        ? `lines taken as ${byDate.order} from the dates of lines ${byDate.lines} (no two consecutive balances of different days decide)`
        : bySameDay
          ? `lines are ${bySameDay.order} (from the running balances of lines ${bySameDay.lines})`
          : 'lines taken as oldest-first (neither balances nor dates say)',
    };
  }
}

export function decideOrder(items: AsyncIterable<StatementItem>, declared: KnownOrder | 'auto', decision: OrderDecision): AsyncGenerator<StatementItem> {
  return runStage(items, new OrderStage(declared, decision));
}

/**
 * Same-day lines in the order they happened: a newest-first export lists them backwards, and
 * the tracer orders same-day bank payments by the order they are stored (docs/design.md rule 1:
 * within a day, statement order). Only one day's lines are held at a time.
 */
export class ChronologicalStage<T> implements Stage<T, T> {
  private readonly day: T[] = [];
  private dayKey = '';

  constructor(
    private readonly decision: OrderDecision,
    private readonly dateOf: (item: T) => LocalDate | undefined,
  ) {}

  push(item: T, out: T[]): void {
    const date = this.decision.order === 'newest-first' ? this.dateOf(item) : undefined;
    if (date === undefined) {
      out.push(item);
      return;
    }
    const key = formatLocalDate(date);
    if (key !== this.dayKey) {
      out.push(...this.day.splice(0).reverse());
      this.dayKey = key;
    }
    this.day.push(item);
  }

  end(out: T[]): void {
    out.push(...this.day.splice(0).reverse());
  }
}
