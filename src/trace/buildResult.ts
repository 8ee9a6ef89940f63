import { formatAmount } from '../model/amount.js';
import type {
  AccountAmount,
  AmountBySeed,
  AssetTotals,
  HoldingHistory,
  RuleName,
  TraceEdge,
  TraceOptions,
  TraceResult,
  TransferDetails,
} from '../model/trace.js';
import type { LedgerTransfer } from './ledger.js';
import type { AccountRef } from '../model/types.js';
import { IsoTimes } from '../export/graph/isoTime.js';
import { balanceSheets, sumAmounts, unaccountedBySeed } from './conservation.js';
import type { RawHolding, RawTrace, SeedAmounts } from './rawTrace.js';

/** What turning ids into a citable result needs from the case file. */
export interface ResultContext {
  account(accountId: number): AccountRef;
  transferDetails(transferIds: readonly number[]): Map<number, TransferDetails>;
  clusters(accountIds: readonly number[]): Map<number, number>;
  /** Asked for last: the case file's hash may still be being computed while the result is built. */
  caseFile(): TraceResult['case'];
  sources: TraceResult['sources'];
  /** The seed arguments as the user gave them. */
  seedArguments: string[];
  /** How much of a holding account's own history the case holds (DESIGN rule 10), given the last traced arrival there. */
  history(accountId: number, asset: string, lastArrival: LedgerTransfer): HoldingHistory;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The engine's answer as the documented JSON result: decimal strings, stable order, provenance. */
export function buildTraceResult(raw: RawTrace, rule: RuleName, options: TraceOptions, context: ResultContext): TraceResult {
  const seedId = new Map(raw.seeds.map((s) => [s.index, String(s.transfer.id)]));
  const bySeed = (amounts: SeedAmounts, decimals: number): AmountBySeed => {
    const out: AmountBySeed = {};
    // Most edges carry one seed's money: nothing to sort (a copy and a sort per edge, 11,500 edges).
    if (amounts.size === 1) {
      for (const [seed, amount] of amounts) if (amount !== 0n) out[seedId.get(seed) ?? String(seed)] = formatAmount(amount, decimals);
      return out;
    }
    for (const [seed, amount] of [...amounts].sort(([a], [b]) => a - b))
      if (amount !== 0n) out[seedId.get(seed) ?? String(seed)] = formatAmount(amount, decimals);
    return out;
  };
  const accountIds = [...new Set([...raw.endpoints, ...raw.held, ...raw.beyondHopLimit, ...raw.belowThreshold].map((h) => h.accountId))];
  const clusters = context.clusters(accountIds);
  const holding = (h: RawHolding): AccountAmount & { total: bigint } => {
    const account = context.account(h.accountId);
    const total = sumAmounts(h.bySeed);
    const cluster = clusters.get(h.accountId);
    return {
      rail: account.rail,
      ident: account.ident,
      asset: h.asset,
      amount: formatAmount(total, h.decimals),
      bySeed: bySeed(h.bySeed, h.decimals),
      ...(cluster === undefined ? {} : { cluster }),
      total,
    };
  };
  const byLargest = <T extends { total: bigint; rail: string; ident: string; asset: string }>(items: T[]): Omit<T, 'total'>[] => {
    // Ties are common (a tree splits money evenly), so each item's tie key is built once, not
    // twice per comparison (docs/performance.md, "Trace against a bare read").
    const keyed = items.map((item) => ({ item, key: item.rail + item.ident + item.asset }));
    keyed.sort((a, b) => (a.item.total === b.item.total ? compareText(a.key, b.key) : a.item.total > b.item.total ? -1 : 1));
    return keyed.map(({ item: { total: _total, ...rest } }) => rest);
  };

  // The last transfer that brought traced money to each account: its history must reach past it.
  const lastArrival = new Map<string, LedgerTransfer>();
  for (const edge of raw.edges) if (edge.outcome === 'carried') lastArrival.set(edge.transfer.toId + '|' + edge.transfer.asset, edge.transfer);
  const details = context.transferDetails([...raw.seeds.map((s) => s.transfer.id), ...raw.edges.map((e) => e.transfer.id)]);
  const detailOf = (id: number): TransferDetails => {
    const found = details.get(id);
    if (!found) throw new Error(`transfer ${id} has no details in the case file`);
    return found;
  };
  // Edges come in trace order, so their times mostly share a day with the one before.
  const edgeTimes = new IsoTimes();
  const edges: TraceEdge[] = raw.edges.map((edge) => {
    const t = edge.transfer;
    const d = detailOf(t.id);
    const fmt = (amount: bigint): string => formatAmount(amount, t.decimals);
    return {
      transfer: t.id,
      rail: t.rail,
      ref: d.ref,
      seq: d.seq,
      logIndex: d.logIndex,
      from: d.from,
      to: d.to,
      asset: t.asset,
      amount: fmt(t.amount),
      traced: fmt(sumAmounts(edge.bySeed)),
      bySeed: bySeed(edge.bySeed, t.decimals),
      hop: edge.hop,
      time: edgeTimes.format(t.time),
      ...(edge.viaLink === undefined ? {} : { viaLink: edge.viaLink }),
      ...(edge.beyondHopLimit ? { beyondHopLimit: bySeed(edge.beyondHopLimit, t.decimals) } : {}),
      ...(edge.allocation
        ? {
            allocation: {
              balanceBefore: fmt(edge.allocation.balanceBefore),
              tracedBefore: fmt(edge.allocation.tracedBefore),
              tracedCarried: fmt(edge.allocation.tracedCarried),
              tracedLeft: fmt(edge.allocation.tracedLeft),
              unknownDrawn: fmt(edge.allocation.unknownDrawn),
            },
          }
        : {}),
      outcome: edge.outcome,
      source: { path: d.sourcePath, sha256: d.sourceSha256, line: d.line },
    };
  });

  const totals: AssetTotals[] = balanceSheets(raw).map((sheet) => {
    const fmt = (amounts: SeedAmounts | bigint): string => formatAmount(typeof amounts === 'bigint' ? amounts : sumAmounts(amounts), sheet.decimals);
    return {
      asset: sheet.asset,
      seeded: fmt(sheet.seeded),
      linkedIn: fmt(sheet.linkedIn),
      convertedOut: fmt(sheet.convertedOut),
      atEndpoints: fmt(sheet.atEndpoints),
      held: fmt(sheet.held),
      beyondHopLimit: fmt(sheet.beyondHopLimit),
      belowThreshold: fmt(sheet.belowThreshold),
      unknownSourceDrawn: fmt(sheet.unknownDrawn),
      unaccounted: fmt(sumAmounts(unaccountedBySeed(sheet))),
    };
  });

  return {
    rule,
    params: {
      maxHops: options.maxHops ?? null,
      minAmount:
        options.minAmount === undefined
          ? null
          : Object.fromEntries(
              Object.entries(options.minAmount)
                .sort(([a], [b]) => compareText(a, b))
                .map(([asset, t]) => [asset, formatAmount(t.amount, t.decimals)]),
            ),
      until: options.until === undefined ? null : iso(options.until),
      stopAtDegree: options.stopAtDegree ?? null,
      seeds: context.seedArguments,
    },
    seeds: raw.seeds.map((s) => {
      const d = detailOf(s.transfer.id);
      const fmt = (amount: bigint): string => formatAmount(amount, s.transfer.decimals);
      const earlier = [...s.earlier].sort(([a], [b]) => a - b);
      return {
        id: String(s.transfer.id),
        ref: d.ref,
        rail: s.transfer.rail,
        asset: s.transfer.asset,
        amount: fmt(s.transfer.amount),
        paid: fmt(s.transfer.amount),
        traced: fmt(s.seeded),
        ...(earlier.length === 0
          ? {}
          : {
              reason: `the payment carried ${fmt(sumAmounts(s.earlier))} ${s.transfer.asset} already traced to earlier seeds (${earlier.map(([seed, amount]) => `seed ${seedId.get(seed) ?? seed}: ${fmt(amount)}`).join(', ')}), which stays theirs`,
            }),
        from: d.from,
        to: d.to,
        time: iso(s.transfer.time),
      };
    }),
    endpoints: byLargest(
      raw.endpoints.map((e) => {
        const { rail, ident, asset, amount, bySeed: seeds, cluster, total } = holding(e);
        return {
          rail,
          ident,
          category: e.info.category,
          labels: e.info.labels,
          asset,
          amount,
          bySeed: seeds,
          first: iso(e.first),
          last: iso(e.last),
          ...(cluster === undefined ? {} : { cluster }),
          total,
        };
      }),
    ),
    held: byLargest(
      raw.held.map((h) => {
        const arrival = lastArrival.get(h.accountId + '|' + h.asset);
        if (!arrival) throw new Error(`account ${h.accountId} holds traced money that never arrived`);
        return { ...holding(h), history: context.history(h.accountId, h.asset, arrival) };
      }),
    ),
    beyondHopLimit: byLargest(raw.beyondHopLimit.map(holding)),
    belowThreshold: byLargest(raw.belowThreshold.map(holding)),
    unknownSourceDraws: raw.unknownSourceDraws
      .map((d) => ({ ...context.account(d.accountId), asset: d.asset, amount: formatAmount(d.amount, d.decimals), transfers: d.transfers, total: d.amount }))
      .sort((a, b) => (a.total === b.total ? compareText(a.ident, b.ident) : a.total > b.total ? -1 : 1))
      .map(({ total: _total, ...rest }) => rest),
    edges,
    totals: {
      byAsset: totals,
      edges: edges.length,
      accountsReached: raw.accountsReached,
      conserved: totals.every((t) => /^0(\.0*)?$/.test(t.unaccounted)),
    },
    case: context.caseFile(),
    sources: context.sources,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
