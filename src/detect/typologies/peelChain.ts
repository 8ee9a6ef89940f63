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
  /** The "on" transfer (row) of a peel hop at `account` after it received row `received`, if it is one. */
  const peelOn = (account: number, received: number): number | undefined => {
    if (isService(data, account)) return undefined;
    const time = t.time[received]!;
    const end = time + params.windowMs;
    const sent = outgoing.of(account);
    // Its payments within the window after the receipt, counted before any amount is read: most
    // accounts make fewer than two, and a filtered copy per transfer of the case was most of this
    // typology's time (docs/performance.md, `detect`).
    let within = 0;
    for (let k = 0; k < sent.length && within < 2; k++) if (t.time[sent[k]!]! >= time && t.time[sent[k]!]! <= end) within++;
    if (within < 2) return undefined;
    let largest = -1;
    let largestAmount = 0n;
    let total = 0n;
    for (let k = 0; k < sent.length; k++) {
      const row = sent[k]!;
      if (!(t.time[row]! >= time && t.time[row]! <= end)) continue;
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
