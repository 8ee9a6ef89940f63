import { accountSeedIdents } from '../model/accountSeed.js';
import { HoptraceError } from '../model/errors.js';
import type { TransferDetails } from '../model/trace.js';
import { toNumber, type Db } from './caseStore.js';
import { lookupByIds } from './idLookup.js';

/**
 * Resolves the ways a user names transfers (docs/design.md, "A SEED is …"): `transfer:ID`, a transaction
 * hash with an optional `:logIndex` (or `:seq`), a bank reference (either side's, see
 * transfer_refs), or `account:IDENT` (every outgoing payment of that account).
 */
export function resolveTransferIds(db: Db, text: string): number[] {
  const value = text.trim();
  const ids = (rows: unknown[]): number[] => [...new Set(rows.map((id) => toNumber(id)))].sort((a, b) => a - b);
  if (value.startsWith('transfer:')) {
    const id = value.slice('transfer:'.length);
    if (!/^\d+$/.test(id)) throw new HoptraceError(`${JSON.stringify(value)}: transfer:ID takes a number`);
    return ids(db.prepare('SELECT id FROM transfers WHERE id = ?').pluck().all(Number(id)));
  }
  if (value.startsWith('account:')) {
    const accountIds = accountIdsFor(db, value.slice('account:'.length));
    if (accountIds.length === 0) return [];
    return ids(
      db
        .prepare(`SELECT id FROM transfers WHERE from_id IN (${accountIds.map(() => '?').join(',')}) ORDER BY time, id`)
        .pluck()
        .all(...accountIds),
    );
  }
  const hash = /^(?:0x)?([0-9a-fA-F]{64})(?::(\d+))?$/.exec(value);
  if (hash) {
    const hex = hash[1]!.toLowerCase();
    const index = hash[2];
    const rows = db
      .prepare(`SELECT id FROM transfers WHERE ((rail = 'ethereum' AND ref = ?) OR (rail = 'tron' AND ref = ?)) AND (? IS NULL OR log_index = ? OR seq = ?)`)
      .pluck()
      .all('0x' + hex, hex, index ?? null, index ?? null, index ?? null);
    if (rows.length > 0) return ids(rows);
  }
  // Per rail, so the lookup uses the (rail, ref, seq) index instead of scanning every transfer.
  const byRef = db.prepare('SELECT id FROM transfers WHERE rail = ? AND ref = ?').pluck();
  return ids([
    ...byRef.all('bank', value),
    ...byRef.all('ethereum', value),
    ...byRef.all('tron', value),
    ...db.prepare('SELECT transfer_id FROM transfer_refs WHERE ref = ?').pluck().all(value),
  ]);
}

function accountIdsFor(db: Db, ident: string): number[] {
  const { rail, idents } = accountSeedIdents(ident);
  return db
    .prepare(`SELECT id FROM accounts WHERE ident IN (${idents.map(() => '?').join(',')}) AND (? IS NULL OR rail = ?) ORDER BY id`)
    .pluck()
    .all(...idents, rail ?? null, rail ?? null)
    .map((id) => toNumber(id));
}

/** Exactly one transfer, or an error saying why not (links need one fiat and one crypto transfer). */
export function resolveOneTransfer(db: Db, text: string): number {
  const found = resolveTransferIds(db, text);
  if (found.length === 0) throw new HoptraceError(`${JSON.stringify(text)} matches no transfer in the case file`);
  if (found.length > 1)
    throw new HoptraceError(`${JSON.stringify(text)} matches ${found.length} transfers`, { hint: 'add :logIndex to a transaction hash, or use transfer:ID' });
  return found[0]!;
}

/** Reference, parties and provenance of transfers, for a trace result's edges. */
export function selectTransferDetails(db: Db, transferIds: readonly number[]): Map<number, TransferDetails> {
  const details = new Map<number, TransferDetails>();
  // One statement for up to 20,000 transfers (the edges of a big trace), in id order so the
  // transfers' table pages are visited in storage order: a statement prepared per 500 transfers,
  // in the trace's order, took 3× as long for a 9,000-edge trace.
  const unique = [...new Set(transferIds)].sort((a, b) => a - b);
  const statement = db.prepare(
    `SELECT t.id, t.ref, t.seq, t.log_index, f.ident AS from_ident, r.ident AS to_ident, s.path, s.sha256, t.line
     FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id JOIN sources s ON s.id = t.source_id
     WHERE t.id IN (SELECT value FROM json_each(?))`,
  );
  for (let start = 0; start < unique.length; start += 20_000) {
    const rows = statement.all(JSON.stringify(unique.slice(start, start + 20_000))) as {
      id: bigint;
      ref: string;
      seq: bigint;
      log_index: bigint | null;
      from_ident: string;
      to_ident: string;
      path: string;
      sha256: string;
      line: bigint;
    }[];
    for (const row of rows) {
      details.set(toNumber(row.id), {
        ref: row.ref,
        seq: toNumber(row.seq),
        logIndex: row.log_index === null ? null : toNumber(row.log_index),
        from: row.from_ident,
        to: row.to_ident,
        sourcePath: row.path,
        sourceSha256: row.sha256,
        line: toNumber(row.line),
      });
    }
  }
  return details;
}

export function selectClusterIds(db: Db, accountIds: readonly number[]): Map<number, number> {
  return lookupByIds<number>(db, 'SELECT account_id, cluster_id FROM clusters WHERE account_id IN (SELECT value FROM json_each(?))', accountIds);
}

/** An account named by its ident (accountSeedIdents: a rail prefix restricts it to that rail; an IBAN may carry spaces; EVM and Tron forms canonicalised). */
export function resolveAccountIdent(db: Db, ident: string): number | undefined {
  const ids = accountIdsFor(db, ident);
  return ids[0];
}
