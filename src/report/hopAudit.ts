import type { AmountBySeed, RuleName, TraceEdge, TraceResult } from '../model/trace.js';
import { decimalsOf, fromUnits, toUnits } from './decimal.js';
import { compareSeedIds } from './evidenceChains.js';

/**
 * Re-checks a trace from its own figures, the way a second examiner would with the report's
 * tables and a calculator: at every hop the allocation arithmetic of the rule, and per account
 * the running traced balance per victim (what arrived, what left, what is left). Nothing here
 * trusts the tracer: a hand-edited or inconsistent trace shows its problems in the report.
 */
export interface HopAudit {
  /** The allocation at this hop in words and figures, for the evidence tables. */
  arithmetic: string;
  /** Inconsistencies found re-checking this hop (empty: the figures agree). */
  problems: string[];
}

export interface StatementLine {
  edge: number;
  direction: 'in' | 'out';
  /** Traced money per seed that arrived or left with this transfer. */
  bySeed: AmountBySeed;
  /** The account's traced money per seed after this line (null under poison, where it is not reduced). */
  tracedAfter: AmountBySeed | null;
}

export interface AccountStatement {
  rail: string;
  ident: string;
  asset: string;
  lines: StatementLine[];
  problems: string[];
}

export interface TraceAudit {
  hops: HopAudit[];
  statements: AccountStatement[];
  /** Problems with the totals and the per-victim balance sheet. */
  totals: string[];
  problemCount: number;
}

type Units = Map<string, bigint>;

interface Running {
  statement: AccountStatement;
  bySeed: Units;
  /** Part of an arrival may have stopped at the hop limit: the running balance is then a bound only. */
  uncertain: boolean;
}

const key = (rail: string, ident: string, asset: string): string => `${rail}\u0000${ident}\u0000${asset}`;

export function auditTrace(result: TraceResult): TraceAudit {
  const seedAmount = new Map(result.seeds.map((s) => [s.id, s.traced]));
  const transferIndex = new Map(result.edges.map((e, i) => [e.transfer, i]));
  const beyond = new Set(result.beyondHopLimit.map((h) => key(h.rail, h.ident, h.asset)));
  const accounts = new Map<string, Running>();
  const poison = result.rule === 'poison';
  const account = (rail: string, ident: string, asset: string): Running => {
    const k = key(rail, ident, asset);
    let running = accounts.get(k);
    if (!running)
      accounts.set(
        k,
        (running = {
          statement: { rail, ident, asset, lines: [], problems: [] },
          bySeed: new Map(),
          uncertain: result.params.maxHops !== null && beyond.has(k),
        }),
      );
    return running;
  };

  const hops = result.edges.map((edge, index): HopAudit => {
    const decimals = decimalsOf(edge.amount);
    const traced = toMap(edge.bySeed, decimals);
    const own = new Map<string, bigint>();
    const seed = seedAmount.get(String(edge.transfer));
    if (seed !== undefined) own.set(String(edge.transfer), toUnits(seed, decimals));
    const injected = edge.viaLink === undefined ? new Map<string, bigint>() : injectedByLink(result, transferIndex.get(edge.viaLink), edge, decimals);
    const departed = minus(minus(traced, own), injected);
    const problems: string[] = [];
    if (sum(traced) !== toUnits(edge.traced, decimals)) problems.push(`traced ${edge.traced} is not the sum of its victims' parts`);
    let arithmetic: string;
    if (edge.allocation) {
      const sender = accounts.get(key(edge.rail, edge.from, edge.asset));
      arithmetic = allocationWords(result.rule, edge, departed, sender?.bySeed, decimals, problems);
      if (sender) applyDeparture(sender, index, departed, poison, toUnits(edge.allocation.tracedBefore, decimals), decimals, problems);
    } else {
      arithmetic =
        seed !== undefined
          ? `victim's payment (seed ${edge.transfer}): ${seed} traced`
          : edge.viaLink !== undefined
            ? `carried by a link from transfer ${edge.viaLink}`
            : 'no allocation recorded';
      if (sum(departed) !== 0n) problems.push(`${fromUnits(sum(departed), decimals)} traced with no allocation at the sender`);
    }
    if (edge.viaLink !== undefined)
      arithmetic += `; link from transfer ${edge.viaLink}: per victim amount × traced fiat ÷ fiat amount, rounded down = ${describe(injected, decimals)}`;
    if (edge.outcome === 'carried') {
      const recipient = account(edge.rail, edge.to, edge.asset);
      if (!poison) for (const [s, units] of traced) recipient.bySeed.set(s, (recipient.bySeed.get(s) ?? 0n) + units);
      recipient.statement.lines.push({ edge: index, direction: 'in', bySeed: edge.bySeed, tracedAfter: poison ? null : fromMap(recipient.bySeed, decimals) });
    }
    return { arithmetic, problems };
  });

  for (const held of result.held) {
    const running = accounts.get(key(held.rail, held.ident, held.asset));
    if (poison || !running || running.uncertain) continue;
    const expected = fromMap(running.bySeed, decimalsOf(held.amount));
    if (JSON.stringify(expected) !== JSON.stringify(sortedBySeed(held.bySeed)))
      running.statement.problems.push(
        `holds ${describe(toMap(held.bySeed, decimalsOf(held.amount)), decimalsOf(held.amount))} by the result, ${describe(running.bySeed, decimalsOf(held.amount))} by its statement`,
      );
  }
  const statements = [...accounts.values()].map((r) => r.statement);
  const totals = totalsProblems(result);
  const problemCount = hops.reduce((n, h) => n + h.problems.length, 0) + statements.reduce((n, s) => n + s.problems.length, 0) + totals.length;
  return { hops, statements, totals, problemCount };
}

