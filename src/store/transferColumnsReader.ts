import { TransferColumns } from '../cluster/transferColumns.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';
import { parseBigIntegers, parseIntegers } from './jsonIntegers.js';

/** The span of row ids one statement call reads (at most that many transfers). */
const IDS_PER_CHUNK = 4_096;
const COLUMNS = 'id, from_id, to_id, asset, amount, time, decimals';

/**
 * Every transfer of the case as columns, in storage (row id) order; the caller sorts them.
 *
 * Rows come in chunks of ids: SQLite puts each column of a chunk into one JSON array of integers,
 * parsed straight into typed arrays (jsonIntegers.ts). A better-sqlite3 call per row, an array and
 * an asset string each, was most of the time `hoptrace cluster` spent reading 5,250,000
 * transfers, and then `JSON.parse` of the arrays was (docs/performance.md, `cluster`). The asset
 * comes as its index in the list of assets known so far (a chunk with another asset is asked again
 * once the list has it); the ids are sent only for a chunk with a gap (otherwise they are its first
 * id onwards); an amount is an integer's exact digits. A chunk with any value that is not an
 * integer where one belongs (a text or real amount, time, account id or decimals, or a blob
 * anywhere) is read row by row as before, so such a case file reads exactly as it did, and fails
 * as it did. `idsPerChunk` is for tests.
 */
export function readTransferColumns(db: Db, idsPerChunk = IDS_PER_CHUNK): TransferColumns {
  // One read transaction: the chunks are many statements, and must all see the same case.
  return db.transaction(() => {
    const transfers = new TransferColumns(toNumber(db.prepare('SELECT COUNT(*) FROM transfers').pluck().get()));
    const assets: string[] = [];
    const scratch = new ChunkScratch(idsPerChunk);
    let chunk = chunkStatement(db, assets, scratch);
    const chunkAssets = db.prepare('SELECT DISTINCT asset FROM transfers WHERE id >= ? AND id < ?').pluck().safeIntegers(false);
    const next = db.prepare('SELECT MIN(id) FROM transfers WHERE id >= ?').pluck().safeIntegers(false);
    let first = next.get(Number.MIN_SAFE_INTEGER) as number | null;
    while (first !== null) {
      const end = first + idsPerChunk;
      let count = chunk(first, end);
      if (count > 0 && scratch.asset.subarray(0, count).includes(0)) {
        // An asset not in the list yet: learn the chunk's assets and ask again.
        for (const asset of chunkAssets.all(first, end)) if (typeof asset === 'string' && !assets.includes(asset)) assets.push(asset);
        chunk = chunkStatement(db, assets, scratch);
        count = chunk(first, end);
      }
      if (count >= 0 && !scratch.asset.subarray(0, count).includes(0)) {
        const { id, from, to, asset, amount, time, decimals } = scratch;
        // Asset indexes are 1-based (0 is another asset): index 0 of the names is never used.
        transfers.pushColumns({ firstId: first, idOffsets: id, from, to, assetOf: asset, assetNames: ['', ...assets], amounts: amount, time, decimals }, count);
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

/** One chunk's columns, parsed into arrays reused from chunk to chunk. */
class ChunkScratch {
  /** Row id less the chunk's first id. */
  readonly id: Float64Array;
  readonly from: Float64Array;
  readonly to: Float64Array;
  /** 1-based index into the known assets; 0 for another asset. */
  readonly asset: Float64Array;
  readonly amount: BigInt64Array;
  readonly time: Float64Array;
  readonly decimals: Float64Array;

  constructor(size: number) {
    this.id = new Float64Array(size);
    this.from = new Float64Array(size);
    this.to = new Float64Array(size);
    this.asset = new Float64Array(size);
    this.amount = new BigInt64Array(size);
    this.time = new Float64Array(size);
    this.decimals = new Float64Array(size);
  }
}

/**
 * Reads the transfers with ids in [first, end) into `scratch` and returns how many there are, or
 * -1 when one holds a value that is not an integer where one belongs (then the chunk is read row
 * by row).
 */
function chunkStatement(db: Db, assets: readonly string[], scratch: ChunkScratch): (first: number, end: number) => number {
  const assetIndex = assets.length === 0 ? '0' : `CASE asset ${assets.map((_, i) => `WHEN @a${i} THEN ${i + 1}`).join(' ')} ELSE 0 END`;
  const statement = db
    .prepare(
      `SELECT COUNT(*), MAX(id) - @first, json_group_array(from_id), json_group_array(to_id), json_group_array(${assetIndex}),
        json_group_array(amount), json_group_array(time), json_group_array(decimals)
      FROM transfers WHERE id >= @first AND id < @end`,
    )
    .raw(true)
    .safeIntegers(false);
  const ids = db.prepare('SELECT json_group_array(id - @first) FROM transfers WHERE id >= @first AND id < @end').pluck().safeIntegers(false);
  const params: Record<string, string | number> = {};
  assets.forEach((asset, i) => {
    params[`a${i}`] = asset;
  });
  return (first, end) => {
    params['first'] = first;
    params['end'] = end;
    let row: [number, number | null, string, string, string, string, string, string];
    try {
      row = statement.get(params) as typeof row;
    } catch (error) {
      // JSON holds no blob: such a chunk is read as before.
      if (error instanceof Error && /BLOB/.test(error.message)) return -1;
      throw error;
    }
    const [count, lastOffset, from, to, asset, amount, time, decimals] = row;
    if (count === 0) return 0;
    // Rows come in id order; with no gap, the k-th is the chunk's first id + k.
    if (lastOffset === count - 1) for (let k = 0; k < count; k++) scratch.id[k] = k;
    else if (parseIntegers(ids.get({ first, end }) as string, scratch.id) !== count) return -1;
    const parsed = [
      parseIntegers(from, scratch.from),
      parseIntegers(to, scratch.to),
      parseIntegers(asset, scratch.asset),
      parseBigIntegers(amount, scratch.amount),
      parseIntegers(time, scratch.time),
      parseIntegers(decimals, scratch.decimals),
    ];
    return parsed.every((n) => n === count) ? count : -1;
  };
}
