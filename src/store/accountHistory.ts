import type { HistoryBasis, HoldingHistory } from '../model/trace.js';
import type { LedgerTransfer } from '../trace/ledger.js';
import { USDT_ETHEREUM, USDT_TRON } from '../../adapters/usdt/tokens.js';
import { toNumber, type Db } from './caseStore.js';

/** Explorer exports that list one address's history (an Etherscan or TronScan page, a TronGrid page). */
export const EXPLORER_ADAPTERS = ['usdt:etherscan', 'usdt:tronscan', 'usdt:trongrid'];

/** An explorer export's first and last row, and the one address in every row (null unless exactly one). */
export interface ExplorerExportSpan {
  first: number;
  last: number;
  owner: number | null;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * DESIGN rule 10, "Where the money rests": does the case hold the account's own history from the
 * last traced arrival through some time T? Three kinds of evidence count, each documented in
 * docs/tracing.md ("Where the money rests"):
 *
 * - its own bank statement: statement lines booked on this account (bank_lines), the first line at
 *   or before the arrival; T = the statement's last line;
 * - a completed live fetch of this address: a TronGrid pass marked complete that started at or
 *   before the arrival (T = its --max-timestamp, else the time the pass completed), or an EVM scan
 *   whose scanned block interval contains the arrival's block (T = the time of the interval's
 *   last block, or of the latest earlier block whose time the case holds);
 * - an explorer export of this address: a source every row of which involves this address and
 *   no other address is in every row, its first row at or before the arrival; T = its last row.
 *
 * The latest T wins; it must not be before the arrival. Otherwise the account was only seen as a
 * counterparty: `last-seen` at the latest transfer of that asset the case holds for it.
 */
export class AccountHistories {
  private readonly db: Db;
  private readonly bankSpan;
  private readonly checkpoints;
  private readonly blockTime;
  private readonly lastSeenStatement;
  private readonly identStatement;
  private readonly exchangeSpan;
  /** Per explorer export: its first and last row, and the one address in every row (if exactly one). */
  private exports: Map<number, ExplorerExportSpan> | undefined;
  private checkpointIndex: Map<string, { parts: string[]; value: Record<string, unknown>; updatedAt: string }[]> | undefined;

  /**
   * `explorerExports`: the spans computed over the whole case, when `db` holds only part of it
   * (a trace's working set read from PostgreSQL, src/store/pg/traceWorkingSet.ts).
   */
  constructor(db: Db, explorerExports?: Map<number, ExplorerExportSpan>) {
    this.db = db;
    this.exports = explorerExports;
    this.bankSpan = db.prepare(
      `SELECT b.source_id AS source, MIN(t.time) AS first, MAX(t.time) AS last FROM bank_lines b JOIN transfers t ON t.id = b.transfer_id
       WHERE b.account_id = ? GROUP BY b.source_id`,
    );
    this.checkpoints = db.prepare("SELECT key, value, updated_at FROM fetch_checkpoints WHERE key LIKE 'tron|%' OR key LIKE 'evm|%'");
    this.blockTime = db.prepare("SELECT time FROM block_times WHERE rail = 'ethereum' AND block <= ? ORDER BY block DESC LIMIT 1").pluck();
    // Two index searches (from, to) rather than one OR, which would scan the whole table.
    this.lastSeenStatement = db
      .prepare(
        `SELECT MAX(t) FROM (SELECT MAX(time) AS t FROM transfers WHERE from_id = @account AND asset = @asset AND time <= @until
         UNION ALL SELECT MAX(time) AS t FROM transfers WHERE to_id = @account AND asset = @asset AND time <= @until)`,
      )
      .pluck();
    this.identStatement = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?');
    // An exchange customer account exists only through its exchange's return: the return's
    // movements of that account are its history (docs/design.md, rule 11).
    this.exchangeSpan = db.prepare(
      `SELECT MIN(m.time) AS first, MAX(m.time) AS last FROM exchange_movements m JOIN accounts a ON a.rail = 'exchange' AND a.ident = m.exchange || ':' || m.account WHERE a.id = ?`,
    );
  }

  /**
   * `until`: the trace's --until, which ignored every transfer after it (docs/tracing.md,
   * "--until"): the trace says nothing of the account past it, so T and `lastSeen` stop there too.
   */
  history(accountId: number, asset: string, arrival: LedgerTransfer, until = Number.MAX_SAFE_INTEGER): HoldingHistory {
    const candidates: { until: number; basis: HistoryBasis }[] = [];
    const exchange = this.exchangeSpan.get(accountId) as { first: bigint | null; last: bigint | null };
    if (exchange.first !== null && exchange.last !== null && toNumber(exchange.first) <= arrival.time)
      candidates.push({ until: toNumber(exchange.last), basis: 'exchange-return' });
    for (const span of this.bankSpan.all(accountId) as { first: bigint; last: bigint }[]) {
      if (toNumber(span.first) <= arrival.time) candidates.push({ until: toNumber(span.last), basis: 'bank-statement' });
    }
    const fetched = this.fetchedUntil(accountId, asset, arrival);
    if (fetched !== undefined) candidates.push({ until: fetched, basis: 'fetch' });
    for (const span of this.explorerExports().values()) {
      if (span.owner === accountId && span.first <= arrival.time) candidates.push({ until: span.last, basis: 'explorer-export' });
    }
    const best = candidates.filter((c) => c.until >= arrival.time).sort((a, b) => b.until - a.until)[0];
    if (best) return { class: 'in-case', until: iso(Math.min(best.until, until)), basis: best.basis };
    const seen = this.lastSeenStatement.get({ account: accountId, asset, until }) as bigint | null;
    return { class: 'last-seen', lastSeen: iso(seen === null ? arrival.time : toNumber(seen)) };
  }