/** Checks the sender's running balance against "traced before", then takes the departure off it. */
function applyDeparture(sender: Running, index: number, departed: Units, poison: boolean, tracedBefore: bigint, decimals: number, problems: string[]): void {
  if (!poison && !sender.uncertain && sum(sender.bySeed) !== tracedBefore) {
    problems.push(`traced before ${fromUnits(tracedBefore, decimals)}, but the account's statement holds ${fromUnits(sum(sender.bySeed), decimals)}`);
  }
  if (!poison) {
    for (const [s, units] of departed) {
      const left = (sender.bySeed.get(s) ?? 0n) - units;
      if (left < 0n && !sender.uncertain) problems.push(`seed ${s}: carries more than the account held of it`);
      if (left === 0n) sender.bySeed.delete(s);
      else sender.bySeed.set(s, left);
    }
  }
  sender.statement.lines.push({
    edge: index,
    direction: 'out',
    bySeed: fromMap(departed, decimals),
    tracedAfter: poison ? null : fromMap(sender.bySeed, decimals),
  });
}

/** "balance B, traced T …; <rule> … → carries C; leaves L", with the rule's own re-check. */
function allocationWords(rule: RuleName, edge: TraceEdge, departed: Units, before: Units | undefined, decimals: number, problems: string[]): string {
  const a = edge.allocation!;
  const [A, B, T, C, L, D] = [edge.amount, a.balanceBefore, a.tracedBefore, a.tracedCarried, a.tracedLeft, a.unknownDrawn].map((x) => toUnits(x, decimals)) as [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
  ];
  const f = (units: bigint): string => fromUnits(units, decimals);
  const U = B - T;
  const words = [`balance ${a.balanceBefore}, traced ${a.tracedBefore}, untraced ${f(U)}`];
  if (sum(departed) !== C) problems.push(`traced carried ${a.tracedCarried} differs from the victims' parts leaving the sender (${f(sum(departed))})`);
  const floorTraced = T < (A - U > 0n ? A - U : 0n) ? T : A - U > 0n ? A - U : 0n;
  if (rule !== 'poison') {
    if (C > T || C > A) problems.push(`carries ${a.tracedCarried}, more than the traced money or the amount`);
    if (C < floorTraced) problems.push(`carries ${a.tracedCarried}, but ${f(A)} − untraced ${f(U)} = ${f(floorTraced)} must be traced`);
    if (T - C !== L) problems.push(`traced before − carried = ${f(T - C)}, not the ${a.tracedLeft} left`);
  }
  switch (rule) {
    case 'fifo':
    case 'lifo':
      words.push(`${rule} cuts the ${rule === 'fifo' ? 'oldest' : 'newest'} lots first → carries ${a.tracedCarried} (${describe(departed, decimals)})`);
      break;
    case 'libr':
      words.push(`libr spends untraced money first: ${f(A)} − ${f(U)} = ${f(A - U)}, at most the traced ${a.tracedBefore} → carries ${a.tracedCarried}`);
      if (C !== floorTraced) problems.push(`libr must carry ${f(floorTraced)}`);
      break;
    case 'pro-rata':
      words.push(
        `pro-rata, per victim amount × traced ÷ balance${D > 0n ? ' (with the unknown draw)' : ''}, rounded down: ${proRataWords(A, B + D, before, departed, decimals, problems)} → carries ${a.tracedCarried}`,
      );
      break;
    case 'poison':
      words.push(
        `poison: the account holds traced money, so the whole ${f(A)} is traced → carries ${a.tracedCarried} (${describe(departed, decimals)}); traced money is not reduced`,
      );
      if (T > 0n && C !== A) problems.push(`poison must carry the whole amount ${f(A)}`);
      break;
  }
  words.push(rule === 'poison' ? `leaves ${a.tracedLeft}` : `leaves ${a.tracedBefore} − ${a.tracedCarried} = ${a.tracedLeft}`);
  if (D > 0n) words.push(`${a.unknownDrawn} beyond the balance drawn from an unknown source`);
  return words.join('; ');
}

