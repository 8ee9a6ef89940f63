/**
 * Cycle (round-tripping): money that returns to its origin within n hops and a window, each hop
 * after the one before (time-respecting). AMLSim's "cycle" pattern; in scam cases, funds routed
 * through mules and back to a collection account to look like trade.
 */
import { byAccount, type Finding, type Typology } from '../types.js';

export const cycleTypology: Typology = (data, params) => {
  const { out } = byAccount(data.transfers, params.minAmount);
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const [origin, starts] of [...out].sort(([a], [b]) => a - b)) {
    for (const first of starts) {
      const deadline = first.time + params.windowMs;
      const path = [first];
      const onPath = new Set([origin, first.to]);
      let found: typeof path | undefined;
      const walk = (at: number, after: number, depth: number): void => {
        if (found || depth >= params.cycleMaxHops) return;
        for (const next of out.get(at) ?? []) {
          if (next.time < after || next.time > deadline) continue;
          if (next.to === origin && depth + 1 >= 2) {
            found = [...path, next];
            return;
          }
          if (onPath.has(next.to)) continue;
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
      findings.push({ typology: 'cycle', accounts: [...new Set(accounts)], evidence: found.map((t) => t.id), score: found.length });
    }
  }
  return findings;
};
