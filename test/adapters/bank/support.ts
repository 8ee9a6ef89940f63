import { readFileSync } from 'node:fs';
import { formatAmount } from '../../../src/model/amount.js';
import { formatLocalDate } from '../../../src/model/localDate.js';
import { readCsvStatement } from '../../../adapters/bank/csvStatement.js';
import { chooseStatementReader, readBankItems } from '../../../adapters/bank/index.js';
import { findProfile } from '../../../adapters/bank/profiles.js';
import type { BankItem } from '../../../adapters/bank/bankLine.js';
import type { BankLine } from '../../../src/model/bankLine.js';
import type { StatementItem, StatementRow } from '../../../adapters/bank/statementRow.js';

/** Statement items of a file read with a built-in profile (reader level: before order and balance stages). */
export async function readWithProfile(name: string, path: string, account?: string): Promise<StatementItem[]> {
  const items: StatementItem[] = [];
  for await (const item of readCsvStatement({ path, ...(account ? { account } : {}) }, findProfile(name).profile)) items.push(item);
  return items;
}

/** Every item of the whole pipeline (lines, openings, rejects, skips, notes). */
export async function readBankFile(path: string, profile = 'auto', account?: string): Promise<BankItem[]> {
  const reader = await chooseStatementReader(path, profile);
  const items: BankItem[] = [];
  for await (const item of readBankItems(reader, { path, ...(account ? { account } : {}) })) items.push(item);
  return items;
}

export const rowsOf = (items: StatementItem[]): StatementRow[] => items.flatMap((i) => (i.kind === 'row' ? [i.row] : []));
export const linesOf = (items: BankItem[]): BankLine[] => items.flatMap((i) => (i.kind === 'line' ? [i.line] : []));
type AnyItem = StatementItem | BankItem;
export const rejectLines = (items: readonly AnyItem[]): number[] => items.flatMap((i) => (i.kind === 'reject' ? [i.line] : []));
/** The line after each running-balance gap (the line whose printed balance does not follow). */
export const gapLines = (items: readonly BankItem[]): number[] => items.flatMap((i) => (i.kind === 'gap' ? [i.gap.lineAfter] : []));
export const skippedLines = (items: readonly AnyItem[]): number[] => items.flatMap((i) => (i.kind === 'skipped' ? [i.line] : []));

/** A row as the tests compare it: line, ISO date, signed amount as a decimal string. */
export function brief(row: StatementRow): { line: number; date: string; amount: string } {
  return { line: row.line, date: formatLocalDate(row.date), amount: formatAmount(row.amount, row.decimals) };
}

export function sumOf(rows: readonly StatementRow[]): string {
  const decimals = rows[0]?.decimals ?? 2;
  return formatAmount(
    rows.reduce((s, r) => s + r.amount, 0n),
    decimals,
  );
}

/** `<STMTTRN>` amounts and dates of an expected OFX file (csv2ofx's converted/ outputs). */
export function ofxTransactions(path: string): { date: string; amount: string }[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/<STMTTRN>([\s\S]*?)<\/STMTTRN>/g)].map((m) => {
    const body = m[1]!;
    const date = /<DTPOSTED>(\d{4})(\d{2})(\d{2})/.exec(body)!;
    return { date: `${date[1]}-${date[2]}-${date[3]}`, amount: /<TRNAMT>([^<\s]+)/.exec(body)![1]! };
  });
}

/** `D` dates and `T` amounts of an expected QIF file. */
export function qifTransactions(path: string): { date: string; amount: string; number: string | undefined }[] {
  const text = readFileSync(path, 'utf8');
  const records = text.split(/^\^$/m).filter((r) => /^D/m.test(r));
  return records.map((r) => ({ date: /^D(.*)$/m.exec(r)![1]!.trim(), amount: /^T(.*)$/m.exec(r)![1]!.trim(), number: /^N(.*)$/m.exec(r)?.[1]?.trim() }));
}

/** Date, payee and the `:balance` leg (the signed statement amount) of each beancount transaction. */
export function beancountTransactions(path: string): { date: string; payee: string; amount: string }[] {
  const text = readFileSync(path, 'utf8');
  return [...text.matchAll(/^(\d{4}-\d{2}-\d{2}) \* "((?:[^"\\]|\\.)*)" "(?:[^"\\]|\\.)*"\n\s+Assets:N26:Main:balance\s+(-?[\d.]+) EUR/gm)].map((m) => ({
    date: m[1]!,
    payee: m[2]!.replace(/\\(.)/g, '$1'),
    amount: m[3]!,
  }));
}

/** Sum of decimal strings with two places, exactly (cents as bigint). */
export function sumDecimals(amounts: readonly string[]): string {
  const cents = amounts.reduce((s, a) => {
    const [whole, fraction = ''] = a.replace('-', '').split('.');
    const value = BigInt(whole! + fraction.padEnd(2, '0').slice(0, 2));
    return s + (a.startsWith('-') ? -value : value);
  }, 0n);
  return formatAmount(cents, 2);
}
