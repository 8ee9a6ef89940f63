import { HoptraceError } from '../model/errors.js';
import { wrongKindError } from './fileKind.js';
import { decodeHead, readHeadBytes } from '../../adapters/common/text.js';
import { looksLikeEtherscanNormal, readEtherscanNormal } from '../../adapters/native/etherscanNormal.js';
import { looksLikeTronGridTransactions, readTronGridTransactions } from '../../adapters/native/trongridTrx.js';
import type { Db } from '../store/caseStore.js';
import { ingestSource, type IngestSourceParams, type IngestSourceResult } from './ingestSource.js';

export type NativeFormat = 'etherscan-normal' | 'trongrid-trx';
export type IngestNativeResult = IngestSourceResult & { format: NativeFormat };

/**
 * `hoptrace ingest native FILE…`: TRX and ETH transfers, which show who paid each wallet's fees
 * (the common-funder clustering heuristic reads them). Each file one source, one transaction.
 */
export async function ingestNativeFiles(db: Db, files: readonly string[], options: IngestNativeOptions = {}): Promise<IngestNativeResult[]> {
  return ingestNativeFilesWith((params) => ingestSource({ db, ...params }), files, options);
}

export interface IngestNativeOptions {
  skipBad?: boolean;
  onResult?: (r: IngestNativeResult) => void;
}

/** ingestNativeFiles with the backend's source import (ingestSource on a case file, ingestSourcePg on PostgreSQL). */
export async function ingestNativeFilesWith(
  ingestOne: (params: Omit<IngestSourceParams, 'db'>) => Promise<IngestSourceResult>,
  files: readonly string[],
  options: IngestNativeOptions = {},
): Promise<IngestNativeResult[]> {
  const results: IngestNativeResult[] = [];
  for (const path of files) {
    const head = decodeHead(await readHeadBytes(path));
    if (head.trim() === '') throw new HoptraceError('empty file', { file: path });
    const format: NativeFormat | undefined = looksLikeTronGridTransactions(head)
      ? 'trongrid-trx'
      : looksLikeEtherscanNormal(head)
        ? 'etherscan-normal'
        : undefined;
    if (!format)
      throw (
        (await wrongKindError(path, 'native', 'a native-coin (TRX/ETH) transactions export')) ??
        new HoptraceError('unknown native-coin format', {
          file: path,
          line: 1,
          hint: 'expected a TronGrid /v1/accounts/{addr}/transactions page or an Etherscan transactions CSV export',
        })
      );
    const result = await ingestOne({
      path,
      adapter: `native:${format}`,
      options: '{}',
      skipBad: options.skipBad ?? false,
      read: (context) => (format === 'trongrid-trx' ? readTronGridTransactions(context) : readEtherscanNormal(context)),
    });
    const withFormat = { ...result, format };
    options.onResult?.(withFormat);
    results.push(withFormat);
  }
  return results;
}
