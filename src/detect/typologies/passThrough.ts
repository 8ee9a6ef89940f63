/**
 * Pass-through (money mule): an account that sends on at least 90 % of what it receives within a
 * window (FATF, "Money laundering using new payment methods" and the mule indicators of the
 * Egmont/FATF 2022 report): it holds nothing, it forwards.
 */
import { byAccount, ppm, type Finding, type Typology } from '../types.js';

export const passThroughTypology: Typology = (data, params) => {
  const { in: incoming, out: outgoing } = byAccount(data.transfers, params.minAmount);
  const findings: Finding[] = [];
  for (const [account, received] of [...incoming].sort(([a], [b]) => a - b)) {
    const sent = outgoing.get(account);
    if (!sent) continue;
    const first = received[0]!.time;
    const last = received[received.length - 1]!.time;
    const inTotal = received.reduce((s, t) => s + t.amount, 0n);
    const forwarded = sent.filter((t) => t.time >= first && t.time <= last + params.windowMs);
    const outTotal = forwarded.reduce((s, t) => s + t.amount, 0n);
    if (inTotal === 0n || forwarded.length === 0 || outTotal * 1_000_000n < inTotal * ppm(params.passThroughShare)) continue;
    findings.push({ typology: 'pass-through', accounts: [account], evidence: [...received, ...forwarded].map((t) => t.id), score: Number((outTotal * 1000n) / inTotal) / 1000 });
  }
  return findings;
};
