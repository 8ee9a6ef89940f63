import { normaliseHolderName } from '../model/holderName.js';
import type { BankLine } from '../model/bankLine.js';
import type { TransferRecord } from '../model/types.js';
import { canMatchSides, chooseCounterpart, MATCH_WINDOW_MS, type CounterpartCandidate } from '../model/bankSides.js';
import { toNumber, type Db } from './caseStore.js';
import { RefHashSet } from './refHashSet.js';
import { BANK_LINE_INDEXES, storedAmount, type DeferrableIndex, type SourceSummary, type SourceWriter } from './sourceWriter.js';

export type BankLineOutcome = 'inserted' | 'seen-before' | 'other-side';

export interface OpeningBalanceInput {
  account: string;
  asset: string;
  decimals: number;
  amount: bigint;
  time: number;
  line: number;
}

export interface BalanceGapInput {
  account: string;
  asset: string;
  decimals: number;
  missing: bigint;
  lineBefore?: number;
  lineAfter: number;
  timeBefore?: number;
  timeAfter: number;
  reason: string;
}

export type OpeningOutcome = 'stored' | 'later-than-stored' | 'replaced-later';

const REF_HASH_LIMIT = 2_000_000;
/** bank_lines rows of new transfers written by one INSERT (five values a row). */
const LINES_PER_INSERT = 64;

/**
 * The indexes matching reads while a statement loads: its lines by account and reference and by
 * transfer (bank_lines), and the transfers by pair (the other side of a payment). A large
 * statement into a case without statements loads without them and builds them before the first
 * look-up (readyForLookups), so every query runs with the indexes it always had.
 */
export const LOOKUP_INDEXES: readonly DeferrableIndex[] = [...BANK_LINE_INDEXES, 'transfers_bank_pair'];

function holderNorm(holder: string | undefined): string | null {
  return holder === undefined ? null : normaliseHolderName(holder) || null;
}

/**
 * Stores bank statement lines inside a source's transaction (SourceWriter), deciding for each
 * whether it is a new payment, a line already stored from this statement account (a re-import or
 * an overlapping export), or the other side of a payment already stored from the counterparty's
 * statement (src/model/bankSides.ts). Either way every line is kept as provenance: `bank_lines`
 * (which statement account saw which transfer, on which line), `sightings` (every source and line
 * a transfer was seen on, with that side's reference) and `transfer_refs` (every reference that
 * selects the transfer besides `transfers.ref`: the other side's, or the bank's own when the stored
 * one had to be qualified).
 */
export class BankLineWriter {
  private readonly sameSide;
  private readonly counterparts;
  private readonly transferKey;
  private readonly insertLine;
  private readonly insertLines;
  /** bank_lines rows of new transfers not yet written, their values in a row (see storeLine). */
  private pendingLines: (number | string)[] = [];
  private readonly insertRef;
  private readonly setSightingRef;
  private readonly setHolder;
  private readonly openings;
  private readonly deleteOpenings;
  private readonly insertOpening;
  private readonly insertGap;
  private readonly holdersSet = new Set<number>();
  /** Accounts with a statement in the case (bank_lines), before this source: only they can be "the other side". */
  private readonly statementAccounts: Set<number>;
  /** Hashes of (own account, bank reference) of this source's lines; undefined past REF_HASH_LIMIT. */
  private refHashes: RefHashSet | undefined = new RefHashSet();
  /** Statement accounts of this source, added as its lines are stored. */
  private readonly ownAccounts = new Set<number>();
  /** This source's stored lines with hoptrace's references (not fees), by account and their transfer's time. */
  private readonly linesByDay = new Map<number, Map<number, number>>();

