import { formatAmount, parseAmount } from '../model/amount.js';
import type { HeldAmount, TraceEdge, TraceResult } from '../model/trace.js';
import type { StatusResult } from '../freeze/status.js';
import { EdgeIndex, endpointChains, heldChains, pathsTo, type Arrival } from '../report/evidenceChains.js';
import { exchangeTitle, parseCustomerIdent } from '../model/exchange.js';
import { bankOf } from './bankOf.js';

/** `follow-up`: traced money rests where the case lacks the account's history: no letter, a task. */
export type RequestKind = 'preservation-disclosure' | 'freeze' | 'account-freeze' | 'bank-freeze-production' | 'bank-production' | 'follow-up';

/** One requested item: a row of requests.csv and a line of its recipient's letter. */
export interface RequestItem {
  recipient: string;
  kind: RequestKind;
  rail: string;
  account: string;
  asset: string;
  /** The traced amount the request is about (decimal string in the asset's units). */
  amount: string;
  /** Victim payments (seed ids) whose money it is, with the amount of each. */
  victims: Record<string, string>;
  /** The evidence report's hops: `transfer:ID` of each hop that brought the money, in path order. */
  evidence: string[];
  /** Per-kind details for the letter: deposit tx hash and time, current balance, freeze state. */
  details: Record<string, string>;
  /**
   * Set when the money already reached the recipient in an earlier item: what a customer account
   * at an exchange paid in fees, withdrew where the case cannot follow, or still holds, is part of
   * what was credited to it. The letter's total leaves it out, so nothing is counted twice.
   */
  alreadyCounted?: true;
}

/** Service categories that hold customer records (the money arrived at a business someone runs). */
const SERVICE_CATEGORIES = new Set(['exchange', 'otc', 'payment_processor', 'guarantee_market', 'gambling', 'bridge']);
const ISSUERS: Record<string, string> = { USDT: 'Tether (USDT issuer)' };

/**
 * The service a label names: the label without a closing parenthetical and without the role of
 * the address (`Exchange One hot wallet (invented)` → `Exchange One`, `Binance-Hot 2` → `Binance`,
 * `Binance deposit address (customer 4411)` → `Binance`), or the account when it has no label.
 */
export function serviceOf(labels: readonly string[], fallback: string): string {
  let name = (labels[0] ?? '').trim().replace(/\s*\([^()]*\)\s*$/, '');
  name = name
    .replace(/[-\s]+(hot|cold|deposit|withdrawal|fee)?\s*(wallet|address|hot|cold)?\s*\d*$/i, (m) => (/\S/.test(m.replace(/[-\s\d]/g, '')) ? '' : m))
    .trim();
  return name === '' ? fallback : name;
}

function evidenceOf(result: TraceResult, arrivals: readonly Arrival[]): string[] {
  const hops = new Set<number>();
  for (const arrival of arrivals) for (const path of arrival.paths) for (const hop of path.hops) hops.add(hop);
  return [...hops].sort((a, b) => a - b).map((i) => `transfer:${result.edges[i]!.transfer}`);
}

function decimalsOf(amount: string): number {
  return amount.includes('.') ? amount.split('.')[1]!.length : 0;
}

/**
 * The requests a trace calls for (docs/freeze-and-requests.md): a preservation and disclosure
 * request per service deposit the money reached; a freeze request to the stablecoin's issuer per
 * wallet where traced money rests and whose history the case holds (docs/design.md, rule 10),
 * adjusted by `status` when given (already frozen: no request; freezable now as the amount); a
 * freeze and production request to the bank of each account still holding traced money, and a
 * production request to the bank of each account it passed through. Pure and deterministic.
 */
/** The on-chain deposit a customer credit was linked from: the deposit address, its transaction and time. */
function depositOf(result: TraceResult, credit: TraceEdge): Record<string, string> {
  const deposit = result.edges.find((e) => e.transfer === credit.viaLink);
  if (!deposit || deposit.rail === 'exchange') return {};
  return {
    'deposit address': `${deposit.rail}:${deposit.to}`,
    'deposit transaction': deposit.ref,
    deposited: deposit.time,
    'amount deposited': `${deposit.amount} ${deposit.asset}`,
  };
}

