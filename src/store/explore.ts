import { canonicalEvmAddress, canonicalTronAddress } from '../model/address.js';
import { formatAmount } from '../model/amount.js';
import { HoptraceError } from '../model/errors.js';
import type {
  AccountBalance,
  BalanceMonth,
  AccountSummary,
  ClusterDetails,
  ConversionEdge,
  Neighbour,
  NeighbourFlow,
  Neighbours,
  TransferPage,
  TransferRow,
} from '../model/explore.js';
import { RAILS, type Rail } from '../model/types.js';
import { amountFromDb, toNumber, type Db } from './caseStore.js';
import {
  COUNTERPARTY_WINDOW,
  countCounterparties,
  EXACT_SUM,
  rankCounterparties,
  selectCounterpartyTotals,
  selectSideTotals,
  type FlowTotals,
} from './accountTotals.js';
import { selectFindings } from './findings.js';
import { selectGraphAccounts } from './graphQueries.js';
import { selectNotes } from './notes.js';
import { selectAssertionsOf } from './clusterAssertions.js';
import { selectTags } from './tags.js';
import { resolveAccountIdent } from './transferRefs.js';

/**
 * Read-only questions an investigator asks of the case file (DESIGN, "Data model"): what is
 * known about an account, its transfers a page at a time, its counterparties, and a free-text
 * search. Shared by the `account`, `transfers` and `search` commands and by `hoptrace serve`.
 */

export interface AccountKey {
  id: number;
  rail: Rail;
  ident: string;
}

const iso = (ms: unknown): string => new Date(toNumber(ms)).toISOString();

/**
 * An account named as a user types it: `IDENT`, `RAIL:IDENT` or `account:IDENT`; IBANs may carry
 * spaces, EVM and Tron addresses any accepted form.
 */
export function findAccount(db: Db, text: string): AccountKey | undefined {
  let value = text.trim().replace(/^account:/, '');
  const railMatch = /^(bank|ethereum|tron):(.*)$/.exec(value);
  const rail = railMatch ? (railMatch[1] as Rail) : undefined;
  if (railMatch) value = railMatch[2]!;
  if (/^[A-Z]{2}\d{2}[A-Z0-9 ]+$/i.test(value) && value.includes(' ')) value = value.replace(/ /g, '').toUpperCase();
  return rail ? findOnRail(db, rail, value) : keyOf(db, resolveQuietly(db, value));
}

function resolveQuietly(db: Db, ident: string): number | undefined {
  try {
    return resolveAccountIdent(db, ident);
  } catch {
    return undefined;
  }
}

function findOnRail(db: Db, rail: Rail, ident: string): AccountKey | undefined {
  const candidates = [ident];
  try {
    if (rail === 'ethereum' && /^0x[0-9a-fA-F]{40}$/.test(ident)) candidates.push(canonicalEvmAddress(ident));
    if (rail === 'tron') candidates.push(canonicalTronAddress(ident));
  } catch {
    // Not a valid address: only the text as typed can match.
  }
  const select = db.prepare('SELECT id FROM accounts WHERE rail = ? AND ident = ?').pluck();
  for (const candidate of candidates) {
    const id = select.get(rail, candidate);
    if (id !== undefined) return keyOf(db, toNumber(id));
  }
  return undefined;
}

function keyOf(db: Db, id: number | undefined): AccountKey | undefined {
  if (id === undefined) return undefined;
  const row = db.prepare('SELECT rail, ident FROM accounts WHERE id = ?').get(id) as { rail: Rail; ident: string } | undefined;
  return row ? { id, rail: row.rail, ident: row.ident } : undefined;
}

/** Like findAccount, but a HoptraceError when nothing matches. */
export function requireAccount(db: Db, text: string): AccountKey {
  const found = findAccount(db, text);
  if (!found) throw new HoptraceError(`no account ${JSON.stringify(text)} in the case file`, { hint: 'find it with hoptrace search TEXT' });
  return found;
}

