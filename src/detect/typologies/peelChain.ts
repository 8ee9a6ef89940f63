/**
 * Peel chain: at least three hops where each account sends most of what it received on to one
 * next account and peels a small part off to another (an exchange deposit, a cash-out) — the
 * classic way to cash out a large sum in small pieces (Meiklejohn et al. 2013, "A fistful of
 * bitcoins"; seen on Tron in pig-butchering cash-outs). A tagged service is never a hop: the chain
 * ends where it pays one (docs/detection.md, "Services end a path").
 */
import { byAccount, countedTest, isService, ppm, unitScore, type Finding, type Typology } from '../types.js';

export const peelChainTypology: Typology = (data, params) => {
  const t = data.transfers;
  const { out: outgoing } = byAccount(t, params);
  const onShare = ppm(params.peelOnShare);
  // Each account's payment times in one run of memory: finding where a receipt falls among an
  // account's payments read them at rows scattered over the case (docs/performance.md, `detect`).
  const sentTime = outgoing.gather(t.time, (n) => new Float64Array(n));
  /** The "on" transfer (row) of a peel hop at `account` after it received row `received`, if it is one. */
  const peelOn = (account: number, received: number): number | undefined => {
    if (isService(data, account)) return undefined;
    const time = t.time[received]!;
    const end = time + params.windowMs;
    // Its payments within the window after the receipt (positions first to last). They are in
    // time order (DetectData), so the first at or after the receipt is found by halving, and there
    // must be two before any amount is read: most accounts make fewer. A filtered copy per
    // transfer of the case, then a scan of the account's every payment for each of its receipts,
    // were most of this typology's time (docs/performance.md, `detect`).
    let first = outgoing.first(account);
    const last = outgoing.end(account);
    for (let high = last; first < high; ) {
      const middle = (first + high) >>> 1;
      if (sentTime[middle]! < time) first = middle + 1;
      else high = middle;
    }
    if (first + 1 >= last || sentTime[first + 1]! > end) return undefined;
    let largest = -1;
    let largestAmount = 0n;
    let total = 0n;
    for (let at = first; at < last && sentTime[at]! <= end; at++) {
      const row = outgoing.rowAt(at);
      const amount = t.amount(row);
      total += amount;
      if (largest < 0 || amount > largestAmount) {
        largest = row;
        largestAmount = amount;
      }
    }
    const amount = t.amount(received);
    if (largestAmount * 1_000_000n < amount * onShare || total > amount + amount / 10n) return undefined;
    return largest;
  };
  const findings: Finding[] = [];
  const covered = new Set<number>();
  const counted = countedTest(t, params);
  for (let row = 0; row < t.length; row++) {
    if (covered.has(t.ids[row]!) || !counted(row)) continue;
    const chain = [row];
    let current = row;
    for (let next = peelOn(t.to[current]!, current); next !== undefined && !chain.includes(next); next = peelOn(t.to[current]!, current)) {
      chain.push(next);
      current = next;
      if (chain.length > 50) break;
    }
    const hops = chain.length - 1;
    if (hops < params.peelMinHops) continue;
    for (const link of chain) covered.add(t.ids[link]!);
    const accounts = chain.slice(1).map((link) => t.from[link]!);
    const peels = accounts.flatMap((a) =>
      Array.from(outgoing.of(a)).filter(
        (o) => !chain.includes(o) && chain.some((c) => t.to[c] === a && t.time[o]! >= t.time[c]! && t.time[o]! <= t.time[c]! + params.windowMs),
      ),
    );
    // Score: the chain's length, six hops or more scoring 1.
    findings.push({
      typology: 'peel-chain',
      accounts,
      evidence: [...chain, ...peels].map((x) => t.ids[x]!).sort((a, b) => a - b),
      score: unitScore(hops / 6),
    });
  }
  return findings;
};
