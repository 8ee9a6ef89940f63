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
  const { out } = byAccount(data.transfers, params);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [origin, starts] of [...out].sort(([a], [b]) => a - b)) {
    if (isService(data, origin)) continue;
    for (const first of starts) {
      if (isService(data, first.to)) continue;
      const deadline = first.time + params.windowMs;
      const path = [first];
      const onPath = new Set([origin, first.to]);
      let found: typeof path | undefined;
      // Money coming back: every hop carries between cycleMinShare and 1 ÷ cycleMinShare of the first hop's amount.
      const least = (first.amount * ppm(params.cycleMinShare)) / 1_000_000n;
      const most = params.cycleMinShare > 0 ? (first.amount * 1_000_000n) / ppm(params.cycleMinShare) : -1n;
      const walk = (at: number, after: number, depth: number): void => {
        if (found || depth >= params.cycleMaxHops) return;
        for (const next of out.get(at) ?? []) {
          if (next.time < after || next.time > deadline || next.asset !== first.asset || next.amount < least || (most >= 0n && next.amount > most)) continue;
          if (next.to === origin && depth + 1 >= 2) {
            found = [...path, next];
            return;
          }
          if (onPath.has(next.to) || isService(data, next.to)) continue;
          onPath.add(next.to);
          path.push(next);
          walk(next.to, next.time, depth + 1);
          path.pop();
          onPath.delete(next.to);
          if (found) return;
        }
      };
      walk(first.to, first.time, 1);
      if (!found) continue;
      const accounts = found.map((t) => t.from);
      const key = [...accounts].sort((a, b) => a - b).join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      // How much of the money went all the way round: the smallest hop over the largest.
      const smallest = found.reduce((m, t) => (t.amount < m ? t.amount : m), first.amount);
      const largest = found.reduce((m, t) => (t.amount > m ? t.amount : m), first.amount);
      findings.push({
        typology: 'cycle',
        accounts: [...new Set(accounts)],
        evidence: found.map((t) => t.id),
        score: unitScore(Number((smallest * 1000n) / largest) / 1000),
      });
    }
  }
  return findings;
};
