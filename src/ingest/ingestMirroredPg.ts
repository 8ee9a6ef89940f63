import type pg from 'pg';
import { canonicalEvmAddress, canonicalTronAddress } from '../model/address.js';
import { canonicalTxid } from '../model/exchange.js';
import { readExchangeFile, resolveExchangeLayout } from '../../adapters/exchange/index.js';
import { readLinksCsv } from '../../adapters/links/csv.js';
import { readAmlsimTransactions } from '../../adapters/amlsim/transactions.js';
import { AddressCache } from '../model/address.js';
import type { Db } from '../store/caseStore.js';
import { emptyMirrorLoad, importThroughMirror, type MirrorLoad } from '../store/pg/caseMirror.js';
import { inWriteTransaction, type PgCase } from '../store/pg/pgCase.js';
import { findSourcesByShaPg } from '../store/pg/sourcesPg.js';
import { resolveSeedIdsPg } from '../store/pg/traceWorkingSet.js';
import { ingestAmlsimFiles } from './ingestAmlsim.js';
import { ingestBlacklistFiles, type IngestBlacklistResult } from './ingestBlacklist.js';
import { ingestExchangeFiles, type IngestExchangeOptions, type IngestExchangeResult } from './ingestExchange.js';
import { ingestLinksFiles, type IngestLinksResult } from './ingestLinks.js';
import { digestFile } from './fileDigest.js';
import type { IngestSourceResult } from './ingestSource.js';

/**
 * `ingest links`, `ingest exchange` and `ingest blacklist` on a PostgreSQL case: each file in one
 * transaction under the writer lock, through the case file's own import over a mirror of what it
 * reads (src/store/pg/caseMirror.ts). The mirror starts with the earlier imports of the same bytes
 * (so the re-import rule answers as on a case file) and what each file's rows name that no key
 * would reveal: the transfers a link's references select, the chain transfers and addresses an
 * exchange return is matched against.
 */
type Prepare = (client: pg.Client, path: string) => Promise<Partial<MirrorLoad>>;

async function ingestEachFilePg<R>(
  handle: PgCase,
  files: readonly string[],
  ingestOne: (db: Db, path: string) => Promise<R[]>,
  prepare: Prepare | undefined,
  onWait?: () => void,
): Promise<R[]> {
  const results: R[] = [];
  for (const path of files) {
    const { sha256 } = await digestFile(path);
    const done = await inWriteTransaction(
      handle,
      async () => {
        const load = emptyMirrorLoad();
        for (const source of await findSourcesByShaPg(handle.client, sha256)) load.sources.add(source.id);
        const named = prepare ? await prepare(handle.client, path) : {};
        for (const key of ['accounts', 'transfers'] as const) for (const id of named[key] ?? []) load[key].add(id);
        return importThroughMirror(handle.client, (db) => ingestOne(db, path), load);
      },
      onWait,
    );
    results.push(...done);
  }
  return results;
}

export function ingestLinksFilesPg(handle: PgCase, files: readonly string[], onWait?: () => void): Promise<IngestLinksResult[]> {
  return ingestEachFilePg(handle, files, (db, path) => ingestLinksFiles(db, [path]), linkedTransfers, onWait);
}

export function ingestBlacklistFilesPg(
  handle: PgCase,
  files: readonly string[],
  options: { skipBad?: boolean },
  onWait?: () => void,
): Promise<IngestBlacklistResult[]> {
  return ingestEachFilePg(handle, files, (db, path) => ingestBlacklistFiles(db, [path], options), undefined, onWait);
}

export function ingestExchangeFilesPg(
  handle: PgCase,
  files: readonly string[],
  options: IngestExchangeOptions,
  onWait?: () => void,
): Promise<IngestExchangeResult[]> {
  return ingestEachFilePg(
    handle,
    files,
    (db, path) => ingestExchangeFiles(db, [path], options),
    (client, path) => exchangeCounterparts(client, path, options),
    onWait,
  );
}

export function ingestAmlsimFilesPg(
  handle: PgCase,
  files: readonly string[],
  options: { skipBad?: boolean },
  onWait?: () => void,
): Promise<IngestSourceResult[]> {
  return ingestEachFilePg(handle, files, (db, path) => ingestAmlsimFiles(db, [path], options), amlsimDays, onWait);
}

/** The stored AMLSim rows of the days a file covers: what its rows' occurrence numbers are counted against (src/store/contentRows.ts). */
async function amlsimDays(client: pg.Client, path: string): Promise<Partial<MirrorLoad>> {
  const days = new Set<number>();
  for await (const item of readAmlsimTransactions({ path, addresses: new AddressCache() })) if (item.kind === 'transfer') days.add(item.record.time);
  const found = await client.query<{ id: string }>(
    "SELECT id::text AS id FROM transfers WHERE rail = 'bank' AND asset = 'AMLSIM' AND time = ANY($1::bigint[])",
    [[...days]],
  );
  return { transfers: new Set(found.rows.map((r) => Number(r.id))) };
}

/** Every transfer a links file's references select (src/store/transferRefs.ts), as PostgreSQL resolves them: one query per reference. */
async function linkedTransfers(client: pg.Client, path: string): Promise<Partial<MirrorLoad>> {
  const transfers = new Set<number>();
  const refs = new Set<string>();
  for await (const item of readLinksCsv(path)) {
    if (item.kind !== 'link') continue;
    refs.add(item.record.fiatRef);
    refs.add(item.record.cryptoRef);
  }
  for (const ref of refs) {
    try {
      for (const id of await resolveSeedIdsPg(client, ref)) transfers.add(id);
    } catch {
      // A reference the case file's import rejects: the run over the mirror names it and fails the file.
    }
  }
  return { transfers };
}

/** The transfers an exchange return's tx hashes name and the accounts of its addresses (src/store/exchangeMovements.ts: matchChainTransfer). */
async function exchangeCounterparts(client: pg.Client, path: string, options: IngestExchangeOptions): Promise<Partial<MirrorLoad>> {
  const { layout, text } = await resolveExchangeLayout(path, options.profile, options.sheet);
  const txids = new Set<string>();
  const addresses = new Set<string>();
  for await (const item of readExchangeFile(path, layout, options, text)) {
    if (item.kind !== 'movement') continue;
    const { txid, address } = item.record;
    for (const rail of ['ethereum', 'tron'] as const) {
      const canonical = txid === undefined ? undefined : canonicalTxid(rail, txid);
      if (canonical !== undefined) txids.add(canonical);
    }
    if (address === undefined) continue;
    for (const canonical of [canonicalEvmAddress, canonicalTronAddress]) {
      try {
        addresses.add(canonical(address.trim()));
      } catch {
        // Not an address of that rail.
      }
    }
  }
  const ids = async (sql: string, values: Set<string>): Promise<number[]> =>
    values.size === 0 ? [] : (await client.query<{ id: string }>(sql, [[...values]])).rows.map((r) => Number(r.id));
  return {
    transfers: new Set(await ids("SELECT id::text AS id FROM transfers WHERE rail IN ('ethereum', 'tron') AND ref = ANY($1::text[])", txids)),
    accounts: new Set(await ids("SELECT id::text AS id FROM accounts WHERE rail IN ('ethereum', 'tron') AND ident = ANY($1::text[])", addresses)),
  };
}
