import { createHash } from 'node:crypto';
import { nameIdent, unidentifiedIdent } from '../../src/model/bankAccount.js';
import type { BankLine } from '../../src/model/bankLine.js';
import { formatLocalDate, localMidnightUtc } from '../../src/model/localDate.js';
import type { TransferRecord } from '../../src/model/types.js';
import type { BalanceGap, CheckedItem, OpeningBalance } from './runningBalance.js';
import type { Stage } from './stage.js';
import type { StatementRow } from './statementRow.js';

export type BankItem =
  | { kind: 'line'; line: BankLine }
  | { kind: 'opening'; opening: OpeningBalance & { time: number } }
  | { kind: 'gap'; gap: BalanceGap & { timeBefore?: number; timeAfter: number } }
  | Extract<CheckedItem, { kind: 'reject' | 'skipped' | 'note' }>;

export interface BankLineOptions {
  /** Booking dates are local calendar days of this IANA zone. */
  timeZone: string;
}

/**
 * The reference of a line the bank printed none for: a hash of the account, date, amount,
 * currency and the line's content, plus how many identical lines came before it that day. The
 * same line read again — the same file, an overlapping export, another encoding of it — gets the
 * same reference, so re-importing adds nothing.
 */
export function deterministicReference(row: StatementRow, occurrence: number): string {
  return referenceFor(contentOf(row), occurrence);
}

/** What names a line without a reference: account, date, amount, currency and the line's content. */
export function contentOf(row: StatementRow): string {
  return [row.account, formatLocalDate(row.date), row.amount.toString(), row.currency, row.fingerprint].join('\u001e');
}

export function referenceFor(content: string, occurrence: number): string {
  return (
    'ht-' +
    createHash('sha256')
      .update(content + '\u001e' + String(occurrence))
      .digest('hex')
      .slice(0, 24)
  );
}

export class BankLineStage implements Stage<CheckedItem, BankItem> {
  private readonly midnights = new Map<string, number>();
  // Identical reference-less lines on one day: counted so each keeps its own reference.
  private occurrences = new Map<string, number>();
  private occurrenceDay = '';

  constructor(private readonly options: BankLineOptions) {}

  push(item: CheckedItem, out: BankItem[]): void {
    if (item.kind === 'opening') {
      out.push({ kind: 'opening', opening: { ...item.opening, time: this.timeOf(item.opening.date) } });
      return;
    }
    if (item.kind === 'gap') {
      const { gap } = item;
      out.push({ kind: 'gap', gap: { ...gap, timeAfter: this.timeOf(gap.dateAfter), ...(gap.dateBefore ? { timeBefore: this.timeOf(gap.dateBefore) } : {}) } });
      return;
    }
    if (item.kind !== 'row') {
      out.push(item);
      return;
    }
    const row = item.row;
    let reference = row.reference;
    let content: BankLine['content'];
    if (reference === undefined) {
      const day = formatLocalDate(row.date);
      if (day !== this.occurrenceDay) {
        this.occurrences = new Map();
        this.occurrenceDay = day;
      }
      const key = row.account + '\u0000' + row.amount + '\u0000' + row.fingerprint;
      const seen = this.occurrences.get(key) ?? 0;
      this.occurrences.set(key, seen + 1);
      reference = deterministicReference(row, seen);
      content = { prefix: contentOf(row), occurrence: seen };
    }
    const time = this.timeOf(row.date);
    const line = lineOf(row, reference, time, row.reference !== undefined);
    if (content) line.content = content;
    out.push({ kind: 'line', line });
    if (row.fee !== undefined && row.fee > 0n) out.push({ kind: 'line', line: feeLineOf(row, reference, time) });
  }

  end(): void {}

  private timeOf(date: StatementRow['date']): number {
    const key = formatLocalDate(date);
    let time = this.midnights.get(key);
    if (time === undefined) {
      if (this.midnights.size > 10_000) this.midnights.clear();
      time = localMidnightUtc(date, this.options.timeZone);
      this.midnights.set(key, time);
    }
    return time;
  }
}

function counterpartyOf(row: StatementRow): string {
  return row.counterpartyAccount ?? (row.counterpartyName ? nameIdent(row.counterpartyName) : undefined) ?? unidentifiedIdent(row.account);
}

function lineOf(row: StatementRow, ref: string, time: number, bankReference: boolean): BankLine {
  const counterparty = counterpartyOf(row);
  const out = row.amount < 0n;
  const own = { rail: 'bank' as const, ident: row.account };
  const other = { rail: 'bank' as const, ident: counterparty };
  const name = row.counterpartyName ?? '';
  const text = row.description ?? '';
  const description = name === '' ? text : text === '' ? name : name + ' | ' + text;
  const record: TransferRecord = {
    rail: 'bank',
    asset: row.currency,
    decimals: row.decimals,
    amount: out ? -row.amount : row.amount,
    from: out ? own : other,
    to: out ? other : own,
    time,
    ref,
    seq: row.line,
    line: row.line,
  };
  if (description !== '') record.description = description;
  const line: BankLine = { record, own: row.account, counterparty, direction: out ? 'out' : 'in', bankReference };
  if (row.accountHolder) line.ownHolder = row.accountHolder;
  if (row.bank) line.ownBank = row.bank;
  if (row.counterpartyName && (row.counterpartyAccount !== undefined || counterparty.startsWith('name:'))) line.counterpartyHolder = row.counterpartyName;
  return line;
}

// A charge beside the amount (Revolut's Fee column) is money out to the bank itself.
function feeLineOf(row: StatementRow, ref: string, time: number): BankLine {
  const bank = (row.bank ? nameIdent(row.bank) : undefined) ?? unidentifiedIdent(row.account);
  const record: TransferRecord = {
    rail: 'bank',
    asset: row.currency,
    decimals: row.decimals,
    amount: row.fee!,
    from: { rail: 'bank', ident: row.account },
    to: { rail: 'bank', ident: bank },
    time,
    ref: ref + '/fee',
    seq: row.line,
    line: row.line,
    description: 'fee' + (row.description ? ` | ${row.description}` : ''),
  };
  return {
    record,
    own: row.account,
    counterparty: bank,
    direction: 'out',
    bankReference: row.reference !== undefined,
    ...(row.bank ? { ownBank: row.bank } : {}),
  };
}