/** What the case knows about one account: balances per asset, counts, tags, cluster, findings, notes. */
export function selectAccountSummary(db: Db, account: AccountKey): AccountSummary {
  const info = db.prepare('SELECT holder, bank FROM accounts WHERE id = ?').get(account.id) as { holder: string | null; bank: string | null };
  const balances = new Map<
    string,
    { asset: string; decimals: number; opening: bigint; received: bigint; sent: bigint; transfersIn: number; transfersOut: number }
  >();
  const entry = (asset: string, decimals: number) => {
    const key = `${asset}|${decimals}`;
    let found = balances.get(key);
    if (!found) balances.set(key, (found = { asset, decimals, opening: 0n, received: 0n, sent: 0n, transfersIn: 0, transfersOut: 0 }));
    return found;
  };
  for (const f of selectSideTotals(db, account.id, 'sent')) {
    const e = entry(f.asset, f.decimals);
    e.sent += f.sum;
    e.transfersOut += f.count;
  }
  for (const f of selectSideTotals(db, account.id, 'received')) {
    const e = entry(f.asset, f.decimals);
    e.received += f.sum;
    e.transfersIn += f.count;
  }
  for (const o of db.prepare('SELECT asset, decimals, amount FROM opening_balances WHERE account_id = ? ORDER BY time').all(account.id) as {
    asset: string;
    decimals: bigint;
    amount: bigint;
  }[]) {
    entry(o.asset, toNumber(o.decimals)).opening += amountFromDb(o.amount);
  }
  const balanceList: AccountBalance[] = [...balances.values()]
    .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.decimals - b.decimals))
    .map((b) => ({
      asset: b.asset,
      decimals: b.decimals,
      opening: formatAmount(b.opening, b.decimals),
      received: formatAmount(b.received, b.decimals),
      sent: formatAmount(b.sent, b.decimals),
      balance: formatAmount(b.opening + b.received - b.sent, b.decimals),
      transfersIn: b.transfersIn,
      transfersOut: b.transfersOut,
    }));
  const times = db
    .prepare(
      'SELECT MIN(t), MAX(t) FROM (SELECT MIN(time) AS t FROM transfers WHERE from_id = ? UNION ALL SELECT MAX(time) FROM transfers WHERE from_id = ? UNION ALL SELECT MIN(time) FROM transfers WHERE to_id = ? UNION ALL SELECT MAX(time) FROM transfers WHERE to_id = ?)',
    )
    .raw()
    .get(account.id, account.id, account.id, account.id) as [bigint | null, bigint | null];
  const counterparties = countCounterparties(db, account.id);
  const transfersIn = balanceList.reduce((n, b) => n + b.transfersIn, 0);
  const transfersOut = balanceList.reduce((n, b) => n + b.transfersOut, 0);
  // Past the window, counterparties are counted over the latest transfers only, and the answer says so.
  const windowed = transfersIn > COUNTERPARTY_WINDOW || transfersOut > COUNTERPARTY_WINDOW;
  const clusterId = db.prepare('SELECT cluster_id FROM clusters WHERE account_id = ?').pluck().get(account.id) as bigint | undefined;
  const cluster =
    clusterId === undefined
      ? null
      : { id: toNumber(clusterId), size: toNumber(db.prepare('SELECT COUNT(*) FROM clusters WHERE cluster_id = ?').pluck().get(clusterId)) };
  return {
    rail: account.rail,
    ident: account.ident,
    holder: info.holder,
    bank: info.bank,
    balances: balanceList,
    transfers: { in: transfersIn, out: transfersOut, counterparties, ...(windowed ? { counterpartiesInLatest: COUNTERPARTY_WINDOW } : {}) },
    first: times[0] === null ? null : iso(times[0]),
    last: times[1] === null ? null : iso(times[1]),
    tags: selectTags(db, { account: { rail: account.rail, ident: account.ident } }).map((t) => ({
      category: t.category,
      label: t.label,
      confidence: t.confidence,
      origin: t.origin,
      sourcePath: t.sourcePath,
      sourceSha256: t.sourceSha256,
    })),
    cluster,
    findings: selectFindings(db, [account.id]).map((f) => ({ typology: f.typology, score: f.score, accounts: f.accounts, evidence: f.evidence })),
    notes: selectNotes(db, { accountId: account.id }),
    assertions: selectAssertionsOf(db, [account.id]),
  };
}

export interface TransferQuery {
  account?: AccountKey;
  /** UTC ms, inclusive. */
  from?: number;
  to?: number;
  limit: number;
  cursor?: string;
  order?: 'asc' | 'desc';
}

const TIME_MIN = -(2 ** 53);
const TIME_MAX = 2 ** 53;

