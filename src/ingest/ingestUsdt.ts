import { statSync } from 'node:fs';
import { AddressCache, canonicalEvmAddress, canonicalTronAddress } from '../model/address.js';
import { HoptraceError } from '../model/errors.js';
import { orWrongKind } from './fileKind.js';
import { decodeHead, readHeadBytes } from '../../adapters/common/text.js';
import type { ReadContext } from '../../adapters/types.js';
import { detectUsdtFormat, usdtAdapters, USDT_FORMATS, type UsdtFormat } from '../../adapters/usdt/index.js';
import { readBlockTimes } from '../../adapters/usdt/rpcLogs.js';
import type { TokenFilter } from '../../adapters/usdt/tokens.js';
import type { Db } from '../store/caseStore.js';
import { SourceBatch, sourceBatchFor } from '../store/sourceBatch.js';
import { EXPLORER_DEFERRABLE_INDEXES } from '../store/sourceWriter.js';
import { ingestSource, type IngestSourceParams, type IngestSourceResult } from './ingestSource.js';

export interface IngestUsdtOptions {
  format?: UsdtFormat | 'auto';
  /** `usdt` (default), `all`, or a token contract address (EVM 0x… or Tron T…). */
  token?: string;
  skipBad?: boolean;
  /** `--blocks FILE` for RPC logs without timestamps. */
  blocks?: string;
  onBytes?: (path: string, bytesRead: number, size: number) => void;
  /** Called as each file is stored (earlier files stay stored if a later one fails); in a batch, stored means it commits with the batch. */
  onResult?: (result: IngestUsdtResult) => void;
  /**
   * Called when `failed`, a file of a batch, failed after the batch began writing: the batch is
   * rolled back and its files are read and written again, each under a savepoint of its own, so
   * that the files before it are stored (their results are not reported again).
   */
  onRewrite?: (failed: string) => void;
}

export type IngestUsdtResult = IngestSourceResult & { format: UsdtFormat; detected: boolean };

export function parseTokenFilter(token: string | undefined): TokenFilter {
  if (token === undefined || token.toLowerCase() === 'usdt') return 'usdt';
  if (token.toLowerCase() === 'all') return 'all';
  if (token.startsWith('0x')) return { rail: 'ethereum', contract: canonicalEvmAddress(token) };
  return { rail: 'tron', contract: canonicalTronAddress(token) };
}

export async function resolveUsdtFormat(path: string, format: UsdtFormat | 'auto' | undefined): Promise<{ format: UsdtFormat; detected: boolean }> {
  if (format !== undefined && format !== 'auto') {
    if (!USDT_FORMATS.includes(format))
      throw new HoptraceError(`unknown format ${JSON.stringify(format)}`, { hint: `use one of ${USDT_FORMATS.join(', ')} or auto` });
    return { format, detected: false };
  }
  // A file of another kind (a bank statement, a TagPack) is named, with the command that reads it.
  return orWrongKind(path, 'usdt', 'a USDT transfer export', () => detectUsdtFile(path));
}

async function detectUsdtFile(path: string): Promise<{ format: UsdtFormat; detected: boolean }> {
  const head = decodeHead(await readHeadBytes(path));
  if (head.trim() === '') throw new HoptraceError('empty file', { file: path });
  const nul = head.indexOf('\u0000');
  if (nul >= 0) {
    throw new HoptraceError('NUL bytes in the text: the file looks like UTF-16 without a byte-order mark, or is not text', {
      file: path,
      line: head.slice(0, nul).split('\n').length,
      hint: 're-export it as UTF-8',
    });
  }
  const detected = detectUsdtFormat(head);
  if (!detected) {
    const firstLine = head.split(/\r?\n/, 1)[0] ?? '';
    const semicolons = firstLine.split(';').length - 1;
    const hint =
      semicolons > 2 && !firstLine.includes(',')
        ? 'the header is separated by ";": explorer exports use ","; re-export the file or check it is the right one'
        : `expected one of ${USDT_FORMATS.join(', ')}; give --format to say which`;
    throw new HoptraceError(`unknown format (header: ${JSON.stringify(firstLine.slice(0, 120))})`, { file: path, line: 1, hint });
  }
  return { format: detected, detected: true };
}

/**
 * `hoptrace ingest usdt FILE…`: each file a source of its own, stored whole or not at all, in the
 * order given; a failing file stops the command, the files before it stay stored. Two or more
 * files that together are large against the case are loaded in one batch (SourceBatch): when
 * every one is a file that can be read again, without a savepoint per file, and if one fails
 * after it began writing, the batch is rolled back and written again with them, so that the files
 * before it are stored as always. A file's line is reported once (docs/case-file.md, "Large imports").
 */
