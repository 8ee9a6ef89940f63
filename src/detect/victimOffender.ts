import type { AccountRef } from '../model/types.js';
import type { TraceResult } from '../model/trace.js';

export interface VictimOffenderFlag {
  account: AccountRef;
  /** The seed payments the account made (as a victim). */
  paid: string[];
  /** Transfers in which it sent traced money of other victims on. */
  passedOn: string[];
}

/**
 * Victim-offender overlap: accounts that paid a seed (victims) and also sent traced money on —
 * victims coerced into recruiting or laundering, as the scam-compound reports describe. A flag
 * with its evidence for the investigator to look at, never a verdict.
 */
export function victimOffenderOverlap(trace: Pick<TraceResult, 'seeds' | 'edges'>): VictimOffenderFlag[] {
  const seedIds = new Set(trace.seeds.map((s) => s.id));
  const paid = new Map<string, { account: AccountRef; paid: string[] }>();
  for (const s of trace.seeds) {
    const key = `${s.rail}:${s.from}`;
    const entry = paid.get(key) ?? { account: { rail: s.rail, ident: s.from }, paid: [] };
    entry.paid.push(s.ref);
    paid.set(key, entry);
  }
  const flags = new Map<string, VictimOffenderFlag>();
  for (const e of trace.edges) {
    if (seedIds.has(String(e.transfer))) continue;
    const victim = paid.get(`${e.rail}:${e.from}`);
    if (!victim) continue;
    const ownSeeds = trace.seeds.filter((s) => s.rail === e.rail && s.from === e.from).map((s) => s.id);
    const othersMoney = Object.keys(e.bySeed).some((seed) => !ownSeeds.includes(seed));
    if (!othersMoney) continue;
    const flag = flags.get(`${e.rail}:${e.from}`) ?? { account: victim.account, paid: victim.paid, passedOn: [] };
    flag.passedOn.push(e.ref);
    flags.set(`${e.rail}:${e.from}`, flag);
  }
  return [...flags.values()];
}