  constructor(
    db: Db,
    private readonly writer: SourceWriter,
  ) {
    this.sameSide = db.prepare(
      `SELECT b.transfer_id AS id, b.source_id AS source FROM bank_lines b JOIN transfers t ON t.id = b.transfer_id
       WHERE b.account_id = ? AND b.ref = ? AND t.from_id = ? AND t.to_id = ? AND t.asset = ? AND t.amount = ? LIMIT 1`,
    );
    this.counterparts = db.prepare(
      `SELECT t.id, t.time FROM transfers t
       WHERE t.rail = 'bank' AND t.from_id = @from AND t.to_id = @to AND t.amount = @amount AND t.time BETWEEN @earliest AND @latest AND t.asset = @asset
         AND NOT EXISTS (SELECT 1 FROM bank_lines b WHERE b.transfer_id = t.id AND b.account_id = @own)
         AND EXISTS (SELECT 1 FROM bank_lines b WHERE b.transfer_id = t.id AND b.account_id = @other)`,
    );
    this.transferKey = db.prepare('SELECT ref, seq, time FROM transfers WHERE id = ?');
    this.insertLine = db.prepare('INSERT OR IGNORE INTO bank_lines (transfer_id, account_id, source_id, line, ref) VALUES (?, ?, ?, ?, ?)');
    this.insertLines = db.prepare(
      `INSERT OR IGNORE INTO bank_lines (transfer_id, account_id, source_id, line, ref) VALUES ${Array(LINES_PER_INSERT).fill('(?, ?, ?, ?, ?)').join(', ')}`,
    );
    this.insertRef = db.prepare('INSERT OR IGNORE INTO transfer_refs (ref, transfer_id) VALUES (?, ?)');
    this.setSightingRef = db.prepare('UPDATE sightings SET ref = ? WHERE transfer_id = ? AND source_id = ? AND line = ?');
    this.statementAccounts = new Set((db.prepare('SELECT DISTINCT account_id FROM bank_lines').pluck().all() as bigint[]).map(toNumber));
    this.setHolder = db.prepare(
      'UPDATE accounts SET holder = COALESCE(holder, @holder), holder_norm = COALESCE(holder_norm, @norm), bank = COALESCE(bank, @bank) WHERE id = @id',
    );
    this.openings = db.prepare('SELECT time FROM opening_balances WHERE account_id = ? AND asset = ?').pluck();
    this.deleteOpenings = db.prepare('DELETE FROM opening_balances WHERE account_id = ? AND asset = ?');
    this.insertGap = db.prepare(
      `INSERT OR IGNORE INTO balance_gaps (account_id, asset, decimals, missing, source_id, line_before, line_after, time_before, time_after, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertOpening = db.prepare('INSERT INTO opening_balances (account_id, asset, decimals, amount, time, source_id, line) VALUES (?, ?, ?, ?, ?, ?, ?)');
  }

  /** Writes the waiting bank_lines rows and commits the source (SourceWriter.commit, which folds its transfers into account_totals). */
  commit(): SourceSummary {
    this.writeLines();
    return this.writer.commit();
  }

  addLine(input: BankLine): BankLineOutcome {
    const { record } = input;
    const ownId = this.accountWithHolder(input.own, input.ownHolder, input.ownBank);
    const otherId = this.accountWithHolder(input.counterparty, input.counterpartyHolder, undefined);
    const fromId = input.direction === 'out' ? ownId : otherId;
    const toId = input.direction === 'out' ? otherId : ownId;
    const amount = storedAmount(record.amount);
    // The key this statement account knows the line by; a reference the bank repeats within one
    // file (batch entries) gets an occurrence suffix so each repeat stays its own line. Matching
    // costs no query per line where it cannot match (DESIGN, "Bank statements": one payment, two
    // statements): a line of an account with no earlier statement can only repeat a line of this
    // file, which hoptrace's own references (a hash with the line's occurrence) never do; and only
    // an account with a statement can be the other side of a payment.
    let lineRef = record.ref;
    const hasHistory = this.statementAccounts.has(ownId);
    let seen: { id: bigint; source: bigint } | undefined;
    if (hasHistory || (input.bankReference !== false && this.refSeenInSource(ownId, record.ref))) {
      this.readyForLookups();
      seen = this.sameSide.get(ownId, lineRef, fromId, toId, record.asset, amount) as typeof seen;
      for (let n = 2; seen && toNumber(seen.source) === this.writer.sourceId; n++) {
        lineRef = `${record.ref}#${n}`;
        seen = this.sameSide.get(ownId, lineRef, fromId, toId, record.asset, amount) as typeof seen;
      }
    }
    if (seen) {
      this.addSighting(toNumber(seen.id), record, ownId, lineRef);
      return 'seen-before';
    }
    if ((this.statementAccounts.has(otherId) || this.ownAccounts.has(otherId)) && canMatchSides(input.own, input.counterparty)) {
      this.readyForLookups();
      const candidates = (
        this.counterparts.all({
          from: fromId,
          to: toId,
          amount,
          asset: record.asset,
          earliest: record.time - MATCH_WINDOW_MS,
          latest: record.time + MATCH_WINDOW_MS,
          own: ownId,
          other: otherId,
        }) as { id: bigint; time: bigint }[]
      ).map((c): CounterpartCandidate => ({ id: toNumber(c.id), time: toNumber(c.time) }));
      const match = chooseCounterpart(record.time, candidates);
      if (match) {
        this.addSighting(match.id, record, ownId, lineRef);
        return 'other-side';
      }
    }
    // (bank, ref, seq) is the transfers key; two banks can print the same short reference on the same line number.
    // hoptrace's own references (ht-…) hash the account and the line, so only a bank's can collide.
    let storedRef = record.ref;
    let id = this.writer.insertNewTransfer(record, fromId, toId);
    for (let n = 1; id === undefined; n++) {
      if (input.bankReference === false) throw new Error(`bank line ${record.line}: hoptrace reference ${record.ref} already stored`);
      storedRef = n === 1 ? `${record.ref}@${input.own}` : `${record.ref}@${input.own}#${n}`;
      id = this.writer.insertNewTransfer({ ...record, ref: storedRef }, fromId, toId);
    }
    // transfers.ref already selects the transfer; transfer_refs holds every other reference.
    if (storedRef !== record.ref) this.insertRef.run(record.ref, id);
    this.storeLine(id, record.time, ownId, record.line, lineRef, true);
    return 'inserted';
  }

  /**
   * Whether this source may already hold a line of this account with this bank reference: a
   * hash of (account, reference) per line, so that a reference seen once costs no query. A
   * colliding hash only costs the query; past REF_HASH_LIMIT lines every line is queried, which
   * keeps memory bounded on any file.
   */
  private refSeenInSource(ownId: number, ref: string): boolean {
    if (this.refHashes === undefined) return true;
    if (this.refHashes.size >= REF_HASH_LIMIT) {
      this.refHashes = undefined;
      return true;
    }
    return this.refHashes.addOrHas(ownId, ref);
  }

  /**
   * A large statement into a case without statements loads its lines without the indexes
   * matching reads (LOOKUP_INDEXES, src/ingest/ingestBank.ts); the look-ups that read them — a
   * reference this file already had, the other side of a payment, a day that comes again — build
   * them first, once.
   */
  readyForLookups(): void {
    this.writeLines();
    this.writer.buildIndexes(LOOKUP_INDEXES);
  }

  /** Writes the waiting bank_lines rows of new transfers, in the order they came. */
  private writeLines(): void {
    const values = this.pendingLines;
    if (values.length === 0) return;
    this.pendingLines = [];
    const full = values.length === LINES_PER_INSERT * 5;
    let written = 0;
    if (full) written = this.insertLines.run(values).changes;
    else for (let i = 0; i < values.length; i += 5) written += this.insertLine.run(values.slice(i, i + 5)).changes;
    if (written !== values.length / 5) throw new Error(`bank_lines: ${values.length / 5 - written} line(s) of new transfers were stored already`);
  }

  /**
   * SourceWriter records a transfer seen again as a sighting (and counts it as already in the
   * case) when handed that transfer's key; the sighting then gets this side's own reference.
   */
  private addSighting(transferId: number, record: TransferRecord, ownId: number, lineRef: string): void {
    const key = this.transferKey.get(transferId) as { ref: string; seq: bigint; time: bigint };
    this.writer.addTransfer({ ...record, ref: key.ref, seq: toNumber(key.seq) });
    this.setSightingRef.run(record.ref, transferId, this.writer.sourceId, record.line);
    if (record.ref !== key.ref) this.insertRef.run(record.ref, transferId);
    this.storeLine(transferId, toNumber(key.time), ownId, record.line, lineRef, false);
  }

  /**
   * The line's bank_lines row. A new transfer's row cannot be there already (its key holds the
   * transfer's id): it waits to be written with others in one INSERT — a statement per line
   * costs as much again as the row (docs/performance.md, "Ingest against a bare pipeline") — and
   * is written before anything reads bank_lines (readyForLookups) and at commit. The row of a
   * transfer seen before may be (the same line read twice), so it is written at once, after the
   * waiting rows, and only a row written counts.
   */
  private storeLine(transferId: number, time: number, ownId: number, line: number, lineRef: string, newTransfer: boolean): void {
    let stored = true;
    if (newTransfer) {
      this.pendingLines.push(transferId, ownId, this.writer.sourceId, line, lineRef);
      if (this.pendingLines.length === LINES_PER_INSERT * 5) this.writeLines();
    } else {
      this.writeLines();
      stored = this.insertLine.run(transferId, ownId, this.writer.sourceId, line, lineRef).changes > 0;
    }
    this.ownAccounts.add(ownId);
    if (stored && lineRef.startsWith('ht-') && !lineRef.endsWith('/fee')) {
      let days = this.linesByDay.get(ownId);
      if (days === undefined) {
        days = new Map();
        this.linesByDay.set(ownId, days);
      }
      days.set(time, (days.get(time) ?? 0) + 1);
    }
  }

  /**
   * How many lines without a bank reference (fees aside) this source stored for the account whose
   * transfers fall on `time`: for an account with no statement before this source, what the case
   * holds of that day (src/store/bankLineRefs.ts), counted without a query.
   */
  linesOfDay(accountId: number, time: number): number {
    return this.linesByDay.get(accountId)?.get(time) ?? 0;
  }

  /**
   * The account's id, its holder and bank recorded: stored with the account when the case did not
   * have it, else set where the case has none (recordHolder).
   */
  private accountWithHolder(ident: string, holder: string | undefined, bank: string | undefined): number {
    const account = { rail: 'bank' as const, ident };
    if (holder === undefined && bank === undefined) return this.writer.accountId(account);
    const id = this.writer.accountId(account, () => ({ holder: holder ?? null, holderNorm: holderNorm(holder), bank: bank ?? null }));
    if (this.writer.accountCreated) this.rememberHolder(id);
    else this.recordHolder(id, holder, bank);
    return id;
  }

  private rememberHolder(accountId: number): void {
    if (this.holdersSet.size > 100_000) this.holdersSet.clear();
    this.holdersSet.add(accountId);
  }

  private recordHolder(accountId: number, holder: string | undefined, bank: string | undefined): void {
    if ((holder === undefined && bank === undefined) || this.holdersSet.has(accountId)) return;
    this.setHolder.run({ id: accountId, holder: holder ?? null, norm: holderNorm(holder), bank: bank ?? null });
    this.rememberHolder(accountId);
  }

  /** A running-balance gap of this source's statement (ingest bank --balance gaps). */
  addGap(gap: BalanceGapInput): void {
    const accountId = this.writer.accountId({ rail: 'bank', ident: gap.account });
    this.insertGap.run(
      accountId,
      gap.asset,
      gap.decimals,
      storedAmount(gap.missing),
      this.writer.sourceId,
      gap.lineBefore ?? null,
      gap.lineAfter,
      gap.timeBefore ?? null,
      gap.timeAfter,
      gap.reason,
    );
  }

  /**
   * The balance before a statement's first line is money no line explains. Only the earliest per
   * account and currency is kept: a later statement's opening is explained by the earlier
   * statement's lines, and the tracer adds up what is stored here.
   */
  addOpeningBalance(opening: OpeningBalanceInput): OpeningOutcome {
    const accountId = this.writer.accountId({ rail: 'bank', ident: opening.account });
    const times = (this.openings.all(accountId, opening.asset) as bigint[]).map(toNumber);
    if (times.length > 0 && times.every((t) => t <= opening.time)) return 'later-than-stored';
    if (times.length > 0) this.deleteOpenings.run(accountId, opening.asset);
    this.insertOpening.run(accountId, opening.asset, opening.decimals, storedAmount(opening.amount), opening.time, this.writer.sourceId, opening.line);
    return times.length > 0 ? 'replaced-later' : 'stored';
  }
}