export function requestItems(result: TraceResult, status?: StatusResult): RequestItem[] {
  const edges = new EdgeIndex(result);
  const items: RequestItem[] = [];
  const endpointArrivals = endpointChains(result, edges);
  result.endpoints.forEach((endpoint, i) => {
    if (!SERVICE_CATEGORIES.has(endpoint.category)) return;
    for (const arrival of endpointArrivals[i]!.arrivals) {
      const edge = result.edges[arrival.edge]!;
      const customer = endpoint.rail === 'exchange' ? parseCustomerIdent(edge.from) : undefined;
      const common = {
        recipient: serviceOf(endpoint.labels, `${endpoint.rail}:${endpoint.ident}`),
        kind: 'preservation-disclosure' as const,
        rail: endpoint.rail,
        asset: edge.asset,
        amount: edge.traced,
        victims: edge.bySeed,
        evidence: evidenceOf(result, [arrival]),
      };
      if (customer) {
        // Money leaving a customer account for the exchange's books: a fee, or a withdrawal the case
        // cannot follow on chain (its destination is in the exchange's records).
        const what = edge.ref.endsWith(':fee') ? 'fee' : 'withdrawal not followed on chain';
        items.push({
          ...common,
          account: edge.from,
          details: { 'customer account': customer.account, [what]: edge.ref, time: edge.time, amount: `${edge.amount} ${edge.asset}` },
          alreadyCounted: true,
        });
        continue;
      }
      items.push({
        ...common,
        account: endpoint.ident,
        details: { deposit: edge.ref, time: edge.time, 'amount received': `${edge.amount} ${edge.asset}`, labels: endpoint.labels.join('; ') },
      });
    }
  });
  // Exchange customer accounts the money was credited to (docs/design.md, rule 11).
  result.edges.forEach((edge, index) => {
    if (edge.rail !== 'exchange' || edge.viaLink === undefined) return;
    const [exchange, account] = edge.to.split(':');
    if (!exchange || !account) return;
    items.push({
      recipient: exchangeTitle(exchange),
      kind: 'preservation-disclosure',
      rail: 'exchange',
      account: edge.to,
      asset: edge.asset,
      amount: edge.traced,
      victims: edge.bySeed,
      evidence: evidenceOf(result, [pathsTo(edges, index)]),
      details: { 'customer account': account, ...depositOf(result, edge), credited: edge.time, 'credit reference': edge.ref },
    });
  });
  const statusOf = new Map((status?.wallets ?? []).map((w) => [`${w.rail}:${w.ident}`, w]));
  const heldArrivals = heldChains(result, edges);
  result.held.forEach((held, i) => {
    const evidence = evidenceOf(result, heldArrivals[i]!.arrivals);
    if (held.rail === 'exchange') {
      // A customer account at an exchange is known from the exchange's own return: its history is
      // in the case by construction (docs/design.md, rule 11), and the exchange can freeze it.
      const [exchange, account] = held.ident.split(':');
      if (exchange && account) {
        items.push({
          recipient: exchangeTitle(exchange),
          kind: 'account-freeze',
          rail: 'exchange',
          account: held.ident,
          asset: held.asset,
          amount: held.amount,
          victims: held.bySeed,
          evidence,
          details: { 'customer account': account, 'traced held': `${held.amount} ${held.asset}` },
          alreadyCounted: true,
        });
        return;
      }
    }
    if (!inCase(held)) {
      items.push({
        recipient: 'follow-up (history not in the case)',
        kind: 'follow-up',
        rail: held.rail,
        account: held.ident,
        asset: held.asset,
        amount: held.amount,
        victims: held.bySeed,
        evidence,
        details: historyDetails(held),
      });
      return;
    }
    if (held.rail === 'ethereum' || held.rail === 'tron') {
      const issuer = ISSUERS[held.asset];
      if (!issuer) return;
      const now = statusOf.get(`${held.rail}:${held.ident}`);
      if (now && (now.blacklisted || now.destroyed !== formatAmount(0n, 6))) return;
      const amount = now?.freezableNow ?? held.amount;
      if (parseAmount(amount, decimalsOf(amount)) === 0n) return;
      items.push({
        recipient: issuer,
        kind: 'freeze',
        rail: held.rail,
        account: held.ident,
        asset: held.asset,
        amount,
        victims: held.bySeed,
        evidence,
        details: {
          'traced held': `${held.amount} ${held.asset}`,
          ...historyDetails(held),
          ...(now ? { 'balance now': `${now.balanceNow ?? 'unknown'} ${held.asset}`, blacklisted: 'no' } : {}),
        },
      });
    } else if (held.rail === 'bank') {
      items.push({
        recipient: bankOf(held.ident),
        kind: 'bank-freeze-production',
        rail: 'bank',
        account: held.ident,
        asset: held.asset,
        amount: held.amount,
        victims: held.bySeed,
        evidence,
        details: { 'traced held': `${held.amount} ${held.asset}`, ...historyDetails(held) },
      });
    }
  });
  // Bank accounts the money passed through: their records (a freeze only where money still rests, above).
  const victims = new Set(result.seeds.map((s) => s.from));
  const passed = new Map<string, TraceEdge[]>();
  for (const edge of result.edges) {
    if (edge.rail !== 'bank' || victims.has(edge.from)) continue;
    const list = passed.get(edge.from);
    if (list) list.push(edge);
    else passed.set(edge.from, [edge]);
  }
  for (const [account, out] of [...passed].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const bySeed: Record<string, bigint> = {};
    const decimals = decimalsOf(out[0]!.traced);
    for (const e of out) for (const [seed, v] of Object.entries(e.bySeed)) bySeed[seed] = (bySeed[seed] ?? 0n) + parseAmount(v, decimals);
    const total = Object.values(bySeed).reduce((a, b) => a + b, 0n);
    items.push({
      recipient: bankOf(account),
      kind: 'bank-production',
      rail: 'bank',
      account,
      asset: out[0]!.asset,
      amount: formatAmount(total, decimals),
      victims: Object.fromEntries(Object.entries(bySeed).map(([s, v]) => [s, formatAmount(v, decimals)])),
      evidence: out.map((e) => `transfer:${e.transfer}`),
      details: { 'payments out': out.map((e) => `${e.ref} ${e.time.slice(0, 10)} ${e.amount} ${e.asset}`).join('; ') },
    });
  }
  return items;
}

/** Rule 10: only a resting place whose own history the case holds is asked to freeze. */
function inCase(held: HeldAmount): boolean {
  return held.history.class === 'in-case';
}

function historyDetails(held: HeldAmount): Record<string, string> {
  const h = held.history;
  return h.class === 'in-case' ? { 'history in case until': `${h.until} (${h.basis})` } : { history: `last seen ${h.lastSeen} (history not in the case)` };
}
