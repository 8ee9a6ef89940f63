import type { HoldingHistory } from '../model/trace.js';
import type { LedgerTransfer } from '../trace/ledger.js';
import { toNumber, type Db } from './caseStore.js';

/** Explorer exports that list one address's history (an Etherscan or TronScan page, a TronGrid page). */
const EXPLORER_ADAPTERS = ['usdt:etherscan', 'usdt:tronscan', 'usdt:trongrid'];

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
  private readonly bankSpan;
  private readonly exportCandidates;
  private readonly sourceRows;
  private readonly sourceRowsWith;
  private readonly checkpoints;
  private readonly blockTime;
  private readonly lastSeenStatement;
  private readonly identStatement;
  private readonly firstRow;

  constructor(db: Db) {
    this.bankSpan = db.prepare(
      `SELECT b.source_id AS source, MIN(t.time) AS first, MAX(t.time) AS last FROM bank_lines b JOIN transfers t ON t.id = b.transfer_id
       WHERE b.account_id = ? GROUP BY b.source_id`,
    );
    const adapters = EXPLORER_ADAPTERS.map((a) => `'${a}'`).join(', ');
    this.exportCandidates = db.prepare(
      `SELECT DISTINCT s.id FROM sources s WHERE s.adapter IN (${adapters}) AND s.id IN (
         SELECT source_id FROM transfers WHERE from_id = @account OR to_id = @account
         UNION SELECT g.source_id FROM sightings g JOIN transfers t ON t.id = g.transfer_id WHERE t.from_id = @account OR t.to_id = @account)`,
    ).pluck();
    const rows = `SELECT id, from_id, to_id, time FROM transfers WHERE source_id = @source
                  UNION SELECT t.id, t.from_id, t.to_id, t.time FROM sightings g JOIN transfers t ON t.id = g.transfer_id WHERE g.source_id = @source`;
    this.sourceRows = db.prepare(`SELECT COUNT(*) AS n, MIN(time) AS first, MAX(time) AS last FROM (${rows})`);
    this.sourceRowsWith = db.prepare(`SELECT COUNT(*) FROM (${rows}) WHERE from_id = @account OR to_id = @account`).pluck();
    this.checkpoints = db.prepare("SELECT key, value, updated_at FROM fetch_checkpoints WHERE key LIKE 'tron|%' OR key LIKE 'evm|%'");
    this.blockTime = db.prepare("SELECT time FROM block_times WHERE rail = 'ethereum' AND block <= ? ORDER BY block DESC LIMIT 1").pluck();
    this.lastSeenStatement = db.prepare('SELECT MAX(time) FROM transfers WHERE (from_id = @account OR to_id = @account) AND asset = @asset').pluck();
    this.identStatement = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?');
    this.firstRow = db.prepare('SELECT from_id, to_id FROM transfers WHERE source_id = @source UNION ALL SELECT t.from_id, t.to_id FROM sightings g JOIN transfers t ON t.id = g.transfer_id WHERE g.source_id = @source LIMIT 1');
  }

  history(accountId: number, asset: string, arrival: LedgerTransfer): HoldingHistory {
    const candidates: { until: number; basis: 'bank-statement' | 'fetch' | 'explorer-export' }[] = [];
    for (const span of this.bankSpan.all(accountId) as { first: bigint; last: bigint }[]) {
      if (toNumber(span.first) <= arrival.time) candidates.push({ until: toNumber(span.last), basis: 'bank-statement' });
    }
    const fetched = this.fetchedUntil(accountId, arrival);
    if (fetched !== undefined) candidates.push({ until: fetched, basis: 'fetch' });
    const exported = this.exportedUntil(accountId, arrival);
    if (exported !== undefined) candidates.push({ until: exported, basis: 'explorer-export' });
    const best = candidates.filter((c) => c.until >= arrival.time).sort((a, b) => b.until - a.until)[0];
    if (best) return { class: 'in-case', until: iso(best.until), basis: best.basis };
    const seen = this.lastSeenStatement.get({ account: accountId, asset }) as bigint | null;
    return { class: 'last-seen', lastSeen: iso(seen === null ? arrival.time : toNumber(seen)) };
  }

  private exportedUntil(accountId: number, arrival: LedgerTransfer): number | undefined {
    let until: number | undefined;
    for (const id of this.exportCandidates.all({ account: accountId }) as bigint[]) {
      const source = toNumber(id);
      const span = this.sourceRows.get({ source }) as { n: bigint; first: bigint; last: bigint };
      const n = toNumber(span.n);
      if (n === 0 || toNumber(span.first) > arrival.time) continue;
      if (toNumber(this.sourceRowsWith.get({ source, account: accountId })) !== n) continue;
      // Every row between the same two addresses: whose export it is cannot be told.
      if (this.otherAddressInEveryRow(source, accountId, n)) continue;
      until = Math.max(until ?? -Infinity, toNumber(span.last));
    }
    return until;
  }

  private otherAddressInEveryRow(source: number, accountId: number, rows: number): boolean {
    const first = this.firstRow.get({ source }) as { from_id: bigint; to_id: bigint };
    const other = toNumber(first.from_id) === accountId ? toNumber(first.to_id) : toNumber(first.from_id);
    if (other === accountId) return false;
    return toNumber(this.sourceRowsWith.get({ source, account: other })) === rows;
  }

  private fetchedUntil(accountId: number, arrival: LedgerTransfer): number | undefined {
    const account = this.identStatement.get(accountId) as { rail: string; ident: string } | undefined;
    if (!account || account.rail === 'bank') return undefined;
    let until: number | undefined;
    for (const row of this.checkpoints.all() as { key: string; value: string; updated_at: string }[]) {
      const parts = row.key.split('|');
      const value = JSON.parse(row.value) as Record<string, unknown>;
      if (parts[0] === 'tron' && account.rail === 'tron' && parts[2] === account.ident) {
        // tron|TOKEN|ADDRESS|MIN|MAX: a pass over the address's history, complete once it ends.
        if (value['complete'] !== true) continue;
        const min = typeof value['min'] === 'number' ? value['min'] : null;
        if (min !== null && min > arrival.time) continue;
        const max = parts[4] ? Number(parts[4]) : undefined;
        const completed = Date.parse(row.updated_at);
        const t = max !== undefined && Number.isFinite(max) ? Math.min(max, completed) : completed;
        until = Math.max(until ?? -Infinity, t);
      } else if (parts[0] === 'evm' && account.rail === 'ethereum' && (parts[3] ?? '').toLowerCase() === account.ident.toLowerCase() && arrival.block !== null) {
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
}