function parseCursor(cursor: string | undefined, order: 'asc' | 'desc'): [number, number] {
  if (cursor === undefined || cursor === '') return order === 'asc' ? [TIME_MIN, -1] : [TIME_MAX, 2 ** 53];
  const match = /^(-?\d{1,16})\.(\d{1,17})$/.exec(cursor);
  if (!match) throw new HoptraceError(`cursor ${JSON.stringify(cursor)}: expected the "next" value of the previous page`);
  return [Number(match[1]), Number(match[2])];
}

/**
 * Transfers in (time, id) order, a page at a time. Keyset pagination: the cursor is the last
 * row's (time, id), so page N costs what page 1 costs, on the (from_id, time) and (to_id, time)
 * indexes for an account.
 */
export function selectTransferPage(db: Db, query: TransferQuery): TransferPage {
  const { time, id, cmp, dir, from, to, n } = transferKeyset(query);
  const keyset = `(time, id) ${cmp} (?, ?) AND time >= ? AND time <= ?`;
  let rows: [bigint, bigint][];
  if (query.account) {
    const a = query.account.id;
    rows = db
      .prepare(
        `SELECT id, time FROM (SELECT id, time FROM transfers WHERE from_id = ? AND ${keyset} ORDER BY time ${dir}, id ${dir} LIMIT ?)
         UNION ALL SELECT id, time FROM (SELECT id, time FROM transfers WHERE to_id = ? AND from_id <> ? AND ${keyset} ORDER BY time ${dir}, id ${dir} LIMIT ?)
         ORDER BY time ${dir}, id ${dir} LIMIT ?`,
      )
      .raw()
      .all(a, time, id, from, to, n, a, a, time, id, from, to, n, n) as [bigint, bigint][];
  } else {
    rows = db.prepare(`SELECT id, time FROM transfers WHERE ${keyset} ORDER BY time ${dir}, id ${dir} LIMIT ?`).raw().all(time, id, from, to, n) as [
      bigint,
      bigint,
    ][];
  }
  const page = rows.slice(0, query.limit);
  const last = page[page.length - 1];
  const next = rows.length > query.limit && last ? `${toNumber(last[1])}.${toNumber(last[0])}` : null;
  const byId = selectTransferRows(
    db,
    page.map((r) => toNumber(r[0])),
  );
  return { transfers: page.map((r) => byId.get(toNumber(r[0]))!), next };
}

/** Where a page starts and what bounds it: rows with (time, id) `cmp` (time, id), time within [from, to], `n` of them in `dir` order. */
export function transferKeyset(query: TransferQuery): { time: number; id: number; cmp: '>' | '<'; dir: 'ASC' | 'DESC'; from: number; to: number; n: number } {
  const order = query.order ?? 'asc';
  // Without a cursor the first page starts at the period's edge, so the index seek starts there too.
  const start = query.cursor
    ? undefined
    : order === 'asc'
      ? query.from === undefined
        ? undefined
        : `${query.from}.0`
      : query.to === undefined
        ? undefined
        : `${query.to}.${2 ** 53}`;
  const [time, id] = parseCursor(query.cursor ?? start, order);
  return {
    time,
    id,
    cmp: order === 'asc' ? '>' : '<',
    dir: order === 'asc' ? 'ASC' : 'DESC',
    from: query.from ?? TIME_MIN,
    to: query.to ?? TIME_MAX,
    n: query.limit + 1,
  };
}

/** Transfers by id, with both parties and where each was read. */
export function selectTransferRows(db: Db, ids: readonly number[]): Map<number, TransferRow> {
  const out = new Map<number, TransferRow>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT t.id, t.rail, t.ref, t.seq, t.time, t.asset, t.decimals, t.amount, t.description, t.line,
              f.rail AS f_rail, f.ident AS f_ident, f.holder AS f_holder, r.rail AS r_rail, r.ident AS r_ident, r.holder AS r_holder, s.path
       FROM transfers t JOIN accounts f ON f.id = t.from_id JOIN accounts r ON r.id = t.to_id JOIN sources s ON s.id = t.source_id
       WHERE t.id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(ids)) as {
    id: bigint;
    rail: Rail;
    ref: string;
    seq: bigint;
    time: bigint;
    asset: string;
    decimals: bigint;
    amount: bigint | string;
    description: string | null;
    line: bigint;
    f_rail: Rail;
    f_ident: string;
    f_holder: string | null;
    r_rail: Rail;
    r_ident: string;
    r_holder: string | null;
    path: string;
  }[];
  for (const r of rows) {
    out.set(toNumber(r.id), {
      id: toNumber(r.id),
      rail: r.rail,
      ref: r.ref,
      seq: toNumber(r.seq),
      time: iso(r.time),
      asset: r.asset,
      amount: formatAmount(amountFromDb(r.amount), toNumber(r.decimals)),
      from: { rail: r.f_rail, ident: r.f_ident, holder: r.f_holder },
      to: { rail: r.r_rail, ident: r.r_ident, holder: r.r_holder },
      description: r.description,
      source: { path: r.path, line: toNumber(r.line) },
    });
  }
  return out;
}

