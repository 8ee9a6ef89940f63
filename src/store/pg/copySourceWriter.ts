import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Writable } from 'node:stream';
import type { TagRecord, TransferRecord } from '../../model/types.js';
import type { SourceMeta, SourceSummary, TransferConflict } from '../sourceWriter.js';
import { appendLogPg } from './auditLogPg.js';

/**
 * Writes one source into a PostgreSQL case through COPY (docs/postgresql.md, "Ingest"): the rows
 * stream into a temporary staging table as the adapter reads them, then a few set statements
 * store them with exactly the ids, duplicates and sightings SourceWriter (../sourceWriter.ts)
 * gives on a case file:
 *
 * - accounts new to the case get the next ids in the order the rows first name them (sender
 *   before recipient), as AccountIds would assign SQLite rowids;
 * - a row whose (rail, ref, seq) is new — not in the case and not earlier in this file — becomes
 *   the next transfer id in file order; every other row is a duplicate, stored as a sighting.
 *
 * Run it inside inWriteTransaction (./pgCase.ts): the writer lock makes MAX(id) + n safe.
 */
const STAGED_COLUMNS =
  'pos, rail, asset, token, decimals, amount, from_rail, from_ident, to_rail, to_ident, time, ref, seq, block, log_index, line, description';

const CONFLICTS = `SELECT t.id::text AS id, t.line::text AS line, t.amount::text AS amount, t.decimals::text AS decimals, c.id::text AS stored_id,
    c.amount::text AS stored_amount, s.path, c.line::text AS stored_line
  FROM transfers t JOIN transfers c ON c.rail = t.rail AND c.ref = t.ref JOIN sources s ON s.id = c.source_id
  WHERE t.id > $1 AND t.rail <> 'bank' AND t.source_id = $2 AND c.source_id <> $2
    AND c.from_id = t.from_id AND c.to_id = t.to_id AND c.token IS NOT DISTINCT FROM t.token AND c.amount <> t.amount
    AND (c.log_index IS NULL OR t.log_index IS NULL OR c.log_index = t.log_index)
  ORDER BY t.line, t.id, c.id`;

/** A value in COPY's text format. */
function copyValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'number') return String(value);
  return value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

const CHUNK_BYTES = 1 << 16;

export class PgSourceWriter {
  private readonly summary: Omit<SourceSummary, 'sourceId'> = { rows: 0, rejected: 0, skipped: 0, duplicates: 0, tags: 0, notes: [] };
  private readonly rejects: { line: number; reason: string }[] = [];
  /** Address labels (TronScan's tags): few per file, kept in memory with their place among the rows. */
  private readonly tags: (TagRecord & { pos: number })[] = [];
  private copy: Writable | undefined;
  private copyDone: Promise<void> | undefined;
  private buffer = '';
  private pos = 0;
  private firstTransferId = 0;

  private constructor(
    private readonly client: pg.Client,
    private readonly meta: SourceMeta,
    readonly sourceId: number,
  ) {}

