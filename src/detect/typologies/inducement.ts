/**
 * Inducement payments: pig-butchering's "profits". The platform pays the victim small amounts —
 * a first "withdrawal" that builds trust — and the victim then pays the platform, or a wallet of
 * its network, far more (FBI IC3, "Cryptocurrency investment fraud" 2023; US Treasury FinCEN
 * Alert FIN-2023-Alert005). A wallet P paid V a "profit" after V had paid P or an account P deals
 * with directly (its network), the profit at most 1 ÷ `inducementRatio` of what V had paid in by
 * then; within the window after it V paid that network again, at least `inducementRatio` times
 * the profits, and not with third parties' money (at most 1 ÷ `inducementRatio` of it came from
 * non-service accounts outside P's network). Requiring the first deposit and own funds keeps out
 * trading counterparties who simply pay each other. Services are neither side (exchange
 * withdrawals are purchases). docs/detection.md, "inducement".
 */
import { byAccount, idBound, isService, unitScore, type Finding, type Typology } from '../types.js';

/** Rows gathered for one victim after another in one buffer: a typed array filtered per victim was a new buffer each. */
class RowList {
  rows = new Uint32Array(64);
  length = 0;

  push(row: number): void {
    if (this.length === this.rows.length) {
      const grown = new Uint32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    this.rows[this.length++] = row;
  }
}

export const inducementTypology: Typology = (data, params) => {
  const t = data.transfers;
  const { in: incoming, out: outgoing } = byAccount(t, params);
  /**
   * The accounts P pays or is paid by directly (its network), without services: marked with P's
   * number + 1 in one array indexed by account id (ids are dense), which `inNetwork` reads. A set
   * per platform was built for each of the case's paying accounts (docs/performance.md, `detect`).
   */
  const marks = new Float64Array(idBound(t));
  // Each account's recipients and senders in one run of memory each: the loops below read a
  // victim's recipients at every platform that paid it (docs/performance.md, `detect`).
  const sentTo = outgoing.gather(t.to, (n) => new Uint32Array(n));
  const receivedFrom = incoming.gather(t.from, (n) => new Uint32Array(n));
  const markNetwork = (p: number): void => {
    const mark = p + 1;
    marks[p] = mark;
    for (let at = outgoing.first(p), end = outgoing.end(p); at < end; at++) if (!isService(data, sentTo[at]!)) marks[sentTo[at]!] = mark;
    for (let at = incoming.first(p), end = incoming.end(p); at < end; at++) if (!isService(data, receivedFrom[at]!)) marks[receivedFrom[at]!] = mark;
  };
  const inNetwork = (p: number, account: number): boolean => marks[account] === p + 1;
  const ratio = BigInt(Math.round(params.inducementRatio * 1_000_000));
  const findings: Finding[] = [];
  // A platform's payments to non-services (positions in its rows), ordered by recipient then
  // row: one reused buffer instead of a map of a list per recipient, which at 5,000,000 transfers
  // raised the peak RSS of detect by ~800 MB while finding nothing (docs/performance.md, `detect`).
  let order = new Uint32Array(64);
  const deposits = new RowList();
  const payments = new RowList();
  for (const platform of outgoing.accounts) {
    if (isService(data, platform)) continue;
    const paid = outgoing.of(platform);
    // The recipient of paid[k] is paidTo[k].
    const paidTo = sentTo.subarray(outgoing.first(platform), outgoing.end(platform));
    if (order.length < paid.length) order = new Uint32Array(Math.max(paid.length, order.length * 2));
    let n = 0;
    for (let k = 0; k < paid.length; k++) if (!isService(data, paidTo[k]!)) order[n++] = k;
    const sorted = order.subarray(0, n).sort((a, b) => paidTo[a]! - paidTo[b]! || a - b);
    let marked = false;
    // Each victim's "profits" are the rows at sorted[from, to), in row (time) order.
    for (let from = 0, to = 0; from < n; from = to) {
      const victim = paidTo[sorted[from]!]!;
      to = from + 1;
      while (to < n && paidTo[sorted[to]!] === victim) to++;
      const profit = (k: number): number => paid[sorted[k]!]!;
      if (!marked) markNetwork(platform);
      marked = true;
      deposits.length = 0;
      for (let at = outgoing.first(victim), end = outgoing.end(victim); at < end; at++) {
        const recipient = sentTo[at]!;
        if (recipient !== victim && inNetwork(platform, recipient)) deposits.push(outgoing.rowAt(at));
      }
      if (deposits.length === 0) continue;
      // The first "profit" after a deposit, and small against what the victim had paid in by then
      // (a "withdrawal" of part of the gains): at most 1 ÷ inducementRatio of it.
      let first: number | undefined;
      for (let k = from; k < to && first === undefined; k++) {
        const p = profit(k);
        let paidIn = 0n;
        for (let d = 0; d < deposits.length; d++) {
          const row = deposits.rows[d]!;
          if (t.time[row]! < t.time[p]! && t.asset[row] === t.asset[p]) paidIn += t.amount(row);
        }
        if (paidIn > 0n && t.amount(p) * ratio <= paidIn * 1_000_000n) first = p;
      }
      if (first === undefined) continue;
      const start = t.time[first]!;
      const asset = t.asset[first]!;
      payments.length = 0;
      for (let d = 0; d < deposits.length; d++) {
        const row = deposits.rows[d]!;
        if (t.time[row]! > start && t.time[row]! <= start + params.inducementWindowMs && t.asset[row] === asset) payments.push(row);
      }
      if (payments.length === 0) continue;
      const paidOn = Array.from(payments.rows.subarray(0, payments.length));
      const last = t.time[paidOn[paidOn.length - 1]!]!;
      const before: number[] = [];
      for (let k = from; k < to; k++) {
        const row = profit(k);
        if (t.time[row]! >= start && t.time[row]! < last && t.asset[row] === asset) before.push(row);
      }
      const given = sum(t, before);
      const taken = sum(t, paidOn);
      if (taken * 1_000_000n < given * ratio) continue;
      // A victim pays from its own or exchange-bought funds; an account passing third parties'
      // money on to P's network is a trading counterparty or a mule, not one being induced.
      const opened = t.time[deposits.rows[0]!]!;
      let thirdParty = 0n;
      for (const row of incoming.of(victim))
        if (t.time[row]! >= opened && t.time[row]! <= last && t.asset[row] === asset && !inNetwork(platform, t.from[row]!) && !isService(data, t.from[row]!))
          thirdParty += t.amount(row);
      if (thirdParty * ratio > taken * 1_000_000n) continue;
      findings.push({
        typology: 'inducement',
        accounts: [platform, victim, ...[...new Set(paidOn.map((row) => t.to[row]!))].filter((a) => a !== platform).sort((a, b) => a - b)],
        evidence: [...before, ...paidOn].map((row) => t.ids[row]!).sort((a, b) => a - b),
        // 1 − "profits" ÷ what the victim paid afterwards: how lopsided the exchange was.
        score: unitScore(1 - Number((given * 1_000_000n) / taken) / 1e6),
      });
    }
  }
  return findings;
};

function sum(t: { amount(row: number): bigint }, rows: readonly number[]): bigint {
  let total = 0n;
  for (const row of rows) total += t.amount(row);
  return total;
}
