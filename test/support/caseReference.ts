import type { TraceResult } from '../../src/model/trace.js';
import { ENDPOINT_CATEGORIES } from '../../src/model/types.js';
import type { Db } from '../../src/store/caseStore.js';
import { ledgerTransferFromRow } from '../../src/store/traceLedger.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { referenceTrace, type ReferenceLimits, type ReferenceResult, type ReferenceRule } from './referenceTracer.js';

/**
 * The reference tracer over a whole case file, read with plain SQL (no engine code): every
 * transfer, the endpoint tags, the hubs --stop-at-degree makes (untagged accounts with more
 * distinct counterparties), opening balances and links.
 */
export function referenceOverCase(
  db: Db,
  seedIds: readonly number[],
  rule: ReferenceRule,
  limits: ReferenceLimits & { stopAtDegree?: number } = {},
): ReferenceResult {
  const transfers = (
    db.prepare('SELECT id, rail, asset, decimals, amount, from_id, to_id, time, block, log_index FROM transfers').all() as Parameters<
      typeof ledgerTransferFromRow
    >[0][]
  ).map(ledgerTransferFromRow);
  const categories = ENDPOINT_CATEGORIES.map((c) => `'${c}'`).join(', ');
  const endpoints = new Set((db.prepare(`SELECT DISTINCT account_id FROM tags WHERE category IN (${categories})`).pluck().all() as bigint[]).map(Number));
  if (limits.stopAtDegree !== undefined) {
    const tagged = new Set((db.prepare('SELECT DISTINCT account_id FROM tags').pluck().all() as bigint[]).map(Number));
    for (const [account, count] of counterparties(transfers)) if (!tagged.has(account) && count > limits.stopAtDegree) endpoints.add(account);
  }
  const openings = new Map<string, bigint>();
  for (const row of db.prepare('SELECT account_id, asset, SUM(amount) AS amount FROM opening_balances GROUP BY account_id, asset').all() as {
    account_id: bigint;
    asset: string;
    amount: bigint;
  }[]) {
    openings.set(`${Number(row.account_id)}|${row.asset}`, BigInt(row.amount));
  }
  const links = new Map<number, number[]>();
  for (const row of db.prepare('SELECT fiat_id, crypto_id FROM links ORDER BY crypto_id').all() as { fiat_id: bigint; crypto_id: bigint }[]) {
    links.set(Number(row.fiat_id), [...(links.get(Number(row.fiat_id)) ?? []), Number(row.crypto_id)]);
  }
  const { stopAtDegree: _degree, ...rest } = limits;
  return referenceTrace(transfers, seedIds, endpoints, rule, rest, openings, undefined, links);
}

function counterparties(transfers: readonly LedgerTransfer[]): Map<number, number> {
  const others = new Map<number, Set<number>>();
  const add = (a: number, b: number): void => {
    let set = others.get(a);
    if (!set) others.set(a, (set = new Set()));
    set.add(b);
  };
  for (const t of transfers) {
    add(t.fromId, t.toId);
    add(t.toId, t.fromId);
  }
  return new Map([...others].map(([account, set]) => [account, set.size]));
}

/** A `trace --json` result in the reference's shape: account id → seed index → minor units. */
export function resultAsReference(result: TraceResult, accountId: (rail: string, ident: string) => number): ReferenceResult {
  const index = new Map(result.seeds.map((s, i) => [s.id, i]));
  const units = (amount: string): bigint => BigInt(amount.replace('.', ''));
  const toMap = (list: readonly { rail: string; ident: string; bySeed: Record<string, string> }[]) => {
    const out = new Map<number, Map<number, bigint>>();
    for (const item of list) {
      const inner = out.get(accountId(item.rail, item.ident)) ?? new Map<number, bigint>();
      for (const [seed, amount] of Object.entries(item.bySeed))
        if (units(amount) !== 0n) inner.set(index.get(seed)!, (inner.get(index.get(seed)!) ?? 0n) + units(amount));
      out.set(accountId(item.rail, item.ident), inner);
    }
    return out;
  };
  return {
    endpoints: toMap(result.endpoints),
    held: toMap(result.held),
    beyond: toMap(result.beyondHopLimit),
    below: toMap(result.belowThreshold),
    seeded: new Map(result.seeds.map((s, i) => [i, units(s.traced)])),
  };
}
