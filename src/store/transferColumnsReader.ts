import { TransferColumns } from '../cluster/transferColumns.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';

/** The span of row ids one statement call reads (at most that many transfers). */
const IDS_PER_CHUNK = 4_096;
/** Beyond ±(2^53 − 1) a JSON number is inexact: such an amount is sent as a quoted decimal. */
const MAX_SAFE = '9007199254740991';
const COLUMNS = 'id, from_id, to_id, asset, amount, time, decimals';
/** JSON of integers only: any other character is a real, a text or a null. */
const NOT_INTEGERS = /[^0-9,[\]-]/;
/** The same, for amounts, which may also be quoted decimals. */
const NOT_AMOUNTS = /[^0-9,[\]"-]/;

/**
 * Every transfer of the case as columns, in storage (row id) order; the caller sorts them.
 *
 * Rows come in chunks of ids: SQLite puts each column of a chunk into one JSON array, parsed at
 * once. A better-sqlite3 call per row, an array and an asset string each, was most of the time
 * `hoptrace cluster` spent reading 5,250,000 transfers; SQLite's own scan is a small part of it
 * (docs/performance.md, `cluster`). The asset comes as its index in the list of assets known so
 * far (a chunk with another asset is asked again once the list has it), and an amount past 2^53
 * as a quoted decimal, so every value stays exact. A chunk with any value that is not an integer
 * where one belongs (a text or real amount, time, account id or decimals, or a blob anywhere) is
 * read row by row as before, so such a case file reads exactly as it did, and fails as it did.
 * `idsPerChunk` is for tests.
 */
export function readTransferColumns(db: Db, idsPerChunk = IDS_PER_CHUNK): TransferColumns {
  // One read transaction: the chunks are many statements, and must all see the same case.
  return db.transaction(() => {
    const transfers = new TransferColumns(toNumber(db.prepare('SELECT COUNT(*) FROM transfers').pluck().get()));
    const assets: string[] = [];
    let chunk = chunkStatement(db, assets);
    const chunkAssets = db.prepare('SELECT DISTINCT asset FROM transfers WHERE id >= ? AND id < ?').pluck().safeIntegers(false);
    const next = db.prepare('SELECT MIN(id) FROM transfers WHERE id >= ?').pluck().safeIntegers(false);
    let first = next.get(Number.MIN_SAFE_INTEGER) as number | null;
    while (first !== null) {
      const end = first + idsPerChunk;
      let columns = chunk(first, end);
      if (columns?.asset.includes(0)) {
        // An asset not in the list yet: learn the chunk's assets and ask again.
        for (const asset of chunkAssets.all(first, end)) if (typeof asset === 'string' && !assets.includes(asset)) assets.push(asset);
        chunk = chunkStatement(db, assets);
        columns = chunk(first, end);
      }
      if (columns && !columns.asset.includes(0)) {
        const { id, from, to, asset, amount, time, decimals } = columns;
        for (let k = 0; k < id.length; k++) {
          const value = amount[k]!;
          transfers.push(first + id[k]!, from[k]!, to[k]!, assets[asset[k]! - 1]!, BigInt(value), time[k]!, decimals[k]!);
        }
      } else {
        readRows(db, transfers, first, end);
      }
      first = next.get(end) as number | null;
    }
    return transfers;
  })();
}

/** The old way, for a chunk with irregular values: one row at a time, amounts past 2^53 read again as text. */
function readRows(db: Db, transfers: TransferColumns, first: number, end: number): void {
  const rows = db.prepare(`SELECT ${COLUMNS} FROM transfers WHERE id >= ? AND id < ?`).raw(true).safeIntegers(false);
  const exactAmount = db.prepare('SELECT CAST(amount AS TEXT) FROM transfers WHERE id = ?').pluck().safeIntegers(false);
  for (const [id, from, to, asset, amount, time, decimals] of rows.iterate(first, end) as IterableIterator<
    [number, number, number, string, number | string, number, number]
  >) {
    const exact = typeof amount === 'number' && !Number.isSafeInteger(amount) ? amountFromDb(exactAmount.get(id)) : amountFromDb(amount);
    transfers.push(id, from, to, asset, exact, time, decimals);
  }
}

interface Chunk {
  /** Row id less the chunk's first id. */
  id: number[];
  from: number[];
  to: number[];
  /** 1-based index into the known assets; 0 for another asset. */
  asset: number[];
  /** A number, or a decimal string past 2^53. */
  amount: (number | string)[];
  time: number[];
  decimals: number[];
}

/**
 * The transfers with ids in [first, end) as columns, or undefined when one holds a value that is
 * not an integer where one belongs (then the chunk is read row by row).
 */
function chunkStatement(db: Db, assets: readonly string[]): (first: number, end: number) => Chunk | undefined {
  const assetIndex = assets.length === 0 ? '0' : `CASE asset ${assets.map((_, i) => `WHEN @a${i} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
  const statement = db
    .prepare(
      `SELECT json_group_array(id - @first), json_group_array(from_id), json_group_array(to_id), json_group_array(${assetIndex}),
        json_group_array(CASE WHEN amount BETWEEN -${MAX_SAFE} AND ${MAX_SAFE} THEN amount ELSE CAST(amount AS TEXT) END),
        json_group_array(time), json_group_array(decimals)
      FROM transfers WHERE id >= @first AND id < @end`,
    )
    .raw(true)
    .safeIntegers(false);
  const params: Record<string, string | number> = {};
  assets.forEach((asset, i) => {
    params[`a${i}`] = asset;
  });
  return (first, end) => {
    params['first'] = first;
    params['end'] = end;
    let texts: string[];
    try {
      texts = statement.get(params) as string[];
    } catch (error) {
      // JSON holds no blob: such a chunk is read as before.
      if (error instanceof Error && /BLOB/.test(error.message)) return undefined;
      throw error;
    }
    const [id, from, to, asset, amount, time, decimals] = texts as [string, string, string, string, string, string, string];
    if ([from, to, time, decimals].some((text) => NOT_INTEGERS.test(text)) || NOT_AMOUNTS.test(amount)) return undefined;
    const parse = <T>(text: string): T[] => JSON.parse(text) as T[];
    return {
      id: parse(id),
      from: parse(from),
      to: parse(to),
      asset: parse(asset),
      amount: parse(amount),
      time: parse(time),
      decimals: parse(decimals),
    };
  };
}
