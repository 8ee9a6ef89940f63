/**
 * Peel chain: at least three hops where each account sends most of what it received on to one
 * next account and peels a small part off to another (an exchange deposit, a cash-out) — the
 * classic way to cash out a large sum in small pieces (Meiklejohn et al. 2013, "A fistful of
 * bitcoins"; seen on Tron in pig-butchering cash-outs). A tagged service is never a hop: the chain
 * ends where it pays one (docs/detection.md, "Services end a path").
 */
import { byAccount, countedTest, isService, ppm, unitScore, type DetectTransfer, type Finding, type Typology } from '../types.js';

export const peelChainTypology: Typology = (data, params) => {
  const { out: outgoing } = byAccount(data.transfers, params);
  /** The "on" transfer of a peel hop at `account` after it received `received`, if it is one. */
  const peelOn = (account: number, received: DetectTransfer): DetectTransfer | undefined => {
    if (isService(data, account)) return undefined;
    const after = (outgoing.get(account) ?? []).filter((t) => t.time >= received.time && t.time <= received.time + params.windowMs);
    if (after.length < 2) return undefined;
    const largest = after.reduce((a, b) => (b.amount > a.amount ? b : a));
    const total = after.reduce((s, t) => s + t.amount, 0n);
    if (largest.amount * 1_000_000n < received.amount * ppm(params.peelOnShare) || total > received.amount + received.amount / 10n) return undefined;
    return largest;
  };
  const findings: Finding[] = [];
  const covered = new Set<number>();
  const counted = countedTest(params);
  for (const t of data.transfers) {
    if (covered.has(t.id) || !counted(t)) continue;
    const chain: DetectTransfer[] = [t];
    let current = t;
    for (let next = peelOn(current.to, current); next && !chain.includes(next); next = peelOn(current.to, current)) {
      chain.push(next);
      current = next;
      if (chain.length > 50) break;
    }
    const hops = chain.length - 1;
    if (hops < params.peelMinHops) continue;
    for (const link of chain) covered.add(link.id);
    const accounts = chain.slice(1).map((link) => link.from);
    const peels = accounts.flatMap((a) =>
      (outgoing.get(a) ?? []).filter((o) => !chain.includes(o) && chain.some((c) => c.to === a && o.time >= c.time && o.time <= c.time + params.windowMs)),
    );
    // Score: the chain's length, six hops or more scoring 1.
    findings.push({ typology: 'peel-chain', accounts, evidence: [...chain, ...peels].map((x) => x.id).sort((a, b) => a - b), score: unitScore(hops / 6) });
  }
  return findings;
};
