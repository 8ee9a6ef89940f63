import { detectFormatOfHead, looksLikeCamt, looksLikeMt940 } from '../../adapters/bank/detect.js';
import { loadBuiltinProfiles } from '../../adapters/bank/profiles.js';
import { looksLikeXlsx } from '../../adapters/bank/xlsx.js';
import { looksLikeAmlsim } from '../../adapters/amlsim/transactions.js';
import { decodeHead, readHeadBytes } from '../../adapters/common/text.js';
import { looksLikeEtherscanNormal } from '../../adapters/native/etherscanNormal.js';
import { looksLikeTronGridTransactions } from '../../adapters/native/trongridTrx.js';
import { detectTagFormat } from '../../adapters/tags/index.js';
import { detectUsdtFormat, usdtAdapters } from '../../adapters/usdt/index.js';
import { HoptraceError } from '../model/errors.js';

/**
 * "This is an Etherscan export: use `hoptrace ingest usdt`". When an ingest command cannot read a
 * file, the likeliest reason is that it was given the wrong kind of file; naming what the file
 * looks like and the command that reads it is a better answer than the list of formats the
 * command knows (DESIGN, "CLI contract": errors say what to do next).
 */
export type IngestKind = 'bank' | 'usdt' | 'tags' | 'native' | 'amlsim' | 'links';

export interface FileKind {
  kind: IngestKind;
  /** What it looks like: "an Etherscan token-transfer CSV export". */
  looksLike: string;
}

const TAG_NAMES: Record<string, string> = {
  ofac: 'an OFAC sanctions list',
  tagpack: 'a GraphSense TagPack (attribution tags)',
  csv: 'an attribution tags CSV',
};
const USDT_NAMES: Record<string, string> = {
  etherscan: 'an Etherscan token-transfer export',
  tronscan: 'a TronScan token-transfer export',
  'rpc-logs': 'an eth_getLogs answer (token transfer logs)',
  trongrid: 'a TronGrid TRC-20 transfers page',
};

/** What a file's head looks like, among the kinds hoptrace ingests (other than `except`). */
export function recogniseHead(head: Uint8Array, path: string, except: IngestKind): FileKind | undefined {
  const text = decodeHead(head);
  if (text.trim() === '' && !looksLikeXlsx(head)) return undefined;
  const kinds: (() => FileKind | undefined)[] = [
    () => {
      const format = detectUsdtFormat(text);
      return format ? { kind: 'usdt', looksLike: USDT_NAMES[format] ?? usdtAdapters[format].description } : undefined;
    },
    () =>
      looksLikeTronGridTransactions(text)
        ? { kind: 'native', looksLike: 'a TronGrid transactions page (TRX transfers)' }
        : looksLikeEtherscanNormal(text)
          ? { kind: 'native', looksLike: 'an Etherscan transactions export (ETH transfers)' }
          : undefined,
    () => {
      const format = detectTagFormat(path, text);
      return format ? { kind: 'tags', looksLike: TAG_NAMES[format] ?? 'attribution tags' } : undefined;
    },
    () => (looksLikeAmlsim(text) ? { kind: 'amlsim', looksLike: 'an AMLSim transactions file' } : undefined),
    () => (/^\uFEFF?\s*"?fiat_ref"?\s*,\s*"?crypto_ref"?/i.test(text) ? { kind: 'links', looksLike: 'a fiat-to-crypto links file' } : undefined),
    () => {
      if (looksLikeXlsx(head)) return { kind: 'bank', looksLike: 'an Excel workbook (XLSX): a bank statement?' };
      if (looksLikeCamt(text)) return { kind: 'bank', looksLike: 'a camt.05x bank statement (ISO 20022 XML)' };
      if (looksLikeMt940(text)) return { kind: 'bank', looksLike: 'an MT940 bank statement' };
      try {
        const found = detectFormatOfHead(head, loadBuiltinProfiles(), path);
        return found.kind === 'csv'
          ? { kind: 'bank', looksLike: `a bank statement (${found.profile.profile.bank}, profile ${found.profile.profile.name})` }
          : undefined;
      } catch {
        return undefined;
      }
    },
  ];
  for (const recognise of kinds) {
    let found: FileKind | undefined;
    try {
      found = recognise();
    } catch {
      found = undefined;
    }
    if (found && found.kind !== except) return found;
  }
  return undefined;
}

export async function recogniseFile(path: string, except: IngestKind): Promise<FileKind | undefined> {
  return recogniseHead(await readHeadBytes(path), path, except);
}

/** The error for a file of another kind than `expected`, or undefined when it looks like none. */
export async function wrongKindError(path: string, expected: IngestKind, what: string): Promise<HoptraceError | undefined> {
  const other = await recogniseFile(path, expected).catch(() => undefined);
  if (!other) return undefined;
  return new HoptraceError(`this looks like ${other.looksLike}, not ${what}`, { file: path, line: 1, hint: `use hoptrace ingest ${other.kind} ${path}` });
}

/**
 * Runs `read`; if it fails with a user error on a file of another kind, the error says so instead:
 * `FILE:1: this is an Etherscan token-transfer export, not a bank statement — use hoptrace ingest usdt FILE`.
 */
export async function orWrongKind<T>(path: string, expected: IngestKind, what: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (!(error instanceof HoptraceError)) throw error;
    throw (await wrongKindError(path, expected, what)) ?? error;
  }
}
