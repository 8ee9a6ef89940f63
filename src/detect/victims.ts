/**
 * Who detection treats as a victim (docs/detection.md, "Victims"): detection has no seeds, so a
 * victim is an account tagged `victim`, an account the investigator names (`--victims`), or the
 * sender of a bank payment into an account tagged `mule` (the mule's incoming payments are the
 * victims' — an employer paying a mule's salary is presumed one too, which only shields it from
 * mule findings). Senders that are themselves tagged mule, scam operator or a service are not.
 */
import type { ClusterAccount, ClusterTransfer } from '../cluster/types.js';

export function deriveVictims(
  accounts: ReadonlyMap<number, ClusterAccount>,
  transfers: readonly ClusterTransfer[],
  named: readonly number[] = [],
): Set<number> {
  const victims = new Set<number>(named);
  for (const a of accounts.values()) if (a.categories?.includes('victim')) victims.add(a.id);
  for (const t of transfers) {
    if (t.from === t.to || t.amount === 0n) continue;
    const to = accounts.get(t.to);
    const from = accounts.get(t.from);
    if (!to || !from || to.rail !== 'bank' || from.rail !== 'bank' || !to.categories?.includes('mule')) continue;
    if (from.service || from.categories?.some((c) => c === 'mule' || c === 'scam_operator')) continue;
    victims.add(from.id);
  }
  return victims;
}
