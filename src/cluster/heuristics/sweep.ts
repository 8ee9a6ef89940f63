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
import { accountIdBound, MANY, soleRecipients } from './soleRecipient.js';

export const sweepHeuristic: ClusterHeuristic = (data, params, out) => {
  // Balance and last receipt time per asset, in typed arrays indexed by account id
  // (src/cluster/accountSlots.ts). Maps keyed by "id|asset" strings made this heuristic take 21 s
  // on 5M transfers; arrays of bigints, 4.5 s and 400 MB; these, a tenth of that memory.
  const { transfers } = data;
  const size = accountIdBound(data);
  const balances: AccountBalances[] = [];
  const receipts: Float64Array[] = [];
  /** Collector → swept wallet → the row of the sweep. */
  const sweeps = new Map<number, Map<number, number>>();
  const sweepsEnough = shareTest(params.sweepShare);
  const window = params.sweepWindowHours * 3_600_000;
  // A swept wallet sends tokens to one address only: the one it pays, or MANY. Asked before a
  // sweep is recorded, not after: most wallets that pass the balance test pay many addresses, and
  // holding their sweeps until then took hundreds of MB on 5M transfers.
  const onlyRecipient = soleRecipients(transfers, true);
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
      paysOne(onlyRecipient[from])
    ) {
      let collector = sweeps.get(to);
      if (!collector) sweeps.set(to, (collector = new Map()));
      if (!collector.has(from)) collector.set(from, i);
    }
    balance.set(from, before > amount ? before - amount : 0n);
    balance.set(to, balance.get(to) + amount);
    lastReceipt[to] = time;
  }
  // Round trips: what each swept wallet received from others than its collector before the sweep.
  const sweptBy = new Map<number, [collector: number, row: number][]>();
  for (const [collector, wallets] of sweeps) {
    for (const [wallet, row] of wallets) {
      let list = sweptBy.get(wallet);
      if (!list) sweptBy.set(wallet, (list = []));
      list.push([collector, row]);
    }
  }
  // Keyed by the sweep's row, which names its (collector, wallet) pair: a "collector|wallet"
  // string per transfer in took 180 MB on 5M transfers.
  const fromOthers = new Map<number, bigint>();
  for (let i = 0; i < transfers.length; i++) {
    const list = sweptBy.get(transfers.to[i]!);
    if (!list) continue;
    for (const [collector, row] of list) {
      if (transfers.from[i] === collector || i >= row || transfers.asset[i] !== transfers.asset[row]) continue;
      fromOthers.set(row, (fromOthers.get(row) ?? 0n) + transfers.amount(i));
    }
  }
  for (const [collector, wallets] of sweeps) {
    for (const [wallet, row] of [...wallets]) if (!sweepsEnough(fromOthers.get(row) ?? 0n, transfers.amount(row))) wallets.delete(wallet);
    if (wallets.size === 0) sweeps.delete(collector);
  }
  for (const [collector, wallets] of [...sweeps].sort(([a], [b]) => a - b)) {
    if (wallets.size < params.sweepMinWallets) continue;
    const reason = `emptied itself into ${data.accounts.has(collector) ? data.accounts.ident(collector) : collector}, a collector of ${wallets.size} wallets`;
    for (const [wallet, row] of [...wallets].sort(([a], [b]) => a - b)) out.push(collector, wallet, 'sweep', 60, [transfers.ids[row]!], reason);
  }
};

function paysOne(recipient: number | undefined): boolean {
  return recipient !== undefined && recipient !== MANY;
}