/** The account's counterparties with what went each way per asset (busiest first), and its conversions. */
export function selectNeighbours(db: Db, account: AccountKey, limit = 200): Neighbours {
  // Ranked in SQL over the latest COUNTERPARTY_WINDOW transfers each way (ties by id), so an
  // exchange's 100,000 transfers are never all read; the kept ones' flows are totalled in full.
  const { kept, total } = rankCounterparties(db, account.id, limit);
  const sent = selectCounterpartyTotals(db, account.id, 'sent', kept);
  const received = selectCounterpartyTotals(db, account.id, 'received', kept);
  const count = (side: 'sent' | 'received') => selectSideTotals(db, account.id, side).reduce((n, f) => n + f.count, 0);
  const windowed = count('sent') > COUNTERPARTY_WINDOW || count('received') > COUNTERPARTY_WINDOW;
  const info = selectGraphAccounts(db, kept);
  const flowsOf = (flows: FlowTotals[] | undefined): NeighbourFlow[] =>
    (flows ?? [])
      .map((f) => ({ asset: f.asset, count: f.count, amount: formatAmount(f.sum, f.decimals), first: iso(f.first), last: iso(f.last) }))
      .sort((x, y) => (x.asset < y.asset ? -1 : x.asset > y.asset ? 1 : 0));
  const neighbours: Neighbour[] = kept.map((id) => {
    const a = info.get(id)!;
    return {
      rail: a.rail,
      ident: a.ident,
      holder: a.holder,
      categories: a.categories,
      cluster: a.cluster,
      sent: flowsOf(sent.get(id)),
      received: flowsOf(received.get(id)),
    };
  });
  return {
    account: { rail: account.rail, ident: account.ident },
    neighbours,
    omitted: total - kept.length,
    ...(windowed ? { rankedInLatest: COUNTERPARTY_WINDOW } : {}),
    conversions: selectConversions(db, account.id),
  };
}

/** Links (fiat payment ↔ crypto transfer) touching the account: the conversion edges of the graph. */
function selectConversions(db: Db, accountId: number): ConversionEdge[] {
  const rows = db
    .prepare(
      `SELECT fa.rail AS f_rail, fa.ident AS f_ident, ca.rail AS c_rail, ca.ident AS c_ident, COUNT(*) AS n
       FROM links l JOIN transfers ft ON ft.id = l.fiat_id JOIN transfers ct ON ct.id = l.crypto_id
       JOIN accounts fa ON fa.id = ft.to_id JOIN accounts ca ON ca.id = ct.from_id
       WHERE ft.to_id = ? OR ct.from_id = ? OR ft.from_id = ? OR ct.to_id = ?
       GROUP BY ft.to_id, ct.from_id ORDER BY fa.ident, ca.ident`,
    )
    .all(accountId, accountId, accountId, accountId) as { f_rail: Rail; f_ident: string; c_rail: Rail; c_ident: string; n: bigint }[];
  return rows.map((r) => ({ fiatTo: { rail: r.f_rail, ident: r.f_ident }, cryptoFrom: { rail: r.c_rail, ident: r.c_ident }, links: toNumber(r.n) }));
}

