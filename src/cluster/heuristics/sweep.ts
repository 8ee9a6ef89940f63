/**
 * Sweep collector: an operator empties its collection wallets into one collector. A wallet that
 * sends at least `sweepShare` of its balance to a collector within `sweepWindowHours` of the
 * receipt it empties, and sends tokens nowhere else (a collection wallet has one job; a person
 * passing money on pays many), is swept; a collector with at least `sweepMinWallets` swept wallets
 * is merged with them. Tagged services are never collectors (customers "sweep" into exchanges too).
 * Native coins (fees) are ignored when deciding where a wallet sends.
 */
import { atLeastShare, type ClusterHeuristic, type MergeProposal } from '../types.js';

const NATIVE = new Set(['TRX', 'ETH']);

export const sweepHeuristic: ClusterHeuristic = (data, params) => {
  const balance = new Map<string, bigint>();
  const lastReceipt = new Map<string, number>();
  const sweeps = new Map<number, Map<number, number>>();
  const window = params.sweepWindowHours * 3_600_000;
  for (const t of data.transfers) {
    const fromKey = `${t.from}|${t.asset}`;
    const toKey = `${t.to}|${t.asset}`;
    const before = balance.get(fromKey) ?? 0n;
    const received = lastReceipt.get(fromKey);
    if (t.from !== t.to && before > 0n && received !== undefined && t.time - received <= window && atLeastShare(t.amount, before, params.sweepShare) && !data.accounts.get(t.to)?.service) {
      const collector = sweeps.get(t.to) ?? new Map<number, number>();
      if (!collector.has(t.from)) collector.set(t.from, t.id);
      sweeps.set(t.to, collector);
    }
    balance.set(fromKey, before > t.amount ? before - t.amount : 0n);
    balance.set(toKey, (balance.get(toKey) ?? 0n) + t.amount);
    lastReceipt.set(toKey, t.time);
  }
  const recipients = new Map<number, Set<number>>();
  for (const t of data.transfers) {
    if (NATIVE.has(t.asset) || t.from === t.to) continue;
    let set = recipients.get(t.from);
    if (!set) recipients.set(t.from, (set = new Set()));
    set.add(t.to);
  }
  for (const [collector, wallets] of sweeps) {
    for (const wallet of [...wallets.keys()]) if ((recipients.get(wallet)?.size ?? 0) !== 1) wallets.delete(wallet);
    if (wallets.size === 0) sweeps.delete(collector);
  }
  const merges: MergeProposal[] = [];
  for (const [collector, wallets] of [...sweeps].sort(([a], [b]) => a - b)) {
    if (wallets.size < params.sweepMinWallets) continue;
    for (const [wallet, transfer] of [...wallets].sort(([a], [b]) => a - b)) {
      merges.push({ a: collector, b: wallet, heuristic: 'sweep', confidence: 60, evidence: [transfer], reason: `emptied itself into ${data.accounts.get(collector)?.ident ?? collector}, a collector of ${wallets.size} wallets` });
    }
  }
  return merges;
};
