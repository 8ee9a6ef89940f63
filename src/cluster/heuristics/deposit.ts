/**
 * Deposit-address reuse (Victor 2020, "Address clustering heuristics for Ethereum", FC 2020): an
 * exchange gives each customer a deposit address that forwards what it receives to the exchange's
 * hot wallet. An address that sends only to one tagged exchange wallet, forwarding at least 1 − ε
 * of each receipt within Δt, is such a deposit address, and the addresses paying into it are one
 * customer. Victor's reference parameters are 10,000 blocks and 0.01 ETH; here the window is in
 * hours (Tron blocks are 3 s, Ethereum's 12 s) and ε is relative.
 *
 * The address must also have a deposit address's shape (docs/clustering.md, "deposit"): it never
 * holds more than ε of what it has received for longer than Δt (an exchange sweeps a deposit address
 * at once), and at most `depositMaxServiceShare` of what it received came from tagged services (a
 * wallet fed mostly by exchange withdrawals that sits on 170,000 USDT for weeks is an exchange
 * house or a trader, and its payers are its clients, not one customer).
 */
import { shareTest, type ClusterHeuristic } from '../types.js';
import { accountIdBound, MANY, NOBODY, soleRecipients } from './soleRecipient.js';

export const depositHeuristic: ClusterHeuristic = (data, params, out) => {
  // First the one address each sender pays: only senders paying a single exchange wallet can be
  // deposit addresses, so only their transfers are gathered below (listing every account's
  // transfers cost 12 s on 5M transfers).
  const { transfers, accounts } = data;
  const onlyTarget = soleRecipients(transfers, false, accountIdBound(data));
  // Transfers are row indexes into `transfers` from here on. Each candidate's transfers sent,
  // received from others and received from services are slices of three flat row lists, counted
  // first and then filled (in row order): an object with three arrays per candidate, reached
  // through a map twice a transfer, held 136 MB of heap at 1,000,000 accounts.
  const size = onlyTarget.length;
  const candidate = new Uint8Array(size);
  for (let address = 0; address < size; address++) {
    const target = onlyTarget[address]!;
    if (target === NOBODY || target === MANY || !accounts.has(address) || accounts.isService(address) || !accounts.isExchange(target)) continue;
    candidate[address] = 1;
  }
  const sentRows = new RowLists(size);
  const receivedRows = new RowLists(size);
  const fromServiceRows = new RowLists(size);
  const each = (visit: (list: RowLists, account: number, row: number) => void): void => {
    for (let i = 0; i < transfers.length; i++) {
      const from = transfers.from[i]!;
      const to = transfers.to[i]!;
      if (from === to) continue;
      if (candidate[from] === 1) visit(sentRows, from, i);
      if (candidate[to] === 1) visit(accounts.isService(from) ? fromServiceRows : receivedRows, to, i);
    }
  };
  each((list, account) => list.count(account));
  for (const list of [sentRows, receivedRows, fromServiceRows]) list.allocate();
  each((list, account, row) => list.add(account, row));
  const forwardsEnough = shareTest(1 - params.depositEpsilon);
  const window = params.depositWindowHours * 3_600_000;
  const end = transfers.length > 0 ? transfers.time[transfers.length - 1]! : 0;
  const forwards = (s: number, r: number): boolean =>
    transfers.asset[s] === transfers.asset[r] &&
    transfers.time[s]! >= transfers.time[r]! &&
    transfers.time[s]! - transfers.time[r]! <= window &&
    forwardsEnough(transfers.amount(s), transfers.amount(r));
  const sum = (rows: Uint32Array): bigint => rows.reduce((s, r) => s + transfers.amount(r), 0n);
  const epsilonPpm = BigInt(Math.round(params.depositEpsilon * 1_000_000));
  /**
   * Whether the address ever held more than ε of all it had received so far (per asset) for longer
   * than the window: forwards of at least 1 − ε of each receipt leave at most that much behind.
   */
  const holds = (address: number, rows: number[]): boolean => {
    rows.sort((a, b) => a - b);
    const balance = new Map<number, bigint>();
    const receivedSoFar = new Map<number, bigint>();
    const since = new Map<number, number>();
    for (const i of rows) {
      const asset = transfers.asset[i]!;
      const time = transfers.time[i]!;
      const held = since.get(asset);
      if (held !== undefined && time - held > window) return true;
      const amount = transfers.amount(i);
      let b = balance.get(asset) ?? 0n;
      if (transfers.to[i] === address) {
        b += amount;
        receivedSoFar.set(asset, (receivedSoFar.get(asset) ?? 0n) + amount);
      } else {
        b = b > amount ? b - amount : 0n;
      }
      balance.set(asset, b);
      if (b * 1_000_000n > (receivedSoFar.get(asset) ?? 0n) * epsilonPpm) {
        if (held === undefined) since.set(asset, time);
      } else {
        since.delete(asset);
      }
    }
    for (const held of since.values()) if (end - held > window) return true;
    return false;
  };
  const serviceShare = BigInt(Math.round(params.depositMaxServiceShare * 1_000_000));
  // The deposit addresses found, in id order, and the row forwarding each receipt, beside the
  // receipt in receivedRows' flat list: a map and an object per address kept until the end were
  // promoted out of the young generation one scavenge after another (docs/performance.md, `cluster`).
  const found: number[] = [];
  const forwardRow = new Uint32Array(receivedRows.total);
  for (let address = 0; address < size; address++) {
    if (candidate[address] !== 1) continue;
    const sent = sentRows.of(address);
    const received = receivedRows.of(address);
    const fromServices = fromServiceRows.of(address);
    if (received.length === 0 || sent.length === 0) continue;
    // Each receipt with the first transfer that forwards it on; every receipt must have one.
    const base = receivedRows.offsetOf(address);
    let forwarded = 0;
    for (; forwarded < received.length; forwarded++) {
      const r = received[forwarded]!;
      const forward = sent.find((s) => forwards(s, r));
      if (forward === undefined) break;
      forwardRow[base + forwarded] = forward;
    }
    if (forwarded !== received.length) continue;
    const fromServicesTotal = sum(fromServices);
    if (fromServicesTotal * 1_000_000n > (fromServicesTotal + sum(received)) * serviceShare) continue;
    if (holds(address, [...received, ...fromServices, ...sent])) continue;
    found.push(address);
  }
  // The idents the reasons name, read at once (they may not be read yet: selectClusterData).
  accounts.loadIdents(found.flatMap((address) => [address, onlyTarget[address]!]));
  for (const address of found) {
    const exchange = onlyTarget[address]!;
    const received = receivedRows.of(address);
    const base = receivedRows.offsetOf(address);
    const reason = `${accounts.ident(address)} is a deposit address forwarding to exchange wallet ${accounts.ident(exchange)}; this address paid into it`;
    // One merge per payer, citing the payer's latest payment in and the transfer that forwarded it:
    // the pair a court can follow from the customer to the exchange.
    const latestFromPayer = new Map<number, number>();
    for (let k = 0; k < received.length; k++) latestFromPayer.set(transfers.from[received[k]!]!, k);
    for (const [payer, k] of [...latestFromPayer].sort(([a], [b]) => a - b)) {
      out.push(address, payer, 'deposit', 80, [transfers.ids[received[k]!]!, transfers.ids[forwardRow[base + k]!]!], reason);
    }
  }
};

/** Row indexes per account as slices of one flat list: counted per account first, then added in row order. */
class RowLists {
  private readonly start: Uint32Array;
  private rows = new Uint32Array(0);

  constructor(size: number) {
    this.start = new Uint32Array(size + 1);
  }

  count(account: number): void {
    this.start[account + 1]!++;
  }

  /** After the counts: makes room, and turns the counts into each account's start. */
  allocate(): void {
    for (let a = 1; a < this.start.length; a++) this.start[a]! += this.start[a - 1]!;
    this.rows = new Uint32Array(this.start[this.start.length - 1]!);
  }

  /** Rows are added in ascending order; `start[account]` moves past each, and `of` puts it back. */
  add(account: number, row: number): void {
    this.rows[this.start[account]!++] = row;
  }

  of(account: number): Uint32Array {
    return this.rows.subarray(this.offsetOf(account), this.start[account]!);
  }

  /** Where the account's rows begin in the flat list (after they are added). */
  offsetOf(account: number): number {
    return account === 0 ? 0 : this.start[account - 1]!;
  }

  /** How many rows all accounts have (after `allocate`). */
  get total(): number {
    return this.rows.length;
  }
}