/** A cluster's accounts and the evidence of each merge inside it. */
export function selectClusterDetails(db: Db, clusterId: number): ClusterDetails | undefined {
  const accounts = db
    .prepare('SELECT a.id, a.rail, a.ident, a.holder FROM clusters c JOIN accounts a ON a.id = c.account_id WHERE c.cluster_id = ? ORDER BY a.rail, a.ident')
    .all(clusterId) as { id: bigint; rail: Rail; ident: string; holder: string | null }[];
  if (accounts.length === 0) return undefined;
  const identOf = new Map(accounts.map((a) => [toNumber(a.id), a.ident]));
  const merges = (
    db
      .prepare(
        "SELECT a, b, heuristic, confidence, transfers FROM cluster_evidence WHERE outcome = 'merged' AND a IN (SELECT account_id FROM clusters WHERE cluster_id = ?) ORDER BY id",
      )
      .all(clusterId) as { a: bigint; b: bigint; heuristic: string; confidence: bigint; transfers: string }[]
  ).map((m) => {
    const evidence = JSON.parse(m.transfers) as { transfers: number[]; reason: string };
    const refs = selectTransferRows(db, evidence.transfers);
    return {
      a: identOf.get(toNumber(m.a)) ?? `account ${m.a}`,
      b: identOf.get(toNumber(m.b)) ?? `account ${m.b}`,
      heuristic: m.heuristic,
      confidence: toNumber(m.confidence),
      reason: evidence.reason,
      transfers: evidence.transfers.map((id) => refs.get(id)?.ref ?? `transfer:${id}`),
    };
  });
  return {
    id: clusterId,
    accounts: accounts.map((a) => ({ rail: a.rail, ident: a.ident, holder: a.holder })),
    merges,
    assertions: selectAssertionsOf(
      db,
      accounts.map((a) => toNumber(a.id)),
    ),
  };
}

export function isRail(value: string): value is Rail {
  return (RAILS as readonly string[]).includes(value);
}

/** The account's balance per asset month by month (UTC), from its opening balance and its transfers. */
export function selectBalanceHistory(db: Db, account: AccountKey): BalanceMonth[] {
  type Row = { month: string; asset: string; decimals: bigint; n: bigint; hi: bigint | null; lo: bigint | null; text_rows: bigint };
  const month = "strftime('%Y-%m', time / 1000, 'unixepoch')";
  const months = new Map<string, { asset: string; decimals: number; month: string; received: bigint; sent: bigint }>();
  for (const [side, column] of [
    ['sent', 'from_id'],
    ['received', 'to_id'],
  ] as const) {
    const rows = db
      .prepare(`SELECT ${month} AS month, asset, decimals, ${EXACT_SUM} FROM transfers WHERE ${column} = ? GROUP BY asset, decimals, month`)
      .all(account.id) as Row[];
    const texts = db
      .prepare(`SELECT amount FROM transfers WHERE ${column} = ? AND asset = ? AND decimals = ? AND ${month} = ? AND typeof(amount) <> 'integer'`)
      .pluck();
    for (const r of rows) {
      let sum = amountFromDb(r.hi ?? 0n) * 1_000_000_000n + amountFromDb(r.lo ?? 0n);
      if (toNumber(r.text_rows) > 0) for (const value of texts.iterate(account.id, r.asset, r.decimals, r.month)) sum += amountFromDb(value);
      const key = `${r.asset}|${toNumber(r.decimals)}|${r.month}`;
      const entry = months.get(key) ?? { asset: r.asset, decimals: toNumber(r.decimals), month: r.month, received: 0n, sent: 0n };
      entry[side] += sum;
      months.set(key, entry);
    }
  }
  const opening = new Map<string, bigint>();
  for (const o of db.prepare('SELECT asset, decimals, amount FROM opening_balances WHERE account_id = ?').all(account.id) as {
    asset: string;
    decimals: bigint;
    amount: bigint;
  }[]) {
    const key = `${o.asset}|${toNumber(o.decimals)}`;
    opening.set(key, (opening.get(key) ?? 0n) + amountFromDb(o.amount));
  }
  const running = new Map<string, bigint>(opening);
  return [...months.values()]
    .sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : a.decimals - b.decimals || (a.month < b.month ? -1 : 1)))
    .map((m) => {
      const key = `${m.asset}|${m.decimals}`;
      const balance = (running.get(key) ?? 0n) + m.received - m.sent;
      running.set(key, balance);
      return {
        asset: m.asset,
        month: m.month,
        received: formatAmount(m.received, m.decimals),
        sent: formatAmount(m.sent, m.decimals),
        balance: formatAmount(balance, m.decimals),
      };
    });
}
