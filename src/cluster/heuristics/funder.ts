/**
 * Common fee funder: a wallet that holds only tokens needs TRX (or ETH) for fees, and an operator
 * tops up its throwaway wallets from one funder. Wallets whose FIRST native-coin receipt came from
 * the same funder are one operator's — unless the funder funds more than `funderMaxFanOut` wallets
 * (an energy-rental market or an exchange withdrawal wallet funds everyone) or is a tagged service.
 * Cf. Victor (2020), "Address clustering heuristics for Ethereum", and Tron energy-market practice.
 */
import type { ClusterHeuristic, MergeProposal } from '../types.js';
import { NATIVE_ASSETS } from './soleRecipient.js';


export const funderHeuristic: ClusterHeuristic = (data, params) => {
  const { transfers } = data;
  const native = transfers.assets.map((asset) => NATIVE_ASSETS.has(asset));
  const firstFunding = new Map<number, { funder: number; transfer: number }>();
  for (let i = 0; i < transfers.length; i++) {
    const to = transfers.to[i]!;
    const from = transfers.from[i]!;
    if (!native[transfers.asset[i]!] || firstFunding.has(to) || from === to) continue;
    firstFunding.set(to, { funder: from, transfer: transfers.ids[i]! });
  }
  const funded = new Map<number, { wallet: number; transfer: number }[]>();
  for (const [wallet, { funder, transfer }] of firstFunding) {
    let list = funded.get(funder);
    if (!list) funded.set(funder, (list = []));
    list.push({ wallet, transfer });
  }
  const merges: MergeProposal[] = [];
  for (const [funder, wallets] of [...funded].sort(([a], [b]) => a - b)) {
    if (wallets.length < 2 || wallets.length > params.funderMaxFanOut || data.accounts.get(funder)?.service) continue;
    const sorted = [...wallets].sort((a, b) => a.wallet - b.wallet);
    for (let i = 1; i < sorted.length; i++) {
      merges.push({ a: sorted[0]!.wallet, b: sorted[i]!.wallet, heuristic: 'funder', confidence: 70, evidence: [sorted[0]!.transfer, sorted[i]!.transfer], reason: `first fee money of both came from ${data.accounts.get(funder)?.ident ?? funder}, which funded ${wallets.length} wallets` });
    }
  }
  return merges;
};
