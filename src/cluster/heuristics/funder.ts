/**
 * Common fee funder: a wallet that holds only tokens needs TRX (or ETH) for fees, and an operator
 * tops up its throwaway wallets from one funder. Wallets whose FIRST native-coin receipt came from
 * the same funder are one operator's — unless the funder funds more than `funderMaxFanOut` wallets
 * (an energy-rental market or an exchange withdrawal wallet funds everyone) or is a tagged service.
 * Cf. Victor (2020), "Address clustering heuristics for Ethereum", and Tron energy-market practice.
 */
import type { ClusterHeuristic } from '../types.js';
import { unsetSlots } from '../accountSlots.js';
import { accountIdBound, NATIVE_ASSETS } from './soleRecipient.js';

export const funderHeuristic: ClusterHeuristic = (data, params, out) => {
  // Each wallet's first funding, then each funder's count of wallets, in typed arrays indexed by
  // account id: an object per funded wallet in maps took 120 MB at 1,000,000 accounts.
  const { transfers } = data;
  const size = accountIdBound(data);
  const native = transfers.assets.map((asset) => NATIVE_ASSETS.has(asset));
  const funderOf = unsetSlots(size); // NaN: not funded yet
  const fundingTransfer = new Float64Array(size);
  for (let i = 0; i < transfers.length; i++) {
    const to = transfers.to[i]!;
    const from = transfers.from[i]!;
    if (!native[transfers.asset[i]!] || !Number.isNaN(funderOf[to]) || from === to) continue;
    funderOf[to] = from;
    fundingTransfer[to] = transfers.ids[i]!;
  }
  const fundedCount = new Uint32Array(size);
  for (let wallet = 0; wallet < size; wallet++) if (!Number.isNaN(funderOf[wallet])) fundedCount[funderOf[wallet]!]!++;
  // The wallets of each funder that can be an operator's, in id order.
  const walletsOf = new Map<number, number[]>();
  for (let wallet = 0; wallet < size; wallet++) {
    const funder = funderOf[wallet]!;
    if (Number.isNaN(funder)) continue;
    const count = fundedCount[funder]!;
    if (count < 2 || count > params.funderMaxFanOut || data.accounts.isService(funder)) continue;
    let wallets = walletsOf.get(funder);
    if (!wallets) walletsOf.set(funder, (wallets = []));
    wallets.push(wallet);
  }
  const funders = [...walletsOf].sort(([a], [b]) => a - b);
  // The idents the reasons name, read at once (they may not be read yet: selectClusterData).
  data.accounts.loadIdents(funders.map(([funder]) => funder));
  for (const [funder, wallets] of funders) {
    const reason = `first fee money of both came from ${data.accounts.has(funder) ? data.accounts.ident(funder) : funder}, which funded ${wallets.length} wallets`;
    for (let i = 1; i < wallets.length; i++)
      out.push(wallets[0]!, wallets[i]!, 'funder', 70, [fundingTransfer[wallets[0]!]!, fundingTransfer[wallets[i]!]!], reason);
  }
};
