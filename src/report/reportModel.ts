import type { AccountAmount, TraceResult } from '../model/trace.js';
import { sumDecimals } from './decimal.js';

/** What the report says about each account, from the trace alone: its role and its labels. */
export interface AccountRole {
  /** victim, an endpoint category, "freeze candidate", "stopped at the hop limit", … or "intermediary". */
  roles: string[];
  labels: string[];
}

export class AccountRoles {
  private readonly byKey = new Map<string, AccountRole>();

  constructor(result: TraceResult) {
    const add = (rail: string, ident: string, role: string, labels: readonly string[] = []): void => {
      const k = `${rail}:${ident}`;
      const entry = this.byKey.get(k) ?? { roles: [], labels: [] };
      if (!entry.roles.includes(role)) entry.roles.push(role);
      for (const label of labels) if (!entry.labels.includes(label)) entry.labels.push(label);
      this.byKey.set(k, entry);
    };
    for (const s of result.seeds) add(s.rail, s.from, 'victim');
    for (const e of result.endpoints) add(e.rail, e.ident, e.category, e.labels);
    for (const h of result.held) add(h.rail, h.ident, h.history.class === 'in-case' ? 'freeze candidate' : 'last seen here');
    for (const h of result.beyondHopLimit) add(h.rail, h.ident, 'stopped at the hop limit');
    for (const h of result.belowThreshold) add(h.rail, h.ident, 'stopped below the threshold');
  }

  of(rail: string, ident: string): AccountRole {
    return this.byKey.get(`${rail}:${ident}`) ?? { roles: ['intermediary'], labels: [] };
  }

  /** "TT5K… (exchange: Binance-Hot 2; other label)": the full identifier, then what is known of it. */
  describe(rail: string, ident: string): string {
    const { roles, labels } = this.of(rail, ident);
    if (roles.length === 1 && roles[0] === 'intermediary') return ident;
    return `${ident} (${roles.join(', ')}${labels.length ? `: ${labels.join('; ')}` : ''})`;
  }
}

/** Amounts per asset, summed exactly: { USDT: "1800.000000", EUR: "250.00" }. */
export type AssetAmounts = Record<string, string>;

export interface VictimSummary {
  rail: string;
  victim: string;
  seeds: string[];
  paid: AssetAmounts;
  /** Per endpoint category, per asset. */
  reached: Record<string, AssetAmounts>;
  held: AssetAmounts;
  beyondHopLimit: AssetAmounts;
  belowThreshold: AssetAmounts;
}

function addTo(target: AssetAmounts, asset: string, amount: string): void {
  target[asset] = target[asset] === undefined ? amount : sumDecimals([target[asset]!, amount]);
}

/** Per victim (the payer of one or more seeds): paid, reached each endpoint category, held, stopped. */
export function victimSummaries(result: TraceResult): VictimSummary[] {
  const byVictim = new Map<string, VictimSummary>();
  const victimOfSeed = new Map<string, VictimSummary>();
  for (const seed of result.seeds) {
    const k = `${seed.rail}:${seed.from}`;
    let summary = byVictim.get(k);
    if (!summary) byVictim.set(k, (summary = { rail: seed.rail, victim: seed.from, seeds: [], paid: {}, reached: {}, held: {}, beyondHopLimit: {}, belowThreshold: {} }));
    summary.seeds.push(seed.id);
    addTo(summary.paid, seed.asset, seed.paid);
    victimOfSeed.set(seed.id, summary);
  }
  const spread = (items: readonly AccountAmount[], target: (v: VictimSummary, item: AccountAmount) => AssetAmounts): void => {
    for (const item of items) {
      for (const [seed, amount] of Object.entries(item.bySeed)) {
        const victim = victimOfSeed.get(seed);
        if (victim) addTo(target(victim, item), item.asset, amount);
      }
    }
  };
  spread(result.endpoints, (v, item) => (v.reached[(item as TraceResult['endpoints'][number]).category] ??= {}));
  spread(result.held, (v) => v.held);
  spread(result.beyondHopLimit, (v) => v.beyondHopLimit);
  spread(result.belowThreshold, (v) => v.belowThreshold);
  return [...byVictim.values()];
}

export function formatAssetAmounts(amounts: AssetAmounts): string {
  const entries = Object.entries(amounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '—' : entries.map(([asset, amount]) => `${amount} ${asset}`).join(' + ');
}

/** "seed 2: 1500.000000, seed 4: 300.000000". */
export function formatBySeed(bySeed: Readonly<Record<string, string>>): string {
  const entries = Object.entries(bySeed);
  return entries.length === 0 ? '—' : entries.map(([seed, amount]) => `seed ${seed}: ${amount}`).join(', ');
}
