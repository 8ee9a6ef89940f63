import { formatAmount } from '../../src/model/amount.js';
import type { LocalDate } from '../../src/model/localDate.js';
import { runStage, type Stage } from './stage.js';
import type { OrderDecision } from './statementOrder.js';
import type { StatementBalance, StatementItem, StatementRow } from './statementRow.js';

/**
 * The running-balance check. Each line's balance must follow from the line before it in time:
 * balance = previous balance + amount − fee. A break means a missing line (a page left out of a
 * production) or an altered one. It is a gap *between* two lines, not a bad line: both lines
 * are genuine as printed, so the break is passed on as a `gap` item (the account, the line
 * before and the line after it, the net movement no line explains) and both lines go on; the
 * check continues from the later line's printed balance. The ingest decides what a gap does
 * (an error by default, recorded with `--balance gaps`). Statement-level balances (MT940
 * :60F:/:62F:, camt OPBD/CLBD) are checked the same way against the lines between them.
 *
 * The balance before the first line is the statement's opening balance: money already in the
 * account that no line explains (docs/design.md, tracing rule 3). It is passed on as an `opening` item.
 */
export interface OpeningBalance {
  account: string;
  currency: string;
  decimals: number;
  amount: bigint;
  date: LocalDate;
  line: number;
}

/** A running-balance break: money moved between two lines that no line of the statement shows. */
export interface BalanceGap {
  account: string;
  currency: string;
  decimals: number;
  /** The line just before the gap in time (absent when the gap is before the statement's first line). */
  lineBefore?: number;
  dateBefore?: LocalDate;
  /** The line just after the gap in time: the one whose printed balance does not follow. */
  lineAfter: number;
  dateAfter: LocalDate;
  /** Net movement no line explains (printed balance − expected balance), signed, minor units. */
  missing: bigint;
  /** `balance …`: what the statement prints against what the lines imply. */
  reason: string;
}

export type CheckedItem = Exclude<StatementItem, { kind: 'balance' }> | { kind: 'opening'; opening: OpeningBalance } | { kind: 'gap'; gap: BalanceGap };

interface Chain {
  /** Balance after the last line seen (oldest-first), or after the pending line (newest-first). */
  balance?: bigint;
  /** Newest-first: the line read last, checked once the line before it in time is read. */
  pending?: StatementRow;
  pendingBalance?: bigint | undefined;
  /** Oldest-first lines before the first printed balance: their net movement and the first of them. */
  unbalancedNet?: bigint;
  firstRow?: StatementRow;
  /** The last line checked (oldest-first), for gaps at a statement-level balance. */
  lastRow?: StatementRow;
}

const money = (units: bigint, decimals: number): string => formatAmount(units, decimals);

function breakReason(row: StatementRow, before: bigint, stated: bigint): string {
  const expected = before + row.amount - (row.fee ?? 0n);
  const fee = row.fee ? ` and fee ${money(row.fee, row.decimals)}` : '';
  return `balance ${money(stated, row.decimals)} ${row.currency} does not follow from the previous balance ${money(before, row.decimals)} and amount ${money(row.amount, row.decimals)}${fee} (expected ${money(expected, row.decimals)}): a missing or altered line`;
}

function gapOf(earlier: StatementRow | undefined, later: StatementRow, before: bigint, stated: bigint): BalanceGap {
  const gap: BalanceGap = {
    account: later.account,
    currency: later.currency,
    decimals: later.decimals,
    lineAfter: later.line,
    dateAfter: later.date,
    missing: stated - (before + later.amount - (later.fee ?? 0n)),
    reason: breakReason(later, before, stated),
  };
  if (earlier) {
    gap.lineBefore = earlier.line;
    gap.dateBefore = earlier.date;
  }
  return gap;
}

function openingOf(row: StatementRow, balanceAfter: bigint): OpeningBalance {
  return {
    account: row.account,
    currency: row.currency,
    decimals: row.decimals,
    amount: balanceAfter - row.amount + (row.fee ?? 0n),
    date: row.date,
    line: row.line,
  };
}

export class BalanceStage implements Stage<StatementItem, CheckedItem> {
  private readonly chains = new Map<string, Chain>();

  constructor(private readonly decision: OrderDecision) {}

  push(item: StatementItem, out: CheckedItem[]): void {
    if (item.kind === 'balance') statementBalance(item.balance, this.chainOf(item.balance.account, item.balance.currency), out);
    else if (item.kind !== 'row') out.push(item);
    else if (this.decision.order === 'newest-first') newestFirst(item.row, this.chainOf(item.row.account, item.row.currency), out);
    else oldestFirst(item.row, this.chainOf(item.row.account, item.row.currency), out);
  }

