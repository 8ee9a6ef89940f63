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
import { countedTest, isService, ppm, unitScore, victimsOf, type DetectTransfer, type Finding, type Typology } from '../types.js';

export const passThroughTypology: Typology = (data, params) => {
  const counted = countedTest(params);
  const victims = victimsOf(data);
  const ledger = new Map<number, DetectTransfer[]>();
  const add = (account: number, t: DetectTransfer): void => {
    if (isService(data, account) || victims.has(account)) return;
    let list = ledger.get(account);
    if (!list) ledger.set(account, (list = []));
    list.push(t);
  };
  for (const t of data.transfers) {
    if (t.from === t.to || !counted(t)) continue;
    add(t.from, t);
    add(t.to, t);
  }
  const low = ppm(params.passThroughShare);
  const high = ppm(params.passThroughMaxShare);
  const prior = ppm(params.passThroughPriorShare);
  const findings: Finding[] = [];
  for (const [account, all] of [...ledger].sort(([a], [b]) => a - b)) {
    const byAsset = new Map<string, DetectTransfer[]>();
    for (const t of all) {
      let list = byAsset.get(t.asset);
      if (!list) byAsset.set(t.asset, (list = []));
      list.push(t);
    }
    let best = -1;
    const evidence: number[] = [];
    for (const asset of [...byAsset.keys()].sort()) {
      const list = byAsset.get(asset)!;
      let balance = 0n;
      let start = 0;
      while (start < list.length) {
        let end = start + 1;
        while (end < list.length && list[end]!.time - list[end - 1]!.time <= params.windowMs) end++;
        const episode = list.slice(start, end);
        const before = balance;
        let arrived = 0n;
        let forwarded = 0n;
        for (const t of episode) {
          if (t.to === account) {
            balance += t.amount;
            if (!isService(data, t.from)) arrived += t.amount;
          } else {
            forwarded += t.amount;
            // More out than was ever seen in: the holder's own, unseen funds. The balance stays at zero.
            balance = balance > t.amount ? balance - t.amount : 0n;
          }
        }
        start = end;
        if (arrived === 0n || forwarded === 0n) continue;
        if (forwarded * 1_000_000n < arrived * low || forwarded * 1_000_000n > arrived * high || before * 1_000_000n > arrived * prior) continue;
        const off = forwarded > arrived ? forwarded - arrived : arrived - forwarded;
        best = Math.max(best, unitScore(1 - Number((off * 1_000_000n) / arrived) / 1e6 - Number((before * 1_000_000n) / arrived) / 1e6));
        for (const t of episode) if (t.from === account || !isService(data, t.from)) evidence.push(t.id);
      }
    }
    if (best >= 0) findings.push({ typology: 'pass-through', accounts: [account], evidence: evidence.sort((a, b) => a - b), score: best });
  }
  return findings;
};
