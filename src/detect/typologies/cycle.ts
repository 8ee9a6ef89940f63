/**
 * Cycle (round-tripping): money that returns to its origin within n hops and a window, each hop
 * after the one before (time-respecting). AMLSim's "cycle" pattern; in scam cases, funds routed
 * through mules and back to a collection account to look like trade. A tagged service (exchange,
 * OTC desk, bridge …) ends a path: a withdrawal after a deposit is not money coming back
 * (docs/detection.md, "Services end a path"). Each hop must carry between `cycleMinShare` and
 * 1 ÷ `cycleMinShare` of the first hop's amount: a small payment back ("profit", refund) after a
 * large one, or a large one after a small one, is not a round trip.
 */
import { byAccount, isService, ppm, unitScore, type Finding, type Typology } from '../types.js';

export const cycleTypology: Typology = (data, params) => {
  const t = data.transfers;
  const { out } = byAccount(t, params);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const origin of out.accounts) {
    if (isService(data, origin)) continue;
    for (const first of out.of(origin)) {
      if (isService(data, t.to[first]!)) continue;
      const deadline = t.time[first]! + params.windowMs;
      const asset = t.asset[first]!;
      const firstAmount = t.amount(first);
      const path = [first];
      const onPath = new Set([origin, t.to[first]!]);
      let found: number[] | undefined;
      // Money coming back: every hop carries between cycleMinShare and 1 ÷ cycleMinShare of the first hop's amount.
      const least = (firstAmount * ppm(params.cycleMinShare)) / 1_000_000n;
      const most = params.cycleMinShare > 0 ? (firstAmount * 1_000_000n) / ppm(params.cycleMinShare) : -1n;
      const walk = (at: number, after: number, depth: number): void => {
        if (found || depth >= params.cycleMaxHops) return;
        for (const next of out.of(at)) {
          const time = t.time[next]!;
          if (time < after || time > deadline || t.asset[next] !== asset) continue;
          const amount = t.amount(next);
          if (amount < least || (most >= 0n && amount > most)) continue;
          const to = t.to[next]!;
          if (to === origin && depth + 1 >= 2) {
            found = [...path, next];
            return;
          }
          if (onPath.has(to) || isService(data, to)) continue;
          onPath.add(to);
          path.push(next);
          walk(to, time, depth + 1);
          path.pop();
          onPath.delete(to);
          if (found) return;
        }
      };
      walk(t.to[first]!, t.time[first]!, 1);
      if (!found) continue;
      const accounts = found.map((row) => t.from[row]!);
      const key = [...accounts].sort((a, b) => a - b).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      // How much of the money went all the way round: the smallest hop over the largest.
      const amounts = found.map((row) => t.amount(row));
      const smallest = amounts.reduce((m, a) => (a < m ? a : m), firstAmount);
      const largest = amounts.reduce((m, a) => (a > m ? a : m), firstAmount);
      findings.push({
        typology: 'cycle',
        accounts: [...new Set(accounts)],
        evidence: found.map((row) => t.ids[row]!),
        score: unitScore(Number((smallest * 1000n) / largest) / 1000),
      });
    }
  }
  return findings;
};