  end(out: CheckedItem[]): void {
    for (const chain of this.chains.values()) {
      const first = chain.pending;
      if (!first) continue;
      if (chain.pendingBalance !== undefined) out.push({ kind: 'opening', opening: openingOf(first, chain.pendingBalance) });
      out.push({ kind: 'row', row: first });
    }
  }

  /** The last chain asked for: a statement's lines are mostly of one account and currency. */
  private last: { account: string; currency: string; chain: Chain } | undefined;

  private chainOf(account: string, currency: string): Chain {
    const last = this.last;
    if (last !== undefined && last.account === account && last.currency === currency) return last.chain;
    const key = account + '\u0000' + currency;
    let chain = this.chains.get(key);
    if (!chain) {
      chain = {};
      this.chains.set(key, chain);
    }
    this.last = { account, currency, chain };
    return chain;
  }
}

export function checkRunningBalance(items: AsyncIterable<StatementItem>, decision: OrderDecision): AsyncGenerator<CheckedItem> {
  return runStage(items, new BalanceStage(decision));
}

function oldestFirst(row: StatementRow, chain: Chain, out: CheckedItem[]): void {
  const before = chain.balance;
  const previous = chain.lastRow;
  chain.lastRow = row;
  if (before === undefined) {
    if (row.balance !== undefined) {
      // Some exports print a balance only now and then: the opening is before the chain's first line.
      const net = chain.unbalancedNet ?? 0n;
      const first = chain.firstRow ?? row;
      const opening = openingOf(row, row.balance);
      out.push({ kind: 'opening', opening: { ...opening, amount: opening.amount - net, date: first.date, line: first.line } });
      chain.balance = row.balance;
    } else {
      chain.unbalancedNet = (chain.unbalancedNet ?? 0n) + row.amount - (row.fee ?? 0n);
      chain.firstRow ??= row;
    }
    out.push({ kind: 'row', row });
    return;
  }
  const expected = before + row.amount - (row.fee ?? 0n);
  if (row.balance !== undefined && row.balance !== expected) {
    chain.balance = row.balance;
    out.push({ kind: 'gap', gap: gapOf(previous, row, before, row.balance) });
    out.push({ kind: 'row', row });
    return;
  }
  chain.balance = row.balance ?? expected;
  out.push({ kind: 'row', row });
}

// Newest first, line k+1 is the line before line k in time: line k is checked when k+1 arrives.
function newestFirst(row: StatementRow, chain: Chain, out: CheckedItem[]): void {
  const later = chain.pending;
  const laterBalance = chain.pendingBalance;
  chain.pending = row;
  chain.pendingBalance = row.balance;
  if (!later) return;
  if (laterBalance !== undefined) {
    const impliedBefore = laterBalance - later.amount + (later.fee ?? 0n);
    if (row.balance !== undefined && row.balance !== impliedBefore) {
      out.push({ kind: 'gap', gap: gapOf(row, later, row.balance, laterBalance) });
    } else chain.pendingBalance = row.balance ?? impliedBefore;
  }
  out.push({ kind: 'row', row: later });
}

function statementBalance(balance: StatementBalance, chain: Chain, out: CheckedItem[]): void {
  const current = chain.balance;
  const printed = money(balance.amount, balance.decimals);
  if (balance.kind === 'opening') {
    if (current === undefined) {
      out.push({
        kind: 'opening',
        opening: {
          account: balance.account,
          currency: balance.currency,
          decimals: balance.decimals,
          amount: balance.amount,
          date: balance.date,
          line: balance.line,
        },
      });
    } else if (current !== balance.amount) {
      out.push({
        kind: 'gap',
        gap: statementGap(
          balance,
          chain,
          current,
          `balance: the statement opens at ${printed} ${balance.currency} but the previous one closed at ${money(current, balance.decimals)}: a missing statement?`,
        ),
      });
    }
  } else if (current !== undefined && current !== balance.amount) {
    out.push({
      kind: 'gap',
      gap: statementGap(
        balance,
        chain,
        current,
        `balance: closing balance ${printed} ${balance.currency} does not follow from the opening balance and the lines (expected ${money(current, balance.decimals)}): a missing or altered line`,
      ),
    });
  }
  chain.balance = balance.amount;
}

function statementGap(balance: StatementBalance, chain: Chain, expected: bigint, reason: string): BalanceGap {
  const gap: BalanceGap = {
    account: balance.account,
    currency: balance.currency,
    decimals: balance.decimals,
    lineAfter: balance.line,
    dateAfter: balance.date,
    missing: balance.amount - expected,
    reason,
  };
  if (chain.lastRow) {
    gap.lineBefore = chain.lastRow.line;
    gap.dateBefore = chain.lastRow.date;
  }
  return gap;
}
