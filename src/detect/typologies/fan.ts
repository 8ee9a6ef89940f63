/**
 * Fan-in and fan-out: at least k distinct counterparties into (out of) one account within a window —
 * AMLSim's fan_in/fan_out patterns, and the "funnelling" and "spraying" of the DOJ's Prince Group
 * forfeiture complaint (2025): many victims' payments funnelled into one account, or one account
 * spraying funds across many wallets. Tagged services are neither the hub (an exchange takes in
 * everyone's deposits) nor counterparties: a service ends a path (docs/detection.md).
 */
import type { TransferColumns } from '../../cluster/transferColumns.js';
import { byAccount, isService, unitScore, type Finding, type Typology } from '../types.js';

function fan(direction: 'in' | 'out'): Typology {
  return (data, params) => {
    const t = data.transfers;
    const grouped = byAccount(t, params)[direction];
    const side = direction === 'in' ? t.from : t.to;
    const findings: Finding[] = [];
    for (const account of grouped.accounts) {
      if (isService(data, account)) continue;
      const rows = grouped.of(account);
      // Fewer than k rows can hold no fan: counted before a filtered copy is made (most accounts).
      if (rows.length < params.fanK) continue;
      const list = rows.filter((row) => !isService(data, side[row]!));
      if (list.length < params.fanK) continue;
      const best = densestWindow(t, list, params.windowMs, side, params.fanAmountSimilarity);
      if (best.counterparties.length < params.fanK) continue;
      findings.push({
        typology: direction === 'in' ? 'fan-in' : 'fan-out',
        accounts: [account, ...best.counterparties],
        evidence: [...best.rows].map((row) => t.ids[row]!),
        score: unitScore(best.counterparties.length / (2 * params.fanK)),
      });
    }
    return findings;
  };
}

/**
 * The window with the most distinct counterparties (two pointers over a time-ordered list of
 * rows), its counterparties ascending. With `similarity` > 0 a window only counts when its
 * smallest payment is at least that share of its largest: AMLSim's (and a scripted operation's)
 * fans move like amounts. Only the best window's bounds are kept while scanning: copying each
 * better window made a hub with thousands of payments quadratic.
 */
export function densestWindow(
  t: TransferColumns,
  list: Uint32Array,
  windowMs: number,
  counterparty: ArrayLike<number>,
  similarity: number,
): { counterparties: number[]; rows: Uint32Array } {
  let bestSize = 0;
  let bestStart = 0;
  let bestEnd = 0;
  const counts = new Map<number, number>();
  const share = BigInt(Math.round(similarity * 1_000_000));
  let start = 0;
  for (let end = 0; end < list.length; end++) {
    const c = counterparty[list[end]!]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    while (t.time[list[end]!]! - t.time[list[start]!]! > windowMs) {
      const s = counterparty[list[start]!]!;
      const n = (counts.get(s) ?? 1) - 1;
      if (n === 0) counts.delete(s);
      else counts.set(s, n);
      start++;
    }
    if (counts.size <= bestSize) continue;
    if (share > 0n) {
      let min = t.amount(list[start]!);
      let max = min;
      for (let k = start; k <= end; k++) {
        const amount = t.amount(list[k]!);
        if (amount < min) min = amount;
        if (amount > max) max = amount;
      }
      if (min * 1_000_000n < max * share) continue;
    }
    bestSize = counts.size;
    bestStart = start;
    bestEnd = end + 1;
  }
  const rows = list.subarray(bestStart, bestEnd);
  const counterparties = [...new Set(Array.from(rows, (row) => counterparty[row]!))].sort((a, b) => a - b);
  return { counterparties, rows };
}

export const fanInTypology = fan('in');
export const fanOutTypology = fan('out');
