/**
 * Cycle (round-tripping): money that returns to its origin within n hops and a window, each hop
 * after the one before (time-respecting). AMLSim's "cycle" pattern; in scam cases, funds routed
 * through mules and back to a collection account to look like trade. A tagged service (exchange,
 * OTC desk, bridge …) ends a path: a withdrawal after a deposit is not money coming back
 * (docs/detection.md, "Services end a path"). Each hop must carry between `cycleMinShare` and
 * 1 ÷ `cycleMinShare` of the first hop's amount: a small payment back ("profit", refund) after a
 * large one, or a large one after a small one, is not a round trip.
 */
import { byAccount, idBound, isService, ppm, unitScore, type Finding, type Typology } from '../types.js';

export const cycleTypology: Typology = (data, params) => {
  const t = data.transfers;
  const { out } = byAccount(t, params);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const share = ppm(params.cycleMinShare);
  // The walk reads each candidate hop's time, and most fail there: every account's payments'
  // times and recipients in one run of memory each (positions of `out`), rather than at rows
  // scattered over the case; the path as flags by account id, not a set per first hop
  // (docs/performance.md, `detect`).
  const sentTime = out.gather(t.time, (n) => new Float64Array(n));
  const sentTo = out.gather(t.to, (n) => new Uint32Array(n));
  const onPath = new Uint8Array(idBound(t));
  // The walk's state for the first hop being followed.
  let origin = 0;
  let deadline = 0;
  let asset = 0;
  let least = 0n;
  let most = -1n;
  const path: number[] = [];
  /** The first cycle back to `origin` from `at`, as its rows, or undefined. */
  const walk = (at: number, after: number, depth: number): number[] | undefined => {
    if (depth >= params.cycleMaxHops) return undefined;
    for (let position = out.first(at), end = out.end(at); position < end; position++) {
      const time = sentTime[position]!;
      if (time < after || time > deadline) continue;
      const next = out.rowAt(position);
      if (t.asset[next] !== asset) continue;
      const amount = t.amount(next);
      if (amount < least || (most >= 0n && amount > most)) continue;
      const to = sentTo[position]!;
      if (to === origin && depth + 1 >= 2) return [...path, next];
      if (onPath[to] === 1 || isService(data, to)) continue;
      onPath[to] = 1;
      path.push(next);
      const found = walk(to, time, depth + 1);
      path.pop();
      onPath[to] = 0;
      if (found) return found;
    }
    return undefined;
  };
  for (const account of out.accounts) {
    if (isService(data, account)) continue;
    origin = account;
    for (let position = out.first(origin), end = out.end(origin); position < end; position++) {
      const first = out.rowAt(position);
      const firstTo = sentTo[position]!;
      if (isService(data, firstTo)) continue;
      deadline = sentTime[position]! + params.windowMs;
      asset = t.asset[first]!;
      const firstAmount = t.amount(first);
      path.length = 0;
      path.push(first);
      onPath[origin] = 1;
      onPath[firstTo] = 1;
      // Money coming back: every hop carries between cycleMinShare and 1 ÷ cycleMinShare of the first hop's amount.
      least = (firstAmount * share) / 1_000_000n;
      most = params.cycleMinShare > 0 ? (firstAmount * 1_000_000n) / share : -1n;
      const cycle = walk(firstTo, sentTime[position]!, 1);
      onPath[origin] = 0;
      onPath[firstTo] = 0;
      if (!cycle) continue;
      const accounts = cycle.map((row) => t.from[row]!);
      const key = [...accounts].sort((a, b) => a - b).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      // How much of the money went all the way round: the smallest hop over the largest.
      const amounts = cycle.map((row) => t.amount(row));
      const smallest = amounts.reduce((m, a) => (a < m ? a : m), firstAmount);
      const largest = amounts.reduce((m, a) => (a > m ? a : m), firstAmount);
      findings.push({
        typology: 'cycle',
        accounts: [...new Set(accounts)],
        evidence: cycle.map((row) => t.ids[row]!),
        score: unitScore(Number((smallest * 1000n) / largest) / 1000),
      });
    }
  }
  return findings;
};
