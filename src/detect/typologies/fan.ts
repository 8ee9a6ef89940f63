/**
 * Fan-in and fan-out: at least k distinct counterparties into (out of) one account within a window —
 * AMLSim's fan_in/fan_out patterns, and the "funnelling" and "spraying" of the DOJ's Prince Group
 * forfeiture complaint (2025): many victims' payments funnelled into one account, or one account
 * spraying funds across many wallets. Tagged services are neither the hub (an exchange takes in
 * everyone's deposits) nor counterparties: a service ends a path (docs/detection.md).
 */
import { byAccount, isService, unitScore, type DetectTransfer, type Finding, type Typology } from '../types.js';

function fan(direction: 'in' | 'out'): Typology {
  return (data, params) => {
    const grouped = byAccount(data.transfers, params)[direction];
    const findings: Finding[] = [];
    const counterparty = (t: DetectTransfer): number => (direction === 'in' ? t.from : t.to);
    for (const [account, all] of [...grouped].sort(([a], [b]) => a - b)) {
      if (isService(data, account)) continue;
      const list = all.filter((t) => !isService(data, counterparty(t)));
      if (list.length < params.fanK) continue;
      const best = densestWindow(list, params.windowMs, counterparty, params.fanAmountSimilarity);
      if (best.counterparties.size < params.fanK) continue;
      findings.push({
        typology: direction === 'in' ? 'fan-in' : 'fan-out',
        accounts: [account, ...[...best.counterparties].sort((a, b) => a - b)],
        evidence: best.transfers.map((t) => t.id),
        score: unitScore(best.counterparties.size / (2 * params.fanK)),
      });
    }
    return findings;
  };
}

/**
 * The window with the most distinct counterparties (two pointers over a time-ordered list). With
 * `similarity` > 0 a window only counts when its smallest payment is at least that share of its
 * largest: AMLSim's (and a scripted operation's) fans move like amounts.
 */
function densestWindow(
  list: DetectTransfer[],
  windowMs: number,
  counterparty: (t: DetectTransfer) => number,
  similarity: number,
): { counterparties: Set<number>; transfers: DetectTransfer[] } {
  let best = { counterparties: new Set<number>(), transfers: [] as DetectTransfer[] };
  const counts = new Map<number, number>();
  const share = BigInt(Math.round(similarity * 1_000_000));
  let start = 0;
  for (let end = 0; end < list.length; end++) {
    const c = counterparty(list[end]!);
    counts.set(c, (counts.get(c) ?? 0) + 1);
    while (list[end]!.time - list[start]!.time > windowMs) {
      const s = counterparty(list[start]!);
      const n = (counts.get(s) ?? 1) - 1;
      if (n === 0) counts.delete(s);
      else counts.set(s, n);
      start++;
    }
    if (counts.size <= best.counterparties.size) continue;
    const window = list.slice(start, end + 1);
    if (share > 0n) {
      let min = window[0]!.amount;
      let max = min;
      for (const t of window) {
        if (t.amount < min) min = t.amount;
        if (t.amount > max) max = t.amount;
      }
      if (min * 1_000_000n < max * share) continue;
    }
    best = { counterparties: new Set(counts.keys()), transfers: window };
  }
  return best;
}

export const fanInTypology = fan('in');
export const fanOutTypology = fan('out');
