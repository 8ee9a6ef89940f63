import { formatLocalDate } from '../../src/model/localDate.js';
import type { Stage } from './stage.js';
import type { OrderDecision } from './statementOrder.js';
import type { StatementItem, StatementRow } from './statementRow.js';

/**
 * Banks do not always list one day's lines in the order they were booked: many sort a day by
 * amount, by value date or by type, while the running balance printed on each line still follows
 * the booking order. Read as listed, such a day looks like a break in the balance chain though
 * no line is missing. When a day's lines (of one account and currency, every one with a balance)
 * contradict their balances as listed, but one order of the same lines makes every balance
 * follow, that order is used and a note says so (DESIGN, "Tracing semantics": within a day,
 * statement order — here, the order the statement's own balances imply). If no order fits, the
 * lines stay as listed and the balance check reports the gap.
 *
 * Sits between the order decision and the balance check; holds one day's items at a time.
 */
const SEARCH_BUDGET = 20_000;

interface ChainDay {
  slots: number[];
  rows: StatementRow[];
}

const chainKey = (row: StatementRow): string => row.account + '\u0000' + row.currency;
const after = (before: bigint, row: StatementRow): bigint => before + row.amount - (row.fee ?? 0n);
const before = (row: StatementRow): bigint => row.balance! - row.amount + (row.fee ?? 0n);

/** Whether rows (oldest first) follow each other, and from `opening` when it is known. */
function follows(rows: readonly StatementRow[], opening: bigint | undefined, closing: bigint | undefined): boolean {
  if (opening !== undefined && rows[0]!.balance !== after(opening, rows[0]!)) return false;
  for (let i = 1; i < rows.length; i++) if (rows[i]!.balance !== after(rows[i - 1]!.balance!, rows[i]!)) return false;
  return closing === undefined || rows[rows.length - 1]!.balance === closing;
}

/**
 * An order of `rows` (oldest first) in which every balance follows from the one before, starting
 * from `opening` when known; the first such order found by a bounded depth-first search that
 * tries the lines in their listed order (so the result is deterministic).
 */
function impliedOrder(rows: readonly StatementRow[], opening: bigint | undefined, closing: bigint | undefined): StatementRow[] | undefined {
  const used = new Array<boolean>(rows.length).fill(false);
  const path: StatementRow[] = [];
  let budget = SEARCH_BUDGET;
  const extend = (balance: bigint | undefined): boolean => {
    if (path.length === rows.length) return closing === undefined || balance === closing;
    if (--budget < 0) return false;
    for (let i = 0; i < rows.length; i++) {
      if (used[i]) continue;
      const row = rows[i]!;
      if (balance !== undefined && row.balance !== after(balance, row)) continue;
      used[i] = true;
      path.push(row);
      if (extend(row.balance)) return true;
      path.pop();
      used[i] = false;
    }
    return false;
  };
  return extend(opening) ? path : undefined;
}

function listLines(lines: readonly number[]): string {
  return lines.length <= 1 ? lines.join('') : `${lines.slice(0, -1).join(', ')} and ${lines[lines.length - 1]}`;
}

export class SameDayOrderStage implements Stage<StatementItem, StatementItem> {
  private day: StatementItem[] = [];
  private dayKey = '';
  /** Oldest-first: the balance after the last day passed on; newest-first: the balance before it. */
  private readonly edge = new Map<string, bigint | undefined>();

  constructor(private readonly decision: OrderDecision) {}

  push(item: StatementItem, out: StatementItem[]): void {
    if (item.kind === 'balance') {
      // A statement-level balance is checked against the lines before it: never move lines across it.
      this.flush(out);
      this.edge.delete(item.balance.account + '\u0000' + item.balance.currency);
      out.push(item);
      return;
    }
    if (item.kind !== 'row') {
      if (this.day.length === 0) out.push(item);
      else this.day.push(item);
      return;
    }
    const key = formatLocalDate(item.row.date);
    if (key !== this.dayKey) {
      this.flush(out);
      this.dayKey = key;
    }
    this.day.push(item);
  }

  end(out: StatementItem[]): void {
    this.flush(out);
  }

  private flush(out: StatementItem[]): void {
    const items = this.day;
    if (items.length === 0) return;
    this.day = [];
    const chains = new Map<string, ChainDay>();
    items.forEach((item, slot) => {
      if (item.kind !== 'row') return;
      const key = chainKey(item.row);
      let chain = chains.get(key);
      if (!chain) chains.set(key, (chain = { slots: [], rows: [] }));
      chain.slots.push(slot);
      chain.rows.push(item.row);
    });
    const notes: StatementItem[] = [];
    const newestFirst = this.decision.order === 'newest-first';
    for (const [key, chain] of chains) {
      const listed = newestFirst ? [...chain.rows].reverse() : chain.rows;
      const edge = this.edge.get(key);
      const opening = newestFirst ? undefined : edge;
      const closing = newestFirst ? edge : undefined;
      let chrono = listed;
      if (listed.length >= 2 && listed.every((r) => r.balance !== undefined) && !follows(listed, opening, closing)) {
        const implied = impliedOrder(listed, opening, closing);
        if (implied) {
          chrono = implied;
          const fileOrder = newestFirst ? [...implied].reverse() : implied;
          fileOrder.forEach((row, i) => (items[chain.slots[i]!] = { kind: 'row', row }));
          const first = listed[0]!;
          notes.push({
            kind: 'note',
            message: `lines ${listListed(chain.rows)} (${first.account}, ${formatLocalDate(first.date)}) are listed in an order their balances contradict: taken in the order the balances imply (${implied.map((r) => r.line).join(', ')}, oldest first); banks sort a day's lines by amount or value date`,
          });
        }
      }
      const last = chrono[chrono.length - 1]!;
      const firstInTime = chrono[0]!;
      if (newestFirst) this.edge.set(key, firstInTime.balance === undefined ? undefined : before(firstInTime));
      else this.edge.set(key, last.balance ?? (edge === undefined ? undefined : chrono.reduce((b, r) => after(b, r), edge)));
    }
    out.push(...notes, ...items);
  }
}

function listListed(rows: readonly StatementRow[]): string {
  return listLines(rows.map((r) => r.line));
}