function proRataWords(amount: bigint, balance: bigint, before: Units | undefined, departed: Units, decimals: number, problems: string[]): string {
  const f = (units: bigint): string => fromUnits(units, decimals);
  if (!before) return describe(departed, decimals);
  const seeds = [...new Set([...before.keys(), ...departed.keys()])].sort(compareSeedIds);
  let roundedToZero = 0;
  const parts = seeds
    .map((s) => {
      const held = before.get(s) ?? 0n;
      const share = balance === 0n ? 0n : (amount * held) / balance;
      const actual = departed.get(s) ?? 0n;
      // The units rounding leaves over go, one each, to the largest remainders when no untraced money is left.
      if (actual !== share && actual !== share + 1n) problems.push(`seed ${s}: pro-rata gives ${f(share)}, the trace carries ${f(actual)}`);
      // Victims whose share rounds down to nothing are counted, not spelled out (many-victim traces).
      if (actual === 0n && share === 0n) {
        roundedToZero++;
        return '';
      }
      return `seed ${s}: ${f(amount)} × ${f(held)} ÷ ${f(balance)} = ${f(share)}${actual === share + 1n ? ' (+1 unit of rounding)' : ''}`;
    })
    .filter((part) => part !== '');
  if (roundedToZero > 0) parts.push(`${roundedToZero} other victim payment${roundedToZero === 1 ? '' : 's'} in the account: share rounds down to 0`);
  return parts.join('; ');
}

/** What a link put into a crypto transfer, per seed: crypto amount × traced fiat ÷ fiat amount. */
function injectedByLink(result: TraceResult, fiatIndex: number | undefined, edge: TraceEdge, decimals: number): Units {
  const out: Units = new Map();
  const fiat = fiatIndex === undefined ? undefined : result.edges[fiatIndex];
  if (!fiat) return out;
  const fiatDecimals = decimalsOf(fiat.amount);
  const fiatAmount = toUnits(fiat.amount, fiatDecimals);
  for (const [s, amount] of Object.entries(fiat.bySeed)) {
    const units = fiatAmount === 0n ? 0n : (toUnits(edge.amount, decimals) * toUnits(amount, fiatDecimals)) / fiatAmount;
    if (units > 0n) out.set(s, units);
  }
  return out;
}