  /**
   * Every explorer export's rows read once (first sighting or a later one): the addresses common
   * to all its rows. Exactly one is the export's own address; two (every row between the same two
   * addresses) cannot tell whose export it is, so neither counts.
   */
  private explorerExports(): Map<number, ExplorerExportSpan> {
    if (this.exports) return this.exports;
    const adapters = EXPLORER_ADAPTERS.map((a) => `'${a}'`).join(', ');
    const sources = (this.db.prepare(`SELECT id FROM sources WHERE adapter IN (${adapters})`).pluck().all() as bigint[]).map(toNumber);
    const spans = new Map<number, { first: number; last: number; common: Set<number> | null }>();
    if (sources.length > 0) {
      const list = sources.join(', ');
      const rows = this.db
        .prepare(
          `SELECT source_id, from_id, to_id, time FROM transfers WHERE source_id IN (${list})
           UNION ALL SELECT g.source_id, t.from_id, t.to_id, t.time FROM sightings g JOIN transfers t ON t.id = g.transfer_id WHERE g.source_id IN (${list})`,
        )
        .raw()
        .iterate() as Iterable<[bigint, bigint, bigint, bigint]>;
      for (const [source, from, to, time] of rows) {
        const id = toNumber(source);
        const t = toNumber(time);
        const pair = new Set([toNumber(from), toNumber(to)]);
        const span = spans.get(id);
        if (!span) spans.set(id, { first: t, last: t, common: pair });
        else {
          span.first = Math.min(span.first, t);
          span.last = Math.max(span.last, t);
          if (span.common) for (const a of span.common) if (!pair.has(a)) span.common.delete(a);
        }
      }
    }
    this.exports = new Map(
      [...spans].map(([id, span]) => [id, { first: span.first, last: span.last, owner: span.common && span.common.size === 1 ? [...span.common][0]! : null }]),
    );
    return this.exports;
  }

  private fetchedUntil(accountId: number, asset: string, arrival: LedgerTransfer): number | undefined {
    const account = this.identStatement.get(accountId) as { rail: string; ident: string } | undefined;
    if (!account || account.rail === 'bank') return undefined;
    let until: number | undefined;
    for (const { parts, value, updatedAt } of this.checkpointsOf(account.ident)) {
      // Only a fetch of this asset's token (or of every token) covers this holding's history.
      const token = parts[0] === 'tron' ? parts[1] : parts[2];
      if (asset === 'USDT' && !['usdt', 'all', (account.rail === 'tron' ? USDT_TRON : USDT_ETHEREUM).toLowerCase()].includes(token?.toLowerCase() ?? ''))
        continue;
      if (parts[0] === 'tron' && account.rail === 'tron') {
        // tron|TOKEN|ADDRESS|MIN|MAX: a pass over the address's history, complete once it ends.
        if (value['complete'] !== true) continue;
        const min = typeof value['min'] === 'number' ? value['min'] : null;
        if (min !== null && min > arrival.time) continue;
        const max = parts[4] ? Number(parts[4]) : undefined;
        const completed = Date.parse(updatedAt);
        const t = max !== undefined && Number.isFinite(max) ? Math.min(max, completed) : completed;
        until = Math.max(until ?? -Infinity, t);
      } else if (parts[0] === 'evm' && account.rail === 'ethereum' && arrival.block !== null) {
        // evm|CHAIN|TOKEN|ADDRESS: the block intervals scanned for the address's logs.
        const scanned = (value['scanned'] as [number, number][] | undefined) ?? [];
        for (const [from, to] of scanned) {
          if (from > arrival.block || to < arrival.block) continue;
          const time = this.blockTime.get(to) as bigint | undefined;
          until = Math.max(until ?? -Infinity, time === undefined ? arrival.time : toNumber(time) * 1000);
        }
      }
    }
    return until;
  }

  /** The live-fetch checkpoints of an address, read once for all holders. */
  private checkpointsOf(address: string): { parts: string[]; value: Record<string, unknown>; updatedAt: string }[] {
    if (!this.checkpointIndex) {
      this.checkpointIndex = new Map();
      for (const row of this.checkpoints.all() as { key: string; value: string; updated_at: string }[]) {
        const parts = row.key.split('|');
        const owner = (parts[0] === 'tron' ? parts[2] : parts[3])?.toLowerCase();
        if (!owner) continue;
        const list = this.checkpointIndex.get(owner) ?? [];
        list.push({ parts, value: JSON.parse(row.value) as Record<string, unknown>, updatedAt: row.updated_at });
        this.checkpointIndex.set(owner, list);
      }
    }
    return this.checkpointIndex.get(address.toLowerCase()) ?? [];
  }
}