export interface BankTransferRow {
  id: number;
  ref: string;
  amount: bigint;
  asset: string;
  from: string;
  to: string;
  time: number;
}

/** Transfers a reference selects: the stored reference or any side's (transfer_refs). */
export function selectBankTransfersByRef(db: Db, ref: string): BankTransferRow[] {
  const rows = db
    .prepare(
      `SELECT t.id, t.ref, t.amount, t.asset, f.ident AS from_ident, r.ident AS to_ident, t.time FROM transfers t
       JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id
       WHERE t.id IN (SELECT transfer_id FROM transfer_refs WHERE ref = @ref) OR (t.ref = @ref AND t.rail = 'bank') ORDER BY t.id`,
    )
    .all({ ref }) as { id: bigint; ref: string; amount: bigint; asset: string; from_ident: string; to_ident: string; time: bigint }[];
  return rows.map((r) => ({ id: toNumber(r.id), ref: r.ref, amount: r.amount, asset: r.asset, from: r.from_ident, to: r.to_ident, time: toNumber(r.time) }));
}

/** Where a transfer was seen: its first source and line, then every sighting, with each side's reference. */
export function selectBankProvenance(db: Db, transferId: number): { sourceId: number; path: string; line: number; ref: string }[] {
  const rows = db
    .prepare(
      `SELECT t.source_id, s.path, t.line, t.ref FROM transfers t JOIN sources s ON s.id = t.source_id WHERE t.id = @id
       UNION ALL
       SELECT g.source_id, s.path, g.line, g.ref FROM sightings g JOIN sources s ON s.id = g.source_id WHERE g.transfer_id = @id`,
    )
    .all({ id: transferId }) as { source_id: bigint; path: string; line: bigint; ref: string }[];
  return rows.map((r) => ({ sourceId: toNumber(r.source_id), path: r.path, line: toNumber(r.line), ref: r.ref }));
}