function totalsProblems(result: TraceResult): string[] {
  const problems: string[] = [];
  for (const t of result.totals.byAsset) {
    const d = decimalsOf(t.seeded);
    const total = (items: { asset: string; amount: string }[]): bigint =>
      items.filter((i) => i.asset === t.asset).reduce((n, i) => n + toUnits(i.amount, d), 0n);
    const lists: [string, string, bigint][] = [
      ['seeded', t.seeded, total(result.seeds.map((s) => ({ asset: s.asset, amount: s.traced })))],
      ['at endpoints', t.atEndpoints, total(result.endpoints)],
      ['held', t.held, total(result.held)],
      ['beyond hop limit', t.beyondHopLimit, total(result.beyondHopLimit)],
      ['below threshold', t.belowThreshold, total(result.belowThreshold)],
    ];
    for (const [name, stated, listed] of lists)
      if (toUnits(stated, d) !== listed) problems.push(`${t.asset} ${name}: the totals say ${stated}, the tables add up to ${fromUnits(listed, d)}`);
    const inflow = toUnits(t.seeded, d) + toUnits(t.linkedIn, d) - toUnits(t.convertedOut, d);
    const outflow = lists.slice(1).reduce((n, [, stated]) => n + toUnits(stated, d), 0n);
    if (result.rule !== 'poison' && inflow !== outflow)
      problems.push(
        `${t.asset}: seeded + linked in − converted out = ${fromUnits(inflow, d)}, but endpoints + held + beyond + below = ${fromUnits(outflow, d)}`,
      );
  }
  const linked = result.totals.byAsset.some((t) => !/^0*\.?0*$/.test(t.linkedIn) || !/^0*\.?0*$/.test(t.convertedOut));
  if (result.rule !== 'poison' && !linked) {
    const reached = new Map<string, bigint>();
    for (const h of [...result.endpoints, ...result.held, ...result.beyondHopLimit, ...result.belowThreshold]) {
      const d = decimalsOf(h.amount);
      for (const [seed, amount] of Object.entries(h.bySeed)) reached.set(seed, (reached.get(seed) ?? 0n) + toUnits(amount, d));
    }
    for (const seed of result.seeds) {
      const d = decimalsOf(seed.traced);
      const total = reached.get(seed.id) ?? 0n;
      if (total !== toUnits(seed.traced, d))
        problems.push(`seed ${seed.id}: traced ${seed.traced}, but endpoints + held + stopped add up to ${fromUnits(total, d)}`);
    }
  }
  return problems;
}

function toMap(bySeed: AmountBySeed, decimals: number): Units {
  return new Map(Object.entries(bySeed).map(([s, amount]) => [s, toUnits(amount, decimals)]));
}

function fromMap(units: Units, decimals: number): AmountBySeed {
  const out: AmountBySeed = {};
  for (const s of [...units.keys()].sort(compareSeedIds)) if (units.get(s) !== 0n) out[s] = fromUnits(units.get(s)!, decimals);
  return out;
}

function sortedBySeed(bySeed: AmountBySeed): AmountBySeed {
  const out: AmountBySeed = {};
  for (const s of Object.keys(bySeed).sort(compareSeedIds)) out[s] = bySeed[s]!;
  return out;
}

function minus(a: Units, b: Units): Units {
  const out = new Map(a);
  for (const [s, units] of b) {
    const left = (out.get(s) ?? 0n) - units;
    if (left === 0n) out.delete(s);
    else out.set(s, left);
  }
  return out;
}

function sum(units: Units): bigint {
  let total = 0n;
  for (const u of units.values()) total += u;
  return total;
}

/** "seed 2: 1500.000000, seed 4: 1500.000000" (or "none"). */
export function describe(units: Units, decimals: number): string {
  const seeds = [...units.keys()].filter((s) => units.get(s) !== 0n).sort(compareSeedIds);
  // '; ' between victims: a payment's name (victim, date, reference) has commas of its own.
  return seeds.length === 0 ? 'none' : seeds.map((s) => `seed ${s}: ${fromUnits(units.get(s)!, decimals)}`).join('; ');
}
