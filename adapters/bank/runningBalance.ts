import { formatAmount } from '../../src/model/amount.js';
import type { LocalDate } from '../../src/model/localDate.js';
import type { OrderDecision } from './statementOrder.js';
import type { StatementBalance, StatementItem, StatementRow } from './statementRow.js';

/**
 * The running-balance check. Each line's balance must follow from the line before it in time:
 * balance = previous balance + amount − fee. A break means a missing line (a page left out of a
 * production) or an altered one, and is reported on the later line of the pair as
 * `balance …`; that line is rejected (the import fails unless --skip-bad) and the check goes
 * on from its printed balance, so one gap costs one line. Statement-level balances (MT940
 * :60F:/:62F:, camt OPBD/CLBD) are checked the same way against the lines between them.
 *
 * The balance before the first line is the statement's opening balance: money already in the
 * account that no line explains (DESIGN, tracing rule 3). It is passed on as an `opening` item.
 */
export interface OpeningBalance {
  account: string;
  currency: string;
  decimals: number;
  amount: bigint;
  date: LocalDate;
  line: number;
}

export type CheckedItem = Exclude<StatementItem, { kind: 'balance' }> | { kind: 'opening'; opening: OpeningBalance };

interface Chain {
  /** Balance after the last line seen (oldest-first), or after the pending line (newest-first). */
  balance?: bigint;
  /** Newest-first: the line read last, checked once the line before it in time is read. */
  pending?: StatementRow;
  pendingBalance?: bigint | undefined;
  /** Oldest-first lines before the first printed balance: their net movement and the first of them. */
  unbalancedNet?: bigint;
  firstRow?: StatementRow;
}

const money = (units: bigint, decimals: number): string => formatAmount(units, decimals);

function breakReason(row: StatementRow, before: bigint, stated: bigint): string {
  const expected = before + row.amount - (row.fee ?? 0n);
  const fee = row.fee ? ` and fee ${money(row.fee, row.decimals)}` : '';
  return `balance ${money(stated, row.decimals)} ${row.currency} does not follow from the previous balance ${money(before, row.decimals)} and amount ${money(row.amount, row.decimals)}${fee} (expected ${money(expected, row.decimals)}): a missing or altered line`;
}

function openingOf(row: StatementRow, balanceAfter: bigint): OpeningBalance {
  return { account: row.account, currency: row.currency, decimals: row.decimals, amount: balanceAfter - row.amount + (row.fee ?? 0n), date: row.date, line: row.line };
}

export async function* checkRunningBalance(items: AsyncIterable<StatementItem>, decision: OrderDecision): AsyncGenerator<CheckedItem> {
  const chains = new Map<string, Chain>();
  const chainOf = (account: string, currency: string): Chain => {
    const key = account + '\u0000' + currency;
    let chain = chains.get(key);
    if (!chain) chains.set(key, (chain = {}));
    return chain;
  };
  for await (const item of items) {
    if (item.kind === 'balance') {
      yield* statementBalance(item.balance, chainOf(item.balance.account, item.balance.currency));
    } else if (item.kind !== 'row') {
      yield item;
    } else if (decision.order === 'newest-first') {
      yield* newestFirst(item.row, chainOf(item.row.account, item.row.currency));
    } else {
      yield* oldestFirst(item.row, chainOf(item.row.account, item.row.currency));
    }
  }
  for (const chain of chains.values()) {
    const first = chain.pending;
    if (!first) continue;
    if (chain.pendingBalance !== undefined) yield { kind: 'opening', opening: openingOf(first, chain.pendingBalance) };
    yield { kind: 'row', row: first };
  }
}

function* oldestFirst(row: StatementRow, chain: Chain): Generator<CheckedItem> {
  const before = chain.balance;
  if (before === undefined) {
    if (row.balance !== undefined) {
      // Some exports print a balance only now and then: the opening is before the chain's first line.
      const net = chain.unbalancedNet ?? 0n;
      const first = chain.firstRow ?? row;
      const opening = openingOf(row, row.balance);
      yield { kind: 'opening', opening: { ...opening, amount: opening.amount - net, date: first.date, line: first.line } };
      chain.balance = row.balance;
    } else {
      chain.unbalancedNet = (chain.unbalancedNet ?? 0n) + row.amount - (row.fee ?? 0n);
      chain.firstRow ??= row;
    }
    yield { kind: 'row', row };
    return;
  }
  const expected = before + row.amount - (row.fee ?? 0n);
  if (row.balance !== undefined && row.balance !== expected) {
    chain.balance = row.balance;
    yield { kind: 'reject', line: row.line, reason: breakReason(row, before, row.balance) };
    return;
  }
  chain.balance = row.balance ?? expected;
  yield { kind: 'row', row };
}

// Newest first, line k+1 is the line before line k in time: line k is checked when k+1 arrives.
function* newestFirst(row: StatementRow, chain: Chain): Generator<CheckedItem> {
  const later = chain.pending;
  const laterBalance = chain.pendingBalance;
  chain.pending = row;
  chain.pendingBalance = row.balance;
  if (!later) return;
  if (laterBalance !== undefined) {
    const impliedBefore = laterBalance - later.amount + (later.fee ?? 0n);
    if (row.balance !== undefined && row.balance !== impliedBefore) {
      yield { kind: 'reject', line: later.line, reason: breakReason(later, row.balance, laterBalance) };
      return;
    }
    chain.pendingBalance = row.balance ?? impliedBefore;
  }
  yield { kind: 'row', row: later };
}

function* statementBalance(balance: StatementBalance, chain: Chain): Generator<CheckedItem> {
  const current = chain.balance;
  const printed = money(balance.amount, balance.decimals);
  if (balance.kind === 'opening') {
    if (current === undefined) {
      yield { kind: 'opening', opening: { account: balance.account, currency: balance.currency, decimals: balance.decimals, amount: balance.amount, date: balance.date, line: balance.line } };
    } else if (current !== balance.amount) {
      yield { kind: 'reject', line: balance.line, reason: `balance: the statement opens at ${printed} ${balance.currency} but the previous one closed at ${money(current, balance.decimals)}: a missing statement?` };
    }
  } else if (current !== undefined && current !== balance.amount) {
    yield { kind: 'reject', line: balance.line, reason: `balance: closing balance ${printed} ${balance.currency} does not follow from the opening balance and the lines (expected ${money(current, balance.decimals)}): a missing or altered line` };
  }
  chain.balance = balance.amount;
}