  /** Records the source (the next source id) and opens the COPY into the staging table. */
  static async open(client: pg.Client, meta: SourceMeta): Promise<PgSourceWriter> {
    const next = await client.query<{ id: string }>('SELECT (COALESCE(MAX(id), 0) + 1)::text AS id FROM sources');
    const sourceId = Number(next.rows[0]!.id);
    await client.query('INSERT INTO sources (id, path, sha256, size, adapter, options, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      sourceId,
      meta.path,
      meta.sha256,
      meta.size,
      meta.adapter,
      meta.options,
      new Date().toISOString(),
    ]);
    // A fetched batch writes several sources in one transaction (src/fetch/storeFetched.ts): the
    // staging tables of the one before go first (ON COMMIT DROP keeps them until the commit).
    await client.query('DROP TABLE IF EXISTS pg_temp.staged, pg_temp.staged_tags, pg_temp.fresh, pg_temp.staged_tag_ids');
    await client.query(
      `CREATE TEMP TABLE staged (pos BIGINT NOT NULL, rail TEXT NOT NULL, asset TEXT NOT NULL, token TEXT, decimals BIGINT NOT NULL, amount NUMERIC(78, 0) NOT NULL,
         from_rail TEXT NOT NULL, from_ident TEXT NOT NULL, to_rail TEXT NOT NULL, to_ident TEXT NOT NULL, time BIGINT NOT NULL, ref TEXT NOT NULL, seq BIGINT NOT NULL,
         block BIGINT, log_index BIGINT, line BIGINT NOT NULL, description TEXT) ON COMMIT DROP`,
    );
    const writer = new PgSourceWriter(client, meta, sourceId);
    const copy = client.query(copyFrom(`COPY staged (${STAGED_COLUMNS}) FROM STDIN`));
    writer.copy = copy;
    writer.copyDone = new Promise((resolve, reject) => {
      copy.on('finish', resolve);
      copy.on('error', reject);
    });
    // Until finish() awaits it, a COPY failure is kept for then (not an unhandled rejection).
    writer.copyDone.catch(() => undefined);
    return writer;
  }

  async addTransfer(record: TransferRecord): Promise<void> {
    const fields = [
      this.pos++,
      record.rail,
      record.asset,
      record.token,
      record.decimals,
      record.amount.toString(),
      record.from.rail,
      record.from.ident,
      record.to.rail,
      record.to.ident,
      record.time,
      record.ref,
      record.seq,
      record.block,
      record.logIndex,
      record.line,
      record.description,
    ];
    this.buffer += fields.map(copyValue).join('\t') + '\n';
    if (this.buffer.length >= CHUNK_BYTES) await this.flush();
  }

  /** A tag takes its place in the row order: its account is numbered where SourceWriter would number it. */
  addTag(tag: TagRecord): void {
    this.tags.push({ ...tag, pos: this.pos++ });
  }

  private async flush(): Promise<void> {
    const copy = this.copy!;
    const chunk = this.buffer;
    this.buffer = '';
    if (!copy.write(chunk))
      await new Promise<void>((resolve, reject) => {
        copy.once('drain', resolve);
        copy.once('error', reject);
      });
  }

  addReject(line: number, reason: string): void {
    this.rejects.push({ line, reason });
    this.summary.rejected++;
  }

  addSkipped(): void {
    this.summary.skipped++;
  }

  addNote(message: string): void {
    this.summary.notes.push(message);
  }

  /** Ends the COPY and stores the staged rows; returns the transfers that contradict another source's. */
  async store(): Promise<TransferConflict[]> {
    if (this.buffer.length > 0) await this.flush();
    this.copy!.end();
    await this.copyDone;
    const { client } = this;
    await client.query('ANALYZE staged');
    this.firstTransferId = Number((await client.query<{ id: string }>('SELECT COALESCE(MAX(id), 0)::text AS id FROM transfers')).rows[0]!.id);
    await client.query(
      `CREATE TEMP TABLE staged_tags ON COMMIT DROP AS
       SELECT * FROM UNNEST($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[])
         AS t(pos, rail, ident, category, label, origin, confidence, line)`,
      [
        this.tags.map((t) => t.pos),
        this.tags.map((t) => t.account.rail),
        this.tags.map((t) => t.account.ident),
        this.tags.map((t) => t.category),
        this.tags.map((t) => t.label),
        this.tags.map((t) => t.origin),
        this.tags.map((t) => t.confidence),
        this.tags.map((t) => t.line),
      ],
    );
    await client.query(
      `INSERT INTO accounts (id, rail, ident)
       SELECT base.id + ROW_NUMBER() OVER (ORDER BY n.first), n.rail, n.ident
       FROM (SELECT rail, ident, MIN(k) AS first FROM (
               SELECT from_rail AS rail, from_ident AS ident, pos * 2 AS k FROM staged
               UNION ALL SELECT to_rail, to_ident, pos * 2 + 1 FROM staged
               UNION ALL SELECT rail, ident, pos * 2 FROM staged_tags) named GROUP BY rail, ident) n
       CROSS JOIN (SELECT COALESCE(MAX(id), 0) AS id FROM accounts) base
       WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.rail = n.rail AND a.ident = n.ident)`,
    );
    await client.query(
      `CREATE TEMP TABLE fresh ON COMMIT DROP AS
       SELECT s.pos FROM (SELECT pos, rail, ref, seq, ROW_NUMBER() OVER (PARTITION BY rail, ref, seq ORDER BY pos) AS nth FROM staged) s
       WHERE s.nth = 1 AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.rail = s.rail AND t.ref = s.ref AND t.seq = s.seq)`,
    );
    // Without statistics and an index the planner joins staged and fresh row by row (quadratic).
    await client.query('CREATE UNIQUE INDEX ON fresh (pos)');
    await client.query('ANALYZE fresh');
    const inserted = await client.query(
      `INSERT INTO transfers (id, rail, asset, token, decimals, amount, from_id, to_id, time, ref, seq, block, log_index, source_id, line, description)
       SELECT $1::bigint + ROW_NUMBER() OVER (ORDER BY s.pos), s.rail, s.asset, s.token, s.decimals, s.amount, f.id, r.id, s.time, s.ref, s.seq, s.block, s.log_index, $2, s.line, s.description
       FROM staged s JOIN fresh USING (pos)
       JOIN accounts f ON f.rail = s.from_rail AND f.ident = s.from_ident
       JOIN accounts r ON r.rail = s.to_rail AND r.ident = s.to_ident`,
      [this.firstTransferId, this.sourceId],
    );
    const sighted = await client.query(
      `WITH seen AS (
         INSERT INTO sightings (transfer_id, source_id, line, ref)
         SELECT t.id, $1, s.line, s.ref FROM staged s JOIN transfers t ON t.rail = s.rail AND t.ref = s.ref AND t.seq = s.seq
         WHERE NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.pos = s.pos)
         ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT COUNT(*) FROM staged s WHERE NOT EXISTS (SELECT 1 FROM fresh WHERE fresh.pos = s.pos))::text AS duplicates`,
      [this.sourceId],
    );
    await this.storeTags();
    this.summary.rows = inserted.rowCount ?? 0;
    this.summary.duplicates = Number((sighted.rows[0] as { duplicates: string }).duplicates);
    // A contradicted transfer is another source's, stored before this one began: none in an empty
    // case (as SourceWriter.conflicts). There the planner also has no statistics for the rows just
    // stored and joined them with themselves row by row: 16 s of a 23 s import of 50,000 rows.
    if (this.firstTransferId === 0) return [];
    const rows = await client.query<{
      id: string;
      line: string;
      amount: string;
      decimals: string;
      stored_id: string;
      stored_amount: string;
      path: string;
      stored_line: string;
    }>(CONFLICTS, [this.firstTransferId, this.sourceId]);
    const seen = new Set<number>();
    const found: TransferConflict[] = [];
    for (const r of rows.rows) {
      const id = Number(r.id);
      if (seen.has(id)) continue;
      seen.add(id);
      found.push({
        kind: 'conflict',
        id,
        line: Number(r.line),
        transferId: Number(r.stored_id),
        sourcePath: r.path,
        storedLine: Number(r.stored_line),
        amount: BigInt(r.amount),
        storedAmount: BigInt(r.stored_amount),
        decimals: Number(r.decimals),
      });
    }
    return found;
  }

  /** New tags get the next ids in file order; a tag the case holds already is a tag sighting (as SourceWriter.addTag). */
  private async storeTags(): Promise<void> {
    if (this.tags.length === 0) return;
    const { client } = this;
    await client.query(
      `CREATE TEMP TABLE staged_tag_ids ON COMMIT DROP AS
       SELECT s.pos, s.category, s.label, s.origin, s.confidence, s.line, a.id AS account_id,
              ROW_NUMBER() OVER (PARTITION BY a.id, s.category, s.label, s.origin ORDER BY s.pos) AS nth,
              EXISTS (SELECT 1 FROM tags t WHERE t.account_id = a.id AND t.category = s.category AND t.label = s.label AND t.origin = s.origin) AS existed
       FROM staged_tags s JOIN accounts a ON a.rail = s.rail AND a.ident = s.ident`,
    );
    const added = await client.query(
      `INSERT INTO tags (id, account_id, category, label, origin, confidence, source_id, line)
       SELECT base.id + ROW_NUMBER() OVER (ORDER BY s.pos), s.account_id, s.category, s.label, s.origin, s.confidence, $1, s.line
       FROM staged_tag_ids s CROSS JOIN (SELECT COALESCE(MAX(id), 0) AS id FROM tags) base
       WHERE s.nth = 1 AND NOT s.existed`,
      [this.sourceId],
    );
    this.summary.tags = added.rowCount ?? 0;
    await client.query(
      `INSERT INTO tag_sightings (tag_id, source_id, line, confidence)
       SELECT t.id, $1, s.line, s.confidence FROM staged_tag_ids s JOIN tags t ON t.account_id = s.account_id AND t.category = s.category AND t.label = s.label AND t.origin = s.origin
       WHERE s.nth > 1 OR s.existed
       ON CONFLICT DO NOTHING`,
      [this.sourceId],
    );
  }

  /** With --skip-bad: the contradicting transfer is taken out again and its lines recorded as rejected (as SourceWriter does). */
  async rejectConflict(conflict: TransferConflict, reason: string): Promise<void> {
    const { client } = this;
    const sightings = await client.query<{ line: string }>('DELETE FROM sightings WHERE transfer_id = $1 AND source_id = $2 RETURNING line::text AS line', [
      conflict.id,
      this.sourceId,
    ]);
    await client.query('DELETE FROM transfer_refs WHERE transfer_id = $1', [conflict.id]);
    await client.query('DELETE FROM transfers WHERE id = $1', [conflict.id]);
    this.summary.rows--;
    this.summary.duplicates -= sightings.rows.length;
    this.addReject(conflict.line, reason);
    for (const row of sightings.rows) this.addReject(Number(row.line), reason);
  }

  /**
   * Counts, rejects and the audit log entry, in the source's transaction (the caller commits).
   * `logged: false`: the caller logs the source with others as one entry (a fetched batch, as
   * SourceWriter's 'caller' transaction).
   */
  async finish(logged = true): Promise<SourceSummary> {
    const { client } = this;
    if (this.rejects.length > 0) {
      await client.query('INSERT INTO rejects (source_id, line, reason) SELECT $1, line, reason FROM UNNEST($2::bigint[], $3::text[]) AS r(line, reason)', [
        this.sourceId,
        this.rejects.map((r) => r.line),
        this.rejects.map((r) => r.reason),
      ]);
    }
    const { rows, rejected, skipped, duplicates, tags, notes } = this.summary;
    await client.query('UPDATE sources SET rows = $1, rejected = $2, skipped = $3, duplicates = $4, notes = $5 WHERE id = $6', [
      rows,
      rejected,
      skipped,
      duplicates,
      JSON.stringify(notes),
      this.sourceId,
    ]);
    if (logged)
      await appendLogPg(client, {
        action: `ingest ${this.meta.adapter}`,
        inputs: [{ path: this.meta.path, sha256: this.meta.sha256 }],
        changes: { source: this.sourceId, transfers: rows, duplicates, skipped, rejected, tags },
      });
    return { sourceId: this.sourceId, ...this.summary };
  }

  /** After a failure: the COPY is ended so the connection can roll the transaction back. */
  async abort(): Promise<void> {
    const copy = this.copy;
    if (!copy || copy.writableEnded) return;
    copy.destroy(new Error('import stopped'));
    await this.copyDone?.catch(() => undefined);
  }
}
