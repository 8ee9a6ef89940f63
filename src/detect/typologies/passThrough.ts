/**
 * Pass-through (money mule): an account that forwards what arrives, within a band, and holds
 * nothing of its own against the flow (FATF, "Money laundering using new payment methods"; the
 * mule indicators of the Egmont/FATF 2022 report). docs/detection.md, "pass-through":
 *
 * - An episode is a run of the account's payments (one asset) with no gap longer than the window.
 * - Arrived: what other accounts paid it in the episode. Receipts from tagged services (exchange
 *   withdrawals, OTC payouts) are the holder's own purchases, not flow: a service ends a path.
 * - Forwarded: what it paid out in the episode (cash-out to a service counts: that is where mules pay).
 * - Pass-through when forwarded ÷ arrived lies in [passThroughShare, passThroughMaxShare] and the
 *   balance before the episode is at most passThroughPriorShare of what arrived. The upper bound
 *   keeps out a victim who receives a salary and then sends their savings on.
 * - Never a victim (they are victim-offender-overlap findings) and never a tagged service.
 */
import { AccountRows } from '../accountRows.js';
import { countedTest, isService, ppm, unitScore, victimsOf, type Typology } from '../types.js';

// A generator: each finding is taken as it is found (497,209 of them at 5,000,000 transfers; docs/performance.md, `detect`).
export const passThroughTypology: Typology = function* (data, params) {
  const t = data.transfers;
  const counted = countedTest(t, params);
  const victims = victimsOf(data);
  // Every payment an account sends or receives, in time order.
  const ledger = AccountRows.group(t, [t.from, t.to], (row) => t.from[row] !== t.to[row] && counted(row));
  const low = ppm(params.passThroughShare);
  const high = ppm(params.passThroughMaxShare);
  const prior = ppm(params.passThroughPriorShare);
  // The account at hand, its best score and its evidence so far.
  let account = 0;
  let best = -1;
  let evidence: number[] = [];

  /** The end of the episode that starts at `start`: no gap between two payments longer than the window. */
  const episodeEnd = (list: Uint32Array, start: number): number => {
    let end = start + 1;
    // Each row's time read once, the one before it kept.
    for (let last = t.time[list[start]!]!; end < list.length; end++) {
      const time = t.time[list[end]!]!;
      if (time - last > params.windowMs) break;
      last = time;
    }
    return end;
  };

  /** An episode with money both in and out: a pass-through when its shares are within the bounds. */
  const judge = (list: Uint32Array, first: number, end: number, before: bigint, arrived: bigint, forwarded: bigint): void => {
    if (forwarded * 1_000_000n < arrived * low || forwarded * 1_000_000n > arrived * high || before * 1_000_000n > arrived * prior) return;
    const off = forwarded > arrived ? forwarded - arrived : arrived - forwarded;
    best = Math.max(best, unitScore(1 - Number((off * 1_000_000n) / arrived) / 1e6 - Number((before * 1_000_000n) / arrived) / 1e6));
    for (let k = first; k < end; k++) {
      const row = list[k]!;
      if (t.from[row] === account || !isService(data, t.from[row]!)) evidence.push(t.ids[row]!);
    }
  };

  /**
   * The episodes of one asset's payments, summed as numbers while every sum is exact (within
   * 2^53), which is nearly always: a bigint per payment and per sum was most of this typology's
   * time (docs/performance.md, `detect`). False, having judged part of the list, when a sum or an
   * amount is past that: the caller then starts the list again with `exactEpisodes`.
   */
  const numberEpisodes = (list: Uint32Array): boolean => {
    let balance = 0;
    let start = 0;
    while (start < list.length) {
      const end = episodeEnd(list, start);
      const before = balance;
      let arrived = 0;
      let forwarded = 0;
      for (let k = start; k < end; k++) {
        const row = list[k]!;
        const amount = t.amountNumber(row);
        if (Number.isNaN(amount)) return false;
        if (t.to[row] === account) {
          balance += amount;
          if (balance > Number.MAX_SAFE_INTEGER) return false;
          if (!isService(data, t.from[row]!)) arrived += amount;
        } else {
          forwarded += amount;
          // More out than was ever seen in: the holder's own, unseen funds. The balance stays at zero.
          balance = balance > amount ? balance - amount : 0;
        }
      }
      // Amounts are never negative, so these sums only grow: exact if the last one is.
      if (arrived > Number.MAX_SAFE_INTEGER || forwarded > Number.MAX_SAFE_INTEGER) return false;
      const first = start;
      start = end;
      if (arrived === 0 || forwarded === 0) continue;
      judge(list, first, end, BigInt(before), BigInt(arrived), BigInt(forwarded));
    }
    return true;
  };

  /** The same, in bigints throughout. */
  const exactEpisodes = (list: Uint32Array): void => {
    let balance = 0n;
    let start = 0;
    while (start < list.length) {
      const end = episodeEnd(list, start);
      const before = balance;
      let arrived = 0n;
      let forwarded = 0n;
      for (let k = start; k < end; k++) {
        const row = list[k]!;
        const amount = t.amount(row);
        if (t.to[row] === account) {
          balance += amount;
          if (!isService(data, t.from[row]!)) arrived += amount;
        } else {
          forwarded += amount;
          balance = balance > amount ? balance - amount : 0n;
        }
      }
      const first = start;
      start = end;
      if (arrived === 0n || forwarded === 0n) continue;
      judge(list, first, end, before, arrived, forwarded);
    }
  };

  const byAsset = assetSplitter(t.assets, t.asset);
  for (const id of ledger.accounts) {
    if (isService(data, id) || victims.has(id)) continue;
    account = id;
    best = -1;
    evidence = [];
    for (const list of byAsset(ledger.of(id))) {
      const bestBefore = best;
      const evidenceBefore = evidence.length;
      if (numberEpisodes(list)) continue;
      best = bestBefore;
      evidence.length = evidenceBefore;
      exactEpisodes(list);
    }
    if (best >= 0) yield { typology: 'pass-through', accounts: [id], evidence: evidence.sort((a, b) => a - b), score: best };
  }
};

