import { checkInputFiles } from '../inputFiles.js';
import { ingestExchangeFiles, type IngestExchangeOptions, type IngestExchangeResult } from '../../ingest/ingestExchange.js';
import type { Db } from '../../store/caseStore.js';
import { selectMovements } from '../../store/exchangeMovements.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { ExchangeMovementsCliOptions } from '../commands/exchangeMovements.js';
import type { IngestExchangeCliOptions } from '../commands/ingestExchange.js';

export async function runIngestExchange(globals: GlobalOptions, files: string[], options: IngestExchangeCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestExchangePg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      const results = await ingestExchangeFiles(db, files, exchangeOptions(options));
      if (!options.quiet) for (const result of results) process.stderr.write(describeExchangeIngest(result) + '\n');
    },
    'import',
  );
}

export function exchangeOptions(options: IngestExchangeCliOptions): IngestExchangeOptions {
  return {
    profile: options.profile,
    skipBad: options.skipBad,
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.account ? { account: options.account } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
  };
}

export function describeExchangeIngest(result: IngestExchangeResult): string {
  const profile = `profile ${result.profile}${result.detected ? ' (detected)' : ''}`;
  if (result.status === 'already-imported') return `${result.path}: ${profile}: already imported: nothing added`;
  const parts = [`${result.movements} deposits and withdrawals`, `${result.matched} matched on chain`];
  if (result.unmatched) parts.push(`${result.unmatched} unmatched (hoptrace exchange-movements --unmatched)`);
  if (result.skipped) parts.push(`${result.skipped} skipped (other assets, rows not completed, trades)`);
  if (result.rejected) parts.push(`${result.rejected} rejected (see hoptrace info)`);
  return `${result.path}: ${profile}: ${parts.join(', ')}${result.notes.map((note) => `\n  note: ${note}`).join('')}`;
}

export async function runExchangeMovements(globals: GlobalOptions, options: ExchangeMovementsCliOptions): Promise<void> {
  const print = (db: Db) => {
    const rows = selectMovements(db).filter((m) => !options.unmatched || m.chainTransfer === null);
    if (options.json) return printJson(rows);
    for (const m of rows) {
      const where = m.chainTransfer === null ? `unmatched: ${m.unmatchedReason}` : `matched by ${m.matchedBy} (transfer:${m.chainTransfer})`;
      process.stdout.write(
        `${m.time}  ${m.exchange}:${m.account}  ${m.direction.padEnd(10)} ${m.amount} ${m.asset}${m.network ? ` ${m.network}` : ''}  ${m.txid ?? '-'}  ${where}  (${m.source.path}:${m.source.line})\n`,
      );
    }
    if (rows.length === 0) process.stdout.write(options.unmatched ? 'every deposit and withdrawal is matched on chain\n' : 'no exchange returns in the case\n');
  };
  // On PostgreSQL only the movements and sources are read (src/store/pg/tagWorkingSet.ts), not the whole case.
  if (onPostgres(globals)) await (await import('./postgresRead.js')).withMovementsOnPg(globals, print);
  else await withCase(globals, print);
}
