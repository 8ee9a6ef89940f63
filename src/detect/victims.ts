/**
 * Who detection treats as a victim (docs/detection.md, "Victims"): detection has no seeds, so a
 * victim is an account tagged `victim`, an account the investigator names (`--victims`), or the
 * sender of a bank payment into an account tagged `mule` (the mule's incoming payments are the
 * victims' — an employer paying a mule's salary is presumed one too, which only shields it from
 * mule findings). Senders that are themselves tagged mule, scam operator or a service are not.
 */
import type { AccountColumns } from '../cluster/accountColumns.js';
import type { ClusterTransfer } from '../cluster/types.js';

export function deriveVictims(accounts: AccountColumns, transfers: readonly ClusterTransfer[], named: readonly number[] = []): Set<number> {
  const victims = new Set<number>(named);
  for (const id of accounts.tagged()) if (accounts.categories(id)!.includes('victim')) victims.add(id);
  for (const t of transfers) {
    if (t.from === t.to || t.amount === 0n) continue;
    if (!accounts.has(t.to) || !accounts.has(t.from) || accounts.rail(t.to) !== 'bank' || accounts.rail(t.from) !== 'bank') continue;
    if (!accounts.categories(t.to)?.includes('mule')) continue;
    if (accounts.isService(t.from) || accounts.categories(t.from)?.some((c) => c === 'mule' || c === 'scam_operator')) continue;
    victims.add(t.from);
  }
  return victims;
}