export async function ingestUsdtFiles(db: Db, files: readonly string[], options: IngestUsdtOptions = {}): Promise<IngestUsdtResult[]> {
  const { bytes, rereadable } = filesOnDisk(files);
  const batch = sourceBatchFor(db, files.length, bytes, { savepoints: !rereadable, deferrable: EXPLORER_DEFERRABLE_INDEXES });
  if (!batch) return ingestUsdtFilesWith((params) => ingestSource({ db, ...params }), files, options);
  if (!rereadable) return settled(await ingestBatch(db, batch, files, options));
  const reported: IngestUsdtResult[] = [];
  const first = await ingestBatch(db, batch, files, {
    ...options,
    onResult: (result) => {
      reported.push(result);
      options.onResult?.(result);
    },
  });
  if (!batch.spoiled) return settled(first);
  batch.rollback();
  // Files are read in order and each stored one reported: the one that failed is the next.
  const failed = files[reported.length];
  if (failed !== undefined) options.onRewrite?.(failed);
  // The same files into the same case, a savepoint each: a file's result is the one already
  // reported, unless the file changed meanwhile.
  let next = 0;
  return settled(
    await ingestBatch(db, new SourceBatch(db, { deferrable: EXPLORER_DEFERRABLE_INDEXES }), files, {
      ...options,
      onResult: (result) => {
        const earlier = reported[next++];
        if (earlier === undefined || resultText(earlier) !== resultText(result)) options.onResult?.(result);
      },
    }),
  );
}

type BatchOutcome = { results: IngestUsdtResult[] } | { error: unknown };

/**
 * The files written in `batch`, which is committed with the files stored before a failing one
 * (that file rolled back its own savepoint, as when each was committed alone); a spoiled batch
 * is left for the caller to roll back.
 */
async function ingestBatch(db: Db, batch: SourceBatch, files: readonly string[], options: IngestUsdtOptions): Promise<BatchOutcome> {
  let outcome: BatchOutcome;
  try {
    outcome = { results: await ingestUsdtFilesWith((params) => ingestSource({ db, ...params }, batch), files, options) };
  } catch (error) {
    outcome = { error };
  }
  if (batch.spoiled) return outcome;
  if ('error' in outcome) {
    try {
      batch.commit();
    } catch {
      batch.rollback();
    }
    return outcome;
  }
  batch.commit();
  return outcome;
}

function settled(outcome: BatchOutcome): IngestUsdtResult[] {
  if ('error' in outcome) throw outcome.error;
  return outcome.results;
}

/** A result as text, to tell whether a file read again was stored as before. */
function resultText(result: IngestUsdtResult): string {
  return JSON.stringify(result, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/**
 * The files' sizes together, and whether each is a regular file, which can be read a second time
 * (not a pipe or a device). A file that cannot be read counts 0 bytes and is not rereadable (its
 * own ingest names the problem when its turn comes).
 */
function filesOnDisk(files: readonly string[]): { bytes: number; rereadable: boolean } {
  let bytes = 0;
  let rereadable = true;
  for (const path of files) {
    try {
      const stat = statSync(path);
      bytes += stat.size;
      rereadable &&= stat.isFile();
    } catch {
      rereadable = false;
    }
  }
  return { bytes, rereadable };
}

/** The same over any backend: `ingestOne` stores one source (a case file's ingestSource, PostgreSQL's ingestSourcePg). */
export async function ingestUsdtFilesWith(
  ingestOne: (params: Omit<IngestSourceParams, 'db'>) => Promise<IngestSourceResult>,
  files: readonly string[],
  options: IngestUsdtOptions = {},
): Promise<IngestUsdtResult[]> {
  const token = parseTokenFilter(options.token);
  const blockTimes = options.blocks ? await readBlockTimes(options.blocks) : undefined;
  const addresses = new AddressCache();
  const results: IngestUsdtResult[] = [];
  for (const path of files) {
    const { format, detected } = await resolveUsdtFormat(path, options.format);
    const adapter = usdtAdapters[format];
    const readOptions = { token, ...(blockTimes ? { blockTimes } : {}) };
    const readBatches = adapter.readBatches;
    const result = await ingestOne({
      path,
      adapter: `usdt:${format}`,
      options: JSON.stringify({ token: typeof token === 'string' ? token : token.contract }),
      skipBad: options.skipBad ?? false,
      addresses,
      // Explorer exports look up only the transfers' key and the accounts while loading.
      deferIndexes: 'when-large',
      deferrable: EXPLORER_DEFERRABLE_INDEXES,
      read: (context) => adapter.read(context, readOptions),
      ...(readBatches ? { readBatches: (context: ReadContext) => readBatches.call(adapter, context, readOptions) } : {}),
      ...(options.onBytes ? { onBytes: (n: number, size: number) => options.onBytes?.(path, n, size) } : {}),
    });
    const withFormat = { ...result, format, detected };
    options.onResult?.(withFormat);
    results.push(withFormat);
  }
  return results;
}
