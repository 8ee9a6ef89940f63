import type { TraceResult } from '../../model/trace.js';
import type { GraphLinkRow } from '../../store/graphQueries.js';
import { impliedRate, traceConversions } from '../../trace/conversions.js';
import { nodeKey, type GraphEdge } from './model.js';

/**
 * Conversion edges (docs/exports.md, "Conversion edges"): one per link, from the fiat payment's
 * recipient (the converter's bank account) to the crypto transfer's sender (its wallet). `nodeOf`
 * maps an account key to the node that stands for it (itself, or its cluster at cluster level).
 */
export function traceConversionEdges(trace: TraceResult, nodeOf: (key: string) => string = (k) => k): GraphEdge[] {
  const victimOf = new Map(trace.seeds.map((s) => [s.id, nodeKey(s.rail, s.from)]));
  return traceConversions(trace).map((c) => {
    const byVictim: Record<string, bigint> = {};
    const decimals = c.traced.includes('.') ? c.traced.length - c.traced.indexOf('.') - 1 : 0;
    for (const [seed, amount] of Object.entries(c.tracedBySeed)) {
      const victim = victimOf.get(seed) ?? `seed:${seed}`;
      byVictim[victim] = (byVictim[victim] ?? 0n) + BigInt(amount.replace('.', ''));
    }
    const tracedByVictim = Object.fromEntries(
      Object.entries(byVictim)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, units]) => [k, unitsText(units, decimals)]),
    );
    return {
      key: `c${c.fiat.transfer}-${c.crypto.transfer}`,
      source: nodeOf(nodeKey(c.fiat.rail, c.fiat.to)),
      target: nodeOf(nodeKey(c.crypto.rail, c.crypto.from)),
      ref: `${c.fiat.ref} → ${c.crypto.ref}`,
      seq: 0,
      time: c.crypto.time,
      asset: c.crypto.asset,
      amount: c.crypto.amount,
      traced: c.traced,
      hop: c.crypto.hop,
      count: 1,
      kind: 'conversion',
      conversion: {
        fiatRef: c.fiat.ref,
        fiatTime: c.fiat.time,
        fiatAmount: c.fiat.amount,
        fiatAsset: c.fiat.asset,
        cryptoRef: c.crypto.ref,
        cryptoTime: c.crypto.time,
        cryptoAmount: c.crypto.amount,
        cryptoAsset: c.crypto.asset,
        rate: c.rate,
        rateFraction: c.rateFraction,
        fiatTraced: c.fiat.traced,
        tracedBySeed: c.tracedBySeed,
        tracedByVictim,
      },
    };
  });
}

/** Conversion edges of the whole case: every stored link, without traced shares. */
export function caseConversionEdge(link: GraphLinkRow, source: string, target: string): GraphEdge {
  const { fiat, crypto } = link;
  const { rate, fraction } = impliedRate(fiat.amount, crypto.amount);
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    key: `c${fiat.id}-${crypto.id}`,
    source,
    target,
    ref: `${fiat.ref} → ${crypto.ref}`,
    seq: 0,
    time: iso(crypto.time),
    asset: crypto.asset,
    amount: crypto.amount,
    traced: null,
    hop: null,
    count: 1,
    kind: 'conversion',
    conversion: {
      fiatRef: fiat.ref,
      fiatTime: iso(fiat.time),
      fiatAmount: fiat.amount,
      fiatAsset: fiat.asset,
      cryptoRef: crypto.ref,
      cryptoTime: iso(crypto.time),
      cryptoAmount: crypto.amount,
      cryptoAsset: crypto.asset,
      rate,
      rateFraction: fraction,
      fiatTraced: null,
      tracedBySeed: null,
      tracedByVictim: null,
    },
  };
}

function unitsText(units: bigint, decimals: number): string {
  const digits = units.toString().padStart(decimals + 1, '0');
  return decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
}
