/**
 * Fan-in and fan-out: at least k distinct counterparties into (out of) one account within a window —
 * AMLSim's fan_in/fan_out patterns, and the "funnelling" and "spraying" of the DOJ's Prince Group
 * forfeiture complaint (2025): many victims' payments funnelled into one account, or one account
 * spraying funds across many wallets.
 */
import { byAccount, type DetectTransfer, type Finding, type Typology } from '../types.js';

function fan(direction: 'in' | 'out'): Typology {
  return (data, params) => {
    const grouped = byAccount(data.transfers, params.minAmount)[direction];
    const findings: Finding[] = [];
    for (const [account, list] of [...grouped].sort(([a], [b]) => a - b)) {
      const best = densestWindow(list, params.windowMs, (t) => (direction === 'in' ? t.from : t.to));
      if (best.counterparties.size < params.fanK) continue;
      findings.push({ typology: direction === 'in' ? 'fan-in' : 'fan-out', accounts: [account, ...[...best.counterparties].sort((a, b) => a - b)], evidence: best.transfers.map((t) => t.id), score: best.counterparties.size });
    }
    return findings;
  };
}

/** The window with the most distinct counterparties (two pointers over a time-ordered list). */
function densestWindow(list: DetectTransfer[], windowMs: number, counterparty: (t: DetectTransfer) => number): { counterparties: Set<number>; transfers: DetectTransfer[] } {
  let best = { counterparties: new Set<number>(), transfers: [] as DetectTransfer[] };
  const counts = new Map<number, number>();
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
    if (counts.size > best.counterparties.size) best = { counterparties: new Set(counts.keys()), transfers: list.slice(start, end + 1) };
  }
  return best;
}

export const fanInTypology = fan('in');
export const fanOutTypology = fan('out');
