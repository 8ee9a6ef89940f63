/**
 * Sweep collector: an operator empties its collection wallets into one collector. A wallet that
 * sends at least `sweepShare` of its balance to a collector within `sweepWindowHours` of the
 * receipt it empties, and sends tokens nowhere else (a collection wallet has one job; a person
 * passing money on pays many), is swept; a collector with at least `sweepMinWallets` swept wallets
 * is merged with them. Tagged services are never collectors (customers "sweep" into exchanges too).
 * Native coins (fees) are ignored when deciding where a wallet sends. A round trip is not a sweep:
 * the wallet must have received at least `sweepShare` of the swept amount from accounts other than
 * the collector before it swept (a wallet whose money came from the collector and went back is the
 * collector's counterparty, not its collection wallet; docs/clustering.md, "sweep").
 */
import { shareTest, type ClusterHeuristic } from '../types.js';
import { AccountBalances, unsetSlots } from '../accountSlots.js';
import { accountIdBound, MANY, NOBODY, soleRecipients } from './soleRecipient.js';

export const sweepHeuristic: ClusterHeuristic = (data, params, out) => {
  // Balance and last receipt time per asset, in typed arrays indexed by account id
  // (src/cluster/accountSlots.ts). Maps keyed by "id|asset" strings made this heuristic take 21 s
  // on 5M transfers; arrays of bigints, 4.5 s and 400 MB; these, a tenth of that memory.
  const { transfers } = data;
  const size = accountIdBound(data);
  const balances: AccountBalances[] = [];
  const receipts: Float64Array[] = [];
  // The sweeps: a wallet's first sweep (its row) in a slot per wallet, for the collector it pays
  // tokens to; a sweep of fee coins to another collector, which few wallets make, in a map beside
  // it (first sweep per collector). Maps of maps per collector took 90 MB on 5M transfers.
  const firstSweep = unsetSlots(size);
  const otherSweeps = new Map<number, Map<number, number>>();
  const sweepsEnough = shareTest(params.sweepShare);
  const window = params.sweepWindowHours * 3_600_000;
  // A swept wallet sends tokens to one address only: the one it pays, or MANY. Asked before a
  // sweep is recorded, not after: most wallets that pass the balance test pay many addresses, and
  // holding their sweeps until then took hundreds of MB on 5M transfers.
  const onlyRecipient = soleRecipients(transfers, true, size);
  for (let i = 0; i < transfers.length; i++) {
    const from = transfers.from[i]!;
    const to = transfers.to[i]!;
    const time = transfers.time[i]!;
    const amount = transfers.amount(i);
    const asset = transfers.asset[i]!;
    const balance = (balances[asset] ??= new AccountBalances(size));
    const lastReceipt = (receipts[asset] ??= unsetSlots(size));
    const before = balance.get(from);
    // NaN (no receipt yet) fails the window test.
    if (
      from !== to &&
      before > 0n &&
      time - lastReceipt[from]! <= window &&
      sweepsEnough(amount, before) &&
      !data.accounts.isService(to) &&
      paysOne(onlyRecipient[from]!)
    ) {
      if (to === onlyRecipient[from]) {
        if (Number.isNaN(firstSweep[from])) firstSweep[from] = i;
      } else {
        let collectors = otherSweeps.get(from);
        if (!collectors) otherSweeps.set(from, (collectors = new Map()));
        if (!collectors.has(to)) collectors.set(to, i);
      }
    }
    balance.set(from, before > amount ? before - amount : 0n);
    balance.set(to, balance.get(to) + amount);
    lastReceipt[to] = time;
  }
  // Round trips: what each swept wallet received from others than its collector before the sweep
  // (per sweep: in a slot per wallet for its first sweep, keyed by row for the others).
  const fromOthers = new AccountBalances(size);
  const fromOthersOfOther = new Map<number, bigint>();
  for (let i = 0; i < transfers.length; i++) {
    const wallet = transfers.to[i]!;
    const row = firstSweep[wallet]!;
    if (!Number.isNaN(row) && transfers.from[i] !== transfers.to[row] && i < row && transfers.asset[i] === transfers.asset[row])
      fromOthers.set(wallet, fromOthers.get(wallet) + transfers.amount(i));
    const others = otherSweeps.get(wallet);
    if (!others) continue;
    for (const [collector, other] of others) {
      if (transfers.from[i] === collector || i >= other || transfers.asset[i] !== transfers.asset[other]) continue;
      fromOthersOfOther.set(other, (fromOthersOfOther.get(other) ?? 0n) + transfers.amount(i));
    }
  }
  // The sweeps kept, as three flat columns (collector, wallet, row) ordered by collector then
  // wallet: a map of collectors to arrays of [wallet, row] pairs held 49 MB of heap at 1,000,000
  // accounts, promoted scavenge after scavenge (docs/performance.md, `cluster`). A wallet sweeps
  // into a collector at most once, so the order is total.
  let kept = 0;
  for (let wallet = 0; wallet < size; wallet++) if (!Number.isNaN(firstSweep[wallet]!)) kept++;
  for (const others of otherSweeps.values()) kept += others.size;
  const keptCollector = new Float64Array(kept);
  const keptWallet = new Float64Array(kept);
  const keptRow = new Float64Array(kept);
  kept = 0;
  const keep = (collector: number, wallet: number, row: number, received: bigint): void => {
    if (!sweepsEnough(received, transfers.amount(row))) return;
    keptCollector[kept] = collector;
    keptWallet[kept] = wallet;
    keptRow[kept++] = row;
  };
  for (let wallet = 0; wallet < size; wallet++) {
    const row = firstSweep[wallet]!;
    if (!Number.isNaN(row)) keep(transfers.to[row]!, wallet, row, fromOthers.get(wallet));
  }
  for (const [wallet, others] of otherSweeps) for (const [collector, row] of others) keep(collector, wallet, row, fromOthersOfOther.get(row) ?? 0n);
  const order = new Uint32Array(kept);
  for (let k = 0; k < kept; k++) order[k] = k;
  order.sort((x, y) => keptCollector[x]! - keptCollector[y]! || keptWallet[x]! - keptWallet[y]!);
  /** The collectors with enough swept wallets: [collector, first index into `order`, wallets]. */
  const collectors: [collector: number, from: number, wallets: number][] = [];
  for (let start = 0; start < kept; ) {
    const collector = keptCollector[order[start]!]!;
    let end = start + 1;
    while (end < kept && keptCollector[order[end]!] === collector) end++;
    if (end - start >= params.sweepMinWallets) collectors.push([collector, start, end - start]);
    start = end;
  }
  // The idents the reasons name, read at once (they may not be read yet: selectClusterData).
  data.accounts.loadIdents(collectors.map(([collector]) => collector));
  for (const [collector, from, wallets] of collectors) {
    const reason = `emptied itself into ${data.accounts.has(collector) ? data.accounts.ident(collector) : collector}, a collector of ${wallets} wallets`;
    for (let k = from; k < from + wallets; k++) {
      const at = order[k]!;
      out.push(collector, keptWallet[at]!, 'sweep', 60, [transfers.ids[keptRow[at]!]!], reason);
    }
  }
};

function paysOne(recipient: number): boolean {
  return recipient !== NOBODY && recipient !== MANY;
}
