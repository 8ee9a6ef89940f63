/**
 * Fan-in and fan-out: at least k distinct counterparties into (out of) one account within a window —
 * AMLSim's fan_in/fan_out patterns, and the "funnelling" and "spraying" of the DOJ's Prince Group
 * forfeiture complaint (2025): many victims' payments funnelled into one account, or one account
 * spraying funds across many wallets. Tagged services are neither the hub (an exchange takes in
 * everyone's deposits) nor counterparties: a service ends a path (docs/detection.md).
 */
import type { TransferColumns } from '../../cluster/transferColumns.js';
import { byAccount, isService, unitScore, type Finding, type Typology } from '../types.js';

/**
 * One account's payments of a fan, each with its time and counterparty beside it (aligned by
 * position): densestWindow reads them many times over, and read at rows scattered over the case
 * they were most of the fan typologies' time (docs/performance.md, `detect`).
 */
export interface FanRows {
  rows: Uint32Array;
  times: Float64Array;
  parties: Float64Array;
}

function fan(direction: 'in' | 'out'): Typology {
  return (data, params) => {
    const t = data.transfers;
    const grouped = byAccount(t, params)[direction];
    const side = direction === 'in' ? t.from : t.to;
    const findings: Finding[] = [];
    // Reused for one account after another.
    let rows = new Uint32Array(64);
    let times = new Float64Array(64);
    let parties = new Float64Array(64);
    for (const account of grouped.accounts) {
      if (isService(data, account)) continue;
      const all = grouped.of(account);
      // Fewer than k rows can hold no fan: counted before the rows are read (most accounts).
      if (all.length < params.fanK) continue;
      if (rows.length < all.length) {
        const size = Math.max(all.length, rows.length * 2);
        rows = new Uint32Array(size);
        times = new Float64Array(size);
        parties = new Float64Array(size);
      }
      let n = 0;
      for (let k = 0; k < all.length; k++) {
        const row = all[k]!;
        const party = side[row]!;
        if (isService(data, party)) continue;
        rows[n] = row;
        times[n] = t.time[row]!;
        parties[n++] = party;
      }
      if (n < params.fanK) continue;
      const best = densestWindow(
        t,
        { rows: rows.subarray(0, n), times: times.subarray(0, n), parties: parties.subarray(0, n) },
        params.windowMs,
        params.fanAmountSimilarity,
      );
      if (best.counterparties.length < params.fanK) continue;
      findings.push({
        typology: direction === 'in' ? 'fan-in' : 'fan-out',
        accounts: [account, ...best.counterparties],
        evidence: Array.from(best.rows, (row) => t.ids[row]!),
        score: unitScore(best.counterparties.length / (2 * params.fanK)),
      });
    }
    return findings;
  };
}

/**
 * The window with the most distinct counterparties (two pointers over a time-ordered list of
 * rows), its counterparties ascending and its rows (a view of `fan.rows`). With `similarity` > 0 a
 * window only counts when its smallest payment is at least that share of its largest: AMLSim's
 * (and a scripted operation's) fans move like amounts. Only the best window's bounds are kept
 * while scanning: copying each better window made a hub with thousands of payments quadratic.
 */
export function densestWindow(t: TransferColumns, fan: FanRows, windowMs: number, similarity: number): { counterparties: number[]; rows: Uint32Array } {
  const { rows: list, times, parties } = fan;
  let bestSize = 0;
  let bestStart = 0;
  let bestEnd = 0;
  const counts = new Map<number, number>();
  const share = BigInt(Math.round(similarity * 1_000_000));
  let start = 0;
  for (let end = 0; end < list.length; end++) {
    const c = parties[end]!;
    counts.set(c, (counts.get(c) ?? 0) + 1);
    while (times[end]! - times[start]! > windowMs) {
      const s = parties[start]!;
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
  const counterparties = [...new Set(parties.subarray(bestStart, bestEnd))].sort((a, b) => a - b);
  return { counterparties, rows: list.subarray(bestStart, bestEnd) };
}

export const fanInTypology = fan('in');
export const fanOutTypology = fan('out');
