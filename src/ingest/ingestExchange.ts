import { openSourceWriter, sameReading } from './priorImport.js';
import { HoptraceError, withFile } from '../model/errors.js';
import { canonicalTxid, customerAccount, exchangeBooks, exchangeTitle, railOfNetwork, type ExchangeMovement } from '../model/exchange.js';
import { canonicalEvmAddress, canonicalTronAddress } from '../model/address.js';
import type { AccountRef, TransferRecord } from '../model/types.js';
import { openLayoutText, readExchangeFile, resolveExchangeLayout } from '../../adapters/exchange/index.js';
import type { ExchangeReadOptions } from '../../adapters/exchange/types.js';
import type { Db } from '../store/caseStore.js';
import { insertMovement, matchChainTransfer, selectTransferIdByRef } from '../store/exchangeMovements.js';
import { insertLink } from '../store/links.js';
import type { SourceSummary, SourceWriter } from '../store/sourceWriter.js';
import { digestFile } from './fileDigest.js';

export interface IngestExchangeOptions extends ExchangeReadOptions {
  /** A layout name (`generic`, `binance-deposits` …) or `auto` (default). */
  profile?: string;
  skipBad?: boolean;
}

export type IngestExchangeResult =
  | ({ status: 'imported'; path: string; profile: string; detected: boolean; movements: number; matched: number; unmatched: number } & SourceSummary)
  | { status: 'already-imported'; path: string; profile: string; detected: boolean };

/** The transfer on the exchange's books a movement is: its ref names the exchange, account and chain tx. */
function movementRef(m: ExchangeMovement): string {
  const id = m.txid ?? `${m.time}:${m.amount}:${m.address ?? ''}`;
  return `${m.exchange}:${m.account}:${m.direction}:${id}`;
}

/**
 * `hoptrace ingest exchange FILE…` (docs/design.md, rule 11). Each deposit becomes a credit from
 * the exchange's books to the customer's account (`exchange:NAME:ACCOUNT`) at the credit time,
 * linked from the on-chain deposit; each withdrawal a debit to the books, linked to the on-chain
 * withdrawal, and its fee a second debit. The tracer then carries a deposit's traced money into
 * the customer's pool and out with the withdrawals, as it carries a fiat payment into the crypto an
 * OTC desk paid out. Rows the chain data in the case cannot match are stored with the reason.
 * The chain data must be in the case first: matching happens here, once.
 */
export async function ingestExchangeFiles(db: Db, files: readonly string[], options: IngestExchangeOptions = {}): Promise<IngestExchangeResult[]> {
  const results: IngestExchangeResult[] = [];
  const readOptions: ExchangeReadOptions = {
    ...(options.exchange ? { exchange: options.exchange } : {}),
    ...(options.account ? { account: options.account } : {}),
    ...(options.direction ? { direction: options.direction } : {}),
    ...(options.sheet !== undefined ? { sheet: options.sheet } : {}),
  };
  for (const path of files) {
    const resolved = await resolveExchangeLayout(path, options.profile, options.sheet);
    const { layout, detected } = resolved;
    // Opened here when the profile was given: the sheet it reads is part of the reading.
    const text = resolved.text ?? (await openLayoutText(path, layout, options.sheet));
    const sheets = text.sheet && { names: text.sheet.names, position: text.sheet.index, read: text.sheet.name, unnamed: text.sheet.unnamed };
    const { sha256, size } = await digestFile(path);
    const adapter = `exchange:${layout.name}`;
    // A workbook's sheet by name, even when --sheet named none: the source says which sheet it read.
    const storedOptions = JSON.stringify({
      exchange: options.exchange ?? null,
      account: options.account ?? null,
      direction: options.direction ?? null,
      ...(text.sheet ? { sheetName: text.sheet.name } : options.sheet !== undefined ? { sheet: options.sheet } : {}),
    });
    if (sameReading(db, sha256, adapter, storedOptions, sheets)) {
      results.push({ status: 'already-imported', path, profile: layout.name, detected });
      continue;
    }
    const writer = openSourceWriter(db, { path, sha256, size, adapter, options: storedOptions }, sheets);
    if (!writer) {
      results.push({ status: 'already-imported', path, profile: layout.name, detected });
      continue;
    }
    let movements = 0;
    let matched = 0;
    try {
      for await (const item of readExchangeFile(path, layout, readOptions, text)) {
        if (item.kind === 'skipped') writer.addSkipped();
        else if (item.kind === 'note') writer.addNote(item.message);
        else if (item.kind === 'reject') {
          if (!options.skipBad)
            throw new HoptraceError(item.reason, {
              file: path,
              line: item.line,
              hint: 'nothing from this file was stored; --skip-bad stores the good rows and records the bad ones',
            });
          writer.addReject(item.line, item.reason);
        } else {
          movements++;
          if (storeMovement(db, writer, item.record)) matched++;
        }
      }
      const summary = writer.commit();
      results.push({ status: 'imported', path, profile: layout.name, detected, movements, matched, unmatched: movements - matched, ...summary });
    } catch (error) {
      writer.rollback();
      throw withFile(error, path);
    }
  }
  return results;
}

