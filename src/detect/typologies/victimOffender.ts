/**
 * Victim-offender overlap, without a trace: a victim (see src/detect/victims.ts) that received
 * other victims' payments and sent money on within the window — victims coerced into recruiting
 * or laundering, as the scam-compound reports describe. A flag with its evidence for the
 * investigator, never a mule verdict: pass-through never reports a victim (docs/detection.md,
 * "victim-offender-overlap"). The trace-based check is src/detect/victimOffender.ts.
 */
import { byAccount, unitScore, victimsOf, type Finding, type Typology } from '../types.js';

export const victimOffenderTypology: Typology = (data, params) => {
  const t = data.transfers;
  const victims = victimsOf(data);
  const { in: incoming, out: outgoing } = byAccount(t, params);
  const findings: Finding[] = [];
  for (const victim of [...victims].sort((a, b) => a - b)) {
    const fromVictims = incoming.of(victim).filter((row) => victims.has(t.from[row]!));
    if (fromVictims.length === 0) continue;
    const sent = outgoing
      .of(victim)
      .filter((s) => fromVictims.some((r) => t.asset[s] === t.asset[r] && t.time[s]! >= t.time[r]! && t.time[s]! - t.time[r]! <= params.windowMs));
    if (sent.length === 0) continue;
    const received = fromVictims.reduce((sum, row) => sum + t.amount(row), 0n);
    const forwarded = sent.reduce((sum, row) => sum + t.amount(row), 0n);
    const payers = [...new Set(Array.from(fromVictims, (row) => t.from[row]!))].sort((a, b) => a - b);
    findings.push({
      typology: 'victim-offender-overlap',
      accounts: [victim, ...payers],
      evidence: [...fromVictims, ...sent].map((row) => t.ids[row]!).sort((a, b) => a - b),
      // Share of the other victims' money it sent on within the window (1 = all of it or more).
      score: unitScore(Number((forwarded * 1000n) / received) / 1000),
    });
  }
  return findings;
};
