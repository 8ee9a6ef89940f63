/**
 * Who detection treats as a victim (docs/detection.md, "Victims"): detection has no seeds, so a
 * victim is an account tagged `victim`, an account the investigator names (`--victims`), or the
 * sender of a bank payment into an account tagged `mule` (the mule's incoming payments are the
 * victims' — an employer paying a mule's salary is presumed one too, which only shields it from
 * mule findings). Senders that are themselves tagged mule, scam operator or a service are not.
 */
import type { AccountColumns } from '../cluster/accountColumns.js';
import type { TransferColumns } from '../cluster/transferColumns.js';

export function deriveVictims(accounts: AccountColumns, transfers: TransferColumns, named: readonly number[] = []): Set<number> {
  const victims = new Set<number>(named);
  for (const id of accounts.tagged()) if (accounts.categories(id)!.includes('victim')) victims.add(id);
  for (let row = 0; row < transfers.length; row++) {
    const from = transfers.from[row]!;
    const to = transfers.to[row]!;
    if (from === to || transfers.amount(row) === 0n) continue;
    if (!accounts.has(to) || !accounts.has(from) || accounts.rail(to) !== 'bank' || accounts.rail(from) !== 'bank') continue;
    if (!accounts.categories(to)?.includes('mule')) continue;
    if (accounts.isService(from) || accounts.categories(from)?.some((c) => c === 'mule' || c === 'scam_operator')) continue;
    victims.add(from);
  }
  return victims;
}