/** Stores one movement with its book transfers, link and tags; true when it was matched on chain. */
function storeMovement(db: Db, writer: SourceWriter, m: ExchangeMovement): boolean {
  const customer = customerAccount(m.exchange, m.account);
  const books = exchangeBooks(m.exchange);
  const ref = movementRef(m);
  const base = { rail: 'exchange' as const, asset: m.asset, decimals: m.decimals, time: m.time, seq: 0, line: m.line };
  const book: TransferRecord =
    m.direction === 'deposit'
      ? { ...base, amount: m.amount, from: books, to: customer, ref, description: `deposit credited${m.network ? ` (${m.network})` : ''}` }
      : { ...base, amount: m.amount, from: customer, to: books, ref, description: `withdrawal sent${m.network ? ` (${m.network})` : ''}` };
  writer.addTransfer(book);
  if (m.fee > 0n) writer.addTransfer({ ...base, amount: m.fee, from: customer, to: books, ref: `${ref}:fee`, description: `${m.direction} fee` });
  const bookId = selectTransferIdByRef(db, 'exchange', ref, 0);
  const title = exchangeTitle(m.exchange);
  writer.addTag({
    account: books,
    category: 'exchange',
    label: `${title} (its own books: fees, and withdrawals the case does not follow on chain)`,
    origin: 'exchange return',
    confidence: 100,
    line: m.line,
  });

  const rail = railOfNetwork(m.network, m.address);
  let match: ReturnType<typeof matchChainTransfer>;
  if (m.internal !== undefined)
    match = {
      transferId: undefined,
      reason: `internal transfer ${m.direction === 'deposit' ? 'from' : 'to'} ${m.internal} on ${title}'s books: no chain transaction (that account's own return follows the money)`,
    };
  else if (rail === undefined)
    match = {
      transferId: undefined,
      reason: m.network ? `network ${m.network} is not a chain hoptrace reads (Ethereum, Tron)` : 'the row has no network or address that names a chain',
    };
  else {
    const txid = m.txid === undefined ? undefined : canonicalTxid(rail, m.txid);
    if (m.txid !== undefined && txid === undefined)
      match = { transferId: undefined, reason: `tx hash ${JSON.stringify(m.txid)} is not a ${rail} transaction hash` };
    else match = matchChainTransfer(db, rail, m, txid);
    if (m.direction === 'deposit' && m.address !== undefined) {
      const address = addressOnRail(rail, m.address);
      if (address)
        writer.addTag({
          account: address,
          category: 'exchange',
          label: `${title} deposit address (customer ${m.account})`,
          origin: 'exchange return',
          confidence: 100,
          line: m.line,
        });
    }
  }
  if (match.transferId !== undefined)
    insertLink(db, writer.sourceId, m.direction === 'deposit' ? match.transferId : bookId, m.direction === 'deposit' ? bookId : match.transferId, m.line);
  insertMovement(db, m, {
    sourceId: writer.sourceId,
    line: m.line,
    bookTransferId: bookId,
    chainTransferId: match.transferId,
    matchedBy: match.transferId !== undefined ? match.by : undefined,
    unmatchedReason: match.transferId === undefined ? match.reason : undefined,
  });
  return match.transferId !== undefined;
}

/** The deposit address as an account on its chain, when it is a valid address there. */
function addressOnRail(rail: 'ethereum' | 'tron', address: string): AccountRef | undefined {
  try {
    return { rail, ident: rail === 'ethereum' ? canonicalEvmAddress(address.trim()) : canonicalTronAddress(address.trim()) };
  } catch {
    return undefined;
  }
}
