import { formatAmount } from '../model/amount.js';
import { parseAccountOption } from '../model/bankAccount.js';
import { HoptraceError, withFile } from '../model/errors.js';
import { chooseStatementReader, readBankItems, type StatementReader } from '../../adapters/bank/index.js';
import { BankLineWriter } from '../store/bankMatch.js';
import { storedBankDayOf } from '../store/bankLineRefs.js';
import { numberBankLines } from './bankOccurrences.js';
import type { Db } from '../store/caseStore.js';
import { SourceWriter } from '../store/sourceWriter.js';
import { priorImport } from './priorImport.js';
import { digestFile } from './fileDigest.js';
import type { IngestSourceResult } from './ingestSource.js';

export interface IngestBankOptions {
  /** A built-in profile name, a profile file, `camt`, `mt940…`, or `auto` (default). */
  profile?: string;
  /** The statement's own account when the file does not say it: an IBAN or BANKCODE:NUMBER. */
  account?: string;
  skipBad?: boolean;
  onBytes?: (path: string, bytesRead: number, size: number) => void;
  /** Called as each file is committed (earlier files stay stored if a later one fails). */
  onResult?: (result: IngestBankResult) => void;
}

export type IngestBankResult = IngestSourceResult & { profile: string; detected: boolean };

/**
 * `hoptrace ingest bank FILE…`: each file in its own transaction, in the order given, as
 * ingestSource does for other sources; bank lines go through BankLineWriter so that a payment in
 * both the payer's and the payee's statements is stored once.
 */
export async function ingestBankFiles(db: Db, files: readonly string[], options: IngestBankOptions = {}): Promise<IngestBankResult[]> {
  const account = options.account === undefined ? undefined : parseAccountOption(options.account);
  const results: IngestBankResult[] = [];
  for (const path of files) {
    const reader = await chooseStatementReader(path, options.profile ?? 'auto');
    const result = await ingestStatement(db, path, reader, account, options);
    const withProfile = { ...result, profile: reader.name, detected: reader.detected };
    options.onResult?.(withProfile);
    results.push(withProfile);
  }
  return results;
}

async function ingestStatement(db: Db, path: string, reader: StatementReader, account: string | undefined, options: IngestBankOptions): Promise<IngestSourceResult> {
  const { sha256, size } = await digestFile(path);
  const keyOptions = JSON.stringify({ ...(account === undefined ? {} : { account }), ...reader.keyOptions });
  const existing = priorImport(db, path, sha256, reader.adapter, keyOptions);
  if (existing) return { status: 'already-imported', path, sha256, size, existing };
  const writer = new SourceWriter(db, { path, sha256, size, adapter: reader.adapter, options: keyOptions });
  const lines = new BankLineWriter(db, writer);
  let otherSide = 0;
  try {
    const context = {
      path,
      ...(account === undefined ? {} : { account }),
      ...(options.onBytes ? { onBytes: (n: number) => options.onBytes?.(path, n, size) } : {}),
    };
    for await (const item of numberBankLines(readBankItems(reader, context), storedBankDayOf(db))) {
      switch (item.kind) {
        case 'line':
          if (lines.addLine(item.line) === 'other-side') otherSide++;
          break;
        case 'opening': {
          const { opening } = item;
          const outcome = lines.addOpeningBalance({ account: opening.account, asset: opening.currency, decimals: opening.decimals, amount: opening.amount, time: opening.time, line: opening.line });
          const figure = `${formatAmount(opening.amount, opening.decimals)} ${opening.currency}`;
          if (outcome === 'stored') writer.addNote(`opening balance of ${opening.account}: ${figure} before line ${opening.line}${opening.amount === 0n ? '' : ' (untraced money already there)'}`);
          else if (outcome === 'replaced-later') writer.addNote(`opening balance of ${opening.account}: ${figure} before line ${opening.line}, replacing a later statement's`);
          break;
        }
        case 'skipped':
          writer.addSkipped();
          break;
        case 'note':
          writer.addNote(item.message);
          break;
        case 'reject':
          if (!options.skipBad) throw new HoptraceError(item.reason, { file: path, line: item.line, hint: 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones' });
          writer.addReject(item.line, item.reason);
          break;
      }
    }
    if (otherSide > 0) writer.addNote(`${otherSide} line${otherSide === 1 ? ' is' : 's are'} the other side of payments already in the case: stored once, this file's line and reference kept beside them`);
    const summary = writer.commit();
    return { status: 'imported', path, sha256, size, ...summary };
  } catch (error) {
    writer.rollback();
    throw withFile(error, path);
  }
}
