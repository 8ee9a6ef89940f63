import { HoptraceError } from '../../model/errors.js';
import type { AccountSummary, SearchResult, TransferPage, TransferRow } from '../../model/explore.js';
import { requireAccount, selectAccountSummary, selectTransferPage, type TransferQuery } from '../../store/explore.js';
import { searchCase } from '../../store/search.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { parsePositiveInteger, parseTime } from '../parse.js';
import type { AccountCliOptions } from '../commands/account.js';
import type { SearchCliOptions } from '../commands/search.js';
import type { TransfersCliOptions } from '../commands/transfers.js';

/** `hoptrace account IDENT`: what the case knows about one account. */
export async function runAccount(globals: GlobalOptions, ident: string, options: AccountCliOptions): Promise<AccountSummary> {
  const summary = onPostgres(globals)
    ? await (await import('./postgresRead.js')).withAccountOnPg(globals, ident, selectAccountSummary)
    : await withCase(globals, (db) => selectAccountSummary(db, requireAccount(db, ident)));
  if (options.json) printJson(summary);
  else process.stdout.write(formatAccount(summary));
  return summary;
}

export function formatAccount(a: AccountSummary): string {
  const lines = [`${a.rail}:${a.ident}${a.holder ? `  ${a.holder}` : ''}${a.bank ? `  (${a.bank})` : ''}`];
  lines.push(
    `transfers ${a.transfers.in} in, ${a.transfers.out} out, ${a.transfers.counterparties}${a.transfers.counterpartiesInLatest ? `+ counterparties (in the latest ${a.transfers.counterpartiesInLatest} each way)` : ' counterparties'}   first ${a.first ?? '-'}   last ${a.last ?? '-'}`,
  );
  if (a.balances.length > 0) {
    lines.push('', 'balances:');
    for (const b of a.balances) lines.push(`  ${b.asset.padEnd(6)} opening ${b.opening}  received ${b.received}  sent ${b.sent}  balance ${b.balance}`);
  }
  if (a.tags.length > 0) {
    lines.push('', 'tags:');
    for (const t of a.tags) lines.push(`  ${t.category}: ${t.label} (confidence ${t.confidence}, ${t.origin}${t.sourcePath ? `, ${t.sourcePath}` : ''})`);
  }
  if (a.cluster) lines.push('', `cluster ${a.cluster.id} (${a.cluster.size} accounts; hoptrace cluster --explain ${a.ident})`);
  if (a.findings.length > 0) {
    lines.push('', 'findings:');
    for (const f of a.findings) lines.push(`  ${f.typology} (score ${f.score}): ${f.accounts.map((x) => x.ident).join(', ')}`);
  }
  if (a.notes.length > 0) {
    lines.push('', 'notes:');
    for (const n of a.notes) lines.push(`  ${n.createdAt}  ${n.text}`);
  }
  if (a.assertions.length > 0) {
    lines.push('', 'cluster assertions:');
    for (const s of a.assertions)
      lines.push(`  ${s.createdAt}  ${s.a} ${s.same ? 'is the same operator as' : 'is never the same operator as'} ${s.b}: ${s.reason}`);
  }
  return lines.join('\n') + '\n';
}

/** `hoptrace transfers`: transfers in time order, optionally of one account and within a period. */
export async function runTransfers(globals: GlobalOptions, options: TransfersCliOptions): Promise<TransferPage> {
  const base: Omit<TransferQuery, 'account'> = {
    ...(options.from === undefined ? {} : { from: parseTime(options.from, '--from') }),
    ...(options.to === undefined ? {} : { to: parseTime(options.to, '--to') }),
    ...(options.cursor === undefined ? {} : { cursor: options.cursor }),
    limit: parsePositiveInteger(options.limit, '--limit'),
  };
  if (base.from !== undefined && base.to !== undefined && base.from > base.to)
    throw new HoptraceError(`--from ${options.from} is after --to ${options.to}: no time is in both`, { hint: 'swap them' });
  const named = options.account;
  // On PostgreSQL a page reads its own rows: one account's history, or the page's transfers.
  const pg = onPostgres(globals) ? await import('./postgresRead.js') : undefined;
  const page = pg
    ? named !== undefined
      ? await pg.withAccountOnPg(globals, named, (db, account) => selectTransferPage(db, { ...base, account }))
      : await pg.withTransferPageOnPg(globals, base, (db) => selectTransferPage(db, base))
    : await withCase(globals, (db) => selectTransferPage(db, { ...base, ...(named === undefined ? {} : { account: requireAccount(db, named) }) }));
  if (options.json) printJson(page);
  else {
    process.stdout.write(page.transfers.map(formatTransfer).join('\n') + (page.transfers.length ? '\n' : ''));
    if (page.next) process.stderr.write(`more: add --cursor ${page.next}\n`);
  }
  return page;
}

export function formatTransfer(t: TransferRow): string {
  return `${t.time}  ${t.amount.padStart(16)} ${t.asset.padEnd(5)} ${t.from.ident} → ${t.to.ident}  ${t.ref}  (transfer:${t.id})`;
}

/** `hoptrace search TEXT`: accounts by ident prefix, holder or tag label; transfers by hash or reference. */
export async function runSearch(globals: GlobalOptions, text: string, options: SearchCliOptions): Promise<SearchResult> {
  const result = onPostgres(globals)
    ? await (await import('./postgresRead.js')).withSearchOnPg(globals, text, (db) => searchCase(db, text))
    : await withCase(globals, (db) => searchCase(db, text));
  if (options.json) printJson(result);
  else {
    const lines: string[] = [];
    for (const a of result.accounts)
      lines.push(`account  ${a.rail}:${a.ident}${a.holder ? `  ${a.holder}` : ''}${a.matched === 'tag' ? `  [tag: ${a.label}]` : ''}`);
    for (const t of result.transfers) lines.push(`transfer ${formatTransfer(t)}`);
    if (lines.length === 0) lines.push(`nothing matches ${JSON.stringify(text)}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
  return result;
}
