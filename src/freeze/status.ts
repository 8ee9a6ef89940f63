import { formatAmount, parseAmount } from '../model/amount.js';
import { freezableNow, freezeStateOf, type FreezeEvent } from '../model/freeze.js';
import type { HeldAmount, HoldingHistory, TraceResult } from '../model/trace.js';
import type { ChainStatus } from '../fetch/usdtStatus.js';

const USDT_DECIMALS = 6;

export interface WalletStatus {
  rail: 'ethereum' | 'tron';
  ident: string;
  asset: 'USDT';
  tracedHeld: string;
  /** The trace's history class of the wallet (docs/design.md, rule 10). */
  history: HoldingHistory;
  /** USDT at the address now (null when no node or API was given for its chain). */
  balanceNow: string | null;
  blacklisted: boolean;
  blacklistedSince: string | null;
  /**
   * Whether anything said who is frozen on the wallet's chain: its node or API, or a freeze list
   * the case holds for that chain. When not, `blacklisted: false` means only that no event is
   * known, and the text says "freeze state unknown", never "not frozen".
   */
  freezeChecked: boolean;
  destroyed: string;
  /** min(traced held, balance now); 0 when frozen or burned; null when the balance is unknown. */
  freezableNow: string | null;
  events: { event: string; time: string; tx: string | null; origin: string }[];
}

export interface StatusResult {
  /** The trace this status is of: its rule, its case, and the SHA-256 of the trace file (requests --status checks it). */
  trace: { rule: string; case: TraceResult['case']; sha256: string };
  asOf: Partial<Record<'ethereum' | 'tron', { endpoint: string; block: number | null; time: string }>>;
  wallets: WalletStatus[];
  totals: { tracedHeld: string; freezableNow: string; wallets: number; blacklisted: number; unknownBalance: number; unknownFreeze: number };
}

/** The wallets where a trace's USDT rests: its `held` entries on Ethereum and Tron. */
export function usdtResting(trace: TraceResult): (HeldAmount & { rail: 'ethereum' | 'tron' })[] {
  return trace.held.filter((h): h is HeldAmount & { rail: 'ethereum' | 'tron' } => h.asset === 'USDT' && (h.rail === 'ethereum' || h.rail === 'tron'));
}

/**
 * Joins a trace's resting USDT with what the chains say now and the freeze events known (from the
 * node and from the case's ingested lists): pure, so the same inputs give the same status.
 */
export function buildStatus(
  trace: TraceResult,
  traceSha256: string,
  chains: Partial<Record<'ethereum' | 'tron', ChainStatus>>,
  caseEvents: readonly FreezeEvent[],
  caseListRails: readonly ('ethereum' | 'tron')[],
): StatusResult {
  const wallets: WalletStatus[] = [];
  let tracedTotal = 0n;
  let freezableTotal = 0n;
  let unknown = 0;
  let blacklistedCount = 0;
  let unknownFreeze = 0;
  for (const held of usdtResting(trace)) {
    const chain = chains[held.rail];
    const seen = new Set<string>();
    const events = [...(chain?.events ?? []), ...caseEvents].filter((e) => {
      if (e.rail !== held.rail || e.address !== held.ident) return false;
      const key = `${e.event}|${Math.floor(e.time / 1000)}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    const state = freezeStateOf(events);
    const traced = parseAmount(held.amount, USDT_DECIMALS);
    const balance = chain?.balances.get(held.ident);
    const freezable = balance === undefined ? undefined : freezableNow(traced, balance, state);
    tracedTotal += traced;
    if (freezable !== undefined) freezableTotal += freezable;
    else unknown++;
    if (state.blacklisted) blacklistedCount++;
    const freezeChecked = chain !== undefined || caseListRails.includes(held.rail);
    if (!freezeChecked && !state.blacklisted) unknownFreeze++;
    wallets.push({
      rail: held.rail,
      ident: held.ident,
      asset: 'USDT',
      tracedHeld: held.amount,
      history: held.history,
      balanceNow: balance === undefined ? null : formatAmount(balance, USDT_DECIMALS),
      blacklisted: state.blacklisted,
      blacklistedSince: state.since === undefined ? null : new Date(state.since).toISOString(),
      freezeChecked,
      destroyed: formatAmount(state.destroyed, USDT_DECIMALS),
      freezableNow: freezable === undefined ? null : formatAmount(freezable, USDT_DECIMALS),
      events: state.events.map((e) => ({ event: e.event, time: new Date(e.time).toISOString(), tx: e.tx ?? null, origin: e.origin })),
    });
  }
  const asOf: StatusResult['asOf'] = {};
  for (const rail of ['ethereum', 'tron'] as const) {
    const chain = chains[rail];
    if (chain) asOf[rail] = { endpoint: chain.endpoint, block: chain.block ?? null, time: new Date(chain.time).toISOString() };
  }
  return {
    trace: { rule: trace.rule, case: trace.case, sha256: traceSha256 },
    asOf,
    wallets,
    totals: {
      tracedHeld: formatAmount(tracedTotal, USDT_DECIMALS),
      freezableNow: formatAmount(freezableTotal, USDT_DECIMALS),
      wallets: wallets.length,
      blacklisted: blacklistedCount,
      unknownBalance: unknown,
      unknownFreeze,
    },
  };
}
