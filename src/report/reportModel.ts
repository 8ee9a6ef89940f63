import type { CaseAnnotation, CaseNames } from '../model/caseNames.js';
import { customerName, parseCustomerIdent } from '../model/exchange.js';
import type { AccountAmount, TraceResult } from '../model/trace.js';
import { sumDecimals } from './decimal.js';
import { exact, summary, when } from './figures.js';

/** What the report says about each account, from the trace alone: its role and its labels. */
export interface AccountRole {
  /** victim, an endpoint category, "freeze candidate", "stopped at the hop limit", … or "intermediary". */
  roles: string[];
  labels: string[];
}

/** A long reference shortened for a payment's name (the full one is in "Victim payments"). */
const shortRef = (ref: string): string => (ref.length > 20 ? `${ref.slice(0, 10)}…` : ref);
/** An unnamed victim's identifier, shortened for a payment's name: "TE5Pa3sD…LzRc". */
const shortIdent = (ident: string): string => (ident.length > 20 ? `${ident.slice(0, 8)}…${ident.slice(-4)}` : ident);

export class AccountRoles {
  private readonly byKey = new Map<string, AccountRole>();
  private readonly payments = new Map<string, string>();

  constructor(
    result: TraceResult,
    private readonly names: CaseNames | null = null,
  ) {
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
    for (const s of result.seeds)
      this.payments.set(s.id, `${this.name(s.rail, s.from) ?? shortIdent(s.from)}, ${when(s.rail, s.time).slice(0, 10)}, ${shortRef(s.ref)}`);
  }

  /**
   * What the case calls an account: its first tag label, else the holder name its statement
   * gives, else (without the case file) the trace's own endpoint label; null when nothing names it.
   */
  name(rail: string, ident: string): string | null {
    const known = this.names?.accounts[`${rail}:${ident}`];
    const customer = rail === 'exchange' ? parseCustomerIdent(ident) : undefined;
    return (
      known?.labels[0] ??
      known?.holder ??
      this.byKey.get(`${rail}:${ident}`)?.labels[0] ??
      (customer ? customerName(customer.exchange, customer.account) : null)
    );
  }

  /** The account's tag categories in the case ("mule", "otc"), else the trace's endpoint category. */
  categories(rail: string, ident: string): string[] {
    const known = this.names?.accounts[`${rail}:${ident}`]?.categories ?? [];
    return known.length > 0
      ? known
      : this.of(rail, ident).roles.filter((r) => r !== 'intermediary' && r !== 'victim' && r !== 'freeze candidate' && !r.startsWith('stopped'));
  }

  /** Every label the case's tags and the trace give an account. */
  labels(rail: string, ident: string): string[] {
    return [...new Set([...(this.names?.accounts[`${rail}:${ident}`]?.labels ?? []), ...this.of(rail, ident).labels])];
  }

  /** A victim payment by victim, date and reference: "Anna Becker, 2025-03-10, SEPA-1001". */
  payment(seed: string): string {
    return this.payments.get(seed) ?? `payment ${seed}`;
  }

  /** "Anna Becker, 2025-03-10, SEPA-1001: 1,500.00; …" — exact figures unless asked for a summary. */
  bySeed(bySeed: Readonly<Record<string, string>>, mode: 'exact' | 'summary' = 'exact'): string {
    const entries = Object.entries(bySeed);
    return entries.length === 0
      ? '—'
      : entries.map(([seed, amount]) => `${this.payment(seed)}: ${mode === 'exact' ? exact(amount) : summary(amount)}`).join('; ');
  }

  /** Every "seed N" of a checker's text (the allocation arithmetic) as the payment's name. */
  relabel(text: string): string {
    return text.replace(/\bseed (\d+)/g, (whole, id: string) => (this.payments.has(id) ? this.payment(id) : whole));
  }

  /** Investigators' notes on an account, oldest first (none without the case file). */
  notes(rail: string, ident: string): readonly CaseAnnotation[] {
    return this.names?.accounts[`${rail}:${ident}`]?.notes ?? [];
  }

  /** Investigators' notes on a transfer, oldest first. */
  transferNotes(transfer: number): readonly CaseAnnotation[] {
    return this.names?.transferNotes?.[String(transfer)] ?? [];
  }

  of(rail: string, ident: string): AccountRole {
    return this.byKey.get(`${rail}:${ident}`) ?? { roles: ['intermediary'], labels: [] };
  }

  /**
   * "Exchange One hot wallet — TCwx… (exchange)": the name, the full identifier, then its roles
   * and any further labels; an unnamed intermediary is its identifier alone.
   */
  describe(rail: string, ident: string): string {
    const { roles } = this.of(rail, ident);
    const name = this.name(rail, ident);
    const known = this.names?.accounts[`${rail}:${ident}`];
    const labels = [...new Set([...(known?.labels ?? []), ...this.of(rail, ident).labels])].filter((l) => l !== name);
    const shown = roles.length === 1 && roles[0] === 'intermediary' ? (known?.categories.length ? known.categories : []) : roles;
    const suffix = shown.length || labels.length ? ` (${shown.join(', ')}${shown.length && labels.length ? ': ' : ''}${labels.join('; ')})` : '';
    return `${name ? `${name} — ` : ''}${ident}${suffix}`;
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
    if (!summary)
      byVictim.set(k, (summary = { rail: seed.rail, victim: seed.from, seeds: [], paid: {}, reached: {}, held: {}, beyondHopLimit: {}, belowThreshold: {} }));
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

export function formatAssetAmounts(amounts: AssetAmounts, mode: 'exact' | 'summary' = 'exact'): string {
  const entries = Object.entries(amounts).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '—' : entries.map(([asset, amount]) => `${mode === 'exact' ? exact(amount) : summary(amount)} ${asset}`).join(' + ');
}

/** Every account a trace names ("rail:ident"): the ones a report wants names for. */
export function traceAccountKeys(result: TraceResult): string[] {
  const keys = new Set<string>();
  for (const s of result.seeds) keys.add(`${s.rail}:${s.from}`).add(`${s.rail}:${s.to}`);
  for (const e of result.edges) keys.add(`${e.rail}:${e.from}`).add(`${e.rail}:${e.to}`);
  for (const a of [...result.endpoints, ...result.held, ...result.beyondHopLimit, ...result.belowThreshold, ...result.unknownSourceDraws])
    keys.add(`${a.rail}:${a.ident}`);
  return [...keys].sort();
}