/**
 * An account's rows split by asset, in the order of the assets' names, each in row (time) order;
 * one asset is not copied. A counting sort by the asset's rank into one reused buffer: a map of a
 * list per asset and a typed-array copy of each was a third of this typology's time on a case of
 * two assets (docs/performance.md, `detect`). The lists are views of that buffer, valid until the
 * next call.
 */
function assetSplitter(names: readonly string[], asset: Uint32Array): (rows: Uint32Array) => Uint32Array[] {
  const byName = names.map((_, index) => index).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Uint32Array(names.length);
  for (let r = 0; r < byName.length; r++) rank[byName[r]!] = r;
  // starts[r]..starts[r + 1]: where the rows of the asset ranked r go.
  const starts = new Uint32Array(names.length + 1);
  const next = new Uint32Array(names.length);
  let sorted = new Uint32Array(64);
  return (rows) => {
    const first = rows.length > 0 ? asset[rows[0]!]! : 0;
    let one = true;
    for (let k = 1; k < rows.length && one; k++) one = asset[rows[k]!] === first;
    if (one) return [rows];
    if (sorted.length < rows.length) sorted = new Uint32Array(Math.max(rows.length, sorted.length * 2));
    starts.fill(0);
    for (let k = 0; k < rows.length; k++) starts[rank[asset[rows[k]!]!]! + 1]!++;
    for (let r = 0; r < names.length; r++) {
      starts[r + 1]! += starts[r]!;
      next[r] = starts[r]!;
    }
    for (let k = 0; k < rows.length; k++) sorted[next[rank[asset[rows[k]!]!]!]!++] = rows[k]!;
    const lists: Uint32Array[] = [];
    for (let r = 0; r < names.length; r++) if (starts[r + 1]! > starts[r]!) lists.push(sorted.subarray(starts[r]!, starts[r + 1]!));
    return lists;
  };
}
